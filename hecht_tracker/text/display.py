"""How records read in Dutch: table rows and detail lines shared by the CLI and the TUI."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hecht_tracker.core import dates
from hecht_tracker.core.fields import FIELDS
from hecht_tracker.core.model import Action, Benefit, Goal, JournalEntry, LabelledEnum, Milestone

COLUMNS: dict[str, tuple[str, ...]] = {
    "milestone": ("id", "datum", "tijd", "orgaan", "titel", "status", "koers", "stukken"),
    "action": ("id", "soort", "titel", "eigenaar", "deadline", "status"),
    "benefit": ("id", "titel", "categorie", "status", "laatste meting"),
    "goal": ("id", "nr", "titel", "horizon", "koers"),
}


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
        if record.slip_days:
            pairs.append(
                (
                    "verschoven",
                    f"{record.slip_days:+d} dagen t.o.v. {dates.format_short(record.baseline_date)}",
                )
            )
    if isinstance(record, Benefit):
        for measurement in record.measurements:
            note = f" — {measurement.note}" if measurement.note else ""
            pairs.append(
                ("meting", f"{dates.format_short(measurement.date)}: {measurement.value}{note}")
            )
    return pairs


# --- the journal, as people read it -----------------------------------------------------------

JOURNAL_NOUNS = {
    "milestone": "mijlpaal",
    "action": "actie",
    "benefit": "baat",
    "goal": "doel",
    "programme": "programma",
    "setting": "instelling",
    "database": "database",
}


def journal_change(entry: JournalEntry) -> tuple[str, str, str]:
    """Dutch field label and the old and new value as people read them."""
    if entry.field == "measurement":
        return "meting", entry.old or "", measurement_text(entry.new or "")
    spec = FIELDS.get(entry.entity, {}).get(entry.field or "")
    if spec is None:
        return entry.field or "", entry.old or "", entry.new or ""

    def shown(value: str | None) -> str:
        if value is None or value == "":
            return "(leeg)"
        if spec.type == "date":
            try:
                return dates.format_short(dt.date.fromisoformat(value))
            except ValueError:
                return value
        if spec.type == "enum" and spec.enum is not None:
            try:
                member: LabelledEnum = spec.enum(value)
            except ValueError:
                return value
            return member.label
        if spec.type == "refs":
            return ", ".join(value.split(","))
        return value

    return spec.label, shown(entry.old), shown(entry.new)


def measurement_text(value: str) -> str:
    """``2026-11-24: 5%`` (as journalled) becomes ``24-11-2026: 5%``."""
    day, _, rest = value.partition(": ")
    try:
        return f"{dates.format_short(dt.date.fromisoformat(day))}: {rest}"
    except ValueError:
        return value


def journal_line(entry: JournalEntry) -> str:
    """One journal row in Dutch: ``mijlpaal 6 datum: 26-11-2026 → 03-12-2026 (DB verplaatst)``."""
    noun = JOURNAL_NOUNS.get(entry.entity, entry.entity)
    subject = noun if entry.entity_id is None else f"{noun} {entry.entity_id}"
    note = f" ({entry.note})" if entry.note else ""
    if entry.field is None:
        title = entry.new or entry.old or ""
        done = "aangemaakt" if entry.new is not None else "verwijderd" if entry.old else ""
        shown_note = "" if entry.note in ("aangemaakt", "verwijderd") else note
        return " ".join(part for part in (subject, done, title) if part) + shown_note
    what, old, new = journal_change(entry)
    return f"{subject} {what}: {old or '—'} → {new or '—'}{note}"
