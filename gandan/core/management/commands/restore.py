"""``gandan restore ARCHIVE --yes``: replace the database and the uploaded files by a
backup's, after checking every checksum (``core.backup``, ADR 0010). Stop the server and
the workers first; the uploaded files there before are moved aside, not deleted."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gandan.core.backup import archive_restore
from gandan.core.errors import DomainError


class Command(BaseCommand):
    help = "Khôi phục cơ sở dữ liệu và tệp tải lên từ một tệp sao lưu (sau khi kiểm tra toàn bộ)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="tệp .tar.gz do `gandan backup` tạo")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="xác nhận thay toàn bộ dữ liệu hiện có bằng dữ liệu trong tệp sao lưu",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError(
                "Khôi phục sẽ thay toàn bộ dữ liệu hiện có. Dừng máy chủ và tiến trình nền, "
                "rồi chạy lại với --yes."
            )
        try:
            manifest = archive_restore(actor=None, archive=options["archive"])
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Đã khôi phục {manifest['engine']} và {len(manifest['files']) - 1} tệp tải lên "
            f"từ bản sao lưu lúc {manifest['created_at']}."
        )
