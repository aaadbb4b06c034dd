"""The roster in Excel: one row is one membership period of one person.

Import is all-or-nothing and idempotent. Every row is parsed and checked against the rest of
the file and the database first; one bad row rejects the whole file and nothing is written.
A good file is applied in one transaction through ``gandan.org.services``, so every write is
audited, and rows already on record are skipped ("không thay đổi"). Export writes the same
layout, so exporting and importing back changes nothing.

"Đến ngày" is the last working day, as officials write it; it is stored as the day after
(half-open periods, see ``gandan.org.models``).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from gandan.accounts.jurisdiction import Jurisdiction, jurisdiction_for
from gandan.accounts.types import Actor
from gandan.core.audit import audit_log
from gandan.core.dates import vn_date
from gandan.core.errors import DomainError
from gandan.core.text import fold
from gandan.core.xlsx import RowError, cell_text
from gandan.geo.models import AdminUnit
from gandan.geo.selectors import unit_by_code
from gandan.org import services
from gandan.org.access import can_see_ethnicity, visible_members
from gandan.org.excel_sheet import (
    BIRTH,
    COLUMNS,
    END,
    ETHNIC,
    GENDER,
    ID,
    LANGS,
    LEVEL,
    NAME,
    PERSON,
    PHONE,
    POSITION,
    START,
    TEAM,
    UNIT,
    Cells,
    label,
    read_rows,
    write_workbook,
)
from gandan.org.models import Member, Membership, Team
from gandan.org.selectors import roster_on, teams_on

DAY = datetime.timedelta(days=1)
STATUS = {"created": "thêm mới", "updated": "cập nhật", "unchanged": "không thay đổi"}


@dataclass(frozen=True)
class RowOutcome:
    line: int
    status: str  # a key of STATUS
    summary: str

    def __str__(self) -> str:
        return f"Dòng {self.line}: {STATUS[self.status]} — {self.summary}"


@dataclass
class ImportResult:
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)
    rows: list[RowOutcome] = field(default_factory=list)
    members_created: int = 0
    members_updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def created(self) -> int:
        return self.count("created")

    @property
    def updated(self) -> int:
        return self.count("updated")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    def report(self) -> list[str]:
        return [str(line) for line in (self.errors or self.rows)]


@dataclass
class _Row:
    line: int
    identifier: str
    person: dict[str, Any]  # None: the cell was blank ("giữ như đã có")
    shown: dict[str, str]
    team: Team
    position: str
    start: datetime.date
    end: datetime.date | None  # stored, exclusive
    existing: Membership | None = None

    def describe(self) -> str:
        until = f" đến {vn_date(self.end - DAY)}" if self.end else ""
        return (
            f"{self.person[NAME]} — {self.team} ({self.team.unit}) từ {vn_date(self.start)}{until}"
        )


class _Rollback(Exception):
    """Leave the import transaction without writing (rejected file or dry run)."""


def _member_fields(member: Member, person: dict[str, Any]) -> dict[str, Any]:
    """The member's fields once a row is applied: blank cells keep what is on record."""

    def pick(column: str, current: Any) -> Any:
        return current if person.get(column) is None else person[column]

    return {
        "full_name": pick(NAME, member.full_name),
        "gender": pick(GENDER, member.gender),
        "birth_year": pick(BIRTH, member.birth_year),
        "ethnicity": pick(ETHNIC, member.ethnicity),
        "languages": list(pick(LANGS, tuple(member.languages))),
        "phone": pick(PHONE, member.phone),
    }


class _Importer:
    def __init__(self, actor: Actor, result: ImportResult) -> None:
        self.actor, self.result, self.line = actor, result, 0
        self.scope = Jurisdiction(everything=True) if actor is None else jurisdiction_for(actor)
        self.sees_ethnicity = actor is None or can_see_ethnicity(actor)
        self.rows: list[_Row] = []
        self.by_person: dict[str, list[_Row]] = defaultdict(list)
        self.members: dict[str, Member] = {}
        self.bounds: dict[str, tuple[set[datetime.date], set[datetime.date | None]]] = {}
        self.units: dict[tuple[str, datetime.date], AdminUnit | None] = {}
        self.teams: dict[int, list[Team]] = {}

    def error(self, row: _Row, column: str, message: str) -> None:
        self.result.errors.append(RowError(row.line, column, message))

    def parse(self, line: int, values: dict[str, object]) -> None:
        cells = Cells(line, values)
        identifier = cells.text(ID, max_length=32).upper()
        person = {
            NAME: cells.text(NAME),
            GENDER: cells.choice(GENDER),
            BIRTH: cells.birth_year(),
            ETHNIC: cells.choice(ETHNIC),
            LANGS: cells.languages(),
            PHONE: cells.text(PHONE, max_length=32) or None,
        }
        position, level = cells.choice(POSITION), cells.choice(LEVEL)
        start, last = cells.date(START), cells.date(END)
        if start and last and last < start:
            cells.error(
                END, f"ngày làm việc cuối {vn_date(last)} trước ngày bắt đầu {vn_date(start)}."
            )
        team = self._team(cells, start, level) if start else None
        end = last + DAY if last else None
        if team is not None and team.dissolved_on is not None:
            if end is None:
                end = team.dissolved_on
            elif end > team.dissolved_on:
                cells.error(
                    END,
                    f"{team} giải thể từ {vn_date(team.dissolved_on)}; ngày làm việc cuối chậm nhất là {vn_date(team.dissolved_on - DAY)}.",
                )
        self.result.errors += cells.errors
        if not cells.errors and team and start and position:
            shown = {column: cell_text(values.get(column)) for column in COLUMNS}
            self.rows.append(_Row(line, identifier, person, shown, team, position, start, end))

    def _team(self, cells: Cells, start: datetime.date, level: str | None) -> Team | None:
        code, name = cells.text(UNIT, max_length=16), cells.text(TEAM)
        if not code:
            return None
        if (code, start) not in self.units:
            try:
                self.units[code, start] = unit_by_code(code, on=start)
            except AdminUnit.DoesNotExist:
                self.units[code, start] = None
        unit = self.units[code, start]
        if unit is None:
            cells.error(UNIT, f"không có đơn vị mã «{code}» vào ngày {vn_date(start)}.")
            return None
        if not self.scope.covers(unit.pk, start):
            cells.error(
                UNIT, f"{unit} (mã {code}) không thuộc địa bàn của bạn vào ngày {vn_date(start)}."
            )
            return None
        if not name:
            return None
        if unit.pk not in self.teams:
            self.teams[unit.pk] = list(Team.objects.filter(unit=unit).select_related("unit"))
        named = [team for team in self.teams[unit.pk] if team.search_name == fold(name)]
        active = [team for team in named if team.is_active_on(start)]
        if not named:
            cells.error(TEAM, f"{unit} không có đội «{name}».")
        elif not active:
            cells.error(TEAM, f"đội «{name}» của {unit} không hoạt động vào ngày {vn_date(start)}.")
        elif len(active) > 1:
            cells.error(
                TEAM,
                f"{unit} có {len(active)} đội tên «{name}» cùng hoạt động; hãy đặt tên khác nhau.",
            )
        elif level and active[0].level != level:
            cells.error(LEVEL, f"{active[0]} là đội {active[0].get_level_display().lower()}.")
        else:
            return active[0]
        return None

    def check(self) -> None:
        """Checks across rows and against the records: people, then their periods."""
        seen: dict[tuple[str, ...], int] = {}
        for row in self.rows:
            key = tuple(row.shown.values())
            if key in seen:
                self.error(row, ID, f"dòng này trùng hoàn toàn với dòng {seen[key]}.")
            else:
                seen[key] = row.line
                self.by_person[row.identifier].append(row)
        ids = list(self.by_person)
        self.members = {m.identifier: m for m in Member.objects.filter(identifier__in=ids)}
        visible = set(self.members)
        if self.actor is not None:
            mine = visible_members(self.actor).filter(identifier__in=ids)
            visible = set(mine.values_list("identifier", flat=True))
        existing: dict[int, list[Membership]] = defaultdict(list)
        for held in Membership.objects.filter(member__in=self.members.values()).select_related(
            "team__unit"
        ):
            existing[held.member_id].append(held)
        for identifier, rows in self.by_person.items():
            self._merge_person(identifier, rows)
            member = self.members.get(identifier)
            if member is not None and identifier not in visible:
                self.error(
                    rows[0],
                    ID,
                    f"mã cán bộ «{identifier}» đã dùng cho một người ngoài địa bàn của bạn.",
                )
                continue
            if member is None and rows[0].person[ETHNIC] is None:
                self.error(
                    rows[0], ETHNIC, "bắt buộc với người mới (mã cán bộ chưa có trong hệ thống)."
                )
            if member is not None and rows[0].person[ETHNIC] and not self.sees_ethnicity:
                # Comparing with the record would tell the user what it holds.
                self.error(
                    rows[0],
                    ETHNIC,
                    "bạn không được xem nên không sửa được dân tộc của người đã có; để trống ô này.",
                )
            self._check_periods(identifier, rows, existing[member.pk] if member else [])

    def _merge_person(self, identifier: str, rows: list[_Row]) -> None:
        """One person, one set of details; a blank cell takes the value from another row."""
        person, origin = dict(rows[0].person), dict.fromkeys(PERSON, rows[0])
        for row in rows[1:]:
            for column in PERSON:
                if person[column] is None:
                    person[column], origin[column] = row.person[column], row
                elif row.person[column] is not None and row.person[column] != person[column]:
                    first = origin[column]
                    self.error(
                        row,
                        column,
                        f"mã cán bộ «{identifier}» ở dòng {first.line} ghi «{first.shown[column]}», dòng này ghi «{row.shown[column]}»; mỗi người chỉ có một {column.lower()}.",
                    )
        for row in rows:
            row.person = person

    def _check_periods(self, identifier: str, rows: list[_Row], held: list[Membership]) -> None:
        by_slot = {(m.team_id, m.start): m for m in held}
        for row in rows:
            found = by_slot.pop((row.team.pk, row.start), None)
            row.existing = found
            if found is None:
                continue
            if found.position != row.position:
                self.error(
                    row,
                    POSITION,
                    f"thời gian công tác này đã có với chức vụ «{found.get_position_display()}»; sửa chức vụ trên trang thành viên.",
                )
            if found.end is not None and (row.end is None or row.end > found.end):
                self.error(
                    row,
                    END,
                    f"thời gian công tác này đã kết thúc, ngày làm việc cuối {vn_date(found.end - DAY)}; không kéo dài được bằng Excel.",
                )
        periods: list[tuple[datetime.date, datetime.date | None, _Row | Membership]] = [
            (row.start, row.end, row) for row in rows
        ] + [(m.start, m.end, m) for m in by_slot.values()]
        periods.sort(key=lambda period: period[0])
        clashing: set[int] = set()
        for index, (_start, end, first) in enumerate(periods):
            for later_start, _end, later in periods[index + 1 :]:
                if end is not None and later_start >= end:
                    break
                culprit, other = (later, first) if isinstance(later, _Row) else (first, later)
                if isinstance(culprit, _Row):
                    clashing.add(culprit.line)
                    self.error(
                        culprit,
                        START,
                        f"trùng thời gian với {self._where(other)}; một người không thể ở hai đội cùng lúc.",
                    )
        self.bounds[identifier] = ({p[0] for p in periods}, {p[1] for p in periods})

    def _where(self, other: "_Row | Membership") -> str:
        if isinstance(other, _Row):
            return f"dòng {other.line} ({other.team} từ {vn_date(other.start)})"
        team = other.team if self.scope.covers(other.team.unit_id) else "một đội ngoài địa bàn"
        until = f" đến {vn_date(other.end - DAY)}" if other.end else ""
        return f"thời gian công tác đã có ở {team} từ {vn_date(other.start)}{until}"

    def apply(self) -> None:
        for identifier, rows in self.by_person.items():
            self.line = rows[0].line
            person, member = rows[0].person, self.members.get(identifier)
            touched = False
            if member is None:
                member = services.member_create(
                    actor=self.actor,
                    identifier=identifier,
                    **_member_fields(Member(languages=[], phone=""), person),
                )
                self.result.members_created += 1
            elif (wanted := _member_fields(member, person)) != _member_fields(member, {}):
                services.member_update(
                    actor=self.actor, member=member, email=member.email, **wanted
                )
                self.result.members_updated += 1
                touched = True
            starts, ends = self.bounds[identifier]
            for index, row in enumerate(sorted(rows, key=lambda r: r.start)):
                self.line = row.line
                status = "updated" if touched and index == 0 else "unchanged"
                membership = row.existing
                if membership is None:
                    reason = Membership.StartReason
                    membership = services.membership_start(
                        actor=self.actor,
                        member=member,
                        team=row.team,
                        start=row.start,
                        position=row.position,
                        reason=reason.TRANSFER if row.start in ends else reason.JOIN,
                        end=row.end,
                        end_reason=Membership.EndReason.TRANSFER
                        if row.end in starts
                        else Membership.EndReason.LEAVE,
                    )
                    status = "created"
                if row.end is not None and membership.end != row.end:
                    services.membership_end(
                        actor=self.actor,
                        membership=membership,
                        last_day=row.end - DAY,
                        reason=Membership.EndReason.TRANSFER
                        if row.end in starts
                        else Membership.EndReason.LEAVE,
                    )
                    status = "created" if status == "created" else "updated"
                self.result.rows.append(RowOutcome(row.line, status, row.describe()))


def roster_import(*, actor: Actor, data: bytes, dry_run: bool = False) -> ImportResult:
    """Check every row, then apply all of them in one transaction, or none.

    ``actor`` is the importing user: the file may only touch teams of units in their
    jurisdiction on each row's start date, and members they can see. None is the operator
    at the command line, who sees everything. A dry run applies the file in full and rolls
    it back, so its report is exactly what a real import would do.
    """
    result = ImportResult(dry_run=dry_run)
    if actor is not None and not getattr(actor, "can_write", False):
        result.errors.append(RowError(None, None, "Vai trò của bạn chỉ được xem."))
        return result
    lines, result.errors = read_rows(data)
    if result.errors:
        return result
    importer = _Importer(actor, result)
    try:
        with transaction.atomic():
            for line, values in lines:
                importer.parse(line, values)
            importer.check()
            if result.errors:
                raise _Rollback
            importer.apply()
            if result.created or result.updated:
                audit_log(
                    actor=actor,
                    action="org.roster_import",
                    message=f"Nhập danh sách từ Excel: {result.created} dòng thêm mới, "
                    f"{result.updated} dòng cập nhật, {result.unchanged} dòng không thay đổi",
                    data={"created": result.created, "updated": result.updated},
                )
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    except DomainError as error:  # a service refused what the checks let through
        result.errors.append(RowError(importer.line, None, error.message))
    if result.errors:
        result.rows, result.members_created, result.members_updated = [], 0, 0
    order = {column: index for index, column in enumerate(COLUMNS)}
    result.errors.sort(key=lambda e: (e.line or 0, order.get(e.column or "", -1)))
    result.rows.sort(key=lambda row: row.line)
    return result


def roster_template() -> bytes:
    """The empty workbook to fill in, with its instructions and dropdowns."""
    return write_workbook([])


def roster_export(*, actor: Actor, unit: AdminUnit, on: datetime.date) -> bytes:
    """The memberships held on ``on`` in teams of ``unit`` and below, in the import layout.

    Each row carries its whole period, so importing the file back changes nothing.
    Ethnicity is written only for users allowed to see it; otherwise the cell is blank,
    which the importer reads as "unchanged". The export is audited, with whether it
    carried ethnicity. ``actor`` None is the operator at the command line.
    """
    unit_ids = None if actor is None else jurisdiction_for(actor).unit_ids(on)
    memberships = roster_on(on, teams=teams_on(on, within=unit, unit_ids=unit_ids))
    ethnicity = actor is None or can_see_ethnicity(actor)
    rows = [_export_row(membership, ethnicity=ethnicity) for membership in memberships]
    audit_log(
        actor=actor,
        action="org.roster_export",
        target=unit,
        message=f"Xuất danh sách {len(rows)} thành viên Đội công tác của {unit} ngày {vn_date(on)}"
        + (" (có thông tin dân tộc)" if ethnicity and rows else ""),
        data={"on": on.isoformat(), "rows": len(rows), "ethnicity": ethnicity},
    )
    return write_workbook(rows)


def _export_row(membership: Membership, *, ethnicity: bool) -> list[Any]:
    member, team = membership.member, membership.team
    values: dict[str, Any] = {
        ID: member.identifier,
        NAME: member.full_name,
        GENDER: label(GENDER, member.gender),
        BIRTH: member.birth_year,
        ETHNIC: label(ETHNIC, member.ethnicity) if ethnicity else None,
        LANGS: ", ".join(label(LANGS, key) for key in member.languages),
        PHONE: member.phone,
        UNIT: team.unit.code,
        TEAM: team.name,
        LEVEL: label(LEVEL, team.level),
        POSITION: label(POSITION, membership.position),
        START: vn_date(membership.start),
        END: vn_date(membership.end - DAY) if membership.end else None,
    }
    return [values[column] for column in COLUMNS]
