"""Dutch dates and times as people type them, working days, and Dutch formatting."""

from __future__ import annotations

import datetime as dt

import pytest

from hecht_tracker.core import dates
from hecht_tracker.core.errors import ValidationError

TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("16-12-2026", dt.date(2026, 12, 16)),
        ("16/12/2026", dt.date(2026, 12, 16)),
        ("16.12.2026", dt.date(2026, 12, 16)),
        ("16 dec 2026", dt.date(2026, 12, 16)),
        ("16 december 2026", dt.date(2026, 12, 16)),
        ("16 december", dt.date(2026, 12, 16)),
        ("wo 16 dec.", dt.date(2026, 12, 16)),
        ("woensdag 16 december 2026", dt.date(2026, 12, 16)),
        ("2026-12-16", dt.date(2026, 12, 16)),
        ("2026-11-01", dt.date(2026, 11, 1)),  # ISO stays year-month-day
        ("01-11-2026", dt.date(2026, 11, 1)),
        ("  16  Dec  2026 ", dt.date(2026, 12, 16)),
        ("3 mrt", dt.date(2027, 3, 3)),
        ("4 maart 2027", dt.date(2027, 3, 4)),
        ("16 mei", dt.date(2027, 5, 16)),
        ("1 okt 2026", dt.date(2026, 10, 1)),
        ("23 nov", dt.date(2026, 11, 23)),  # today itself is the next such date
        ("22 nov", dt.date(2027, 11, 22)),  # yesterday's date means next year
        ("29 feb", dt.date(2028, 2, 29)),
    ],
)
def test_dutch_date_inputs_are_understood(text: str, expected: dt.date) -> None:
    assert dates.parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31-02-2026", "bestaat niet"),
        ("2026-02-31", "bestaat niet"),
        ("30 feb 2026", "bestaat niet"),
        ("do 16 dec 2026", "valt op een woensdag, niet op een donderdag"),
        ("morgen misschien", "geen volledige datum"),
        ("16 foo 2026", "geen datum die ik herken"),
        ("16", "geen volledige datum"),
        ("dec 2026", "geen volledige datum"),
        ("", "Vul een datum in"),
        ("16 dec 2026 14:00", "laat de tijd weg"),
    ],
)
def test_impossible_or_unclear_dates_are_refused_in_dutch(text: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        dates.parse_date(text, TODAY)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14:00", dt.time(14)),
        ("14.00", dt.time(14)),
        ("14u", dt.time(14)),
        ("14u30", dt.time(14, 30)),
        ("9:05", dt.time(9, 5)),
        ("9", dt.time(9)),
    ],
)
def test_times_are_read_in_the_dutch_notations(text: str, expected: dt.time) -> None:
    assert dates.parse_time(text) == expected


@pytest.mark.parametrize("text", ["24:00", "14:60", "twee uur", "14-00"])
def test_impossible_times_are_refused(text: str) -> None:
    with pytest.raises(ValidationError):
        dates.parse_time(text)


def test_working_days_skip_weekends() -> None:
    # Five working days before Thursday 26 November 2026 is Thursday 19 November.
    assert dates.subtract_working_days(dt.date(2026, 11, 26), 5) == dt.date(2026, 11, 19)


def test_working_days_skip_dutch_public_holidays() -> None:
    # Before Tuesday 29 December 2026: Christmas (Fri 25) and Boxing Day (Sat 26) do not count.
    assert dates.subtract_working_days(dt.date(2026, 12, 29), 2) == dt.date(2026, 12, 24)
    # Koningsdag, Monday 27 April 2026, is not a working day either.
    assert not dates.is_working_day(dt.date(2026, 4, 27))


def test_working_days_after_a_day_count_up_to_and_including_the_end() -> None:
    thursday = dt.date(2026, 11, 26)
    assert dates.working_days_after(thursday, thursday) == 0
    assert dates.working_days_after(thursday, dt.date(2026, 11, 25)) == 0
    assert dates.working_days_after(thursday, dt.date(2026, 11, 27)) == 1  # Friday
    assert dates.working_days_after(thursday, dt.date(2026, 11, 29)) == 1  # the weekend
    assert dates.working_days_after(thursday, dt.date(2026, 11, 30)) == 2  # Monday
    # Christmas 2026 falls on Friday and Saturday: Thursday 24 to Monday 28 is one working day.
    assert dates.working_days_after(dt.date(2026, 12, 24), dt.date(2026, 12, 28)) == 1
    # Across a year: 31 Dec (Thu) to 4 Jan (Mon) skips New Year's Day.
    assert dates.working_days_after(dt.date(2026, 12, 31), dt.date(2027, 1, 4)) == 1


def test_dates_are_written_the_dutch_way() -> None:
    day = dt.date(2026, 12, 16)
    assert dates.format_long(day) == "wo 16 dec 2026"
    assert dates.format_short(day) == "16-12-2026"
    assert dates.format_full(day) == "woensdag 16 december 2026"
    assert dates.format_week_range(dt.date(2026, 11, 23)) == "23–29 november 2026"
    assert dates.format_week_range(dt.date(2026, 12, 28)) == "28 december 2026 – 3 januari 2027"
    assert dates.iso_week_label(dt.date(2026, 11, 26)) == "2026-W48"


def test_iso_weeks_are_read_and_bad_ones_refused() -> None:
    assert dates.parse_iso_week("2026-W48") == dt.date(2026, 11, 23)
    with pytest.raises(ValidationError):
        dates.parse_iso_week("2026-W54")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-1", dt.date(2026, 12, 1)),
        ("2026-1-5", dt.date(2026, 1, 5)),
        ("20261201", dt.date(2026, 12, 1)),
        ("1-12-26", dt.date(2026, 12, 1)),
        ("16 maa 2026", dt.date(2026, 3, 16)),
    ],
)
def test_numbers_are_never_swapped(text: str, expected: dt.date) -> None:
    assert dates.parse_date(text, TODAY) == expected


@pytest.mark.parametrize("text", ["12/25/2026", "vr", "vrijdag", "2026-13-01"])
def test_a_month_above_twelve_or_a_bare_weekday_is_refused(text: str) -> None:
    with pytest.raises(ValidationError):
        dates.parse_date(text, TODAY)


def test_a_past_date_without_year_is_the_last_such_date() -> None:
    assert dates.parse_date("18 nov", TODAY, past=True) == dt.date(2026, 11, 18)
    assert dates.parse_date("ma 16 nov", TODAY, past=True) == dt.date(2026, 11, 16)
    assert dates.parse_date("1 dec", TODAY, past=True) == dt.date(2025, 12, 1)
    assert dates.parse_date("23-11", TODAY, past=True) == TODAY
