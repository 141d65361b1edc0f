"""RFC 5545 content lines, written directly: escaping, parameter quoting and folding.

The calendars are written line by line here rather than through icalendar's component model.
That model builds a case-insensitive dict, a parameter object and a typed value per property
and folds lines character by character: about a millisecond per event, more than a whole
export of 10,000 milestones may take. The few value types the calendars use (text, date,
local and UTC date-time, integer, duration, a calendar address with a common name) are simple
to write, so this module writes them, byte for byte as icalendar 7 does. The tests hold it to
that: icalendar parses every calendar and writes it back unchanged.

One deliberate difference: icalendar turns a literal ``\\N`` in a text into a line break; here
it stays the two characters the user typed.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

# icalendar folds before the octet that would make a line 75 octets long (so at most 74),
# and never right after a backslash or caret, so an escape is not split over two lines.
_FOLD_OCTETS = 74
_ESCAPE_ENDINGS = b"\\^"
_RFC6868 = re.compile(r'\^|\r\n|\r|\n|"')
_RFC6868_REPLACEMENTS = {"^": "^^", "\r\n": "^n", "\r": "^n", "\n": "^n", '"': "^'"}
_QUOTABLE = re.compile("[,;:’]")  # ’ too: icalendar quotes the typographic apostrophe


def text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, line breaks
    as ``\\n``."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def verbatim(value: str) -> str:
    """The value of an X- property, written as is (as icalendar writes a property it does not
    know), except that a line break becomes a space: a raw one would end the content line."""
    return value.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


def texts(values: list[str]) -> str:
    """A list of TEXT values, as CATEGORIES holds them."""
    return ",".join(text(value) for value in values)


def common_name(name: str) -> str:
    """A CN parameter value: RFC 6868 escapes, quoted where a space or delimiter needs it."""
    escaped = _RFC6868.sub(lambda match: _RFC6868_REPLACEMENTS[match.group(0)], name)
    escaped = escaped.replace('"', "'")
    if " " in name or "'" in name or _QUOTABLE.search(escaped):
        return f'"{escaped}"'
    return escaped


def date(day: dt.date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def local_datetime(moment: dt.datetime) -> str:
    """A floating or TZID-relative DATE-TIME: the wall-clock time, no offset."""
    return (
        f"{moment.year:04d}{moment.month:02d}{moment.day:02d}"
        f"T{moment.hour:02d}{moment.minute:02d}{moment.second:02d}"
    )


@lru_cache(maxsize=4096)
def utc_datetime(moment: dt.datetime) -> str:
    """A UTC DATE-TIME (``…Z``). Cached: every event writes its stamps three times, and
    milestones written together share them."""
    return local_datetime(moment.astimezone(dt.UTC)) + "Z"


def duration(delta: dt.timedelta) -> str:
    """A DURATION (RFC 5545 3.3.6) in icalendar's spelling: ``-P1D``, ``PT1H``, ``P1DT2H30M``."""
    sign = ""
    if delta.days < 0:
        sign = "-"
        delta = -delta
    time_part = ""
    if delta.seconds:
        hours, rest = divmod(delta.seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        time_part = "T"
        if hours:
            time_part += f"{hours}H"
        if minutes or (hours and seconds):
            time_part += f"{minutes}M"
        if seconds:
            time_part += f"{seconds}S"
    if delta.days == 0 and time_part:
        return f"{sign}P{time_part}"
    return f"{sign}P{delta.days}D{time_part}"


def _folded(line: str) -> str:
    """The line with a fold (CRLF and a space) wherever icalendar would put one."""
    if len(line) <= _FOLD_OCTETS // 4 or (len(line) <= _FOLD_OCTETS and line.isascii()):
        return line  # fits whatever its characters are
    data = line.encode()
    if len(data) <= _FOLD_OCTETS:
        return line
    parts = []
    start = 0
    while len(data) - start > _FOLD_OCTETS:
        end = start + _FOLD_OCTETS
        while data[end] & 0xC0 == 0x80:  # never split a UTF-8 sequence
            end -= 1
        if data[end - 1] in _ESCAPE_ENDINGS:
            end -= 1
        parts.append(data[start:end])
        start = end
    parts.append(data[start:])
    return "\r\n ".join(part.decode() for part in parts)


def lines(items: list[str]) -> bytes:
    """Content lines (each ``NAME[;PARAM=…]:value``) folded and joined, encoded once."""
    short = _FOLD_OCTETS // 4  # this many characters fit, whatever they are
    folded = [
        item
        if len(item) <= short or (len(item) <= _FOLD_OCTETS and item.isascii())
        else _folded(item)
        for item in items
    ]  # the test inline: most lines are short, and a call per line costs more than the check
    return ("\r\n".join(folded) + "\r\n").encode()
