from typing import Any

from django.core.management.base import BaseCommand

from gandan.demo.services import DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = "Nạp dữ liệu trình diễn (tất định, chạy lại không thay đổi gì)."

    def handle(self, *args: Any, **options: Any) -> None:
        users = demo_load(progress=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"Tài khoản trình diễn (mật khẩu: {DEMO_PASSWORD}):"))
        self.stdout.write(f"  {'admin':<12} quản trị hệ thống (superuser)")
        for user in users:
            self.stdout.write(f"  {user.username:<12} {user.note}")
