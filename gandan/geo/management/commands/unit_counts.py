from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gandan.geo.models import AdminUnit
from gandan.geo.selectors import unit_count_dates, unit_counts


class Command(BaseCommand):
    help = (
        "In bảng số đơn vị cấp huyện và cấp xã của một tỉnh vào ngày 05-7-2004, mỗi ngày "
        "1 tháng 1 từ 2005 đến 2025 và ngày 01-7-2025 (bảng trong docs/admin-history.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", default="66", help="Mã tỉnh, mặc định 66 (Đắk Lắk)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rows = unit_counts(options["province"], unit_count_dates())
        except AdminUnit.DoesNotExist:
            raise CommandError(f"Không có tỉnh mã «{options['province']}».") from None
        self.stdout.write("| ngày | cấp huyện | cấp xã |")
        self.stdout.write("|---|---:|---:|")
        for row in rows:
            self.stdout.write(f"| {row.on:%d-%m-%Y} | {row.districts} | {row.communes} |")
