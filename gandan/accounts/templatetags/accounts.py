from django import template

from gandan.accounts.access import manages_accounts as _manages_accounts
from gandan.accounts.models import User
from gandan.accounts.types import AnyUser

register = template.Library()


@register.filter
def manages_accounts(user: AnyUser) -> bool:
    """Whether the account and audit pages are the user's (the main menu shows them)."""
    return isinstance(user, User) and _manages_accounts(user)
