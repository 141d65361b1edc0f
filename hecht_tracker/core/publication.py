"""What a calendar subscriber sees of a milestone, as plain data.

The store hashes this view after every write: when the hash changes, the milestone's SEQUENCE
and LAST-MODIFIED rise, and never otherwise. The calendar must render nothing that is not in
this view, or subscribers would miss a change; internal notes, health and the journal are not.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from hecht_tracker.core.dates import format_time
from hecht_tracker.core.model import Goal, Milestone, Settings
from hecht_tracker.core.status import followers_index


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
        return {"uid": other.uid, "body": other.body, "title": other.title, "date": str(other.date)}

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


def public_hash(view: Mapping[str, Any]) -> str:
    encoded = json.dumps(view, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()
