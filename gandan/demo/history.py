"""The demo field-work history: villages on the real communes of Đắk Lắk and detailed
activity records from 5-7-2004 to today, plus a few totals from old paper reports.

Deterministic (seeded). The generator aims at the figures the 2019 review published for
5-7-2004 → 10-9-2019 (domain.md §5); the reporting code only ever sees the records.
"""

import datetime
import random
from collections.abc import Callable

from gandan.core.dates import today
from gandan.core.errors import DomainError
from gandan.geo.models import AdminUnit, Kind, Level, UnitChange, UnitVersion
from gandan.geo.selectors import unit_by_code, units_on
from gandan.geo.services import unit_reparent, village_create
from gandan.geo.tree import Tree, tree
from gandan.indicators.models import Indicator
from gandan.org.models import Team
from gandan.work.models import Activity, ActivityType, Movement
from gandan.work.services import ActivityInput, activities_bulk_create, aggregate_entry_create
from gandan.work.validation import Checker

FOUNDING = datetime.date(2004, 7, 5)
REVIEW = datetime.date(2019, 9, 10)
# What the review published for the phase (the generator's aim, not the reports' knowledge).
AIM = {
    "campaigns": 12_046,
    "villages_reached": 604,
    "participants": 170_412,
    "trainings": 568,
    "money_vnd": 1_036_418_500_000,
    "land_m2": 612_540,
    "labour_days": 147_048,
}
PAPER_LABOUR_DAYS = 21_600
PAPER_END = datetime.date(2008, 12, 31)  # "hơn 21.600 ngày công" in one district's 2004-2008 report

_EDE_VILLAGES = """Ea Kmar, Kô Siêr, Tơng Jú, Ea Bông, Cư Knao, Ea Na, Dhăm, Kram, Ea Pôk, Jun,
    Trưng, Ea Sim, Cuôr Đăng, Kmrơng Prông, Ea Tiêu, Krông, Ea Ŭ, Čư Pơng, Ea Drơng, Hra Ea Hning"""
EDE_VILLAGE_NAMES = [name.strip() for name in _EDE_VILLAGES.split(",")]

Progress = Callable[[str], None]


def history_load(*, progress: Progress | None = None) -> None:
    """Villages, activities and paper totals. Does nothing if activities exist."""
    say = progress or (lambda _msg: None)
    if Activity.objects.exists():
        return
    rng = random.Random(2004)
    province = unit_by_code("66", level=Level.PROVINCE, on=REVIEW)
    say("Thêm thôn, buôn, tổ dân phố cho các xã …")
    villages = _villages(province, rng)
    say(
        f"Ghi {AIM['campaigns']:,} đợt phát động và các hoạt động khác (2004 – nay) …".replace(
            ",", "."
        )
    )
    rows = _activities(villages, rng)
    last = [0]

    def tick(done: int, total: int) -> None:
        if done - last[0] >= total // 10:
            last[0] = done
            say(f"  … {done * 100 // total}%")

    activities_bulk_create(actor=None, rows=rows, label="dữ liệu trình diễn", progress=tick)
    say("Nhập số liệu tổng hợp từ báo cáo giấy cũ …")
    _paper_totals(province)


def _villages(province: AdminUnit, rng: random.Random) -> dict[int, list[AdminUnit]]:
    """3–6 villages per commune of 2019; the first ``reached`` of each are the ones that
    the 2004–2019 campaigns reach (604 in all)."""
    communes = list(units_on(REVIEW, level=Level.COMMUNE, within=province))
    existing: dict[int, list[AdminUnit]] = {}
    for version in UnitVersion.objects.filter(
        unit__level=Level.VILLAGE, valid_from=FOUNDING
    ).select_related("unit"):
        existing.setdefault(version.parent_id or 0, []).append(version.unit)
    result: dict[int, list[AdminUnit]] = {}
    found = tree()
    for version in communes:
        commune = version.unit
        have = existing.get(commune.pk, [])
        wanted = rng.randint(4, 6)
        urban = version.kind in {Kind.PHUONG, Kind.THI_TRAN}
        for n in range(len(have) + 1, wanted + 1):
            if urban:
                kind, name = Kind.TO_DAN_PHO, str(n)
            elif rng.random() < 0.55:
                kind, name = (
                    Kind.BUON,
                    EDE_VILLAGE_NAMES[(n * 7 + commune.pk) % len(EDE_VILLAGE_NAMES)],
                )
            else:
                kind, name = Kind.THON, str(n)
            # Villages of merged communes meet their namesakes later: try other numbers.
            for kind_, name_ in [(kind, name), *((Kind.THON, str(n + k)) for k in (0, 10, 20, 30))]:
                try:
                    have.append(_village(commune, name_, kind_, found))
                    break
                except DomainError:
                    continue
        result[commune.pk] = have
    return result


def _village(commune: AdminUnit, name: str, kind: str, found: Tree) -> AdminUnit:
    """A village from 5-7-2004. In a commune born later (Dray Bhăng 2005, the wards of Buôn Hồ
    2009, …) it first belongs to the commune that held its land then, and moves on the day
    the commune begins, with that day's legal basis: records before are not attached to a
    unit that did not exist yet."""
    born = commune.valid_from
    if born is None or born <= FOUNDING:
        return village_create(
            actor=None, commune=commune, name=name, kind=kind, valid_from=FOUNDING
        )
    before = sorted(found.forerunners(commune.pk, FOUNDING))
    first = AdminUnit.objects.get(pk=before[0])
    village = village_create(actor=None, commune=first, name=name, kind=kind, valid_from=FOUNDING)
    change = UnitChange.objects.filter(effective_on=born, successions__successor=commune).first()
    unit_reparent(
        unit=village, parent=commune, on=born, basis=change.legal_basis if change else None
    )
    return village


def _split_total(total: int, parts: int, rng: random.Random, spread: float = 0.6) -> list[int]:
    weights = [1 + rng.random() * spread * 2 - spread for _ in range(parts)]
    scale = total / sum(weights)
    values = [int(w * scale) for w in weights]
    values[-1] += total - sum(values)
    return values


def _activities(villages: dict[int, list[AdminUnit]], rng: random.Random) -> list[ActivityInput]:
    checker = Checker()
    checker.preload([v.pk for vs in villages.values() for v in vs])
    types = {t.code: t for t in ActivityType.objects.all()}
    movements = list(Movement.objects.all())
    teams = {t.unit_id: t for t in Team.objects.filter(level="commune")}
    communes = list(villages)
    reached_counts = [3] * len(communes)
    for i in rng.sample(range(len(communes)), AIM["villages_reached"] - 3 * len(communes)):
        reached_counts[i] += 1
    reached = {c: villages[c][:n] for c, n in zip(communes, reached_counts, strict=True)}
    span = (REVIEW - FOUNDING).days
    rows: list[ActivityInput] = []

    def on_date(day: datetime.date, village: AdminUnit) -> tuple[AdminUnit, Team | None] | None:
        parent = checker.parent_on(village.pk, day)
        if parent is None or parent < 0:
            return None
        commune = checker.unit(parent)
        team = teams.get(parent)
        return commune, team if team is not None and team.is_active_on(day) else None

    paper_district = _paper_district()

    def campaign(
        day: datetime.date,
        commune_id: int,
        people: int,
        chosen: list[AdminUnit],
        values: dict[str, object],
    ) -> bool:
        found = on_date(day, chosen[0])
        if found is None:
            return False
        commune, team = found
        chosen = [v for v in chosen if checker.parent_on(v.pk, day) == commune.pk]
        rows.append(
            ActivityInput(
                type=types["pdqc"],
                unit=commune,
                start=day,
                end=day + datetime.timedelta(days=rng.choice([0, 1, 2])),
                villages=chosen,
                teams=[team] if team else [],
                movements=rng.sample(movements, k=rng.randint(1, 2)),
                partners=rng.sample(
                    ["cap_uy", "chinh_quyen", "mttq", "doan_the", "cong_an"], k=rng.randint(1, 3)
                ),
                participants=people,
                participants_female=people * rng.randint(35, 55) // 100,
                participants_minority=people * rng.randint(55, 95) // 100,
                values=values,
                title="Phát động quần chúng thực hiện chủ trương, chính sách; nắm tâm tư nguyện vọng",
            )
        )
        return True

    def pick(commune_id: int, village: AdminUnit | None) -> list[AdminUnit]:
        pool = reached[commune_id]
        first = village or rng.choice(pool)
        second = [v for v in pool if v.pk != first.pk]
        return [first, rng.choice(second)] if second and rng.random() < 0.25 else [first]

    # 2004-2019: every reached village at least once, then the rest spread over time.
    plan: list[tuple[int, AdminUnit | None]] = [(c, v) for c in communes for v in reached[c]]
    plan += [(rng.choice(communes), None) for _ in range(AIM["campaigns"] - len(plan))]
    rng.shuffle(plan)
    days = sorted(FOUNDING + datetime.timedelta(days=rng.randint(0, span)) for _ in plan)
    people = _split_total(AIM["participants"], len(plan), rng)
    with_money = set(rng.sample(range(len(plan)), 3_000))
    money = iter(_split_total(AIM["money_vnd"] // 500, len(with_money), rng, 0.9))
    land = iter(_split_total(AIM["land_m2"], len(with_money), rng, 0.9))
    labour = iter(_split_total(AIM["labour_days"] - PAPER_LABOUR_DAYS, len(with_money), rng, 0.9))
    carry = 0  # labour-days waiting for a campaign outside the paper report's scope
    for index, ((commune_id, village), day) in enumerate(zip(plan, days, strict=True)):
        values: dict[str, object] = {}
        if index in with_money:
            values = {"money_vnd": next(money) * 500, "land_m2": next(land)}
            carry += next(labour)
        chosen = pick(commune_id, village)
        in_paper_scope = day <= PAPER_END and paper_district.pk in checker.chain(chosen[0].pk, day)
        if carry and not in_paper_scope:
            values["labour_days"], carry = carry, 0
        placed = campaign(day, commune_id, people[index], chosen, values)
        if not placed:
            raise RuntimeError(f"demo: no commune for {chosen[0]} on {day}")
    if carry:
        raise RuntimeError("demo: labour-days left over")
    # Technical training sessions: exactly 568 in the phase.
    for day in sorted(
        FOUNDING + datetime.timedelta(days=rng.randint(0, span)) for _ in range(AIM["trainings"])
    ):
        commune_id = rng.choice(communes)
        found = on_date(day, reached[commune_id][0])
        if found is None:
            continue
        commune, team = found
        n = rng.randint(15, 60)
        rows.append(
            ActivityInput(
                type=types["huong_dan_ky_thuat"],
                unit=commune,
                start=day,
                end=day,
                villages=[reached[commune_id][0]],
                teams=[team] if team else [],
                movements=[],
                partners=["chinh_quyen"],
                participants=n,
                title="Hướng dẫn kỹ thuật chăm sóc cà phê, hồ tiêu, chăn nuôi bò",
            )
        )
    # After the review, to today: the work goes on, on the 2025 communes after 1-7-2025.
    after = (today() - REVIEW).days
    for _ in range(after * 3 // 2):
        day = REVIEW + datetime.timedelta(days=rng.randint(1, after))
        commune_id = rng.choice(communes)
        campaign(day, commune_id, rng.randint(8, 30), pick(commune_id, None), {})
    return rows


def _paper_district() -> AdminUnit:
    return unit_by_code("656", level=Level.DISTRICT, on=REVIEW)  # huyện Lắk


def _paper_totals(province: AdminUnit) -> None:
    """Totals from old paper reports, for indicators and periods with no records."""
    lak = _paper_district()
    aggregate_entry_create(
        actor=None,
        indicator=Indicator.objects.get(code="labour_days"),
        unit=lak,
        period_start=FOUNDING,
        period_end=PAPER_END,
        period_label="giai đoạn 2004 - 2008",
        value=PAPER_LABOUR_DAYS,
        qualifier="hon",
        source_number="112-BC/HU",
        source_date=datetime.date(2009, 1, 15),
        source_title="Báo cáo sơ kết 4 năm hoạt động của Đội công tác PĐQC huyện Lắk",
    )
    krong_bong = unit_by_code("653", level=Level.DISTRICT, on=REVIEW)
    aggregate_entry_create(
        actor=None,
        indicator=Indicator.objects.get(code="vegetable_gardens"),
        unit=krong_bong,
        period_start=FOUNDING,
        period_end=datetime.date(2008, 12, 31),
        period_label="2004-2008",
        value=1_250,
        qualifier="tren",
        source_number="87-BC/HU",
        source_date=datetime.date(2009, 1, 12),
        source_title="Báo cáo kết quả hoạt động Đội công tác PĐQC huyện Krông Bông 2004-2008",
    )
    del province
