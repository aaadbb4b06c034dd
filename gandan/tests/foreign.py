"""Foreign objects for the leak sweep (``test_leak_sweep.py``): one object of every kind that
has an id in a URL, placed in one commune, written through the services like production data.

Every name, title and free text carries the marker ``Zebu``, which no page or API answer
may show to a user for whom the objects are foreign. The objects are built twice:

- in xã Đắk Pék (Kon Tum): foreign to everyone in Đắk Lắk (province_admin, lak_clerk,
  commune_clerk, leader);
- in legacy xã Nam Ka (huyện Lắk, until 1-7-2025): foreign to commune_clerk (xã Liên Sơn Lắk
  never took Nam Ka in) and to outsider (Kon Tum).
"""

import datetime
from types import SimpleNamespace
from typing import Any

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model

from gandan.accounts.models import User
from gandan.cases.models import CaseKind
from gandan.cases.services import case_receive, inspection_plan, inspection_record
from gandan.core.models import AuditEntry
from gandan.core.periods import parse_period
from gandan.field.services import device_password_create
from gandan.indicators.models import Indicator
from gandan.notify.models import Kind, Notification
from gandan.org.services import member_create, membership_start, team_create
from gandan.reports.models import Regime, Report
from gandan.work.attachments import attachment_add
from gandan.work.models import ActivityType, ImportJob
from gandan.work.services import (
    ActivityInput,
    activity_create,
    aggregate_entry_create,
    work_create,
)

MARKER = "zebu"  # lower case: bodies are compared folded
FOUNDING = datetime.date(2004, 7, 5)
ON = datetime.date(2019, 3, 4)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
# Who finds the objects of each place foreign (see the module docstring).
FOREIGN_TO = {
    "dak_pek": ("province_admin", "lak_clerk", "commune_clerk", "leader"),
    "nam_ka": ("commune_clerk", "outsider"),
}


def build_foreign(places: Any, where: str) -> SimpleNamespace:
    """One object of every kind in the commune ``places.<where>`` (and its village)."""
    commune, village = getattr(places, where), getattr(places, f"{where}_village")
    tag = f"Zebu {where}"
    o = SimpleNamespace(where=where, village=village)
    o.account = User.objects.create_user(
        username=f"zebu_{where}", password="matkhau-demo-253", unit=commune, role="clerk"
    )
    o.account.full_name = f"Y {tag} cán bộ"
    o.account.save()
    o.team = team_create(actor=None, name=f"Tổ {tag}", unit=commune, established_on=FOUNDING)
    o.member = member_create(
        actor=None, identifier=f"ZB-{where}", full_name=f"Y {tag}", gender="nam", ethnicity="ede"
    )
    o.membership = membership_start(actor=None, member=o.member, team=o.team, start=FOUNDING)
    o.activity = activity_create(
        actor=None,
        data=ActivityInput(
            type=ActivityType.objects.get(code="pdqc"), unit=commune, start=ON, end=ON,
            villages=[village], teams=[o.team], movements=[], partners=[], participants=9,
            title=f"Chiến dịch {tag}", notes=f"Ghi chú {tag}",
        ),
    )  # fmt: skip
    o.attachment = attachment_add(
        actor=None, activity=o.activity, upload=SimpleUploadedFile("zebu.png", PNG), kind="photo"
    )
    o.work = work_create(actor=None, name=f"Cầu {tag}", kind="bridge", place=village)
    o.aggregate = aggregate_entry_create(
        actor=None, indicator=Indicator.objects.get(code="campaigns"), unit=commune,
        period_start=datetime.date(2018, 1, 1), period_end=datetime.date(2018, 12, 31),
        period_label="Năm 2018", value=3, source_number=f"ZEBU-{where}",
        source_date=datetime.date(2019, 1, 5), source_title=f"Báo cáo {tag}",
    )  # fmt: skip
    o.case = case_receive(
        actor=None, kind=CaseKind.objects.get(code="tranh_chap_dat"), unit=commune,
        village=village, received_on=ON, description=f"Tranh chấp {tag}", households=2,
        contacts=[(f"H'{tag} liên hệ", "0900 000 253")],
    )  # fmt: skip
    o.inspection = inspection_plan(
        actor=None, team=o.team, inspector=f"Đoàn {tag}", planned_on=ON, content=f"Nội dung {tag}"
    )
    inspection_record(
        actor=None, inspection=o.inspection, held_on=ON, findings=f"Nhận xét {tag}",
        rating="good", recommendations=f"Kiến nghị {tag}",
        follow_ups=[(f"Việc {tag}", f"Người {tag}", datetime.date(2019, 6, 30))],
    )  # fmt: skip
    o.follow_up = o.inspection.follow_ups.get()
    yearly = Regime.objects.get(code="yearly")
    span = parse_period("2019", regime=yearly.period_regime)
    # Saved straight to the table, as reports/tests/conftest.py does: report_create
    # aggregates figures the sweep does not need.
    o.report = Report.objects.create(
        regime=yearly, unit=commune, period_code=span.code, period_start=span.start,
        period_end=span.end, period_label=span.label,
        sections={key: f"Đề mục {title}: {tag}" for key, title in yearly.sections},
    )  # fmt: skip
    o.import_job = ImportJob.objects.create(
        user=o.account, unit=commune, original_name=f"{tag}.xlsx", size=4,
        file=ContentFile(b"PK\x03\x04", name="zebu.xlsx"),
    )  # fmt: skip
    o.device, _secret = device_password_create(actor=o.account, label=f"Máy {tag}")
    # A notification is its user's alone: foreign to everyone else, wherever they work.
    o.notification = Notification.objects.create(
        user=o.account, kind=Kind.REPORT_RETURNED,
        text=f"Báo cáo {tag} bị trả lại.", link=f"/reports/{o.report.pk}/",
    )  # fmt: skip
    return o


def _gandan_models() -> list[type[Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("gandan.")]


def snapshot(objects: list[SimpleNamespace]) -> tuple[object, ...]:
    """What a refused request must leave as it was: the number of rows of every model of
    the project (audit entries of sign-ins aside), and every column of every foreign object
    (which includes ``updated_at`` where a model has one)."""
    counts = tuple(
        (model.__name__, model._default_manager.count())
        for model in _gandan_models()
        if model is not AuditEntry
    )
    audit = AuditEntry.objects.exclude(action__startswith="auth.").count()
    rows = tuple(
        (name, tuple(sorted(type(obj)._default_manager.filter(pk=obj.pk).values().get().items())))
        for o in objects
        for name, obj in sorted(vars(o).items())
        if isinstance(obj, Model)
    )
    return counts, audit, rows


def sample_body(schema: dict[str, Any], spec: dict[str, Any], ids: dict[str, int]) -> Any:
    """A plausible JSON body for an OpenAPI schema: every property filled with a value of
    its type (dates in 2019, ids of the foreign objects where the name says which)."""
    if "$ref" in schema:
        return sample_body(spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]], spec, ids)  # fmt: skip
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return sample_body(options[0], spec, ids) if options else None
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        return {
            name: _property(name, sub, spec, ids)
            for name, sub in schema.get("properties", {}).items()
        }
    if kind == "array":
        return []
    if kind == "integer":
        return 1
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if schema.get("format") == "date":
        return "2019-06-01"
    return "Zebu sửa"


def _property(name: str, schema: dict[str, Any], spec: dict[str, Any], ids: dict[str, int]) -> Any:
    if name.endswith("_ids") and name[:-4] in ids:
        return [ids[name[:-4]]]
    if name.endswith("_id") and name[:-3] in ids:
        return ids[name[:-3]]
    return sample_body(schema, spec, ids)
