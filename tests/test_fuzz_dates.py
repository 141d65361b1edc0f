"""Property tests of the Dutch date and time parser: never a crash, and what it writes it reads."""

from __future__ import annotations

import datetime as dt

from hypothesis import example, given, settings
from hypothesis import strategies as st

from hecht_tracker.core import dates, limits
from hecht_tracker.core.errors import ValidationError

TODAY = dt.date(2026, 11, 23)
in_window = st.dates(min_value=limits.EARLIEST_DATE, max_value=limits.LATEST_DATE)
# Text that looks like dates: digits, Dutch month and day names, separators.
date_like = st.lists(
    st.one_of(
        st.integers(min_value=-10, max_value=10**12).map(str),
        st.sampled_from(["jan", "maart", "mrt", "dec.", "wo", "zondag", "sept", "mei", "u"]),
        st.sampled_from([" ", "-", "/", ".", ",", "'", ":", "T", "W", "+"]),
        st.text(max_size=3),
    ),
    max_size=8,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=40), date_like))
@example("99999999999999999999-1-1")
@example("31-02")
@example("0-0-0")
@example("29 feb")
@example("²³-12-2026")
@example("1" * 5000)
@example("wo 16 dec 0")
def test_parse_date_fails_only_with_a_validation_error(text: str) -> None:
    for past in (False, True):
        try:
            day = dates.parse_date(text, TODAY, past=past)
        except ValidationError as error:
            assert str(error)
        else:
            assert limits.EARLIEST_DATE <= day <= limits.LATEST_DATE


@settings(max_examples=300, deadline=None)
@given(in_window)
def test_every_written_form_of_a_date_reads_back_as_that_date(day: dt.date) -> None:
    for written in (
        dates.format_short(day),
        dates.format_long(day),
        dates.format_full(day),
        day.isoformat(),
        day.strftime("%Y%m%d"),
    ):
        assert dates.parse_date(written, TODAY) == day, written


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=364))
def test_a_date_without_its_year_is_the_next_such_day(offset: int) -> None:
    day = TODAY + dt.timedelta(days=offset)
    if (day.month, day.day) == (2, 29):
        return
    assert dates.parse_date(dates.format_day_month(day), TODAY) == day
    assert dates.parse_date(dates.format_month_day(day), TODAY) == day


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=12), st.from_regex(r"\A\d{1,3}[:.u]?\d{0,3}\Z")))
def test_parse_time_fails_only_with_a_validation_error(text: str) -> None:
    try:
        parsed = dates.parse_time(text)
    except ValidationError:
        return
    assert isinstance(parsed, dt.time)


@given(st.times().map(lambda t: t.replace(second=0, microsecond=0)))
def test_a_written_time_reads_back(moment: dt.time) -> None:
    assert dates.parse_time(dates.format_time(moment)) == moment
