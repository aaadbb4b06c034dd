"""Writes for teams, members, memberships, assignments and awards (a package since it
outgrew one file): teams (``teams``), the person's record (``members``), memberships and
assignments over time (``memberships``), awards (``awards``). Each write is audited.
Callers import from here."""

from gandan.org.services.awards import award_create
from gandan.org.services.members import member_create, member_update
from gandan.org.services.memberships import (
    assignment_create,
    member_transfer,
    membership_end,
    membership_start,
)
from gandan.org.services.teams import team_create, team_dissolve

__all__ = [
    "assignment_create",
    "award_create",
    "member_create",
    "member_transfer",
    "member_update",
    "membership_end",
    "membership_start",
    "team_create",
    "team_dissolve",
]
