"""The domain rules the store applies on every write, as pure functions (no database here).

Defaults a new record gets, the documents-due date of a meeting, which fields the store derives
itself, what valid settings are, and the dependency-cycle check. The store calls these; the
TUI and the import may call them too, so a rule is written once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache
from typing import Any

from hecht_tracker.core import limits
from hecht_tracker.core.errors import ValidationError
from hecht_tracker.core.model import (
    Action,
    Benefit,
    Goal,
    Kind,
    Milestone,
    Programme,
    Settings,
    Status,
    default_visibility,
    normalise_body,
)

MEETING_KINDS = (Kind.MEETING, Kind.THEME_SESSION)

MODELS: dict[str, type[Any]] = {
    "programme": Programme,
    "goal": Goal,
    "milestone": Milestone,
    "action": Action,
    "benefit": Benefit,
}

# Link fields of a milestone (kept in their own tables), by entity.
LINK_FIELDS: dict[str, frozenset[str]] = {"milestone": frozenset({"goal_ids", "depends_on"})}


def documents_due_for(date: dt.date, body: str, kind: Kind, settings: Settings) -> dt.date | None:
    """Papers are due N working days before a meeting, N per body from the settings."""
    lead = settings.documents_lead_days.get(body)
    if kind not in MEETING_KINDS or lead is None:
        return None
    due = _working_days_before(date, lead)
    # A meeting in the first days of the window would have its papers due before it: no
    # deadline then, rather than a date no record may hold.
    return due if due >= limits.EARLIEST_DATE else None


@lru_cache(maxsize=4096)
def _working_days_before(date: dt.date, count: int) -> dt.date:
    # Cached: an import or a settings change asks this for thousands of meetings on far
    # fewer distinct dates.
    from hecht_tracker.core import dates  # the holiday calendar only when a meeting needs it

    return dates.subtract_working_days(date, count)


@cache
def computed_columns(entity: str) -> frozenset[str]:
    """Fields of the model that the store derives and a caller never writes."""
    base = {"id", "created", "updated", "version"}
    if entity == "milestone":
        base |= {
            "sequence",
            "published",
            "public_hash",
            "documents_due_default",
            "documents_due_is_default",
            "published_bodies",
            "papers_published",
        }
    if entity == "benefit":
        base |= {"measurements"}
    return frozenset(base)


@cache
def _model_defaults(entity: str) -> tuple[tuple[str, Any], ...]:
    skip = computed_columns(entity) | LINK_FIELDS.get(entity, frozenset())
    return tuple(
        (f.name, f.default)
        for f in dataclasses.fields(MODELS[entity])
        if f.default is not dataclasses.MISSING and f.name not in skip
    )


def complete_new(
    entity: str, record: dict[str, Any], *, today: dt.date | None, next_goal_number: int = 1
) -> dict[str, Any]:
    """Fill the defaults a new record gets (in place), and refuse what it cannot be.

    ``today`` gives a new done action its done date; None (seeding) fills none, because the
    documents do not say when a step was done. ``next_goal_number`` numbers a new goal.
    """
    title_field = "name" if entity == "programme" else "title"
    title = str(record.get(title_field) or "").strip()
    if not title:
        raise ValidationError("De titel mag niet leeg zijn.", field=title_field)
    record[title_field] = title
    if entity == "milestone":
        if record.get("date") is None:
            raise ValidationError("Een mijlpaal heeft een datum nodig.", field="date")
        record["body"] = normalise_body(record.get("body") or "Hecht")
        if record.get("kind") is None:
            record["kind"] = Kind.MEETING
        if record.get("visibility") is None:
            record["visibility"] = default_visibility(record["body"], record["kind"])
        if record.get("baseline_date") is None:
            record["baseline_date"] = record["date"]
    if entity == "goal":
        if record.get("programme_id") is None:
            raise ValidationError(
                "Een doel hoort bij een programma; kies er een.", field="programme_id"
            )
        if record.get("number") is None:
            record["number"] = next_goal_number
    for name, value in _model_defaults(entity):
        if record.get(name) is None and value is not None:
            record[name] = value
    if (
        entity == "action"
        and today is not None
        and record.get("status") == Status.DONE
        and record.get("done_date") is None
    ):
        record["done_date"] = today
    return record


def check_times(start: dt.time | None, end: dt.time | None) -> None:
    """An end time needs a start time before it."""
    if end is None:
        return
    if start is None:
        raise ValidationError("Een eindtijd vraagt ook een begintijd.", field="end_time")
    if end <= start:
        raise ValidationError(
            f"De eindtijd {end.strftime('%H:%M')} ligt niet na de begintijd "
            f"{start.strftime('%H:%M')}.",
            field="end_time",
        )


def validate_settings(settings: Settings) -> None:
    """Every setting inside its range and shape (see :mod:`hecht_tracker.core.limits`)."""
    limits.check_settings(settings)


def cycle_message(route: Iterable[int]) -> str:
    return f"Deze afhankelijkheid maakt een kring: {' → '.join(str(i) for i in route)}."


def find_cycle(start: int, edges: Mapping[int, Iterable[int]]) -> list[int]:
    """A route ``start → … → start`` along ``edges`` (milestone → what it depends on), or []."""
    path: list[int] = [start]
    seen = {start}
    stack = [iter(sorted(edges.get(start, ())))]
    while stack:
        step = next(stack[-1], None)
        if step is None:
            stack.pop()
            path.pop()
            continue
        if step == start:
            return [*path, start]
        if step not in seen:
            seen.add(step)
            path.append(step)
            stack.append(iter(sorted(edges.get(step, ()))))
    return []
