"""Reads for field capture: a user's places on a day, the forms generated for them, the
device passwords, and what was already received."""

import datetime
import hashlib
import json

from django.core.cache import cache

from gandan.accounts.access import visible_unit_ids
from gandan.accounts.models import User
from gandan.field.models import DevicePassword, FormVersion, Submission
from gandan.field.xlsform import FieldForm, Places, build_form, form_id_of, type_code_of
from gandan.geo.models import Level
from gandan.geo.selectors import versions_on
from gandan.indicators.models import Indicator
from gandan.work import selectors as work_selectors
from gandan.work.models import ActivityType, Movement

FORM_CACHE_SECONDS = 6 * 3600


def places_for(user: User, on: datetime.date) -> Places:
    """Communes, their villages and the teams of the user's jurisdiction on ``on``."""
    ids = visible_unit_ids(user, on)
    communes = work_selectors.commune_options(on, ids)
    commune_ids = {pk for pk, _label in communes}
    villages = versions_on(on).filter(unit__level=Level.VILLAGE, parent_id__in=commune_ids)
    if ids is not None:
        villages = villages.filter(unit_id__in=ids)
    return Places(
        communes=communes,
        villages=[
            (v.unit_id, v.full_name, v.parent_id or 0)
            for v in villages.order_by("parent_id", "sort_key", "unit_id")
        ],
        teams=work_selectors.team_options(None, on, ids) if communes else [],
    )


def indicators_for(activity_type: ActivityType, on: datetime.date) -> list[Indicator]:
    """The value indicators a record of this type carries, in force on ``on``."""
    return [
        i
        for i in work_selectors.value_indicators()
        if (not i.activity_types or activity_type.code in i.activity_types)
        and (i.active_from is None or i.active_from <= on)
        and (i.active_to is None or on < i.active_to)
    ]


def field_form(activity_type: ActivityType, places: Places, on: datetime.date) -> FieldForm:
    """The form of one type for these places, cached by everything that goes into it."""
    indicators = indicators_for(activity_type, on)
    movements = list(Movement.objects.all())
    key_source = [
        activity_type.pk,
        activity_type.name,
        [[i.code, i.name_vi, i.name_en, i.unit, i.integer_only, i.group] for i in indicators],
        [[m.code, m.name] for m in movements],
        [places.communes, places.villages, places.teams],
    ]
    key = "field-form:" + hashlib.sha256(json.dumps(key_source).encode()).hexdigest()
    form: FieldForm | None = cache.get(key)
    if form is None:
        form = build_form(activity_type, places=places, indicators=indicators, movements=movements)
        cache.set(key, form, FORM_CACHE_SECONDS)
    return form


def field_forms(user: User, on: datetime.date) -> list[FieldForm]:
    """One form per activity type; none for a user without a commune that day."""
    places = places_for(user, on)
    if not places.communes:
        return []
    return [field_form(t, places, on) for t in ActivityType.objects.all()]


def field_form_by_id(user: User, form_id: str, on: datetime.date) -> FieldForm | None:
    code = type_code_of(form_id)
    activity_type = ActivityType.objects.filter(code=code).first() if code else None
    if activity_type is None or form_id != form_id_of(activity_type):
        return None
    places = places_for(user, on)
    return field_form(activity_type, places, on) if places.communes else None


def form_version_of(activity_type: ActivityType, version: str) -> FormVersion | None:
    return FormVersion.objects.filter(activity_type=activity_type, version=version).first()


def form_versions_known(pairs: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which (form id, version) pairs are already registered."""
    versions = {v for _f, v in pairs}
    return {
        (form_id_of(row.activity_type), row.version)
        for row in FormVersion.objects.filter(version__in=versions).select_related("activity_type")
    }


def device_passwords(user: User) -> list[DevicePassword]:
    return list(DevicePassword.objects.filter(user=user))


def submission_of(instance_id: str) -> Submission | None:
    return Submission.objects.select_related("activity").filter(instance_id=instance_id).first()


def submissions_recent(user: User, limit: int = 20) -> list[Submission]:
    return list(
        Submission.objects.filter(user=user)
        .select_related("activity", "activity__type", "activity__unit", "device")
        .order_by("-received_at", "-id")[:limit]
    )
