"""The CLI contract that scripts rely on: options, JSON, exit codes, Dutch errors, unchanged data."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from hecht_tracker.cli import cli

TODAY = "2026-11-23"


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), "--today", TODAY, *args])


def files_of(db: Path) -> dict[str, bytes]:
    """The database file and its companions, byte for byte."""
    return {
        p.name: p.read_bytes() for p in sorted(db.parent.iterdir()) if p.name.startswith(db.name)
    }


def test_milestone_list_shows_the_board_moments_with_db_26_nov_next(db_path: Path) -> None:
    result = run(db_path, "milestone", "list")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    marked = [line for line in lines if line.startswith("▶")]
    assert len(marked) == 1 and "do 26 nov 2026" in marked[0] and "DB" in marked[0]
    for day in (
        "wo 8 jul 2026",
        "wo 16 sep 2026",
        "do 15 okt 2026",
        "wo 4 nov 2026",
        "wo 16 dec 2026",
    ):
        assert day in result.output
    assert "Volgend bestuursmoment: DB do 26 nov 2026" in result.output
    assert "(over 3 dagen)" in result.output


def test_milestone_json_uses_the_data_model_names_and_iso_values(db_path: Path) -> None:
    result = run(db_path, "milestone", "list", "--json")
    records = json.loads(result.output)
    db = next(r for r in records if r["id"] == 6)
    assert db["date"] == "2026-11-26" and db["documents_due"] == "2026-11-19"
    assert db["uid"] == "gv-2026-11-26-db@hecht-tracker"
    assert db["depends_on"] == [5] and db["goal_ids"] == [1, 2, 3]
    assert db["status"] == "planned" and db["sequence"] == 0 and db["baseline_date"] == "2026-11-26"
    for key in (
        "start_time",
        "end_time",
        "health",
        "visibility",
        "decision",
        "notes",
        "created",
        "updated",
    ):
        assert key in db


def test_add_takes_dutch_dates_times_and_labels(db_path: Path) -> None:
    result = run(
        db_path,
        "milestone",
        "add",
        "Extra DB-vergadering",
        "--date",
        "do 10 dec",
        "--start-time",
        "14.00",
        "--end-time",
        "16u",
        "--body",
        "db",
        "--status",
        "in voorbereiding",
        "--depends-on",
        "6",
        "--goal",
        "1",
        "--goal",
        "3",
        "--json",
    )
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert (record["date"], record["start_time"], record["end_time"]) == (
        "2026-12-10",
        "14:00",
        "16:00",
    )
    assert (record["body"], record["status"], record["visibility"]) == (
        "DB",
        "in_progress",
        "public",
    )
    assert record["depends_on"] == [6] and record["goal_ids"] == [1, 3]


def test_update_moves_a_date_and_journals_the_note(db_path: Path) -> None:
    assert (
        run(
            db_path, "milestone", "update", "6", "--date", "3-12-2026", "--note", "DB verplaatst"
        ).exit_code
        == 0
    )
    shown = json.loads(run(db_path, "milestone", "show", "6", "--json").output)
    assert (
        shown["date"] == "2026-12-03"
        and shown["baseline_date"] == "2026-11-26"
        and shown["sequence"] == 1
    )
    journal = json.loads(run(db_path, "journal", "--json").output)
    assert {
        "field": "date",
        "old": "2026-11-26",
        "new": "2026-12-03",
        "note": "DB verplaatst",
    }.items() <= journal[-1].items()


def test_update_accepts_stored_keys_as_well_as_dutch_labels(db_path: Path) -> None:
    assert run(db_path, "milestone", "update", "6", "--status", "in_progress").exit_code == 0
    assert (
        run(
            db_path, "milestone", "update", "7", "--health", "risico", "--health-reason", "krap"
        ).exit_code
        == 0
    )
    records = {r["id"]: r for r in json.loads(run(db_path, "milestone", "list", "--json").output)}
    assert records[6]["status"] == "in_progress" and records[7]["health"] == "at_risk"


def test_delete_cancels_a_milestone_but_removes_an_action(db_path: Path) -> None:
    assert "geannuleerd" in run(db_path, "milestone", "delete", "6").output
    assert (
        json.loads(run(db_path, "milestone", "show", "6", "--json").output)["status"] == "cancelled"
    )
    assert run(db_path, "action", "delete", "1").exit_code == 0
    assert run(db_path, "action", "show", "1").exit_code == 2


def test_lists_filter_by_their_options(db_path: Path) -> None:
    db_only = json.loads(run(db_path, "milestone", "list", "--body", "DB", "--json").output)
    assert {r["body"] for r in db_only} == {"DB"} and len(db_only) == 2
    window = json.loads(
        run(
            db_path, "milestone", "list", "--from", "1-11-2026", "--to", "30-11-2026", "--json"
        ).output
    )
    assert [r["date"] for r in window] == ["2026-11-04", "2026-11-26"]
    overdue = json.loads(
        run(db_path, "action", "list", "--kind", "afspraak", "--overdue", "--json").output
    )
    assert overdue and all(r["kind"] == "agreement" and r["status"] != "done" for r in overdue)


def test_benefit_measure_records_a_dated_value(db_path: Path) -> None:
    result = run(
        db_path, "benefit", "measure", "11", "6,1%", "--date", "2026-11-01", "--note", "Q3"
    )
    assert result.exit_code == 0, result.output
    shown = json.loads(run(db_path, "benefit", "show", "11", "--json").output)
    assert shown["measurements"][-1] | {"id": 0} == {
        "id": 0,
        "benefit_id": 11,
        "date": "2026-11-01",
        "value": "6,1%",
        "note": "Q3",
    }


def test_goal_and_settings_commands(db_path: Path) -> None:
    assert (
        run(
            db_path,
            "goal",
            "update",
            "2",
            "--health",
            "uit koers",
            "--health-reason",
            "te weinig mensen",
        ).exit_code
        == 0
    )
    assert json.loads(run(db_path, "goal", "show", "2", "--json").output)["health"] == "off_track"
    assert run(db_path, "settings", "set", "documents-lead-days", "AB=10,DB=7").exit_code == 0
    assert json.loads(run(db_path, "settings", "--json").output)["documents_lead_days"] == {
        "AB": 10,
        "DB": 7,
    }
    assert (
        json.loads(run(db_path, "milestone", "show", "6", "--json").output)["documents_due"]
        == "2026-11-17"
    )


def test_export_and_import_round_trip_without_changes(db_path: Path, tmp_path: Path) -> None:
    for kind in ("milestones", "actions", "benefits", "goals"):
        for fmt in ("csv", "json"):
            out = tmp_path / f"{kind}.{fmt}"
            assert (
                run(db_path, "export", "--kind", kind, "--format", fmt, "--out", str(out)).exit_code
                == 0
            )
            journal_before = run(db_path, "journal", "--json").output
            result = run(db_path, "import", str(out), "--kind", kind)
            assert result.exit_code == 0, result.output
            assert " 0 toegevoegd" in f" {result.stdout}"
            assert run(db_path, "journal", "--json").output == journal_before


def test_import_adds_rows_and_updates_by_uid(db_path: Path, tmp_path: Path) -> None:
    source = tmp_path / "acties.csv"
    source.write_text(
        "uid;title;kind;owner;due_date;status\n"
        "qw-1-stukken-op-tijd@hecht-tracker;Quick win 1: stukken op tijd aanleveren;afspraak;Directie Hecht;10-07-2024;afgerond\n"
        ";Werkplan naar DB sturen;actie;Hecht;19 nov 2026;gepland\n",
        encoding="utf-8",
    )
    result = run(db_path, "import", str(source), "--kind", "actions")
    assert result.exit_code == 0, result.output
    assert "1 toegevoegd, 1 bijgewerkt" in result.stdout
    actions = json.loads(run(db_path, "action", "list", "--json").output)
    assert any(
        a["title"] == "Werkplan naar DB sturen" and a["due_date"] == "2026-11-19" for a in actions
    )
    assert next(a for a in actions if a["uid"].startswith("qw-1"))["status"] == "done"


def test_import_links_to_records_by_uid_made_earlier_in_the_same_file(
    db_path: Path, tmp_path: Path
) -> None:
    source = tmp_path / "nieuw.json"
    source.write_text(
        json.dumps(
            [
                {"uid": "a@x", "title": "Concept gereed", "date": "2026-12-01", "kind": "deadline"},
                {
                    "uid": "b@x",
                    "title": "Bespreken",
                    "date": "2026-12-08",
                    "body": "DB",
                    "depends_on": ["a@x", 6],
                },
            ]
        ),
        encoding="utf-8",
    )
    assert run(db_path, "import", str(source), "--kind", "milestones").exit_code == 0
    records = {r["uid"]: r for r in json.loads(run(db_path, "milestone", "list", "--json").output)}
    assert records["b@x"]["depends_on"] == sorted([records["a@x"]["id"], 6])


def bad_csv(tmp_path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path = tmp_path / "fout.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [["title", "date"], ["Goed", "1-12-2026"], ["Fout", "31-02-2026"]],
            "Rij 3, kolom 'date': De datum '31-02-2026' bestaat niet.",
        ),
        (
            [["title", "date", "status"], ["A", "1-12-2026", "klaar"]],
            "Rij 2, kolom 'status': Onbekende status: 'klaar'",
        ),
        ([["title", "date"], ["", "1-12-2026"]], "Rij 2: De titel mag niet leeg zijn."),
        (
            [["uid", "title", "date"], ["x@y", "A", "1-12-2026"], ["x@y", "B", "2-12-2026"]],
            "Rij 3: uid 'x@y' staat ook al in rij 2.",
        ),
        ([["title", "datum"], ["A", "1-12-2026"]], "Rij 1 (kopregel): onbekende kolom 'datum'."),
        (
            [["title", "date", "depends_on"], ["A", "1-12-2026", "99"]],
            "Rij 2, kolom 'depends_on': Mijlpaal 99 bestaat niet.",
        ),
    ],
)
def test_a_bad_import_names_row_and_column_and_writes_nothing(
    db_path: Path, tmp_path: Path, rows: list[list[str]], message: str
) -> None:
    before = files_of(db_path)
    result = run(db_path, "import", str(bad_csv(tmp_path, rows)), "--kind", "milestones")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1] == f"Fout: {message}" or message in result.stderr
    assert files_of(db_path) == before


BAD_INPUTS = [
    (["milestone", "update", "6", "--date", "31-02-2026"], "De datum '31-02-2026' bestaat niet"),
    (["milestone", "update", "99", "--title", "x"], "Mijlpaal 99 bestaat niet"),
    (["milestone", "update", "6", "--status", "klaar"], "Onbekende status: 'klaar'"),
    (["milestone", "add", "  ", "--date", "1-12-2026"], "De titel mag niet leeg zijn"),
    (["milestone", "update", "4", "--depends-on", "7"], "kring"),
    (
        ["milestone", "update", "6", "--start-time", "14:00", "--end-time", "13:00"],
        "ligt niet na de begintijd",
    ),
    (["milestone", "update", "6", "--start-time", "25:00"], "De tijd '25:00' bestaat niet"),
    (["milestone", "update", "6"], "Geef minstens één veld"),
    (["milestone", "lijst"], "Onbekende opdracht"),
    (["milestone", "list", "--kleur", "rood"], "Onbekende optie: --kleur"),
    (["milestone", "show", "zes"], "geen geheel getal"),
    (["action", "update", "1", "--due-date", "gisteren"], "geen volledige datum"),
    (["benefit", "update", "1", "--category", "sport"], "Onbekende categorie"),
    (["benefit", "measure", "1", " "], "meetwaarde mag niet leeg"),
    (["export", "--kind", "personen"], "kies uit milestones"),
    (["init"], "bestaat al"),
    (["settings", "set", "kleur", "blauw"], "Onbekende instelling"),
    (["milestone", "update", "6", "--date", ""], "De datum mag niet leeg zijn"),
    (["milestone", "update", "6", "--programme", "99"], "Programma 99 bestaat niet"),
    (["milestone", "list", "--from", "straks"], "--from:"),
    (["export"], "Geef --kind"),
]


@pytest.mark.parametrize(("args", "message"), BAD_INPUTS, ids=[" ".join(a) for a, _ in BAD_INPUTS])
def test_bad_input_gets_one_dutch_line_exit_2_and_leaves_the_database_unchanged(
    db_path: Path, args: list[str], message: str
) -> None:
    before = files_of(db_path)
    result = run(db_path, *args)
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("Fout: ") and message in line
    assert "Traceback" not in result.output
    assert files_of(db_path) == before


def test_a_bad_today_is_refused_before_the_database_is_made(tmp_path: Path) -> None:
    db = tmp_path / "nieuw.sqlite"
    result = CliRunner().invoke(
        cli, ["--db", str(db), "--today", "23-11-2026", "milestone", "list"]
    )
    assert result.exit_code == 2 and "gebruik JJJJ-MM-DD" in result.stderr
    assert not db.exists()


def test_a_foreign_file_is_refused_with_exit_1_and_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "notities.sqlite"
    db.write_text("geen database", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--db", str(db), "milestone", "list"])
    assert result.exit_code == 1 and "geen hecht-tracker-database" in result.stderr
    assert db.read_text(encoding="utf-8") == "geen database"


def test_init_force_backs_up_and_init_empty_starts_blank(db_path: Path) -> None:
    run(db_path, "milestone", "update", "6", "--location", "Leiden")
    result = run(db_path, "init", "--force", "--empty")
    assert result.exit_code == 0 and "Reservekopie" in result.output
    assert json.loads(run(db_path, "milestone", "list", "--json").output) == []
    backups = list(db_path.parent.glob("hecht.*.bak.sqlite"))
    assert len(backups) == 1


def test_env_vars_choose_database_and_today(db_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["milestone", "list"],
        env={"HECHT_TRACKER_DB": str(db_path), "HECHT_TRACKER_TODAY": "2026-12-01"},
    )
    marked = [line for line in result.output.splitlines() if line.startswith("▶")]
    assert "wo 16 dec 2026" in marked[0]


def test_version_and_short_help() -> None:
    assert CliRunner().invoke(cli, ["--version"]).output.startswith("hecht-tracker ")
    result = CliRunner().invoke(cli, ["-h"])
    assert result.exit_code == 0 and result.output.startswith("Gebruik: ")


def all_commands(
    group: click.Group, prefix: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], click.Command]]:
    found = []
    for name, command in group.commands.items():
        found.append(((*prefix, name), command))
        if isinstance(command, click.Group):
            found.extend(all_commands(command, (*prefix, name)))
    return found


@pytest.mark.parametrize(
    ("path", "command"),
    all_commands(cli),
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else "",
)
def test_every_command_has_dutch_help_with_an_example(
    path: tuple[str, ...], command: click.Command
) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    assert "Voorbeeld" in result.output or "hecht-tracker " in (command.help or "")
    assert "Show this message" not in result.output


def test_an_import_row_with_an_id_but_no_uid_is_refused(db_path: Path, tmp_path: Path) -> None:
    source = bad_csv(tmp_path, [["id", "title", "date"], ["6", "Hernoemd", "26-11-2026"]])
    before = files_of(db_path)
    result = run(db_path, "import", str(source), "--kind", "milestones")
    assert result.exit_code == 2 and "Rij 2: heeft een id maar geen uid" in result.stderr
    assert files_of(db_path) == before


def test_an_import_writes_nothing_but_its_result_when_not_on_a_terminal(
    db_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "doelen.json"
    run(db_path, "export", "--kind", "goals", "--out", str(out))
    result = run(db_path, "import", str(out), "--kind", "goals")
    assert result.stderr == "" and result.stdout == "0 toegevoegd, 3 bijgewerkt.\n"


def test_file_problems_are_one_dutch_line(db_path: Path, tmp_path: Path) -> None:
    result = run(
        db_path, "export", "--kind", "goals", "--out", str(tmp_path / "geen" / "map" / "x.csv")
    )
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == f"Fout: {tmp_path / 'geen' / 'map' / 'x.csv'}: map of bestand bestaat niet."
    )


def test_a_group_without_subcommand_shows_its_help(db_path: Path) -> None:
    result = run(db_path, "milestone")
    assert result.exit_code == 0 and "Gebruik:" in result.stdout and "OPDRACHT" in result.stdout


def test_the_journal_reads_in_dutch(db_path: Path) -> None:
    run(db_path, "milestone", "update", "6", "--status", "afgerond", "--note", "vergaderd")
    last = run(db_path, "journal").stdout.splitlines()[-1]
    assert last.endswith("mijlpaal 6 status: gepland → afgerond (vergaderd)")


def test_papers_sent_without_a_year_is_a_date_that_passed(db_path: Path) -> None:
    run(db_path, "milestone", "update", "6", "--documents-sent", "18 nov")
    shown = json.loads(run(db_path, "milestone", "show", "6", "--json").output)
    assert shown["documents_sent"] == "2026-11-18"


def test_milestone_list_filters_by_kind_and_goal(db_path: Path) -> None:
    sessions = json.loads(
        run(db_path, "milestone", "list", "--kind", "themabijeenkomst", "--json").output
    )
    assert [r["date"] for r in sessions] == ["2026-09-16", "2026-11-04"]
    run(db_path, "milestone", "update", "4", "--goal", "1")
    on_goal_2 = json.loads(run(db_path, "milestone", "list", "--goal", "2", "--json").output)
    assert 4 not in [r["id"] for r in on_goal_2] and 6 in [r["id"] for r in on_goal_2]
