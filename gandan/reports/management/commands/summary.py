import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gandan.analytics.engine import aggregate
from gandan.core.dates import parse_date
from gandan.core.errors import DomainError
from gandan.core.numbers import format_qualified
from gandan.geo.models import AdminUnit
from gandan.geo.selectors import unit_by_code
from gandan.org.selectors import awards_in, headcount, unit_ids_within
from gandan.reports.narrative import narrative


class Command(BaseCommand):
    help = "Mọi chỉ tiêu của một đơn vị trong một kỳ (số liệu trực tiếp từ hồ sơ), hoặc đoạn văn kết quả."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="Mã đơn vị, ví dụ 66")
        parser.add_argument("--from", dest="start", required=True, help="Từ ngày NNNN-TT-NN")
        parser.add_argument(
            "--to", dest="end", required=True, help="Đến ngày NNNN-TT-NN (tính cả ngày này)"
        )
        parser.add_argument(
            "--boundaries",
            default="recorded",
            help="«recorded» (địa giới lúc ghi) hoặc một ngày NNNN-TT-NN",
        )
        output = parser.add_mutually_exclusive_group()
        output.add_argument("--json", action="store_true")
        output.add_argument(
            "--text", action="store_true", help="In đoạn văn kết quả bằng tiếng Việt"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            start = parse_date(options["start"], field="--from")
            end = parse_date(options["end"], field="--to")
            boundaries = (
                None
                if options["boundaries"] == "recorded"
                else parse_date(options["boundaries"], field="--boundaries")
            )
        except DomainError as error:
            raise CommandError(error.message) from None
        if end < start:
            raise CommandError("--to phải từ --from trở đi.")
        on = boundaries or end
        try:
            unit = unit_by_code(options["unit"], on=on)
        except AdminUnit.DoesNotExist:
            raise CommandError(
                f"Không có đơn vị mã «{options['unit']}» vào ngày {on:%d/%m/%Y}."
            ) from None
        figures = aggregate(unit=unit, start=start, end=end, boundaries=boundaries)
        staff = headcount(unit=unit, on=end, by="level")
        if options["text"]:
            awards = list(
                awards_in(
                    unit_ids=unit_ids_within(unit, end), date_from=start, date_to=end
                ).order_by("id")
            )
            self.stdout.write(
                narrative(
                    unit=unit, start=start, end=end, figures=figures, headcount=staff, awards=awards
                )
            )
            return
        if options["json"]:
            payload = {
                "unit": unit.code,
                "from": start.isoformat(),
                "to": end.isoformat(),
                "boundaries": boundaries.isoformat() if boundaries else "recorded",
                "split_rule": "default_successor",
                "indicators": {
                    code: {
                        "value": _number(f.value),
                        "qualifier": f.qualifier,
                        "display": format_qualified(f.value, f.qualifier, decimals=3),
                        "unit": f.indicator.unit,
                        "sources": [note.as_json() for note in f.sources],
                    }
                    for code, f in figures.items()
                },
                "headcount": {key: count for key, _label, count in staff.rows}
                | {"total": staff.total},
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"{unit} · {start:%d/%m/%Y} – {end:%d/%m/%Y} · địa giới: {options['boundaries']}"
        )
        for figure in figures.values():
            number = format_qualified(figure.value, figure.qualifier, decimals=3)
            self.stdout.write(
                f"  {figure.indicator.name_vi:<62} {number:>28} {figure.indicator.unit}"
            )
            for note in figure.sources:
                if note.kind == "paper" or note.status != "used":
                    self.stdout.write(f"      · [{note.status}] {note.label}: {note.reason}")


def _number(value: Any) -> int | float:
    return int(value) if value == int(value) else float(value)
