from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from gandan.cases.privacy import contacts_erase_expired
from gandan.core.forms import number_argument
from gandan.core.numbers import Kind


class Command(BaseCommand):
    help = "Xóa người liên hệ của các vụ việc đã kết thúc quá thời hạn lưu giữ (chạy hằng ngày)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--months",
            type=number_argument(Kind.INTEGER),
            default=None,
            help="Mặc định: CASE_CONTACT_RETENTION_MONTHS",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        months = (
            options["months"]
            if options["months"] is not None
            else settings.CASE_CONTACT_RETENTION_MONTHS
        )
        erased = contacts_erase_expired(months=months)
        self.stdout.write(f"Đã xóa {erased} người liên hệ (vụ việc kết thúc quá {months} tháng).")
