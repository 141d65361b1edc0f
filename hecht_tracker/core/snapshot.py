"""One read-only view of the data a renderer or screen needs, read from the store in one go.

Renderers (the weekly report, the TUI presenters) take a :class:`Snapshot`, never the store, so
they are pure functions of plain values and "today". ``hecht_tracker.storage.snapshot`` builds
one from a store; tests may build one by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
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
    def titles(self) -> dict[tuple[str, int], str]:
        """(entity, id) → title (a programme's name), for journal lines."""
        titles: dict[tuple[str, int], str] = {}
        for pool, entity in (
            (self.milestones, "milestone"),
            (self.actions, "action"),
            (self.benefits, "benefit"),
            (self.goals, "goal"),
        ):
            for record in pool:
                titles[entity, record.id] = record.title
        for p in self.programmes:
            titles["programme", p.id] = p.name
        return titles

    @cached_property
    def _pools(self) -> dict[str, dict[int, Any]]:
        return {
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
