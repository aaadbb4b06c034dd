from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gandan.analytics.facts import facts_merge, facts_rebuild, facts_rekey, facts_status


class Command(BaseCommand):
    help = (
        "Bảng số liệu phân tích (ADR 0008): gộp sổ ghi (merge), lập lại từ hồ sơ (rebuild), "
        "theo địa giới mới (rekey) hoặc xem trạng thái (status)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["status", "merge", "rebuild", "rekey"])

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "merge":
            merged = facts_merge()
            self.stdout.write(f"Đã gộp {merged.rows} dòng sổ ghi vào bảng số liệu.")
        elif action == "rebuild":
            rows = facts_rebuild()
            self.stdout.write(
                f"Đã lập lại bảng số liệu: {rows['activity']} dòng hoạt động, {rows['value']} "
                f"dòng giá trị, {rows['place']} dòng địa bàn."
            )
        elif action == "rekey":
            moved = facts_rekey()
            self.stdout.write(f"Đã chuyển {moved} bản ghi sang địa giới hiện hành.")
        else:
            for key, value in facts_status().items():
                self.stdout.write(f"{key}: {value}")
