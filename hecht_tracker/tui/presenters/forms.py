"""What a form shows while typing: the date it understood, and a date typed with its time."""

from __future__ import annotations

import datetime as dt
import re

from hecht_tracker.core import dates
from hecht_tracker.core.errors import ValidationError

# "3 dec 14u", "3 dec om 14.30", "do 3-12 14:00 uur": a date, then a time of day at the end.
_WITH_TIME = re.compile(
    r"^(?P<date>.*\S)\s+(?:om\s+)?(?P<time>\d{1,2}(?:[:.]\d{2}|u\d{0,2})(?:\s*uur)?|\d{1,2}\s*uur)$",
    re.IGNORECASE,
)
MAX_TITLE = 200
MAX_TEXT = 4000


def split_date_time(text: str) -> tuple[str, dt.time | None]:
    """``"3 dec 14u"`` → (``"3 dec"``, 14:00); a text without a time comes back unchanged."""
    found = _WITH_TIME.match(text.strip())
    if found is None:
        return text, None
    return found["date"], dates.parse_time(found["time"].replace("uur", "").strip() or "0")


def date_hint(
    text: str, today: dt.date, *, baseline: dt.date | None = None, past: bool = False
) -> tuple[str, bool]:
    """``→ do 3 dec 2026, 14:00 · +7 dagen t.o.v. de oorspronkelijke datum`` or the Dutch reason
    the text is no date."""
    try:
        day_text, time = split_date_time(text)
        day = dates.parse_date(day_text, today, past=past)
    except ValidationError as error:
        return str(error), False
    shown = f"→ {dates.format_long(day)}"
    if time is not None:
        shown += f", {dates.format_time(time)}"
    if baseline is not None and day != baseline:
        shown += f", {(day - baseline).days:+d} dagen t.o.v. de oorspronkelijke datum"
    else:
        shown += f" ({dates.days_until(day, today)})"
    return shown, True
