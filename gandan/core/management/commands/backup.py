"""``gandan backup [--output PATH]``: the database and the uploaded files in one archive
with a manifest of SHA-256 checksums (``core.backup``, ADR 0010). Safe while the server runs."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gandan.core.backup import archive_create
from gandan.core.errors import DomainError
from gandan.core.numbers import format_number


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và tệp tải lên (var/media) vào một tệp .tar.gz có mã kiểm tra."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="tệp .tar.gz, hoặc thư mục đặt tệp (mặc định var/backups/)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = archive_create(actor=None, target=options["output"])
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Đã sao lưu {result.engine} và {format_number(result.files - 1)} tệp tải lên vào "
            f"{result.path} ({format_number(result.size // 1024)} KB)."
        )
