"""Writes for field capture: device passwords, form versions and received submissions.

A submission is recorded by ``work.services.activity_create``, the service web entry uses,
with the same ``Checker``; photos go through ``work.attachments.attachment_add`` with its
content checks and size limit. Everything of one submission is written in one transaction,
or nothing is. The instance's ``instanceID`` is stored (unique): a repeat writes nothing.
"""

import dataclasses
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from gandan.accounts.models import User
from gandan.accounts.types import Actor
from gandan.core.audit import audit_log
from gandan.core.dates import today
from gandan.core.errors import DomainError
from gandan.core.text import clean
from gandan.field.access import secret_digest
from gandan.field.instance import Instance
from gandan.field.models import DevicePassword, FormVersion, Submission
from gandan.field.selectors import form_version_of, indicators_for
from gandan.field.xlsform import FieldForm, form_version
from gandan.indicators.models import Indicator
from gandan.work.attachments import attachment_add
from gandan.work.models import Activity, ActivityType, Attachment, Movement
from gandan.work.services import ActivityInput, activity_create

# No 0/o, 1/l/i: the password may be typed into Collect by hand. 20 of 31 signs ≈ 99 bits.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
SECRET_GROUPS, GROUP_SIZE = 5, 4


def _new_secret() -> str:
    signs = "".join(secrets.choice(_ALPHABET) for _ in range(SECRET_GROUPS * GROUP_SIZE))
    return "-".join(signs[i : i + GROUP_SIZE] for i in range(0, len(signs), GROUP_SIZE))


@transaction.atomic
def device_password_create(*, actor: User, label: str) -> tuple[DevicePassword, str]:
    """A new password for one phone of ``actor``. The secret is returned once, to be shown
    (and put in the settings QR code); only its hash is kept."""
    name = clean(label)
    if not name:
        raise DomainError(
            "Cần đặt tên cho máy (ví dụ: «Điện thoại Samsung của Y Săn»).", field="label"
        )
    if len(name) > 100:
        raise DomainError("Tên máy dài quá 100 ký tự.", field="label")
    if not actor.can_write:
        raise DomainError(
            "Vai trò của bạn chỉ được xem, không gửi bản ghi từ hiện trường.", field="label"
        )
    secret = _new_secret()
    device = DevicePassword.objects.create(user=actor, label=name, digest=secret_digest(secret))
    audit_log(
        actor=actor,
        action="field.device_password_create",
        target=device,
        message=f"Tạo mật khẩu thiết bị «{name}» cho {actor}",
    )
    return device, secret


@transaction.atomic
def device_password_revoke(*, actor: Actor, device: DevicePassword) -> DevicePassword:
    """Lock a phone out (lost, handed over). Records it already sent stay."""
    if device.revoked_at is not None:
        raise DomainError(f"Mật khẩu của máy «{device.label}» đã bị thu hồi.", field="device")
    device.revoked_at = timezone.now()
    device.save(update_fields=["revoked_at"])
    audit_log(
        actor=actor,
        action="field.device_password_revoke",
        target=device,
        message=f"Thu hồi mật khẩu thiết bị «{device.label}» của {device.user}",
    )
    return device


@transaction.atomic
def form_version_register(
    *, actor: Actor, activity_type: ActivityType, form: FieldForm
) -> FormVersion:
    """Remember what a version of a form asked for, the first time it is handed out."""
    version, created = FormVersion.objects.get_or_create(
        activity_type=activity_type,
        version=form.version,
        defaults={"indicators": form.indicators},
    )
    if created:
        audit_log(
            actor=actor,
            action="field.form_version_register",
            target=version,
            message=f"Phát hành biểu mẫu «{form.title}» phiên bản {form.version}",
            data={"indicators": form.indicators},
        )
    return version


def check_version(activity_type: ActivityType, instance: Instance) -> None:
    """The rule for older forms (ADR 0011): a submission of an older version is accepted
    while every indicator it carries a value for still exists, still takes values and is
    still counted in the same unit; otherwise it is refused, naming the indicator."""
    on = today()
    current = form_version(
        activity_type, indicators_for(activity_type, on), list(Movement.objects.all())
    )
    if instance.version == current:
        return
    known = form_version_of(activity_type, instance.version)
    if known is None:
        raise DomainError(
            f"Biểu mẫu phiên bản «{instance.version}» không do máy chủ này phát hành; "
            "hãy tải lại biểu mẫu trống rồi nhập lại.",
            field="version",
        )
    catalogue = {i.code: i for i in Indicator.objects.filter(code__in=list(instance.values))}
    for code in instance.values:
        indicator = catalogue.get(code)
        asked = known.indicators.get(code)
        if asked is None:
            raise DomainError(
                f"Chỉ tiêu «{code}» không có trong biểu mẫu phiên bản {instance.version}.",
                field=f"values.{code}",
            )
        if indicator is None or not indicator.takes_values:
            raise DomainError(
                f"Chỉ tiêu «{code}» của biểu mẫu phiên bản cũ {instance.version} không còn trong "
                "danh mục; hãy tải lại biểu mẫu trống rồi nhập lại.",
                field=f"values.{code}",
            )
        if indicator.unit != asked:
            raise DomainError(
                f"«{indicator.name_vi}» nay tính bằng «{indicator.unit}», biểu mẫu phiên bản cũ "
                f"{instance.version} hỏi bằng «{asked}»; hãy tải lại biểu mẫu trống rồi nhập lại.",
                field=f"values.{code}",
            )


@dataclass(frozen=True)
class Receipt:
    submission: Submission
    created: bool  # False: the instance had been received before; nothing new was recorded
    photos_added: int = 0


def _photos(
    *, actor: Actor, activity: Activity, instance: Instance, files: Mapping[str, UploadedFile]
) -> int:
    """Store the photos the instance names and the request carries, not stored yet (Collect
    may split a large submission into several requests, each with some of the files)."""
    stored = set(activity.attachments.values_list("original_name", flat=True))
    added = 0
    for name in instance.photos:
        upload = files.get(name)
        if upload is None or name in stored:
            continue
        attachment_add(actor=actor, activity=activity, upload=upload, kind=Attachment.Kind.PHOTO)
        stored.add(name)
        added += 1
    return added


@transaction.atomic
def submission_receive(
    *,
    actor: Actor,
    instance: Instance,
    data: ActivityInput,
    files: Mapping[str, UploadedFile],
    channel: str,
    device: DevicePassword | None = None,
) -> Receipt:
    """Record a field instance as an activity (with its photos) and remember its
    ``instanceID``. Refused with a DomainError (nothing written) by the version rule, the
    checker, or a photo that fails the attachment checks."""
    check_version(data.type, instance)
    activity = activity_create(
        actor=actor, data=dataclasses.replace(data, origin=Activity.Origin.FIELD)
    )
    photos = _photos(actor=actor, activity=activity, instance=instance, files=files)
    submission = Submission.objects.create(
        instance_id=instance.instance_id,
        activity=activity,
        user=actor,
        device=device,
        channel=channel,
        form_id=instance.form_id,
        form_version=instance.version,
    )
    audit_log(
        actor=actor,
        action="field.submission_receive",
        target=activity,
        message=f"Nhận từ hiện trường ({submission.get_channel_display()}): {activity}",
        data={
            "instance_id": instance.instance_id,
            "form": instance.form_id,
            "version": instance.version,
            "photos": photos,
        },
    )
    return Receipt(submission=submission, created=True, photos_added=photos)


@transaction.atomic
def submission_repeat(
    *, actor: Actor, submission: Submission, instance: Instance, files: Mapping[str, UploadedFile]
) -> Receipt:
    """A repeat of a received instance records nothing new, except photos of a split
    submission that had not arrived yet."""
    added = 0
    if submission.activity is not None and files:
        added = _photos(actor=actor, activity=submission.activity, instance=instance, files=files)
    return Receipt(submission=submission, created=False, photos_added=added)
