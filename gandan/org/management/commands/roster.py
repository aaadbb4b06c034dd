from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gandan.accounts.jurisdiction import jurisdiction_for
from gandan.accounts.models import User
from gandan.core.dates import parse_date, today
from gandan.core.errors import DomainError
from gandan.geo.models import AdminUnit
from gandan.geo.selectors import unit_by_code
from gandan.org import excel


class Command(BaseCommand):
    help = "Danh sách thành viên Đội công tác trong Excel: tệp mẫu, nhập (tất cả hoặc không), xuất."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        template = actions.add_parser("template", help="Ghi tệp mẫu để điền")
        template.add_argument("--out", required=True, help="Tệp .xlsx sẽ ghi")
        load = actions.add_parser("import", help="Nhập tệp; từ chối cả tệp nếu có dòng sai")
        load.add_argument("file", help="Tệp .xlsx")
        load.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi")
        export = actions.add_parser("export", help="Xuất danh sách vào một ngày")
        export.add_argument("--unit", required=True, help="Mã đơn vị, ví dụ 66")
        export.add_argument("--on", help="Ngày (NNNN-TT-NN), mặc định hôm nay")
        export.add_argument("--out", required=True, help="Tệp .xlsx sẽ ghi")
        for sub in (load, export):
            sub.add_argument(
                "--user", help="Tên đăng nhập: làm trong phạm vi địa bàn của người này"
            )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "template":
            self._write(options["out"], excel.roster_template())
        elif options["action"] == "export":
            self._export(options)
        else:
            self._import(options)

    def _actor(self, username: str | None) -> User | None:
        """None is the operator at the command line, who sees every unit."""
        if not username:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có người dùng «{username}».")
        return user

    def _write(self, out: str, data: bytes) -> None:
        try:
            Path(out).write_bytes(data)
        except OSError as error:
            raise CommandError(f"Không ghi được {out}: {error.strerror}.") from None
        self.stdout.write(f"Đã ghi {out}.")

    def _export(self, options: dict[str, Any]) -> None:
        try:
            on = parse_date(options["on"], field="--on", default=today())
            unit = unit_by_code(options["unit"], on=on)
        except DomainError as error:
            raise CommandError(error.message) from None
        except AdminUnit.DoesNotExist:
            raise CommandError(
                f"Không có đơn vị mã «{options['unit']}» vào ngày {on:%d/%m/%Y}."
            ) from None
        actor = self._actor(options["user"])
        if actor is not None and not jurisdiction_for(actor).covers(unit.pk, on):
            raise CommandError(f"{unit} không thuộc địa bàn của {actor.username}.")
        self._write(options["out"], excel.roster_export(actor=actor, unit=unit, on=on))

    def _import(self, options: dict[str, Any]) -> None:
        try:
            data = Path(options["file"]).read_bytes()
        except OSError as error:
            raise CommandError(f"Không đọc được {options['file']}: {error.strerror}.") from None
        result = excel.roster_import(
            actor=self._actor(options["user"]), data=data, dry_run=options["dry_run"]
        )
        for line in result.report():
            self.stdout.write(line)
        if not result.ok:
            raise CommandError(f"Tệp bị từ chối ({len(result.errors)} lỗi): không có gì được ghi.")
        done = "Kiểm tra xong, chưa ghi gì" if result.dry_run else "Đã nhập"
        self.stdout.write(
            f"{done}: {result.created} dòng thêm mới, {result.updated} dòng cập nhật, "
            f"{result.unchanged} dòng không thay đổi; {result.members_created} người mới, "
            f"{result.members_updated} người được sửa thông tin."
        )
