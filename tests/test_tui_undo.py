"""Undo and redo as a store operation, from the CLI and on the journal (real database file)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from hecht_tracker.core.model import Status
from hecht_tracker.services.calendars import build_calendars
from hecht_tracker.storage import undo
from hecht_tracker.storage.store import Store
from tests.conftest import FixedClock


def test_undo_restores_a_field_and_redo_sets_it_again(store: Store, clock: FixedClock) -> None:
    store.update("milestone", 5, {"status": Status.DONE})
    clock.advance(seconds=1)
    change = undo.undo(store)
    assert store.milestone(5).status == Status.PLANNED
    assert "status" in change.describe()
    last = store.journal()[-1]
    assert last.note == f"ongedaan gemaakt (wijziging {change.id})"
    clock.advance(seconds=1)
    undo.redo(store)
    assert store.milestone(5).status == Status.DONE
    with pytest.raises(undo.NothingToUndo):
        undo.redo(store)


def test_two_undos_take_back_two_changes_in_reverse_order(store: Store, clock: FixedClock) -> None:
    store.update("milestone", 6, {"date": dt.date(2026, 12, 3)})
    clock.advance(seconds=1)
    store.update("milestone", 6, {"location": "Leiden"})
    clock.advance(seconds=1)
    undo.undo(store)
    assert store.milestone(6).location == ""
    assert store.milestone(6).date == dt.date(2026, 12, 3)
    clock.advance(seconds=1)
    undo.undo(store)
    assert store.milestone(6).date == dt.date(2026, 11, 26)


def test_a_new_change_after_undo_clears_redo(store: Store, clock: FixedClock) -> None:
    store.update("action", 1, {"owner": "Jan"})
    clock.advance(seconds=1)
    undo.undo(store)
    clock.advance(seconds=1)
    store.update("action", 2, {"owner": "Piet"})
    with pytest.raises(undo.NothingToUndo):
        undo.redo(store)


def test_milestone_added_and_undone_before_export_leaves_nothing_in_calendars(
    store: Store, clock: FixedClock
) -> None:
    before = build_calendars(store)
    added = store.add(
        "milestone", {"title": "Extra DB-vergadering", "date": dt.date(2026, 12, 3), "body": "DB"}
    )
    clock.advance(seconds=1)
    undo.undo(store)
    assert not store.id_exists("milestone", added.id)
    after = build_calendars(store)
    assert set(after) == set(before)
    for content in after.values():
        assert added.uid.encode() not in content
        assert b"Extra DB-vergadering" not in content
    clock.advance(seconds=1)
    undo.redo(store)
    back = store.milestone(added.id)
    assert (back.uid, back.title) == (added.uid, added.title)


def test_milestone_undone_after_an_export_is_cancelled(store: Store, clock: FixedClock) -> None:
    added = store.add(
        "milestone", {"title": "Extra DB-vergadering", "date": dt.date(2026, 12, 3), "body": "DB"}
    )
    clock.advance(seconds=1)
    undo.record_export(store)
    clock.advance(seconds=1)
    undo.undo(store)
    assert store.milestone(added.id).status == Status.CANCELLED
    assert b"CANCELLED" in build_calendars(store)["db.ics"]
    clock.advance(seconds=1)
    undo.redo(store)  # the milestone is back as it was
    assert store.milestone(added.id).status == Status.PLANNED


def test_removed_action_comes_back_with_the_same_id(store: Store, clock: FixedClock) -> None:
    action = store.action(3)
    undo.delete(store, "action", 3)
    clock.advance(seconds=1)
    undo.undo(store)
    assert store.action(3) == action


def test_measurement_undo_and_redo(store: Store, clock: FixedClock) -> None:
    store.add_measurement(1, "behaald", dt.date(2026, 11, 23))
    clock.advance(seconds=1)
    undo.undo(store)
    assert store.benefit(1).measurements == ()
    clock.advance(seconds=1)
    undo.redo(store)
    assert [m.value for m in store.benefit(1).measurements] == ["behaald"]


def test_nothing_to_undo_on_a_fresh_database(store: Store) -> None:
    with pytest.raises(undo.NothingToUndo, match="niets om ongedaan te maken"):
        undo.undo(store)


def run_cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hecht_tracker", "--db", str(db), "--today", "2026-11-23", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_cli_undo_and_redo(db_path: Path) -> None:
    assert run_cli(db_path, "milestone", "update", "6", "--status", "afgerond").returncode == 0
    done = run_cli(db_path, "undo")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Ongedaan gemaakt: mijlpaal 6: status")
    with Store.open(db_path) as store:
        assert store.milestone(6).status == Status.PLANNED
    again = run_cli(db_path, "redo")
    assert again.returncode == 0 and again.stdout.startswith("Opnieuw gedaan:")
    nothing = run_cli(db_path, "redo")
    assert nothing.returncode != 0
    assert nothing.stderr.strip() == "Fout: Er is niets om opnieuw te doen."


def test_journal_pages_run_newest_back_and_deadline_moves_are_counted(
    store: Store, clock: FixedClock
) -> None:
    had_deadline = store.action(1).due_date is not None
    for day in (1, 2, 3):
        clock.advance(seconds=1)
        store.update("action", 1, {"due_date": dt.date(2026, 12, day)})
    newest = undo.journal_page(store, 2)
    assert [e.new for e in newest] == ["2026-12-02", "2026-12-03"]  # oldest first
    older = undo.journal_page(store, 2, before=newest[0].id)
    assert older[-1].new == "2026-12-01" and len(older) == 2
    assert undo.deadline_moves(store)[1] == (3 if had_deadline else 2)


def test_an_import_is_one_change_undone_whole_even_beyond_the_window(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(undo, "WINDOW", 5)  # the import has more rows than undo looks back
    before = len(store.actions())
    rows = ((f"rij {i}", {"title": f"Actie {i}"}) for i in range(12))
    store.import_records("action", rows)
    change = undo.undo(store)
    assert len(change.rows) == 12
    assert len(store.actions()) == before
