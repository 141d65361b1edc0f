"""The records as they stood at an earlier moment, rebuilt from the journal.

The journal keeps, for every change, the field's old and new value as text. Undoing the rows
after a moment, newest first, gives the records as they were at that moment: so a past weekly
report can be made again exactly as it was. What the journal cannot give back is left as it is
now: a record deleted since (the journal keeps only its title) stays away.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from hecht_tracker.core import rules
from hecht_tracker.core.fields import FIELDS, FieldSpec
from hecht_tracker.core.model import JournalEntry, Milestone
from hecht_tracker.core.snapshot import Snapshot

_POOLS = {"milestone": "milestones", "action": "actions", "goal": "goals", "benefit": "benefits"}


def journal_value(spec: FieldSpec, text: str | None) -> Any:
    """A value as the journal wrote it (ISO dates, enum keys, ids joined by ',') typed again."""
    if spec.type == "refs":
        return tuple(int(part) for part in (text or "").split(",") if part)
    if text is None or text == "":
        return "" if spec.type == "text" else None
    if spec.type == "date":
        return dt.date.fromisoformat(text)
    if spec.type == "time":
        return dt.time.fromisoformat(text)
    if spec.type == "enum":
        assert spec.enum is not None
        return spec.enum(text)
    if spec.type in ("int", "ref"):
        return int(text)
    return text


def rewind(snapshot: Snapshot, later: Sequence[JournalEntry], today: dt.date) -> Snapshot:
    """``snapshot`` with the changes of ``later`` (journal rows after the moment) undone, seen
    on ``today``; ``later`` must hold every row from the moment on."""
    pools: dict[str, dict[int, Any]] = {
        entity: {r.id: r for r in getattr(snapshot, name)} for entity, name in _POOLS.items()
    }
    for entry in sorted(later, key=lambda e: (e.at, e.id), reverse=True):
        pool = pools.get(entry.entity)
        if pool is None or entry.entity_id is None:
            continue
        record = pool.get(entry.entity_id)
        if entry.field is None:
            if entry.new is not None or entry.old is None:
                pool.pop(entry.entity_id, None)  # made after the moment
            continue
        if record is None:
            continue
        if entry.field == "measurement":
            day, _, value = (entry.new or "").partition(": ")
            kept = list(record.measurements)
            for index in range(len(kept) - 1, -1, -1):
                if kept[index].date.isoformat() == day and kept[index].value == value:
                    del kept[index]
                    break
            pool[entry.entity_id] = dataclasses.replace(record, measurements=tuple(kept))
            continue
        spec = FIELDS.get(entry.entity, {}).get(entry.field)
        if spec is None or not hasattr(record, entry.field):
            continue
        record = dataclasses.replace(record, **{entry.field: journal_value(spec, entry.old)})
        if isinstance(record, Milestone) and record.documents_due_is_default:
            record = dataclasses.replace(
                record,
                documents_due=rules.documents_due_for(
                    record.date, record.body, record.kind, snapshot.settings
                ),
            )
        pool[entry.entity_id] = record

    def ordered(entity: str) -> tuple[Any, ...]:
        return tuple(sorted(pools[entity].values(), key=_order(entity)))

    return dataclasses.replace(
        snapshot,
        today=today,
        milestones=ordered("milestone"),
        actions=ordered("action"),
        goals=ordered("goal"),
        benefits=ordered("benefit"),
    )


def _order(entity: str) -> Any:
    """The order the store lists records in, so a rebuilt report reads as the original."""
    if entity == "milestone":
        return lambda m: (m.date, m.start_time.isoformat() if m.start_time else "", m.id)
    if entity == "goal":
        return lambda g: (g.programme_id, g.number, g.id)
    if entity == "action":
        return lambda a: (a.due_date is None, a.due_date or dt.date.min, a.id)
    return lambda r: r.id
