"""Table extras on top of the rows the views build: how cells sort, which columns give way
first on a narrow screen, overdue agreements first and how often a deadline moved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from hecht_tracker.core.model import Action, Benefit, JournalEntry, Milestone
from hecht_tracker.tui.presenters.rows import Row

# Per entity, per column of views.COLUMNS (+ extras): 0 never gives way, higher goes first.
PRIORITIES: dict[str, tuple[int, ...]] = {
    "milestone": (0, 0, 2, 0, 0, 0, 1, 3),
    "action": (0, 2, 0, 1, 0, 0, 3),
    "benefit": (0, 0, 1, 0, 2),
    "goal": (0, 2, 0, 1, 0, 0),
    "journal": (0, 0, 1, 2, 0, 3),
}
EXTRA_COLUMNS: dict[str, tuple[str, ...]] = {"action": ("verzet",)}


def decorate(
    entity: str,
    rows: Sequence[Row],
    records: Sequence[Any],
    moves: Mapping[int, int],
    today: dt.date,
) -> list[Row]:
    """Rows with sort keys (dates sort as dates), extra cells (``moves``: how often each
    action's deadline moved), and agreements overdue first."""
    by_id = {getattr(record, "id", None): record for record in records}
    width = len(PRIORITIES[entity]) - len(EXTRA_COLUMNS.get(entity, ()))
    result = []
    for row in rows:
        record = by_id.get(row.record_id)
        keys: list[Any] = [None] * width
        if isinstance(record, Milestone):
            keys[1] = (record.date, record.start_time or dt.time.min)
            keys[7] = record.documents_due or dt.date.max
        elif isinstance(record, Action):
            keys[4] = record.due_date or dt.date.max
            moved = moves.get(record.id, 0)
            extra = f"{moved}×" if moved else ""
            keys.append(moved)
            result.append(
                Row(
                    row.record_id,
                    partial(_with, row, extra),
                    tuple(keys),
                    partial(_texts_with, row, extra),
                )
            )
            continue
        elif isinstance(record, Benefit) and record.measurements:
            keys[4] = record.measurements[-1].date
        elif isinstance(record, JournalEntry):
            keys[0] = record.at
        result.append(Row(row.record_id, row.source, tuple(keys), row.plain))
    if entity == "action":
        overdue = {a.id for a in records if isinstance(a, Action) and a.is_overdue(today)}
        result.sort(key=lambda row: (row.record_id not in overdue,))
    return result


def _with(row: Row, extra: str) -> tuple[Any, ...]:
    return (*row.cells, extra)


def _texts_with(row: Row, extra: str) -> tuple[str, ...]:
    return (*row.texts, extra)
