"""The team page's inspection history, without the org app knowing about cases.

Imports run one way (``org`` ← ``cases``), so ``org.views`` cannot ask ``cases`` for data.
The team template includes ``cases/partials/team_inspections.html``, whose tag reads the
history through the selector: the org app stays unaware of cases in Python, and the
section lives (and is tested) with the cases app.
"""

from django import template
from django.db.models import QuerySet

from gandan.cases.models import Inspection
from gandan.cases.selectors import team_inspections as team_inspections_selector
from gandan.org.models import Team

register = template.Library()


@register.simple_tag
def team_inspections(team: Team) -> QuerySet[Inspection]:
    """The inspections of a team the page already reached through ``org.access``."""
    return team_inspections_selector(team.pk)
