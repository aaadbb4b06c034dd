"""Benchmark: the OpenRosa form list for the province administrator of Đắk Lắk (9 forms,
102 communes, every village of the province in the media file), first of the day (every
form converted by pyxform) against cached (the same day's forms from the cache).

    GANDAN_ALLOW_INSECURE_KEY=1 GANDAN_MEMORY_CACHE=1 \\
        DATABASE_URL=sqlite:///var/bench/field.sqlite3 .venv/bin/python bench/field_forms.py

Set-up (not timed): the database file is deleted and migrated, the real units of Đắk Lắk
are loaded, three villages are created in each 2025 commune, an administrator and a device
password are made. Timed, side by side in one run, ``--rounds`` times each: a form list
with an empty cache, and one with the forms cached; each goes through the Django test
client (authentication, the jurisdiction, building the document).
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gandan.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("sqlite:///"):
        sys.exit("Đặt DATABASE_URL=sqlite:///var/bench/field.sqlite3 (cơ sở dữ liệu SQLite mới).")
    path = ROOT / url.removeprefix("sqlite:///")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)

    import base64

    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    from gandan.accounts.models import User
    from gandan.field.services import device_password_create
    from gandan.geo.importers import units_load_province
    from gandan.geo.models import Kind, Level
    from gandan.geo.selectors import unit_by_code, versions_on
    from gandan.geo.services import village_create

    units_load_province(province_code="66")
    reform = datetime.date(2025, 7, 1)
    communes = [v.unit for v in versions_on(reform).filter(unit__level=Level.COMMUNE)]
    for commune in communes:
        for n in range(3):
            village_create(
                actor=None, commune=commune, name=f"Buôn Thử {n}", kind=Kind.BUON, valid_from=reform
            )
    admin = User.objects.create_user(username="tinh", password=None, role="admin",
                                     unit=unit_by_code("66", level="province", on=reform))  # fmt: skip
    _device, secret = device_password_create(actor=admin, label="bench")
    auth = "Basic " + base64.b64encode(f"tinh:{secret}".encode()).decode()
    client = Client(HTTP_AUTHORIZATION=auth, HTTP_X_OPENROSA_VERSION="1.0")

    def form_list() -> float:
        started = time.perf_counter()
        response = client.get("/field/formList")
        if response.status_code != 200 or response.content.count(b"<xform>") != 9:
            sys.exit(f"Danh sách biểu mẫu sai: {response.status_code}")
        return time.perf_counter() - started

    cold, warm = [], []
    for _round in range(args.rounds):
        cache.clear()
        cold.append(form_list())
        warm.append(form_list())
    median_cold, median_warm = statistics.median(cold), statistics.median(warm)
    print(f"communes: {len(communes)}, villages: {len(communes) * 3}, rounds: {args.rounds}")
    print(
        f"form list, first of the day (9 pyxform conversions): median {median_cold * 1000:.0f} ms"
    )
    print(
        f"form list, cached:                                   median {median_warm * 1000:.0f} ms"
    )
    print(f"ratio: {median_cold / median_warm:.1f}×")


if __name__ == "__main__":
    main()
