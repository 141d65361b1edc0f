"""A crash (SIGKILL at a random moment) during a large import or a migration leaves a
database that passes `db check` and holds all of that import or none of it."""

from __future__ import annotations

import csv
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FixedClock
from safety_helpers import FIXTURES, env, run

from hecht_tracker.storage import schema
from hecht_tracker.storage.store import Store

TRIALS = 10
IMPORT_ROWS = 50_000


def count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as conn:
        found = int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    conn.close()
    return found


def killed_after(args: list[str], delay: float) -> bool:
    """Run the command, SIGKILL it after ``delay`` seconds; True when it finished first."""
    process = subprocess.Popen(
        [sys.executable, "-m", "hecht_tracker", *args],
        env=env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    time.sleep(delay)
    finished = process.poll() is not None
    process.send_signal(signal.SIGKILL)
    _, err = process.communicate(timeout=60)
    assert b"Traceback" not in err
    return finished


def run_to_end(args: list[str]) -> int:
    return subprocess.run(
        [sys.executable, "-m", "hecht_tracker", *args],
        env=env(),
        capture_output=True,
        timeout=120,
        check=False,
    ).returncode


def assert_passes_db_check(path: Path) -> None:
    result = run(path, "db", "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.endswith("Geen problemen gevonden.\n")


@pytest.fixture(scope="module")
def big_import(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("import") / "acties.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "owner", "due_date", "description"])
        for number in range(IMPORT_ROWS):
            writer.writerow([f"Actie {number}", "Team", "2027-01-15", "x" * (number % 50)])
    return path


def test_a_killed_import_leaves_all_or_nothing(
    big_import: Path, db_path: Path, tmp_path: Path
) -> None:
    seeded = count(db_path, "action")
    # How long a whole import takes here, so kills spread over reading, writing and committing.
    timed = tmp_path / "getimed.sqlite"
    shutil.copyfile(db_path, timed)
    started = time.monotonic()
    assert run_to_end(["--db", str(timed), "import", str(big_import), "--kind", "actions"]) == 0
    duration = time.monotonic() - started
    chance = random.Random(48)
    outcomes = []
    for trial in range(TRIALS):
        path = tmp_path / f"poging{trial}" / "hecht.sqlite"
        path.parent.mkdir()
        shutil.copyfile(db_path, path)
        finished = killed_after(
            ["--db", str(path), "import", str(big_import), "--kind", "actions"],
            chance.uniform(0.15, 1.1) * duration,
        )
        wal = Path(f"{path}-wal")
        torn = not finished and wal.exists() and wal.stat().st_size > 0
        actions = count(path, "action")
        assert actions in (seeded, seeded + IMPORT_ROWS), f"trial {trial}: {actions} actions"
        outcomes.append((finished, torn, actions == seeded + IMPORT_ROWS))
        assert_passes_db_check(path)
        with Store.open(path) as store:  # and it is still fully usable
            store.update("milestone", 6, {"location": f"na poging {trial}"})
    print("import (finished, killed while writing, all):", outcomes)
    assert any(torn for _, torn, _ in outcomes)  # some kills really hit a half-written import


def old_database_with_many_rows(path: Path, milestones: int) -> None:
    """A schema-1 database with enough milestones that the upgrade takes a while."""
    shutil.copyfile(FIXTURES / "v1.sqlite", path)
    stamp = "2025-06-02T08:00:00Z"
    with sqlite3.connect(path) as conn:
        for number in range(100, 100 + milestones):
            date = f"2026-{1 + number % 12:02d}-{1 + number % 28:02d}"
            conn.execute(
                "INSERT INTO milestone (id, uid, title, date, body, kind, status, visibility, "
                "baseline_date, created, updated) VALUES (?, ?, ?, ?, 'AB', 'meeting', "
                "'planned', 'public', ?, ?, ?)",
                (number, f"m{number}@x", f"Vergadering {number}", date, date, stamp, stamp),
            )
            conn.execute(
                "INSERT INTO journal (at, entity, entity_id, new, note) "
                "VALUES (?, 'milestone', ?, ?, 'aangemaakt')",
                (stamp, number, f"Vergadering {number}"),
            )
    conn.close()


def test_a_killed_migration_leaves_the_old_or_the_new_schema_never_half(
    tmp_path: Path, clock: FixedClock
) -> None:
    template = tmp_path / "sjabloon.sqlite"
    old_database_with_many_rows(template, 1500)
    milestones = count(template, "milestone")
    # How long a whole start with the upgrade takes here, so kills spread over all of it.
    timed = tmp_path / "getimed.sqlite"
    shutil.copyfile(template, timed)
    started = time.monotonic()
    assert run_to_end(["--db", str(timed), "goal", "list"]) == 0
    duration = time.monotonic() - started
    chance = random.Random(3)
    versions = []
    for trial in range(TRIALS):
        path = tmp_path / f"poging{trial}" / "hecht.sqlite"
        path.parent.mkdir()
        shutil.copyfile(template, path)
        killed_after(["--db", str(path), "goal", "list"], chance.uniform(0.15, 1.1) * duration)
        with sqlite3.connect(path) as conn:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.close()
        assert version in (1, schema.SCHEMA_VERSION), f"trial {trial}: schema {version}"
        versions.append(version)
        assert count(path, "milestone") == milestones
        assert_passes_db_check(path)
        with Store.open(path, clock=clock) as store:  # the next start finishes the upgrade
            assert store.schema_version == schema.SCHEMA_VERSION
            assert len(store.milestones()) == milestones
    print("schema after each kill:", versions)
