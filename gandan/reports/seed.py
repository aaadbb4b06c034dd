"""Seeded report regimes (data; admins can change them)."""

from typing import Any

SECTIONS = [
    ["dac_diem", "Đặc điểm tình hình"],
    ["ket_qua", "Kết quả đạt được"],
    ["han_che", "Hạn chế, nguyên nhân"],
    ["bai_hoc", "Bài học kinh nghiệm"],
    ["phuong_huong", "Phương hướng, nhiệm vụ"],
    ["kien_nghi", "Kiến nghị, đề xuất"],
]
SHORT = [SECTIONS[0], SECTIONS[1], SECTIONS[4]]
CORE = [
    "members",
    "teams",
    "campaigns",
    "villages_reached",
    "communes_reached",
    "participants",
    "propaganda_sessions",
    "trainings",
]
FULL = [
    *CORE,
    *[
        "training_participants",
        "money_vnd",
        "land_m2",
        "labour_days",
        "roads_km",
        "vegetable_gardens",
        "households_sanitation",
        "union_chapters_strengthened",
        "village_conventions",
        "issues_received",
        "issues_resolved",
        "awards_collective",
        "awards_individual",
    ],
]
LEVELS = ["commune", "district", "province"]
DEADLINES = {"commune": 1, "district": 3, "province": 5}

REGIMES: list[dict[str, Any]] = [
    {
        "code": "weekly",
        "name": "Báo cáo giao ban tuần",
        "period_kind": "week",
        "period_regime": "calendar",
        "indicator_codes": CORE,
        "sections": SHORT,
        "style": "party",
        "title": "Kết quả hoạt động",
    },
    {
        "code": "monthly",
        "name": "Báo cáo tháng",
        "period_kind": "month",
        "period_regime": "nd09",
        "indicator_codes": CORE,
        "sections": SHORT,
        "style": "state",
        "title": "Kết quả hoạt động",
    },
    {
        "code": "quarterly",
        "name": "Báo cáo quý",
        "period_kind": "quarter",
        "period_regime": "nd09",
        "indicator_codes": FULL,
        "sections": SECTIONS,
        "style": "state",
        "title": "Kết quả hoạt động",
    },
    {
        "code": "half",
        "name": "Báo cáo sơ kết 6 tháng",
        "period_kind": "half",
        "period_regime": "nd09",
        "indicator_codes": FULL,
        "sections": SECTIONS,
        "style": "party",
        "title": "Sơ kết hoạt động",
    },
    {
        "code": "yearly",
        "name": "Báo cáo năm",
        "period_kind": "year",
        "period_regime": "nd09",
        "indicator_codes": FULL,
        "sections": SECTIONS,
        "style": "party",
        "title": "Tổng kết hoạt động",
    },
    {
        "code": "phase",
        "name": "Báo cáo tổng kết giai đoạn",
        "period_kind": "range",
        "period_regime": "calendar",
        "indicator_codes": FULL,
        "sections": SECTIONS,
        "style": "party",
        "title": "Tổng kết hoạt động của Đội công tác phát động quần chúng chuyên trách các cấp",
    },
]


def seed_regimes(model: Any) -> int:
    created = 0
    for spec in REGIMES:
        defaults = {**spec, "levels": LEVELS, "deadlines": DEADLINES}
        defaults.pop("code")
        _obj, was_created = model.objects.get_or_create(code=spec["code"], defaults=defaults)
        created += int(was_created)
    return created
