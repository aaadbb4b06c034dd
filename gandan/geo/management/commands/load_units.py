from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gandan.core.errors import DomainError
from gandan.geo.importers import units_load_province


class Command(BaseCommand):
    help = "Nạp đơn vị hành chính thật (trước và sau 2025) của một tỉnh từ gói vietnamadminunits."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--province",
            action="append",
            help="Mã tỉnh năm 2025 (có thể lặp lại); mặc định 66 (Đắk Lắk)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for code in options["province"] or ["66"]:
            try:
                summary = units_load_province(province_code=code, progress=self.stdout.write)
            except DomainError as error:
                raise CommandError(error.message) from None
            if summary.already_loaded:
                self.stdout.write(f"Tỉnh {code}: đã nạp từ trước, không thay đổi gì.")
            else:
                details = ", ".join(f"{k}={v}" for k, v in summary.counts.items())
                self.stdout.write(self.style.SUCCESS(f"Tỉnh {code}: đã nạp ({details})."))
