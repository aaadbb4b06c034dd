import datetime

import pytest
from django.contrib.auth.models import Permission

from gandan.cases.models import Case, CaseContact, CaseKind
from gandan.cases.privacy import (
    contacts_erase_expired,
    contacts_view,
    may_see_contacts,
)
from gandan.cases.selectors import days_to_resolve, overdue
from gandan.cases.services import (
    aspiration_record,
    case_advise,
    case_escalate,
    case_pause,
    case_receive,
    case_refer,
    case_resolve,
    higher_unit,
)
from gandan.core.dates import today
from gandan.core.errors import DomainError
from gandan.core.models import AuditEntry

pytestmark = pytest.mark.django_db

ON = datetime.date(2019, 3, 4)
LATER = datetime.date(2025, 8, 4)


@pytest.fixture
def land():
    return CaseKind.objects.get(code="tranh_chap_dat")


@pytest.fixture
def case(field, land):
    return case_receive(
        actor=None, kind=land, unit=field.yang_tao, village=field.yt_a, received_on=ON,
        description="Hai hộ tranh chấp ranh giới rẫy cà phê", households=2,
        contacts=[("Y Blir Niê", "0905 123 456")],
    )  # fmt: skip


def test_reception_sets_the_deadline_by_kind(case, land):
    assert case.status == Case.Status.RECEIVED
    assert case.deadline == ON + datetime.timedelta(days=land.deadline_days)
    assert case.handler_id == case.unit_id


def test_advise_then_resolve(case):
    case_advise(
        actor=None,
        case=case,
        agencies=["chinh_quyen_xa", "mttq"],
        advice="Tổ chức hòa giải tại thôn",
        on=ON,
    )
    case_resolve(
        actor=None,
        case=case,
        outcome="Hai hộ thống nhất ranh giới",
        on=ON + datetime.timedelta(days=9),
    )

    assert case.status == Case.Status.RESOLVED
    assert list(case.events.values_list("action", flat=True)) == ["receive", "advise", "resolve"]
    assert list(case.events.values_list("on", flat=True)) == [
        ON, ON, ON + datetime.timedelta(days=9),
    ]  # fmt: skip
    assert days_to_resolve(Case.objects.all()) == 9


def test_a_step_may_not_be_dated_before_the_previous_one(case):
    later = ON + datetime.timedelta(days=5)
    case_advise(actor=None, case=case, agencies=["mttq"], advice="Hòa giải", on=later)

    with pytest.raises(DomainError, match="trước bước xử lý gần nhất") as refused:
        case_resolve(actor=None, case=case, outcome="Xong", on=later - datetime.timedelta(days=1))
    assert refused.value.field == "on"
    case.refresh_from_db()
    assert case.status == Case.Status.ADVISING
    assert case.events.count() == 2
    # an undated step is today's
    case_pause(actor=None, case=case, note="Chờ đo đạc")
    assert case.events.last().on == today()


@pytest.mark.parametrize(
    ("steps", "forbidden"),
    [
        ([], "resolve"),
        ([], "escalate"),
        ([], "refer"),
        (["advise", "resolve"], "advise"),
        (["advise", "refer"], "resolve"),
        (["advise", "pause"], "resolve"),
    ],
)
def test_forbidden_transitions(case, steps, forbidden):
    run = {
        "advise": lambda: case_advise(
            actor=None, case=case, agencies=["mttq"], advice="Hòa giải", on=ON
        ),
        "resolve": lambda: case_resolve(actor=None, case=case, outcome="Xong", on=ON),
        "escalate": lambda: case_escalate(actor=None, case=case, note="", on=ON),
        "refer": lambda: case_refer(actor=None, case=case, referral="Tòa án huyện", on=ON),
        "pause": lambda: case_pause(actor=None, case=case, note="Chờ đo đạc", on=ON),
    }
    for step in steps:
        run[step]()

    with pytest.raises(DomainError):
        run[forbidden]()


def test_a_paused_case_resumes(case):
    case_advise(actor=None, case=case, agencies=["mttq"], advice="Hòa giải", on=ON)
    case_pause(actor=None, case=case, note="Chờ đo đạc", on=ON)
    case_advise(
        actor=None, case=case, agencies=["chinh_quyen_xa"], advice="Đo đạc xong, hòa giải lại"
    )

    assert case.status == Case.Status.ADVISING


def test_overdue_cases(case, land):
    assert not overdue(Case.objects.all(), on=case.deadline).exists()
    assert overdue(Case.objects.all(), on=case.deadline + datetime.timedelta(days=1)).get() == case


def test_escalation_goes_to_the_district_before_2025_and_to_the_province_after(field, land, places):
    assert higher_unit(field.yang_tao, ON) == places.lak
    assert higher_unit(places.lien_son_lak, LATER) == places.dak_lak
    # a legacy commune's case escalated after the reform goes to its successor's parent
    assert higher_unit(field.yang_tao, LATER) == places.dak_lak


def test_escalate_and_resolve_at_the_higher_level(case, places):
    case_advise(
        actor=None, case=case, agencies=["chinh_quyen_xa"], advice="Vượt thẩm quyền xã", on=ON
    )
    case_escalate(
        actor=None, case=case, note="Đề nghị huyện xem xét", on=ON + datetime.timedelta(days=3)
    )
    assert (case.status, case.handler) == (Case.Status.ESCALATED, places.lak)

    case_advise(
        actor=None,
        case=case,
        agencies=["nganh_chuc_nang"],
        advice="Phòng Tài nguyên đo đạc",
        on=ON + datetime.timedelta(days=3),
    )
    case_resolve(
        actor=None,
        case=case,
        outcome="Cấp lại giấy chứng nhận",
        on=ON + datetime.timedelta(days=20),
    )
    assert case.status == Case.Status.RESOLVED


def test_bad_input_is_refused(field, land):
    with pytest.raises(DomainError, match="không thuộc"):
        case_receive(
            actor=None,
            kind=land,
            unit=field.yang_tao,
            village=field.bk_a,
            received_on=ON,
            description="x",
        )
    with pytest.raises(DomainError, match="có hiệu lực"):
        case_receive(actor=None, kind=land, unit=field.yang_tao, received_on=LATER, description="x")
    assert not Case.objects.exists()


def test_contacts_only_for_handlers_and_every_view_is_logged(case, cast):
    # given the cast; the Lắk clerk and the province admin are handlers' jurisdictions
    allowed = {who: may_see_contacts(user, case) for who, user in cast.items()}

    assert allowed == {
        "province_admin": True, "lak_clerk": True, "commune_clerk": True, "leader": False, "outsider": False,
    }  # fmt: skip
    before = AuditEntry.objects.filter(action="cases.view_contacts").count()
    assert [c.name for c in contacts_view(cast["commune_clerk"], case)] == ["Y Blir Niê"]
    assert contacts_view(cast["outsider"], case) is None
    assert AuditEntry.objects.filter(action="cases.view_contacts").count() == before + 1


def test_a_leader_sees_contacts_only_when_granted(case, leader):
    assert contacts_view(leader, case) is None
    leader.user_permissions.add(Permission.objects.get(codename="view_casecontact"))
    leader = type(leader).objects.get(pk=leader.pk)

    assert [c.name for c in contacts_view(leader, case)] == ["Y Blir Niê"]


def test_contacts_are_erased_automatically_after_the_retention_period(case, settings):
    settings.CASE_CONTACT_RETENTION_MONTHS = 6
    case_advise(actor=None, case=case, agencies=["mttq"], advice="Hòa giải", on=ON)
    case_resolve(actor=None, case=case, outcome="Xong", on=datetime.date(2019, 4, 1))

    # the clock moves: five months later nothing is erased, seven months later it is
    assert contacts_erase_expired(on=datetime.date(2019, 9, 1)) == 0
    assert contacts_erase_expired(on=datetime.date(2019, 11, 2)) == 1
    assert CaseContact.objects.get().name == "(đã xóa)"


def test_aspirations_are_aggregates_without_names(field):
    aspiration = aspiration_record(
        actor=None, village=field.yt_a, period_start=ON, period_end=ON, topic="Nước sinh hoạt mùa khô",
        households=37, summary="Đề nghị khoan giếng", response="Báo cáo UBND xã",
    )  # fmt: skip

    assert aspiration.households == 37
    with pytest.raises(DomainError):
        aspiration_record(
            actor=None,
            village=field.yang_tao,
            period_start=ON,
            period_end=ON,
            topic="x",
            households=1,
            summary="y",
        )


def test_two_people_advising_at_once_cannot_both_succeed(case):
    first, second = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)
    advice = {"agencies": ["mttq"], "advice": "Hòa giải tại thôn", "on": ON}

    case_advise(actor=None, case=first, **advice)
    with pytest.raises(DomainError, match="vừa được người khác cập nhật"):
        case_advise(actor=None, case=second, **advice)
    assert case.events.filter(action="advise").count() == 1


@pytest.mark.parametrize("status", Case.Status.values)
def test_the_steps_a_handler_is_offered_are_the_tables(case, commune_clerk, status):
    from gandan.cases.access import allowed_actions
    from gandan.cases.workflow import WORKFLOW

    Case.objects.filter(pk=case.pk).update(status=status)
    case.refresh_from_db()

    offered = allowed_actions(commune_clerk, case)

    assert offered == [step.action for step in WORKFLOW if status in step.sources]
    for step in WORKFLOW:
        if step.action not in offered:
            with pytest.raises(DomainError, match="Không thể chuyển vụ việc"):
                WORKFLOW.guard(case, step.action)
