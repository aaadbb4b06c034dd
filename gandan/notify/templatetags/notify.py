"""The unread count in the top bar of every page."""

from django import template

from gandan.accounts.models import User
from gandan.accounts.types import AnyUser
from gandan.notify.selectors import unread_count

register = template.Library()


@register.simple_tag
def unread_notifications(user: AnyUser) -> int:
    if not isinstance(user, User) or not user.is_authenticated:
        return 0
    return unread_count(user)
