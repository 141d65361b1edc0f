"""Property test: any values the store accepts give calendars the strict ``ical`` parser reads.

Values come in the way a person would enter them (through the field parser and the settings
check), at the edges of their limits: dates from 1900 to 2200, the longest texts, every
printable character, line breaks where a field allows them, extreme reminder and meeting
lengths, and organiser names and addresses full of separators.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ical.calendar_stream import IcsCalendarStream

from hecht_tracker.core import limits
from hecht_tracker.core.errors import ValidationError
from hecht_tracker.core.fields import parse_fields
from hecht_tracker.services.calendars import build_calendars
from hecht_tracker.storage.store import Store

TODAY = dt.date(2026, 11, 23)
printable = st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp"))
special = st.sampled_from([",", ";", ":", "\\", '"', "'", "=", "\u00a0", "é", "😀", "\u200b", "ß"])
line = st.lists(st.one_of(special, st.text(printable, max_size=6)), max_size=8).map("".join)
lines = st.lists(
    st.one_of(special, st.text(printable, max_size=6), st.sampled_from(["\n", "\r\n", "\t"])),
    max_size=10,
).map("".join)
long_line = st.integers(min_value=1, max_value=limits.TEXT_LIMITS["title"].length).map(
    lambda n: ("é€;" * n)[:n]
)
address_part = st.text(
    st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp", "Zs"), exclude_characters="@"),
    min_size=1,
    max_size=20,
)
day = st.dates(min_value=limits.EARLIEST_DATE, max_value=limits.LATEST_DATE)
clock = st.times().map(lambda t: t.replace(second=0, microsecond=0))

milestone_values = st.fixed_dictionaries(
    {
        "title": st.one_of(line, long_line),
        "date": day.map(lambda d: d.isoformat()),
        "body": st.one_of(st.sampled_from(["AB", "DB", "Auditcommissie"]), line),
        "kind": st.sampled_from(["vergadering", "themabijeenkomst", "deadline", "besluit"]),
        "status": st.sampled_from(["gepland", "afgerond", "verschoven", "geannuleerd"]),
        "visibility": st.sampled_from(["openbaar", "intern"]),
        "location": line,
        "description": lines,
        "decision": lines,
        "notes": lines,
    },
    optional={"start_time": clock, "end_time": clock},
)
setting_values = st.fixed_dictionaries(
    {
        "organisation": line.filter(str.strip),
        "organizer_name": line,
        "organizer_email": st.tuples(address_part, address_part).map(lambda p: f"{p[0]}@{p[1]}"),
        "reminder_minutes": st.integers(*limits.REMINDER_MINUTES),
        "meeting_minutes": st.integers(*limits.MEETING_MINUTES),
        "documents_lead_days": st.dictionaries(
            st.sampled_from(["AB", "DB", "Auditcommissie"]), st.integers(*limits.LEAD_DAYS)
        ),
    }
)


def typed(values: dict[str, Any]) -> dict[str, Any]:
    raw = {k: v.strftime("%H:%M") if isinstance(v, dt.time) else v for k, v in values.items()}
    try:
        parsed = parse_fields("milestone", raw, TODAY)
    except ValidationError:
        assume(False)
        raise
    assume(parsed["title"] and parsed["body"])
    return parsed


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(st.lists(milestone_values, min_size=1, max_size=4), setting_values)
def test_any_accepted_values_give_calendars_the_strict_parser_reads(
    milestones: list[dict[str, Any]], chosen: dict[str, Any]
) -> None:
    store = Store.memory()
    try:
        store.update_settings(chosen)
    except ValidationError:
        assume(False)
    added = 0
    for values in milestones:
        try:
            store.add("milestone", typed(values))
            added += 1
        except ValidationError:  # e.g. an end time before the start: refused as a whole
            continue
    assume(added)
    files = build_calendars(store)
    for name, content in files.items():
        text = content.decode("utf-8")
        IcsCalendarStream.calendar_from_ics(text)  # raises on an invalid calendar
        icalendar.Calendar.from_ical(content)
        assert all(len(part) <= 75 for part in content.split(b"\r\n")), name
    internal = icalendar.Calendar.from_ical(files["intern.ics"])
    titles = {str(event["SUMMARY"]) for event in internal.walk("VEVENT")}
    for milestone in store.milestones():
        assert any(milestone.title in title for title in titles)
