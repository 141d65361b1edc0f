"""What a calendar subscriber sees of a milestone, as plain data.

The store hashes this view after every write: when the hash changes, the milestone's SEQUENCE
and LAST-MODIFIED rise, and never otherwise. The calendar must render nothing that is not in
this view, or subscribers would miss a change; internal notes, health and the journal are not.
The same hash keys the stored calendar events (:class:`CalendarEntry`), so an event is made
again exactly when what it shows may have changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from hecht_tracker.core.dates import format_time
from hecht_tracker.core.model import Goal, Milestone, Settings, Visibility
from hecht_tracker.core.timeline import followers_index


def public_view(
    milestone: Milestone,
    milestones: Mapping[int, Milestone],
    goals: Mapping[int, Goal],
    settings: Settings,
    *,
    followed_by: Sequence[Milestone] | None = None,
) -> dict[str, Any]:
    """Everything about ``milestone`` that any calendar may show.

    ``followed_by`` may be given when the caller already knows it (saves a scan per milestone).
    """
    if followed_by is None:
        followed_by = followers_index(milestones.values()).get(milestone.id, ())

    def brief(other: Milestone) -> dict[str, str]:
        step = {"uid": other.uid, "body": other.body, "title": other.title, "date": str(other.date)}
        # A public calendar leaves internal steps out of the route, so a step turning internal
        # changes what subscribers see. Marked only when internal, so the hash of a route of
        # public steps stays what it was and no SEQUENCE rises without a visible change.
        if other.visibility != Visibility.PUBLIC:
            step["internal"] = "1"
        return step

    return {
        "uid": milestone.uid,
        "title": milestone.title,
        "date": str(milestone.date),
        "start_time": format_time(milestone.start_time),
        "end_time": format_time(milestone.end_time),
        "location": milestone.location,
        "body": milestone.body,
        "kind": milestone.kind.value,
        "status": milestone.status.value,
        "decision": milestone.decision,
        "description": milestone.description,
        "visibility": milestone.visibility.value,
        "documents_due": str(milestone.documents_due or ""),
        "goals": [goals[gid].title for gid in milestone.goal_ids if gid in goals],
        "depends_on": [brief(milestones[mid]) for mid in milestone.depends_on if mid in milestones],
        "followed_by": [brief(other) for other in followed_by],
        "organizer": [settings.organizer_name, settings.organizer_email],
        "reminder_minutes": settings.reminder_minutes,
        "meeting_minutes": settings.meeting_minutes,
    }


# What ``json.dumps(view, sort_keys=True, ensure_ascii=False)`` uses, made once: the call
# would make a new encoder for every view, and an import hashes one per milestone.
_VIEW_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False)


def public_hash(view: Mapping[str, Any]) -> str:
    encoded = _VIEW_ENCODER.encode(view).encode()
    return hashlib.sha256(encoded).hexdigest()


class CalendarEntry(NamedTuple):
    """One milestone as the calendars index it: where its events go, in what order, and the
    ``source`` they are made from, which keys them when they are kept: the renderer's
    fingerprint, the public hash, SEQUENCE, the stamps and the first committed date (where a
    withdrawn event stands), together everything an event reads. Plain values in a tuple, so
    a store answers with ten thousand of them in a few milliseconds."""

    id: int
    uid: str
    date: str  # ISO date
    start_time: str  # "HH:MM", or "" for an all-day milestone
    body: str
    public: bool
    published_bodies: tuple[str, ...]
    papers_published: bool
    documents_due: str  # ISO date, or ""
    modified: dt.datetime  # when subscribers last saw it change (or it was made)
    source: str = ""


def calendar_entry(milestone: Milestone, source: str = "") -> CalendarEntry:
    """The calendar index entry of a milestone already loaded in full."""
    return CalendarEntry(
        id=milestone.id,
        uid=milestone.uid,
        date=str(milestone.date),
        start_time=format_time(milestone.start_time),
        body=milestone.body,
        public=milestone.visibility == Visibility.PUBLIC,
        published_bodies=milestone.published_bodies,
        papers_published=milestone.papers_published,
        documents_due=str(milestone.documents_due or ""),
        modified=published_stamp(milestone),
        source=source,
    )


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def published_stamp(milestone: Milestone) -> dt.datetime:
    """When subscribers last saw the milestone change (DTSTAMP and LAST-MODIFIED), in UTC."""
    return (milestone.published or milestone.updated or milestone.created or _EPOCH).astimezone(
        dt.UTC
    )
