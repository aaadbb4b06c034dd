"""The Django admin, audited: every add, change and delete made there writes an audit entry
in the same transaction, like the app's services do (ADR 0015). The site wraps each
registered ModelAdmin in :class:`AuditedAdminMixin`, so no app has to remember it."""

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from gandan.core.audit import audit_log


def _describe(message: Any) -> str:
    if isinstance(message, list):
        parts = []
        for item in message:
            for verb, detail in item.items():
                fields = ", ".join(detail.get("fields", [])) if isinstance(detail, dict) else ""
                parts.append(f"{verb} {fields}".strip())
        return "; ".join(parts)
    return str(message or "")


class AuditedAdminMixin:
    def log_addition(self, request: HttpRequest, obj: models.Model, message: Any) -> Any:
        audit_log(
            actor=request.user,
            action="admin.add",
            message=f"Thêm trong trang quản trị: {obj._meta.verbose_name} «{obj}»",
            target=obj,
        )
        return super().log_addition(request, obj, message)  # type: ignore[misc]

    def log_change(self, request: HttpRequest, obj: models.Model, message: Any) -> Any:
        detail = _describe(message)
        audit_log(
            actor=request.user,
            action="admin.change",
            message=f"Sửa trong trang quản trị: {obj._meta.verbose_name} «{obj}»"
            + (f" ({detail})" if detail else ""),
            target=obj,
            data={"change": message if isinstance(message, list) else str(message)},
        )
        return super().log_change(request, obj, message)  # type: ignore[misc]

    def log_deletions(self, request: HttpRequest, queryset: Iterable[models.Model]) -> Any:
        objects = list(queryset)
        for obj in objects:
            audit_log(
                actor=request.user,
                action="admin.delete",
                message=f"Xóa trong trang quản trị: {obj._meta.verbose_name} «{obj}»",
                target=obj,
            )
        return super().log_deletions(request, objects)  # type: ignore[misc]


class AuditedAdminSite(admin.AdminSite):
    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        base = admin_class or admin.ModelAdmin
        audited = type(base.__name__, (AuditedAdminMixin, base), {"__module__": base.__module__})
        super().register(model_or_iterable, audited, **options)
