"""The results section in Vietnamese, written the way the 2019 review article writes it.

Every number comes from the figures passed in (the aggregation service); an indicator with
no data gets no clause. Rounding words follow ``core.numbers.in_prose``.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from gandan.core.numbers import format_number, in_prose
from gandan.geo.models import AdminUnit, Level
from gandan.indicators.aggregation import Figure
from gandan.org.models import Award
from gandan.org.selectors import Headcount

SCOPE_WORDS = {Level.PROVINCE: "toàn tỉnh", Level.DISTRICT: "toàn huyện", Level.COMMUNE: "toàn xã"}


@dataclass(frozen=True)
class AwardLine:
    body: str
    kind: str
    collectives: int
    individuals: int


def _fig(figures: Mapping[str, Figure], code: str) -> Figure | None:
    figure = figures.get(code)
    return figure if figure is not None and figure.has_data and figure.value > 0 else None


def _say(figure: Figure, unit: str | None = None) -> str:
    return str(
        in_prose(
            figure.value, unit if unit is not None else figure.indicator.unit, figure.qualifier
        )
    )


def headcount_sentence(unit: AdminUnit, headcount: Headcount) -> str | None:
    if not headcount.total:
        return None
    parts = {key: count for key, _label, count in headcount.rows}
    named = [
        ("Đội công tác cấp tỉnh", "province"),
        ("cấp huyện", "district"),
        ("cấp xã", "commune"),
    ]
    clauses = [
        f"{label} có {format_number(parts[key])} người" for label, key in named if parts.get(key)
    ]
    scope = SCOPE_WORDS.get(unit.level, f"toàn {unit}")  # type: ignore[call-overload]
    sentence = (
        f"Hiện nay, {scope} có {format_number(headcount.total)} người làm việc trong các Đội công tác "
        "phát động quần chúng chuyên trách"
    )
    if len(clauses) > 1:
        sentence += ", trong đó " + ", ".join(clauses[:-1]) + " và " + clauses[-1]
    return sentence + "."


def results_sentence(figures: Mapping[str, Figure]) -> str | None:
    """ "… đã tổ chức trên 12.000 đợt phát động quần chúng, tại 604 thôn, buôn, tổ dân phố ở
    184 xã, phường, thị trấn, với trên 170.000 lượt người tham gia; …"."""
    clauses: list[str] = []
    campaigns = _fig(figures, "campaigns")
    if campaigns:
        clause = f"tổ chức {_say(campaigns, 'đợt')} phát động quần chúng"
        villages, communes = _fig(figures, "villages_reached"), _fig(figures, "communes_reached")
        if villages:
            clause += f", tại {_say(villages)}"
            if communes:
                clause += f" ở {_say(communes)}"
        elif communes:
            clause += f", tại {_say(communes)}"
        participants = _fig(figures, "participants")
        if participants:
            clause += f", với {_say(participants)} tham gia"
        clauses.append(clause)
    trainings = _fig(figures, "trainings")
    if trainings:
        clauses.append(
            f"tổ chức {_say(trainings)} hướng dẫn người dân về kỹ thuật chăm sóc cây trồng, vật nuôi"
        )
    contributions = []
    if money := _fig(figures, "money_vnd"):
        contributions.append(f"đóng góp {_say(money)}")
    if land := _fig(figures, "land_m2"):
        contributions.append(f"hiến {_say(land)} đất")
    if labour := _fig(figures, "labour_days"):
        contributions.append(f"{_say(labour)} lao động")
    if contributions:
        clauses.append(
            "vận động nhân dân "
            + ", ".join(contributions)
            + " cho các công trình xây dựng nông thôn mới"
        )
    if not clauses:
        return None
    return (
        "Các Đội công tác phát động quần chúng chuyên trách các cấp đã " + "; ".join(clauses) + "."
    )


def issues_sentence(figures: Mapping[str, Figure]) -> str | None:
    """Grassroots cases: "… đã tiếp nhận, tham mưu xử lý 11 vụ việc phát sinh ở cơ sở, trong
    đó đã giải quyết 8 vụ việc." Cases resolved in the period may have been received before
    it, so each figure is said only when it has data."""
    received, resolved = _fig(figures, "issues_received"), _fig(figures, "issues_resolved")
    subject = "Các Đội công tác phát động quần chúng chuyên trách các cấp đã"
    if received is None:
        if resolved is None:
            return None
        return f"{subject} tham mưu giải quyết {_say(resolved)} phát sinh ở cơ sở."
    sentence = f"{subject} tiếp nhận, tham mưu xử lý {_say(received)} phát sinh ở cơ sở"
    if resolved is not None:
        sentence += f", trong đó đã giải quyết {_say(resolved)}"
    return sentence + "."


LOWER_BODIES = {"district": "Cấp huyện", "commune": "Cấp xã"}
BODY_RANK = {"central": 0, "province": 1, "district": 2, "commune": 3}


def award_lines(awards: list[Award], unit_level: str) -> list[AwardLine]:
    """Awards by the unit's own level or above are named by their body; lower levels'
    awards are summed per level ("Cấp huyện đã tặng Giấy khen cho 6 tập thể")."""
    grouped: dict[tuple[int, str, str], list[int]] = {}
    own_rank = BODY_RANK.get(unit_level, 1)
    for award in awards:
        rank = BODY_RANK[award.body_level]
        body = (
            award.awarding_body
            if rank <= own_rank
            else LOWER_BODIES.get(award.body_level, award.awarding_body)
        )
        counts = grouped.setdefault((rank, body, award.get_kind_display()), [0, 0])
        counts[1 if award.is_individual else 0] += 1
    return [AwardLine(body, kind, c, i) for (_rank, body, kind), (c, i) in sorted(grouped.items())]


def awards_sentence(lines: list[AwardLine], phase: str) -> str | None:
    if not lines:
        return None
    parts = []
    for line in lines:
        who = [
            f"{format_number(n)} {label}"
            for n, label in ((line.collectives, "tập thể"), (line.individuals, "cá nhân"))
            if n
        ]
        parts.append(f"{line.body} đã tặng {line.kind} cho {' và '.join(who)}")
    return "; ".join(
        parts
    ) + f" có thành tích xuất sắc trong công tác phát động quần chúng {phase}.".replace("  ", " ")


def phase_label(start: datetime.date, end: datetime.date) -> str:
    return f"giai đoạn {start.year}-{end.year}" if start.year != end.year else f"năm {start.year}"


def narrative(
    *,
    unit: AdminUnit,
    start: datetime.date,
    end: datetime.date,
    figures: Mapping[str, Figure],
    headcount: Headcount,
    awards: list[Award],
) -> str:
    sentences = [
        headcount_sentence(unit, headcount),
        results_sentence(figures),
        issues_sentence(figures),
        awards_sentence(award_lines(awards, unit.level), phase_label(start, end)),
    ]
    return "\n".join(s for s in sentences if s)
