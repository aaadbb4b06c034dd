from django import template

from gandan.accounts.models import User
from gandan.accounts.types import AnyUser
from gandan.indicators.access import can_manage_catalogue

register = template.Library()


@register.filter
def manages_catalogue(user: AnyUser) -> bool:
    """Whether the catalogue pages are the user's to manage (the main menu shows them)."""
    return isinstance(user, User) and can_manage_catalogue(user)
