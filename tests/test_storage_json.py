"""``list --json`` comes straight from SQL, and is byte for byte what the domain objects give."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import TODAY

from hecht_tracker.cli import cli
from hecht_tracker.core.fields import to_record
from hecht_tracker.core.model import Kind, Status, Visibility
from hecht_tracker.storage.store import Store

# Text a single-line field may hold; the description also gets line breaks and tabs. Control
# characters and line breaks in a title are refused by the field limits, so none are here.
AWKWARD = [
    'Aanhalingstekens "zo" en \\ backslash',
    "Tab en regel \u00a0 harde spatie \u200b",
    "Één café — Zuid-Holland 😀 \u00ad scheiding",
    "</script><b>vet</b> & ' apostrof",
    "\u202e omgekeerd \ufeff",
]


def expected(records: list[Any]) -> str:
    return json.dumps([to_record(r) for r in records], ensure_ascii=False, indent=2) + "\n"


def listed(db: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--db", str(db), "--today", TODAY.isoformat(), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_milestone_list_json_from_a_real_process_matches_the_domain_objects(
    db_path: Path,
) -> None:
    output = subprocess.run(
        [
            *(sys.executable, "-m", "hecht_tracker", "--db", str(db_path)),
            *("--today", "2026-11-23", "milestone", "list", "--json"),
        ],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    with Store.open(db_path) as store:
        assert output.decode("utf-8") == expected(store.milestones())


@pytest.fixture
def awkward_db(store: Store, db_path: Path) -> Path:
    """The seed plus records whose text needs every kind of JSON escape."""
    for number, text in enumerate(AWKWARD):
        store.add(
            "milestone",
            {
                "title": text,
                "location": text,
                "description": f"{text}\nregel twee\ttab\r\u2028scheiding",
                "date": dt.date(2026, 12, 1 + number),
                "start_time": dt.time(9 + number, 30),
                "body": "Raad Één" if number % 2 else "AB",
                "kind": Kind.MEETING,
                "visibility": Visibility.PUBLIC,
                "depends_on": (6, 2, 7)[: number + 1],
                "goal_ids": (3, 1)[: number % 3],
            },
        )
        store.add(
            "action", {"title": text, "owner": text, "due_date": dt.date(2026, 11, 1 + number)}
        )
    store.update("milestone", 8, {"body": "DB", "documents_due": dt.date(2026, 12, 9)})
    return db_path


def test_every_escape_and_every_kind_of_value_comes_out_as_json_dumps_writes_it(
    awkward_db: Path,
) -> None:
    with Store.open(awkward_db) as store:
        assert listed(awkward_db, "milestone", "list", "--json") == expected(store.milestones())
        assert listed(awkward_db, "action", "list", "--json") == expected(store.actions())
        assert listed(awkward_db, "goal", "list", "--json") == expected(store.goals())


@pytest.mark.parametrize(
    ("args", "filters"),
    [
        (["--body", "db"], {"body": "DB"}),
        (["--goal", "1"], {"goal_id": 1}),
        (["--from", "1-11-2026", "--to", "3-12-2026"], {"since": dt.date(2026, 11, 1)}),
        (["--status", "gepland", "--kind", "vergadering"], {"status": Status.PLANNED}),
    ],
)
def test_filtered_lists_match_the_domain_objects(
    awkward_db: Path, args: list[str], filters: dict[str, Any]
) -> None:
    with Store.open(awkward_db) as store:
        if "since" in filters:
            filters["until"] = dt.date(2026, 12, 3)
        if "status" in filters:
            filters["kind"] = Kind.MEETING
        want = expected(store.milestones(**filters))
    assert listed(awkward_db, "milestone", "list", "--json", *args) == want


def test_overdue_actions_in_json_follow_the_same_rule_as_the_table(awkward_db: Path) -> None:
    with Store.open(awkward_db) as store:
        late = [a for a in store.actions() if a.is_overdue(TODAY)]
    assert late
    assert listed(awkward_db, "action", "list", "--overdue", "--json") == expected(late)


def test_an_empty_list_is_an_empty_json_list(empty_store: Store) -> None:
    assert empty_store.path is not None
    assert listed(empty_store.path, "milestone", "list", "--json") == "[]\n"


def test_list_json_loads_no_heavy_library(db_path: Path) -> None:
    code = (
        "import sys\n"
        "from hecht_tracker.cli import main\n"
        f"main(['--db', {str(db_path)!r}, 'milestone', 'list', '--json'])\n"
        "heavy = ('babel', 'holidays', 'icalendar', 'textual', 'rich', 'fpdf', 'waitress')\n"
        "print(','.join(sorted({m.split('.')[0] for m in sys.modules} & set(heavy))),"
        " file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stderr.strip() == ""


def _kept_json_is_whole(store: Store) -> None:
    """Every milestone and action has its list text kept, and the lists read true."""
    for table in ("milestone", "action"):
        missing = store.conn.execute(f"SELECT count(*) FROM {table} WHERE list_json IS NULL")
        assert missing.fetchone()[0] == 0, table
    assert "".join(store.json_records("milestone")) == "".join(
        json.dumps([to_record(m)], ensure_ascii=False, indent=2)[2:-2] for m in store.milestones()
    )
    assert "".join(store.json_records("action")) == "".join(
        json.dumps([to_record(a)], ensure_ascii=False, indent=2)[2:-2] for a in store.actions()
    )


def test_the_kept_list_text_follows_every_kind_of_write(awkward_db: Path) -> None:
    from hecht_tracker.storage import undo

    with Store.open(awkward_db) as store:
        _kept_json_is_whole(store)
        steps = [
            lambda: store.update("milestone", 6, {"title": "Nieuwe titel", "goal_ids": (2,)}),
            lambda: store.update("milestone", 9, {"depends_on": (6,)}),
            lambda: store.update("action", 1, {"owner": "Team JGZ", "status": Status.DONE}),
            lambda: store.update("milestone", 6, {"date": dt.date(2026, 12, 3)}),  # followers
            # Every default papers date moves: the publisher rewrites the column.
            lambda: store.update_settings({"documents_lead_days": {"AB": 7, "DB": 3}}),
            lambda: store.delete("milestone", 2),  # cancelled, kept for the calendars
            lambda: undo.delete(store, "action", 2),
            lambda: undo.undo(store),
            lambda: undo.redo(store),
            lambda: store.add("milestone", {"title": "Extra", "date": dt.date(2027, 1, 5)}),
        ]
        for step in steps:
            step()
            _kept_json_is_whole(store)


def test_a_hand_edit_empties_the_kept_text_and_the_list_reads_the_row(awkward_db: Path) -> None:
    import sqlite3

    with sqlite3.connect(awkward_db) as conn:
        conn.execute("UPDATE milestone SET title = 'Met de hand' WHERE id = 6")
        conn.execute("DELETE FROM milestone_goal WHERE milestone_id = 7")
        conn.execute("DELETE FROM milestone_goal WHERE milestone_id = 8")
        conn.execute("UPDATE milestone SET list_json = 'kept' WHERE id = 8")
        conn.execute("INSERT INTO milestone_goal (milestone_id, goal_id) VALUES (8, 3)")
        conn.execute("INSERT INTO milestone_dependency (milestone_id, depends_on_id) VALUES (9, 1)")
        stale = conn.execute("SELECT id FROM milestone WHERE list_json IS NULL ORDER BY id")
        assert [row[0] for row in stale] == [6, 7, 8, 9]
    with Store.open(awkward_db) as store:
        assert listed(awkward_db, "milestone", "list", "--json") == expected(store.milestones())
        assert '"title": "Met de hand"' in listed(awkward_db, "milestone", "list", "--json")
