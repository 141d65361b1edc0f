"""The transaction helper's guards, record versions against lost updates, journal change numbers,
and SQLite's errors reaching the doors as the store's own Dutch error."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from conftest import FixedClock

from hecht_tracker.core.errors import ConflictError, DatabaseError
from hecht_tracker.storage import connection
from hecht_tracker.storage.connection import Transactions
from hecht_tracker.storage.store import Store

DB_26_NOV = 6


def snapshot(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, read through a separate connection."""
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        result = {t: conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}
    conn.close()
    return result


# --- the transaction helper -------------------------------------------------------------------


def test_a_failing_nested_step_is_undone_and_the_rest_commits(store: Store, db_path: Path) -> None:
    with store._transaction():
        store.conn.execute("UPDATE milestone SET location = 'Leiden' WHERE id = 2")
        with pytest.raises(ZeroDivisionError), store._transaction():
            store.conn.execute("UPDATE milestone SET location = 'Gouda' WHERE id = 3")
            raise ZeroDivisionError
    other = sqlite3.connect(db_path)
    locations = dict(other.execute("SELECT id, location FROM milestone WHERE id IN (2, 3)"))
    other.close()
    assert locations == {2: "Leiden", 3: ""}


def test_a_commit_that_fails_is_rolled_back_and_leaves_no_open_transaction(
    store: Store, db_path: Path
) -> None:
    before = snapshot(db_path)
    with pytest.raises(DatabaseError, match="weigerde de wijziging"), store._transaction():
        # A deferred foreign key is only checked at COMMIT.
        store.conn.execute("PRAGMA defer_foreign_keys = ON")
        store.conn.execute("UPDATE milestone SET location = 'Leiden' WHERE id = 2")
        store.conn.execute("INSERT INTO milestone_goal (milestone_id, goal_id) VALUES (2, 999)")
    assert not store.conn.in_transaction
    assert snapshot(db_path) == before
    store.update("milestone", 2, {"location": "Gouda"})  # the connection is usable again
    assert store.milestone(2).location == "Gouda"


def test_an_error_after_the_transaction_already_ended_is_not_hidden(store: Store) -> None:
    with pytest.raises(ValueError, match="de echte fout"), store._transaction():
        store.conn.execute("ROLLBACK")  # as RAISE(ROLLBACK) in a trigger would
        raise ValueError("de echte fout")
    with (
        pytest.raises(ValueError, match="ook hier"),
        store._transaction(),
        store._transaction(),  # a savepoint inside
    ):
        store.conn.execute("ROLLBACK")
        raise ValueError("ook hier")
    assert not store.conn.in_transaction


def test_every_write_takes_the_write_lock_before_reading(db_path: Path) -> None:
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        waiting = sqlite3.connect(db_path, timeout=0.1, isolation_level=None)
        helper = Transactions(waiting, "hecht.sqlite")
        with pytest.raises(DatabaseError, match="bezet"), helper():
            pytest.fail("the block must not run without the write lock")
        assert not waiting.in_transaction
        waiting.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_sqlite_errors_reach_the_caller_as_a_dutch_database_error(store: Store) -> None:
    store.conn.execute("DROP TABLE measurement")
    with pytest.raises(DatabaseError, match="gaf een fout") as caught:
        store.benefits()
    assert not isinstance(caught.value, sqlite3.Error)
    with pytest.raises(DatabaseError):
        store.add_measurement(11, "5%", dt.date(2026, 11, 1))


def test_a_write_to_a_read_only_database_is_a_dutch_error(db_path: Path) -> None:
    before = snapshot(db_path)
    with (
        Store.open(db_path, read_only=True) as reader,
        pytest.raises(DatabaseError, match="alleen-lezen"),
    ):
        reader.update("milestone", 2, {"location": "x"})
    assert snapshot(db_path) == before


def test_a_busy_database_is_a_dutch_error_not_a_traceback(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_SECONDS", 0.1)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with Store.open(db_path) as store:
            store.conn.execute("PRAGMA busy_timeout = 100")
            with pytest.raises(DatabaseError, match="bezet"):
                store.update("milestone", 2, {"location": "x"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()


# --- versions ---------------------------------------------------------------------------------


def test_a_new_record_has_version_1_and_every_write_raises_it_by_one(store: Store) -> None:
    action = store.add("action", {"title": "Agenda rondsturen"})
    assert action.version == 1
    assert store.update("action", action.id, {"owner": "Hecht"}).version == 2
    assert store.update("action", action.id, {"owner": "Hecht"}).version == 2  # nothing changed
    milestone = store.update("milestone", DB_26_NOV, {"location": "Leiden", "notes": "zaal 2"})
    assert milestone.version == 2
    assert store.update("milestone", DB_26_NOV, {"goal_ids": (1,)}).version == 3
    assert store.update("goal", 1, {"title": "Gezond opgroeien"}).version == 2
    assert store.programme(1).version == 1


def test_a_write_based_on_a_stale_version_is_refused_and_changes_nothing(
    store: Store, db_path: Path
) -> None:
    seen = store.milestone(DB_26_NOV)
    store.update("milestone", DB_26_NOV, {"location": "Leiden"})
    store.update("milestone", DB_26_NOV, {"location": "Gouda"})
    store.update("milestone", DB_26_NOV, {"location": "Alphen"})
    before = snapshot(db_path)
    with pytest.raises(ConflictError) as caught:
        store.update(
            "milestone", DB_26_NOV, {"title": "Mijn versie"}, expected_version=seen.version + 2
        )
    assert str(caught.value) == (
        "Mijlpaal 6 is intussen gewijzigd (versie 4, u bewerkte versie 3); "
        "laad opnieuw en probeer het nog eens."
    )
    assert snapshot(db_path) == before
    with pytest.raises(ConflictError, match="Actie 1 is intussen gewijzigd"):
        store.update("action", 1, {"owner": "x"}, expected_version=7)
    with pytest.raises(ConflictError):
        store.delete("action", 1, expected_version=2)
    assert snapshot(db_path) == before
    current = store.milestone(DB_26_NOV).version
    updated = store.update(
        "milestone", DB_26_NOV, {"title": "Mijn versie"}, expected_version=current
    )
    assert updated.title == "Mijn versie" and updated.version == current + 1


def test_two_connections_cannot_both_write_on_the_same_version(db_path: Path) -> None:
    with Store.open(db_path) as first, Store.open(db_path) as second:
        copy_first = first.milestone(DB_26_NOV)
        copy_second = second.milestone(DB_26_NOV)
        first.update(
            "milestone", DB_26_NOV, {"location": "Leiden"}, expected_version=copy_first.version
        )
        with pytest.raises(ConflictError):
            second.update(
                "milestone", DB_26_NOV, {"location": "Gouda"}, expected_version=copy_second.version
            )
        assert second.milestone(DB_26_NOV).location == "Leiden"


def test_data_version_moves_when_another_connection_commits(db_path: Path) -> None:
    with Store.open(db_path) as watcher, Store.open(db_path) as writer:
        seen = watcher.data_version()
        assert watcher.data_version() == seen
        writer.update("milestone", 2, {"location": "Leiden"})
        assert watcher.data_version() != seen


# --- journal change numbers -------------------------------------------------------------------


def test_the_rows_of_one_write_share_one_change_number(store: Store, clock: FixedClock) -> None:
    start = len(store.journal())
    store.update("milestone", DB_26_NOV, {"location": "Leiden", "notes": "zaal 2"})
    clock.advance(seconds=1)
    store.update("milestone", DB_26_NOV, {"title": "Ander"})
    rows = store.journal()[start:]
    assert [r.field for r in rows] == ["location", "notes", "title"]
    assert rows[0].change == rows[1].change == rows[0].id
    assert rows[2].change == rows[2].id != rows[0].change


def test_an_import_is_one_change(store: Store) -> None:
    start = len(store.journal())
    store.import_records(
        "action", [("rij 2", {"title": "Een"}), ("rij 3", {"title": "Twee"})], "import"
    )
    rows = store.journal()[start:]
    assert len(rows) == 2 and {r.change for r in rows} == {rows[0].id}
