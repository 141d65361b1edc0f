"""`db check` finds damage and disagreement between the journal and the data; a damaged
database is refused for writing and points to `db restore`."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import FixedClock
from safety_helpers import damage_table_page, hecht, run

from hecht_tracker.core.errors import DatabaseError
from hecht_tracker.core.model import Status
from hecht_tracker.storage import check
from hecht_tracker.storage.store import Store


def test_the_seeded_database_has_no_problems(db_path: Path) -> None:
    result = hecht(db_path, "db", "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "Geen problemen gevonden.\n"


def test_every_kind_of_write_keeps_the_journal_in_agreement(store: Store, db_path: Path) -> None:
    store.update("milestone", 6, {"location": "Leiden", "goal_ids": (1, 2)}, "zaal")
    store.update("milestone", 6, {"location": "Delft", "start_time": dt.time(10, 0)})
    store.update("milestone", 7, {"documents_due": dt.date(2026, 12, 1)})
    store.update("milestone", 7, {"date": dt.date(2026, 12, 17)})
    new = store.add("milestone", {"title": "Extra DB", "date": dt.date(2027, 1, 14), "body": "DB"})
    store.update("milestone", new.id, {"depends_on": (6,)})
    store.delete("milestone", new.id, "vervalt")
    action = store.add("action", {"title": "Bellen", "owner": "PM"})
    store.update("action", action.id, {"status": Status.DONE})
    store.update("action", action.id, {"status": Status.PLANNED})
    store.delete("action", action.id)
    again = store.add("action", {"title": "Opnieuw bellen"})  # may reuse the deleted id
    store.update("action", again.id, {"title": "Nog eens bellen"})
    store.delete("goal", 3, "samengevoegd")
    store.add_measurement(1, "7%", dt.date(2026, 11, 1))
    store.update_settings({"reminder_minutes": 60, "documents_lead_days": {"AB": 8, "DB": 5}})
    store.import_records(
        "action", [("rij 2", {"title": "Geïmporteerd"}), ("rij 3", {"title": "Nog een"})]
    )
    report = check.check(db_path)
    assert report.problems == []


def test_undo_and_redo_keep_the_journal_in_agreement(store: Store, db_path: Path) -> None:
    from hecht_tracker.storage import undo

    store.update("milestone", 6, {"location": "Leiden", "goal_ids": (1,)})
    action = store.add("action", {"title": "Bellen"})
    store.add_measurement(1, "7%", dt.date(2026, 11, 1))
    undo.delete(store, "action", 2)
    for _ in range(4):
        undo.undo(store)
    assert check.check(db_path).problems == []
    for _ in range(3):
        undo.redo(store)
    assert store.action(action.id).title == "Bellen"
    assert check.check(db_path).problems == []


def tamper(path: Path, sql: str) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(sql)
    conn.close()


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("UPDATE milestone SET location = 'Ergens' WHERE id = 2", None),
        ("UPDATE milestone SET title = 'Anders' WHERE id = 6", "Mijlpaal 6, title"),
        ("UPDATE action SET owner = 'Niemand' WHERE id = 1", "Actie 1, owner"),
        ("DELETE FROM action WHERE id = 1", "Actie 1 ontbreekt"),
        (
            "INSERT INTO action (uid, kind, title, status, created, updated) VALUES "
            "('x@y', 'action', 'Stiekem', 'planned', '2027-01-01T00:00:00Z', '2027-01-01T00:00:00Z')",
            "geen journaalregel 'aangemaakt'",
        ),
        ("DELETE FROM milestone_goal WHERE milestone_id = 6", "Mijlpaal 6, goal_ids"),
        ("UPDATE setting SET value = '5' WHERE key = 'reminder_minutes'", "reminder_minutes"),
        ("DELETE FROM measurement", "ontbreekt"),
    ],
)
def test_a_value_changed_behind_the_journal_is_reported(
    store: Store, db_path: Path, sql: str, expected: str | None
) -> None:
    store.update("milestone", 6, {"location": "Leiden", "goal_ids": (1,)}, "zaal")
    store.update("milestone", 6, {"title": "DB stuurt het werkplan door"})
    store.update("action", 1, {"owner": "Secretariaat"})
    store.update_settings({"reminder_minutes": 60})
    store.add_measurement(1, "7%", dt.date(2026, 11, 1))
    store.close()
    tamper(db_path, sql)
    result = run(db_path, "db", "check")
    if expected is None:  # a field the journal never mentions can only be checked by later rows
        assert result.returncode == 0, result.stdout
        return
    assert result.returncode == 1
    assert "gevonden in" in result.stdout
    assert expected in result.stdout
    assert "Traceback" not in result.stderr


def test_a_seeded_record_with_a_value_typed_in_by_hand_is_reported(db_path: Path) -> None:
    # The seed writes no journal row per record, so only reading the values finds this.
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE milestone SET date = '2026-13-45' WHERE id = 4")
        conn.execute("UPDATE action SET due_date = 'gisteren' WHERE id = 1")
    conn.close()
    report = check.check(db_path)
    assert report.records == {("milestone", 4), ("action", 1)}
    assert any("Mijlpaal 4" in p and "'2026-13-45' is onleesbaar" in p for p in report.problems)
    result = hecht(db_path, "db", "check")
    assert result.returncode == 1
    assert "2 problemen gevonden" in result.stdout and "Actie 1 in de database" in result.stdout


def test_a_lost_update_breaks_the_chain_of_the_journal(store: Store, db_path: Path) -> None:
    store.update("milestone", 6, {"location": "Leiden"})
    store.close()
    # A second writer that read 'Leiden' too late: its row says it changed '' to 'Delft'.
    tamper(
        db_path,
        "INSERT INTO journal (at, entity, entity_id, field, old, new, note) "
        "VALUES ('2026-11-02T10:00:00Z', 'milestone', 6, 'location', '', 'Delft', '')",
    )
    tamper(db_path, "UPDATE milestone SET location = 'Delft' WHERE id = 6")
    problems = check.check(db_path).problems
    assert problems == [
        "Mijlpaal 6, location: het journaal springt van 'Leiden' naar een wijziging vanaf ''."
    ]


@pytest.fixture
def damaged_copy(db_path: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "kapot" / "hecht.sqlite"
    copy.parent.mkdir()
    shutil.copyfile(db_path, copy)
    damage_table_page(copy, "action")
    return copy


def test_db_check_reports_damaged_pages(damaged_copy: Path) -> None:
    result = run(damaged_copy, "db", "check")
    assert result.returncode == 1
    assert "Beschadigd:" in result.stdout
    assert "db restore" in result.stdout


def test_a_damaged_database_is_refused_for_writing_and_left_alone(
    damaged_copy: Path, clock: FixedClock
) -> None:
    before = damaged_copy.read_bytes()
    with Store.open(damaged_copy, clock=clock) as store:
        with pytest.raises(DatabaseError, match=r"is beschadigd.*db restore"):
            store.update("milestone", 6, {"location": "Leiden"})
        with pytest.raises(DatabaseError, match="is beschadigd"):
            store.update("milestone", 6, {"location": "Leiden"})  # and again: not remembered
    assert damaged_copy.read_bytes() == before
    assert not (damaged_copy.parent / "backups").exists()  # no backup of a damaged file

    result = hecht(damaged_copy, "milestone", "update", "6", "--location", "Leiden")
    assert result.returncode == 1
    assert result.stderr.startswith("Fout: ") and "db restore" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert damaged_copy.read_bytes() == before


def test_the_damage_check_runs_once_a_day(db_path: Path, clock: FixedClock) -> None:
    with Store.open(db_path, clock=clock) as store:
        store.update("milestone", 6, {"location": "Leiden"})  # today's check and backup
    damage_table_page(db_path, "action")
    with Store.open(db_path, clock=clock) as store:
        store.update("milestone", 6, {"location": "Delft"})  # checked today already
        clock.advance(days=1)
        with pytest.raises(DatabaseError, match="beschadigd"):
            store.update("milestone", 6, {"location": "Gouda"})


def test_a_damaged_database_is_not_migrated(tmp_path: Path, clock: FixedClock) -> None:
    from safety_helpers import FIXTURES

    path = tmp_path / "oud.sqlite"
    shutil.copyfile(FIXTURES / "v2.sqlite", path)
    damage_table_page(path, "action")
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="beschadigd"):
        Store.open(path, clock=clock)
    assert path.read_bytes() == before
    assert list(tmp_path.glob("*.bak.sqlite")) == []
