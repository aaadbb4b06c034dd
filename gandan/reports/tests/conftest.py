"""Reports of three levels for the cast (see the root ``conftest.py``).

- ``commune``: the yearly 2019 report of legacy xã Yang Tao (huyện Lắk), reviewed by huyện
  Lắk and the province (``campaign`` records one campaign in it);
- ``district``: the yearly 2019 report of huyện Lắk; reviewed by the province only;
- ``commune_2025``: the yearly 2025 report of xã Liên Sơn Lắk (after 1-7-2025 there are no
  districts), reviewed by the province.
"""

import datetime
from types import SimpleNamespace

import pytest

from gandan.core.periods import parse_period
from gandan.reports.models import Regime, Report
from gandan.work.services import activity_create


@pytest.fixture
def yearly(db):
    return Regime.objects.get(code="yearly")


def written(regime):
    """A line of text in every section: a report its clerk has written, ready to submit
    (an empty section asks the clerk to confirm, see ``test_empty_sections.py``)."""
    return {key: f"Nội dung đề mục «{title}»." for key, title in regime.sections}


def bare_report(regime, unit, period):
    """A written draft saved straight to the table: the access tests need no figures, and
    ``report_create`` (which aggregates and writes the results paragraph) is slow."""
    span = parse_period(period, regime=regime.period_regime)
    return Report.objects.create(
        regime=regime,
        unit=unit,
        period_code=span.code,
        period_start=span.start,
        period_end=span.end,
        period_label=span.label,
        sections=written(regime),
    )


@pytest.fixture
def reports(places, yearly):
    return SimpleNamespace(
        commune=bare_report(yearly, places.yang_tao, "2019"),
        district=bare_report(yearly, places.lak, "2019"),
        commune_2025=bare_report(yearly, places.lien_son_lak, "2025"),
    )


@pytest.fixture
def campaign(field, activity_input):
    """One campaign in xã Yang Tao on 2-3-2019, with 120 people."""
    return activity_create(
        actor=None,
        data=activity_input(
            field.yang_tao, datetime.date(2019, 3, 2), [field.yt_a], participants=120
        ),
    )


# Who sees which report (200) and who does not (404).
SEES = {
    "province_admin": "commune district commune_2025",
    "lak_clerk": "commune district",
    "commune_clerk": "commune commune_2025",
    "leader": "commune district commune_2025",
    "outsider": "",
}
# Who may return, approve or un-approve which report: a strict ancestor of its unit.
REVIEWS = {
    "province_admin": "commune district commune_2025",
    "lak_clerk": "commune",
}
NAMES = ("commune", "district", "commune_2025")


def read_matrix() -> list[tuple[str, str, int]]:
    return [
        (who, name, 200 if name in SEES[who].split() else 404) for who in SEES for name in NAMES
    ]


def write_matrix(*, review: bool) -> list[tuple[str, str, int]]:
    """Status of a write: 404 outside; 403 for a leader, or for a level that may not review."""
    rows = []
    for who, name, status in read_matrix():
        lower_level = review and name not in REVIEWS.get(who, "").split()
        if status == 200 and (who == "leader" or lower_level):
            status = 403
        rows.append((who, name, status))
    return rows
