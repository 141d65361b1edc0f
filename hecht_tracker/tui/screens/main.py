"""The main screen: tabs with the timeline, actions, benefits, goals and journal, and every
keyboard action that changes them."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, cast

from rich.console import Group, RenderableType
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Static, TabbedContent, TabPane

from hecht_tracker.core import dates, kinds, status
from hecht_tracker.core.errors import ConflictError, TrackerError, ValidationError
from hecht_tracker.core.fields import FIELDS, FieldSpec, parse_fields, parse_measurement_date
from hecht_tracker.core.model import BOARD_BODIES, Health, Status
from hecht_tracker.core.snapshot import Snapshot
from hecht_tracker.storage import undo
from hecht_tracker.text import display
from hecht_tracker.text import status as wording
from hecht_tracker.tui.presenters import details, filters, overview, tables
from hecht_tracker.tui.presenters.forms import MAX_TEXT, MAX_TITLE, date_hint, split_date_time
from hecht_tracker.tui.screens import views
from hecht_tracker.tui.screens.dialogs import ChoiceDialog, ConfirmDialog
from hecht_tracker.tui.screens.form import (
    ChangedUnderneath,
    FieldError,
    FormField,
    FormScreen,
    NeedsConfirmation,
    SaveCallback,
)
from hecht_tracker.tui.widgets import DetailPanel, RecordTable, StatusHeader, WarningList
from hecht_tracker.tui.widgets.overview import OverviewPane

if TYPE_CHECKING:
    from hecht_tracker.storage.store import Store


class Host(Protocol):
    """What the screen needs of the app that shows it (the app imports this screen, so the
    screen names the app's shape instead of importing it back)."""

    store: Store
    today: dt.date
    blink: bool
    load_in_background_from: int

    def reading_store(self) -> AbstractContextManager[Store]: ...


# Tab id → entity shown in it; the journal is read-only.
TABS: dict[str, str] = {
    "tijdlijn": "milestone",
    "acties": "action",
    "baten": "benefit",
    "doelen": "goal",
    "journaal": "journal",
}
# The Overzicht comes first and shows no table; the others each show one entity.
OVERVIEW = "overzicht"
TAB_TITLES = {
    OVERVIEW: "Overzicht",
    "tijdlijn": "Mijlpalen",
    "acties": "Afspraken",
    "baten": "Baten",
    "doelen": "Doelen",
    "journaal": "Logboek",
}
EDITABLE = ("milestone", "action", "benefit", "goal")
# How often the screen looks whether another process changed the database.
WATCH_SECONDS = 0.5
SEARCH_DELAY = 0.15
WIDE = 130
JOURNAL_PAGE = 500  # journal rows per page of the Logboek

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
    "sort": (*EDITABLE, "journal"),
    "older": ("journal",),
    "complete_action": ("goal",),
    "filter": ("milestone", "overview", "journal"),
    "clear_filter": ("milestone", "journal"),
}
_NEEDS_RECORD = {
    "edit",
    "cancel_milestone",
    "delete",
    "status",
    "health",
    "papers_sent",
    "measure",
    "complete_action",
}

# Everything but moving between tabs, help and quitting works on the records.
_NEEDS_SNAPSHOT = {*_ACTIONS_FOR, "undo", "redo", "search", "today"}


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
        # The footer shows the keys used most, so it fits 80 columns; ? lists them all.
        Binding("d", "cancel_milestone", "annuleren", id="cancel-milestone", show=False),
        Binding("d", "delete", "verwijderen", id="delete", show=False),
        Binding("s", "status", "status", id="status"),
        Binding("k", "health", "koers", id="health"),
        Binding("p", "papers_sent", "stukken verstuurd", id="papers-sent", show=False),
        Binding("m", "measure", "meting", id="measure"),
        Binding("slash", "search", "zoeken", id="search"),
        Binding("o", "sort", "sorteren", id="sort", show=False),
        Binding("a", "complete_action", "afronden", id="complete-action"),
        Binding("plus", "older", "ouder", id="older", show=False),
        Binding("f", "filter", "filter", id="filter", show=False),
        Binding("F", "clear_filter", "filter wissen", id="clear-filter", show=False),
        Binding("ctrl+z", "undo", "terug", id="undo"),
        Binding("ctrl+y", "redo", "opnieuw", id="redo", show=False),
        Binding("question_mark,f1", "help", "hulp", id="help", key_display="?"),
        Binding("escape", "clear_search", "zoeken wissen", show=False),
        # On this screen only, so a q typed in a form or dialog never closes the app.
        Binding("q", "app.quit", "afsluiten", id="quit", show=False),
        *(
            Binding(str(number), f"show_tab('{tab}')", TAB_TITLES[tab], show=False)
            for number, tab in enumerate(TAB_TITLES, start=1)
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.snapshot: Snapshot | None = None
        self._seen = 0  # the newest journal row this screen has shown
        self._search_timer: Timer | None = None
        self.milestone_filter = filters.MilestoneFilter()
        self.journal_filter = filters.JournalFilter()
        self._moves: dict[int, int] = {}
        self._journal_pages = 1
        self._data_version = -1
        self._binding_state: tuple[str, bool] | None = None
        self._stale: set[str] = set()  # tabs whose table is behind the snapshot

    @property
    def hecht(self) -> Host:
        return cast(Host, self.app)

    @property
    def store(self) -> Store:
        return self.hecht.store

    def compose(self) -> ComposeResult:
        yield StatusHeader(id="headline")
        with TabbedContent(id="tabs", initial=OVERVIEW):
            with TabPane(TAB_TITLES[OVERVIEW], id=OVERVIEW):
                yield OverviewPane(id="overview")
            for tab, entity in TABS.items():
                with TabPane(TAB_TITLES[tab], id=tab):
                    if entity == "milestone":
                        yield Static("", id="filter-line", markup=False)
                    if entity == "benefit":
                        yield Static("", id="benefit-summary")
                    with Horizontal(classes="pane-body"):
                        yield from self._table_and_detail(tab, entity)
        yield Input(placeholder="Zoek in deze tabel… (enter: klaar, esc: wissen)", id="search")
        yield Footer(show_command_palette=False, compact=True)

    def _table_and_detail(self, tab: str, entity: str) -> ComposeResult:
        yield RecordTable(
            entity,
            (*views.COLUMNS[entity], *tables.EXTRA_COLUMNS.get(entity, ())),
            flex_column=views.FLEX_COLUMNS[entity],
            priorities=tables.PRIORITIES[entity],
            id=f"table-{tab}",
        )
        detail = DetailPanel("", id=f"detail-{tab}")
        detail.border_title = "Details"
        yield detail

    def on_resize(self) -> None:
        # From 130 columns the details stand beside the table instead of under it.
        wide = self.size.width >= WIDE
        for body in self.query(".pane-body"):
            body.set_class(wide, "-wide")

    def on_mount(self) -> None:
        self._data_version = self.store.data_version()
        self.set_interval(WATCH_SECONDS, self._watch)
        self.query_one(WarningList).focus(scroll_visible=False)
        big = self.store.record_count() >= self.hecht.load_in_background_from
        if big and self.store.path is not None:
            # A large database: the first frame comes at once, the records follow.
            self.query_one(OverviewPane).loading = True
            # Started once the first frame is painted: the reading thread would otherwise
            # compete with that paint for the interpreter.
            self.call_after_refresh(self._load_in_background)
        else:
            # A small one is read before the first frame: no flash of an empty screen.
            self.reload()
            self._first_shown()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load_in_background(self) -> None:
        """Read everything on a connection of the worker's own, then show it on the UI thread."""
        with self.hecht.reading_store() as reading:
            read = self._read(reading, None, set(), everything=True)
            seen = undo.changed_since(reading, 0)[0]

        def show() -> None:
            if self.snapshot is not None:
                return  # a write or a refresh on the UI thread came first; it is newer
            self.snapshot, self._moves = read
            self._seen = seen
            self.query_one(OverviewPane).loading = False
            self._show(set(TABS.values()))
            self._first_shown()

        self.app.call_from_thread(show)

    def _first_shown(self) -> None:
        """The cursor of the Mijlpalen starts on the next board moment."""
        assert self.snapshot is not None
        if self.snapshot.next_moment is not None:
            self.table_for("milestone").select_record(self.snapshot.next_moment.milestone.id)

    # --- reading -----------------------------------------------------------------------------

    @property
    def active_tab(self) -> str:
        return self.query_one(TabbedContent).active or OVERVIEW

    @property
    def current_entity(self) -> str:
        """The entity of the active tab; ``overview`` on the Overzicht."""
        return TABS.get(self.active_tab, "overview")

    @property
    def current_table(self) -> RecordTable:
        """The table of the active tab; on the Overzicht, the milestones'."""
        tab = self.active_tab if self.active_tab in TABS else "tijdlijn"
        return self._drawn(tab)

    def table_for(self, entity: str) -> RecordTable:
        tab = next(tab for tab, shown in TABS.items() if shown == entity)
        return self._drawn(tab)

    def reload(self, entities: set[str] | None = None) -> None:
        """Read again from the store and redraw (cursors stay on their records).

        ``entities`` limits the reading to the tables that changed (``None``: all of them); the
        journal, the headline and the Overzicht are always redrawn.
        """
        old = self.snapshot
        everything = entities is None or old is None or "setting" in (entities or ())
        wanted = {*TABS.values(), "programme"} if everything else set(entities or ())
        # Rows of one entity show facts of others: goals count actions, milestones name goals.
        redraw = set(wanted)
        if "action" in wanted:
            redraw.add("goal")
        if "goal" in wanted:
            redraw.update({"milestone", "action"})
        self.snapshot, self._moves = self._read(self.store, old, wanted, everything=everything)
        if everything:
            self._seen = undo.changed_since(self.store, 0)[0]
        self._show(redraw)

    def _read(
        self, store: Store, old: Snapshot | None, wanted: set[str], *, everything: bool
    ) -> tuple[Snapshot, dict[int, int]]:
        """A snapshot with the Logboek's pages of the journal, and the deadline moves; on a
        partial read, ``old`` keeps what did not change."""
        from hecht_tracker.storage.snapshot import read_snapshot

        # The Logboek shows the newest page of the journal (more on request), never all of it.
        chosen = self.journal_filter
        page = tuple(
            undo.journal_page(
                store,
                self._journal_pages * JOURNAL_PAGE,
                entity=chosen.entity,
                since=chosen.since,
                until=chosen.until,
            )
        )
        if everything or old is None:
            fresh = read_snapshot(store, self.hecht.today)
            return dataclasses.replace(fresh, journal=page), undo.deadline_moves(store)
        moves = undo.deadline_moves(store) if "action" in wanted else self._moves
        return dataclasses.replace(
            old,
            journal=page,
            milestones=tuple(store.milestones()) if "milestone" in wanted else old.milestones,
            actions=tuple(store.actions()) if "action" in wanted else old.actions,
            benefits=tuple(store.benefits()) if "benefit" in wanted else old.benefits,
            goals=tuple(store.goals()) if "goal" in wanted else old.goals,
            programmes=tuple(store.programmes()) if "programme" in wanted else old.programmes,
        ), moves

    def _show(self, redraw: set[str]) -> None:
        """Draw the snapshot: the headline, the Overzicht and the table of the tab in view; the
        tables of the other tabs are drawn when they come into view (see :meth:`_drawn`)."""
        snapshot = self.snapshot
        assert snapshot is not None
        self.query_one(StatusHeader).update(
            views.headline(snapshot, snapshot.settings.organisation)
        )
        self._stale.update(tab for tab, entity in TABS.items() if entity in redraw)
        self._stale.add("journaal")
        if self.active_tab in TABS:
            self._drawn(self.active_tab)
        self.query_one(OverviewPane).show(snapshot)
        self.query_one("#benefit-summary", Static).update(
            Content.from_markup(overview.benefit_categories(snapshot.benefits, snapshot.programmes))
        )
        self.refresh_bindings()

    def _drawn(self, tab: str) -> RecordTable:
        """The table of ``tab``, first brought up to date with the snapshot if it fell behind."""
        table = self.query_one(f"#table-{tab}", RecordTable)
        if tab not in self._stale or self.snapshot is None:
            return table
        self._stale.discard(tab)
        entity = TABS[tab]
        rows = self._rows(entity)
        table.set_rows(rows)
        detail = self.query_one(f"#detail-{tab}", DetailPanel)
        if entity == "journal":
            shown = len(self.snapshot.journal)
            detail.border_subtitle = (
                f"nieuwste {shown} regels · + laadt oudere"
                if shown >= self._journal_pages * JOURNAL_PAGE
                else ""
            )
        else:
            detail.border_subtitle = (
                f"{len(rows) - table.hidden_rows:n} van {len(rows):n} rijen getoond; zoek met /"
                if table.hidden_rows
                else ""
            )
        return table

    def _rows(self, entity: str) -> list[Any]:
        """The rows of one entity's table, as the snapshot and the filter have them now."""
        snapshot = self.snapshot
        assert snapshot is not None
        rows = tables.decorate(
            entity,
            views.rows_for(entity, snapshot),
            _records(snapshot, entity),
            self._moves,
            snapshot.today,
        )
        return self._filtered(rows) if entity == "milestone" else rows

    def action_older(self) -> None:
        """The Logboek shows another page of older journal rows."""
        self._journal_pages += 1
        self.reload(set())

    def _watch(self) -> None:
        """Pick up what another process (CLI, import, a second window) wrote meanwhile."""
        if self.snapshot is None:
            return  # the first reading is still under way; this tick looks after it
        try:
            version = self.store.data_version()
            if version == self._data_version:
                return
            newest, entities = undo.changed_since(self.store, self._seen)
        except TrackerError:
            return  # busy or unreadable for a moment: the next tick looks again
        self._data_version = version
        if newest == self._seen and not entities:
            return
        self._seen = newest
        try:
            self.reload(entities - {"journal", "database", undo.EXPORT_ENTITY} or set())
        except TrackerError as error:
            self.notify(str(error), title="Niet bijgewerkt", severity="warning")

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
            shown: list[RenderableType] = [
                views.detail_for(table.entity, record, self.snapshot, lead_days)
            ]
            if table.entity == "benefit":
                chart = details.measurement_chart(record)
                if chart is not None:
                    shown.insert(0, chart)
            if table.entity in EDITABLE:
                own = self.store.journal(entity=table.entity, entity_id=record.id)
                shown.append(details.own_journal(own, self.snapshot))
            panel.update(Group(*shown))
        # The footer greys out record keys on an empty table; redraw it only when that changes.
        state = (self.active_tab, record is not None)
        if state != self._binding_state:
            self._binding_state = state
            self.refresh_bindings()

    @on(RecordTable.Chosen)
    def _chosen(self, event: RecordTable.Chosen) -> None:
        if event.table.entity in EDITABLE:
            self.action_edit()

    @on(WarningList.Open)
    def _open_warning(self, event: WarningList.Open) -> None:
        self.open_record(event.entity, event.record_id)

    def open_record(self, entity: str, record_id: int) -> None:
        """Show a record on its own tab with the cursor on it (a filter that hides it is cleared)."""
        tab = next(tab for tab, shown in TABS.items() if shown == entity)
        self.action_show_tab(tab)
        table = self.table_for(entity)
        if not table.select_record(record_id):
            table.filter("")
            self.query_one("#search", Input).value = ""
            table.select_record(record_id)
        table.focus()

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        # The Overzicht has its own card for the next board moment: the headline keeps one line.
        self.query_one(StatusHeader).set_class(self.active_tab == OVERVIEW, "-compact")
        if self.active_tab == OVERVIEW:
            self.query_one(WarningList).focus(scroll_visible=False)
            self.query_one("#search", Input).remove_class("-shown")
            if self._binding_state != (OVERVIEW, False):
                self._binding_state = (OVERVIEW, False)
                self.refresh_bindings()
            return
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
        if self.snapshot is None and action in _NEEDS_SNAPSHOT:
            return None  # still reading: shown greyed out until the records are there
        entities = _ACTIONS_FOR.get(action)
        if entities is None:
            return True
        if self.current_entity not in entities:
            return False
        if action in _NEEDS_RECORD and self.current_table.record_id is None:
            return None
        return True

    # --- tabs and search ---------------------------------------------------------------------

    def run_command(self, action: str, tab: str | None = None) -> None:
        """Run a screen action from the palette: on ``tab`` when given; a record action asked
        on the Overzicht works on the Mijlpalen tab (its cursor starts on the next moment)."""
        if self.snapshot is None and action in _NEEDS_SNAPSHOT:
            self.notify("De gegevens worden nog gelezen; een ogenblik.", severity="warning")
            return
        if tab is not None:
            self.action_show_tab(tab)
        elif self.active_tab == OVERVIEW and action in _ACTIONS_FOR:
            self.action_show_tab("tijdlijn")
        getattr(self, f"action_{action}")()

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

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def action_search(self) -> None:
        if self.active_tab == OVERVIEW:
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
        """Filter once typing pauses, so a long table never holds up the next key."""
        if self._search_timer is not None:
            self._search_timer.stop()
        table, text = self.current_table, event.value
        self._search_timer = self.set_timer(SEARCH_DELAY, lambda: table.filter(text))

    def _filtered(self, rows: list[Any]) -> list[Any]:
        chosen = self.milestone_filter
        line = self.query_one("#filter-line", Static)
        line.display = chosen.active
        if not chosen.active:
            return rows
        snapshot = self.snapshot
        assert snapshot is not None
        line.update(chosen.describe(snapshot.goals))
        warned = {
            record_id
            for entity, record_id in (w.subject_id for w in snapshot.warnings)
            if entity == "milestone"
        }
        keep = filters.kept_ids(snapshot.milestones, chosen, warned)
        return [row for row in rows if row.record_id in keep]

    def _refilter(self) -> None:
        self._stale.add("tijdlijn")
        self._drawn("tijdlijn")

    def action_filter(self) -> None:
        """Filter the milestones by body, status, goal, period and 'alleen waarschuwingen';
        on the Logboek, the journal by part and period."""
        if self.active_tab == "journaal":
            self._filter_journal()
            return
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
            FormField(
                "since",
                "vanaf",
                display.label(chosen.since),
                placeholder="bijv. 1 nov",
                hint=partial(date_hint, today=today, past=True),
            ),
            FormField(
                "until",
                "tot en met",
                display.label(chosen.until),
                placeholder="bijv. 31 dec",
                hint=partial(date_hint, today=today),
            ),
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
        today = self.hecht.today
        chosen = self.journal_filter
        parts = (*((kinds.noun(e), e) for e in EDITABLE), ("instellingen", "setting"))
        fields = [
            FormField("entity", "onderdeel", chosen.entity, options=parts, blank_label="(alle)"),
            FormField(
                "since",
                "vanaf",
                display.label(chosen.since),
                placeholder="bijv. 1 nov",
                hint=partial(date_hint, today=today, past=True),
            ),
            FormField(
                "until",
                "tot en met",
                display.label(chosen.until),
                placeholder="bijv. 30 nov",
                hint=partial(date_hint, today=today, past=True),
            ),
        ]

        def save(values: Mapping[str, Any], confirmed: frozenset[str]) -> Any:
            period = _period(values, today)
            return filters.JournalFilter(values["entity"], period["since"], period["until"])

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

    def action_sort(self) -> None:
        """Pick the column to sort by; the same column again reverses the order."""
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
            self._form_field(spec, getattr(record, spec.name), new=False, record=record)
            for spec in _editable_specs(entity)
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

    def _open_form(
        self,
        title: str,
        fields: list[FormField],
        save: SaveCallback,
        *,
        only_changed: bool,
        done: str,
    ) -> None:
        entity = self.current_entity

        def closed(record: Any) -> None:
            if record is None:
                return
            self.reload({entity})  # only what this form wrote is read again
            self.table_for(entity).select_record(record.id)
            self.notify(done.format(id=record.id))

        self.app.push_screen(
            FormScreen(title, fields, save, only_changed=only_changed, blink=self.hecht.blink),
            closed,
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
                placeholder=placeholder or _PLACEHOLDERS["date"],
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
            placeholder=_PLACEHOLDERS.get(spec.type, ""),
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

    def _write(self, entity: str, record_id: int, change: Callable[[], Any], done: str) -> None:
        """Run one store write; a refusal is shown in Dutch and the screen stays as it was."""
        try:
            change()
        except TrackerError as error:
            self.notify(str(error), title="Niet opgeslagen", severity="error")
            return
        self.reload({entity})
        self.table_for(entity).select_record(record_id)
        self.notify(done)

    def action_complete_action(self) -> None:
        """On Doelen: pick one of the goal's open actions and mark it done."""
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

    def action_help(self) -> None:
        from hecht_tracker.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())

    def action_undo(self) -> None:
        self._history(undo.undo, "Ongedaan gemaakt")

    def action_redo(self) -> None:
        self._history(undo.redo, "Opnieuw gedaan")

    def _history(self, step: Callable[[Store], undo.Change], done: str) -> None:
        try:
            change = step(self.store)
        except TrackerError as error:
            self.notify(str(error), severity="warning")
            return
        self.reload({row.entity for row in change.rows})
        first = change.rows[0]
        if first.entity in EDITABLE and first.entity_id is not None:
            self.table_for(first.entity).select_record(first.entity_id)
        self.notify(f"{done}: {change.describe()}.")

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
                    undo.delete(self.store, entity, record.id)
                except TrackerError as error:
                    self.notify(str(error), title="Niet verwijderd", severity="error")
                    return
                # A goal that goes is taken off its actions and milestones first.
                self.reload({entity, "milestone", "action"} if entity == "goal" else {entity})
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
            FormField(
                "date", "datum", dates.format_short(today), placeholder=_PLACEHOLDERS["date"]
            ),
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


def _editable_specs(entity: str) -> list[FieldSpec]:
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


def _records(snapshot: Snapshot, entity: str) -> Sequence[Any]:
    """All records of one entity in a snapshot."""
    pools: dict[str, Sequence[Any]] = {
        "milestone": snapshot.milestones,
        "action": snapshot.actions,
        "benefit": snapshot.benefits,
        "goal": snapshot.goals,
        "journal": snapshot.journal,
    }
    return pools[entity]


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
