"""Adding and editing records in a form: which fields, what they accept, and what a save
refuses or asks first."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from functools import partial
from typing import Any

from hecht_tracker.core import dates, kinds
from hecht_tracker.core.errors import ConflictError, ValidationError
from hecht_tracker.core.fields import FIELDS, FieldSpec, parse_fields
from hecht_tracker.core.model import BOARD_BODIES, Health, Status
from hecht_tracker.text import display
from hecht_tracker.tui.presenters.forms import MAX_TEXT, MAX_TITLE, date_hint, split_date_time
from hecht_tracker.tui.screens.form_model import (
    ChangedUnderneath,
    FieldError,
    FormField,
    NeedsConfirmation,
)
from hecht_tracker.tui.screens.table_screen import TableScreen
from hecht_tracker.tui.screens.tabs import EDITABLE

PLACEHOLDERS = {
    "date": "bijv. 16-12-2026 of 16 dec",
    "time": "bijv. 14:00",
    "refs": "id's, bijv. 4, 5",
    "int": "getal",
}


class Editing(TableScreen):
    """The record forms: new and edit, with their checks and fields."""

    def action_new(self) -> None:
        entity = self.current_entity
        assert self.snapshot is not None
        # A new goal belongs to the programme of the goals already there (Gezond Vooruit!).
        defaults: dict[str, Any] = {}
        if entity == "goal" and self.snapshot.goals:
            defaults["programme_id"] = self.snapshot.goals[0].programme_id
        noun = kinds.noun(entity)
        self._new(entity, defaults, f"{noun.capitalize()} {{id}} toegevoegd.")

    def action_new_action_for_goal(self) -> None:
        """On Doelen: a new action, its goal (and programme) preset to the selected goal."""
        goal = self.selected()
        if goal is None or self.current_entity != "goal":
            return
        self._new(
            "action",
            {"goal_id": goal.id, "programme_id": goal.programme_id},
            f"Actie {{id}} toegevoegd aan doel {goal.number}.",
            title=f"Nieuwe actie voor doel {goal.number}: {goal.title}",
            stay_on=("goal", goal.id),
        )

    def _new(
        self,
        entity: str,
        defaults: Mapping[str, Any],
        done: str,
        *,
        title: str | None = None,
        stay_on: tuple[str, int] | None = None,
    ) -> None:
        fields = [
            self._form_field(spec, defaults.get(spec.name), new=True)
            for spec in editable_specs(entity)
        ]

        def save(values: Mapping[str, Any], confirmed: frozenset[str]) -> Any:
            given = {name: value for name, value in values.items() if not _is_empty(value)}
            if not str(given.get("title", "")).strip():
                raise FieldError("title", "De titel mag niet leeg zijn.")
            if entity == "milestone" and "date" not in given:
                raise FieldError("date", "Een mijlpaal heeft een datum nodig.")
            if entity == "goal" and "programme_id" not in given:
                raise FieldError("programme_id", "Kies het programma waar dit doel bij hoort.")
            parsed = self._parse(entity, _with_time(entity, given))
            self._check(entity, None, parsed, confirmed)
            return self.store.add(entity, parsed)

        self._open_form(
            title or kinds.get(entity).new_title,
            fields,
            save,
            only_changed=False,
            done=done,
            entity=entity,
            stay_on=stay_on,
        )

    def action_edit(self) -> None:
        record = self.selected()
        entity = self.current_entity
        if record is None or entity not in EDITABLE:
            return
        fields = [
            self._form_field(spec, getattr(record, spec.name), new=False, record=record)
            for spec in editable_specs(entity)
        ]

        # The version this form writes over: the one it opened, or after a conflict the one
        # whose values the user saw and chose to overwrite.
        base = {"version": record.version}

        def save(values: Mapping[str, Any], confirmed: frozenset[str]) -> Any:
            parsed = self._parse(entity, _with_time(entity, values))
            self._check(entity, record, parsed, confirmed)
            try:
                return self.store.update(
                    entity, record.id, parsed, expected_version=base["version"]
                )
            except ConflictError:
                current = self.store.get(entity, record.id)
                base["version"] = current.version
                raise ChangedUnderneath(_versions(entity, record, current, parsed)) from None

        noun = kinds.noun(entity)
        self._open_form(
            f"{noun.capitalize()} {record.id} wijzigen",
            fields,
            save,
            only_changed=True,
            done=f"{noun.capitalize()} {{id}} bijgewerkt.",
        )

    def _check(
        self, entity: str, record: Any, values: Mapping[str, Any], confirmed: frozenset[str]
    ) -> None:
        """Refuse or question what the form would save: a reason for a worrying health, and a
        yes first for marking done a meeting still ahead or papers sent in the future."""
        today = self.hecht.today

        def now(name: str) -> Any:
            return values[name] if name in values else getattr(record, name, None)

        if entity in ("milestone", "goal"):
            health = now("health")
            if (
                health in (Health.AT_RISK, Health.OFF_TRACK)
                and not str(now("health_reason") or "").strip()
            ):
                raise FieldError(
                    "health_reason", f"Koers “{health.label}”: geef ook de reden (reden koers)."
                )
        if entity != "milestone":
            return
        day = now("date")
        if (
            "status" in values
            and values["status"] == Status.DONE
            and day is not None
            and day > today
            and "done-ahead" not in confirmed
        ):
            raise NeedsConfirmation(
                "done-ahead",
                f"Deze mijlpaal is pas op {dates.format_long(day)}. Toch als afgerond opslaan?",
            )
        sent = values.get("documents_sent")
        if sent is not None and sent > today and "sent-ahead" not in confirmed:
            raise NeedsConfirmation(
                "sent-ahead",
                f"De stukken verstuurd op {dates.format_long(sent)}, een datum in de toekomst. "
                "Toch opslaan?",
            )

    def _form_field(
        self, spec: FieldSpec, value: Any, *, new: bool, record: Any = None
    ) -> FormField:
        """The form field for one spec: a select for enums and single references, checkboxes
        for goals and dependencies, several lines for descriptions, a hint for dates."""
        label = spec.label
        if spec.type == "refs":
            options = [o for o in self._ref_options(spec) if record is None or o[1] != record.id]
            return FormField(
                spec.name, label, tuple(value or ()), options=tuple(options), multiple=True
            )
        if spec.name in ("description", "notes", "evidence"):
            return FormField(spec.name, label, value or "", multiline=True, max_length=MAX_TEXT)
        if spec.type == "date":
            today = self.hecht.today
            baseline = getattr(record, "baseline_date", None) if spec.name == "date" else None
            placeholder = "bijv. 3 dec 14u" if spec.name == "date" and spec.type == "date" else ""
            return FormField(
                spec.name,
                label,
                display.label(value),
                placeholder=placeholder or PLACEHOLDERS["date"],
                hint=partial(date_hint, today=today, baseline=baseline, past=spec.past),
            )
        if spec.name == "body":
            assert self.snapshot is not None
            known = dict.fromkeys([*BOARD_BODIES, *(m.body for m in self.snapshot.milestones)])
            return FormField(
                spec.name,
                label,
                value or "",
                placeholder="AB, DB, Hecht, …",
                suggestions=tuple(known),
            )
        if spec.type == "enum" and spec.enum is not None:
            nullable = spec.name == "health"
            return FormField(
                spec.name,
                label,
                value,
                options=tuple((member.label, member) for member in spec.enum),
                allow_blank=new or nullable,
                blank_label="(standaard)" if new and not nullable else "(geen)",
            )
        if spec.type == "ref":
            return FormField(
                spec.name, label, value, options=self._ref_options(spec), blank_label="(geen)"
            )
        return FormField(
            spec.name,
            label,
            display.label(value),
            placeholder=PLACEHOLDERS.get(spec.type, ""),
            max_length=MAX_TITLE if spec.name == "title" else MAX_TEXT,
        )

    def _ref_options(self, spec: FieldSpec) -> tuple[tuple[str, Any], ...]:
        snapshot = self.snapshot
        assert snapshot is not None
        if spec.target == "programme":
            return tuple((p.name, p.id) for p in snapshot.programmes)
        if spec.target == "goal":
            return tuple((f"{g.number}. {g.title}", g.id) for g in snapshot.goals)
        return tuple(
            (f"{m.id} · {dates.format_short(m.date)} {m.body} — {m.title}", m.id)
            for m in snapshot.milestones
        )

    def _parse(self, entity: str, values: Mapping[str, Any]) -> dict[str, Any]:
        """Typed values through the shared field parser; an error names the field in Dutch."""
        try:
            return parse_fields(entity, values, self.hecht.today, self.store)
        except ValidationError as error:
            if error.field is not None and error.field in values:
                label = FIELDS[entity][error.field].label.capitalize()
                raise FieldError(error.field, f"{label}: {error.detail}") from None
            raise


def editable_specs(entity: str) -> list[FieldSpec]:
    """The fields a form shows: all but the uid, which must stay stable."""
    return [spec for spec in FIELDS[entity].values() if spec.name != "uid"]


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _with_time(entity: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """A milestone date typed with its time (``3 dec 14u``) fills the start time too, unless
    the start time was typed as well."""
    result = dict(values)
    text = result.get("date")
    if entity != "milestone" or not isinstance(text, str):
        return result
    day, time = split_date_time(text)
    if time is not None:
        result["date"] = day
        if _is_empty(result.get("start_time")) or "start_time" not in values:
            result["start_time"] = time
    return result


# Bookkeeping that changes without anyone editing the record (calendar publication).
_NOT_CONTENT = {
    "updated",
    "version",
    "sequence",
    "published",
    "public_hash",
    "published_bodies",
}


def _content(record: Any) -> dict[str, Any]:
    return {
        f.name: getattr(record, f.name)
        for f in dataclasses.fields(record)
        if f.name not in _NOT_CONTENT
    }


def _versions(
    entity: str, opened: Any, current: Any, mine: Mapping[str, Any]
) -> list[tuple[str, str, str]]:
    """Per field someone else changed or this form changes: its label, the value now in the
    database and the value the form would save."""
    before, theirs = _content(opened), _content(current)
    rows = []
    for name, spec in FIELDS[entity].items():
        if name not in theirs or (theirs[name] == before[name] and name not in mine):
            continue
        # Fields this form leaves alone keep the database's value whichever version wins.
        wanted = display.label(mine[name]) if name in mine else "(blijft zoals in de database)"
        rows.append((spec.label, display.label(theirs[name]), wanted))
    return rows
