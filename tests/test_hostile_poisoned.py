"""No value poisons the rest: a damaged record or setting in the database (written by an older
version or by hand, simulated here with sqlite3 directly) is reported, and every export, the
feed, the report and token rotation still deliver everything else.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import icalendar
import pytest
from click.testing import CliRunner
from ical.calendar_stream import IcsCalendarStream

from hecht_tracker.cli import cli
from hecht_tracker.serve.feed import CalendarFeed
from hecht_tracker.storage.store import Store

TODAY = "2026-11-23"
DB_26_NOV_UID = "gv-2026-11-26-db@hecht-tracker"
AB_16_DEC_UID = "gv-2026-12-16-ab@hecht-tracker"


def poison(db: Path, sql: str, *params: Any) -> None:
    """Write straight into the file, past every check, as an older version might have."""
    with sqlite3.connect(db) as conn:
        conn.execute(sql, params)
    conn.close()


def poison_setting(db: Path, key: str, value: Any) -> None:
    poison(db, "INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)", key, json.dumps(value))


# name → how to damage the database, and the record the warning must name
POISONS: dict[str, tuple[Callable[[Path], None], str]] = {
    "year-1-meeting": (
        lambda db: poison(db, "UPDATE milestone SET date = '0001-01-01' WHERE id = 4"),
        "Mijlpaal 4",
    ),
    "year-9999-meeting": (
        lambda db: poison(db, "UPDATE milestone SET date = '9999-12-31' WHERE id = 4"),
        "Mijlpaal 4",
    ),
    "unreadable-date": (
        lambda db: poison(db, "UPDATE milestone SET date = 'volgende week' WHERE id = 4"),
        "Mijlpaal 4",
    ),
    "time-25-00": (
        lambda db: poison(db, "UPDATE milestone SET start_time = '25:00' WHERE id = 4"),
        "Mijlpaal 4",
    ),
    "nul-in-title": (
        lambda db: poison(db, "UPDATE milestone SET title = ? WHERE id = 4", "Bespreken\x00"),
        "Mijlpaal 4",
    ),
    "line-break-in-location": (
        lambda db: poison(
            db, "UPDATE milestone SET location = ? WHERE id = 4", "Zaal 1\r\nX-INJECTED:1"
        ),
        "Mijlpaal 4",
    ),
    "ten-megabyte-title": (
        lambda db: poison(db, "UPDATE milestone SET title = ? WHERE id = 4", "x" * 10_000_000),
        "Mijlpaal 4",
    ),
    "unreadable-papers-default": (
        lambda db: poison(db, "UPDATE milestone SET documents_due_default = 'x' WHERE id = 4"),
        "Mijlpaal 4",
    ),
    "goal-number-huge": (
        lambda db: poison(db, "UPDATE goal SET number = 1000000000000 WHERE id = 1"),
        "Doel 1",
    ),
    "reminder-of-a-billion-minutes": (
        lambda db: poison_setting(db, "reminder_minutes", 10**15),
        "reminder-minutes",
    ),
    "e-mail-with-a-line-break": (
        lambda db: poison_setting(db, "organizer_email", "a@b.nl\r\nATTENDEE:mailto:x@y.nl"),
        "organizer-email",
    ),
    "papers-a-billion-days-ahead": (
        lambda db: poison_setting(db, "documents_lead_days", {"AB": 10**9, "DB": 5}),
        "documents-lead-days",
    ),
    "meeting-of-minus-five-minutes": (
        lambda db: poison_setting(db, "meeting_minutes", -5),
        "meeting-minutes",
    ),
    "settings-of-the-wrong-type": (
        lambda db: poison_setting(db, "documents_lead_days", ["AB", 10]),
        "documents-lead-days",
    ),
}


@pytest.fixture(scope="module")
def clean_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("schoon") / "hecht.sqlite"
    Store.open(path).close()
    return path


@pytest.fixture
def copy_of(clean_db: Path, tmp_path: Path) -> Path:
    target = tmp_path / "hecht.sqlite"
    shutil.copy2(clean_db, target)
    return target


def run(db: Path, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--db", str(db), "--today", TODAY, *args])


def strict(content: bytes) -> Any:
    """The strict ``ical`` parser: raises on anything that is not a valid calendar."""
    return IcsCalendarStream.calendar_from_ics(content.decode("utf-8"))


def uids(content: bytes) -> set[str]:
    return {str(e["UID"]) for e in icalendar.Calendar.from_ical(content).walk("VEVENT")}


@pytest.mark.parametrize("name", POISONS)
def test_a_calendar_export_goes_out_whole_except_the_damaged_record(
    copy_of: Path, tmp_path: Path, name: str
) -> None:
    damage, named = POISONS[name]
    damage(copy_of)
    out = tmp_path / "agenda"
    result = run(copy_of, "calendar", "export", "--out", str(out))
    assert result.exit_code == 0, result.output[-800:]
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Waarschuwing: ")]
    assert len(warnings) == len(result.stderr.splitlines()) >= 1, result.stderr[:800]
    assert any(named in line for line in warnings), warnings
    assert all(len(line) < 600 for line in warnings)
    for path in out.iterdir():
        strict(path.read_bytes())
    board = (out / "alle.ics").read_bytes()
    assert {DB_26_NOV_UID, AB_16_DEC_UID} <= uids(board)
    assert b"INJECTED" not in board and b"ATTENDEE" not in board
    assert max(len(line) for line in board.split(b"\r\n")) <= 75


@pytest.mark.parametrize(
    "name", ["year-1-meeting", "unreadable-date", "reminder-of-a-billion-minutes"]
)
def test_the_report_lists_and_json_go_out_whole_except_the_damaged_record(
    copy_of: Path, name: str
) -> None:
    POISONS[name][0](copy_of)
    report = run(copy_of, "report", "weekly")
    assert report.exit_code == 0, report.output[-800:]
    assert "Akkoord doorgeleiden strategisch werkplan" in report.stdout
    listed = run(copy_of, "milestone", "list", "--json")
    assert listed.exit_code == 0, listed.output[-800:]
    assert DB_26_NOV_UID in {m["uid"] for m in json.loads(listed.stdout)}
    for kind in ("milestones", "actions", "goals", "benefits"):
        exported = run(copy_of, "export", "--kind", kind, "--format", "csv")
        assert exported.exit_code == 0, exported.output[-800:]


def test_a_column_added_by_hand_under_a_name_the_tracker_reads_stops_no_read(
    copy_of: Path,
) -> None:
    # The tracker reads whether the papers date is the default under this name.
    poison(copy_of, "ALTER TABLE milestone ADD COLUMN documents_due_is_default INTEGER")
    listed = run(copy_of, "milestone", "list", "--json")
    assert listed.exit_code == 0, listed.output[-800:]
    assert DB_26_NOV_UID in {m["uid"] for m in json.loads(listed.stdout)}
    report = run(copy_of, "report", "weekly")
    assert report.exit_code == 0, report.output[-800:]
    assert "Akkoord doorgeleiden strategisch werkplan" in report.stdout


def test_the_damaged_record_itself_is_one_dutch_line_pointing_at_the_repair(copy_of: Path) -> None:
    POISONS["year-1-meeting"][0](copy_of)
    shown = run(copy_of, "milestone", "show", "4")
    assert shown.exit_code == 1
    (line,) = shown.stderr.strip().splitlines()
    assert line.startswith("Fout: Mijlpaal 4 in de database is beschadigd") and "update" in line
    repaired = run(copy_of, "milestone", "update", "4", "--date", "15-10-2026")
    assert repaired.exit_code == 0, repaired.output
    again = run(copy_of, "milestone", "show", "4")
    assert again.exit_code == 0 and not again.stderr


@pytest.mark.parametrize(
    ("sql", "args"),
    [
        ("UPDATE benefit SET realisation_date = 'ooit' WHERE id = 11", ("benefit", "show", "11")),
        ("UPDATE measurement SET date = 'x' WHERE benefit_id = 11", ("benefit", "show", "11")),
        ("UPDATE action SET due_date = '0000-00-00' WHERE id = 3", ("action", "show", "3")),
        ("UPDATE goal SET title = 'a' || char(0) WHERE id = 2", ("goal", "show", "2")),
    ],
)
def test_every_kind_of_damaged_record_is_named_when_asked_for(
    copy_of: Path, sql: str, args: tuple[str, ...]
) -> None:
    if "measurement" in sql:
        assert (
            run(copy_of, "benefit", "measure", "11", "6,1%", "--date", "1-11-2026").exit_code == 0
        )
    poison(copy_of, sql)
    shown = run(copy_of, *args)
    assert shown.exit_code == 1
    (line,) = shown.stderr.strip().splitlines()
    assert "beschadigd" in line and args[-1] in line
    listed = run(copy_of, args[0], "list")
    assert listed.exit_code == 0 and "Waarschuwing" in listed.stderr


def test_writes_go_on_while_a_damaged_record_and_setting_stay_in_the_database(
    copy_of: Path,
) -> None:
    POISONS["year-1-meeting"][0](copy_of)
    POISONS["papers-a-billion-days-ahead"][0](copy_of)
    moved = run(
        copy_of, "milestone", "update", "6", "--date", "3-12-2026", "--note", "DB verplaatst"
    )
    assert moved.exit_code == 0, moved.output
    shown = json.loads(run(copy_of, "milestone", "show", "6", "--json").stdout)
    assert shown["date"] == "2026-12-03"
    # the default lead days stand in for the damaged ones: DB papers 5 working days ahead
    assert shown["documents_due"] == "2026-11-26"


def feed_get(app: CalendarFeed, path: str) -> tuple[str, bytes]:
    captured: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        captured.append(status)

    body = b"".join(app({"REQUEST_METHOD": "GET", "PATH_INFO": path}, start_response))
    return captured[0], body


def test_token_rotation_works_and_takes_effect_at_once_on_a_poisoned_database(
    copy_of: Path,
) -> None:
    """The feed keeps serving; after ``calendar token --rotate`` the old link is dead and the
    new one works on the very next request, although records and settings are damaged."""
    assert run(copy_of, "calendar", "token", "--rotate").exit_code == 0
    old = json.loads(
        sqlite3.connect(copy_of)
        .execute("SELECT value FROM setting WHERE key = 'feed_token'")
        .fetchone()[0]
    )
    app = CalendarFeed(copy_of)
    assert feed_get(app, f"/{old}/db.ics")[0] == "200 OK"
    for damage, _ in POISONS.values():
        if damage is not POISONS["ten-megabyte-title"][0]:
            damage(copy_of)
    status, body = feed_get(app, f"/{old}/alle.ics")
    assert status == "200 OK"
    strict(body)
    assert DB_26_NOV_UID in uids(body)
    rotated = run(copy_of, "calendar", "token", "--rotate")
    assert rotated.exit_code == 0, rotated.output[-800:]
    assert "Nieuw token gemaakt" in rotated.stdout
    new = rotated.stdout.split("Token: ")[1].split()[0]
    assert new != old
    assert feed_get(app, f"/{old}/db.ics")[0] == "404 Not Found"
    status, body = feed_get(app, f"/{new}/db.ics")
    assert status == "200 OK"
    assert DB_26_NOV_UID in uids(body)


def test_a_damaged_token_closes_the_feed_instead_of_opening_it(copy_of: Path) -> None:
    assert run(copy_of, "calendar", "token", "--rotate").exit_code == 0
    poison_setting(copy_of, "feed_token", "geheim\r\nmet regeleinde")
    app = CalendarFeed(copy_of)
    assert feed_get(app, "/db.ics")[0] == "404 Not Found"
    assert feed_get(app, "/intern.ics")[0] == "404 Not Found"
    rotated = run(copy_of, "calendar", "token", "--rotate")
    assert rotated.exit_code == 0
    new = rotated.stdout.split("Token: ")[1].split()[0]
    assert feed_get(app, f"/{new}/intern.ics")[0] == "200 OK"


def test_a_poisoned_export_in_a_real_process_reports_on_stderr_and_exits_0(
    copy_of: Path, tmp_path: Path
) -> None:
    POISONS["unreadable-date"][0](copy_of)
    POISONS["e-mail-with-a-line-break"][0](copy_of)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "hecht_tracker",
            "--db",
            str(copy_of),
            "calendar",
            "export",
            "--out",
            str(tmp_path / "agenda"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("Waarschuwing: ") for line in lines)
    assert "Traceback" not in done.stderr
    strict((tmp_path / "agenda" / "alle.ics").read_bytes())
