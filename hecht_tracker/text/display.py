"""How records read in Dutch: table rows and detail lines shared by the CLI and the TUI.

Derived facts (papers, warnings, journal changes) are worded in :mod:`hecht_tracker.text.status`;
the list columns come from :mod:`hecht_tracker.core.kinds`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hecht_tracker.core import dates, status
from hecht_tracker.core.fields import FIELDS
from hecht_tracker.core.model import Action, Benefit, Goal, LabelledEnum, Milestone
from hecht_tracker.text import status as wording


def label(value: Any) -> str:
    """The Dutch label of an enum, a date as ``16-12-2026``, empty for nothing."""
    if value is None:
        return ""
    if isinstance(value, LabelledEnum):
        return value.label
    if isinstance(value, dt.time):
        return dates.format_time(value)
    if isinstance(value, dt.date):
        return dates.format_short(value)
    if isinstance(value, tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def time_span(milestone: Milestone) -> str:
    if milestone.start_time is None:
        return "hele dag"
    if milestone.end_time is None:
        return dates.format_time(milestone.start_time)
    return f"{dates.format_time(milestone.start_time)}–{dates.format_time(milestone.end_time)}"


def milestone_row(milestone: Milestone) -> tuple[str, ...]:
    return (
        str(milestone.id),
        dates.format_long(milestone.date),
        time_span(milestone),
        milestone.body,
        milestone.title,
        milestone.status.label,
        label(milestone.health),
        dates.format_short(milestone.documents_due),
    )


def action_row(action: Action, today: dt.date) -> tuple[str, ...]:
    due = dates.format_short(action.due_date)
    if action.is_overdue(today):
        due += " (te laat)"
    return (str(action.id), action.kind.label, action.title, action.owner, due, action.status.label)


def benefit_row(benefit: Benefit) -> tuple[str, ...]:
    latest = benefit.measurements[-1] if benefit.measurements else None
    measured = f"{latest.value} ({dates.format_short(latest.date)})" if latest else ""
    return (str(benefit.id), benefit.title, benefit.category.label, benefit.status.label, measured)


def goal_row(goal: Goal) -> tuple[str, ...]:
    return (str(goal.id), str(goal.number), goal.title, goal.horizon, label(goal.health))


def row(entity: str, record: Any, today: dt.date) -> tuple[str, ...]:
    if entity == "milestone":
        return milestone_row(record)
    if entity == "action":
        return action_row(record, today)
    if entity == "benefit":
        return benefit_row(record)
    return goal_row(record)


def details(entity: str, record: Any) -> list[tuple[str, str]]:
    """Every editable field of a record as (Dutch label, value) pairs, then the bookkeeping."""
    pairs = [("id", str(record.id))]
    for spec in FIELDS[entity].values():
        pairs.append((spec.label, label(getattr(record, spec.name))))
    if isinstance(record, Milestone):
        pairs.append(("volgnummer agenda", str(record.sequence)))
    if isinstance(record, Benefit):
        for measurement in record.measurements:
            note = f" — {measurement.note}" if measurement.note else ""
            pairs.append(
                ("meting", f"{dates.format_short(measurement.date)}: {measurement.value}{note}")
            )
        trend = wording.trend_against(status.benefit_trend(record))
        if trend:
            pairs.append(("trend", trend))
    return pairs
