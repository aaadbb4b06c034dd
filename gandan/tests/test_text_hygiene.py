"""Control characters are refused on every path text enters (issue 13): the forms, the API
(every string the OpenAPI description declares, in bodies, queries and paths), both Excel
imports (naming the row and the column; nothing is written); field submissions are in
``field/tests/test_submissions.py``. The rule itself, with its property tests, is
``core/tests/test_plain_text.py``."""

import importlib
import inspect
import pkgutil
import re

import pytest
from django import forms

import gandan
from gandan.core.forms import Form
from gandan.core.models import AuditEntry
from gandan.geo.models import AdminUnit

pytestmark = pytest.mark.django_db

BAD = "Thôn\u202eMới"  # U+202E RIGHT-TO-LEFT OVERRIDE: shows "Thôn" then "iớM" reversed
NUL = "a\x00b"


def _form_classes():
    for module in pkgutil.walk_packages(gandan.__path__, "gandan."):
        if ".tests" in module.name or ".migrations" in module.name or "management" in module.name:
            continue
        if module.name in {"gandan.wsgi", "gandan.asgi"}:
            continue
        loaded = importlib.import_module(module.name)
        for _name, cls in inspect.getmembers(loaded, inspect.isclass):
            if cls.__module__ == module.name and issubclass(cls, forms.BaseForm):
                yield cls


def test_every_form_of_the_project_refuses_control_characters():
    found = sorted({f"{c.__module__}.{c.__qualname__}" for c in _form_classes()})
    assert len(found) > 35
    missing = [
        name for name, cls in {f"{c.__module__}.{c.__qualname__}": c for c in _form_classes()}.items()
        if not issubclass(cls, Form)
    ]  # fmt: skip
    assert missing == [], "forms not built on gandan.core.forms.Form: " + ", ".join(missing)


def test_a_form_names_the_field_and_allows_line_breaks_where_multi_line():
    from gandan.reports.forms import ReturnForm, UnapproveForm

    assert ReturnForm({"comment": "Dòng 1\r\nDòng 2\tthụt"}).is_valid()
    refused = UnapproveForm({"reason": "Sai\x1b[31m"})
    assert not refused.is_valid()
    (message,) = refused.errors["reason"]
    assert message.startswith("«Lý do")
    assert "U+001B (ESC)" in message


def test_a_page_refuses_a_bidi_override_and_keeps_the_name(client, places, commune_clerk):
    village = places.yang_tao_village
    client.force_login(commune_clerk)

    response = client.post(f"/villages/{village.pk}/edit/", {"name": BAD, "kind": "thon"})

    assert response.status_code == 400
    assert "«Tên thôn, buôn» chứa ký tự không được phép U+202E" in response.content.decode()
    village.refresh_from_db()
    assert village.name == "Hòa Bình"


# -- the API --------------------------------------------------------------------------------


def _resolve(spec, schema):
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _kinds(spec, schema):
    schema = _resolve(spec, schema)
    options = schema.get("anyOf", [schema])
    return {_resolve(spec, o).get("type") for o in options}, options


def _string_inputs(spec):
    """(method, path, where, name, value sent) for every string the API takes: each query
    and path parameter, each top-level body property that is a string, a list of strings
    or a map of strings, and the strings of objects in a list (``contacts[].name``)."""
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            for parameter in operation.get("parameters", []):
                kinds, options = _kinds(spec, parameter["schema"])
                enum = any("enum" in _resolve(spec, o) for o in options)
                if "string" in kinds and not enum and "format" not in str(parameter["schema"]):
                    yield method, path, parameter["in"], parameter["name"], NUL
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if not body:
                continue
            schema = _resolve(spec, body["schema"])
            for name, prop in schema.get("properties", {}).items():
                kinds, options = _kinds(spec, prop)
                if kinds & {"number", "integer"} or any(
                    {"enum", "format", "pattern"} & set(_resolve(spec, o)) for o in options
                ):  # numbers sent as text (decimals), dates, fixed choices
                    continue
                if "string" in kinds:
                    yield method, path, "body", name, NUL
                for option in options:
                    option = _resolve(spec, option)
                    if option.get("type") == "array":
                        inner = _resolve(spec, option["items"])
                        if inner.get("type") == "string" and "enum" not in inner:
                            yield method, path, "body", name, [NUL]
                        for sub, subprop in inner.get("properties", {}).items():
                            if "string" in _kinds(spec, subprop)[0] and "format" not in subprop:
                                yield method, path, "body", f"{name}[].{sub}", [{sub: NUL}]
                    if option.get("type") == "object" and option.get("additionalProperties", {}).get("type") == "string":  # fmt: skip
                        yield method, path, "body", name, {"ket_qua": NUL}


def test_every_string_the_api_takes_refuses_a_nul_with_a_422_naming_the_field(
    client, province_admin, places
):
    client.force_login(province_admin)
    spec = client.get("/api/v1/openapi.json").json()
    before = AuditEntry.objects.count()
    sent, wrong = 0, []
    for method, path, where, name, value in _string_inputs(spec):
        url = re.sub(r"\{[^}]+\}", "1", path)
        query, body = {}, {}
        if where == "path":
            url = path.replace("{" + name + "}", "a%00b")
            url = re.sub(r"\{[^}]+\}", "1", url)
        elif where == "query":
            query = {name: value}
        else:
            body = {name.split("[]")[0]: value}
        if method == "get":
            response = client.get(url, query)
        else:
            response = getattr(client, method)(url, body, content_type="application/json")
        sent += 1
        field = name.split("[].")[-1]
        errors = response.json().get("detail") if response.status_code == 422 else None
        forbidden = [
            e
            for e in errors or []
            if isinstance(e, dict) and e.get("type") == "forbidden_character"
        ]
        if not forbidden or not any(field in e["msg"] or field == e["loc"][-1] for e in forbidden):
            wrong.append((method, url, where, name, response.status_code, errors))
    assert sent > 120
    assert wrong == [], "\n".join(map(str, wrong))
    assert AuditEntry.objects.count() == before


def test_an_api_body_keeps_line_breaks_where_multi_line_and_refuses_them_in_a_name(
    client, commune_clerk, places
):
    client.force_login(commune_clerk)
    village = places.yang_tao_village

    renamed = client.patch(
        f"/api/v1/villages/{village.pk}",
        {"name": "Hòa\nBình", "kind": "thon"},
        content_type="application/json",
    )

    assert renamed.status_code == 422
    (error,) = renamed.json()["detail"]
    assert error["loc"][-1] == "name"
    assert error["msg"].startswith("«name» chỉ được viết trên một dòng: có U+000A")
    assert renamed.json()["field"] == "name"


def test_a_lone_surrogate_in_an_api_body_is_refused_with_a_422_not_a_server_error(
    client, commune_clerk, places
):
    """JSON's "\\ud800" decodes to half a character that no database encoding can store
    (it was a 500 on SQLite and PostgreSQL alike, and broke the Excel export)."""
    client.force_login(commune_clerk)
    village = places.yang_tao_village
    before = AuditEntry.objects.count()

    renamed = client.patch(
        f"/api/v1/villages/{village.pk}",
        '{"name": "H\\u00f2a B\\ud800inh", "kind": "thon"}',
        content_type="application/json",
    )

    assert renamed.status_code == 422
    (error,) = renamed.json()["detail"]
    assert error["loc"][-1] == "name"
    assert error["msg"].startswith(
        "«name» chứa ký tự không được phép U+D800 (không phải ký tự Unicode hợp lệ) ở vị trí 6"
    )
    assert AuditEntry.objects.count() == before
    village.refresh_from_db()
    assert village.name == "Hòa Bình"


# -- Excel imports --------------------------------------------------------------------------


def test_a_roster_import_with_a_control_character_names_row_and_column_and_writes_nothing(
    province_admin, unit
):
    from gandan.org.models import Member
    from gandan.org.tests import test_excel as roster

    rows = [
        roster._row(end="30/06/2010"),
        roster._row(id="DL-0009", name="Y\u202eSăn", phone="09\x7f12"),
    ]
    before = (Member.objects.count(), AuditEntry.objects.count())

    result = roster._import(province_admin, rows)

    report = result.report()
    assert "Dòng 3, cột «Họ và tên»: chứa ký tự không được phép U+202E (ký tự đảo chiều văn bản) ở vị trí 2; hãy xoá ký tự đó rồi tải tệp lên lại." in report  # fmt: skip
    assert any(line.startswith("Dòng 3, cột «Điện thoại»: chứa ký tự không được phép U+007F") for line in report)  # fmt: skip
    assert result.created == 0
    assert (Member.objects.count(), AuditEntry.objects.count()) == before


def test_a_work_import_with_a_control_character_names_row_and_column_and_writes_nothing(
    cast, field
):
    from gandan.work import excel
    from gandan.work.models import Activity
    from gandan.work.tests import test_excel as work

    rows = [
        work._row(cells={"Thôn, buôn": "Buôn Yang Lah", "Lượt người": 10}),
        work._row(cells={"Thôn, buôn": "Buôn Yang Lah", "Nội dung": "Họp\u2067 buôn"}),
    ]
    before = (Activity.objects.count(), AuditEntry.objects.count())

    result = excel.work_import(actor=cast["commune_clerk"], data=work._book(rows))

    assert result.report() == [
        "Dòng 3, cột «Nội dung»: chứa ký tự không được phép U+2067 "
        "(ký tự đảo chiều văn bản) ở vị trí 4; hãy xoá ký tự đó rồi tải tệp lên lại."
    ]
    assert (Activity.objects.count(), AuditEntry.objects.count()) == before


def test_units_keep_their_names():
    """The real units loaded from the national list pass the rule (no false refusal)."""
    from gandan.core.text import forbidden_character

    names = AdminUnit.objects.values_list("versions__name", flat=True)
    assert names
    assert not [n for n in names if n and forbidden_character(n)]
