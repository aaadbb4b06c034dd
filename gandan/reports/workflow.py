"""The report workflow as one table (``core.transitions``, ADR 0014): Nháp → Đã gửi →
Bị trả lại / Đã duyệt, and back from Đã duyệt to Bị trả lại when a higher level re-opens it.
The services take the steps; ``access.allowed_actions`` lists them from the same table."""

from gandan.accounts.types import Actor
from gandan.core.audit import audit_log
from gandan.core.transitions import Transition, Workflow, transition
from gandan.reports.models import Report, ReportEvent

Status = Report.Status
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})
REVIEW = frozenset({"return", "approve", "unapprove"})  # a higher level's steps


def report_event(report: Report, actor: Actor, action: str, before: str, comment: str = "") -> None:
    """The event row and the audit entry of a step (and of the report's creation)."""
    ReportEvent.objects.create(
        report=report,
        action=action,
        from_status=before,
        to_status=report.status,
        actor=actor if getattr(actor, "pk", None) else None,
        comment=comment,
    )
    words = f": {comment}" if comment else ""
    audit_log(
        actor=actor,
        action=f"reports.{action}",
        target=report,
        message=f"{VERBS[action].capitalize()} {report}{words}",
    )


def _record(report: Report, actor: Actor, step: Transition, before: str, comment: str = "") -> None:
    report_event(report, actor, step.action, before, comment)


def _refused(report: Report, step: Transition) -> str:
    status = report.get_status_display()
    return f"Không thể {step.verb} báo cáo đang ở trạng thái «{status}»."


WORKFLOW = Workflow(
    Report,
    [
        transition("submit", EDITABLE, Status.SUBMITTED, "gửi"),
        transition("return", {Status.SUBMITTED}, Status.RETURNED, "trả lại"),
        transition("approve", {Status.SUBMITTED}, Status.APPROVED, "duyệt"),
        transition("unapprove", {Status.APPROVED}, Status.RETURNED, "hủy duyệt"),
    ],
    record=_record,
    refused=_refused,
    busy="Báo cáo vừa được người khác thay đổi trạng thái; hãy tải lại trang.",
)
VERBS = {step.action: step.verb for step in WORKFLOW} | {"create": "tạo"}
