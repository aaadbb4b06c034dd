"""The field-work workbook's layout: its sheets, columns, dropdowns and instructions.

The rules of the import live in :mod:`gandan.work.excel`; this module only knows the sheets.
The activity sheet has one column per catalogue indicator that records carry a number for
(source "value"), headed "name (unit) [code]": an indicator an admin adds appears in the
next template and is read by the next import without a code change. The code is the
column's stable key (ADR 0018): a workbook made before an indicator was renamed or
retired still reads, and two indicators with confusable names never share a column.
Headers without a code (older templates, hand-made sheets) are matched by name when the
name is unambiguous. Labels are Vietnamese, whatever the language of the request.
"""

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils import translation

from gandan.core import xlsx
from gandan.core.dates import today, vn_date
from gandan.core.text import fold
from gandan.core.xlsx import Dropdown, Layout, Limits
from gandan.indicators.models import Indicator, Source
from gandan.org.models import Team
from gandan.work.models import PARTNERS, ActivityType, ActivityValue, Movement, Qualifier

MAX_BYTES = 64 * 1024 * 1024
LIMITS = Limits(max_rows=200_000, scan_rows=1_000_000)
ACTIVITY_SHEET, AGGREGATE_SHEET = "Hoạt động", "Số liệu tổng hợp"
HELP_SHEET, LIST_SHEET = "Hướng dẫn", "Danh mục"

KEY, TYPE, COMMUNE, VILLAGES, START, END = (
    "Mã dòng",
    "Loại hoạt động",
    "Mã xã",
    "Thôn, buôn",
    "Từ ngày",
    "Đến ngày",
)
TEAMS, MOVEMENTS, PARTNERS_COLUMN, PEOPLE, FEMALE, MINORITY, TITLE, NOTES = (
    "Đội",
    "Phong trào",
    "Phối hợp",
    "Lượt người",
    "trong đó nữ",
    "trong đó DTTS",
    "Nội dung",
    "Ghi chú",
)
BEFORE_VALUES: tuple[str, ...] = (
    KEY,
    TYPE,
    COMMUNE,
    VILLAGES,
    START,
    END,
    TEAMS,
    MOVEMENTS,
    PARTNERS_COLUMN,
)
BEFORE_VALUES += (PEOPLE, FEMALE, MINORITY)
AFTER_VALUES = (TITLE, NOTES)
ACTIVITY_REQUIRED = (TYPE, COMMUNE, START)

INDICATOR, UNIT, LABEL, VALUE, QUALIFIER = (
    "Chỉ tiêu",
    "Mã đơn vị",
    "Kỳ báo cáo (như văn bản)",
    "Giá trị",
    "Mức độ",
)
DOC_NUMBER, DOC_DATE, DOC_TITLE = "Số văn bản", "Ngày văn bản", "Trích yếu"
AGGREGATE_COLUMNS = (
    INDICATOR,
    UNIT,
    START,
    END,
    LABEL,
    VALUE,
    QUALIFIER,
    DOC_NUMBER,
    DOC_DATE,
    DOC_TITLE,
)
AGGREGATE_REQUIRED = (INDICATOR, UNIT, START, END, LABEL, VALUE, DOC_NUMBER, DOC_DATE)

SEPARATOR = ";"
ACTIVITY_HELP = {
    KEY: "Không bắt buộc. Mã riêng của dòng, ví dụ YT-2012-001, để nhập lại tệp không tạo bản ghi trùng. "
    "Để trống: hệ thống nhận ra dòng đã nhập theo nội dung. Mã dạng #123 là số hiệu bản ghi trong hệ thống "
    "(có trong tệp xuất ra); không tự đặt mã bắt đầu bằng #.",
    TYPE: "Chọn trong danh sách.",
    COMMUNE: "Mã chính thức của xã, phường, thị trấn nơi diễn ra, theo địa giới vào ngày bắt đầu, ví dụ 24583 "
    "(xã Yang Tao trước 01/07/2025). Hoạt động cấp huyện, tỉnh thì ghi mã huyện, tỉnh.",
    VILLAGES: "Tên các thôn, buôn của xã đó vào ngày bắt đầu, cách nhau bằng dấu chấm phẩy, ví dụ "
    "«Buôn Yang Lah; Buôn Akŏ Dhŏng». Không phân biệt chữ hoa, có dấu hay không dấu.",
    START: "Ngày bắt đầu, dạng ngày/tháng/năm, ví dụ 05/07/2004.",
    END: "Ngày kết thúc (tính cả ngày này). Để trống: hoạt động trong một ngày.",
    TEAMS: "Không bắt buộc. Tên các đội tham gia, cách nhau bằng dấu chấm phẩy.",
    MOVEMENTS: "Không bắt buộc. Phong trào, cuộc vận động mà hoạt động phục vụ, cách nhau bằng dấu chấm phẩy.",
    PARTNERS_COLUMN: "Không bắt buộc. Đơn vị phối hợp, cách nhau bằng dấu chấm phẩy.",
    PEOPLE: "Số lượt người tham gia (số nguyên, không âm). Để trống là 0.",
    FEMALE: "Không bắt buộc; không lớn hơn tổng số lượt người.",
    MINORITY: "Không bắt buộc; số lượt người dân tộc thiểu số, không lớn hơn tổng số lượt người.",
    TITLE: "Nội dung ngắn gọn, tối đa 300 ký tự.",
    NOTES: "Không bắt buộc.",
}
AGGREGATE_HELP = {
    INDICATOR: "Chọn trong danh sách; mã trong ngoặc vuông giữ cho dòng nhập được cả khi chỉ tiêu đổi tên. "
    "Số thành viên, số đội, số thôn, buôn và số xã được phát động ghi đúng như văn bản (không cộng dồn); "
    "tỉ lệ (%) ghi số từ 0 đến 100.",
    UNIT: "Mã chính thức của đơn vị báo cáo (tỉnh, huyện, xã) vào ngày đầu kỳ.",
    START: "Ngày đầu kỳ, dạng ngày/tháng/năm.",
    END: "Ngày cuối kỳ (tính cả ngày này).",
    LABEL: "Kỳ báo cáo đúng như văn bản ghi, ví dụ «2004 - 2008» hoặc «6 tháng đầu năm 2012».",
    VALUE: "Con số trong văn bản, không có dấu chấm phân cách hàng nghìn, ví dụ 5700.",
    QUALIFIER: "Văn bản ghi «trên 5.700» thì chọn «trên» và ghi 5700. Để trống: chính xác.",
    DOC_NUMBER: "Số, ký hiệu văn bản nguồn, ví dụ 45-BC/HU.",
    DOC_DATE: "Ngày ban hành văn bản nguồn.",
    DOC_TITLE: "Không bắt buộc.",
}
RULES = (
    "Trang «Hoạt động»: mỗi dòng là một hoạt động (đợt phát động, buổi tuyên truyền, buổi hướng dẫn kỹ thuật, …). "
    "Cột chỉ tiêu ghi kết quả, ví dụ tiền nhân dân đóng góp (đồng, số nguyên), đất hiến (m²).",
    "Trang «Số liệu tổng hợp»: mỗi dòng là một con số của báo cáo giấy cũ cho một đơn vị và một kỳ. "
    "Một chỉ tiêu, một đơn vị, một kỳ chỉ lấy một nguồn: bản ghi chi tiết hoặc số tổng hợp, không bao giờ cả hai.",
    "Tệp được nhận hoặc từ chối toàn bộ: chỉ cần một dòng sai thì không có gì được ghi, "
    "và báo cáo nêu từng dòng, từng cột cần sửa.",
    "Nhập lại cùng một tệp không thay đổi gì: dòng đã có trong hệ thống được bỏ qua («không thay đổi»). "
    "Sửa bản ghi đã có thì sửa trên trang nhập liệu.",
    "Cột có dấu * ở bảng dưới là bắt buộc. Ngày ghi dạng ngày/tháng/năm; số không có dấu phân cách hàng nghìn.",
    "Tiêu đề cột chỉ tiêu có mã chỉ tiêu trong ngoặc vuông, ví dụ [money_vnd]: giữ nguyên mã, "
    "để tệp vẫn nhập được khi chỉ tiêu đổi tên hay ngừng sử dụng.",
)
_CODE = re.compile(r"\[\s*([A-Za-z0-9_-]{1,64})\s*\]\s*$")


def indicator_header(indicator: Indicator) -> str:
    """A column header, and an entry of the indicator dropdown: «name (unit) [code]»."""
    return f"{indicator.name_vi} ({indicator.unit}) [{indicator.code}]"


def code_in(text: str) -> str | None:
    """The code at the end of a header or dropdown entry, if it has one."""
    match = _CODE.search(text)
    return match.group(1).lower() if match else None


def partner_labels() -> list[tuple[str, str]]:
    with translation.override("vi"):
        return [(key, str(label)) for key, label in PARTNERS]


def qualifier_labels() -> list[tuple[str, str]]:
    with translation.override("vi"):
        return [(key, str(label)) for key, label in Qualifier.choices]


@dataclass
class Catalogue:
    """What the sheets name, loaded once per import or export: one query per kind.

    A template offers what is open on ``on`` (not retired); a reader reads every indicator,
    retired ones included: the services refuse data dated after a retirement, naming it.
    ``keep``: retired indicators an export still has columns for (it has data for them)."""

    types: list[ActivityType] = field(default_factory=list)
    movements: list[Movement] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    on: datetime.date = field(default_factory=today)
    keep: frozenset[int] = frozenset()

    @classmethod
    def load(cls, *, with_retired_data: bool = False) -> "Catalogue":
        catalogue = cls(
            types=list(ActivityType.objects.all()),
            movements=list(Movement.objects.all()),
            teams=list(Team.objects.select_related("unit")),
            indicators=list(Indicator.objects.all()),
        )
        retired = [i.pk for i in catalogue.all_value_indicators if not i.is_open_on(catalogue.on)]
        if with_retired_data and retired:
            values = ActivityValue.objects.filter(indicator_id__in=retired)
            catalogue.keep = frozenset(values.values_list("indicator_id", flat=True).distinct())
        return catalogue

    def _offered(self, indicator: Indicator) -> bool:
        return indicator.is_open_on(self.on) or indicator.pk in self.keep

    @property
    def all_value_indicators(self) -> list[Indicator]:
        return [i for i in self.indicators if i.source == Source.VALUE]

    @property
    def value_indicators(self) -> list[Indicator]:
        """One column each on the activity sheet of a template or an export."""
        return [i for i in self.all_value_indicators if self._offered(i)]

    @property
    def all_total_indicators(self) -> list[Indicator]:
        """Those a paper-report total may be read for (not awards or cases)."""
        return [i for i in self.indicators if i.accepts_totals]

    @property
    def total_indicators(self) -> list[Indicator]:
        """Those the dropdown of the totals sheet offers."""
        return [i for i in self.all_total_indicators if i.is_open_on(self.on)]

    def activity_columns(self) -> tuple[str, ...]:
        """The activity sheet's columns as written."""
        values = tuple(indicator_header(i) for i in self.value_indicators)
        return BEFORE_VALUES + values + AFTER_VALUES

    def reading_columns(self) -> tuple[str, ...]:
        """The columns an import reads: a column for every indicator, retired ones too."""
        return BEFORE_VALUES + tuple(self.value_columns()) + AFTER_VALUES

    def value_columns(self) -> dict[str, Indicator]:
        return {indicator_header(i): i for i in self.all_value_indicators}

    def value_column(self, header: str) -> str | None:
        """The column of a header that carries an indicator's code, whatever its name says."""
        code = code_in(header)
        return next((h for h, i in self.value_columns().items() if i.code == code), None)

    def value_aliases(self) -> dict[str, str]:
        """Headers without a code that still name one indicator column: its code alone, or
        its name with or without the unit (older templates). A text that could name two
        columns, or a fixed column, is no alias: a confusable name is never guessed."""
        fixed = {fold(c) for c in BEFORE_VALUES + AFTER_VALUES}
        candidates: dict[str, set[str]] = defaultdict(set)
        texts: dict[str, str] = {}
        for header, indicator in self.value_columns().items():
            for text in (
                indicator.code,
                f"{indicator.name_vi} ({indicator.unit})",
                indicator.name_vi,
            ):
                candidates[fold(text)].add(header)
                texts.setdefault(fold(text), text)
        return {
            texts[key]: next(iter(headers))
            for key, headers in candidates.items()
            if len(headers) == 1 and key not in fixed
        }


def _names(items: Iterable[object]) -> list[str]:
    return sorted({str(item) for item in items}, key=fold)


def write_workbook(
    catalogue: Catalogue,
    activities: Iterable[Sequence[object]],
    aggregates: Iterable[Sequence[object]],
) -> bytes:
    """The template (no rows) or an export: both data sheets, instructions, dropdowns."""
    columns = catalogue.activity_columns()
    value_help = {
        indicator_header(i): f"Không bắt buộc. {i.name_vi}, tính bằng {i.unit}"
        + ("; số nguyên." if i.integer_only else "; tối đa 3 chữ số thập phân.")
        + (f" Ngừng sử dụng từ ngày {vn_date(i.retired_on)}." if i.retired_on else "")
        for i in catalogue.value_indicators
    }
    activity = Layout(
        title=ACTIVITY_SHEET,
        columns=columns,
        help=ACTIVITY_HELP | value_help,
        required=ACTIVITY_REQUIRED,
        text_columns=(KEY, COMMUNE, START, END),
        wide_columns=(TYPE, VILLAGES, TEAMS, MOVEMENTS, TITLE),
        number_columns=(PEOPLE, FEMALE, MINORITY, *value_help),
        dropdowns={
            TYPE: Dropdown([t.name for t in catalogue.types]),
            TEAMS: Dropdown(_names(catalogue.teams), strict=False),
            MOVEMENTS: Dropdown([m.name for m in catalogue.movements], strict=False),
            PARTNERS_COLUMN: Dropdown([label for _k, label in partner_labels()], strict=False),
        },
    )
    aggregate = Layout(
        title=AGGREGATE_SHEET,
        columns=AGGREGATE_COLUMNS,
        help=AGGREGATE_HELP,
        required=AGGREGATE_REQUIRED,
        text_columns=(UNIT, START, END, LABEL, DOC_NUMBER, DOC_DATE),
        wide_columns=(INDICATOR, LABEL, DOC_TITLE),
        number_columns=(VALUE,),
        dropdowns={
            INDICATOR: Dropdown([indicator_header(i) for i in catalogue.total_indicators]),
            QUALIFIER: Dropdown([label for _k, label in qualifier_labels()]),
        },
    )
    return xlsx.write_workbook(
        [(activity, activities), (aggregate, aggregates)],
        title="Hướng dẫn nhập hoạt động của Đội công tác và số liệu tổng hợp từ báo cáo",
        rules=RULES,
        help_sheet=HELP_SHEET,
        list_sheet=LIST_SHEET,
    )
