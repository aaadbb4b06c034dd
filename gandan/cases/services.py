"""Cases from reception to an outcome; aspirations; inspections. Every write is audited.

Workflow: Tiếp nhận → Đang tham mưu, phối hợp → one of Đã giải quyết, Chuyển cấp trên,
Không thuộc thẩm quyền, Tạm dừng. A paused case resumes; an escalated case is taken up by
the higher level (back to "Đang tham mưu" in its queue) and resolved there. The higher
level is the handler's parent on the day: a district before 1-7-2025, the province after.
"""

import datetime
import unicodedata
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext_lazy

from gandan.accounts.types import Actor
from gandan.cases.models import (
    Aspiration,
    Case,
    CaseContact,
    CaseKind,
    FollowUp,
    Inspection,
)
from gandan.cases.notices import case_escalated_notify
from gandan.cases.workflow import WORKFLOW, case_event
from gandan.core.audit import audit_log
from gandan.core.dates import today, vn_date
from gandan.core.errors import DomainError
from gandan.core.text import clean
from gandan.geo.models import AdminUnit, Level
from gandan.geo.selectors import ancestors_on, default_successor_on
from gandan.org.models import Team

AGENCY_LABELS = {
    "chinh_quyen_xa": gettext_lazy("Chính quyền xã"),
    "mttq": gettext_lazy("Mặt trận Tổ quốc"),
    "cong_an": gettext_lazy("Công an"),
    "toa_an": gettext_lazy("Tòa án"),
    "doan_the": gettext_lazy("Các đoàn thể"),
    "nganh_chuc_nang": gettext_lazy("Ngành chức năng"),
    "cap_uy": gettext_lazy("Cấp ủy"),
}
AGENCIES = list(AGENCY_LABELS)


def higher_unit(unit: AdminUnit, on: datetime.date) -> AdminUnit:
    """Where a case goes up to: the parent of the handler (or of its successor) on ``on``."""
    current = unit if unit.is_valid_on(on) else default_successor_on(unit, on)
    if current is None:
        raise DomainError(
            f"{unit} không còn hiệu lực và không có đơn vị kế thừa vào ngày {vn_date(on)}."
        )
    chain = ancestors_on(current, on)
    if len(chain) < 2:
        raise DomainError(f"{current} không có cấp trên vào ngày {vn_date(on)}.")
    return chain[1].unit


def _text(value: str) -> str:
    """Free text as stored: NFC, trimmed, line breaks kept (``clean`` would join lines)."""
    return unicodedata.normalize("NFC", value).strip()


def _not_before_reception(case: Case, on: datetime.date, field: str = "on") -> None:
    if on < case.received_on:
        raise DomainError(
            f"Ngày {vn_date(on)} trước ngày tiếp nhận vụ việc ({vn_date(case.received_on)}).",
            field=field,
        )
    if on > today():
        raise DomainError(f"Ngày {vn_date(on)} chưa tới.", field=field)


def _step_date(case: Case, on: datetime.date | None, field: str = "on") -> datetime.date:
    """The day of a workflow step: not before the reception, not in the future, and not
    before the case's previous step (the timeline reads in order)."""
    on = on or today()
    _not_before_reception(case, on, field)
    last = case.events.order_by("-on").values_list("on", flat=True).first()
    if last is not None and on < last:
        raise DomainError(
            f"Ngày {vn_date(on)} trước bước xử lý gần nhất của vụ việc ({vn_date(last)}).",
            field=field,
        )
    return on


@transaction.atomic
def case_receive(
    *,
    actor: Actor,
    kind: CaseKind,
    unit: AdminUnit,
    received_on: datetime.date,
    description: str,
    village: AdminUnit | None = None,
    source: str = Case.Source.CAMPAIGN,
    households: int = 0,
    contacts: Iterable[tuple[str, str]] = (),
) -> Case:
    if received_on > today():
        raise DomainError(f"Ngày tiếp nhận {vn_date(received_on)} chưa tới.", field="received_on")
    if unit.level != Level.COMMUNE or not unit.is_valid_on(received_on):
        raise DomainError(
            f"Vụ việc phải gắn với một xã có hiệu lực vào ngày {vn_date(received_on)}.",
            field="unit",
        )
    if village is not None and unit.pk not in [
        v.unit_id for v in ancestors_on(village, received_on)
    ]:
        raise DomainError(
            f"{village} không thuộc {unit} vào ngày {vn_date(received_on)}.", field="village"
        )
    if not clean(description):
        raise DomainError("Cần ghi nội dung vụ việc.", field="description")
    if source not in Case.Source.values:
        raise DomainError(f"Nguồn không hợp lệ: «{source}».", field="source")
    if households < 0:
        raise DomainError("Số hộ không được âm.", field="households")

    case = Case.objects.create(
        kind=kind,
        unit=unit,
        village=village,
        handler=unit,
        received_on=received_on,
        source=source,
        description=_text(description),
        households=households,
        deadline=received_on + datetime.timedelta(days=kind.deadline_days),
    )
    for name, phone in contacts:
        if clean(name):
            CaseContact.objects.create(case=case, name=clean(name), phone=clean(phone))
    case_event(case, actor, "receive", "", note="", on=received_on)
    return case


@transaction.atomic
def case_advise(
    *,
    actor: Actor,
    case: Case,
    agencies: list[str],
    advice: str,
    on: datetime.date | None = None,
) -> Case:
    WORKFLOW.guard(case, "advise")
    if bad := [a for a in agencies if a not in AGENCIES]:
        raise DomainError(f"Cơ quan phối hợp không hợp lệ: {', '.join(bad)}.", field="agencies")
    if not clean(advice):
        raise DomainError("Cần ghi nội dung tham mưu.", field="advice")
    if not agencies:
        raise DomainError("Cần chọn ít nhất một cơ quan phối hợp.", field="agencies")
    day = _step_date(case, on)
    text = _text(advice)
    fields = {"agencies": sorted(set(agencies)), "advice": text}
    return WORKFLOW.move(case, "advise", actor=actor, fields=fields, note=text, on=day)


@transaction.atomic
def case_resolve(*, actor: Actor, case: Case, outcome: str, on: datetime.date) -> Case:
    WORKFLOW.guard(case, "resolve")
    if not clean(outcome):
        raise DomainError("Cần ghi kết quả giải quyết.", field="outcome")
    day = _step_date(case, on)
    text = _text(outcome)
    fields = {"outcome": text, "closed_on": day}
    return WORKFLOW.move(case, "resolve", actor=actor, fields=fields, note=text, on=day)


@transaction.atomic
def case_escalate(*, actor: Actor, case: Case, note: str, on: datetime.date) -> Case:
    """Send the case to the higher level's queue, with a fresh deadline."""
    WORKFLOW.guard(case, "escalate")
    on = _step_date(case, on)
    target = higher_unit(case.handler, on)
    deadline = on + datetime.timedelta(days=case.kind.deadline_days)
    note = f"Chuyển {target}: {_text(note)}".strip().rstrip(":")
    fields = {"handler": target, "deadline": deadline}
    case = WORKFLOW.move(case, "escalate", actor=actor, fields=fields, note=note, on=on)
    case_escalated_notify(actor=actor, case=case)
    return case


@transaction.atomic
def case_refer(*, actor: Actor, case: Case, referral: str, on: datetime.date) -> Case:
    WORKFLOW.guard(case, "refer")
    if not clean(referral):
        raise DomainError("Cần ghi nơi chuyển đến (cơ quan có thẩm quyền).", field="referral")
    day = _step_date(case, on)
    text = _text(referral)
    fields = {"outcome": text, "closed_on": day}
    return WORKFLOW.move(case, "refer", actor=actor, fields=fields, note=text, on=day)


@transaction.atomic
def case_pause(*, actor: Actor, case: Case, note: str, on: datetime.date | None = None) -> Case:
    WORKFLOW.guard(case, "pause")
    if not clean(note):
        raise DomainError("Cần ghi lý do tạm dừng.", field="note")
    return WORKFLOW.move(case, "pause", actor=actor, note=_text(note), on=_step_date(case, on))


@transaction.atomic
def aspiration_record(
    *,
    actor: Actor,
    village: AdminUnit,
    period_start: datetime.date,
    period_end: datetime.date,
    topic: str,
    households: int,
    summary: str,
    response: str = "",
) -> Aspiration:
    """Aggregated only: a topic and a count for a village and period, never names."""
    if village.level != Level.VILLAGE:
        raise DomainError("Tâm tư nguyện vọng ghi theo thôn, buôn.", field="village")
    if period_end < period_start:
        raise DomainError("Cuối kỳ phải từ đầu kỳ trở đi.", field="period_end")
    if households <= 0:
        raise DomainError("Số hộ, người nêu phải lớn hơn 0.", field="households")
    if not clean(topic) or not clean(summary):
        raise DomainError("Cần ghi chủ đề và tóm tắt.", field="topic")
    aspiration = Aspiration.objects.create(
        village=village,
        period_start=period_start,
        period_end=period_end,
        topic=clean(topic),
        households=households,
        summary=_text(summary),
        response=_text(response),
    )
    audit_log(
        actor=actor,
        action="cases.aspiration",
        target=aspiration,
        message=f"Ghi nguyện vọng «{aspiration.topic}» tại {village}",
    )
    return aspiration


@transaction.atomic
def inspection_plan(
    *, actor: Actor, team: Team, inspector: str, planned_on: datetime.date, content: str
) -> Inspection:
    if not clean(inspector) or not clean(content):
        raise DomainError("Cần ghi đoàn kiểm tra và nội dung.", field="content")
    if not team.is_active_on(planned_on):
        raise DomainError(
            f"{team} không hoạt động vào ngày {vn_date(planned_on)}.", field="planned_on"
        )
    inspection = Inspection.objects.create(
        team=team, inspector=clean(inspector), planned_on=planned_on, content=_text(content)
    )
    audit_log(
        actor=actor,
        action="cases.inspection_plan",
        target=inspection,
        message=f"Kế hoạch kiểm tra {team}",
    )
    return inspection


@transaction.atomic
def inspection_record(
    *,
    actor: Actor,
    inspection: Inspection,
    held_on: datetime.date,
    findings: str,
    rating: str,
    recommendations: str,
    follow_ups: Iterable[tuple[str, str, datetime.date]] = (),
) -> Inspection:
    if rating not in Inspection.Rating.values:
        raise DomainError(f"Xếp loại không hợp lệ: «{rating}».", field="rating")
    if inspection.held_on is not None:
        raise DomainError("Cuộc kiểm tra này đã có kết quả.")
    if held_on > today():
        raise DomainError(f"Ngày kiểm tra {vn_date(held_on)} chưa tới.", field="held_on")
    if not clean(findings):
        raise DomainError("Cần ghi kết quả kiểm tra.", field="findings")
    actions = [(a, o, d) for a, o, d in follow_ups if clean(a)]
    for action, owner, deadline in actions:
        if not clean(owner):
            raise DomainError(
                f"Cần ghi người thực hiện việc «{clean(action)}».", field="follow_ups"
            )
        if deadline < held_on:
            raise DomainError(
                f"Hạn của việc «{clean(action)}» ({vn_date(deadline)}) trước ngày kiểm tra.",
                field="follow_ups",
            )
    inspection.held_on, inspection.findings, inspection.rating = held_on, _text(findings), rating
    inspection.recommendations = _text(recommendations)
    inspection.save()
    for action, owner, deadline in actions:
        FollowUp.objects.create(
            inspection=inspection, action=clean(action), owner=clean(owner), deadline=deadline
        )
    audit_log(
        actor=actor,
        action="cases.inspection_record",
        target=inspection,
        message=f"Kết quả kiểm tra {inspection.team}: {inspection.get_rating_display()}",
    )
    return inspection


@transaction.atomic
def follow_up_done(*, actor: Actor, follow_up: FollowUp, on: datetime.date) -> FollowUp:
    if follow_up.done_on is not None:
        raise DomainError(
            f"Việc «{follow_up.action}» đã hoàn thành ngày {vn_date(follow_up.done_on)}."
        )
    held_on = follow_up.inspection.held_on
    if held_on is not None and on < held_on:
        raise DomainError(
            f"Ngày hoàn thành {vn_date(on)} trước ngày kiểm tra ({vn_date(held_on)}).", field="on"
        )
    if on > today():
        raise DomainError(f"Ngày hoàn thành {vn_date(on)} chưa tới.", field="on")
    follow_up.done_on = on
    follow_up.save(update_fields=["done_on"])
    audit_log(
        actor=actor,
        action="cases.follow_up_done",
        target=follow_up,
        message=f"Hoàn thành: {follow_up.action}",
    )
    return follow_up
