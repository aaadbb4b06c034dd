"""The field forms, generated from the catalogue and the activity types with pyxform.

One XLSForm per activity type is built in memory (the survey, choices and settings sheets
as rows) and converted to an XForm by pyxform: nothing is written by hand. The questions
mirror the web entry form: dates, commune → villages (cascading), teams, participants with
women and ethnic-minority breakdowns, movements, partners, the type's value indicators by
group, notes and photos. Labels are in Vietnamese (default) and English.

The **version** is a hash of what the questions are made of: the builder's schema number,
the activity type, its value indicators (code, names, unit, whole-number rule, group), the
movements and the partners. A catalogue change makes a new version. The choices of places
and teams are not part of it: they are the user's on the day the form is downloaded, and
a new day's choices change the form's MD5 hash, which is what tells Collect to fetch it
again. The villages go in a media file, ``villages.csv`` (``name,label,commune``), listed
in the manifest and filtered by the chosen commune.
"""

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_noop
from pyxform.xls2xform import convert

from gandan.indicators.models import Group, Indicator
from gandan.work.models import PARTNERS, ActivityType, Movement

FORM_SCHEMA = 1  # bump when the questions below change shape
FORM_PREFIX = "gandan_"
VILLAGES_CSV = "villages.csv"
VALUE_PREFIX = "v_"
LANGUAGES = (("vi", "Tiếng Việt (vi)"), ("en", "English (en)"))
MAX_PIXELS = 1600  # Collect shrinks photos to this before sending


@dataclass(frozen=True)
class Places:
    """The user's choices on the download day: (id, label) and (id, label, commune id)."""

    communes: list[tuple[int, str]]
    villages: list[tuple[int, str, int]]
    teams: list[tuple[int, str]]


@dataclass(frozen=True)
class FieldForm:
    form_id: str
    title: str
    version: str
    indicators: dict[str, str]  # code → unit
    xml: str

    @property
    def md5(self) -> str:
        return hashlib.md5(self.xml.encode(), usedforsecurity=False).hexdigest()


def form_id_of(activity_type: ActivityType) -> str:
    return FORM_PREFIX + activity_type.code


def type_code_of(form_id: str) -> str | None:
    return form_id.removeprefix(FORM_PREFIX) if form_id.startswith(FORM_PREFIX) else None


def villages_csv(places: Places) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "label", "commune"])
    writer.writerows(places.villages)
    return out.getvalue().encode()


def form_version(
    activity_type: ActivityType, indicators: list[Indicator], movements: list[Movement]
) -> str:
    """A short hash of everything the questions are made of, except the day's places."""
    content = [
        FORM_SCHEMA,
        [activity_type.code, activity_type.name],
        [[i.code, i.name_vi, i.name_en, i.unit, i.integer_only, i.group] for i in indicators],
        [[m.code, m.name] for m in movements],
        [code for code, _label in PARTNERS],
    ]
    digest = hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()
    return "v" + digest[:10]


def _label(text: str | Promise, column: str = "label") -> dict[str, str]:
    """A translatable text in each form language (Vietnamese is the msgid)."""
    out = {}
    for code, name in LANGUAGES:
        with translation.override(code):
            out[f"{column}::{name}"] = str(text) if isinstance(text, Promise) else gettext(text)
    return out


def _same(text: str, column: str = "label") -> dict[str, str]:
    """Data (a place's or a team's name): the same in every language."""
    return {f"{column}::{name}": text for _code, name in LANGUAGES}


def _indicator_label(indicator: Indicator) -> dict[str, str]:
    return {
        f"label::{LANGUAGES[0][1]}": f"{indicator.name_vi} ({indicator.unit})",
        f"label::{LANGUAGES[1][1]}": f"{indicator.name_en or indicator.name_vi} ({indicator.unit})",
    }


def _survey(
    places: Places, indicators: list[Indicator], movements: list[Movement]
) -> Iterator[dict[str, str]]:
    count = ". >= 0 and . <= ${participants}"
    yield {"type": "date", "name": "start", **_label(gettext_noop("Từ ngày")), "required": "yes",
           "default": "today()", "constraint": ". <= today()",
           **_label(gettext_noop("Ngày bắt đầu không được sau hôm nay."), "constraint_message")}  # fmt: skip
    yield {"type": "date", "name": "end", **_label(gettext_noop("Đến ngày (để trống nếu trong ngày)")),
           "constraint": ". >= ${start}",
           **_label(gettext_noop("Ngày kết thúc phải từ ngày bắt đầu trở đi."), "constraint_message")}  # fmt: skip
    yield {"type": "text", "name": "title", **_label(gettext_noop("Nội dung"))}
    yield {"type": "select_one communes", "name": "commune",
           **_label(gettext_noop("Xã, phường, thị trấn")), "required": "yes"}  # fmt: skip
    yield {"type": f"select_multiple_from_file {VILLAGES_CSV}", "name": "villages",
           **_label(gettext_noop("Thôn, buôn")), "choice_filter": "commune=${commune}"}  # fmt: skip
    if places.teams:
        yield {
            "type": "select_multiple teams",
            "name": "teams",
            **_label(gettext_noop("Đội, tổ công tác")),
        }
    yield {"type": "integer", "name": "participants", **_label(gettext_noop("Lượt người tham gia")),
           "required": "yes", "default": "0", "constraint": ". >= 0"}  # fmt: skip
    for name, label in (("participants_female", gettext_noop("Trong đó nữ")),
                        ("participants_minority", gettext_noop("Trong đó dân tộc thiểu số"))):  # fmt: skip
        yield {"type": "integer", "name": name, **_label(label), "constraint": count,
               **_label(gettext_noop("Số người phải từ 0 đến tổng số lượt người."), "constraint_message")}  # fmt: skip
    if movements:
        yield {"type": "select_multiple movements", "name": "movements",
               **_label(gettext_noop("Phục vụ phong trào, cuộc vận động"))}  # fmt: skip
    yield {
        "type": "select_multiple partners",
        "name": "partners",
        **_label(gettext_noop("Phối hợp với")),
    }
    groups = dict(Group.choices)
    current = None
    for indicator in indicators:
        if indicator.group != current:
            if current is not None:
                yield {"type": "end_group"}
            current = indicator.group
            yield {"type": "begin_group", "name": f"g_{current}",
                   **_label(groups.get(current, current))}  # fmt: skip
        yield {"type": "integer" if indicator.integer_only else "decimal",
               "name": VALUE_PREFIX + indicator.code, **_indicator_label(indicator),
               "constraint": ". >= 0", **_label(gettext_noop("Không được âm."), "constraint_message")}  # fmt: skip
    if current is not None:
        yield {"type": "end_group"}
    yield {
        "type": "text",
        "name": "notes",
        **_label(gettext_noop("Ghi chú")),
        "appearance": "multiline",
    }
    yield {"type": "begin_repeat", "name": "photos", **_label(gettext_noop("Ảnh"))}
    yield {"type": "image", "name": "photo", **_label(gettext_noop("Ảnh")),
           "parameters": f"max-pixels={MAX_PIXELS}"}  # fmt: skip
    yield {"type": "end_repeat"}


def _choices(places: Places, movements: list[Movement]) -> Iterator[dict[str, str]]:
    for pk, label in places.communes:
        yield {"list_name": "communes", "name": str(pk), **_same(label)}
    for pk, label in places.teams:
        yield {"list_name": "teams", "name": str(pk), **_same(label)}
    for movement in movements:
        yield {"list_name": "movements", "name": movement.code, **_same(movement.name)}
    for code, partner in PARTNERS:
        yield {"list_name": "partners", "name": code, **_label(partner)}


def build_form(
    activity_type: ActivityType,
    *,
    places: Places,
    indicators: list[Indicator],
    movements: list[Movement],
) -> FieldForm:
    """The XForm of one activity type for a user's places on a day (pyxform)."""
    version = form_version(activity_type, indicators, movements)
    title = f"Gần Dân · {activity_type.name}"
    workbook: dict[str, list[dict[str, str]]] = {
        "survey": list(_survey(places, indicators, movements)),
        "choices": list(_choices(places, movements)),
        "settings": [
            {
                "form_title": title,
                "form_id": form_id_of(activity_type),
                "version": version,
                "default_language": LANGUAGES[0][1],
                "instance_name": "concat(${start}, ' ', ${title})",
            }
        ],
    }
    result = convert(xlsform=workbook, form_name="data", warnings=[])
    return FieldForm(
        form_id=form_id_of(activity_type),
        title=title,
        version=version,
        indicators={i.code: i.unit for i in indicators},
        xml=result.xform,
    )
