"""One milestone's VEVENTs, as bytes, from its public view.

A milestone appears in the calendars in a few forms (its *variants*), each serialised on its own
so it can be kept and reused until the milestone's public view changes:

- ``board``: the event as the public calendars (``alle.ics`` and a body's file) show it, its
  route without internal steps;
- ``intern``: the same event as ``intern.ics`` shows it, with the whole route;
- ``papers``: the all-day "stukken versturen" deadline in ``intern.ics``;
- ``withdrawn``: the cancelled placeholder in a public calendar the milestone left;
- ``papers-withdrawn``: the cancelled placeholder of a papers deadline that no longer applies.

Everything an event shows comes from :func:`hecht_tracker.core.publication.public_view` and the
milestone's publication stamps, nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from hecht_tracker.core import dates
from hecht_tracker.core.model import BODY_NAMES, Kind, Milestone, Status
from hecht_tracker.core.publication import published_stamp
from hecht_tracker.render.ics import contentline as cl

BOARD = "board"
INTERN = "intern"
PAPERS = "papers"
WITHDRAWN = "withdrawn"
PAPERS_WITHDRAWN = "papers-withdrawn"
VARIANTS = (BOARD, INTERN, PAPERS, WITHDRAWN, PAPERS_WITHDRAWN)

DOCUMENTS_UID_PREFIX = "stukken-"

_ICAL_STATUS = {
    Status.PLANNED: "CONFIRMED",
    Status.IN_PROGRESS: "CONFIRMED",
    Status.DONE: "CONFIRMED",
    Status.POSTPONED: "TENTATIVE",
    Status.CANCELLED: "CANCELLED",
}
_TITLE_SUFFIX = {Status.CANCELLED: " (geannuleerd)", Status.POSTPONED: " (verschoven)"}


def render_milestone(
    milestone: Milestone, view: Mapping[str, Any], variants: Iterable[str]
) -> dict[str, bytes]:
    """The VEVENTs of ``milestone`` (whose public view is ``view``) in each of ``variants``.

    Its board and intern events differ only in the route of the description, and only when
    the route has an internal step; they are made together, sharing everything else.
    """
    wanted = set(variants)
    made: dict[str, bytes] = {}
    routes = [variant for variant in (BOARD, INTERN) if variant in wanted]
    if routes:
        if not route_has_internal_step(view):
            same = _milestone_events(milestone, view, [False])[0]
            made = dict.fromkeys(routes, same)
        else:
            public = [variant == BOARD for variant in routes]
            made = dict(zip(routes, _milestone_events(milestone, view, public), strict=True))
    if PAPERS in wanted:
        made[PAPERS] = _documents_event(milestone, view)
    if WITHDRAWN in wanted:
        made[WITHDRAWN] = _withdrawn_event(milestone, view)
    if PAPERS_WITHDRAWN in wanted:
        made[PAPERS_WITHDRAWN] = _withdrawn_documents_event(milestone, view)
    unknown = wanted.difference(VARIANTS)
    if unknown:
        raise ValueError(f"unknown calendar event variant {sorted(unknown)[0]!r}")
    return made


def route_has_internal_step(view: Mapping[str, Any]) -> bool:
    """Whether a public calendar leaves a step out of this milestone's route (its board and
    intern events differ only then)."""
    return any("internal" in step for step in (*view["depends_on"], *view["followed_by"]))


def _milestone_events(
    milestone: Milestone, view: Mapping[str, Any], public_routes: list[bool]
) -> list[bytes]:
    """The milestone's event once per entry of ``public_routes`` (True: its route without
    internal steps, as a public calendar shows it)."""
    status = Status(view["status"])
    kind = Kind(view["kind"])
    day = dt.date.fromisoformat(view["date"])
    if view["start_time"]:
        start = dt.datetime.combine(day, dt.time.fromisoformat(view["start_time"]))
        if view["end_time"]:
            end = dt.datetime.combine(day, dt.time.fromisoformat(view["end_time"]))
        else:
            # Wall-clock arithmetic, as for an aware Amsterdam time: the meeting lasts this long
            # on the clock on the wall, also on the night the clocks change.
            end = start + dt.timedelta(minutes=int(view["meeting_minutes"]))
        zone = cl.text(dates.TIMEZONE)
        when = [
            f"DTSTART;TZID={zone}:{cl.local_datetime(start)}",
            f"DTEND;TZID={zone}:{cl.local_datetime(end)}",
        ]
        transparency = "OPAQUE"
    else:
        when = _all_day(day)
        transparency = "TRANSPARENT"
    summary = f"{view['body']} — {view['title']}{_TITLE_SUFFIX.get(status, '')}"
    sorted_tail = [
        f"CATEGORIES:{cl.texts([view['body'], kind.label, *view['goals']])}",
        *_created(milestone),
        "",  # DESCRIPTION, which depends on the route shown
        *_last_modified(milestone),
    ]
    if view["location"]:
        sorted_tail.append(f"LOCATION:{cl.text(view['location'])}")
    sorted_tail += [
        _organizer(view),
        f"STATUS:{_ICAL_STATUS[status]}",
        f"TRANSP:{transparency}",
    ]
    items = _event(
        summary,
        when,
        view["uid"],
        milestone,
        sorted_tail,
        view,
        f"Herinnering: {view['body']} — {view['title']}",
    )
    at = items.index("")  # the one empty line: every content line has a name
    made = []
    for public_route in public_routes:
        items[at] = f"DESCRIPTION:{cl.text(_description(view, public_route))}"
        made.append(cl.lines(items))
    return made


def _documents_event(milestone: Milestone, view: Mapping[str, Any]) -> bytes:
    status = Status(view["status"])
    due = dt.date.fromisoformat(view["documents_due"])
    what = f"{view['body']} — {view['title']}"
    description = (
        f"Uiterlijk vandaag gaan de stukken de deur uit voor: {what} ({_long_date(view['date'])})."
    )
    sorted_tail = [
        f"CATEGORIES:{cl.texts([view['body'], 'stukken'])}",
        *_created(milestone),
        f"DESCRIPTION:{cl.text(description)}",
        *_last_modified(milestone),
        _organizer(view),
        f"STATUS:{'CANCELLED' if status == Status.CANCELLED else 'CONFIRMED'}",
        "TRANSP:TRANSPARENT",
    ]
    items = _event(
        f"Stukken versturen: {what}{_TITLE_SUFFIX.get(status, '')}",
        _all_day(due),
        DOCUMENTS_UID_PREFIX + view["uid"],
        milestone,
        sorted_tail,
        view,
        f"Stukken versturen: {what}",
    )
    return cl.lines(items)


def _withdrawn_event(milestone: Milestone, view: Mapping[str, Any]) -> bytes:
    """A milestone that left this calendar (made internal, or moved to another body): kept as
    CANCELLED so subscribed clients remove their copy. It shows nothing of the milestone as it
    is now, which may be internal: a neutral title on its first committed date."""
    day = milestone.baseline_date or dt.date.fromisoformat(view["date"])
    return _cancelled_placeholder(
        view["uid"],
        milestone,
        day,
        "Vervallen mijlpaal",
        "Deze mijlpaal staat niet meer in deze agenda.",
    )


def _withdrawn_documents_event(milestone: Milestone, view: Mapping[str, Any]) -> bytes:
    """A papers deadline that no longer applies (the body needs none, or it became another
    kind of milestone): kept as CANCELLED so subscribed clients remove it."""
    return _cancelled_placeholder(
        DOCUMENTS_UID_PREFIX + view["uid"],
        milestone,
        dt.date.fromisoformat(view["date"]),
        f"Vervallen: stukken versturen voor {view['body']} — {view['title']}",
        "Voor deze mijlpaal hoeven geen stukken meer te worden verstuurd.",
    )


def _cancelled_placeholder(
    uid: str, milestone: Milestone, day: dt.date, summary: str, description: str
) -> bytes:
    """An all-day CANCELLED event that only tells clients to drop what they hold under ``uid``."""
    sorted_tail = [
        *_created(milestone),
        f"DESCRIPTION:{cl.text(description)}",
        *_last_modified(milestone),
        "STATUS:CANCELLED",
        "TRANSP:TRANSPARENT",
    ]
    return cl.lines(_event(summary, _all_day(day), uid, milestone, sorted_tail, None, ""))


def _event(
    summary: str,
    when: list[str],
    uid: str,
    milestone: Milestone,
    sorted_tail: list[str],
    view: Mapping[str, Any] | None,
    reminder: str,
) -> list[str]:
    """The VEVENT's content lines in icalendar's property order: SUMMARY, DTSTART, DTEND,
    DTSTAMP, UID, SEQUENCE, then the rest alphabetically (``sorted_tail`` is given in that
    order), then the alarm."""
    items = [
        "BEGIN:VEVENT",
        f"SUMMARY:{cl.text(summary)}",
        *when,
        f"DTSTAMP:{cl.utc_datetime(published_stamp(milestone))}",
        f"UID:{cl.text(uid)}",
        f"SEQUENCE:{milestone.sequence}",
        *sorted_tail,
    ]
    minutes = int(view["reminder_minutes"]) if view is not None else 0
    if minutes > 0:
        items += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{cl.text(reminder)}",
            f"TRIGGER:{cl.duration(dt.timedelta(minutes=-minutes))}",
            "END:VALARM",
        ]
    items.append("END:VEVENT")
    return items


def _all_day(day: dt.date) -> list[str]:
    return [
        f"DTSTART;VALUE=DATE:{cl.date(day)}",
        f"DTEND;VALUE=DATE:{cl.date(day + dt.timedelta(days=1))}",
    ]


def _created(milestone: Milestone) -> list[str]:
    created = milestone.created or published_stamp(milestone)
    return [f"CREATED:{cl.utc_datetime(created)}"]


def _last_modified(milestone: Milestone) -> list[str]:
    return [f"LAST-MODIFIED:{cl.utc_datetime(published_stamp(milestone))}"]


def _organizer(view: Mapping[str, Any]) -> str:
    name, email = view["organizer"]
    params = f";CN={cl.common_name(name)}" if name else ""
    return f"ORGANIZER{params}:mailto:{email}"


@lru_cache(maxsize=8192)
def _long_date(iso_date: str) -> str:
    """``wo 16 dec 2026`` for an ISO date; cached, as the same days recur in many routes and
    the Dutch formatting is slow."""
    return dates.format_long(dt.date.fromisoformat(iso_date))


def _description(view: Mapping[str, Any], public_route: bool) -> str:
    """The Dutch event text: purpose, decision, documents-due date and the route (in a public
    calendar without its internal steps)."""
    parts: list[str] = []
    if view["description"]:
        parts.append(view["description"])
    facts = []
    if view["decision"]:
        facts.append(f"Besluit: {view['decision']}")
    full = BODY_NAMES.get(view["body"], view["body"])
    facts.append(f"Orgaan: {full}" if full == view["body"] else f"Orgaan: {full} ({view['body']})")
    facts.append(f"Soort: {Kind(view['kind']).label}")
    facts.append(f"Status: {Status(view['status']).label}")
    if view["documents_due"]:
        facts.append(f"Stukken uiterlijk: {_long_date(view['documents_due'])}")
    parts.append("\n".join(facts))
    if view["goals"]:
        parts.append("Strategische doelen:\n" + "\n".join(f"- {title}" for title in view["goals"]))

    def steps(items: Iterable[Mapping[str, str]]) -> list[str]:
        return [
            f"{item['body']} — {item['title']} ({_long_date(item['date'])})"
            for item in items
            if not (public_route and "internal" in item)
        ]

    before, after = steps(view["depends_on"]), steps(view["followed_by"])
    if before or after:
        route = ["Route:"]
        route += [f"- na: {step}" for step in before]
        route += [f"- daarna: {step}" for step in after]
        parts.append("\n".join(route))
    return "\n\n".join(parts)
