"""The Mijlpalen filters (by body, status, goal, period and "alleen waarschuwingen") and the
Logboek's (by part, one record of it, and period)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from hecht_tracker.core import dates, kinds
from hecht_tracker.core.model import Goal, Milestone, Status


@dataclass(frozen=True)
class MilestoneFilter:
    body: str | None = None
    status: Status | None = None
    goal_id: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    warnings_only: bool = False

    @property
    def active(self) -> bool:
        return self != MilestoneFilter()

    def keeps(self, milestone: Milestone, warned: set[int]) -> bool:
        return (
            (self.body is None or milestone.body == self.body)
            and (self.status is None or milestone.status == self.status)
            and (self.goal_id is None or self.goal_id in milestone.goal_ids)
            and (self.since is None or milestone.date >= self.since)
            and (self.until is None or milestone.date <= self.until)
            and (not self.warnings_only or milestone.id in warned)
        )

    def describe(self, goals: Sequence[Goal]) -> str:
        """``Filter: orgaan DB · vanaf 1 nov · alleen waarschuwingen``."""
        parts = []
        if self.body:
            parts.append(f"orgaan {self.body}")
        if self.status:
            parts.append(f"status {self.status.label}")
        if self.goal_id is not None:
            goal = next((g for g in goals if g.id == self.goal_id), None)
            parts.append(f"doel {goal.number if goal else self.goal_id}")
        if self.since:
            parts.append(f"vanaf {dates.format_long(self.since)}")
        if self.until:
            parts.append(f"tot en met {dates.format_long(self.until)}")
        if self.warnings_only:
            parts.append("alleen waarschuwingen")
        return "Filter: " + " · ".join(parts) + "  (f: wijzigen, F: wissen)"


def kept_ids(
    milestones: Iterable[Milestone], chosen: MilestoneFilter, warned: set[int]
) -> set[int]:
    return {m.id for m in milestones if chosen.keeps(m, warned)}


@dataclass(frozen=True)
class JournalFilter:
    """The Logboek shows only one part (entity), one record of it, and a period, when set."""

    entity: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    record_id: int | None = None  # only with ``entity``

    @property
    def active(self) -> bool:
        return self != JournalFilter()

    def describe(self) -> str:
        """``Filter: mijlpaal 6 · vanaf 1 nov 2026  (f: wijzigen, F: wissen)``."""
        parts = []
        if self.entity:
            noun = "instellingen" if self.entity == "setting" else kinds.noun(self.entity)
            parts.append(noun if self.record_id is None else f"{noun} {self.record_id}")
        if self.since:
            parts.append(f"vanaf {dates.format_long(self.since)}")
        if self.until:
            parts.append(f"tot en met {dates.format_long(self.until)}")
        return "Filter: " + " · ".join(parts) + "  (f: wijzigen, F: wissen)"
