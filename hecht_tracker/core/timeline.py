"""Reading the timeline: what is next, what slipped, what is stale or in conflict.

Pure functions of domain objects and "today"; :mod:`hecht_tracker.core.status` builds the
warnings and the other derived facts the doors show on top of these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from hecht_tracker.core.model import BOARD_BODIES, Action, Goal, Health, Kind, Milestone, Status

_HEALTH_ORDER = {Health.ON_TRACK: 0, Health.AT_RISK: 1, Health.OFF_TRACK: 2}
_BOARD_KINDS = (Kind.MEETING, Kind.THEME_SESSION, Kind.DECISION)


def is_board_moment(milestone: Milestone) -> bool:
    """A meeting, theme session or decision of AB, DB or a board committee."""
    return milestone.body in BOARD_BODIES and milestone.kind in _BOARD_KINDS


def upcoming(milestones: Iterable[Milestone], today: dt.date) -> list[Milestone]:
    """Open milestones on or after today, in date order."""
    found = [m for m in milestones if m.date >= today and m.status.is_open]
    return sorted(found, key=lambda m: (m.date, m.start_time or dt.time.min, m.id))


def next_board_moment(milestones: Iterable[Milestone], today: dt.date) -> Milestone | None:
    """The first open board moment from today on (cancelled and done ones skipped)."""
    return next((m for m in upcoming(milestones, today) if is_board_moment(m)), None)


def stale(milestones: Iterable[Milestone], today: dt.date) -> list[Milestone]:
    """Date passed while the status still says planned, in preparation or postponed."""
    return [m for m in milestones if m.date < today and m.status.is_open]


def slipped(milestones: Iterable[Milestone]) -> list[Milestone]:
    """Milestones whose date is not their first committed date, biggest slip first."""
    found = [m for m in milestones if m.slip_days != 0 and m.status != Status.CANCELLED]
    return sorted(found, key=lambda m: (-abs(m.slip_days), m.date, m.id))


def documents_due_soon(
    milestones: Iterable[Milestone], today: dt.date, days: int = 7
) -> list[Milestone]:
    """Open milestones whose papers are due within ``days`` and have not gone out yet."""
    horizon = today + dt.timedelta(days=days)
    return [
        m
        for m in milestones
        if m.status.is_open
        and m.documents_sent is None
        and m.documents_due is not None
        and today <= m.documents_due <= horizon
    ]


def chain(milestone: Milestone, milestones: Mapping[int, Milestone]) -> list[Milestone]:
    """The route up to and including ``milestone``: everything it (transitively) depends on."""
    seen: dict[int, Milestone] = {}
    stack = [milestone]  # a stack, not recursion: a route may have thousands of steps
    while stack:
        for dep_id in stack.pop().depends_on:
            dep = milestones.get(dep_id)
            if dep is not None and dep.id not in seen:
                seen[dep.id] = dep
                stack.append(dep)
    seen[milestone.id] = milestone
    return sorted(seen.values(), key=lambda m: (m.date, m.id))


def overdue_actions(actions: Iterable[Action], today: dt.date) -> list[Action]:
    return [a for a in actions if a.is_overdue(today)]


def worst_health(healths: Iterable[Health | None]) -> Health | None:
    """The most worrying health among those set; None when nothing is set."""
    known = [h for h in healths if h is not None]
    return max(known, key=_HEALTH_ORDER.__getitem__) if known else None


def overall_health(goals: Iterable[Goal], milestones: Iterable[Milestone]) -> Health | None:
    """Worst of the goals' health and the health of open milestones."""
    open_milestones = [m.health for m in milestones if m.status.is_open]
    return worst_health([*(g.health for g in goals), *open_milestones])


def followers_index(milestones: Iterable[Milestone]) -> dict[int, tuple[Milestone, ...]]:
    """For each milestone id, the milestones that depend on it, in date order (one pass)."""
    index: dict[int, list[Milestone]] = {}
    for other in milestones:
        for dep_id in other.depends_on:
            index.setdefault(dep_id, []).append(other)
    return {key: tuple(sorted(found, key=lambda m: (m.date, m.id))) for key, found in index.items()}
