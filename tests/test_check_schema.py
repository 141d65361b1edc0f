"""``db check`` compares the file's schema with the one this version makes: a dropped trigger
would leave the journal open to editing, a dropped index or column is damage too."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest
from safety_helpers import run

from hecht_tracker.storage.store import Store


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (
            "DROP TRIGGER journal_is_append_only_update",
            "Trigger journal_is_append_only_update ontbreekt: het journaal",
        ),
        ("DROP INDEX journal_at", "Index journal_at op journal ontbreekt."),
        ("ALTER TABLE action DROP COLUMN owner", "Kolom action.owner ontbreekt."),
    ],
)
def test_a_schema_that_lost_a_part_is_reported(
    store: Store, db_path: Path, sql: str, expected: str
) -> None:
    store.close()
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        conn.execute(sql)
        conn.commit()
    result = run(db_path, "db", "check")
    assert result.returncode == 1, result.stdout
    assert expected in result.stdout
