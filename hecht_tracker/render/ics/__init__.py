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

The modules: :mod:`.contentline` writes RFC 5545 lines, :mod:`.events` one milestone's events,
:mod:`.vtimezone` the time zone, :mod:`.calendar` the files. None reads the database: the
events are kept and reused by :mod:`hecht_tracker.services.calendars`.
"""

from __future__ import annotations

from hecht_tracker.render.ics.calendar import (
    ALL_NAME,
    INTERNAL_NAME,
    CalendarFile,
    CalendarPlan,
    EventKey,
    assemble,
    body_file_key,
    file_parts,
    last_modified,
    plan_calendars,
    render_calendar_files,
    render_calendars,
    render_events,
    renderer_fingerprint,
)
from hecht_tracker.render.ics.events import BOARD, DOCUMENTS_UID_PREFIX, INTERN, VARIANTS
from hecht_tracker.render.ics.vtimezone import vtimezone_ics

__all__ = [
    "ALL_NAME",
    "BOARD",
    "DOCUMENTS_UID_PREFIX",
    "INTERN",
    "INTERNAL_NAME",
    "VARIANTS",
    "CalendarFile",
    "CalendarPlan",
    "EventKey",
    "assemble",
    "body_file_key",
    "file_parts",
    "last_modified",
    "plan_calendars",
    "render_calendar_files",
    "render_calendars",
    "render_events",
    "renderer_fingerprint",
    "vtimezone_ics",
]
