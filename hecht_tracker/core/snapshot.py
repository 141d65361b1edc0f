"""One read-only view of the data a renderer or screen needs, read from the store in one go.

Renderers (the weekly report, the TUI presenters) take a :class:`Snapshot`, never the store, so
they are pure functions of plain values and "today". ``hecht_tracker.storage.snapshot`` builds
one from a store; tests may build one by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from hecht_tracker.core import status, timeline
from hecht_tracker.core.model import (
    Action,
    Benefit,
    Goal,
    JournalEntry,
    Milestone,
    Programme,
    Settings,
)


@dataclass(frozen=True)
class Snapshot:
    """The records, the settings and "today"; ``journal`` is the slice its reader asked for
    (``journal_since`` inclusive to ``journal_until`` exclusive, None meaning open-ended)."""

    today: dt.date
    settings: Settings
    programmes: tuple[Programme, ...] = ()
    goals: tuple[Goal, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    actions: tuple[Action, ...] = ()
    benefits: tuple[Benefit, ...] = ()
    journal: tuple[JournalEntry, ...] = ()
    journal_since: dt.datetime | None = None
    journal_until: dt.datetime | None = None
    # When each milestone's date was last moved (UTC), for "verschoven sinds".
    date_moves: Mapping[int, dt.datetime] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """Nothing recorded yet (goals alone come with a programme, so they do not count)."""
        return not (self.programmes or self.milestones or self.actions or self.benefits)

    @cached_property
    def milestones_by_id(self) -> dict[int, Milestone]:
        return {m.id: m for m in self.milestones}

    @cached_property
    def goals_by_id(self) -> dict[int, Goal]:
        return {g.id: g for g in self.goals}

    @cached_property
    def programmes_by_id(self) -> dict[int, Programme]:
        return {p.id: p for p in self.programmes}

    @cached_property
    def followers(self) -> dict[int, tuple[Milestone, ...]]:
        """Milestone id → the milestones that wait for it, in date order."""
        return timeline.followers_index(self.milestones)

    @cached_property
    def next_moment(self) -> status.NextMoment | None:
        return status.next_moment(self.milestones, self.today)

    @cached_property
    def warnings(self) -> tuple[status.Warning, ...]:
        """Every warning standing today, slips included."""
        return tuple(status.warnings(self.milestones, self.actions, self.today))

    @cached_property
    def goal_rollups(self) -> dict[int, status.GoalRollup]:
        """Goal id → its roll-up on this snapshot's "today" (no week: nothing done this week)."""
        rollups = status.goal_rollups(self.goals, self.actions, self.milestones, self.today)
        return {rollup.goal.id: rollup for rollup in rollups}

    @cached_property
    def titles(self) -> Mapping[tuple[str, int], str]:
        """(entity, id) → title (a programme's name), for journal lines."""
        return _Titles(self)

    @cached_property
    def _pools(self) -> dict[str, dict[int, Any]]:
        return {
            "programme": self.programmes_by_id,
            "milestone": self.milestones_by_id,
            "action": {a.id: a for a in self.actions},
            "benefit": {b.id: b for b in self.benefits},
            "goal": self.goals_by_id,
            "journal": {e.id: e for e in self.journal},
        }

    def record(self, entity: str, record_id: int) -> Any:
        """A record of this snapshot by entity and id, or None."""
        return self._pools[entity].get(record_id)

    def title_of(self, entity: str, record_id: int | None) -> str:
        if record_id is None:
            return ""
        return self.titles.get((entity, record_id), "")

    def change(self, entry: JournalEntry) -> status.ChangeEvent:
        """A journal row as a typed change event, with its record's title and body."""
        return status.change_event(entry, self.titles, self.milestones_by_id)

    def changes(self) -> list[status.ChangeEvent]:
        return [self.change(entry) for entry in self.journal]


_TITLED = ("milestone", "action", "benefit", "goal", "programme")  # a journal row has none


class _Titles(Mapping[tuple[str, int], str]):
    """The titles of a snapshot's records, looked up in its records when asked: a table of
    them all would add a fifth to what a snapshot of 100,000 records holds."""

    def __init__(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot

    def __getitem__(self, key: tuple[str, int]) -> str:
        entity, record_id = key
        pool = self._snapshot._pools.get(entity) if entity in _TITLED else None
        record = pool.get(record_id) if pool is not None else None
        if record is None:
            raise KeyError(key)
        return str(record.name if entity == "programme" else record.title)

    def __iter__(self) -> Iterator[tuple[str, int]]:
        for entity in _TITLED:
            for record_id in self._snapshot._pools[entity]:
                yield entity, record_id

    def __len__(self) -> int:
        return sum(1 for _ in self)
