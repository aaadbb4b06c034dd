import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gandan.core.dates import parse_date, today
from gandan.core.errors import DomainError
from gandan.geo.models import AdminUnit, Level
from gandan.geo.selectors import ancestors_on, unit_by_code, units_on


class Command(BaseCommand):
    help = "Liệt kê hoặc đếm đơn vị hành chính vào một ngày."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", help="Ngày (NNNN-TT-NN), mặc định hôm nay")
        parser.add_argument("--province", help="Mã tỉnh, ví dụ 66")
        parser.add_argument("--level", choices=[lvl.value for lvl in Level])
        parser.add_argument("--count", action="store_true", help="Chỉ in số lượng")
        parser.add_argument("--json", action="store_true", help="In JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            on = parse_date(options["on"], field="--on", default=today())
        except DomainError as error:
            raise CommandError(error.message) from None
        within = None
        if options["province"]:
            try:
                within = unit_by_code(options["province"], level=Level.PROVINCE, on=on)
            except AdminUnit.DoesNotExist:
                raise CommandError(
                    f"Không có tỉnh mã «{options['province']}» vào ngày {on:%d/%m/%Y}."
                ) from None
        versions = units_on(on, level=options["level"], within=within)
        if options["count"]:
            count = versions.count()
            self.stdout.write(json.dumps({"count": count}) if options["json"] else str(count))
            return
        rows = [
            {
                "id": v.unit_id,
                "code": v.unit.code,
                "level": v.unit.level,
                "name": v.full_name,
                "parent": v.parent.full_name if v.parent else None,
                "path": [a.full_name for a in ancestors_on(v.unit, on)[1:]]
                if not options["json"]
                else None,
            }
            for v in versions
        ]
        if options["json"]:
            for row in rows:
                row.pop("path")
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            self.stdout.write(f"{row['code']:>6}  {row['name']}  ({row['parent'] or '—'})")
        self.stdout.write(f"{len(rows)} đơn vị vào ngày {on:%d/%m/%Y}.")
