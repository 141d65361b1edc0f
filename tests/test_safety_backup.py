"""Backups and restoring: consistent while others write, exactly the data of that moment, and
never pulling the file from under a process that has it open."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from conftest import FixedClock
from safety_helpers import FIXTURES, dump, hecht, python, run

from hecht_tracker.storage import check, schema
from hecht_tracker.storage.store import Store, initialise

# A second program that keeps writing until it is told to stop (by a file), printing each value
# the store reported as saved.
WRITER = """
import sys, pathlib
from hecht_tracker.storage.store import Store
db, stop = sys.argv[1], pathlib.Path(sys.argv[2])
store = Store.open(db)
n = 0
while not stop.exists() or n < 20:
    n += 1
    store.update("milestone", 6, {"location": f"w{n}"})
    print(n, flush=True)
store.close()
"""


def start_writer(db: Path, stop: Path) -> subprocess.Popen[str]:
    process = python(WRITER, str(db), str(stop))
    assert process.stdout is not None
    process.stdout.readline()  # it has written once: it is running
    return process


def finish(process: subprocess.Popen[str], stop: Path) -> list[str]:
    """Stop the writer; the values it was told were saved."""
    stop.touch()
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert "locked" not in err
    return ["w1", *(f"w{n}" for n in out.split())]


def journalled_locations(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT new FROM journal WHERE entity = 'milestone' AND entity_id = 6 "
            "AND field = 'location'"
        ).fetchall()
    conn.close()
    return {row[0] for row in rows}


def test_a_backup_taken_while_another_process_writes_is_consistent(db_path: Path) -> None:
    stop = db_path.with_name("stop")
    writer = start_writer(db_path, stop)
    made = []
    for number in range(3):
        result = hecht(db_path, "db", "backup", str(db_path.with_name(f"kopie{number}.sqlite")))
        assert result.returncode == 0, result.stderr
        made.append(db_path.with_name(f"kopie{number}.sqlite"))
    finish(writer, stop)
    for backup in made:
        assert check.check(backup).problems == []
        with sqlite3.connect(backup) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        conn.close()
    assert len({tuple(journalled_locations(b)) for b in made}) > 1  # taken mid-stream


def test_db_backup_without_a_name_goes_beside_the_database_with_a_timestamp(
    db_path: Path,
) -> None:
    result = run(db_path, "db", "backup")
    assert result.returncode == 0, result.stderr
    (made,) = db_path.parent.glob("hecht.*.bak.sqlite")
    assert result.stdout == f"Reservekopie gemaakt: {made}\n"
    assert len(made.name.split(".")[1]) == len("20261123T091500")
    assert dump(made) == dump(db_path)
    again = run(db_path, "db", "backup", str(made))
    assert again.returncode == 1 and "bestaat al" in again.stderr


def test_restoring_gives_exactly_the_data_of_that_moment(db_path: Path) -> None:
    run(db_path, "milestone", "update", "6", "--location", "Leiden")
    backup = db_path.with_name("moment.sqlite")
    assert run(db_path, "db", "backup", str(backup)).returncode == 0
    moment = dump(backup)
    run(db_path, "milestone", "update", "6", "--location", "Delft")
    run(db_path, "action", "add", "Nieuwe actie")
    run(db_path, "action", "delete", "1")
    assert dump(db_path) != moment

    result = run(db_path, "db", "restore", str(backup), "--yes")
    assert result.returncode == 0, result.stderr
    assert dump(db_path) == moment
    assert check.check(db_path).problems == []
    # what it held just before is kept, so a restore can itself be undone
    before = Path(result.stdout.rsplit(" staan in ", 1)[1].strip().rstrip("."))
    assert "Delft" in journalled_locations(before)


def test_restore_asks_first_and_no_means_no(db_path: Path) -> None:
    backup = db_path.with_name("moment.sqlite")
    run(db_path, "db", "backup", str(backup))
    run(db_path, "milestone", "update", "6", "--location", "Delft")
    before = dump(db_path)
    result = run(db_path, "db", "restore", str(backup), stdin="n\n")
    assert "Weet u het zeker?" in result.stdout
    assert result.returncode == 0 and "Niets veranderd." in result.stdout
    assert dump(db_path) == before
    yes = run(db_path, "db", "restore", str(backup), stdin="j\n")
    assert yes.returncode == 0, yes.stderr
    assert dump(db_path) == dump(backup)


@pytest.mark.parametrize("kind", ["text", "foreign", "newer"])
def test_restore_refuses_what_is_not_a_tracker_backup_it_can_open(db_path: Path, kind: str) -> None:
    bad = db_path.with_name("verkeerd.sqlite")
    if kind == "text":
        bad.write_text("geen database")
    else:
        with sqlite3.connect(bad) as conn:
            conn.execute("CREATE TABLE klanten (naam TEXT)")
            if kind == "newer":
                conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
                conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
        conn.close()
    before = db_path.read_bytes()
    result = run(db_path, "db", "restore", str(bad), "--yes")
    assert result.returncode == 1
    expected = "nieuwere versie" if kind == "newer" else "geen hecht-tracker-database"
    assert expected in result.stderr and len(result.stderr.splitlines()) == 1
    assert db_path.read_bytes() == before
    assert list(db_path.parent.glob("*.bak.sqlite")) == []


def test_a_backup_of_an_older_schema_is_restored_and_upgraded(db_path: Path) -> None:
    result = run(db_path, "db", "restore", str(FIXTURES / "v1.sqlite"), "--yes")
    assert result.returncode == 0, result.stderr
    with Store.open(db_path) as store:
        assert store.schema_version == schema.SCHEMA_VERSION
        assert store.milestones()[0].title == "AB bespreekt het werkplan"
    assert check.check(db_path).problems == []


def test_restore_writes_into_the_open_file_so_open_programs_see_it(
    db_path: Path, clock: FixedClock
) -> None:
    backup = db_path.with_name("moment.sqlite")
    hecht(db_path, "db", "backup", str(backup))
    inode = os.stat(db_path).st_ino
    with Store.open(db_path, clock=clock) as other:  # another program, open all along
        other.update("milestone", 6, {"location": "Delft"})
        assert hecht(db_path, "db", "restore", str(backup), "--yes").returncode == 0
        assert other.milestone(6).location == ""  # it sees the restored data, not a ghost file
        other.update("milestone", 6, {"location": "Gouda"})  # and can go on writing
    assert os.stat(db_path).st_ino == inode
    assert check.check(db_path).problems == []
    with Store.open(db_path) as store:
        assert store.milestone(6).location == "Gouda"


def test_a_damaged_database_can_be_restored(db_path: Path) -> None:
    from safety_helpers import damage_table_page

    backup = db_path.with_name("moment.sqlite")
    run(db_path, "db", "backup", str(backup))
    damage_table_page(db_path, "action")
    assert run(db_path, "db", "check").returncode == 1
    result = run(db_path, "db", "restore", str(backup), "--yes")
    assert result.returncode == 0, result.stderr
    assert run(db_path, "db", "check").returncode == 0
    assert dump(db_path) == dump(backup)


@pytest.mark.parametrize("command", ["init", "restore"])
def test_replacing_the_database_never_loses_a_write_reported_as_saved(
    db_path: Path, command: str
) -> None:
    moment = db_path.with_name("moment.sqlite")
    hecht(db_path, "db", "backup", str(moment))
    stop = db_path.with_name("stop")
    writer = start_writer(db_path, stop)
    time.sleep(0.3)
    if command == "init":
        result = hecht(db_path, "init", "--force")
        backup = Path(result.stdout.splitlines()[0].removeprefix("Reservekopie: "))
    else:
        result = hecht(db_path, "db", "restore", str(moment), "--yes")
        backup = Path(result.stdout.rsplit(" staan in ", 1)[1].strip().rstrip("."))
    assert result.returncode == 0, result.stderr
    saved = finish(writer, stop)
    before, after = journalled_locations(backup), journalled_locations(db_path)
    assert before and after  # writes landed on both sides of the replacement
    lost = [value for value in saved if value not in before | after]
    assert lost == []
    assert check.check(db_path).problems == []
    assert check.check(backup).problems == []


def test_init_force_keeps_a_file_that_is_not_a_database_byte_for_byte(
    tmp_path: Path, clock: FixedClock
) -> None:
    path = tmp_path / "hecht.sqlite"
    path.write_bytes(b"boodschappen")
    backup = initialise(path, force=True, clock=clock)
    assert backup is not None and backup.read_bytes() == b"boodschappen"
    with Store.open(path) as store:
        assert len(store.milestones()) == 8


def test_daily_backups_rotate_and_keep_the_setting(tmp_path: Path, clock: FixedClock) -> None:
    path = tmp_path / "hecht.sqlite"
    with Store.open(path, clock=clock) as store:
        store.update_settings({"backups_keep": 3})
        for day in range(6):
            store.update("milestone", 6, {"location": f"dag {day}"})
            store.update("milestone", 6, {"location": f"dag {day} later"})  # no second backup
            clock.advance(days=1)
    daily = sorted(p.name for p in (tmp_path / "backups").iterdir())
    assert len(daily) == 3
    assert daily[-1] == "hecht-20261107T100000.bak.sqlite"  # named in Amsterdam time
    newest = journalled_locations(tmp_path / "backups" / daily[-1])
    assert "dag 4 later" in newest and "dag 5" not in newest  # taken before the day's first write
    assert check.check(tmp_path / "backups" / daily[-1]).problems == []


def test_a_write_the_store_refuses_leaves_the_database_byte_identical(db_path: Path) -> None:
    """The day's mark is written with the first write, so a refused write leaves no trace."""
    before = db_path.read_bytes()
    result = run(db_path, "milestone", "update", "2", "--end-time", "08:00")
    assert result.returncode == 2, result.stderr
    assert "begintijd" in result.stderr
    assert db_path.read_bytes() == before
    assert len(list((db_path.parent / "backups").iterdir())) == 1  # yet today is backed up


def test_a_backup_killed_half_way_leaves_no_file_that_looks_like_a_backup(
    tmp_path: Path, clock: FixedClock
) -> None:
    path = tmp_path / "hecht.sqlite"
    Store.open(path, clock=clock).close()
    folder = tmp_path / "backups"
    folder.mkdir()
    stale = folder / ".hecht-20261101T090000.bak.sqlite.abc.part"
    stale.write_bytes(b"half")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    fresh = folder / ".hecht-20261102T090000.bak.sqlite.def.part"  # another process, now
    fresh.write_bytes(b"busy")
    with Store.open(path, clock=clock) as store:
        store.update("milestone", 6, {"location": "Leiden"})
    names = sorted(p.name for p in folder.iterdir())
    assert names == [fresh.name, "hecht-20261102T100000.bak.sqlite"]


def test_a_backup_can_be_restored_where_no_database_is_yet(db_path: Path, tmp_path: Path) -> None:
    """After losing the disk: restore onto a new machine's empty folder."""
    target = tmp_path / "nieuw" / "hecht.sqlite"
    result = run(target, "db", "restore", str(db_path), "--yes")
    assert result.returncode == 0, result.stderr
    assert dump(target) == dump(db_path)
    assert os.stat(target).st_mode & 0o077 == 0
    assert check.check(target).problems == []
