"""Importing many rows: all or nothing, each refusal naming its row (and column), one journal row
per record in one change, references to rows earlier in the same file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import TODAY

from hecht_tracker.cli import cli
from hecht_tracker.core.errors import TrackerError
from hecht_tracker.storage import publisher, writer
from hecht_tracker.storage.publisher import republish_all
from hecht_tracker.storage.store import Store


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), "--today", TODAY.isoformat(), *args])


def files_of(db: Path) -> dict[str, bytes]:
    return {
        p.name: p.read_bytes() for p in sorted(db.parent.iterdir()) if p.name.startswith(db.name)
    }


def milestone_rows(count: int) -> list[dict[str, object]]:
    return [
        {
            "uid": f"m{n}@import",
            "title": f"Mijlpaal {n}",
            "date": f"2027-{1 + n % 12:02d}-{1 + n % 28:02d}",
            "body": ("AB", "DB", "Hecht")[n % 3],
            "kind": ("vergadering", "deadline")[n % 2],
            "goal_ids": [1 + n % 3],
            "depends_on": [f"m{n - 1}@import"] if n % 4 else [],
        }
        for n in range(count)
    ]


def write_json(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_big_import_adds_every_row_with_one_journal_row_each_in_one_change(
    db_path: Path, tmp_path: Path
) -> None:
    source = write_json(tmp_path / "mijlpalen.json", milestone_rows(1200))
    with Store.open(db_path) as store:
        journal_before = len(store.journal())
    result = run(db_path, "import", str(source), "--kind", "milestones")
    assert result.exit_code == 0, result.output
    assert "1200 toegevoegd, 0 bijgewerkt" in result.stdout
    with Store.open(db_path) as store:
        added = store.journal()[journal_before:]
        assert len(added) == 1200 and {e.change for e in added} == {added[0].id}
        assert all(e.field is None and e.note == "import" for e in added)
        by_uid = {m.uid: m for m in store.milestones()}
        assert by_uid["m5@import"].depends_on == (by_uid["m4@import"].id,)
        assert by_uid["m5@import"].goal_ids == (3,) and by_uid["m5@import"].version == 1
        # Meetings got their default documents-due date, and everything is published once.
        meeting = by_uid["m6@import"]
        assert meeting.body == "AB" and meeting.documents_due is not None
        assert {m.sequence for m in by_uid.values() if m.uid.endswith("@import")} == {0}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"date": "31-02-2027"}, "Item 1000, kolom 'date': De datum '31-02-2027' bestaat niet."),
        ({"kind": "feest"}, "Item 1000, kolom 'kind': Onbekende soort: 'feest'"),
        ({"depends_on": ["m5000@import"]}, "Item 1000, kolom 'depends_on': Onbekende mijlpaal"),
        ({"title": " "}, "Item 1000: De titel mag niet leeg zijn."),
        ({"start_time": "15:00", "end_time": "14:00"}, "Item 1000: De eindtijd 14:00 ligt niet na"),
        ({"uid": "m3@import"}, "Item 1000: uid 'm3@import' staat ook al in item 4."),
    ],
)
def test_one_bad_row_late_in_a_big_file_writes_nothing_and_is_named(
    db_path: Path, tmp_path: Path, change: dict[str, object], message: str
) -> None:
    rows = milestone_rows(1500)
    rows[999].update(change)
    source = write_json(tmp_path / "fout.json", rows)
    before = files_of(db_path)
    result = run(db_path, "import", str(source), "--kind", "milestones")
    assert result.exit_code == 2
    assert message in result.stderr
    assert files_of(db_path) == before


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Write and publish an import in batches of a hundred, so a file of 1,500 rows is written
    in many of them before its end."""
    monkeypatch.setattr(writer, "IMPORT_BATCH_ROWS", 100)
    monkeypatch.setattr(publisher, "PUBLISH_CHUNK", 64)


@pytest.mark.parametrize(
    "change",
    [
        {"kind": "feest"},  # refused as the row is read
        {"start_time": "15:00", "end_time": "14:00"},  # refused as the record is made
        {"uid": "m3@import"},  # a uid written to the database batches ago
    ],
)
@pytest.mark.usefixtures("small_batches")
def test_a_bad_row_after_many_written_batches_leaves_the_database_as_it_was(
    db_path: Path, tmp_path: Path, change: dict[str, object]
) -> None:
    rows = milestone_rows(1500)
    rows[1399].update(change)
    before = files_of(db_path)
    result = run(
        db_path, "import", str(write_json(tmp_path / "fout.json", rows)), "--kind", "milestones"
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("Fout: Item 1400") and result.stderr.count("\n") == 1
    assert files_of(db_path) == before


@pytest.mark.usefixtures("small_batches")
def test_an_import_written_in_batches_refers_across_them_and_is_published_as_from_scratch(
    db_path: Path, tmp_path: Path
) -> None:
    rows = milestone_rows(1500)
    rows[1450]["depends_on"] = ["m3@import", 7]  # written many batches before; a seeded one
    with Store.open(db_path) as store:
        sequence_before = store.milestone(7).sequence
    result = run(
        db_path, "import", str(write_json(tmp_path / "m.json", rows)), "--kind", "milestones"
    )
    assert result.exit_code == 0, result.output
    with Store.open(db_path) as store:
        first = store.id_for_uid("milestone", "m3@import")
        late = store.id_for_uid("milestone", "m1450@import")
        assert late is not None and store.milestone(late).depends_on == (7, first)
        columns = (
            "id, sequence, public_hash, published_bodies, papers_published, documents_due_default"
        )
        published = store.conn.execute(f"SELECT {columns} FROM milestone ORDER BY id").fetchall()
        with store._transaction():
            republish_all(store.repo, store.settings())
            again = store.conn.execute(f"SELECT {columns} FROM milestone ORDER BY id").fetchall()
        assert again == published
        # The seeded milestone 7 now has a follower: its view changed, so its SEQUENCE rose.
        assert store.milestone(7).sequence == sequence_before + 1


def test_a_cycle_closed_by_an_update_row_is_refused_with_its_row(
    db_path: Path, tmp_path: Path
) -> None:
    rows = [
        {"uid": "nieuw@x", "title": "Nieuw", "date": "2026-12-20", "depends_on": [7]},
        # The seeded AB meeting of 16 december (7) now waits for the new step: a loop.
        {"uid": "gv-2026-12-16-ab@hecht-tracker", "depends_on": ["nieuw@x"]},
    ]
    with Store.open(db_path) as store:
        assert store.milestone(7).uid == "gv-2026-12-16-ab@hecht-tracker"
    before = files_of(db_path)
    write_json(tmp_path / "kring.json", rows)
    result = run(db_path, "import", str(tmp_path / "kring.json"), "--kind", "milestones")
    assert result.exit_code == 2
    assert "Item 2: Deze afhankelijkheid maakt een kring: 7 → 9 → 7." in result.stderr
    assert files_of(db_path) == before


def test_an_update_row_may_refer_to_a_record_added_earlier_in_the_file(
    db_path: Path, tmp_path: Path
) -> None:
    rows = [
        {"uid": "voorbereiding@x", "title": "Voorbereiding", "date": "2026-12-01"},
        {"uid": "gv-2026-12-16-ab@hecht-tracker", "depends_on": [6, "voorbereiding@x"]},
        {"uid": "daarna@x", "title": "Daarna", "date": "2027-01-10", "depends_on": [7]},
    ]
    result = run(
        db_path, "import", str(write_json(tmp_path / "mix.json", rows)), "--kind", "milestones"
    )
    assert result.exit_code == 0, result.output
    assert "2 toegevoegd, 1 bijgewerkt" in result.stdout
    with Store.open(db_path) as store:
        added = store.id_for_uid("milestone", "voorbereiding@x")
        assert store.milestone(7).depends_on == (6, added)
        assert store.milestone(7).version == 2


def test_new_goals_without_a_number_are_numbered_on(db_path: Path, tmp_path: Path) -> None:
    rows = [
        {"title": "Vierde doel", "programme_id": 1},
        {"title": "Vijfde doel", "programme_id": 1},
    ]
    result = run(
        db_path, "import", str(write_json(tmp_path / "doelen.json", rows)), "--kind", "goals"
    )
    assert result.exit_code == 0, result.output
    with Store.open(db_path) as store:
        numbers = {g.title: g.number for g in store.goals(1)}
    highest = max(n for t, n in numbers.items() if not t.endswith("e doel"))
    assert numbers["Vierde doel"] == highest + 1 and numbers["Vijfde doel"] == highest + 2


def test_an_import_leaves_the_connection_with_the_page_cache_it_had(store: Store) -> None:
    before = store.conn.execute("PRAGMA cache_size").fetchone()[0]
    rows = [("item 1", {"title": "Eén", "date": TODAY})]
    assert store.import_records("milestone", rows) == (1, 0)
    with pytest.raises(TrackerError):
        store.import_records("milestone", [("item 1", {"title": " ", "date": TODAY})])
    assert store.conn.execute("PRAGMA cache_size").fetchone()[0] == before
