"""The leak sweep over the pages and API operations without an object id: lists, searches,
exports, forms with choices. None may show a foreign object (see ``foreign.py``) to any user
of the cast, even asked for by name, by its unit, or by its years.

The routes come from the same walk as ``test_leak_sweep.py``, so a list added later is swept.
"""

import io
import json
import zipfile
from typing import Any

import pytest

from gandan.tests.foreign import FOREIGN_TO, build_foreign
from gandan.tests.test_every_route import WEB

pytestmark = pytest.mark.django_db


def _queries(unit_id: int) -> tuple[str, ...]:
    """No parameters; then the foreign objects' name, unit and years as every list takes
    them (a list ignores what it does not read)."""
    dates = "year=2019&period=2019&on=2019-03-04&from=2004-01-01&to=2026-11-30"
    dates += "&start=2004-01-01&end=2026-11-30&period_start=2004-01-01&period_end=2026-11-30"
    return ("", "?q=zebu", f"?unit={unit_id}&unit_id={unit_id}&{dates}", f"?{dates}")


def _urls(spec: dict[str, Any]) -> list[str]:
    """Every page without a parameter (``WEB`` has ids filled with 1: left out here, swept
    in ``test_leak_sweep.py``) and every API read without a path parameter."""
    pages = [u for u in WEB if "/1/" not in u and not u.endswith("/1") and "0000-" not in u]
    api = [p for p, item in spec["paths"].items() if "{" not in p and "get" in item]
    return pages + [p for p in api if not p.endswith(("openapi.json", "docs"))]


def _text(response: Any) -> str:
    """The body as text; an Excel workbook (a zip of XML parts) unpacked."""
    # a streamed answer is read to its end, where the test client closes it
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as workbook:
            content = b"".join(workbook.read(name) for name in workbook.namelist())
    text = content.decode("utf-8", "replace")
    if response.get("Content-Type", "").startswith("application/json"):
        text = json.dumps(json.loads(text), ensure_ascii=False)  # "\u1ed5" → "ổ"
    return text.lower()


def _markers(where: str) -> tuple[str, str]:
    return (f"zebu {where}", f"zebu_{where}")


@pytest.fixture
def foreign(places, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return {where: build_foreign(places, where) for where in FOREIGN_TO}


def _sweep(client, urls: list[str], objects: Any) -> tuple[int, list[tuple[str, int]], set[str]]:
    """(requests sent, answers that are 500s, URLs that show the objects' names)."""
    sent, errors, shown = 0, [], set()
    for url in urls:
        for query in _queries(objects.village.pk):
            response = client.get(url + query)
            sent += 1
            if response.status_code >= 500:
                errors.append((url + query, response.status_code))
            text = _text(response)
            if any(marker in text for marker in _markers(objects.where)):
                shown.add(url)
    return sent, errors, shown


@pytest.mark.slow  # some 150 routes, four times, for each user
@pytest.mark.parametrize("who", ["province_admin", "lak_clerk", "commune_clerk", "leader", "outsider"])  # fmt: skip
def test_no_list_shows_a_foreign_object(client, cast, foreign, who, record_property):
    client.force_login(cast[who])
    urls = _urls(client.get("/api/v1/openapi.json").json())
    theirs = [foreign[where] for where, users in FOREIGN_TO.items() if who in users]
    sent, leaks = 0, []

    for objects in theirs:
        count, errors, shown = _sweep(client, urls, objects)
        sent += count
        leaks += errors + sorted(shown)

    record_property("requests", sent)
    assert leaks == []
    assert sent > 300 * len(theirs)  # some 80 routes, four times each


def test_the_list_sweep_would_see_a_leak(client, cast, foreign):
    """The control: at home (lak_clerk in huyện Lắk, which held xã Nam Ka), the same
    requests show the objects on the lists of every kind of record."""
    client.force_login(cast["lak_clerk"])
    urls = _urls(client.get("/api/v1/openapi.json").json())

    _sent, errors, shown = _sweep(client, urls, foreign["nam_ka"])

    assert errors == []
    for expected in ("/activities/", "/activities/export.xlsx", "/aggregates/", "/works/",
                     "/inspections/", "/api/v1/members", "/api/v1/activities"):  # fmt: skip
        assert expected in shown


@pytest.mark.parametrize("who", ["province_admin", "lak_clerk", "commune_clerk", "leader", "outsider"])  # fmt: skip
def test_a_member_posted_on_both_sides_shows_each_viewer_only_their_side(
    client, cast, foreign, who
):
    # given the member of the Nam Ka team, sent to the Đắk Pék team (Kon Tum) in 2020
    import datetime

    from gandan.org.services import member_transfer

    member = foreign["nam_ka"].member
    member_transfer(
        actor=None, member=member, to_team=foreign["dak_pek"].team, on=datetime.date(2020, 1, 6)
    )
    client.force_login(cast[who])
    # the teams' names (the member's own name, "Y Zebu nam_ka", is shown on both sides)
    hidden = [f"tổ zebu {where}" for where, users in FOREIGN_TO.items() if who in users]
    opened = 0

    # when they open the member's page, edit form, API record and the lists of members
    pages = (f"/members/{member.pk}/", f"/members/{member.pk}/edit/", f"/api/v1/members/{member.pk}")  # fmt: skip
    lists = ("/api/v1/members?q=zebu", "/teams/members.xlsx", "/roster/export.xlsx", "/headcount/")
    for url in pages + lists:
        response = client.get(url)
        text = _text(response)
        opened += url in pages and response.status_code == 200

        # then a posting on the other side is not named
        assert response.status_code in {200, 403, 404}, url
        assert [m for m in hidden if m in text] == [], url

    # and each of the cast but the commune's clerk (who holds neither side) opens it
    assert (opened > 0) == (who != "commune_clerk")
