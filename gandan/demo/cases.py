"""Demo grassroots cases, aspirations and inspections, on the demo villages of huyện Lắk
and Buôn Ma Thuột and on xã Liên Sơn Lắk after 1-7-2025.

Deterministic (fixed dates, no randomness) and written through the same services users use,
so each case has its timeline and audit entries. It covers every state: resolved, escalated
to the district before 1-7-2025 and to the province after it, referred, paused, and open
past the deadline. Contacts carry obviously fictional names ("… (mẫu)").
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from gandan.accounts.models import User
from gandan.accounts.types import Actor
from gandan.cases import services
from gandan.cases.models import Case, CaseEvent, CaseKind, Inspection
from gandan.geo.models import AdminUnit, Level
from gandan.geo.selectors import children_on, unit_by_code
from gandan.org.models import Team

REFORM = datetime.date(2025, 7, 1)
BEFORE = datetime.date(2019, 9, 10)  # picks the legacy unit of a reused code
Step = tuple[str, datetime.date, str]  # (action, day, text)


@dataclass(frozen=True)
class DemoCase:
    kind: str
    commune: str  # official code
    on_legacy: bool  # the legacy commune (before 1-7-2025) or the 2025 one
    village: str | None
    received_on: datetime.date
    source: str
    households: int
    description: str
    steps: list[Step] = field(default_factory=list)
    contacts: list[tuple[str, str]] = field(default_factory=list)


D = datetime.date
DEMO_CASES = [
    DemoCase("tranh_chap_dat", "24583", True, "Yang Lah", D(2019, 3, 4), "campaign", 2,
             "Hai hộ tranh chấp ranh giới rẫy cà phê giáp suối.",
             [("advise", D(2019, 3, 6), "Phối hợp chính quyền xã, chi hội nông dân hòa giải tại buôn"),
              ("resolve", D(2019, 3, 20), "Hai hộ thống nhất cắm mốc ranh giới, ký biên bản hòa giải")],
             [("Y Mẫu Niê (mẫu)", "0900 000 101")]),
    DemoCase("mau_thuan", "24586", True, "Dơng Băk", D(2023, 5, 10), "home_visit", 4,
             "Mâu thuẫn giữa các hộ về lối đi chung ra rẫy.",
             [("advise", D(2023, 5, 12), "Mời già làng, trưởng buôn cùng hòa giải"),
              ("escalate", D(2023, 5, 20), "Hòa giải ở xã không thành, đề nghị huyện hỗ trợ"),
              ("advise", D(2023, 5, 25), "Phòng Tài nguyên và Môi trường huyện đo đạc lối đi"),
              ("resolve", D(2023, 6, 15), "Mở lối đi chung rộng 3 m, các hộ thống nhất")],
             [("H'Mẫu Mlô (mẫu)", "0900 000 102")]),
    DemoCase("khieu_nai", "24580", True, "Jun", D(2025, 3, 12), "briefing", 1,
             "Hộ dân khiếu nại việc bình xét hộ nghèo năm 2025.",
             [("advise", D(2025, 3, 14), "Đề nghị UBND thị trấn rà soát lại danh sách bình xét"),
              ("escalate", D(2025, 3, 25), "Vượt thẩm quyền thị trấn, chuyển huyện xem xét")],
             [("Trần Văn Mẫu (mẫu)", "0900 000 103")]),
    DemoCase("ket_cau_ha_tang", "24169", True, "Ea Kao", D(2024, 9, 2), "campaign", 45,
             "Kiến nghị làm đường bê tông nội buôn dài khoảng 800 m.",
             [("advise", D(2024, 9, 4), "Tổng hợp kiến nghị, báo cáo UBND xã"),
              ("refer", D(2024, 9, 10), "Chuyển UBND thành phố Buôn Ma Thuột (chương trình nông thôn mới)")]),
    DemoCase("moi_truong", "24583", True, "Yang Lah", D(2025, 5, 20), "home_visit", 12,
             "Nước thải chăn nuôi chảy ra suối đầu buôn.",
             [("advise", D(2025, 5, 22), "Hướng dẫn các hộ làm hầm biogas, di dời chuồng trại"),
              ("pause", D(2025, 6, 1), "Chờ kinh phí hỗ trợ làm hầm biogas")]),
    DemoCase("kho_khan_doi_song", "24580", False, None, D(2025, 9, 8), "home_visit", 3,
             "Ba hộ thiếu lương thực sau lũ quét tháng 9.", [],
             [("Nguyễn Thị Mẫu (mẫu)", "0900 000 104")]),
    DemoCase("ket_cau_ha_tang", "24580", False, None, D(2025, 8, 12), "briefing", 60,
             "Kiến nghị sửa cầu tràn bị hư hỏng, học sinh đi học khó khăn.",
             [("advise", D(2025, 8, 14), "Báo cáo UBND xã, đề nghị khảo sát"),
              ("escalate", D(2025, 8, 25), "Vượt khả năng ngân sách xã, đề nghị tỉnh hỗ trợ"),
              ("advise", D(2025, 9, 5), "Sở Xây dựng khảo sát, đưa vào kế hoạch sửa chữa"),
              ("resolve", D(2025, 10, 30), "Cầu tràn đã sửa xong, đưa vào sử dụng")]),
    DemoCase("tranh_chap_dat", "24580", False, None, D(2025, 10, 2), "campaign", 2,
             "Tranh chấp đất giáp ranh giữa hai thôn sau sáp nhập xã.",
             [("advise", D(2025, 10, 6), "Phối hợp công chức địa chính xã xác minh hồ sơ"),
              ("escalate", D(2025, 10, 20), "Liên quan địa giới cũ của hai xã, đề nghị tỉnh hướng dẫn")],
             [("Y Thử Mẫu (mẫu)", "0900 000 105")]),
    DemoCase("trat_tu", "24580", False, None, D(2026, 10, 15), "briefing", 5,
             "Thanh niên tụ tập gây mất trật tự vào ban đêm.",
             [("advise", D(2026, 10, 16), "Phối hợp công an xã, đoàn thanh niên tuyên truyền"),
              ("resolve", D(2026, 10, 30), "Tình hình ổn định, thành lập tổ tự quản thanh niên")]),
    DemoCase("mau_thuan", "24580", False, None, D(2026, 11, 10), "home_visit", 2,
             "Mâu thuẫn giữa hai gia đình về ranh giới vườn.",
             [("advise", D(2026, 11, 12), "Tổ hòa giải thôn gặp gỡ hai gia đình")]),
    DemoCase("khieu_nai", "24580", False, None, D(2026, 11, 20), "campaign", 1,
             "Hộ dân khiếu nại mức bồi thường giải phóng mặt bằng đường liên thôn.", []),
]  # fmt: skip

DEMO_ASPIRATIONS = [
    # (legacy commune code, village, start, end, topic, households, summary, response)
    ("24583", "Yang Lah", D(2019, 1, 1), D(2019, 3, 31), "Nước sinh hoạt mùa khô", 37,
     "Đề nghị khoan giếng tập trung cho các hộ ở cuối buôn.", "Báo cáo UBND xã, đưa vào kế hoạch 2020."),
    ("24586", "Dơng Băk", D(2023, 4, 1), D(2023, 6, 30), "Vay vốn phát triển sản xuất", 21,
     "Đề nghị vay vốn ưu đãi để tái canh cà phê.", "Giới thiệu Ngân hàng Chính sách xã hội huyện."),
    ("24169", "Ea Kao", D(2024, 7, 1), D(2024, 12, 31), "Đường giao thông nội buôn", 45,
     "Đường đất lầy lội mùa mưa, học sinh đi học khó khăn.", "Đã chuyển kiến nghị lên thành phố."),
    ("24580", "Jun", D(2025, 1, 1), D(2025, 3, 31), "Bình xét hộ nghèo", 9,
     "Mong muốn bình xét hộ nghèo công khai, đúng đối tượng.", "Tuyên truyền tiêu chí bình xét tại buôn."),
    ("24583", "Yang Lah", D(2025, 4, 1), D(2025, 6, 30), "Giống cây trồng", 28,
     "Đề nghị hỗ trợ giống sầu riêng, bơ trồng xen.", ""),
]  # fmt: skip

Progress = Callable[[str], None]


def _actor(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _commune(code: str, legacy: bool) -> AdminUnit:
    return unit_by_code(code, level=Level.COMMUNE, on=BEFORE if legacy else REFORM)


def _village(commune: AdminUnit, name: str | None, on: datetime.date) -> AdminUnit | None:
    if name is None:
        return None
    version = children_on(commune, on, level=Level.VILLAGE).filter(name=name).first()
    return version.unit if version is not None else None


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _run(case: Case, actor: Actor, action: str, on: datetime.date, text: str) -> Case:
    if action == "advise":
        agencies = (
            ["chinh_quyen_xa", "mttq"]
            if case.handler.level == Level.COMMUNE
            else ["nganh_chuc_nang"]
        )
        return services.case_advise(actor=actor, case=case, agencies=agencies, advice=text, on=on)
    if action == "resolve":
        return services.case_resolve(actor=actor, case=case, outcome=text, on=on)
    if action == "escalate":
        return services.case_escalate(actor=actor, case=case, note=text, on=on)
    if action == "refer":
        return services.case_refer(actor=actor, case=case, referral=text, on=on)
    return services.case_pause(actor=actor, case=case, note=text, on=on)


def _load_case(spec: DemoCase, kinds: dict[str, CaseKind]) -> Case:
    commune = _commune(spec.commune, spec.on_legacy)
    clerk = _actor("liensonlak" if commune.code == "24580" else "lak")
    case = services.case_receive(
        actor=clerk,
        kind=kinds[spec.kind],
        unit=commune,
        village=_village(commune, spec.village, spec.received_on),
        received_on=spec.received_on,
        source=spec.source,
        description=spec.description,
        households=spec.households,
        contacts=spec.contacts,
    )
    days = [spec.received_on]
    for action, on, text in spec.steps:
        # the step is taken by the level handling the case then: the higher one after escalation
        handler: dict[str, User | None] = {
            Level.DISTRICT: _actor("lak"),
            Level.PROVINCE: _actor("tinh"),
        }
        case = _run(case, handler.get(case.handler.level, clerk), action, on, text)
        days.append(on)
    # Each step carries its own date (``on``); the demo also pretends it was recorded then.
    for event, day in zip(case.events.order_by("id"), days, strict=True):
        CaseEvent.objects.filter(pk=event.pk).update(at=_at(day, 9))
    return case


def _team(code: str, level: str, on: datetime.date) -> Team | None:
    unit = unit_by_code(code, level=level, on=on)
    return Team.objects.filter(unit=unit).order_by("id").first()


def _inspections() -> None:
    lak = _team("656", Level.DISTRICT, BEFORE)
    yang_tao = _team("24583", Level.COMMUNE, BEFORE)
    lien_son = _team("24580", Level.COMMUNE, REFORM)
    admin = _actor("tinh")
    plans: list[tuple[Team | None, str, datetime.date, str, tuple[Any, ...] | None]] = [
        (lak, "Ban Dân vận Tỉnh ủy Đắk Lắk", D(2019, 5, 10), "Việc bám địa bàn, giao ban hằng tuần, sổ theo dõi thôn buôn",
         (D(2019, 5, 12), "good", "Đội bám buôn tốt; sổ giao ban một số tháng ghi chưa đầy đủ.",
          "Ghi sổ giao ban đầy đủ; báo cáo khắc phục trước 30/6/2019.",
          [("Bổ sung sổ giao ban các tháng 1–4/2019", "Đội trưởng", D(2019, 6, 30), D(2019, 6, 25)),
           ("Báo cáo kết quả khắc phục", "Ban Dân vận Huyện ủy Lắk", D(2019, 7, 15), D(2019, 7, 10))])),
        (yang_tao, "Đội công tác PĐQC huyện Lắk", D(2023, 8, 14), "Công tác hòa giải, nắm tâm tư nguyện vọng",
         (D(2023, 8, 15), "excellent", "Tổ nắm chắc tình hình, hòa giải thành 3/3 vụ việc.", "Nhân rộng cách làm.",
          [("Chia sẻ kinh nghiệm hòa giải tại giao ban huyện", "Tổ trưởng", D(2023, 9, 30), D(2023, 9, 28))])),
        (lak, "Ban Dân vận Tỉnh ủy Đắk Lắk", D(2024, 10, 15), "Chuẩn bị sắp xếp tổ chức, bàn giao hồ sơ địa bàn",
         (D(2024, 10, 16), "done", "Hồ sơ địa bàn chưa số hóa đầy đủ.", "Số hóa hồ sơ trước khi bàn giao.",
          [("Số hóa hồ sơ thôn, buôn phụ trách", "Đội công tác huyện Lắk", D(2024, 12, 31), None)])),
        (lien_son, "Ban Tuyên giáo và Dân vận Tỉnh ủy", D(2025, 10, 1), "Kiện toàn tổ công tác sau sắp xếp đơn vị hành chính",
         (D(2025, 10, 3), "good", "Tổ đã phân công bám địa bàn các thôn, buôn của xã mới.", "Cập nhật danh sách thôn, buôn.",
          [("Cập nhật phân công bám thôn, buôn", "Tổ trưởng", D(2025, 11, 15), D(2025, 11, 10)),
           ("Báo cáo tình hình vụ việc tồn đọng của các xã cũ", "Tổ công tác xã", D(2026, 1, 15), None)])),
        (lien_son, "Ban Tuyên giáo và Dân vận Tỉnh ủy", D(2026, 12, 15), "Kiểm tra công tác năm 2026", None),
    ]  # fmt: skip
    for team, inspector, planned_on, content, result in plans:
        if team is None:
            continue
        inspection = services.inspection_plan(
            actor=admin, team=team, inspector=inspector, planned_on=planned_on, content=content
        )
        if result is None:
            continue
        held_on, rating, findings, recommendations, follow_ups = result
        services.inspection_record(
            actor=admin,
            inspection=inspection,
            held_on=held_on,
            findings=findings,
            rating=rating,
            recommendations=recommendations,
            follow_ups=[(action, owner, deadline) for action, owner, deadline, _done in follow_ups],
        )
        done_on = {action: done for action, _owner, _deadline, done in follow_ups}
        for follow_up in inspection.follow_ups.all():
            if done_on.get(follow_up.action) is not None:
                services.follow_up_done(
                    actor=admin, follow_up=follow_up, on=done_on[follow_up.action]
                )


@transaction.atomic
def cases_load(*, progress: Progress | None = None) -> None:
    """Add demo cases, aspirations and inspections. Running it again changes nothing."""
    say = progress or (lambda _msg: None)
    if Case.objects.exists() or Inspection.objects.exists():
        return
    say("Thêm vụ việc ở cơ sở, tâm tư nguyện vọng, kiểm tra giám sát …")
    kinds = {k.code: k for k in CaseKind.objects.all()}
    for spec in DEMO_CASES:
        _load_case(spec, kinds)
    clerk = _actor("lak")
    for code, name, start, end, topic, households, summary, response in DEMO_ASPIRATIONS:
        village = _village(_commune(code, legacy=True), name, start)
        if village is None:
            continue
        services.aspiration_record(
            actor=clerk,
            village=village,
            period_start=start,
            period_end=end,
            topic=topic,
            households=households,
            summary=summary,
            response=response,
        )
    _inspections()
