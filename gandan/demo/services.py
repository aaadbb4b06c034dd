"""The deterministic demo dataset, built on the real units through the same services users use."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from gandan.accounts.models import Role, User
from gandan.analytics.facts import facts_merge
from gandan.cases.seed import kinds_seed
from gandan.demo.cases import cases_load
from gandan.demo.history import history_load
from gandan.demo.roster import roster_load
from gandan.geo.importers import units_load_province
from gandan.geo.models import AdminUnit, Level, UnitVersion, valid_on_q
from gandan.geo.selectors import unit_by_code
from gandan.geo.services import village_create
from gandan.indicators.services import catalogue_seed
from gandan.reports.models import Regime
from gandan.reports.seed import seed_regimes
from gandan.work.seed import types_movements_seed

DEMO_PASSWORD = "demo253"  # noqa: S105 - printed to the user by `make run`; demo only

REFORM = datetime.date(2025, 7, 1)
FOUNDING = datetime.date(2004, 7, 5)


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    unit_code: str
    level: str
    on: datetime.date
    role: str
    note: str


DEMO_USERS = [
    DemoUser(
        "tinh",
        "Ban Dân vận Tỉnh ủy Đắk Lắk",
        "66",
        Level.PROVINCE,
        REFORM,
        Role.ADMIN,
        "quản trị cấp tỉnh, xem toàn tỉnh qua mọi thời kỳ",
    ),
    DemoUser(
        "lak",
        "Y Săn Ayun",
        "656",
        Level.DISTRICT,
        datetime.date(2019, 9, 10),
        Role.CLERK,
        "nhập liệu huyện Lắk (đến 30/6/2025)",
    ),
    DemoUser(
        "liensonlak",
        "H'Hồng Niê",
        "24580",
        Level.COMMUNE,
        REFORM,
        Role.CLERK,
        "nhập liệu xã Liên Sơn Lắk (từ 1/7/2025, gồm lịch sử các xã cũ)",
    ),
    DemoUser(
        "lanhdao",
        "Lãnh đạo Ban Tuyên giáo và Dân vận",
        "66",
        Level.PROVINCE,
        REFORM,
        Role.LEADER,
        "lãnh đạo tỉnh, chỉ xem",
    ),
]

# Real villages of Đắk Lắk (legacy commune code, kind, name), with Ê Đê spellings kept.
DEMO_VILLAGES = [
    ("24136", "buon", "Akŏ Dhŏng"),
    ("24163", "buon", "Kô Tam"),
    ("24169", "buon", "Tơng Jú"),
    ("24169", "buon", "Ea Kao"),
    ("24580", "buon", "Jun"),
    ("24580", "buon", "M'Liêng"),
    ("24583", "buon", "Yang Lah"),
    ("24586", "buon", "Dơng Băk"),
    ("24586", "thon", "1"),
    ("24157", "thon", "3"),
]

Progress = Callable[[str], None]


@transaction.atomic
def demo_load(*, progress: Progress | None = None) -> list[DemoUser]:
    """Load units, demo users and demo villages. Running it again changes nothing."""
    say = progress or (lambda _msg: None)
    say("Nạp đơn vị hành chính Đắk Lắk và Phú Yên (vietnamadminunits) …")
    units_load_province(province_code="66", progress=say)
    # The migrations seed the catalogue; a database flushed since (tests) gets it back.
    catalogue_seed()
    types_movements_seed()
    kinds_seed()
    seed_regimes(Regime)
    for spec in DEMO_USERS:
        unit = unit_by_code(spec.unit_code, level=spec.level, on=spec.on)
        user, created = User.objects.get_or_create(
            username=spec.username,
            defaults={"full_name": spec.full_name, "unit": unit, "role": spec.role},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", "", DEMO_PASSWORD, full_name="Quản trị hệ thống")
    say("Thêm thôn, buôn mẫu …")
    start = FOUNDING
    for code, kind, name in DEMO_VILLAGES:
        commune = unit_by_code(code, level=Level.COMMUNE, on=start)
        exists = UnitVersion.objects.filter(
            valid_on_q(start), parent=commune, unit__level=Level.VILLAGE, name=name
        ).exists()
        if not exists:
            village_create(actor=None, commune=commune, name=name, kind=kind, valid_from=start)
    roster_load(progress=say)
    history_load(progress=say)
    cases_load(progress=say)
    say("Gộp sổ ghi vào bảng số liệu phân tích (gandan analytics merge) …")
    facts_merge()
    say(f"Xong: {AdminUnit.objects.count()} đơn vị.")
    return DEMO_USERS
