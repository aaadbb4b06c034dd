"""Reads: a user's inbox, unread count and choices, and the users responsible for a unit
(whom the reports and cases services notify)."""

from collections.abc import Iterable

from django.db.models import QuerySet

from gandan.accounts.jurisdiction import jurisdictions_prime
from gandan.accounts.models import Role, User
from gandan.geo.selectors import successor_ids
from gandan.notify.models import Notification, Preference

WRITERS = (Role.ADMIN, Role.CLERK)


def inbox(user: User) -> QuerySet[Notification]:
    """The user's own notifications shown in the app, newest first."""
    return Notification.objects.filter(user=user, shown=True)


def unread_count(user: User) -> int:
    return inbox(user).filter(read_at__isnull=True).count()


def preference_of(user: User) -> Preference:
    """The user's saved choices, or the defaults (not saved)."""
    saved = Preference.objects.filter(user=user).first()
    return saved or Preference(user=user)


def unit_users(unit_ids: Iterable[int], *, writers: bool = True) -> list[User]:
    """Active users whose own unit is one of these, or a unit these flowed into (a 2025
    commune's clerk answers for the legacy communes merged into it). ``writers``: clerks
    and administrators only, the people who act. Callers still check each user's
    jurisdiction on the object's date."""
    ids = set(unit_ids)
    users = User.objects.filter(is_active=True, unit_id__in=ids | successor_ids(ids))
    if writers:
        users = users.filter(role__in=WRITERS)
    found = list(users.select_related("unit").order_by("id"))
    jurisdictions_prime(found)  # callers check each one's jurisdiction: once per unit
    return found
