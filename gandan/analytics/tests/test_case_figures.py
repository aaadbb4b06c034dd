"""Cases feed the issue indicators; exporting and erasing a subject keeps the figures."""

import datetime

import pytest

from gandan.analytics.engine import aggregate
from gandan.cases.models import CaseContact, CaseKind
from gandan.cases.privacy import (
    subject_erase,
    subject_export,
)
from gandan.cases.services import (
    case_advise,
    case_receive,
    case_resolve,
)
from gandan.core.models import AuditEntry
from gandan.indicators.models import Indicator

pytestmark = pytest.mark.django_db

ON = datetime.date(2019, 3, 4)


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


def test_subject_export_and_erasure_keep_the_figures(case, places, province_admin):
    indicator = Indicator.objects.filter(code="issues_received")
    before = aggregate(unit=places.dak_lak, start=ON, end=ON, indicators=indicator)[
        "issues_received"
    ].value

    exported = subject_export(actor=province_admin, name="y blir nie", phone="0905 123 456")
    erased = subject_erase(actor=province_admin, name="Y Blir Niê")

    assert [r["case"] for r in exported["records"]] == [case.pk]
    assert erased == 1
    assert not CaseContact.objects.filter(name="Y Blir Niê").exists()
    assert subject_export(actor=province_admin, name="Y Blir Niê")["records"] == []
    assert (
        aggregate(unit=places.dak_lak, start=ON, end=ON, indicators=indicator)[
            "issues_received"
        ].value
        == before
        == 1
    )
    assert (
        AuditEntry.objects.filter(
            action__in=["cases.subject_export", "cases.subject_erase"]
        ).count()
        == 3
    )


def test_cases_feed_the_issue_indicators(case, places):
    case_advise(actor=None, case=case, agencies=["mttq"], advice="Hòa giải", on=ON)
    case_resolve(actor=None, case=case, outcome="Xong", on=datetime.date(2019, 4, 1))

    figures = aggregate(
        unit=places.lak, start=datetime.date(2019, 1, 1), end=datetime.date(2019, 12, 31),
        indicators=Indicator.objects.filter(code__in=["issues_received", "issues_resolved"]),
    )  # fmt: skip

    assert (figures["issues_received"].value, figures["issues_resolved"].value) == (1, 1)
