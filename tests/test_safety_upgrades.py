"""Databases made by every earlier schema version open, migrate and keep every row."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import FixedClock
from safety_helpers import FIXTURES, dump

from hecht_tracker.storage import check, schema
from hecht_tracker.storage.store import Store


@pytest.mark.parametrize("version", [1, 2, 3])
def test_a_database_of_an_earlier_schema_migrates_and_keeps_every_row(
    tmp_path: Path, clock: FixedClock, version: int
) -> None:
    path = tmp_path / "oud.sqlite"
    shutil.copyfile(FIXTURES / f"v{version}.sqlite", path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == version
    conn.close()
    before = dump(path)
    assert sum(len(rows) for rows in before.values()) > 10

    with Store.open(path, clock=clock) as store:
        assert store.schema_version == schema.SCHEMA_VERSION
        titles = {m.title for m in store.milestones()}
    after = dump(path)

    for table, rows in before.items():
        with sqlite3.connect(path) as conn:
            names = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
        conn.close()
        old_names = _columns(FIXTURES / f"v{version}.sqlite", table)
        kept = sorted(
            (tuple(row[names.index(name)] for name in old_names) for row in after[table]), key=repr
        )
        assert kept == rows, f"{table} lost or changed rows in the upgrade"
    assert titles  # the store reads the upgraded rows as records
    assert check.check(path).problems == []
    if version < schema.SCHEMA_VERSION:
        assert len(list(tmp_path.glob(f"oud.v{version}-*.bak.sqlite"))) == 1


def _columns(path: Path, table: str) -> list[str]:
    with sqlite3.connect(path) as conn:
        names = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
    conn.close()
    return names


def test_the_fixtures_are_what_their_versions_wrote() -> None:
    """Guards against regenerating a fixture with a newer program by accident."""
    for version in (1, 2, 3):
        with sqlite3.connect(FIXTURES / f"v{version}.sqlite") as conn:
            assert conn.execute("PRAGMA user_version").fetchone()[0] == version
            tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
        conn.close()
        assert ("benefit" in tables) == (version >= 2)
