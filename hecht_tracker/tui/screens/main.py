"""The main screen: tabs with the timeline, actions, benefits, goals and journal, and the
keys that change them (each kind of action lives in its own module)."""

from __future__ import annotations

import gc
from typing import Any, ClassVar

from rich.console import Group, RenderableType
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Footer, Input, Static, TabbedContent, TabPane

from hecht_tracker.storage import undo
from hecht_tracker.tui.presenters import details, overview, tables
from hecht_tracker.tui.screens import views
from hecht_tracker.tui.screens.browsing import Browsing
from hecht_tracker.tui.screens.editing import Editing
from hecht_tracker.tui.screens.history import History
from hecht_tracker.tui.screens.record_actions import RecordActions
from hecht_tracker.tui.screens.table_screen import cap_note
from hecht_tracker.tui.screens.tabs import (
    ACTIONS_FOR,
    EDITABLE,
    NEEDS_RECORD,
    NEEDS_SNAPSHOT,
    OVERVIEW,
    TAB_TITLES,
    TABS,
    WATCH_SECONDS,
    WIDE,
)
from hecht_tracker.tui.widgets import DetailPanel, RecordTable, StatusHeader, WarningList
from hecht_tracker.tui.widgets.overview import OverviewPane

# The line above a tab's table: the active filter, or the benefits' summary (which has markup).
LINE_ABOVE = {
    "milestone": "filter-line",
    "benefit": "benefit-summary",
    "journal": "journal-filter-line",
}


class MainScreen(Editing, RecordActions, Browsing, History):
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
        Binding("t", "new_action_for_goal", "actie toevoegen", id="new-action", show=False),
        Binding("plus", "older", "ouder", id="older", show=False),
        Binding("f", "filter", "filter", id="filter", show=False),
        Binding("F", "clear_filter", "filter wissen", id="clear-filter", show=False),
        Binding("l", "record_journal", "logboek", id="record-journal", show=False),
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

    def compose(self) -> ComposeResult:
        # A large database is read after the first frame. The tables of the tabs out of view
        # are mounted after it too: they are most of the screen's widgets, and that frame
        # comes sooner without them (Textual's own advice for tab panes, see textual.lazy).
        self._reads_later = (
            self.store.path is not None
            and self.store.record_count() >= self.hecht.load_in_background_from
        )
        self._tables_mounted = not self._reads_later
        yield StatusHeader(id="headline")
        with TabbedContent(id="tabs", initial=OVERVIEW):
            with TabPane(TAB_TITLES[OVERVIEW], id=OVERVIEW):
                yield OverviewPane(id="overview")
            for tab, entity in TABS.items():
                with TabPane(TAB_TITLES[tab], id=tab):
                    if self._tables_mounted:
                        yield from self._tab_body(tab, entity)
        search = Input(placeholder="Zoek in deze tabel… (enter: klaar, esc: wissen)", id="search")
        search.cursor_blink = self.hecht.blink
        yield search
        yield Footer(show_command_palette=False, compact=True)

    def _tab_body(self, tab: str, entity: str) -> list[Widget]:
        """What a record tab holds: its filter line, if any, and its table beside its details."""
        body: list[Widget] = []
        if entity in LINE_ABOVE:
            body.append(Static("", id=LINE_ABOVE[entity], markup=entity == "benefit"))
        table = RecordTable(
            entity,
            (*views.COLUMNS[entity], *tables.EXTRA_COLUMNS.get(entity, ())),
            flex_column=views.FLEX_COLUMNS[entity],
            priorities=tables.PRIORITIES[entity],
            id=f"table-{tab}",
        )
        detail = DetailPanel("", id=f"detail-{tab}")
        detail.border_title = "Details"
        body.append(Horizontal(table, detail, classes="pane-body"))
        return body

    def on_resize(self) -> None:
        # From 130 columns the details stand beside the table instead of under it.
        wide = self.size.width >= WIDE
        for body in self.query(".pane-body"):
            body.set_class(wide, "-wide")

    def on_mount(self) -> None:
        self._data_version = self.store.data_version()
        self.set_interval(WATCH_SECONDS, self._watch)
        self.query_one(WarningList).focus(scroll_visible=False)
        if self._reads_later:
            # A large database: the first frame comes at once, the tables and records follow.
            self.query_one(OverviewPane).loading = True
            self.query_one(StatusHeader).update(
                views.loading_headline(self.store.settings().organisation, self.hecht.today)
            )
            # Once the first frame is painted: the reading thread would otherwise compete
            # with that paint for the interpreter.
            self.call_after_refresh(self._mount_tables_then_load)
        else:
            # A small one is read before the first frame: no flash of an empty screen.
            self.reload()
            self._first_shown()

    async def _mount_tables_then_load(self) -> None:
        """Mount the record tabs left out of the first frame, then read the records."""
        for tab, entity in TABS.items():
            await self.query_one(f"#{tab}", TabPane).mount_all(self._tab_body(tab, entity))
        self._tables_mounted = True
        self.on_resize()
        if self.active_tab != OVERVIEW:  # a tab chosen meanwhile gets its table's focus
            self._tab_changed()
        self._load_in_background()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load_in_background(self) -> None:
        """Read everything on a connection of the worker's own, then show it on the UI thread."""
        with self.hecht.reading_store() as reading:
            read = self._read(reading, None, set(), everything=True)
            seen = undo.changed_since(reading, 0)[0]
            # Reading every record is what db check does to find damaged ones; on a large
            # database that finding stands in for a second full pass (and its journal replay).
            damaged = list(reading.damaged_records().values())

        def show() -> None:
            if self.snapshot is not None:
                return  # a write or a refresh on the UI thread came first; it is newer
            self.snapshot, self._moves = read
            self._seen = seen
            self.query_one(OverviewPane).loading = False
            self._show(set(TABS.values()))
            self._first_shown(check=False)
            # The records read at start stay for the session: the collector need not walk
            # them on every pass (each pass over a large heap is a pause the user feels).
            gc.freeze()
            if damaged:
                self.hecht.show_damage(len(damaged), damaged)

        self.app.call_from_thread(show)

    def _first_shown(self, *, check: bool = True) -> None:
        """The cursor of the Mijlpalen starts on the next board moment; then ``db check`` runs
        in a thread (after the first frame, and never while a worker still reads records)."""
        assert self.snapshot is not None
        if self.snapshot.next_moment is not None:
            self.table_for("milestone").select_record(self.snapshot.next_moment.milestone.id)
        if check:
            self.call_after_refresh(self.hecht.check_database)

    @on(RecordTable.Highlighted)
    def _show_detail(self, event: RecordTable.Highlighted) -> None:
        table = event.table
        tab = next(tab for tab, entity in TABS.items() if entity == table.entity)
        # The same record of the same snapshot shows the same details: a search that keeps the
        # cursor where it was does not lay the panel out again.
        empty = event.record_id is None  # then the text says why: a search, a filter
        shown = (
            event.record_id,
            self.snapshot,
            empty and bool(table.query_text),
            self.journal_filter if empty else None,
        )
        if not _same_details(self._details_shown.get(tab), shown):
            self._details_shown[tab] = shown
            panel = self.query_one(f"#detail-{tab}", DetailPanel)
            self._update_detail(table, panel, event.record_id)
        if table.entity != "journal":
            # A search changes how many rows match; the note under the details follows it.
            self.query_one(f"#detail-{tab}", DetailPanel).border_subtitle = cap_note(table)

    def _update_detail(self, table: RecordTable, panel: DetailPanel, record_id: int | None) -> None:
        record = None
        if record_id is not None and self.snapshot is not None:
            record = self.snapshot.record(table.entity, record_id)
        if record is None:
            if table.query_text:
                panel.update("Niets gevonden.")
            elif table.entity == "journal":
                panel.update(
                    "Geen regels in het logboek voor dit filter (F: alles)."
                    if self.journal_filter.active
                    else "Het logboek is nog leeg."
                )
            else:
                panel.update("Nog niets ingevoerd — druk n voor nieuw.")
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
        if event.entity == overview.DAMAGE:
            shown = "\n".join(f"• {problem}" for problem in self._damage[:5])
            more = len(self._damage) - 5
            self.notify(
                shown + (f"\n… en nog {more}; draai hecht-tracker db check" if more > 0 else ""),
                title="Wat db check vond",
                severity="warning",
                timeout=20,
                markup=False,  # the problems quote stored values as they are
            )
            return
        self.open_record(event.entity, event.record_id)

    def show_damage(self, records: int, problems: list[str]) -> bool:
        """Put what ``db check`` found at the head of the warnings; True when that is news
        (the user is told once, not after every reload that finds the same)."""
        news = problems != self._damage
        self._damage = problems
        pane = self.query_one(OverviewPane)
        pane.damage = overview.damage_notice(records, len(problems))
        if self.snapshot is not None:
            pane.show(self.snapshot)
        return news and bool(problems)

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
        if not self._tables_mounted:
            return  # mounted in a moment, and then this runs again
        search = self.query_one("#search", Input)
        table = self.current_table
        search.value = table.query_text
        if self._search_on_tab_change:
            self._search_on_tab_change = False
            search.add_class("-shown")
            search.focus()
        else:
            search.set_class(bool(table.query_text), "-shown")
            table.focus()
        state = (self.active_tab, table.record_id is not None)
        if state != self._binding_state:
            self._binding_state = state
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.snapshot is None and action in NEEDS_SNAPSHOT:
            return None  # still reading: shown greyed out until the records are there
        entities = ACTIONS_FOR.get(action)
        if entities is None:
            return True
        if self.current_entity not in entities:
            return False
        if action in NEEDS_RECORD and self.current_table.record_id is None:
            return None
        return True

    # --- tabs and search ---------------------------------------------------------------------

    def run_command(self, action: str, tab: str | None = None) -> None:
        """Run a screen action from the palette: on ``tab`` when given; a record action asked
        on the Overzicht works on the Mijlpalen tab (its cursor starts on the next moment)."""
        if self.snapshot is None and action in NEEDS_SNAPSHOT:
            self.notify("De gegevens worden nog gelezen; een ogenblik.", severity="warning")
            return
        if tab is not None:
            self.action_show_tab(tab)
        elif self.active_tab == OVERVIEW and action in ACTIONS_FOR:
            self.action_show_tab("tijdlijn")
        getattr(self, f"action_{action}")()

    def action_help(self) -> None:
        from hecht_tracker.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())


def _same_details(before: tuple[Any, ...] | None, now: tuple[Any, ...]) -> bool:
    """Whether the details panel shows ``now`` already: the same record, the same snapshot
    object (a reload makes a new one) and, on an empty table, the same reason it is empty."""
    return (
        before is not None and before[0] == now[0] and before[1] is now[1] and before[2:] == now[2:]
    )
