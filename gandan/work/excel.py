"""Field work in Excel: activity records and paper-report totals, imported and exported.

Import is all-or-nothing and idempotent. Every row of both sheets is parsed and resolved
first (:mod:`gandan.work.excel_rows`), then the good ones go through the services inside
one transaction: totals through ``aggregate_entry_create``, activities in bulk through
``activities_bulk_create``, which checks every row with the same ``Checker`` as single
entry (the tree, the records-versus-totals rule) and audits the batch. One bad row, found
by either step, rejects the file: the transaction is rolled back and the report names
each row and column.

Each activity row has an ``import_key``: its "Mã dòng", or else a hash of its resolved
content. A row whose key is already on record for the same unit is "không thay đổi" and
skipped, so importing a file twice changes nothing. Exported records carry their key (or
``#<id>`` for records entered on the web), so export → import is a no-op. A total is
unchanged when the same figure is on record for its indicator, unit and period.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from gandan.accounts.jurisdiction import Jurisdiction, jurisdiction_for
from gandan.accounts.types import Actor
from gandan.core.dates import vn_date
from gandan.core.errors import DomainError
from gandan.core.numbers import format_qualified
from gandan.core.xlsx import (
    NO_ROWS,
    NOT_A_WORKBOOK,
    NotAWorkbook,
    RowError,
    Rows,
    XlsxReader,
    cell_text,
    read_table,
)
from gandan.work import excel_sheet as layout
from gandan.work import services
from gandan.work.excel_rows import Places, RowReader, chunks
from gandan.work.excel_sheet import (
    Catalogue,
    indicator_header,
    write_workbook,
)
from gandan.work.models import Activity, AggregateEntry

Progress = Callable[[int, str], None]  # (percent 0–100, what is being done)
STATUS = {"created": "thêm mới", "unchanged": "không thay đổi"}
_RECORD_ID = re.compile(r"#([0-9]{1,18})")
_ACTIVITY_FIELDS = {
    "start": layout.START,
    "end": layout.END,
    "unit": layout.COMMUNE,
    "villages": layout.VILLAGES,
    "teams": layout.TEAMS,
    "partners": layout.PARTNERS_COLUMN,
    "participants": layout.PEOPLE,
    "type": layout.TYPE,
}
_AGGREGATE_FIELDS = {
    "period_start": layout.START,
    "period_end": layout.END,
    "qualifier": layout.QUALIFIER,
    "source_number": layout.DOC_NUMBER,
    "period_label": layout.LABEL,
    "indicator": layout.INDICATOR,
    "value": layout.VALUE,
}


@dataclass(frozen=True)
class RowOutcome:
    sheet: str
    line: int
    status: str  # a key of STATUS
    summary: str

    def __str__(self) -> str:
        where = (
            f"Dòng {self.line}"
            if self.sheet == layout.ACTIVITY_SHEET
            else f"Trang «{self.sheet}», dòng {self.line}"
        )
        return f"{where}: {STATUS[self.status]} — {self.summary}"


@dataclass
class ImportResult:
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)
    rows: list[RowOutcome] = field(default_factory=list)
    # What the import wrote (empty after a dry run or a rejection), in the rows' order.
    activity_ids: list[int] = field(default_factory=list)
    aggregate_ids: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, status: str, sheet: str | None = None) -> int:
        return sum(1 for r in self.rows if r.status == status and sheet in (None, r.sheet))

    @property
    def created(self) -> int:
        return self.count("created")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    def report(self) -> list[str]:
        return [str(line) for line in (self.errors or self.rows)]

    def summary(self) -> str:
        done = "Kiểm tra xong, chưa ghi gì" if self.dry_run else "Đã nhập"
        return (
            f"{done}: {self.count('created', layout.ACTIVITY_SHEET)} hoạt động và "
            f"{self.count('created', layout.AGGREGATE_SHEET)} số tổng hợp thêm mới; "
            f"{self.unchanged} dòng không thay đổi."
        )


class _Rollback(Exception):
    """Leave the import transaction without writing (rejected file or dry run)."""


class _Meter:
    """Progress in whole percents, each reported once."""

    def __init__(self, callback: Progress | None) -> None:
        self.callback, self.last = callback, -1

    def __call__(self, percent: float, message: str) -> None:
        whole = max(0, min(100, int(percent)))
        if self.callback is not None and whole != self.last:
            self.last = whole
            self.callback(whole, message)


def work_template() -> bytes:
    """The empty workbook to fill in, with the current catalogue's columns and lists."""
    return write_workbook(Catalogue.load(), [], [])


def work_import(
    *, actor: Actor, data: bytes, dry_run: bool = False, progress: Progress | None = None
) -> ImportResult:
    """Check every row of both sheets, then write all of them in one transaction, or none.

    ``actor`` is the importing user: each row's unit must be in their jurisdiction on its
    date. None is the operator at the command line, who sees everything. A dry run writes
    in full and rolls back, so its report is exactly what a real import would do.
    ``progress(percent, message)`` is called as the file is read, checked and written.
    """
    result = ImportResult(dry_run=dry_run)
    meter = _Meter(progress)
    if actor is not None and not getattr(actor, "can_write", False):
        result.errors.append(RowError(None, None, "Vai trò của bạn chỉ được xem."))
        return result
    if len(data) > layout.MAX_BYTES:
        result.errors.append(RowError(None, None, f"Tệp lớn hơn {layout.MAX_BYTES // 2**20} MB."))
        return result
    catalogue = Catalogue.load()
    try:
        (activity_lines, aggregate_lines), result.errors = _read(data, catalogue, meter)
    except NotAWorkbook:
        result.errors.append(RowError(None, None, NOT_A_WORKBOOK))
        return result
    if not result.errors and not activity_lines and not aggregate_lines:
        result.errors.append(RowError(None, None, NO_ROWS))
    if result.errors:
        return result
    _Importer(actor, catalogue, result, meter).run(activity_lines, aggregate_lines)
    if result.errors:
        result.rows = []
    result.errors.sort(key=lambda e: (e.sheet or "", e.line or 0))
    result.rows.sort(key=lambda row: (row.sheet != layout.ACTIVITY_SHEET, row.line))
    meter(100, "Xong")
    return result


def _read(
    data: bytes, catalogue: Catalogue, meter: _Meter
) -> tuple[tuple[Rows, Rows], list[RowError]]:
    """Both sheets' filled rows; raises NotAWorkbook."""
    reader = XlsxReader(data)
    sheets = [
        name for name in (layout.ACTIVITY_SHEET, layout.AGGREGATE_SHEET) if name in reader.sheets
    ]
    if not sheets:
        message = f"Tệp không có trang «{layout.ACTIVITY_SHEET}» hay «{layout.AGGREGATE_SHEET}»; hãy điền vào tệp mẫu."
        return ([], []), [RowError(None, None, message)]
    activity_lines: Rows = []
    aggregate_lines: Rows = []
    errors: list[RowError] = []
    if layout.ACTIVITY_SHEET in sheets:
        activity_lines, errors = read_table(
            reader,
            layout.ACTIVITY_SHEET,
            columns=catalogue.reading_columns(),
            required=layout.ACTIVITY_REQUIRED,
            aliases=catalogue.value_aliases(),
            resolve=catalogue.value_column,
            strict=True,
            limits=layout.LIMITS,
            progress=lambda done: meter(30 * done, "Đọc tệp"),
        )
    if layout.AGGREGATE_SHEET in sheets:
        aggregate_lines, more = read_table(
            reader,
            layout.AGGREGATE_SHEET,
            columns=layout.AGGREGATE_COLUMNS,
            required=layout.AGGREGATE_REQUIRED,
            strict=True,
            limits=layout.LIMITS,
            label=layout.AGGREGATE_SHEET,
        )
        errors += more
    return (activity_lines, aggregate_lines), errors


class _Importer:
    def __init__(
        self, actor: Actor, catalogue: Catalogue, result: ImportResult, meter: _Meter
    ) -> None:
        self.actor, self.catalogue, self.result, self.meter = actor, catalogue, result, meter
        self.scope = Jurisdiction(everything=True) if actor is None else jurisdiction_for(actor)

    def run(self, activity_lines: Rows, aggregate_lines: Rows) -> None:
        codes = {cell_text(v.get(layout.COMMUNE)) for _l, v in activity_lines}
        codes |= {cell_text(v.get(layout.UNIT)) for _l, v in aggregate_lines}
        reader = RowReader(self.catalogue, Places(codes - {""}), self.scope)
        activities, aggregates = [], []
        for index, (line, values) in enumerate(activity_lines):
            row, errors = reader.activity(line, values)
            self.result.errors += errors
            if row is not None:
                activities.append(row)
            if index % 2000 == 0:
                self.meter(30 + 15 * index / len(activity_lines), "Kiểm tra từng dòng")
        for line, values in aggregate_lines:
            total, errors = reader.aggregate(line, values)
            self.result.errors += errors
            if total is not None:
                aggregates.append(total)
        new_activities = self._skip_known_activities(activities)
        new_aggregates = self._skip_known_aggregates(aggregates)
        try:
            with transaction.atomic():
                for total in new_aggregates:
                    self._create_aggregate(total)
                if new_activities:
                    self._create_activities(new_activities)
                if self.result.errors or self.result.dry_run:
                    raise _Rollback
        except _Rollback:
            self.result.activity_ids, self.result.aggregate_ids = [], []

    def _skip_known_activities(self, rows: list[Any]) -> list[Any]:
        seen: dict[tuple[str, int], int] = {}
        for row in rows:
            given = bool(row.key)
            row.key = row.key or row.content_key()
            first = seen.setdefault((row.key, row.unit.pk), row.line)
            if first != row.line:
                message = (
                    f"Mã dòng «{row.key}» đã dùng ở dòng {first}."
                    if given
                    else f"dòng này trùng hoàn toàn với dòng {first}; nếu là hai hoạt động khác nhau, ghi Mã dòng khác nhau."
                )
                self.result.errors.append(RowError(row.line, layout.KEY, message))
        known: set[tuple[str, int]] = set()
        for keys in chunks(sorted({key for key, _unit in seen})):
            known.update(
                Activity.objects.filter(import_key__in=keys).values_list("import_key", "unit_id")
            )
        ids = {int(m[1]) for key, _u in seen if (m := _RECORD_ID.fullmatch(key))}
        for batch in chunks(sorted(ids)):
            known.update(
                (f"#{pk}", unit)
                for pk, unit in Activity.objects.filter(pk__in=batch, import_key="").values_list(
                    "pk", "unit_id"
                )
            )
        fresh = []
        for row in rows:
            summary = f"{row.type} · {row.unit} · {vn_date(row.start)}"
            if (row.key, row.unit.pk) in known:
                self._outcome(layout.ACTIVITY_SHEET, row.line, "unchanged", summary)
            elif _RECORD_ID.fullmatch(row.key):
                self.result.errors.append(
                    RowError(
                        row.line,
                        layout.KEY,
                        f"«{row.key}» là số hiệu một bản ghi trong hệ thống nhưng {row.unit} không có bản ghi này; để trống ô này để thêm mới.",
                    )
                )
            else:
                self._outcome(layout.ACTIVITY_SHEET, row.line, "created", summary)
                fresh.append(row)
        return fresh

    def _skip_known_aggregates(self, rows: list[Any]) -> list[Any]:
        known = set(
            AggregateEntry.objects.filter(unit_id__in={r.unit.pk for r in rows}).values_list(
                "indicator_id",
                "unit_id",
                "period_start",
                "period_end",
                "value",
                "qualifier",
                "source_number",
            )
        )
        fresh = []
        for row in rows:
            identity = (
                row.indicator.pk,
                row.unit.pk,
                row.start,
                row.end,
                row.value,
                row.qualifier,
                row.source_number,
            )
            figure = format_qualified(row.value, row.qualifier, row.indicator.unit)
            summary = f"{row.indicator.name_vi} · {row.unit} · {row.label}: {figure}"
            status = "unchanged" if identity in known else "created"
            self._outcome(layout.AGGREGATE_SHEET, row.line, status, summary)
            if status == "created":
                fresh.append(row)
        return fresh

    def _outcome(self, sheet: str, line: int, status: str, summary: str) -> None:
        self.result.rows.append(RowOutcome(sheet, line, status, summary))

    def _create_aggregate(self, row: Any) -> None:
        try:
            entry = services.aggregate_entry_create(
                actor=self.actor,
                indicator=row.indicator,
                unit=row.unit,
                period_start=row.start,
                period_end=row.end,
                period_label=row.label,
                value=row.value,
                qualifier=row.qualifier,
                source_number=row.source_number,
                source_date=row.source_date,
                source_title=row.source_title,
                import_key=row.content_key(),
            )
            self.result.aggregate_ids.append(entry.pk)
        except DomainError as error:
            column = _AGGREGATE_FIELDS.get(error.field or "")
            self.result.errors.append(
                RowError(row.line, column, error.message, layout.AGGREGATE_SHEET)
            )

    def _create_activities(self, rows: list[Any]) -> None:
        villages = Places.villages(v for row in rows for v in row.village_ids)
        inputs = [
            services.ActivityInput(
                type=r.type,
                unit=r.unit,
                start=r.start,
                end=r.end,
                villages=[villages[v] for v in r.village_ids],
                teams=r.teams,
                movements=r.movements,
                partners=r.partners,
                participants=r.participants,
                participants_female=r.female,
                participants_minority=r.minority,
                values=r.values,
                title=r.title,
                notes=r.notes,
                import_key=r.key,
            )
            for r in rows
        ]

        def bulk_progress(done: int, total: int) -> None:
            half = total / 2
            self.meter(45 + 55 * done / max(total, 1), "Kiểm tra quy tắc" if done < half else "Ghi")

        try:
            self.result.activity_ids = services.activities_bulk_create(
                actor=self.actor,
                rows=inputs,
                label=f"từ Excel, {len(rows)} dòng",
                progress=bulk_progress,
            )
        except services.BulkRejected as rejected:
            for index, error in rejected.errors:
                field_name = error.field or ""
                column = _ACTIVITY_FIELDS.get(field_name)
                if field_name.startswith("values."):
                    code = field_name.removeprefix("values.")
                    column = next(
                        (
                            indicator_header(i)
                            for i in self.catalogue.all_value_indicators
                            if i.code == code
                        ),
                        None,
                    )
                self.result.errors.append(RowError(rows[index].line, column, error.message))
