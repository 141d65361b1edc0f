"""The shared base of the main screen: its snapshot of the store, the tables that show it,
and reading again after a write."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static, TabbedContent

from hecht_tracker.core.errors import TrackerError
from hecht_tracker.core.snapshot import Snapshot
from hecht_tracker.storage import undo
from hecht_tracker.tui.presenters import filters, overview
from hecht_tracker.tui.screens import views
from hecht_tracker.tui.screens.form_model import FormField, SaveCallback
from hecht_tracker.tui.screens.tabs import JOURNAL_PAGE, OVERVIEW, TABS, Host
from hecht_tracker.tui.widgets import DetailPanel, RecordTable, StatusHeader
from hecht_tracker.tui.widgets.overview import OverviewPane

if TYPE_CHECKING:
    from hecht_tracker.storage.store import Store


class TableScreen(Screen[None]):
    """The state every part of the main screen shares: the store, one snapshot of it, the
    tables and their details; reading it again, and running a write or a form."""

    def __init__(self) -> None:
        super().__init__()
        self.snapshot: Snapshot | None = None
        self._seen = 0  # the newest journal row this screen has shown
        self._search_on_tab_change = False  # "/" on the Overzicht: focus search, not the table
        self.milestone_filter = filters.MilestoneFilter()
        self.journal_filter = filters.JournalFilter()
        self._moves: dict[int, int] = {}
        self._journal_pages = 1
        self._data_version = -1
        self._binding_state: tuple[str, bool] | None = None
        # Per tab, what its details panel shows (see MainScreen._show_detail).
        self._details_shown: dict[str, tuple[Any, ...]] = {}
        self._damage: list[str] = []  # what db check last found in the file
        self._stale: set[str] = set()  # tabs whose table is behind the snapshot

    @property
    def hecht(self) -> Host:
        return cast(Host, self.app)

    @property
    def store(self) -> Store:
        return self.hecht.store

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
        return self.table_in(tab)

    def table_for(self, entity: str) -> RecordTable:
        tab = next(tab for tab, shown in TABS.items() if shown == entity)
        return self.table_in(tab)

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
        partial read, ``old`` keeps what did not change. Touches no widget (a worker may call
        it, on a connection of its own)."""
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
                entity_id=chosen.record_id,
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
        tables of the other tabs are drawn when they come into view (see :meth:`table_in`)."""
        snapshot = self.snapshot
        assert snapshot is not None
        self.query_one(StatusHeader).update(
            views.headline(snapshot, snapshot.settings.organisation)
        )
        self._stale.update(tab for tab, entity in TABS.items() if entity in redraw)
        self._stale.add("journaal")
        if self.active_tab in TABS:
            self.table_in(self.active_tab)
        self.query_one(OverviewPane).show(snapshot)
        self.query_one("#benefit-summary", Static).update(
            Content.from_markup(overview.benefit_categories(snapshot.benefits, snapshot.programmes))
        )
        chosen = self.journal_filter
        line = self.query_one("#journal-filter-line", Static)
        line.display = chosen.active
        line.update(chosen.describe() if chosen.active else "")
        self.refresh_bindings()

    def table_in(self, tab: str) -> RecordTable:
        """The table of ``tab``, first brought up to date with the snapshot if it fell behind
        (a tab out of view is drawn only when asked for)."""
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
            detail.border_subtitle = cap_note(table)
        return table

    def _rows(self, entity: str) -> list[Any]:
        """The rows of one entity's table, as the snapshot and the filter have them now."""
        snapshot = self.snapshot
        assert snapshot is not None
        rows = views.rows_for(entity, snapshot, self._moves)
        return self._filtered(rows) if entity == "milestone" else rows

    def selected(self) -> Any:
        """The highlighted record of the current tab, or None."""
        record_id = self.current_table.record_id
        if record_id is None or self.snapshot is None:
            return None
        return self.snapshot.record(self.current_entity, record_id)

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

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
        self.table_in("tijdlijn")

    def _open_form(
        self,
        title: str,
        fields: list[FormField],
        save: SaveCallback,
        *,
        only_changed: bool,
        done: str,
        entity: str | None = None,
        stay_on: tuple[str, int] | None = None,
    ) -> None:
        """Show a form for ``entity`` (default: the current tab's); after a save, read that
        entity again and put the cursor on the saved record, or on ``stay_on`` (entity, id)."""
        from hecht_tracker.tui.screens.form import FormScreen  # loaded when a form opens

        written = entity or self.current_entity

        def closed(record: Any) -> None:
            if record is None:
                return
            self.reload({written})  # only what this form wrote is read again
            shown, record_id = stay_on or (written, record.id)
            self.table_for(shown).select_record(record_id)
            self.notify(done.format(id=record.id))

        self.app.push_screen(
            FormScreen(title, fields, save, only_changed=only_changed, blink=self.hecht.blink),
            closed,
        )

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


def cap_note(table: RecordTable) -> str:
    """Under the details, when the table holds fewer rows than match: how many it shows."""
    if not table.hidden_rows:
        return ""
    matched = table.matching_rows
    shown = matched - table.hidden_rows
    if table.query_text:
        return f"{shown:n} van {matched:n} gevonden rijen getoond; verfijn de zoekterm"
    return f"{shown:n} van {matched:n} rijen getoond; zoek met /"
