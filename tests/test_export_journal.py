"""An export is noted in the journal once per change, so undo knows what subscribers may have."""

from __future__ import annotations

from pathlib import Path

from hecht_tracker.services.calendars import export_calendars
from hecht_tracker.storage import undo
from hecht_tracker.storage.store import Store
from tests.conftest import FixedClock


def _export_notes(store: Store) -> int:
    return sum(1 for entry in store.journal() if entry.entity == undo.EXPORT_ENTITY)


def test_exporting_an_unchanged_database_again_adds_no_journal_row(
    store: Store, clock: FixedClock, tmp_path: Path
) -> None:
    export_calendars(store, tmp_path)
    undo.record_export(store)
    clock.advance(seconds=1)
    export_calendars(store, tmp_path)
    undo.record_export(store)
    assert _export_notes(store) == 1
    store.update("milestone", 6, {"location": "Leiden"})
    undo.record_export(store)
    assert _export_notes(store) == 2
