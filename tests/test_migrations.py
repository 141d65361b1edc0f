"""Opening files: upgrading older schemas after a backup, refusing foreign and newer files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import FixedClock

from hecht_tracker.core.errors import DatabaseError
from hecht_tracker.storage import schema
from hecht_tracker.storage.connection import statements as _statements
from hecht_tracker.storage.store import Store


def make_version_1(path: Path) -> None:
    """A database as the first schema version wrote it, with one milestone and a journal row."""
    with sqlite3.connect(path) as conn:
        for statement in _statements(schema.MIGRATIONS[0]):
            conn.execute(statement)
        conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
        conn.execute("PRAGMA user_version = 1")
        conn.execute(
            "INSERT INTO milestone (uid, title, date, body, kind, status, visibility, created, updated) "
            "VALUES ('oud@x', 'Oude vergadering', '2026-10-01', 'AB', 'meeting', 'planned', 'public', "
            "'2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z')"
        )
        conn.execute(
            "INSERT INTO journal (at, entity, note) VALUES ('2026-01-01T00:00:00Z', 'database', 'v1')"
        )
    conn.close()


def test_an_older_database_is_upgraded_after_a_backup(tmp_path: Path, clock: FixedClock) -> None:
    path = tmp_path / "oud.sqlite"
    make_version_1(path)
    original = path.read_bytes()
    with Store.open(path, clock=clock) as opened:
        assert opened.schema_version == schema.SCHEMA_VERSION
        (milestone,) = opened.milestones()
        assert milestone.title == "Oude vergadering"
        assert milestone.published is not None  # filled in by the upgrade
        assert opened.benefits() == []  # the benefits table arrived with version 2
        assert opened.journal()[0].note == "v1"
    backups = list(tmp_path.glob("oud.v1-*.bak.sqlite"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as copy:
        assert copy.execute("PRAGMA user_version").fetchone()[0] == 1
    assert backups[0].stat().st_size == len(original)


def test_an_upgraded_database_is_not_seeded_over(tmp_path: Path) -> None:
    path = tmp_path / "oud.sqlite"
    make_version_1(path)
    with Store.open(path) as opened:
        assert len(opened.milestones()) == 1


def test_a_database_from_a_newer_program_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "nieuw.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE toekomst (x)")
        conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="nieuwere versie"):
        Store.open(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "content",
    [b"Dit is een boodschappenlijstje, geen database.\n", b"SQLite format 3\x00" + b"\x00" * 200],
)
def test_a_file_that_is_not_a_database_is_refused_and_untouched(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "tekst.sqlite"
    path.write_bytes(content)
    with pytest.raises(DatabaseError, match="geen hecht-tracker-database"):
        Store.open(path)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tekst.sqlite"]


def test_another_programs_sqlite_database_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "ander.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE klanten (naam TEXT)")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="geen hecht-tracker-database"):
        Store.open(path)
    assert path.read_bytes() == before


def test_a_missing_database_is_created_and_seeded(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "nieuw.sqlite"
    with Store.open(path) as opened:
        assert opened.schema_version == schema.SCHEMA_VERSION
        assert len(opened.milestones()) == 8


def test_read_only_opening_never_writes(db_path: Path) -> None:
    with Store.open(db_path, read_only=True) as reader:
        assert len(reader.milestones()) == 8
        with pytest.raises(DatabaseError, match="alleen-lezen"):
            reader.update("milestone", 2, {"location": "x"})


def test_a_locked_database_is_reported_as_busy_not_as_foreign(db_path: Path) -> None:
    import hecht_tracker.storage.connection as store_module

    with Store.open(db_path) as writer:
        # In WAL mode readers pass a writer; an exclusive locking mode is what shuts them out.
        writer.conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        writer.conn.execute("BEGIN EXCLUSIVE")
        writer.conn.execute("UPDATE milestone SET location = 'x' WHERE id = 2")
        original = store_module.BUSY_TIMEOUT_SECONDS
        store_module.BUSY_TIMEOUT_SECONDS = 0.1
        try:
            with pytest.raises(DatabaseError, match="bezet"):
                Store.open(db_path, read_only=True)
        finally:
            store_module.BUSY_TIMEOUT_SECONDS = original
            writer.conn.execute("ROLLBACK")


def make_version_3(path: Path) -> None:
    """A database as schema 3 wrote it: a goal, two linked milestones, journal rows."""
    with sqlite3.connect(path) as conn:
        for script in schema.MIGRATIONS[:3]:
            for statement in _statements(script):
                conn.execute(statement)
        conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
        conn.execute("PRAGMA user_version = 3")
        stamp = "'2026-01-01T00:00:00Z'"
        conn.execute(
            f"INSERT INTO programme VALUES (1, 'p@x', 'Programma', '', '', '', {stamp}, {stamp})"
        )
        for number, (uid, date) in enumerate((("a@x", "2026-10-01"), ("b@x", "2026-11-01")), 1):
            conn.execute(
                "INSERT INTO milestone (id, uid, title, date, body, kind, status, visibility, "
                f"created, updated, published) VALUES ({number}, '{uid}', 'Stap {number}', "
                f"'{date}', 'AB', 'meeting', 'planned', 'public', {stamp}, {stamp}, {stamp})"
            )
        conn.execute("INSERT INTO milestone_dependency VALUES (2, 1)")
        for note in ("een", "twee", "drie"):
            conn.execute(
                f"INSERT INTO journal (at, entity, note) VALUES ({stamp}, 'database', '{note}')"
            )
    conn.close()


def test_schema_3_gains_versions_and_a_change_number_per_old_journal_row(
    tmp_path: Path, clock: FixedClock
) -> None:
    path = tmp_path / "drie.sqlite"
    make_version_3(path)
    with Store.open(path, clock=clock) as opened:
        assert opened.schema_version == schema.SCHEMA_VERSION
        assert [m.version for m in opened.milestones()] == [1, 1]
        assert opened.programme(1).version == 1
        old = opened.journal()
        assert [(e.note, e.change) for e in old] == [("een", 1), ("twee", 2), ("drie", 3)]
        # The journal stays append-only after the upgrade.
        with pytest.raises(sqlite3.IntegrityError):
            opened.conn.execute("UPDATE journal SET note = 'x'")
        # Published state is filled in from scratch: both steps show each other.
        assert {m.sequence for m in opened.milestones()} == {0}
        assert all(hash_ for (hash_,) in opened.conn.execute("SELECT public_hash FROM milestone"))
        updated = opened.update("milestone", 1, {"title": "Eerste stap"})
        assert updated.version == 2 and opened.milestone(2).sequence == 1
        assert opened.journal()[-1].change == old[-1].id + 1
    assert len(list(tmp_path.glob("drie.v3-*.bak.sqlite"))) == 1
