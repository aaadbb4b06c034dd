"""Who may manage the indicator catalogue, and the only way a page or the API reaches an
indicator to change it."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404

from gandan.accounts.models import Role, User
from gandan.geo.models import Level
from gandan.indicators.models import Indicator


def can_manage_catalogue(user: User) -> bool:
    """The catalogue is the province's: its figures, templates and reports all read it. Only
    an administrator of the province (``settings.GANDAN_PROVINCE``) changes it."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    unit = user.unit
    return bool(
        user.role == Role.ADMIN
        and unit is not None
        and unit.level == Level.PROVINCE
        and unit.code == settings.GANDAN_PROVINCE
    )


def require_catalogue_admin(user: User) -> None:
    """403 for everyone else: the catalogue is no secret (forms and the API list it), but
    only the province's administrators manage it."""
    if not can_manage_catalogue(user):
        raise PermissionDenied("Chỉ quản trị viên cấp tỉnh được quản lý danh mục chỉ tiêu.")


def access_indicator(user: User, indicator_id: int | str) -> Indicator:
    """An indicator to manage: 403 for anyone but a province administrator, then 404 for
    one that does not exist."""
    require_catalogue_admin(user)
    try:
        pk = int(indicator_id)
    except (TypeError, ValueError):
        raise Http404("Không tìm thấy chỉ tiêu.") from None
    indicator = Indicator.objects.filter(pk=pk).first()
    if indicator is None:
        raise Http404("Không tìm thấy chỉ tiêu.")
    return indicator
