"""The results section in Vietnamese, written the way the 2019 review article writes it.

Every number comes from the figures passed in (the aggregation service); an indicator with
no data gets no clause, and every indicator with data gets one. The order follows the
review: organisation; campaigns and places; participants; technical guidance; new-rural
works; household and social works; the grassroots political system; then grassroots cases
and awards. The first results sentence is the article's own, word for word. A commune
speaks as a commune ("Đội công tác … xã"), never "các cấp … ở 1 xã". Rounding and
qualifier words follow ``core.numbers.in_prose``; a paper total that no part of the unit can
carry is said apart, never dropped.
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from gandan.analytics.figures import ASIDE, Figure
from gandan.core.numbers import format_number, in_prose
from gandan.geo.models import KIND_PREFIX, AdminUnit, Level
from gandan.org.models import Award
from gandan.org.selectors import Headcount

SCOPE_WORDS = {Level.PROVINCE: "toàn tỉnh", Level.DISTRICT: "toàn huyện", Level.COMMUNE: "toàn xã"}
TEAMS = "Các Đội công tác phát động quần chúng chuyên trách các cấp"


@dataclass(frozen=True)
class Voice:
    """Who the narrative speaks of: the teams of every level of a province, of a district
    and its communes, or of one commune."""

    subject: str  # the first sentence's subject
    short: str  # the later sentences'
    many_communes: bool  # whether "ở 184 xã, phường, thị trấn" makes sense


PROVINCE_VOICE = Voice(TEAMS, "Các Đội công tác", many_communes=True)


def voice_of(unit: AdminUnit | None) -> Voice:
    if unit is None or unit.level == Level.PROVINCE:
        return PROVINCE_VOICE
    kind = KIND_PREFIX.get(unit.kind, "").lower()
    if unit.level == Level.DISTRICT:
        return Voice(
            f"Các Đội công tác phát động quần chúng chuyên trách trên địa bàn {kind}",
            "Các Đội công tác",
            many_communes=True,
        )
    return Voice(
        f"Đội công tác phát động quần chúng chuyên trách {kind}",
        "Đội công tác",
        many_communes=False,
    )


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


def results_sentence(figures: Mapping[str, Figure], voice: Voice = PROVINCE_VOICE) -> str | None:
    """ "… đã tổ chức trên 12.000 đợt phát động quần chúng, tại 604 thôn, buôn, tổ dân phố ở
    184 xã, phường, thị trấn, với trên 170.000 lượt người tham gia; …"."""
    clauses: list[str] = []
    campaigns = _fig(figures, "campaigns")
    if campaigns:
        clause = f"tổ chức {_say(campaigns, 'đợt')} phát động quần chúng"
        villages, communes = _fig(figures, "villages_reached"), _fig(figures, "communes_reached")
        if not voice.many_communes:
            communes = None
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
    return f"{voice.subject} đã " + "; ".join(clauses) + "."


# -- the rest of the review's order: one phrase per indicator, grouped by verb -------------

# (code, verb, what follows the figure and its unit); a phrase is "verb figure unit tail".
ORGANISATION = (
    ("teams", "được tổ chức thành", "công tác"),
    ("villages_assigned", "được phân công bám", ""),
)
MOBILISATION = (
    ("propaganda_sessions", "tổ chức", "tuyên truyền"),
    ("loudspeaker_runs", "tổ chức", "xe loa lưu động"),
    ("bulletins", "phát hành", ""),
    ("leaflets", "phát hành", "rơi"),
    ("news_items", "đăng", "trên các phương tiện thông tin"),
    ("key_people_mobilised", "vận động", "tham gia phát động quần chúng"),
    ("commitments_signed", "vận động", "ký cam kết"),
)
GUIDANCE = (("training_participants", "thu hút", "tham gia các buổi hướng dẫn kỹ thuật"),)
NEW_RURAL = (("roads_km", "cùng nhân dân làm mới, sửa chữa", "đường giao thông nông thôn"),)
HOUSEHOLDS = (
    ("vegetable_gardens", "hướng dẫn, giúp đỡ nhân dân xây dựng", "rau"),
    ("nurseries", "hướng dẫn, giúp đỡ nhân dân xây dựng", ""),
    ("models", "hướng dẫn, giúp đỡ nhân dân xây dựng", "phát triển sản xuất"),
    ("compost_tonnes", "sản xuất", "phân vi sinh"),
    ("livestock_pens", "vận động làm mới, di dời", "chăn nuôi"),
    ("livestock_pens_built", "vận động làm mới", "chăn nuôi"),
    ("livestock_pens_moved", "di dời", "chăn nuôi ra xa nhà ở"),
    ("wells", "đào", "nước"),
    ("households_sanitation", "vận động", "làm nhà tắm, nhà vệ sinh"),
    ("summer_classes", "mở", "học hè"),
    ("students_returned", "vận động", "bỏ học trở lại trường"),
)
POLITICAL = (
    ("party_cells_strengthened", "tham gia củng cố, kiện toàn", "thôn, buôn"),
    ("union_chapters_strengthened", "tham gia củng cố, kiện toàn", "đoàn thể"),
    ("members_recruited", "kết nạp", ""),
    ("village_conventions", "xây dựng", "quy ước, hương ước"),
)
SAID_ELSEWHERE = {
    "members",
    "campaigns",
    "villages_reached",
    "communes_reached",
    "participants",
    "trainings",
    "money_vnd",
    "land_m2",
    "labour_days",
    "issues_received",
    "issues_resolved",
    "awards_collective",
    "awards_individual",
}


def _phrases(figures: Mapping[str, Figure], table: Sequence[tuple[str, str, str]]) -> str | None:
    """ "xây dựng trên 1.250 vườn rau, 3 vườn ươm; đào 12 giếng nước": one verb for each
    run of phrases that share it."""
    groups: list[tuple[str, list[str]]] = []
    for code, verb, tail in table:
        figure = _fig(figures, code)
        if figure is None:
            continue
        if code == "livestock_pens" and (
            _fig(figures, "livestock_pens_built") or _fig(figures, "livestock_pens_moved")
        ):
            continue  # the parts say it better
        said = " ".join(part for part in (_say(figure), tail) if part)
        if groups and groups[-1][0] == verb:
            groups[-1][1].append(said)
        else:
            groups.append((verb, [said]))
    if not groups:
        return None
    return "; ".join(f"{verb} {', '.join(objects)}" for verb, objects in groups)


def organisation_sentence(figures: Mapping[str, Figure], voice: Voice) -> str | None:
    """Teams, villages assigned, and how many members are of an ethnic minority ("gần 80%")."""
    said = _phrases(figures, ORGANISATION)
    minority, share = _fig(figures, "members_minority"), _fig(figures, "members_minority_share")
    percent = _say(share, "%").replace(" %", "%") if share else ""
    extra = ""
    if minority:
        extra = f"trong tổng số thành viên có {_say(minority)} dân tộc thiểu số" + (
            f" ({percent})" if percent else ""
        )
    elif percent:
        extra = f"{percent} thành viên là người dân tộc thiểu số"
    if extra:
        said = f"{said}; {extra}" if said else extra
    return f"{voice.short} {said}." if said else None


def _sentence(
    figures: Mapping[str, Figure], voice: Voice, table: Sequence[tuple[str, str, str]]
) -> str | None:
    said = _phrases(figures, table)
    return f"{voice.short} đã {said}." if said else None


def other_sentence(figures: Mapping[str, Figure], voice: Voice) -> str | None:
    """Indicators no sentence above names (an administrator's new indicator, say)."""
    named = {code for table in _TABLES for code, _verb, _tail in table} | SAID_ELSEWHERE
    named |= {"members_minority_share", "members_minority"}
    rest = [
        f"{figure.indicator.name_vi.lower()}: {_say(figure)}"
        for code, figure in figures.items()
        if code not in named and _fig(figures, code)
    ]
    return f"Các chỉ tiêu khác: {'; '.join(rest)}." if rest else None


_TABLES = (ORGANISATION, MOBILISATION, GUIDANCE, NEW_RURAL, HOUSEHOLDS, POLITICAL)


def apart_sentence(figures: Mapping[str, Figure]) -> str | None:
    """Paper totals that reach the unit but cannot be counted in it: said, never dropped."""
    said: list[str] = []
    seen: set[tuple[int | None, int]] = set()
    for figure in figures.values():
        for note in figure.sources:
            key = (note.entry_id, figure.indicator.pk)
            if note.status != ASIDE or note.kind != "paper" or key in seen:
                continue
            seen.add(key)
            amount = in_prose(note.value, figure.indicator.unit, note.qualifier)
            name = figure.indicator.name_vi.lower()
            said.append(f"{amount} ({name}) theo {note.label}: {note.reason}")
    if not said:
        return None
    return "Chưa tính vào các số liệu trên: " + "; ".join(said) + "."


def issues_sentence(figures: Mapping[str, Figure], voice: Voice = PROVINCE_VOICE) -> str | None:
    """Grassroots cases: "… đã tiếp nhận, tham mưu xử lý 11 vụ việc phát sinh ở cơ sở, trong
    đó đã giải quyết 8 vụ việc." Cases resolved in the period may have been received before
    it, so each figure is said only when it has data."""
    received, resolved = _fig(figures, "issues_received"), _fig(figures, "issues_resolved")
    subject = f"{voice.subject} đã"
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
    voice = voice_of(unit)
    sentences = [
        headcount_sentence(unit, headcount),
        organisation_sentence(figures, voice),
        results_sentence(figures, voice),
        _sentence(figures, voice, MOBILISATION),
        _sentence(figures, voice, GUIDANCE),
        _sentence(figures, voice, NEW_RURAL),
        _sentence(figures, voice, HOUSEHOLDS),
        _sentence(figures, voice, POLITICAL),
        other_sentence(figures, voice),
        issues_sentence(figures, voice),
        awards_sentence(award_lines(awards, unit.level), phase_label(start, end)),
        apart_sentence(figures),
    ]
    said = [s for s in sentences if s]
    if not said:
        return f"Trong {phase_label(start, end)}, chưa có số liệu về hoạt động của Đội công tác {unit}."
    return "\n".join(said)
