"""Shared fixtures: the real units of Đắk Lắk and Phú Yên, and the cast of users.

The cast (used on every access rule):
- ``province_admin``: quản trị of Đắk Lắk (66), sees the whole province through time;
- ``lak_clerk``: cán bộ nhập liệu of huyện Lắk, which existed until 1-7-2025;
- ``commune_clerk``: cán bộ nhập liệu of the 2025 xã Liên Sơn Lắk, which took in the legacy
  thị trấn Liên Sơn and xã Yang Tao and Bông Krang;
- ``leader``: lãnh đạo of Đắk Lắk, read-only;
- ``outsider``: quản trị of another province (Kon Tum), sees nothing of Đắk Lắk.
"""

import datetime
import os

import pytest

os.environ.setdefault("GANDAN_ALLOW_INSECURE_KEY", "1")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("GANDAN_MEMORY_CACHE", "1")

REFORM = datetime.date(2025, 7, 1)


def pytest_collection_finish(session):
    """Once the tests are collected, the modules, URL patterns and templates they loaded stay
    for the whole run: move them out of the garbage collector's sight (``gc.freeze``) and
    collect less often. Each test then allocates thousands of short-lived model instances
    without the collector rescanning the whole of Django each time (6-8 % of the run)."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


@pytest.fixture(scope="session", autouse=True)
def _second_factor_off():
    """Two-factor sign-in is on in production (GANDAN_2FA_REQUIRED, on unless DEBUG); the
    cast signs in with ``force_login``, so the suite turns it off and the tests that prove
    it (accounts/tests/test_two_factor.py) turn it on with the ``settings`` fixture."""
    from django.conf import settings

    settings.GANDAN_2FA_REQUIRED = False


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty cache (import progress is kept there)."""
    from django.core.cache import cache

    cache.clear()


def _read_uncommitted_in_shared_memory(sender, connection, **kwargs) -> None:
    """The SQLite test database lives in shared memory, where a reader needs a table lock
    and fails at once while another thread writes that table (no busy timeout there). A
    browser test's page reads while its worker thread writes; in production a file database
    in WAL mode lets readers read. This lets them here too (shared-cache readers skip the
    table locks)."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA read_uncommitted = 1")


def _load_real_units() -> None:
    from gandan.geo.importers import units_load_province
    from gandan.geo.models import Kind
    from gandan.geo.services import unit_create

    units_load_province(province_code="66")
    from gandan.geo.models import AdminUnit

    if not AdminUnit.objects.filter(code="62", level="province").exists():
        kon_tum = unit_create(
            code="62", name="Kon Tum", kind=Kind.TINH, parent=None, valid_from=None
        )
        district = unit_create(
            code="610", name="Đắk Glei", kind=Kind.HUYEN, parent=kon_tum, valid_from=None
        )
        unit_create(code="23284", name="Đắk Pék", kind=Kind.XA, parent=district, valid_from=None)
    # The analytics ledger follows the tree just loaded, as after `gandan load_units`.
    from gandan.analytics.facts import facts_rekey
    from gandan.work.ledger import ledger_tree

    ledger_tree()
    facts_rekey()


@pytest.fixture(scope="session", autouse=True)
def _sqlite_readers():
    from django.db.backends.signals import connection_created

    connection_created.connect(_read_uncommitted_in_shared_memory)
    yield
    connection_created.disconnect(_read_uncommitted_in_shared_memory)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real units once per test session; each test rolls back to this state."""
    with django_db_blocker.unblock():
        _load_real_units()


@pytest.fixture
def real_units(db):
    """For transactional tests (browser), which flush the database: reload when needed."""
    from gandan.geo.models import DatasetLoad

    if not DatasetLoad.objects.exists():
        _load_real_units()


def _flushes(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return item.get_closest_marker("browser") is not None or bool(
        marker and marker.kwargs.get("transaction")
    )


def pytest_collection_modifyitems(items):
    """Browser tests and other transactional tests flush the database, so they run last."""
    items.sort(key=_flushes)


@pytest.fixture
def unit():
    """Look up a unit by code, level and (optionally) the date it was valid on."""
    from gandan.geo.selectors import unit_by_code

    def find(code: str, level: str | None = None, on: datetime.date | None = None):
        return unit_by_code(code, level=level, on=on)

    return find


def _make_user(username: str, unit, role: str):
    from gandan.accounts.models import User

    user = User.objects.create_user(
        username=username, password="matkhau-demo-253", unit=unit, role=role
    )
    user.full_name = username
    user.save()
    return user


@pytest.fixture
def province_admin(db, unit):
    return _make_user("tinh_admin", unit("66", "province", REFORM), "admin")


@pytest.fixture
def lak_clerk(db, unit):
    return _make_user("lak_clerk", unit("656", "district", datetime.date(2019, 9, 10)), "clerk")


@pytest.fixture
def commune_clerk(db, unit):
    return _make_user("liensonlak_clerk", unit("24580", "commune", REFORM), "clerk")


@pytest.fixture
def leader(db, unit):
    return _make_user("tinh_lanhdao", unit("66", "province", REFORM), "leader")


@pytest.fixture
def outsider(db, unit):
    return _make_user("kontum_admin", unit("62", "province"), "admin")


@pytest.fixture
def places(db, unit):
    """Named real units, and a village (thôn Hòa Bình, 2010) in three communes."""
    from types import SimpleNamespace

    from gandan.geo.models import AdminUnit, Kind, Level, UnitVersion
    from gandan.geo.services import village_create
    from gandan.tests.cast import FOUNDED, OLD

    p = SimpleNamespace(
        dak_lak=unit("66", Level.PROVINCE, REFORM),
        phu_yen=unit("54", Level.PROVINCE, OLD),
        lak=unit("656", Level.DISTRICT, OLD),
        lien_son_lak=unit("24580", Level.COMMUNE, REFORM),
        tt_lien_son=unit("24580", Level.COMMUNE, OLD),
        yang_tao=unit("24583", Level.COMMUNE, OLD),
        bong_krang=unit("24586", Level.COMMUNE, OLD),
        nam_ka=unit("24607", Level.COMMUNE, OLD),
        ea_kao=unit("24169", Level.COMMUNE, OLD),  # Buôn Ma Thuột
        dak_pek=unit("23284", Level.COMMUNE),  # Kon Tum
    )
    districts = UnitVersion.objects.filter(parent=p.phu_yen).values("unit_id")
    p.phu_yen_commune = AdminUnit.objects.filter(versions__parent__in=districts).first()
    village = {"actor": None, "name": "Hòa Bình", "kind": Kind.THON, "valid_from": FOUNDED}
    for commune in ("yang_tao", "nam_ka", "dak_pek"):
        setattr(p, f"{commune}_village", village_create(commune=getattr(p, commune), **village))
    return p


@pytest.fixture
def field(places):
    """Two villages in legacy xã Yang Tao (huyện Lắk) and one in Bông Krang, from 2004."""
    from gandan.geo.models import Kind
    from gandan.geo.services import village_create

    founded = datetime.date(2004, 7, 5)
    places.yt_a = village_create(
        actor=None,
        commune=places.yang_tao,
        name="Buôn Yang Lah",
        kind=Kind.BUON,
        valid_from=founded,
    )
    places.yt_b = village_create(
        actor=None, commune=places.yang_tao, name="Akŏ Dhŏng", kind=Kind.BUON, valid_from=founded
    )
    places.bk_a = village_create(
        actor=None, commune=places.bong_krang, name="Dơng Băk", kind=Kind.BUON, valid_from=founded
    )
    return places


@pytest.fixture
def activity_input():
    """Build an ActivityInput with defaults: a campaign (pdqc) in a commune on a date."""
    from gandan.work.models import ActivityType
    from gandan.work.services import ActivityInput

    def build(unit, on, villages=(), *, type_code="pdqc", participants=0, values=None, **extra):
        return ActivityInput(
            type=ActivityType.objects.get(code=type_code),
            unit=unit,
            start=on,
            end=extra.pop("end", on),
            villages=list(villages),
            teams=extra.pop("teams", []),
            movements=extra.pop("movements", []),
            partners=extra.pop("partners", []),
            participants=participants,
            values=values,
            **extra,
        )

    return build


@pytest.fixture
def seeded_catalogue():
    """The seeded catalogue and activity types, which migrations write and a browser test's
    flush (``transaction=True``) removes: put back for the test that needs them."""
    from gandan.indicators.services import catalogue_seed
    from gandan.work.seed import types_movements_seed

    catalogue_seed()
    types_movements_seed()


@pytest.fixture
def cast(province_admin, lak_clerk, commune_clerk, leader, outsider):
    return {
        "province_admin": province_admin,
        "lak_clerk": lak_clerk,
        "commune_clerk": commune_clerk,
        "leader": leader,
        "outsider": outsider,
    }


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright: drive Debian's Chromium, never a downloaded browser."""
    from gandan.tests.browser import CHROMIUM, CHROMIUM_ARGS

    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hasher():
    """Tests create many users; the production hasher would dominate the run time. Set once
    for the session (a per-test ``settings`` override costs every test its signals)."""
    from django.conf import settings
    from django.contrib.auth.hashers import get_hashers

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    get_hashers.cache_clear()


@pytest.fixture
def page(page):
    """pytest-playwright's page, failing the test when the page breaks: a script the
    Content-Security-Policy refuses or an uncaught JavaScript error."""
    broken: list[str] = []
    page.on(
        "console",
        lambda m: (
            broken.append(m.text)
            if m.type == "error" and "Content Security Policy" in m.text
            else None
        ),
    )
    page.on("pageerror", lambda error: broken.append(f"{error.name}: {error.message}"))
    yield page
    assert not broken, "Trang bị lỗi JavaScript hoặc CSP chặn:\n" + "\n".join(broken)
