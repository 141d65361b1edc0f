"""Undo and redo on the main screen, and the live refresh after changes by others."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from hecht_tracker.core.errors import TrackerError
from hecht_tracker.storage import undo
from hecht_tracker.tui.screens.table_screen import TableScreen
from hecht_tracker.tui.screens.tabs import EDITABLE

if TYPE_CHECKING:
    from hecht_tracker.storage.store import Store


class History(TableScreen):
    """Undo, redo, and picking up what another process wrote meanwhile."""

    def _watch(self) -> None:
        """Pick up what another process (CLI, import, a second window) wrote meanwhile."""
        if self.snapshot is None:
            return  # the first reading is still under way; a later tick looks after it
        try:
            version = self.store.data_version()
            if version == self._data_version:
                return
            newest, entities = undo.changed_since(self.store, self._seen)
        except TrackerError:
            return  # busy or unreadable for a moment: the next tick looks again
        self._data_version = version
        if self._damage:  # a repair (by the CLI, or by hand) takes the warning away again
            self.hecht.check_database()
        if newest == self._seen and not entities:
            return
        self._seen = newest
        try:
            self.reload(entities - {"journal", "database", undo.EXPORT_ENTITY} or set())
        except TrackerError as error:
            self.notify(str(error), title="Niet bijgewerkt", severity="warning")

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
