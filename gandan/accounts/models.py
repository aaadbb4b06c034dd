from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from gandan.geo.models import AdminUnit


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị")
    CLERK = "clerk", _("Cán bộ nhập liệu")
    LEADER = "leader", _("Lãnh đạo (chỉ xem)")


class User(AbstractUser):
    """A staff user of one unit. What they may see is that unit's jurisdiction through time."""

    full_name = models.CharField(_("họ và tên"), max_length=200, blank=True)
    unit = models.ForeignKey(
        AdminUnit,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices, default=Role.LEADER)

    class Meta:
        ordering = ["username"]
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def can_write(self) -> bool:
        return self.is_superuser or self.role in {Role.ADMIN, Role.CLERK}


class UserSession(models.Model):
    """A signed-in session of a user, so that they can see where they are signed in and sign
    out of the others. Django's session table is not indexed by user; this is."""

    user = models.ForeignKey(
        User, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="sessions"
    )
    session_key = models.CharField(_("khóa phiên"), max_length=40, unique=True)
    started_at = models.DateTimeField(_("đăng nhập lúc"))
    seen_at = models.DateTimeField(_("hoạt động gần nhất"))
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    user_agent = models.CharField(_("trình duyệt"), max_length=255, blank=True)
    ended_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-seen_at", "-id"]
        verbose_name = _("phiên đăng nhập")
        verbose_name_plural = _("phiên đăng nhập")

    def __str__(self) -> str:
        return f"{self.user} {self.started_at:%Y-%m-%d %H:%M}"
