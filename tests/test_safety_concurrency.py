"""Several writers at once: nobody sees "database is locked", no update is lost, and the
journal and the final state agree."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from safety_helpers import python

from hecht_tracker.storage import check

WRITERS = 6
WRITES = 200

# Writer i alternates between the one milestone everybody changes and its own action.
WRITER = """
import sys
from hecht_tracker.storage.store import Store
i, db = int(sys.argv[1]), sys.argv[2]
with Store.open(db) as store:
    for n in range(WRITES):
        if n % 2 == 0:
            store.update("milestone", 6, {"location": f"p{i}-{n}"})
        else:
            store.update("action", i + 1, {"description": f"p{i}-{n}"})
print("klaar")
""".replace("WRITES", str(WRITES))


def test_six_processes_writing_at_once_lose_nothing(db_path: Path) -> None:
    writers = [python(WRITER, str(i), str(db_path)) for i in range(WRITERS)]
    for writer in writers:
        out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
        assert out == "klaar\n"
        assert "locked" not in err and "bezet" not in err

    with sqlite3.connect(db_path) as conn:
        shared = conn.execute(
            "SELECT count(*) FROM journal WHERE entity = 'milestone' AND entity_id = 6 "
            "AND field = 'location'"
        ).fetchone()[0]
        own = dict(
            conn.execute(
                "SELECT entity_id, count(*) FROM journal WHERE entity = 'action' "
                "AND field = 'description' GROUP BY entity_id"
            ).fetchall()
        )
    conn.close()
    assert shared == WRITERS * WRITES // 2  # every update of the shared record is there
    assert own == {i + 1: WRITES // 2 for i in range(WRITERS)}
    # each row starts from the value the previous one left: no write read a stale value
    assert check.check(db_path).problems == []


# Read, change, write back with the version read: a classic lost-update pattern, made safe by
# the store refusing a stale version (the writer then reads again and retries).
APPENDER = """
import sys
from hecht_tracker.core.errors import ConflictError
from hecht_tracker.storage.store import Store
i, db = int(sys.argv[1]), sys.argv[2]
conflicts = 0
with Store.open(db) as store:
    for n in range(ROUNDS):
        while True:
            seen = store.milestone(6)
            try:
                store.update(
                    "milestone", 6, {"description": seen.description + f"p{i}-{n};"},
                    expected_version=seen.version,
                )
                break
            except ConflictError:
                conflicts += 1
print(conflicts)
"""

ROUNDS = 40


def test_read_modify_write_from_six_processes_loses_no_update(db_path: Path) -> None:
    code = APPENDER.replace("ROUNDS", str(ROUNDS))
    writers = [python(code, str(i), str(db_path)) for i in range(WRITERS)]
    conflicts = 0
    for writer in writers:
        out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
        conflicts += int(out)
    from hecht_tracker.storage.store import Store

    with Store.open(db_path) as store:
        description = store.milestone(6).description
    tokens = re.findall(r"p\d+-\d+(?=;)", description)
    assert sorted(tokens) == sorted(f"p{i}-{n}" for i in range(WRITERS) for n in range(ROUNDS))
    assert conflicts > 0  # the stale writes really happened, and were refused
    assert check.check(db_path).problems == []


def test_a_stale_write_is_refused_and_changes_nothing(db_path: Path) -> None:
    from hecht_tracker.core.errors import ConflictError
    from hecht_tracker.storage.store import Store

    with Store.open(db_path) as first, Store.open(db_path) as second:
        copy = second.milestone(6)
        first.update("milestone", 6, {"location": "Leiden"}, expected_version=copy.version)
        before = db_path.read_bytes(), Path(f"{db_path}-wal").read_bytes()
        with pytest.raises(ConflictError, match="intussen gewijzigd"):
            second.update("milestone", 6, {"location": "Delft"}, expected_version=copy.version)
        assert (db_path.read_bytes(), Path(f"{db_path}-wal").read_bytes()) == before
        assert second.milestone(6).location == "Leiden"
    assert check.check(db_path).problems == []
