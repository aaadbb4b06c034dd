from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gandan.core.dates import parse_date
from gandan.core.errors import DomainError
from gandan.core.periods import parse_period
from gandan.geo.models import AdminUnit
from gandan.geo.selectors import unit_by_code
from gandan.reports.documents import RENDERERS, build_document
from gandan.reports.models import Regime, Report
from gandan.reports.services import report_draft


class Command(BaseCommand):
    help = "Báo cáo định kỳ: xuất văn bản Word, Excel hoặc PDF theo thể thức."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="Xuất một báo cáo ra tệp")
        export.add_argument(
            "--regime", required=True, help="weekly, monthly, quarterly, half, yearly, phase"
        )
        export.add_argument("--unit", required=True, help="Mã đơn vị, ví dụ 66")
        export.add_argument(
            "--period",
            required=True,
            help="2019, 2019-H1, 2019-Q3, 2019-09, 2019-W37, 2004-07-05..2019-09-10",
        )
        export.add_argument("--boundaries", help="Ngày địa giới (mặc định: như khi ghi nhận)")
        export.add_argument("--format", choices=sorted(RENDERERS), required=True)
        export.add_argument("--out", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            regime = Regime.objects.get(code=options["regime"])
        except Regime.DoesNotExist:
            codes = ", ".join(Regime.objects.values_list("code", flat=True))
            raise CommandError(
                f"Không có chế độ báo cáo «{options['regime']}» (có: {codes})."
            ) from None
        try:
            span = parse_period(options["period"], regime=regime.period_regime)
            boundaries = (
                parse_date(options["boundaries"], field="--boundaries")
                if options["boundaries"]
                else None
            )
            unit = unit_by_code(options["unit"], on=boundaries or span.end)
            report = Report.objects.filter(
                regime=regime, unit=unit, period_code=span.code
            ).first() or report_draft(  # not saved: a draft straight from the records
                regime=regime, unit=unit, period=options["period"], boundaries=boundaries
            )
        except DomainError as error:
            raise CommandError(error.message) from None
        except AdminUnit.DoesNotExist:
            raise CommandError(
                f"Không có đơn vị mã «{options['unit']}» vào ngày {span.end:%d/%m/%Y}."
            ) from None
        data = RENDERERS[options["format"]](build_document(report))
        Path(options["out"]).write_bytes(data)
        self.stdout.write(f"Đã ghi {options['out']} ({len(data):,} byte).".replace(",", "."))
