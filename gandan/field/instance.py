"""Reading a submitted instance (the XML that Collect or the browser sends).

The instance is untrusted input: it is parsed with defusedxml, every value is checked for
its shape here (dates, whole numbers, ids) and for the domain's rules by the same checker
as web entry. Element names are the question names of ``xlsform``; groups are looked
through, so a value may sit at any depth."""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from gandan.core.errors import DomainError
from gandan.core.text import ForbiddenCharacter, clean, plain_text
from gandan.field.xlsform import VALUE_PREFIX

MAX_INSTANCE_BYTES = 1024 * 1024
_INSTANCE_ID = re.compile(r"[A-Za-z0-9:._-]{1,100}")


@dataclass(frozen=True)
class Instance:
    form_id: str
    version: str
    instance_id: str
    start: datetime.date
    end: datetime.date
    commune: str
    villages: list[str] = field(default_factory=list)
    teams: list[str] = field(default_factory=list)
    movements: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    participants: int = 0
    female: int | None = None
    minority: int | None = None
    title: str = ""
    notes: str = ""
    values: dict[str, Decimal] = field(default_factory=dict)
    photos: list[str] = field(default_factory=list)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _leaves(element: Element) -> dict[str, str]:
    """Leaf name → text for every question outside the photo repeat."""
    out: dict[str, str] = {}
    for child in element:
        name = _local(child.tag)
        if name == "photos":
            continue
        if len(child):
            out.update(_leaves(child))
        else:
            out[name] = (child.text or "").strip()
    return out


def _date(raw: str, label: str, name: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(raw[:10])
    except ValueError:
        raise DomainError(f"{label} «{raw}» không phải là ngày.", field=name) from None


def _count(raw: str, label: str, name: str) -> int | None:
    if raw == "":
        return None
    if not re.fullmatch(r"\d{1,9}", raw):
        raise DomainError(f"{label} «{raw}» phải là số nguyên không âm.", field=name)
    return int(raw)


def _text(raw: str, label: str, name: str, *, multiline: bool = False) -> str:
    """Free text, refused if it holds a control character or a bidi override (issue 13:
    XML keeps out most C0 characters, but not DEL, the C1 controls or U+202E)."""
    try:
        return plain_text(raw, label=label, multiline=multiline)
    except ForbiddenCharacter as error:
        raise DomainError(error.message, field=name) from None


def _decimal(raw: str, name: str) -> Decimal:
    """An XForm decimal (xsd:decimal, "2.5"): written by the form, not typed as text, so a
    point is a decimal point here, unlike in what a person types (``core.numbers``)."""
    if not re.fullmatch(r"-?\d{1,17}(\.\d+)?", raw):
        raise DomainError(
            f"«{raw}» không phải là số.", field=f"values.{name.removeprefix(VALUE_PREFIX)}"
        )
    return Decimal(raw)


def parse_instance(xml: bytes) -> Instance:
    """The instance's fields, or a DomainError naming the field that is malformed."""
    if len(xml) > MAX_INSTANCE_BYTES:
        raise DomainError("Bản ghi quá lớn.", field="xml_submission_file")
    try:
        root = ElementTree.fromstring(xml)
    except (ElementTree.ParseError, DefusedXmlException):
        raise DomainError(
            "Tệp bản ghi (xml_submission_file) không phải XML hợp lệ.",
            field="xml_submission_file",
        ) from None
    leaves = _leaves(root)
    instance_id = leaves.get("instanceID", "") or root.get("instanceID", "")
    if not _INSTANCE_ID.fullmatch(instance_id):
        raise DomainError("Bản ghi thiếu mã instanceID hợp lệ.", field="instanceID")
    if not leaves.get("start"):
        raise DomainError("Chưa có ngày bắt đầu.", field="start")
    start = _date(leaves["start"], "Ngày bắt đầu", "start")
    end = _date(leaves["end"], "Ngày kết thúc", "end") if leaves.get("end") else start
    photos = [
        (photo.text or "").strip()
        for repeat in root.iter()
        if _local(repeat.tag) == "photos"
        for photo in repeat
        if _local(photo.tag) == "photo" and (photo.text or "").strip()
    ]
    return Instance(
        form_id=root.get("id", ""),
        version=root.get("version", ""),
        instance_id=instance_id,
        start=start,
        end=end,
        commune=leaves.get("commune", ""),
        villages=leaves.get("villages", "").split(),
        teams=leaves.get("teams", "").split(),
        movements=leaves.get("movements", "").split(),
        partners=leaves.get("partners", "").split(),
        participants=_count(leaves.get("participants", ""), "Lượt người tham gia", "participants")
        or 0,
        female=_count(leaves.get("participants_female", ""), "Số người nữ", "participants"),
        minority=_count(
            leaves.get("participants_minority", ""), "Số người dân tộc thiểu số", "participants"
        ),
        title=clean(_text(leaves.get("title", ""), "Nội dung", "title")),
        notes=_text(leaves.get("notes", ""), "Ghi chú", "notes", multiline=True),
        values={
            name.removeprefix(VALUE_PREFIX): _decimal(raw, name)
            for name, raw in leaves.items()
            if name.startswith(VALUE_PREFIX) and raw != ""
        },
        photos=photos,
    )
