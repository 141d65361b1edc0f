"""One-key changes of the selected record on the main screen."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

from hecht_tracker.core import dates, kinds, status
from hecht_tracker.core.errors import TrackerError, ValidationError
from hecht_tracker.core.fields import FIELDS, parse_measurement_date
from hecht_tracker.core.model import Health, Status
from hecht_tracker.storage import undo
from hecht_tracker.text import status as wording
from hecht_tracker.tui.presenters.forms import MAX_TITLE
from hecht_tracker.tui.screens.editing import PLACEHOLDERS
from hecht_tracker.tui.screens.form_model import FieldError, FormField
from hecht_tracker.tui.screens.table_screen import TableScreen


class RecordActions(TableScreen):
    """One-key changes of the selected record: status, health, papers, measurements,
    completing an action, cancelling and deleting."""

    def action_complete_action(self) -> None:
        """On Doelen: pick one of the goal's open actions and mark it done."""
        from hecht_tracker.tui.screens.dialogs import ChoiceDialog

        goal = self.selected()
        if goal is None or self.snapshot is None:
            return
        still_open = [a for a in self.snapshot.actions if a.goal_id == goal.id and a.status.is_open]
        if not still_open:
            self.notify(f"Doel {goal.number} heeft geen open acties.")
            return
        choices = []
        for a in still_open:
            about = ", ".join(p for p in (a.owner, dates.format_short(a.due_date)) if p)
            choices.append((f"{a.title} ({about})" if about else a.title, a))

        def picked(action: Any) -> None:
            if action is None:
                return
            self._write(
                "action",
                action.id,
                lambda: self.store.update(
                    "action", action.id, {"status": Status.DONE}, expected_version=action.version
                ),
                f"Actie {action.id} afgerond: {action.title}.",
            )

        self.app.push_screen(
            ChoiceDialog(f"Welke actie van doel {goal.number} is afgerond?", choices), picked
        )

    def action_cancel_milestone(self) -> None:
        from hecht_tracker.tui.screens.dialogs import ConfirmDialog

        milestone = self.selected()
        if milestone is None:
            return
        if milestone.status == Status.CANCELLED:
            self.notify("Deze mijlpaal is al geannuleerd.")
            return
        question = (
            f"Mijlpaal {milestone.id} annuleren?\n\n{milestone.body} — {milestone.title}, "
            f"{dates.format_long(milestone.date)}\n\nHij blijft bestaan, zodat de agenda's van de "
            "bestuurders de annulering doorkrijgen."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(
                    "milestone",
                    milestone.id,
                    lambda: self.store.delete("milestone", milestone.id),
                    f"Mijlpaal {milestone.id} geannuleerd.",
                )

        self.app.push_screen(ConfirmDialog(question, "Annuleren", "Niet annuleren"), answered)

    def action_delete(self) -> None:
        from hecht_tracker.tui.screens.dialogs import ConfirmDialog

        record = self.selected()
        entity = self.current_entity
        if record is None:
            return
        noun = kinds.noun(entity)
        question = f"{noun.capitalize()} {record.id} verwijderen?\n\n{record.title}\n\nHet journaal bewaart wat er was."

        def answered(yes: bool | None) -> None:
            if yes:
                try:
                    undo.delete(self.store, entity, record.id)
                except TrackerError as error:
                    self.notify(str(error), title="Niet verwijderd", severity="error")
                    return
                # A goal that goes is taken off its actions and milestones first.
                self.reload({entity, "milestone", "action"} if entity == "goal" else {entity})
                self.notify(f"{noun.capitalize()} {record.id} verwijderd.")

        self.app.push_screen(ConfirmDialog(question, "Verwijderen", "Niet verwijderen"), answered)

    def _pick(self, field: str, title: str) -> None:
        from hecht_tracker.tui.screens.dialogs import ChoiceDialog, ConfirmDialog

        record = self.selected()
        entity = self.current_entity
        if record is None:
            return
        spec = FIELDS[entity][field]
        assert spec.enum is not None
        choices = [(member.label, member) for member in spec.enum]
        current = getattr(record, field)

        def write(changes: dict[str, Any]) -> None:
            value = changes[field]
            self._write(
                entity,
                record.id,
                lambda: self.store.update(
                    entity, record.id, changes, expected_version=record.version
                ),
                f"{spec.label.capitalize()} van {kinds.noun(entity)} {record.id}: {value.label}.",
            )

        def picked(value: Any) -> None:
            if value is None or value == current:
                return
            if field == "health" and value in (Health.AT_RISK, Health.OFF_TRACK):
                self._ask_reason(record, value, write)
                return
            ahead = getattr(record, "date", None)
            if (
                entity == "milestone"
                and value == Status.DONE
                and ahead is not None
                and ahead > self.hecht.today
            ):
                question = (
                    f"{record.body} {dates.format_long(ahead)} is nog niet geweest. "
                    "Toch als afgerond markeren?"
                )
                self.app.push_screen(
                    ConfirmDialog(question, "Afgerond", "Niet afgerond"),
                    lambda yes: write({field: value}) if yes else None,
                )
                return
            write({field: value})

        self.app.push_screen(
            ChoiceDialog(f"{title} van “{record.title}”", choices, current), picked
        )

    def _ask_reason(
        self, record: Any, health: Health, write: Callable[[dict[str, Any]], None]
    ) -> None:
        """Risico and uit koers need a reason; the health and its reason are saved together."""
        from hecht_tracker.tui.screens.form import FormScreen  # loaded when a form opens

        def save(values: Mapping[str, Any], confirmed: frozenset[str]) -> Any:
            reason = str(values["health_reason"]).strip()
            if not reason:
                raise FieldError("health_reason", f"Koers “{health.label}”: geef een reden.")
            return {"health": health, "health_reason": reason}

        def closed(changes: Any) -> None:
            if changes is not None:
                write(changes)

        field = FormField("health_reason", "reden", record.health_reason, max_length=MAX_TITLE)
        self.app.push_screen(
            FormScreen(
                f"Koers “{health.label}” voor “{record.title}”: waarom?",
                [field],
                save,
                blink=self.hecht.blink,
            ),
            closed,
        )

    def action_status(self) -> None:
        self._pick("status", "Status")

    def action_health(self) -> None:
        self._pick("health", "Koers")

    def action_papers_sent(self) -> None:
        milestone = self.selected()
        if milestone is None:
            return
        today = self.hecht.today
        if milestone.documents_due is None or not milestone.status.is_open:
            self.notify("Voor deze mijlpaal worden geen stukken verwacht.", severity="warning")
            return
        if milestone.documents_sent == today:
            self.notify("De stukken staan al als vandaag verstuurd.")
            return
        sent = status.papers(dataclasses.replace(milestone, documents_sent=today), today)
        self._write(
            "milestone",
            milestone.id,
            lambda: self.store.update("milestone", milestone.id, {"documents_sent": today}),
            f"Stukken voor {milestone.body} {dates.format_day_month(milestone.date)}: "
            f"{wording.papers(sent, today)}.",
        )

    def action_measure(self) -> None:
        benefit = self.selected()
        if benefit is None:
            return
        today = self.hecht.today
        fields = [
            FormField("value", "waarde", placeholder="bijv. 6,1% of 'behaald'"),
            FormField("date", "datum", dates.format_short(today), placeholder=PLACEHOLDERS["date"]),
            FormField("note", "toelichting"),
        ]

        def save(values: Mapping[str, Any], confirmed: frozenset[str]) -> Any:
            value = str(values["value"]).strip()
            if not value:
                raise FieldError("value", "Vul een meetwaarde in.")
            try:
                day = parse_measurement_date(values["date"], today)
            except ValidationError as error:
                raise FieldError("date", f"Datum: {error}") from None
            self.store.add_measurement(benefit.id, value, day, str(values["note"]).strip())
            return benefit

        self._open_form(
            f"Meting voor baat {benefit.id}: {benefit.title}",
            fields,
            save,
            only_changed=False,
            done="Meting toegevoegd aan baat {id}.",
        )
