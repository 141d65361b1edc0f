"""Which calendars there are, which events each holds in what order, and the files themselves.

A calendar file is its header, the VTIMEZONE, the serialised events and the closing line, so
it is put together from events made once and kept (see :mod:`hecht_tracker.services.calendars`):
:func:`plan_calendars` decides from a light index of the milestones (:class:`CalendarEntry`)
which events go where, :func:`render_events` makes the events that are not kept yet, and
:func:`assemble` joins the bytes (or :func:`file_parts` hands them out one by one, for a
file written as it is put together). The header and the VTIMEZONE are not kept: writing them
takes microseconds and a few milliseconds, less than reading them back would. Nothing here
reads the database or the clock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from hecht_tracker.core import dates
from hecht_tracker.core.model import BODY_NAMES, Goal, Milestone, Settings
from hecht_tracker.core.publication import CalendarEntry, calendar_entry, public_view
from hecht_tracker.core.timeline import followers_index
from hecht_tracker.render.ics import contentline as cl
from hecht_tracker.render.ics.events import (
    BOARD,
    INTERN,
    PAPERS,
    PAPERS_WITHDRAWN,
    WITHDRAWN,
    render_milestone,
)
from hecht_tracker.render.ics.vtimezone import vtimezone_ics

PRODID = "-//Hecht//hecht-tracker//NL"
UID_DOMAIN = "hecht-tracker"
ALL_NAME = "alle"
INTERNAL_NAME = "intern"
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
_FOOTER = b"END:VCALENDAR\r\n"

EventKey = tuple[int, str]  # (milestone id, variant)


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
class CalendarPlan:
    """One calendar to write: its name and texts, and its events in file order."""

    key: str
    title: str
    description: str
    events: tuple[EventKey, ...]

    @property
    def name(self) -> str:
        return f"{self.key}.ics"


@dataclass(frozen=True)
class _Spec:
    """One calendar and how it introduces itself."""

    key: str
    title: str
    description: str


def body_file_key(body: str) -> str:
    """The lower-case file stem for a body's calendar: ``AB`` → ``ab``, ``Raad van X`` → ``raad-van-x``."""
    ascii_text = unicodedata.normalize("NFKD", body).encode("ascii", "ignore").decode()
    key = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "orgaan"
    if key in (ALL_NAME, INTERNAL_NAME):
        key = f"orgaan-{key}"
    return key


@lru_cache(maxsize=256)
def _body_key(body: str) -> str:
    return body_file_key(body)


@lru_cache(maxsize=1)
def renderer_fingerprint() -> str:
    """A hash of the code that shapes an event's bytes (the domain, its Dutch words, this
    renderer), so kept events are made again after an upgrade changed how they read."""
    root = Path(__file__).resolve().parents[2]
    digest = hashlib.sha256()
    read = 0
    try:
        for folder in ("core", "text", "render/ics"):
            for path in sorted((root / folder).glob("*.py")):
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
                read += 1
    except OSError:
        read = 0
    if not read:  # no readable sources (a frozen install): the release must do
        from hecht_tracker import __version__

        return f"versie-{__version__}"
    return digest.hexdigest()[:16]


def plan_calendars(entries: Sequence[CalendarEntry], settings: Settings) -> list[CalendarPlan]:
    """Every calendar, ``alle``, one per body, ``intern`` (in that order), with its events.

    A public calendar holds the public milestones of its bodies, and a cancelled placeholder
    for each milestone it showed before that has since left it; ``intern`` holds every
    milestone and its papers deadline (or the placeholder of one that no longer applies).
    Events are ordered by date, time and UID; a papers deadline comes before a meeting that day.
    """
    entries = sorted(entries, key=lambda e: (e.date, e.start_time, e.uid))
    specs = _specs(entries, settings)
    # One pass over the milestones in calendar order: each event is dropped into the
    # calendars it belongs to, so only intern.ics (with its papers deadlines) needs a sort.
    lists: dict[str, list[EventKey]] = {spec.key: [] for spec in specs}
    everything = lists[ALL_NAME]
    internal: list[tuple[tuple[str, str, int, str], EventKey]] = []
    for entry in entries:
        internal.append(((entry.date, entry.start_time, 1, entry.uid), (entry.id, INTERN)))
        if entry.documents_due:
            internal.append(((entry.documents_due, "", 0, entry.uid), (entry.id, PAPERS)))
        elif entry.papers_published:
            internal.append(((entry.date, "", 0, entry.uid), (entry.id, PAPERS_WITHDRAWN)))
        shown = _body_key(entry.body) if entry.public else None
        if shown is not None:
            everything.append((entry.id, BOARD))
            lists[shown].append((entry.id, BOARD))
        elif entry.published_bodies:
            everything.append((entry.id, WITHDRAWN))
        left: list[str] = []
        for body in entry.published_bodies:
            key = _body_key(body)
            if key != shown and key not in left:
                left.append(key)
                lists[key].append((entry.id, WITHDRAWN))
    internal.sort(key=lambda pair: pair[0])
    lists[INTERNAL_NAME] = [key for _, key in internal]
    return [
        CalendarPlan(spec.key, spec.title, spec.description, tuple(lists[spec.key]))
        for spec in specs
    ]


def render_events(
    wanted: Iterable[EventKey],
    milestones: Sequence[Milestone],
    goals: Iterable[Goal],
    settings: Settings,
) -> dict[EventKey, bytes]:
    """The serialised events ``wanted``, made from ``milestones``: those of the events and
    every milestone before or after them in a route (a route names its neighbours)."""
    wanted = list(wanted)
    if not wanted:
        return {}
    by_id = {m.id: m for m in milestones}
    goals_by_id = {g.id: g for g in goals}
    followed_by = followers_index(milestones)
    variants: dict[int, list[str]] = {}
    for milestone_id, variant in wanted:
        variants.setdefault(milestone_id, []).append(variant)
    rendered: dict[EventKey, bytes] = {}
    for milestone_id, kinds in variants.items():
        milestone = by_id[milestone_id]
        view = public_view(
            milestone, by_id, goals_by_id, settings, followed_by=followed_by.get(milestone_id, ())
        )
        for variant, content in render_milestone(milestone, view, kinds).items():
            rendered[milestone_id, variant] = content
    return rendered


def file_head(plan: CalendarPlan, settings: Settings) -> bytes:
    """What a calendar file holds before its events: the header and the VTIMEZONE."""
    return _header(plan, settings) + vtimezone_ics(dates.TIMEZONE)


def file_parts(plan: CalendarPlan, settings: Settings, events: Iterable[bytes]) -> Iterator[bytes]:
    """The calendar file in pieces, to be written as they come: header and VTIMEZONE, then
    ``events`` (the serialised events in the plan's order), then the closing line."""
    yield file_head(plan, settings)
    yield from events
    yield _FOOTER


def assemble(plan: CalendarPlan, settings: Settings, events: Mapping[EventKey, bytes]) -> bytes:
    """The calendar file: header, VTIMEZONE, the events in the plan's order, closing line."""
    return b"".join(file_parts(plan, settings, (events[key] for key in plan.events)))


def last_modified(
    entries: Iterable[CalendarEntry], settings_changed: dt.datetime | None
) -> dt.datetime:
    """When anything in the calendars last changed: the latest publication, or the settings
    (the calendar names and colours depend on them)."""
    stamps = [entry.modified for entry in entries]
    if settings_changed is not None:
        stamps.append(settings_changed)
    return max(stamps, default=_EPOCH).astimezone(dt.UTC)


def calendar_files(
    plans: Sequence[CalendarPlan],
    settings: Settings,
    events: Mapping[EventKey, bytes],
    modified: dt.datetime,
) -> list[CalendarFile]:
    """The calendar files of ``plans``, from their serialised events."""
    return [
        CalendarFile(
            plan.name, plan.title, plan.description, assemble(plan, settings, events), modified
        )
        for plan in plans
    ]


def render_calendar_files(
    milestones: Sequence[Milestone],
    goals: Iterable[Goal],
    settings: Settings,
    settings_changed: dt.datetime | None = None,
) -> list[CalendarFile]:
    """Every calendar for these milestones, made from scratch (nothing kept).

    ``settings_changed`` is when the settings last changed; it only feeds
    :attr:`CalendarFile.modified`, never the bytes.
    """
    entries = [calendar_entry(m) for m in milestones]
    plans = plan_calendars(entries, settings)
    wanted = {key for plan in plans for key in plan.events}
    events = render_events(sorted(wanted), milestones, goals, settings)
    return calendar_files(plans, settings, events, last_modified(entries, settings_changed))


def render_calendars(
    milestones: Sequence[Milestone], goals: Iterable[Goal], settings: Settings
) -> dict[str, bytes]:
    """File name → ICS bytes, a pure function of the domain objects."""
    return {f.name: f.content for f in render_calendar_files(milestones, goals, settings)}


def _specs(entries: Sequence[CalendarEntry], settings: Settings) -> list[_Spec]:
    organisation = settings.organisation
    specs = [
        _Spec(
            ALL_NAME,
            f"{organisation} — bestuurlijke planning",
            f"Alle openbare bestuurlijke mijlpalen van {organisation}: vergaderingen en "
            "themabijeenkomsten van het bestuur. Wordt vanzelf bijgewerkt.",
        )
    ]
    bodies: dict[str, list[str]] = {}
    for entry in entries:
        # A body keeps its calendar while it has a milestone to withdraw from subscribers.
        shown = (entry.body,) if entry.public else ()
        for body in (*entry.published_bodies, *shown):
            names = bodies.setdefault(_body_key(body), [])
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
            )
        )
    specs.append(
        _Spec(
            INTERNAL_NAME,
            f"{organisation} — intern",
            f"Alle mijlpalen van {organisation}, ook de interne, met de deadlines voor het "
            "aanleveren van de stukken. Alleen voor medewerkers.",
        )
    )
    return specs


def _header(plan: CalendarPlan, settings: Settings) -> bytes:
    """BEGIN:VCALENDAR and the calendar's properties, in icalendar's order."""
    color, apple_color = _COLORS.get(plan.key, _OTHER_COLOR)
    # RFC 7986 wants VALUE=DURATION on REFRESH-INTERVAL; X-PUBLISHED-TTL is read as a duration.
    refresh = cl.duration(REFRESH_INTERVAL)
    return cl.lines(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            f"PRODID:{cl.text(PRODID)}",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            f"DESCRIPTION:{cl.text(plan.description)}",
            f"X-WR-CALDESC:{cl.verbatim(plan.description)}",
            f"NAME:{cl.text(plan.title)}",
            f"X-WR-CALNAME:{cl.verbatim(plan.title)}",
            f"COLOR:{color}",
            f"REFRESH-INTERVAL;VALUE=DURATION:{refresh}",
            f"UID:{cl.text(f'kalender-{plan.key}@{UID_DOMAIN}')}",
            f"X-APPLE-CALENDAR-COLOR:{apple_color}",
            f"X-PUBLISHED-TTL:{refresh}",
            f"X-WR-TIMEZONE:{cl.verbatim(dates.TIMEZONE)}",
        ]
    )
