"""``gandan remind [--day 2026-12-05] [--queue]``: send the day's reminders now, or put them
on the task queue for the worker."""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gandan.core.dates import today
from gandan.home.reminders import reminders_send
from gandan.home.tasks import reminders_task


class Command(BaseCommand):
    help = "Nhắc việc trong ngày: báo cáo sắp đến hạn nộp, vụ việc quá hạn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--day", type=datetime.date.fromisoformat, default=None)
        parser.add_argument("--queue", action="store_true", help="Đưa vào hàng việc chạy nền.")

    def handle(self, *args: Any, **options: Any) -> None:
        day = options["day"] or today()
        if options["queue"]:
            result = reminders_task.enqueue(day.isoformat())
            self.stdout.write(f"Đã đưa việc nhắc ngày {day:%d/%m/%Y} vào hàng chờ: {result.id}")
            return
        sent = reminders_send(day=day)
        self.stdout.write(
            f"Nhắc việc ngày {day:%d/%m/%Y}: {sent.reports} thông báo báo cáo sắp đến hạn, "
            f"{sent.cases} thông báo vụ việc quá hạn."
        )
