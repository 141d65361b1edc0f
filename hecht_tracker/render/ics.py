"""Calendars board members subscribe to: ICS files built from the milestones (RFC 5545, RFC 7986).

Everything an event shows comes from :func:`hecht_tracker.core.publication.public_view`, the same view
whose hash raises a milestone's SEQUENCE; DTSTAMP/LAST-MODIFIED, CREATED and SEQUENCE come from
the store. So a calendar is a pure function of the database: exporting twice, or editing an
internal note, changes no byte, and every change a subscriber can see raises SEQUENCE.

Choices where the RFCs leave room, made for what clients actually do:

- ``alle.ics`` holds every public milestone, ``<orgaan>.ics`` (lower case, e.g. ``ab.ics``) the
  public milestones of one body, and ``intern.ics`` everything, with a separate all-day
  "stukken" event on each documents-due date (UID ``stukken-<milestone uid>``).
- A cancelled milestone stays in the calendar as ``STATUS:CANCELLED`` (with "(geannuleerd)" in
  the title for clients that keep showing it); a postponed one is ``TENTATIVE``.
- The route in the description of a public calendar names only public milestones.
- Timed events carry ``TZID=Europe/Amsterdam`` and one VTIMEZONE in the yearly RRULE form,
  derived from the tz database; all-day events are ``VALUE=DATE`` with DTEND the next day.
- COLOR is a CSS colour name as RFC 7986 asks (hex colours are invalid there); Apple's
  ``X-APPLE-CALENDAR-COLOR`` carries the same colour in hex.
"""

from __future__ import annotations

import calendar as stdlib_calendar
import datetime as dt
import hashlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hecht_tracker.core import dates
from hecht_tracker.core.model import BODY_NAMES, Goal, Kind, Milestone, Settings, Status, Visibility
from hecht_tracker.core.publication import public_view

if TYPE_CHECKING:
    from icalendar import Calendar, Event, Timezone

    from hecht_tracker.storage.store import Store

PRODID = "-//Hecht//hecht-tracker//NL"
UID_DOMAIN = "hecht-tracker"
ALL_NAME = "alle"
INTERNAL_NAME = "intern"
DOCUMENTS_UID_PREFIX = "stukken-"
# How often clients should fetch the calendar again (REFRESH-INTERVAL and X-PUBLISHED-TTL).
REFRESH_INTERVAL = dt.timedelta(hours=1)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

# RFC 7986 COLOR is a CSS3 colour name; Apple reads X-APPLE-CALENDAR-COLOR as hex.
_COLORS: dict[str, tuple[str, str]] = {
    ALL_NAME: ("teal", "#008080"),
    INTERNAL_NAME: ("dimgray", "#696969"),
    "ab": ("darkgreen", "#006400"),
    "db": ("steelblue", "#4682B4"),
    "auditcommissie": ("darkorange", "#FF8C00"),
}
_OTHER_COLOR = ("slategray", "#708090")

_ICAL_STATUS = {
    Status.PLANNED: "CONFIRMED",
    Status.IN_PROGRESS: "CONFIRMED",
    Status.DONE: "CONFIRMED",
    Status.POSTPONED: "TENTATIVE",
    Status.CANCELLED: "CANCELLED",
}
_TITLE_SUFFIX = {Status.CANCELLED: " (geannuleerd)", Status.POSTPONED: " (verschoven)"}


@dataclass(frozen=True)
class CalendarFile:
    """One rendered calendar: its file name, what people read about it, and its bytes."""

    name: str  # file name, e.g. "ab.ics"
    title: str  # "Hecht — Algemeen Bestuur"
    description: str
    content: bytes
    modified: dt.datetime  # UTC; when anything in it last changed (HTTP Last-Modified)

    @property
    def etag(self) -> str:
        """A strong HTTP entity tag: the hash of the bytes."""
        return '"' + hashlib.sha256(self.content).hexdigest()[:32] + '"'


@dataclass(frozen=True)
class _Spec:
    """Which milestones go in one calendar and how it introduces itself."""

    key: str
    title: str
    description: str
    bodies: frozenset[str] | None  # None: every body
    internal: bool


# --- public API -------------------------------------------------------------------------------


def body_file_key(body: str) -> str:
    """The lower-case file stem for a body's calendar: ``AB`` → ``ab``, ``Raad van X`` → ``raad-van-x``."""
    ascii_text = unicodedata.normalize("NFKD", body).encode("ascii", "ignore").decode()
    key = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "orgaan"
    if key in (ALL_NAME, INTERNAL_NAME):
        key = f"orgaan-{key}"
    return key


def render_calendar_files(
    milestones: Sequence[Milestone],
    goals: Iterable[Goal],
    settings: Settings,
    settings_changed: dt.datetime | None = None,
) -> list[CalendarFile]:
    """Every calendar for these milestones: ``alle``, one per body, ``intern`` (in that order).

    ``settings_changed`` is when the settings last changed (the calendar names and colours
    depend on them); it only feeds :attr:`CalendarFile.modified`, never the bytes.
    """
    by_id = {m.id: m for m in milestones}
    goals_by_id = {g.id: g for g in goals}
    views = {m.id: public_view(m, by_id, goals_by_id, settings) for m in milestones}
    stamps = [m.published or m.updated or m.created or _EPOCH for m in milestones]
    if settings_changed is not None:
        stamps.append(settings_changed)
    modified = max(stamps, default=_EPOCH).astimezone(dt.UTC)
    files = []
    for spec in _specs(milestones, settings):
        content = _render(spec, milestones, views, settings)
        files.append(
            CalendarFile(f"{spec.key}.ics", spec.title, spec.description, content, modified)
        )
    return files


def render_calendars(
    milestones: Sequence[Milestone], goals: Iterable[Goal], settings: Settings
) -> dict[str, bytes]:
    """File name → ICS bytes, a pure function of the domain objects."""
    return {f.name: f.content for f in render_calendar_files(milestones, goals, settings)}


def calendar_files(store: Store) -> list[CalendarFile]:
    """Render every calendar from the database (read-only use of the store)."""
    changes = store.journal(entity="setting")
    settings_changed = changes[-1].at if changes else None
    return render_calendar_files(
        store.milestones(), store.goals(), store.settings(), settings_changed
    )


def build_calendars(store: Store) -> dict[str, bytes]:
    """File name (``alle.ics``, ``ab.ics``, ``db.ics``, …, ``intern.ics``) → ICS bytes."""
    return {f.name: f.content for f in calendar_files(store)}


def export_calendars(store: Store, out_dir: Path) -> list[Path]:
    """Write every calendar into ``out_dir`` and return the paths, in calendar order.

    Each file is replaced atomically (temporary file + rename), so a web server publishing the
    folder never serves half a calendar. A file whose bytes did not change is left untouched,
    keeping its modification time for the web server's Last-Modified. Files of bodies that no
    longer have public milestones are not removed.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in build_calendars(store).items():
        path = out_dir / name
        if not (path.is_file() and path.read_bytes() == content):
            _write_atomically(path, content)
        written.append(path)
    return written


# --- which calendars ------------------------------------------------------------------------------


def _specs(milestones: Sequence[Milestone], settings: Settings) -> list[_Spec]:
    organisation = settings.organisation
    specs = [
        _Spec(
            ALL_NAME,
            f"{organisation} — bestuurlijke planning",
            f"Alle openbare bestuurlijke mijlpalen van {organisation}: vergaderingen en "
            "themabijeenkomsten van het bestuur. Wordt vanzelf bijgewerkt.",
            None,
            internal=False,
        )
    ]
    bodies: dict[str, list[str]] = {}
    for milestone in milestones:
        # A body keeps its calendar while it has a milestone to withdraw from subscribers.
        shown = (milestone.body,) if milestone.visibility == Visibility.PUBLIC else ()
        for body in (*milestone.published_bodies, *shown):
            names = bodies.setdefault(body_file_key(body), [])
            if body not in names:
                names.append(body)
    for key in sorted(bodies):
        names = bodies[key]
        full = BODY_NAMES.get(names[0], names[0])
        specs.append(
            _Spec(
                key,
                f"{organisation} — {full}",
                f"Openbare mijlpalen van het {full} van {organisation}."
                if full.endswith("Bestuur")
                else f"Openbare mijlpalen van {full} ({organisation}).",
                frozenset(names),
                internal=False,
            )
        )
    specs.append(
        _Spec(
            INTERNAL_NAME,
            f"{organisation} — intern",
            f"Alle mijlpalen van {organisation}, ook de interne, met de deadlines voor het "
            "aanleveren van de stukken. Alleen voor medewerkers.",
            None,
            internal=True,
        )
    )
    return specs


# --- rendering ------------------------------------------------------------------------------------


def _render(
    spec: _Spec,
    milestones: Sequence[Milestone],
    views: Mapping[int, Mapping[str, Any]],
    settings: Settings,
) -> bytes:
    from icalendar import Calendar, vDuration

    public_uids = {m.uid for m in milestones if m.visibility == Visibility.PUBLIC}
    shown_route = None if spec.internal else public_uids
    color, apple_color = _COLORS.get(spec.key, _OTHER_COLOR)

    cal = Calendar()
    cal.add("PRODID", PRODID)
    cal.add("VERSION", "2.0")
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("METHOD", "PUBLISH")
    cal.add("UID", f"kalender-{spec.key}@{UID_DOMAIN}")
    cal.add("NAME", spec.title)
    cal.add("X-WR-CALNAME", spec.title)
    cal.add("DESCRIPTION", spec.description)
    cal.add("X-WR-CALDESC", spec.description)
    cal.add("X-WR-TIMEZONE", dates.TIMEZONE)
    # icalendar writes a timedelta without VALUE=DURATION (required by RFC 7986) and an
    # X- property as Python's str(timedelta) ("1:00:00"): give both as explicit durations.
    cal.add("REFRESH-INTERVAL", vDuration(REFRESH_INTERVAL), parameters={"VALUE": "DURATION"})
    cal.add("X-PUBLISHED-TTL", vDuration(REFRESH_INTERVAL))
    cal.add("COLOR", color)
    cal.add("X-APPLE-CALENDAR-COLOR", apple_color)
    cal.add_component(vtimezone(dates.TIMEZONE))

    events: list[tuple[tuple[str, str, int, str], Event]] = []
    for milestone in milestones:
        withdrawn = False
        if not spec.internal:
            shown_here = milestone.visibility == Visibility.PUBLIC and (
                spec.bodies is None or milestone.body in spec.bodies
            )
            was_here = bool(
                milestone.published_bodies
                if spec.bodies is None
                else spec.bodies & set(milestone.published_bodies)
            )
            if not shown_here and not was_here:
                continue
            withdrawn = not shown_here
        view = views[milestone.id]
        if withdrawn:
            events.append(
                (
                    (view["date"], view["start_time"], 1, milestone.uid),
                    _withdrawn_event(milestone, view),
                )
            )
            continue
        event = _milestone_event(milestone, view, settings, shown_route)
        events.append(((view["date"], view["start_time"], 1, milestone.uid), event))
        if spec.internal and view["documents_due"]:
            paper = _documents_event(milestone, view, settings)
            events.append(((view["documents_due"], "", 0, milestone.uid), paper))
        elif spec.internal and milestone.papers_published:
            paper = _withdrawn_documents_event(milestone, view)
            events.append(((view["date"], "", 0, milestone.uid), paper))
    for _, event in sorted(events, key=lambda pair: pair[0]):
        cal.add_component(event)
    return _to_bytes(cal)


def _to_bytes(cal: Calendar) -> bytes:
    content: bytes = cal.to_ical()
    return content


def _milestone_event(
    milestone: Milestone,
    view: Mapping[str, Any],
    settings: Settings,
    shown_route: set[str] | None,
) -> Event:
    from icalendar import Event

    status = Status(view["status"])
    kind = Kind(view["kind"])
    event = Event()
    _add_identity(event, view["uid"], milestone)
    day = dt.date.fromisoformat(view["date"])
    if view["start_time"]:
        from zoneinfo import ZoneInfo

        zone = ZoneInfo(dates.TIMEZONE)
        start = dt.datetime.combine(day, dt.time.fromisoformat(view["start_time"]), zone)
        if view["end_time"]:
            end = dt.datetime.combine(day, dt.time.fromisoformat(view["end_time"]), zone)
        else:
            end = start + dt.timedelta(minutes=int(view["meeting_minutes"]))
        event.add("DTSTART", start)
        event.add("DTEND", end)
        event.add("TRANSP", "OPAQUE")
    else:
        event.add("DTSTART", day)
        event.add("DTEND", day + dt.timedelta(days=1))
        event.add("TRANSP", "TRANSPARENT")
    event.add("SUMMARY", f"{view['body']} — {view['title']}{_TITLE_SUFFIX.get(status, '')}")
    event.add("DESCRIPTION", _description(view, shown_route))
    if view["location"]:
        event.add("LOCATION", view["location"])
    event.add("CATEGORIES", [view["body"], kind.label, *view["goals"]])
    event.add("STATUS", _ICAL_STATUS[status])
    _add_organizer(event, view)
    _add_alarm(event, view, f"Herinnering: {view['body']} — {view['title']}")
    return event


def _withdrawn_event(milestone: Milestone, view: Mapping[str, Any]) -> Event:
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


def _withdrawn_documents_event(milestone: Milestone, view: Mapping[str, Any]) -> Event:
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
) -> Event:
    """An all-day CANCELLED event that only tells clients to drop what they hold under ``uid``."""
    from icalendar import Event

    event = Event()
    _add_identity(event, uid, milestone)
    event.add("DTSTART", day)
    event.add("DTEND", day + dt.timedelta(days=1))
    event.add("TRANSP", "TRANSPARENT")
    event.add("SUMMARY", summary)
    event.add("DESCRIPTION", description)
    event.add("STATUS", "CANCELLED")
    return event


def _documents_event(milestone: Milestone, view: Mapping[str, Any], settings: Settings) -> Event:
    from icalendar import Event

    status = Status(view["status"])
    meeting_day = dt.date.fromisoformat(view["date"])
    due = dt.date.fromisoformat(view["documents_due"])
    event = Event()
    _add_identity(event, DOCUMENTS_UID_PREFIX + view["uid"], milestone)
    event.add("DTSTART", due)
    event.add("DTEND", due + dt.timedelta(days=1))
    event.add("TRANSP", "TRANSPARENT")
    what = f"{view['body']} — {view['title']}"
    event.add("SUMMARY", f"Stukken versturen: {what}{_TITLE_SUFFIX.get(status, '')}")
    event.add(
        "DESCRIPTION",
        f"Uiterlijk vandaag gaan de stukken de deur uit voor: {what} "
        f"({dates.format_long(meeting_day)}).",
    )
    event.add("CATEGORIES", [view["body"], "stukken"])
    event.add("STATUS", "CANCELLED" if status == Status.CANCELLED else "CONFIRMED")
    _add_organizer(event, view)
    _add_alarm(event, view, f"Stukken versturen: {what}")
    return event


def _add_identity(event: Event, uid: str, milestone: Milestone) -> None:
    published = (
        milestone.published or milestone.updated or milestone.created or _EPOCH
    ).astimezone(dt.UTC)
    created = (milestone.created or published).astimezone(dt.UTC)
    event.add("UID", uid)
    event.add("DTSTAMP", published)
    event.add("CREATED", created)
    event.add("LAST-MODIFIED", published)
    event.add("SEQUENCE", milestone.sequence)


def _add_organizer(event: Event, view: Mapping[str, Any]) -> None:
    from icalendar import vCalAddress, vText

    name, email = view["organizer"]
    organizer = vCalAddress(f"mailto:{email}")
    if name:
        organizer.params["CN"] = vText(name)
    event.add("ORGANIZER", organizer)


def _add_alarm(event: Event, view: Mapping[str, Any], text: str) -> None:
    from icalendar import Alarm

    minutes = int(view["reminder_minutes"])
    if minutes <= 0:
        return
    alarm = Alarm()
    alarm.add("ACTION", "DISPLAY")
    alarm.add("DESCRIPTION", text)
    alarm.add("TRIGGER", dt.timedelta(minutes=-minutes))
    event.add_component(alarm)


def _description(view: Mapping[str, Any], shown_route: set[str] | None) -> str:
    """The Dutch event text: purpose, decision, documents-due date and the route."""
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
        due = dt.date.fromisoformat(view["documents_due"])
        facts.append(f"Stukken uiterlijk: {dates.format_long(due)}")
    parts.append("\n".join(facts))
    if view["goals"]:
        parts.append("Strategische doelen:\n" + "\n".join(f"- {title}" for title in view["goals"]))

    def steps(items: Iterable[Mapping[str, str]]) -> list[str]:
        return [
            f"{item['body']} — {item['title']} ({dates.format_long(dt.date.fromisoformat(item['date']))})"
            for item in items
            if shown_route is None or item["uid"] in shown_route
        ]

    before, after = steps(view["depends_on"]), steps(view["followed_by"])
    if before or after:
        route = ["Route:"]
        route += [f"- na: {step}" for step in before]
        route += [f"- daarna: {step}" for step in after]
        parts.append("\n".join(route))
    return "\n\n".join(parts)


# --- time zone ------------------------------------------------------------------------------------

# The rule must hold for every year in this range, or the long RDATE form is used instead.
_RULE_YEARS = range(2000, 2038)
_WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class _Transition:
    month: int
    weekday: int
    week: int  # 1..4, or -1 for the last one in the month
    local_time: dt.time  # wall-clock time before the change
    offset_from: dt.timedelta
    offset_to: dt.timedelta
    name: str
    is_dst: bool


@lru_cache(maxsize=4)
def vtimezone(tzid: str) -> Timezone:
    """A VTIMEZONE for ``tzid`` in the compact yearly RRULE form, from the tz database.

    Outlook misreads the long list of RDATEs that icalendar writes by default and shifts
    summer-time meetings by an hour; the rule form (as Outlook and Apple write it) is read
    right everywhere. When the zone's rule changed within the years the tracker is used
    for, icalendar's exact RDATE form is the fallback.
    """
    from zoneinfo import ZoneInfo

    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

    zone = ZoneInfo(tzid)
    rules = _yearly_rules(zone, _RULE_YEARS.start)
    if any(_yearly_rules(zone, year) != rules for year in _RULE_YEARS):
        return Timezone.from_tzid(tzid)
    tz = Timezone()
    tz.add("TZID", tzid)
    tz.add("X-LIC-LOCATION", tzid)
    if not rules:
        moment = dt.datetime(1970, 1, 1, tzinfo=zone)
        offset = moment.utcoffset() or dt.timedelta()
        standard = TimezoneStandard()
        standard.add("TZOFFSETFROM", offset)
        standard.add("TZOFFSETTO", offset)
        standard.add("TZNAME", moment.tzname() or tzid)
        standard.add("DTSTART", dt.datetime(1970, 1, 1))
        tz.add_component(standard)
        return tz
    for rule in sorted(rules, key=lambda r: r.is_dst):
        part = TimezoneDaylight() if rule.is_dst else TimezoneStandard()
        part.add("TZOFFSETFROM", rule.offset_from)
        part.add("TZOFFSETTO", rule.offset_to)
        part.add("TZNAME", rule.name)
        part.add("DTSTART", dt.datetime.combine(_nth_weekday(1970, rule), rule.local_time))
        part.add(
            "RRULE",
            {
                "FREQ": "YEARLY",
                "BYMONTH": rule.month,
                "BYDAY": f"{rule.week}{_WEEKDAY_CODES[rule.weekday]}",
            },
        )
        tz.add_component(part)
    return tz


def _yearly_rules(zone: dt.tzinfo, year: int) -> frozenset[_Transition]:
    """The offset changes of one year, each described as 'nth weekday of month at time'."""
    found = set()
    for month in range(1, 13):
        start = dt.datetime(year, month, 1, tzinfo=dt.UTC)
        end = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=dt.UTC)
        if start.astimezone(zone).utcoffset() == end.astimezone(zone).utcoffset():
            continue
        low, high = start, end  # the offset differs at high: bisect to the whole second
        while high - low > dt.timedelta(seconds=1):
            middle = low + dt.timedelta(seconds=(high - low) // dt.timedelta(seconds=2))
            if middle.astimezone(zone).utcoffset() == start.astimezone(zone).utcoffset():
                low = middle
            else:
                high = middle
        after = high.astimezone(zone)
        before = low.astimezone(zone)
        offset_from = before.utcoffset() or dt.timedelta()
        local = (high + offset_from).replace(tzinfo=None)
        last_day = stdlib_calendar.monthrange(local.year, local.month)[1]
        week = -1 if local.day + 7 > last_day else (local.day - 1) // 7 + 1
        found.add(
            _Transition(
                month=local.month,
                weekday=local.weekday(),
                week=week,
                local_time=local.time(),
                offset_from=offset_from,
                offset_to=after.utcoffset() or dt.timedelta(),
                name=after.tzname() or "",
                is_dst=bool(after.dst()),
            )
        )
    return frozenset(found)


def _nth_weekday(year: int, rule: _Transition) -> dt.date:
    if rule.week == -1:
        day = dt.date(year, rule.month, stdlib_calendar.monthrange(year, rule.month)[1])
        return day - dt.timedelta(days=(day.weekday() - rule.weekday) % 7)
    first = dt.date(year, rule.month, 1)
    return first + dt.timedelta(days=(rule.weekday - first.weekday()) % 7 + 7 * (rule.week - 1))


# --- files ----------------------------------------------------------------------------------------


def _write_atomically(path: Path, content: bytes) -> None:
    """Write to a temporary file in the same folder, then rename it over ``path``."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # readable by a web server, like a normal file
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
