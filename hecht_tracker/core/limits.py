"""The range and shape of every value the tracker keeps, checked in one place.

A value that passes here can be stored, listed, exported, put in a calendar and printed in a
report without breaking any of them: dates lie in a window every calendar library handles,
numbers are bounded so date arithmetic cannot overflow, single-line text holds no line breaks
or control characters (a line break in an e-mail address would start a new calendar line),
and every text has a length limit so one pasted file cannot make a 10 MB title.

The same checks run on what people type (CLI options, import files, TUI forms, settings) and
on what the store reads back, so a value written by an older version or by hand is found and
reported instead of breaking every later export.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import operator
import re
import unicodedata
from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any

from hecht_tracker.core.errors import ValidationError

EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2200, 12, 31)
# SQLite stores integers in 8 bytes; a larger id cannot even be looked up.
MAX_ID = 2**63 - 1
MAX_GOAL_NUMBER = 999


@dataclasses.dataclass(frozen=True)
class TextLimit:
    """At most ``length`` characters; ``multiline`` text may hold line breaks and tabs."""

    length: int
    multiline: bool = False


_LINE = TextLimit(300)
_NAME = TextLimit(200)
_PARAGRAPH = TextLimit(2_000, multiline=True)
_DOCUMENT = TextLimit(20_000, multiline=True)

# Per field name; the same name means the same kind of text in every record kind.
TEXT_LIMITS: dict[str, TextLimit] = {
    "uid": TextLimit(200),
    "title": _LINE,
    "name": _LINE,
    "location": _LINE,
    "body": TextLimit(40),
    "owner": _NAME,
    "horizon": _NAME,
    "period": _NAME,
    "budget": _NAME,
    "indicator": _LINE,
    "baseline": _LINE,
    "target": _LINE,
    "value": _NAME,  # a measurement
    "note": _PARAGRAPH,  # journal note, measurement note
    "health_reason": _PARAGRAPH,
    "decision": _PARAGRAPH,
    "evidence": _DOCUMENT,
    "description": _DOCUMENT,
    "notes": _DOCUMENT,
}
_TEXT_LENGTHS = {name: limit.length for name, limit in TEXT_LIMITS.items()}
DATE_FIELDS = frozenset(
    {"date", "documents_due", "documents_sent", "baseline_date", "due_date", "done_date"}
    | {"realisation_date"}
)
ID_FIELDS = frozenset({"id", "programme_id", "goal_id", "milestone_id", "benefit_id"})

# Settings: (lowest, highest) for numbers.
REMINDER_MINUTES = (0, 4 * 7 * 24 * 60)  # up to four weeks ahead
MEETING_MINUTES = (1, 24 * 60)  # a meeting with a start time lasts at most a day
LEAD_DAYS = (0, 60)  # working days the papers go out before a meeting
MAX_LEAD_BODIES = 50
MAX_EMAIL_LENGTH = 254  # RFC 5321
MAX_TOKEN_LENGTH = 200
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
_TOKEN = re.compile(r"[A-Za-z0-9_\-]*")
# Line and paragraph separators end a line in some readers, so never in single-line text.
_LINE_BREAKS = frozenset({"\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85"})
_MULTILINE_ALLOWED = frozenset({"\n", "\r", "\t"})


def _number(count: int) -> str:
    """``10.485.760``: thousands the Dutch way."""
    return f"{count:,}".replace(",", ".")


def check_text(value: str, limit: TextLimit, what: str) -> str:
    """Refuse text that is too long, holds control characters or is not valid Unicode."""
    if len(value) > limit.length:
        raise ValidationError(
            _say(
                what, f"te lang: {_number(len(value))} tekens (hoogstens {_number(limit.length)})."
            )
        )
    # Fast path: ordinary printable text (most of it) needs no look at each character.
    if value.isprintable():
        return value
    for char in value:
        if char.isprintable():
            continue
        category = unicodedata.category(char)
        if category == "Cs":
            raise ValidationError(
                _say(
                    what, "bevat tekens die geen geldige UTF-8 zijn; typ of plak de tekst opnieuw."
                )
            )
        if limit.multiline and (char in _MULTILINE_ALLOWED or category in ("Zl", "Zp")):
            continue
        if char in _LINE_BREAKS or category in ("Zl", "Zp"):
            raise ValidationError(
                _say(what, f"bevat een regeleinde (U+{ord(char):04X}); houd het op één regel.")
            )
        if category == "Cc":
            raise ValidationError(
                _say(
                    what,
                    f"bevat een stuurteken (U+{ord(char):04X}); alleen gewone tekst is toegestaan.",
                )
            )
        # Other invisible characters (format marks, non-breaking spaces) are harmless.
    return value


def check_date(value: dt.date, what: str = "") -> dt.date:
    """A date inside the window every calendar and date library handles."""
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        shown = f"{value.day:02d}-{value.month:02d}-{value.year:04d}"
        raise ValidationError(
            _say(
                what,
                f"datum {shown} ligt buiten de jaren {EARLIEST_DATE.year}–{LATEST_DATE.year}.",
            )
        )
    return value


def check_id(value: int) -> int:
    """A record id SQLite can store: a positive 8-byte integer."""
    if not 1 <= value <= MAX_ID:
        raise ValidationError(f"Id {_short_number(value)} bestaat niet.")
    return value


def check_int(value: int, lowest: int, highest: int, what: str = "") -> int:
    """A whole number from ``lowest`` to ``highest``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(_say(what, "geen geheel getal."))
    if not lowest <= value <= highest:
        raise ValidationError(
            _say(
                what,
                f"een getal van {_number(lowest)} tot en met {_number(highest)} "
                f"(niet {_short_number(value)}).",
            )
        )
    return value


def _say(what: str, sentence: str) -> str:
    """``Naam: te lang …`` with a subject, ``Te lang …`` without (a form shows it by the field)."""
    return f"{what}: {sentence}" if what else sentence[:1].upper() + sentence[1:]


def _short_number(value: int) -> str:
    """A number as written, shortened when it is absurdly long (a message stays one line)."""
    text = str(value)
    return text if len(text) <= 20 else f"{text[:8]}…({len(text)} cijfers)"


def check_field(name: str, value: Any, what: str = "") -> Any:
    """Check one typed field value of any record kind; returns it unchanged.

    ``what`` names the field in the message; the field parser leaves it out, because it puts
    the option or column in front itself.
    """
    if value is None:
        return value
    if isinstance(value, str):
        limit = TEXT_LIMITS.get(name)
        return check_text(value, limit or _LINE, what)
    if isinstance(value, bool):
        return value
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return check_date(value, what)
    if isinstance(value, int):
        if name == "number":
            return check_int(value, 1, MAX_GOAL_NUMBER, what)
        if name in ID_FIELDS or name == "sequence":
            return check_int(value, 0 if name == "sequence" else 1, MAX_ID, what)
        return value
    if isinstance(value, tuple):
        for item in value:
            if isinstance(item, int) and not isinstance(item, bool):
                check_id(item)
        return value
    return value


# Per record kind: the fields worth checking on reading, the longest text each may hold, and
# a fast getter of their values.
_Plan = tuple[tuple[str, ...], tuple[int, ...], Callable[[Any], tuple[Any, ...]]]
_PLANS: dict[type, _Plan] = {}


def _plan(model: type) -> _Plan:
    """The fields of a record kind worth checking on reading (see :data:`_Plan`).

    Enums, times and timestamps are checked by their own conversion; ids and counters come
    from SQLite's integers, which cannot be out of range; what is left is text, dates, the
    goal number and a benefit's measurements.
    """
    plan = _PLANS.get(model)
    if plan is None:
        wanted = set(TEXT_LIMITS) | DATE_FIELDS | {"number", "measurements"}
        names = tuple(f.name for f in dataclasses.fields(model) if f.name in wanted)
        lengths = tuple(_TEXT_LENGTHS.get(name, _LINE.length) for name in names)
        plan = _PLANS[model] = (names, lengths, operator.attrgetter(*names))  # several names
    return plan


def check_values(values: Mapping[str, Any]) -> None:
    """Check typed values about to be written (the store's own guard, whatever the door);
    the message names the field.

    Runs on every field of every record an import writes, so the common cases are decided
    here in a comparison or two: short printable text, a date in the window, an empty value,
    a choice (an enum's stored key is short printable text by construction). Anything else
    goes through :func:`check_field`, for the check or for its message.
    """
    for name, value in values.items():
        kind = type(value)
        if kind is str:
            if len(value) <= _TEXT_LENGTHS.get(name, _LINE.length) and value.isprintable():
                continue
        elif value is None or kind is bool or (kind is int and name != "number"):
            continue
        elif kind is dt.date:
            if EARLIEST_DATE <= value <= LATEST_DATE:
                continue
        elif isinstance(value, Enum):
            continue
        try:
            check_field(name, value)
        except ValidationError as error:
            raise ValidationError(f"{name}: {error.detail}", field=name) from None


def check_record(record: Any) -> None:
    """Check every field of a domain record (a dataclass) as it came out of the database.

    Runs on every record read, so the common case (short printable text, a date in the
    window, a small number) is decided in a few comparisons; only a value that fails them
    goes through :func:`check_field` for the message.
    """
    names, lengths, values = _plan(type(record))
    for name, length, value in zip(names, lengths, values(record), strict=True):
        kind = type(value)  # the common cases inline: this runs for every field read
        if kind is str:
            if len(value) <= length and value.isprintable():
                continue
        elif kind is dt.date:
            if EARLIEST_DATE <= value <= LATEST_DATE:
                continue
        elif value is None:
            continue
        if name == "measurements":
            for measurement in value:
                check_record(measurement)
            continue
        try:
            check_field(name, value)
        except ValidationError as error:
            raise ValidationError(f"{name}: {error.detail}", field=name) from None


# --- settings ---------------------------------------------------------------------------------


def check_setting(name: str, value: Any) -> Any:
    """Check one setting's value; returns it unchanged. Unknown names pass (they are ignored)."""
    if name in ("organisation", "organizer_name"):
        what = "Naam van de organisatie" if name == "organisation" else "Naam van de organisator"
        if not isinstance(value, str):
            raise ValidationError(f"{what}: geen tekst.")
        check_text(value, _NAME, what)
        if name == "organisation" and not value.strip():
            raise ValidationError("De naam van de organisatie mag niet leeg zijn.")
        return value
    if name == "organizer_email":
        if not isinstance(value, str):
            raise ValidationError("E-mailadres: geen tekst.")
        check_text(value, TextLimit(MAX_EMAIL_LENGTH), "E-mailadres")
        if not _EMAIL.fullmatch(value):
            raise ValidationError(f"'{clip(value)}' is geen e-mailadres.")
        return value
    if name == "reminder_minutes":
        return check_int(value, *REMINDER_MINUTES, "Herinnering (minuten vooraf)")
    if name == "meeting_minutes":
        return check_int(value, *MEETING_MINUTES, "Vergaderduur (minuten)")
    if name == "documents_lead_days":
        if not isinstance(value, Mapping):
            raise ValidationError("Werkdagen voor de stukken staan per orgaan, bijv. AB=10,DB=5.")
        if len(value) > MAX_LEAD_BODIES:
            raise ValidationError(
                f"Werkdagen voor de stukken: hoogstens {MAX_LEAD_BODIES} organen."
            )
        for body, days in value.items():
            if not isinstance(body, str) or not body.strip():
                raise ValidationError("Werkdagen voor de stukken: een orgaan zonder naam.")
            check_text(body, TEXT_LIMITS["body"], "Orgaan")
            check_int(days, *LEAD_DAYS, f"Werkdagen voor de stukken van {body}")
        return value
    if name == "feed_token":
        if not isinstance(value, str) or len(value) > MAX_TOKEN_LENGTH:
            raise ValidationError("Het token van de agenda-feed is ongeldig.")
        if not _TOKEN.fullmatch(value):
            raise ValidationError(
                "Het token van de agenda-feed mag alleen letters, cijfers, - en _ bevatten."
            )
        return value
    return value


def check_settings(settings: Any) -> None:
    """Check every field of a ``Settings`` value."""
    for field in dataclasses.fields(settings):
        check_setting(field.name, getattr(settings, field.name))


# --- raw input --------------------------------------------------------------------------------


def check_raw(value: Any, kind: str) -> Any:
    """Refuse a raw value of the wrong shape before it is parsed: an object where text belongs,
    a list inside a list (``str()`` would store it as text), or digits other than 0–9 in a
    date, time, number or id (superscripts and other scripts are not read as numbers)."""
    scalar = (str, int, float, dt.date, dt.time)
    is_list = kind == "refs"
    if kind != "text":
        for item in value if isinstance(value, (list, tuple)) else (value,):
            if isinstance(item, str) and not (item.isascii() and item.isprintable()):
                _check_typed_text(item)
    if value is None or isinstance(value, scalar):
        return value
    if is_list and isinstance(value, (list, tuple)):
        if all(item is None or isinstance(item, scalar) for item in value):
            return value
        raise ValidationError("Geef een lijst van ids of uids, zonder geneste lijsten.")
    if is_list:
        raise ValidationError("Geef een lijst van ids of uids, geen object.")
    raise ValidationError("Geef één waarde, geen lijst of object.")


def _check_typed_text(text: str) -> None:
    """What is typed for a date, time, number, choice or id: digits 0–9, no control characters."""
    if any(char.isdigit() and not char.isascii() for char in text):
        raise ValidationError("Schrijf cijfers als 0–9.")
    for char in text:
        if unicodedata.category(char) == "Cs":
            raise ValidationError(
                "Bevat tekens die geen geldige UTF-8 zijn; typ de waarde opnieuw."
            )
        if unicodedata.category(char) in ("Cc", "Zl", "Zp"):
            raise ValidationError(
                f"Bevat een stuurteken of regeleinde (U+{ord(char):04X}); typ alleen de waarde."
            )


def clip(value: Any, length: int = 60) -> str:
    """A value as quoted in a message: cut short, so a message stays one readable line."""
    text = str(value)
    if len(text) <= length:
        return text
    return f"{text[:length]}… ({_number(len(text))} tekens)"
