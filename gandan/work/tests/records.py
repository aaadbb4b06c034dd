"""Records the work page, API and selector tests share, on the real units and the ``field``
villages, written through the services like production data. See :func:`build_records`.

Who sees which record (an activity is visible when its unit is the user's on its start):

| record     | unit, start                        | admin | lak | commune | leader | outsider |
|------------|------------------------------------|-------|-----|---------|--------|----------|
| yang_tao   | xã Yang Tao, 14-3-2012             | ✓     | ✓   | ✓       | ✓      |          |
| nam_ka     | xã Nam Ka, 2-5-2012                | ✓     | ✓   |         | ✓      |          |
| last_day   | xã Yang Tao, 30-6-2025             | ✓     | ✓   | ✓       | ✓      |          |
| lien_son   | xã Liên Sơn Lắk, 15-8-2025         | ✓     |     | ✓       | ✓      |          |
| dak_pek    | xã Đắk Pék (Kon Tum), 1-6-2012     |       |     |         |        | ✓        |
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

from django.db import transaction

from gandan.core.models import AuditEntry
from gandan.indicators.models import Indicator
from gandan.org import services as org_services
from gandan.tests.cast import REFORM
from gandan.work.models import Activity, ActivityType, ActivityValue, AggregateEntry, Movement, Work
from gandan.work.services import ActivityInput, activity_create, aggregate_entry_create

FOUNDING = datetime.date(2004, 7, 5)
ON = datetime.date(2012, 3, 14)
LAST_DAY = REFORM - datetime.timedelta(days=1)
AFTER = datetime.date(2025, 8, 15)
PASSWORD = "matkhau-demo-253"

RECORDS = ["yang_tao", "nam_ka", "last_day", "lien_son", "dak_pek"]
SEES = {
    "province_admin": "yang_tao nam_ka last_day lien_son",
    "lak_clerk": "yang_tao nam_ka last_day",
    "commune_clerk": "yang_tao last_day lien_son",
    "leader": "yang_tao nam_ka last_day lien_son",
    "outsider": "dak_pek",
}


def matrix(*, write: bool = False) -> list[tuple[str, str, int]]:
    """(user, record, status): 200 for what a user sees, 404 for the rest; a leader who
    writes a record they see gets 403."""
    rows = []
    for who, visible in SEES.items():
        for name in RECORDS:
            status = 200 if name in visible.split() else 404
            if write and who == "leader" and status == 200:
                status = 403
            rows.append((who, name, status))
    return rows


@contextmanager
def rolled_back() -> Iterator[None]:
    """Undo what a request wrote, so one test can try a write as each user of the cast."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def counts() -> tuple[int, ...]:
    """Rows a refused write must leave untouched (sign-ins, audited as ``auth.*``, aside)."""
    return (
        Activity.objects.count(),
        ActivityValue.objects.count(),
        AggregateEntry.objects.count(),
        Work.objects.count(),
        AuditEntry.objects.exclude(action__startswith="auth.").count(),
    )


def build_records(field):
    """Teams and five activities (see the module docstring) on the ``field`` fixture."""
    team = org_services.team_create
    r = SimpleNamespace(places=field)
    r.team_lak = team(actor=None, name="Đội huyện Lắk", unit=field.lak, established_on=FOUNDING)
    r.team_yang_tao = team(
        actor=None,
        name="Tổ Yang Tao",
        unit=field.yang_tao,
        established_on=FOUNDING,
        parent=r.team_lak,
        kind="to",
    )
    r.team_nam_ka = team(actor=None, name="Tổ Nam Ka", unit=field.nam_ka, established_on=FOUNDING)
    r.team_lien_son = team(
        actor=None, name="Tổ Liên Sơn Lắk", unit=field.lien_son_lak, established_on=REFORM
    )
    r.team_dak_pek = team(
        actor=None, name="Tổ Đắk Pék", unit=field.dak_pek, established_on=FOUNDING
    )
    pdqc = ActivityType.objects.get(code="pdqc")
    talk = ActivityType.objects.get(code="tuyen_truyen")
    ntm = Movement.objects.get(code="ntm_dtvm")

    def record(unit, start, villages=(), *, type=pdqc, teams=(), **extra):
        return activity_create(
            actor=None,
            data=ActivityInput(
                type=type,
                unit=unit,
                start=start,
                end=extra.pop("end", start),
                villages=list(villages),
                teams=list(teams),
                movements=extra.pop("movements", []),
                partners=extra.pop("partners", []),
                **extra,
            ),
        )

    r.yang_tao = record(
        field.yang_tao,
        ON,
        [field.yt_a, field.yt_b],
        teams=[r.team_yang_tao],
        movements=[ntm],
        partners=["mttq", "chinh_quyen"],
        participants=240,
        participants_female=130,
        values={"money_vnd": "15000000", "land_m2": "320"},
        title="Phát động làm đường liên thôn",
    )
    r.nam_ka = record(
        field.nam_ka,
        datetime.date(2012, 5, 2),
        [field.nam_ka_village],
        type=talk,
        teams=[r.team_nam_ka],
        participants=80,
    )
    r.last_day = record(field.yang_tao, LAST_DAY, [field.yt_a], participants=60)
    r.lien_son = record(
        field.lien_son_lak,
        AFTER,
        [field.yt_a],
        teams=[r.team_lien_son],
        participants=150,
        values={"money_vnd": "8000000"},
    )
    r.dak_pek = record(field.dak_pek, datetime.date(2012, 6, 1), participants=40)
    return r


def paper_total(
    unit, code="campaigns", value="5700", qualifier="tren", start=(2004, 7, 5), end=(2008, 12, 31)
):
    """A district's paper total: by default "trên 5.700 đợt" campaigns for 2004-2008."""
    return aggregate_entry_create(
        actor=None,
        indicator=Indicator.objects.get(code=code),
        unit=unit,
        period_start=datetime.date(*start),
        period_end=datetime.date(*end),
        period_label="2004 - 2008",
        value=value,
        qualifier=qualifier,
        source_number="45-BC/HU",
        source_date=datetime.date(2009, 1, 10),
    )
