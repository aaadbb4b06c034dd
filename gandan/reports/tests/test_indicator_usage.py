"""What keeps an indicator "in use": records, paper totals, approved reports' snapshots,
adjustments and regimes (the catalogue finds the reports' references by asking
``ReportsConfig.indicator_references``, ADR 0020)."""

import datetime
from decimal import Decimal

import pytest

from gandan.indicators.services import (
    indicator_create,
)
from gandan.indicators.tests.catalogue import FISH, indicator
from gandan.indicators.usage import usage_of
from gandan.reports.models import Adjustment, Regime
from gandan.reports.services import report_approve, report_create, report_submit
from gandan.work.services import activity_create
from gandan.work.tests.records import paper_total

pytestmark = pytest.mark.django_db


def _total(unit, code, value, *, start=(2010, 1, 1), end=(2010, 12, 31), qualifier="exact"):
    return paper_total(unit, code, value, qualifier, start, end)


ON = datetime.date(2012, 3, 14)


def test_usage_names_every_kind_of_reference(field, activity_input, province_admin):
    fish = indicator_create(actor=None, data=FISH)
    assert usage_of(fish) == []
    activity_create(actor=None, data=activity_input(field.yang_tao, ON, values={"fish_ponds": 3}))
    _total(field.bong_krang, "fish_ponds", "12")
    Regime.objects.filter(code="yearly").update(indicator_codes=["campaigns", "fish_ponds"])
    report = report_create(actor=None, regime=Regime.objects.get(code="yearly"), unit=field.lak, period="2012")  # fmt: skip
    Adjustment.objects.create(report=report, indicator_code="fish_ponds", value=Decimal(4), reason="Sửa")  # fmt: skip
    report_submit(actor=None, report=report, allow_empty_sections=True)
    report_approve(actor=province_admin, report=report)

    assert usage_of(fish) == [
        "1 giá trị trong bản ghi hoạt động",
        "1 số tổng hợp từ báo cáo giấy",
        "1 báo cáo đã duyệt lưu số liệu",
        "1 điều chỉnh trong báo cáo",
        "chế độ báo cáo «Báo cáo năm»",
    ]
    assert usage_of(indicator("members")) == [
        "mẫu số của «Tỉ lệ thành viên là người dân tộc thiểu số»"
    ] + [
        f"chế độ báo cáo «{r.name}»" for r in Regime.objects.all() if "members" in r.indicator_codes
    ]
    assert usage_of(indicator("livestock_pens")) == ["tổng của 2 chỉ tiêu thành phần"]
