"""Writes for new-rural works and the contributions records make to them."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from gandan.accounts.types import Actor
from gandan.core.audit import audit_log
from gandan.core.errors import DomainError
from gandan.core.text import clean
from gandan.geo.models import AdminUnit
from gandan.work.models import (
    Activity,
    Work,
    WorkContribution,
)


@dataclass(frozen=True)
class WorkInput:
    name: str
    kind: str
    place: AdminUnit
    status: str = Work.Status.BUILDING
    started_on: datetime.date | None = None
    completed_on: datetime.date | None = None


def _work_fields(data: WorkInput) -> dict[str, Any]:
    name = clean(data.name)
    if not name:
        raise DomainError("Tên công trình không được để trống.", field="name")
    if data.kind not in Work.Kind.values:
        raise DomainError(f"Loại công trình không hợp lệ: «{data.kind}».", field="kind")
    if data.status not in Work.Status.values:
        raise DomainError(f"Tình trạng không hợp lệ: «{data.status}».", field="status")
    if data.started_on and data.completed_on and data.completed_on < data.started_on:
        raise DomainError("Ngày hoàn thành phải sau ngày khởi công.", field="completed_on")
    return {
        "name": name,
        "kind": data.kind,
        "place": data.place,
        "status": data.status,
        "started_on": data.started_on,
        "completed_on": data.completed_on,
    }


@transaction.atomic
def work_create(
    *,
    actor: Actor,
    name: str,
    kind: str,
    place: AdminUnit,
    status: str = Work.Status.BUILDING,
    started_on: datetime.date | None = None,
    completed_on: datetime.date | None = None,
) -> Work:
    data = WorkInput(
        name=name,
        kind=kind,
        place=place,
        status=status,
        started_on=started_on,
        completed_on=completed_on,
    )
    work = Work.objects.create(**_work_fields(data))
    audit_log(
        actor=actor,
        action="work.work_create",
        target=work,
        message=f"Thêm công trình {work} ({place})",
    )
    return work


@transaction.atomic
def work_update(*, actor: Actor, work: Work, data: WorkInput) -> Work:
    """Correct a work by the same rules as adding it; its contributions stay linked."""
    before = f"{work} ({work.place})"
    for name, value in _work_fields(data).items():
        setattr(work, name, value)
    work.save()
    audit_log(
        actor=actor,
        action="work.work_update",
        target=work,
        message=f"Sửa công trình {before} thành {work} ({work.place})",
    )
    return work


@transaction.atomic
def work_delete(*, actor: Actor, work: Work) -> None:
    """Delete a work. The contributions were counted through their activities, which keep
    their values: only the link saying what they built goes."""
    links = work.contributions.count()
    audit_log(
        actor=actor,
        action="work.work_delete",
        target=work,
        message=f"Xóa công trình {work} ({work.place}), bỏ {links} liên kết đóng góp",
    )
    work.delete()


@transaction.atomic
def work_link_contributions(*, actor: Actor, work: Work, activity: Activity) -> int:
    """Attribute an activity's new-rural values (money, land, labour-days, km) to a work.
    The values are counted once, through the activity; the link says what they built."""
    linked = 0
    for value in activity.values.filter(indicator__group="new_rural").exclude(
        contribution__isnull=False
    ):
        WorkContribution.objects.create(work=work, activity_value=value)
        linked += 1
    if linked:
        audit_log(
            actor=actor,
            action="work.contribution_link",
            target=work,
            message=f"Gắn {linked} khoản đóng góp của {activity} vào {work}",
        )
    return linked
