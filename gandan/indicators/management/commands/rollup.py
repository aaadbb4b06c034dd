from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gandan.indicators.rollup import rollup_disable, rollup_ready, rollup_rebuild


class Command(BaseCommand):
    help = (
        "Bảng tổng hợp phân tích (ADR 0006): lấp lại từ bản ghi (mặc định), xem trạng thái "
        "(--status) hoặc tắt (--off)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--status", action="store_true")
        parser.add_argument("--off", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["status"]:
            state = "đang dùng" if rollup_ready() else "không dùng (đọc trực tiếp bản ghi)"
            self.stdout.write(f"Bảng tổng hợp: {state}.")
            return
        if options["off"]:
            rollup_disable()
            self.stdout.write("Đã tắt bảng tổng hợp; phân tích đọc trực tiếp bản ghi.")
            return
        rows = rollup_rebuild()
        self.stdout.write(
            f"Đã lấp bảng tổng hợp: {rows['activity']} dòng hoạt động, {rows['value']} dòng "
            f"giá trị, {rows['place']} dòng địa bàn."
        )
