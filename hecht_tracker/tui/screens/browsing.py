"""Finding records on the main screen: search as you type, filters, sorting and paging."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import partial
from typing import Any

from textual import on
from textual.widgets import Input

from hecht_tracker.core import dates, kinds
from hecht_tracker.core.errors import ValidationError
from hecht_tracker.core.model import Status
from hecht_tracker.text import display
from hecht_tracker.tui.presenters import filters
from hecht_tracker.tui.presenters.forms import date_hint
from hecht_tracker.tui.screens.form_model import FieldError, FormField
from hecht_tracker.tui.screens.table_screen import TableScreen
from hecht_tracker.tui.screens.tabs import EDITABLE, OVERVIEW


class Browsing(TableScreen):
    """Finding records: search, filters, sorting, "vandaag" and older journal pages."""

    def action_older(self) -> None:
        """The Logboek shows another page of older journal rows."""
        self._journal_pages += 1
        self.reload(set())

    def action_today(self) -> None:
        """The Mijlpalen tab with the cursor on the first milestone dated today or later."""
        self.action_show_tab("tijdlijn")
        table = self.table_for("milestone")
        if table.query_text:
            self.action_clear_search()
        assert self.snapshot is not None
        today = self.hecht.today
        ahead = sorted(
            (m for m in self.snapshot.milestones if m.date >= today), key=lambda m: (m.date, m.id)
        )
        if ahead:
            table.select_record(ahead[0].id)
        table.focus()

    def action_search(self) -> None:
        if self.active_tab == OVERVIEW:
            # The tab change focuses its table when it lands; the search field must win.
            self._search_on_tab_change = True
            self.action_show_tab("tijdlijn")
        search = self.query_one("#search", Input)
        search.add_class("-shown")
        search.focus()

    def action_clear_search(self) -> None:
        search = self.query_one("#search", Input)
        search.value = ""
        search.remove_class("-shown")
        self.current_table.filter("")
        self.current_table.focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        """Filter as you type."""
        self.current_table.filter(event.value)

    def action_filter(self) -> None:
        """Filter the milestones by body, status, goal, period and 'alleen waarschuwingen';
        on the Logboek, the journal by part and period."""
        if self.active_tab == "journaal":
            self._filter_journal()
            return
        from hecht_tracker.tui.screens.form import FormScreen  # loaded when a form opens

        self.action_show_tab("tijdlijn")
        snapshot = self.snapshot
        assert snapshot is not None
        today = self.hecht.today
        chosen = self.milestone_filter
        bodies = sorted({m.body for m in snapshot.milestones})
        fields = [
            FormField(
                "body",
                "orgaan",
                chosen.body,
                options=tuple((b, b) for b in bodies),
                blank_label="(alle)",
            ),
            FormField(
                "status",
                "status",
                chosen.status,
                options=tuple((s.label, s) for s in Status),
                blank_label="(alle)",
            ),
            FormField(
                "goal_id",
                "doel",
                chosen.goal_id,
                options=tuple((f"{g.number}. {g.title}", g.id) for g in snapshot.goals),
                blank_label="(alle)",
            ),
            *_period_fields(chosen.since, chosen.until, today, until_past=False),
            FormField(
                "warnings_only",
                "alleen waarschuwingen",
                chosen.warnings_only,
                options=(("ja", True), ("nee", False)),
                allow_blank=False,
            ),
        ]

        def save(values: Mapping[str, Any], confirmed: frozenset[str]) -> Any:
            period = _period(values, today, until_past=False)
            return filters.MilestoneFilter(
                body=values["body"],
                status=values["status"],
                goal_id=values["goal_id"],
                since=period["since"],
                until=period["until"],
                warnings_only=bool(values["warnings_only"]),
            )

        def closed(result: Any) -> None:
            if result is not None:
                self.milestone_filter = result
                self._refilter()

        self.app.push_screen(
            FormScreen(
                "Mijlpalen filteren", fields, save, blink=self.hecht.blink, save_label="Toepassen"
            ),
            closed,
        )

    def action_clear_filter(self) -> None:
        if self.active_tab == "journaal":
            self.journal_filter = filters.JournalFilter()
            self.reload(set())
            return
        self.milestone_filter = filters.MilestoneFilter()
        self._refilter()

    def _filter_journal(self) -> None:
        from hecht_tracker.tui.screens.form import FormScreen  # loaded when a form opens

        today = self.hecht.today
        chosen = self.journal_filter
        parts = (*((kinds.noun(e), e) for e in EDITABLE), ("instellingen", "setting"))
        fields = [
            FormField("entity", "onderdeel", chosen.entity, options=parts, blank_label="(alle)"),
            FormField(
                "record_id",
                "nummer",
                display.label(chosen.record_id),
                placeholder="alleen dit record, bijv. 6 (leeg: alle)",
            ),
            *_period_fields(chosen.since, chosen.until, today, until_past=True),
        ]

        def save(values: Mapping[str, Any], confirmed: frozenset[str]) -> Any:
            period = _period(values, today)
            record_id = _record_number(values["entity"], str(values["record_id"] or ""))
            return filters.JournalFilter(
                values["entity"], period["since"], period["until"], record_id
            )

        def closed(result: Any) -> None:
            if result is not None:
                self.journal_filter = result
                self._journal_pages = 1
                self.reload(set())

        self.app.push_screen(
            FormScreen(
                "Logboek filteren", fields, save, blink=self.hecht.blink, save_label="Toepassen"
            ),
            closed,
        )

    def action_record_journal(self) -> None:
        """The Logboek with only the rows of the selected record (F shows all again)."""
        record = self.selected()
        entity = self.current_entity
        if record is None or entity not in EDITABLE:
            return
        self.journal_filter = filters.JournalFilter(entity, record_id=record.id)
        self._journal_pages = 1
        self.reload(set())
        self.action_show_tab("journaal")

    def action_sort(self) -> None:
        """Pick the column to sort by; the same column again reverses the order."""
        from hecht_tracker.tui.screens.dialogs import ChoiceDialog

        table = self.current_table
        choices: list[tuple[str, int | None]] = [
            (label, index) for index, label in enumerate(table.column_labels)
        ]
        choices.append(("oorspronkelijke volgorde", None))

        def picked(index: Any) -> None:
            if index is None and table.sort_column is None:
                return
            reverse = index is not None and index == table.sort_column and not table.sort_reverse
            table.sort_by(index, reverse)

        self.app.push_screen(ChoiceDialog("Sorteren op", choices, table.sort_column or 0), picked)

    @on(Input.Submitted, "#search")
    def _search_done(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            event.input.remove_class("-shown")
        self.current_table.focus()


def _period(
    values: Mapping[str, Any], today: dt.date, *, until_past: bool = True
) -> dict[str, dt.date | None]:
    """The typed 'vanaf' and 'tot en met' of a filter form, each a date or None. A date
    without a year is the last such day up to today; with ``until_past=False`` the 'tot en
    met' is the next such day (a period of planned milestones runs ahead)."""
    period: dict[str, dt.date | None] = {}
    for name in ("since", "until"):
        text = str(values[name] or "").strip()
        past = until_past or name == "since"
        try:
            period[name] = dates.parse_date(text, today, past=past) if text else None
        except ValidationError as error:
            raise FieldError(name, str(error)) from None
    return period


def _record_number(entity: str | None, text: str) -> int | None:
    """The record number typed into the Logboek filter: a whole number, with a part chosen."""
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        raise FieldError("record_id", f"Nummer: “{text}” is geen nummer; bijv. 6.")
    if entity is None or entity == "setting":
        raise FieldError("record_id", "Kies bij een nummer ook het onderdeel (bijv. mijlpaal).")
    return int(text)


def _period_fields(
    since: dt.date | None, until: dt.date | None, today: dt.date, *, until_past: bool
) -> tuple[FormField, FormField]:
    """The 'vanaf' and 'tot en met' fields of a filter form; a period of planned milestones
    runs ahead (``until_past=False``), one of the journal lies behind."""
    return (
        FormField(
            "since",
            "vanaf",
            display.label(since),
            placeholder="bijv. 1 nov",
            hint=partial(date_hint, today=today, past=True),
        ),
        FormField(
            "until",
            "tot en met",
            display.label(until),
            placeholder="bijv. 30 nov" if until_past else "bijv. 31 dec",
            hint=partial(date_hint, today=today, past=until_past),
        ),
    )
