"""The main screen: tabs with the timeline, actions, benefits, goals and journal, and every
keyboard action that changes them."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, TabbedContent, TabPane

from hecht_tracker.core import dates, kinds, status
from hecht_tracker.core.errors import TrackerError, ValidationError
from hecht_tracker.core.fields import FIELDS, FieldSpec, parse_fields, parse_measurement_date
from hecht_tracker.core.model import Status
from hecht_tracker.core.snapshot import Snapshot
from hecht_tracker.text import display
from hecht_tracker.text import status as wording
from hecht_tracker.tui.screens import views
from hecht_tracker.tui.screens.dialogs import ChoiceDialog, ConfirmDialog
from hecht_tracker.tui.screens.form import FieldError, FormField, FormScreen
from hecht_tracker.tui.widgets import DetailPanel, RecordTable, StatusHeader

if TYPE_CHECKING:
    from hecht_tracker.storage.store import Store


class Host(Protocol):
    """What the screen needs of the app that shows it (the app imports this screen, so the
    screen names the app's shape instead of importing it back)."""

    store: Store
    today: dt.date
    blink: bool


# Tab id → entity shown in it; the journal is read-only.
TABS: dict[str, str] = {
    "tijdlijn": "milestone",
    "acties": "action",
    "baten": "benefit",
    "doelen": "goal",
    "journaal": "journal",
}
TAB_TITLES = {
    "tijdlijn": "Tijdlijn",
    "acties": "Acties & afspraken",
    "baten": "Baten",
    "doelen": "Doelen",
    "journaal": "Journaal",
}
EDITABLE = ("milestone", "action", "benefit", "goal")

# Which actions make sense on which entity (the footer shows only those).
_ACTIONS_FOR: dict[str, tuple[str, ...]] = {
    "new": EDITABLE,
    "edit": EDITABLE,
    "cancel_milestone": ("milestone",),
    "delete": ("action", "benefit", "goal"),
    "status": ("milestone", "action", "benefit"),
    "health": ("milestone", "goal"),
    "papers_sent": ("milestone",),
    "measure": ("benefit",),
}
_NEEDS_RECORD = {"edit", "cancel_milestone", "delete", "status", "health", "papers_sent", "measure"}


_PLACEHOLDERS = {
    "date": "bijv. 16-12-2026 of 16 dec",
    "time": "bijv. 14:00",
    "refs": "id's, bijv. 4, 5",
    "int": "getal",
}


class MainScreen(Screen[None]):
    """Five tabs over one snapshot of the store; every write reloads the snapshot."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "nieuw", id="new"),
        Binding("e", "edit", "wijzigen", id="edit"),
        Binding("d", "cancel_milestone", "annuleren", id="cancel-milestone"),
        Binding("d", "delete", "verwijderen", id="delete"),
        Binding("s", "status", "status", id="status"),
        Binding("k", "health", "koers", id="health"),
        Binding("p", "papers_sent", "stukken verstuurd", id="papers-sent"),
        Binding("m", "measure", "meting", id="measure"),
        Binding("slash", "search", "zoeken", id="search"),
        Binding("escape", "clear_search", "zoeken wissen", show=False),
        # On this screen only, so a q typed in a form or dialog never closes the app.
        Binding("q", "app.quit", "afsluiten", id="quit"),
        *(
            Binding(str(number), f"show_tab('{tab}')", TAB_TITLES[tab], show=False)
            for number, tab in enumerate(TABS, start=1)
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.snapshot: Snapshot | None = None
        self._binding_state: tuple[str, bool] | None = None

    @property
    def hecht(self) -> Host:
        return cast(Host, self.app)

    @property
    def store(self) -> Store:
        return self.hecht.store

    def compose(self) -> ComposeResult:
        yield StatusHeader(id="headline")
        with TabbedContent(id="tabs", initial="tijdlijn"):
            for tab, entity in TABS.items():
                with TabPane(TAB_TITLES[tab], id=tab), Vertical(classes="pane-body"):
                    yield RecordTable(
                        entity,
                        views.COLUMNS[entity],
                        flex_column=views.FLEX_COLUMNS[entity],
                        id=f"table-{tab}",
                    )
                    detail = DetailPanel("", id=f"detail-{tab}")
                    detail.border_title = "Details"
                    yield detail
        yield Input(placeholder="Zoek in deze tabel… (enter: klaar, esc: wissen)", id="search")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.reload()
        assert self.snapshot is not None
        if self.snapshot.next_moment is not None:
            self.table_for("milestone").select_record(self.snapshot.next_moment.milestone.id)
        self.current_table.focus()

    # --- reading -----------------------------------------------------------------------------

    @property
    def active_tab(self) -> str:
        return self.query_one(TabbedContent).active or "tijdlijn"

    @property
    def current_entity(self) -> str:
        return TABS[self.active_tab]

    @property
    def current_table(self) -> RecordTable:
        return self.query_one(f"#table-{self.active_tab}", RecordTable)

    def table_for(self, entity: str) -> RecordTable:
        tab = next(tab for tab, shown in TABS.items() if shown == entity)
        return self.query_one(f"#table-{tab}", RecordTable)

    def reload(self) -> None:
        """Read everything again from the store and redraw (cursors stay on their records)."""
        from hecht_tracker.storage.snapshot import read_snapshot

        self.snapshot = read_snapshot(self.store, self.hecht.today, whole_journal=True)
        self.query_one(StatusHeader).update(
            views.headline(self.snapshot, self.snapshot.settings.organisation)
        )
        for tab, entity in TABS.items():
            self.query_one(f"#table-{tab}", RecordTable).set_rows(
                views.rows_for(entity, self.snapshot)
            )
        self.refresh_bindings()

    def selected(self) -> Any:
        """The highlighted record of the current tab, or None."""
        record_id = self.current_table.record_id
        if record_id is None or self.snapshot is None:
            return None
        return self.snapshot.record(self.current_entity, record_id)

    @on(RecordTable.Highlighted)
    def _show_detail(self, event: RecordTable.Highlighted) -> None:
        table = event.table
        tab = next(tab for tab, entity in TABS.items() if entity == table.entity)
        panel = self.query_one(f"#detail-{tab}", DetailPanel)
        record = None
        if event.record_id is not None and self.snapshot is not None:
            record = self.snapshot.record(table.entity, event.record_id)
        if record is None:
            panel.update(
                "Niets gevonden."
                if table.query_text
                else "Nog niets ingevoerd — druk n voor nieuw."
            )
        else:
            assert self.snapshot is not None
            lead_days = self.snapshot.settings.documents_lead_days
            panel.update(views.detail_for(table.entity, record, self.snapshot, lead_days))
        # The footer greys out record keys on an empty table; redraw it only when that changes.
        state = (self.active_tab, record is not None)
        if state != self._binding_state:
            self._binding_state = state
            self.refresh_bindings()

    @on(RecordTable.Chosen)
    def _chosen(self, event: RecordTable.Chosen) -> None:
        if event.table.entity in EDITABLE:
            self.action_edit()

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        search = self.query_one("#search", Input)
        table = self.current_table
        search.value = table.query_text
        search.set_class(bool(table.query_text), "-shown")
        table.focus()
        state = (self.active_tab, table.record_id is not None)
        if state != self._binding_state:
            self._binding_state = state
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        entities = _ACTIONS_FOR.get(action)
        if entities is None:
            return True
        if self.current_entity not in entities:
            return False
        if action in _NEEDS_RECORD and self.current_table.record_id is None:
            return None
        return True

    # --- tabs and search ---------------------------------------------------------------------

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def action_search(self) -> None:
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
        self.current_table.filter(event.value)

    @on(Input.Submitted, "#search")
    def _search_done(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            event.input.remove_class("-shown")
        self.current_table.focus()

    # --- editing -----------------------------------------------------------------------------

    def action_new(self) -> None:
        entity = self.current_entity
        assert self.snapshot is not None
        # A new goal belongs to the programme of the goals already there (Gezond Vooruit!).
        defaults: dict[str, Any] = {}
        if entity == "goal" and self.snapshot.goals:
            defaults["programme_id"] = self.snapshot.goals[0].programme_id
        fields = [
            self._form_field(spec, defaults.get(spec.name), new=True)
            for spec in _editable_specs(entity)
        ]

        def save(values: Mapping[str, Any]) -> Any:
            given = {name: value for name, value in values.items() if not _is_empty(value)}
            if not str(given.get("title", "")).strip():
                raise FieldError("title", "De titel mag niet leeg zijn.")
            if entity == "milestone" and "date" not in given:
                raise FieldError("date", "Een mijlpaal heeft een datum nodig.")
            if entity == "goal" and "programme_id" not in given:
                raise FieldError("programme_id", "Kies het programma waar dit doel bij hoort.")
            return self.store.add(entity, self._parse(entity, given))

        noun = kinds.noun(entity)
        self._open_form(
            kinds.get(entity).new_title,
            fields,
            save,
            only_changed=False,
            done=f"{noun.capitalize()} {{id}} toegevoegd.",
        )

    def action_edit(self) -> None:
        record = self.selected()
        entity = self.current_entity
        if record is None or entity not in EDITABLE:
            return
        fields = [
            self._form_field(spec, getattr(record, spec.name), new=False)
            for spec in _editable_specs(entity)
        ]

        def save(values: Mapping[str, Any]) -> Any:
            return self.store.update(entity, record.id, self._parse(entity, values))

        noun = kinds.noun(entity)
        self._open_form(
            f"{noun.capitalize()} {record.id} wijzigen",
            fields,
            save,
            only_changed=True,
            done=f"{noun.capitalize()} {{id}} bijgewerkt.",
        )

    def _open_form(
        self,
        title: str,
        fields: list[FormField],
        save: Callable[[Mapping[str, Any]], Any],
        *,
        only_changed: bool,
        done: str,
    ) -> None:
        entity = self.current_entity

        def closed(record: Any) -> None:
            if record is None:
                return
            self.reload()
            self.table_for(entity).select_record(record.id)
            self.notify(done.format(id=record.id))

        self.app.push_screen(
            FormScreen(title, fields, save, only_changed=only_changed, blink=self.hecht.blink),
            closed,
        )

    def _form_field(self, spec: FieldSpec, value: Any, *, new: bool) -> FormField:
        """The form field for one spec: a select for enums and single references."""
        label = spec.label
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
            placeholder=_PLACEHOLDERS.get(spec.type, ""),
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

    def _write(self, entity: str, record_id: int, change: Callable[[], Any], done: str) -> None:
        """Run one store write; a refusal is shown in Dutch and the screen stays as it was."""
        try:
            change()
        except TrackerError as error:
            self.notify(str(error), title="Niet opgeslagen", severity="error")
            return
        self.reload()
        self.table_for(entity).select_record(record_id)
        self.notify(done)

    def action_cancel_milestone(self) -> None:
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
        record = self.selected()
        entity = self.current_entity
        if record is None:
            return
        noun = kinds.noun(entity)
        question = f"{noun.capitalize()} {record.id} verwijderen?\n\n{record.title}\n\nHet journaal bewaart wat er was."

        def answered(yes: bool | None) -> None:
            if yes:
                try:
                    self.store.delete(entity, record.id)
                except TrackerError as error:
                    self.notify(str(error), title="Niet verwijderd", severity="error")
                    return
                self.reload()
                self.notify(f"{noun.capitalize()} {record.id} verwijderd.")

        self.app.push_screen(ConfirmDialog(question, "Verwijderen", "Niet verwijderen"), answered)

    def _pick(self, field: str, title: str) -> None:
        record = self.selected()
        entity = self.current_entity
        if record is None:
            return
        spec = FIELDS[entity][field]
        assert spec.enum is not None
        choices = [(member.label, member) for member in spec.enum]
        current = getattr(record, field)

        def picked(value: Any) -> None:
            if value is None or value == current:
                return
            self._write(
                entity,
                record.id,
                lambda: self.store.update(entity, record.id, {field: value}),
                f"{spec.label.capitalize()} van {kinds.noun(entity)} {record.id}: {value.label}.",
            )

        self.app.push_screen(
            ChoiceDialog(f"{title} van “{record.title}”", choices, current), picked
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
            FormField(
                "date", "datum", dates.format_short(today), placeholder=_PLACEHOLDERS["date"]
            ),
            FormField("note", "toelichting"),
        ]

        def save(values: Mapping[str, Any]) -> Any:
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


def _editable_specs(entity: str) -> list[FieldSpec]:
    """The fields a form shows: all but the uid, which must stay stable."""
    return [spec for spec in FIELDS[entity].values() if spec.name != "uid"]


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
