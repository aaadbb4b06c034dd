import datetime
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gandan.core.errors import DomainError
from gandan.core.periods import CUTOFF, parse_period, periods_between

D = datetime.date


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2019", D(2019, 1, 1), D(2019, 12, 31), "năm 2019"),
        ("2019-H1", D(2019, 1, 1), D(2019, 6, 30), "6 tháng đầu năm 2019"),
        ("2019-Q3", D(2019, 7, 1), D(2019, 9, 30), "quý III năm 2019"),
        ("2020-02", D(2020, 2, 1), D(2020, 2, 29), "tháng 2 năm 2020"),
        ("2019-W37", D(2019, 9, 9), D(2019, 9, 15), "tuần 37 năm 2019"),
        (
            "2004-07-05..2019-09-10",
            D(2004, 7, 5),
            D(2019, 9, 10),
            "từ ngày 05/07/2004 đến ngày 10/09/2019",
        ),
    ],
)
def test_calendar_periods(text, start, end, label):
    period = parse_period(text)

    assert (period.start, period.end, period.label) == (start, end, label)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2019", D(2018, 12, 15), D(2019, 12, 14)),
        ("2019-01", D(2018, 12, 15), D(2019, 1, 14)),
        ("2019-09", D(2019, 8, 15), D(2019, 9, 14)),
        ("2019-Q3", D(2019, 6, 15), D(2019, 9, 14)),
        ("2019-H2", D(2019, 6, 15), D(2019, 12, 14)),
    ],
)
def test_decree_09_cutoff_periods(text, start, end):
    period = parse_period(text, regime=CUTOFF)

    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    "text", ["2019-13", "2019-Q5", "2019-W60", "19", "2019-09-10..2019-01-01", "abc"]
)
def test_bad_periods_are_refused_in_vietnamese(text):
    with pytest.raises(DomainError, match="Kỳ"):
        parse_period(text)


@given(st.sampled_from(["month", "quarter", "half", "year"]), st.sampled_from(["calendar", "nd09"]))
def test_periods_between_tile_the_range_without_gaps(kind, regime):
    start, end = D(2004, 7, 5), D(2019, 9, 10)
    periods = periods_between(start, end, kind, regime=regime)

    assert periods[0].start == start
    assert periods[-1].end == end
    for before, after in itertools.pairwise(periods):
        assert after.start == before.end + datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Quý 3/2025", "2025-Q3"),
        ("quý III năm 2025", "2025-Q3"),
        ("Q3/2025", "2025-Q3"),
        ("q4 2019", "2019-Q4"),
        ("QUY 1 - 2020", "2020-Q1"),
        ("tháng 9/2025", "2025-09"),
        ("Tháng 12 năm 2019", "2019-12"),
        ("09/2025", "2025-09"),
        ("6 tháng đầu năm 2025", "2025-H1"),
        ("6 tháng cuối 2019", "2019-H2"),
        ("năm 2025", "2025"),
        ("Tuần 37/2019", "2019-W37"),
        ("từ 05/7/2004 đến 10/9/2019", "2004-07-05..2019-09-10"),
        ("Từ ngày 05/07/2004 đến ngày 10/09/2019", "2004-07-05..2019-09-10"),
        ("05/7/2004 - 10/9/2019", "2004-07-05..2019-09-10"),
        ("2025-Q3", "2025-Q3"),  # the codes stay accepted for the API and the CLI
    ],
)
def test_periods_as_officials_write_them(text, code):
    assert parse_period(text).code == code


@pytest.mark.parametrize(
    "text",
    ["Quý 5/2025", "quý V năm 2025", "tháng 13/2025", "từ 31/02/2020 đến 01/03/2020", "kỳ này"],
)
def test_periods_in_words_that_do_not_exist_are_refused_in_vietnamese(text):
    with pytest.raises(DomainError, match="Kỳ không hợp lệ"):
        parse_period(text)


CODES = st.one_of(
    st.integers(2000, 2030).map(str),
    st.tuples(st.integers(2000, 2030), st.integers(1, 2)).map(lambda t: f"{t[0]}-H{t[1]}"),
    st.tuples(st.integers(2000, 2030), st.integers(1, 4)).map(lambda t: f"{t[0]}-Q{t[1]}"),
    st.tuples(st.integers(2000, 2030), st.integers(1, 12)).map(lambda t: f"{t[0]}-{t[1]:02d}"),
    st.tuples(st.dates(D(2000, 1, 1), D(2030, 12, 31)), st.integers(0, 5000)).map(
        lambda t: f"{t[0]}..{t[0] + datetime.timedelta(days=t[1])}"
    ),
)


@given(code=CODES, regime=st.sampled_from(["calendar", CUTOFF]))
def test_a_periods_own_label_reads_back_as_the_same_period(code, regime):
    period = parse_period(code, regime=regime)

    again = parse_period(period.label, regime=regime)

    assert (again.code, again.start, again.end) == (period.code, period.start, period.end)
