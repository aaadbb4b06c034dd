import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gandan.core.dates import parse_date, today
from gandan.core.errors import DomainError
from gandan.geo.models import AdminUnit
from gandan.geo.selectors import unit_by_code
from gandan.org.selectors import BREAKDOWNS, headcount


class Command(BaseCommand):
    help = "Số thành viên Đội công tác vào một ngày, tính từ hồ sơ thời gian công tác."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="Mã đơn vị, ví dụ 66")
        parser.add_argument("--on", help="Ngày (NNNN-TT-NN), mặc định hôm nay")
        parser.add_argument("--by", choices=BREAKDOWNS, default="level")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            on = parse_date(options["on"], field="--on", default=today())
            unit = unit_by_code(options["unit"], on=on)
        except DomainError as error:
            raise CommandError(error.message) from None
        except AdminUnit.DoesNotExist:
            raise CommandError(
                f"Không có đơn vị mã «{options['unit']}» vào ngày {on:%d/%m/%Y}."
            ) from None
        result = headcount(unit=unit, on=on, by=options["by"])
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{unit} · ngày {on:%d/%m/%Y}")
        for key, label, count in result.rows:
            self.stdout.write(f"  {label:<40} {count:>6}  ({key})")
        self.stdout.write(f"  {'Tổng số':<40} {result.total:>6}")
        share = f"{result.minority_share:.1%}".replace(".", ",")
        self.stdout.write(
            f"  {result.teams} đội/tổ · {result.villages_covered} thôn, buôn được phân công · dân tộc thiểu số {share}"
        )
