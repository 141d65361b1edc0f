"""Dates the Dutch way: parsing what people type, formatting what they read, working days.

Parsing stands on python-dateutil with Dutch month and day names; formatting on Babel's Dutch
locale data; public holidays on the ``holidays`` package. "Today" is always passed in.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from hecht_tracker.core import limits
from hecht_tracker.core.errors import ValidationError

if TYPE_CHECKING:
    pass

TIMEZONE = "Europe/Amsterdam"

_MONTHS = [
    ("jan", "januari"),
    ("feb", "februari"),
    ("mrt", "maa", "maart"),
    ("apr", "april"),
    ("mei",),
    ("jun", "juni"),
    ("jul", "juli"),
    ("aug", "augustus"),
    ("sep", "sept", "september"),
    ("okt", "oktober"),
    ("nov", "november"),
    ("dec", "december"),
]
_WEEKDAYS = [
    ("ma", "maandag"),
    ("di", "din", "dinsdag"),
    ("wo", "woe", "woensdag"),
    ("do", "don", "donderdag"),
    ("vr", "vrij", "vrijdag"),
    ("za", "zat", "zaterdag"),
    ("zo", "zon", "zondag"),
]
_WEEKDAY_NAMES = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


@functools.lru_cache(maxsize=1)
def _words_parser() -> Callable[..., dt.datetime]:
    """dateutil's parser with its vocabulary in Dutch, day before month; imported for the first
    date written in words (dates in numbers, the usual case, never need it)."""
    from dateutil import parser as date_parser

    class DutchParserInfo(date_parser.parserinfo):
        """dateutil reads these class attributes as its word lists, hence the plain lists."""

        JUMP = [" ", ".", ",", ";", "-", "/", "'"]  # noqa: RUF012
        MONTHS = _MONTHS  # type: ignore[assignment]
        WEEKDAYS = _WEEKDAYS  # type: ignore[assignment]
        AMPM: list[tuple[str, str]] = []  # noqa: RUF012
        HMS: list[tuple[str, ...]] = []  # type: ignore[assignment]  # noqa: RUF012
        PERTAIN: list[str] = []  # noqa: RUF012
        UTCZONE: list[str] = []  # noqa: RUF012

        def __init__(self) -> None:
            super().__init__(dayfirst=True, yearfirst=False)

    return functools.partial(date_parser.parse, parserinfo=DutchParserInfo())


# Two defaults that differ in every part tell which parts the text left out.
_DEFAULT_A = dt.datetime(1904, 1, 1)
_DEFAULT_B = dt.datetime(1908, 12, 28)


_YEAR_FIRST = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})|(\d{4})(\d{2})(\d{2})")
_DAY_FIRST = re.compile(r"(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{4}|\d{2}))?\.?")


def parse_date(text: str, today: dt.date, *, past: bool = False) -> dt.date:
    """Read a date as Dutch users write it (see :func:`_parse_date`), inside the years the
    tracker keeps (:data:`limits.EARLIEST_DATE` to :data:`limits.LATEST_DATE`)."""
    return limits.check_date(_parse_date(text, today, past=past))


def _parse_date(text: str, today: dt.date, *, past: bool = False) -> dt.date:
    """Read a date as Dutch users write it.

    Accepts ``16-12-2026``, ``16/12/2026``, ``16.12.26``, ``16 dec 2026``, ``16 december``,
    ``wo 16 dec.``, ``2026-12-16`` and ``20261216``. Numbers are always day-month-year (or
    year-month-day when the year comes first), never swapped. Without a year it is the first
    such date on or after ``today``, or with ``past`` the last one on or before it (for things
    that already happened: papers sent, a measurement). A weekday that does not match the date
    is refused rather than guessed around.
    """
    cleaned = " ".join(text.strip().split())
    if not cleaned:
        raise ValidationError("Vul een datum in, bijvoorbeeld 16-12-2026.")
    if ":" in cleaned:
        raise ValidationError(
            f"'{text}' is geen datum: laat de tijd weg, die heeft een eigen veld."
        )
    if not any(char.isdigit() for char in cleaned):
        raise ValidationError(f"'{text}' is geen volledige datum: geef dag en maand, bijv. 16 dec.")
    if match := _YEAR_FIRST.fullmatch(cleaned):
        year, month, day = (int(part) for part in match.groups() if part is not None)
        return _make_date(year, month, day, text)
    if match := _DAY_FIRST.fullmatch(cleaned):
        day, month = int(match[1]), int(match[2])
        if match[3] is None:
            return _resolve_year(month, day, today, text, past)
        year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
        return _make_date(year, month, day, text)
    try:
        parse = _words_parser()
        first = parse(cleaned, default=_DEFAULT_A)
        second = parse(cleaned, default=_DEFAULT_B)
    except (ValueError, OverflowError) as error:
        raise ValidationError(_explain_parse_error(text, error)) from None
    if first.day != second.day or first.month != second.month:
        raise ValidationError(f"'{text}' is geen volledige datum: geef dag en maand, bijv. 16 dec.")
    if first.year != second.year:
        resolved = _resolve_year(first.month, first.day, today, text, past)
    else:
        resolved = first.date()
    weekday = _weekday_in(cleaned)
    if weekday is not None and weekday != resolved.weekday():
        raise ValidationError(
            f"{format_long(resolved)} valt op een {_WEEKDAY_NAMES[resolved.weekday()]}, "
            f"niet op een {_WEEKDAY_NAMES[weekday]}."
        )
    return resolved


def _make_date(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValidationError(f"De datum '{text}' bestaat niet.") from None


def _explain_parse_error(text: str, error: Exception) -> str:
    message = str(error)
    if "out of range" in message or "must be in" in message:
        return f"De datum '{text}' bestaat niet."
    return f"'{text}' is geen datum die ik herken; schrijf bijvoorbeeld 16-12-2026 of 16 dec 2026."


def _resolve_year(month: int, day: int, today: dt.date, text: str, past: bool) -> dt.date:
    """The next (or with ``past`` the last) day-month on a calendar, seen from today."""
    step = -1 if past else 1
    for offset in range(9):
        try:
            candidate = dt.date(today.year + step * offset, month, day)
        except ValueError:
            continue
        if (candidate <= today) if past else (candidate >= today):
            return candidate
    raise ValidationError(f"De datum '{text}' bestaat niet.")


def _weekday_in(text: str) -> int | None:
    for word in re.findall(r"[a-z]+", text.lower()):
        for index, names in enumerate(_WEEKDAYS):
            if word in names:
                return index
    return None


_TIME = re.compile(r"^(?P<hour>\d{1,2})(?:(?:[:.u])(?P<minute>\d{2})?)?$")


def parse_time(text: str) -> dt.time:
    """Read ``14:00``, ``14.00``, ``14u``, ``14u30`` or ``9`` as a time of day."""
    cleaned = text.strip().lower().replace(" ", "")
    match = _TIME.match(cleaned)
    if match is None:
        raise ValidationError(f"'{text}' is geen tijd; schrijf bijvoorbeeld 14:00, 14.00 of 14u.")
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    if hour > 23 or minute > 59:
        raise ValidationError(f"De tijd '{text}' bestaat niet.")
    return dt.time(hour, minute)


def parse_iso_date(text: str, what: str = "datum") -> dt.date:
    """Strict ``YYYY-MM-DD``, for options that are a contract (``--today``)."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(f"Ongeldige {what} '{text}': gebruik JJJJ-MM-DD.") from None


def parse_iso_week(text: str) -> dt.date:
    """Monday of an ISO week written ``2026-W48``."""
    match = re.fullmatch(r"(\d{4})-?[Ww](\d{1,2})", text.strip())
    if match is None:
        raise ValidationError(f"Ongeldige week '{text}': gebruik bijvoorbeeld 2026-W48.")
    try:
        monday = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise ValidationError(f"Week '{text}' bestaat niet.") from None
    return limits.check_date(monday, f"Week {text.strip()}")


def today_in_amsterdam() -> dt.date:
    """The current date where Hecht is; the one place the clock is read for 'today'."""
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo(TIMEZONE)).date()


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def iso_week_label(day: dt.date) -> str:
    """``2026-W48`` for any day of that ISO week."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


# --- working days ----------------------------------------------------------------------------


@functools.lru_cache(maxsize=16)
def _holidays(year: int) -> frozenset[dt.date]:
    import holidays

    return frozenset(holidays.country_holidays("NL", years=year))


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday, and not a Dutch public holiday."""
    return day.weekday() < 5 and day not in _holidays(day.year)


def subtract_working_days(day: dt.date, count: int) -> dt.date:
    """The date ``count`` working days before ``day`` (weekends and holidays skipped)."""
    current = day
    remaining = count
    while remaining > 0:
        current -= dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


@functools.lru_cache(maxsize=1024)
def working_days_after(start: dt.date, end: dt.date) -> int:
    """The working days after ``start`` up to and including ``end`` (0 when ``end`` is not
    later): how many working days a thing due on ``start`` is late on ``end``."""
    count = 0
    current = start
    while current < end:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count


# --- formatting (what people read) -----------------------------------------------------------


def format_short(day: dt.date | None) -> str:
    """``16-12-2026``; empty for no date."""
    return "" if day is None else day.strftime("%d-%m-%Y")


@functools.lru_cache(maxsize=4096)  # babel is slow and a report formats the same days often
def format_long(day: dt.date) -> str:
    """``wo 16 dec 2026``."""
    from babel.dates import format_date

    return format_date(day, "EEE d MMM y", locale="nl")


@functools.lru_cache(maxsize=4096)  # babel is slow and a report formats the same days often
def format_day_month(day: dt.date) -> str:
    """``wo 16 dec``."""
    from babel.dates import format_date

    return format_date(day, "EEE d MMM", locale="nl")


@functools.lru_cache(maxsize=4096)  # babel is slow and a report formats the same days often
def format_full(day: dt.date) -> str:
    """``woensdag 16 december 2026``."""
    from babel.dates import format_date

    return format_date(day, "EEEE d MMMM y", locale="nl")


def format_month_day(day: dt.date) -> str:
    """``16 december``."""
    from babel.dates import format_date

    return format_date(day, "d MMMM", locale="nl")


def format_week_range(monday: dt.date) -> str:
    """``23–29 november 2026``, or ``28 december 2026 – 3 januari 2027`` across a year."""
    from babel.dates import format_date

    sunday = monday + dt.timedelta(days=6)
    if monday.year != sunday.year:
        return f"{format_date(monday, 'd MMMM y', locale='nl')} – {format_date(sunday, 'd MMMM y', locale='nl')}"
    if monday.month != sunday.month:
        return f"{format_month_day(monday)} – {format_date(sunday, 'd MMMM y', locale='nl')}"
    return f"{monday.day}–{format_date(sunday, 'd MMMM y', locale='nl')}"


def format_moment(moment: dt.datetime) -> str:
    """A moment as the clock in Amsterdam showed it: ``23-11-2026 10:15``."""
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(TIMEZONE)).strftime("%d-%m-%Y %H:%M")


def format_time(value: dt.time | None) -> str:
    return "" if value is None else value.strftime("%H:%M")


def days_until(day: dt.date, today: dt.date) -> str:
    """``vandaag``, ``morgen``, ``over 3 dagen``, ``2 dagen geleden``."""
    delta = (day - today).days
    if delta == 0:
        return "vandaag"
    if delta == 1:
        return "morgen"
    if delta == -1:
        return "gisteren"
    if delta > 0:
        return f"over {delta} dagen"
    return f"{-delta} dagen geleden"


def week_bounds(week_monday: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Monday 00:00 to the next Monday 00:00 in Amsterdam, as UTC (journal times are UTC)."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(TIMEZONE)
    start = dt.datetime.combine(week_monday, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(week_monday + dt.timedelta(days=7), dt.time.min, tzinfo=zone)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)
