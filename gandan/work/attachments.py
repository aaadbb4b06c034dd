"""Attachments of activities: photos and minutes, checked by content, not by name alone."""

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from gandan.accounts.types import Actor
from gandan.core.audit import audit_log
from gandan.core.errors import DomainError
from gandan.core.numbers import format_number
from gandan.work.models import Activity, Attachment

MAX_BYTES = 10 * 1024 * 1024
# extension → (content type, leading bytes that the content must start with)
ALLOWED = {
    "jpg": ("image/jpeg", b"\xff\xd8\xff"),
    "jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    "png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    "pdf": ("application/pdf", b"%PDF-"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        b"PK\x03\x04",
    ),
}


@transaction.atomic
def attachment_add(
    *, actor: Actor, activity: Activity, upload: UploadedFile, kind: str
) -> Attachment:
    """Store an upload of an allowed type (jpg, png, pdf, docx) up to 10 MB."""
    if kind not in Attachment.Kind.values:
        raise DomainError(f"Loại tệp đính kèm không hợp lệ: «{kind}».", field="kind")
    name = upload.name or "tep"
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED:
        raise DomainError(
            f"Tệp «{name}» không được nhận: chỉ nhận ảnh JPG, PNG, tài liệu PDF hoặc Word (DOCX).",
            field="file",
        )
    size = upload.size or 0
    if size > MAX_BYTES:
        raise DomainError(
            f"Tệp «{name}» nặng {format_number(size // 1024)} KB, quá giới hạn {MAX_BYTES // 1024 // 1024} MB.",
            field="file",
        )
    content_type, magic = ALLOWED[extension]
    upload.seek(0)
    head = upload.read(len(magic))
    upload.seek(0)
    if head != magic:
        raise DomainError(
            f"Nội dung tệp «{name}» không đúng định dạng {extension.upper()}.", field="file"
        )
    attachment = Attachment.objects.create(
        activity=activity,
        kind=kind,
        file=upload,
        original_name=name,
        content_type=content_type,
        size=size,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_log(
        actor=actor,
        action="work.attachment_add",
        target=attachment,
        message=f"Đính kèm «{name}» vào {activity}",
    )
    return attachment
