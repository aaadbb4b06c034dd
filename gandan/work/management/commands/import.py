from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gandan.accounts.models import User
from gandan.work import excel


class Command(BaseCommand):
    help = (
        "Nhập hoạt động và số liệu tổng hợp từ tệp Excel theo mẫu: kiểm tra từng dòng, "
        "ghi tất cả hoặc không ghi gì; nhập lại cùng tệp không thay đổi gì."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Tệp .xlsx")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi")
        parser.add_argument(
            "--user", help="Tên đăng nhập: nhập trong phạm vi địa bàn của người này"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = Path(options["file"]).read_bytes()
        except OSError as error:
            raise CommandError(f"Không đọc được {options['file']}: {error.strerror}.") from None
        actor = None  # the operator at the command line sees every unit
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"Không có người dùng «{options['user']}».")

        printed = -10

        def progress(percent: int, message: str) -> None:
            nonlocal printed
            if percent >= printed + 10 or (percent == 100 and printed < 100):
                printed = percent - percent % 10
                self.stderr.write(f"{percent:3d}% {message}")

        result = excel.work_import(
            actor=actor, data=data, dry_run=options["dry_run"], progress=progress
        )
        for line in result.report():
            self.stdout.write(line)
        if not result.ok:
            raise CommandError(f"Tệp bị từ chối ({len(result.errors)} lỗi): không có gì được ghi.")
        self.stdout.write(result.summary())
