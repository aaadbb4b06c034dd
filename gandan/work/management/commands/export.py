import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gandan.accounts.jurisdiction import jurisdiction_for
from gandan.accounts.models import User
from gandan.core.dates import vn_date
from gandan.core.xlsx import cell_date
from gandan.geo.models import AdminUnit
from gandan.geo.selectors import unit_by_code
from gandan.work import excel_export


def _date(text: str, option: str) -> datetime.date:
    try:
        return cell_date(text)
    except ValueError:
        raise CommandError(
            f"Ngày không hợp lệ ở {option}: «{text}»; ghi NNNN-TT-NN hoặc ngày/tháng/năm."
        ) from None


class Command(BaseCommand):
    help = (
        "Xuất hoạt động và số liệu tổng hợp của một đơn vị trong một khoảng thời gian ra tệp "
        "Excel theo mẫu nhập: nhập lại tệp này không thay đổi gì."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="Mã đơn vị, ví dụ 66, 656, 24583")
        parser.add_argument("--from", dest="start", required=True, help="Từ ngày (NNNN-TT-NN)")
        parser.add_argument("--to", dest="end", required=True, help="Đến ngày (NNNN-TT-NN)")
        parser.add_argument("--out", required=True, help="Tệp .xlsx sẽ ghi")
        parser.add_argument("--user", help="Tên đăng nhập: chỉ xuất trong địa bàn của người này")

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = _date(options["start"], "--from"), _date(options["end"], "--to")
        if end < start:
            raise CommandError("--to phải từ --from trở đi.")
        code = options["unit"]
        unit = None
        for on in (end, start):  # the unit as at the end of the span, else at its start
            try:
                unit = unit_by_code(code, on=on)
                break
            except AdminUnit.DoesNotExist:
                continue
        if unit is None:
            raise CommandError(
                f"Không có đơn vị mã «{code}» từ {vn_date(start)} đến {vn_date(end)}."
            )
        actor = None  # the operator at the command line sees every unit
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"Không có người dùng «{options['user']}».")
            if not jurisdiction_for(actor).covers(unit.pk):  # the export keeps to their dates
                raise CommandError(f"{unit} không thuộc địa bàn của {actor.username}.")
        data = excel_export.work_export(actor=actor, unit=unit, start=start, end=end)
        try:
            Path(options["out"]).write_bytes(data)
        except OSError as error:
            raise CommandError(f"Không ghi được {options['out']}: {error.strerror}.") from None
        self.stdout.write(f"Đã ghi {options['out']}.")
