"""Hostile input: every bad value gets one Dutch line, the right exit code and no change.

A table of bad inputs across CLI options, import files and the values a TUI form passes to
the shared field parser. Each must end in exactly one line on stderr that starts with
``Fout:``, exit 2 for bad input (1 for a database or file that is not usable), no traceback,
and a database whose files are byte-identical afterwards. Most run in-process through click's
runner; a sample runs as real processes with raw bytes in argv.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from hecht_tracker.cli import cli
from hecht_tracker.core.errors import ValidationError
from hecht_tracker.core.fields import parse_fields
from hecht_tracker.storage.store import Store
from hecht_tracker.transfer import MAX_IMPORT_BYTES

TODAY = "2026-11-23"
MB = 1024 * 1024
TEN_MB_TITLE = "x" * (10 * MB)
# Words that would mean click's or Python's English leaked through.
ENGLISH = ("Traceback", "Error:", "Usage:", "Exception", "not a valid", "is not", "Invalid")


def files_of(db: Path) -> dict[str, bytes]:
    """The database file and its companions, byte for byte."""
    return {
        p.name: p.read_bytes() for p in sorted(db.parent.iterdir()) if p.name.startswith(db.name)
    }


def assert_one_dutch_line(stderr: str, stdout: str = "") -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}: {stderr[:500]!r}"
    line = lines[0]
    assert line.startswith("Fout: "), line[:300]
    assert len(line) <= 520, f"message of {len(line)} characters"
    assert "Onverwachte fout" not in line, line[:300]  # the last-resort guard must not be needed
    for word in ENGLISH:
        assert word not in line, line[:300]
    assert "Traceback" not in stdout
    return line


# --- CLI options ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    args: tuple[str, ...]
    expect: str  # a piece of the Dutch message
    code: int = 2

    def __str__(self) -> str:
        shown = " ".join(a if len(a) < 30 else a[:12] + f"…[{len(a)}]" for a in self.args)
        return shown.encode("unicode_escape").decode()[:80]


def add(*extra: str, title: str = "Extra vergadering") -> tuple[str, ...]:
    return ("milestone", "add", title, "--date", "10-12-2026", "--body", "DB", *extra)


def add_dated(day: str) -> tuple[str, ...]:
    return ("milestone", "add", "Extra vergadering", "--date", day, "--body", "DB")


CLI_CASES = [
    # impossible dates
    *(
        Case(add_dated(day), "bestaat niet")
        for day in (
            "31-02-2026",
            "30-2-2027",
            "29-02-2027",
            "32-12-2026",
            "0-12-2026",
            "12-13-2026",
        )
    ),
    Case(add_dated("31 april 2026"), "bestaat niet"),
    Case(add_dated("2026-02-30"), "bestaat niet"),
    Case(add_dated("20261399"), "bestaat niet"),
    # dates far out of range
    *(
        Case(add_dated(day), "1900–2200")
        for day in ("1-1-0001", "0001-01-01", "31-12-9999", "9999-12-31", "31-12-1899", "1-1-2201")
    ),
    Case(add_dated("1 januari 1899"), "1900–2200"),
    Case(add_dated("1 januari 2201"), "1900–2200"),
    Case(add_dated("99999999999999999999-1-1"), "datum"),
    Case(add_dated("1" * 400), "datum"),
    # not dates at all
    *(
        Case(add_dated(day), "datum")
        for day in ("morgen", "16 foo 2026", "16:00", "16-12-2026 14:00", "dec", "   ", "--")
    ),
    Case(add_dated("ma 16 dec 2026"), "woensdag"),
    # non-ASCII digits and control characters in dates
    Case(add_dated("١٦-١٢-٢٠٢٦"), "0–9"),
    Case(add_dated("１６-１２-２０２６"), "0–9"),
    Case(add_dated("²³-12-2026"), "0–9"),
    Case(add_dated("16-12-2026\x00"), "stuurteken"),
    Case(add_dated("16\n12\n2026"), "regeleinde"),
    # times
    *(
        Case(add("--start-time", time), "tijd")
        for time in ("25:00", "24:00", "12:60", "99", "-1", "14:00:00:00", "1e9", "noon", "14;00")
    ),
    Case(add("--start-time", "１４:００"), "0–9"),
    Case(add("--start-time", "²"), "0–9"),
    Case(add("--start-time", "14:00", "--end-time", "13:00"), "eindtijd"),
    Case(add("--end-time", "13:00"), "begintijd"),
    # unknown ids, SQL in ids, huge numbers
    Case(("milestone", "show", "1; DROP TABLE milestone"), "geen geheel getal"),
    Case(("milestone", "show", "999999"), "bestaat niet"),
    Case(("milestone", "show", "0"), "vanaf 1"),
    Case(("milestone", "show", "-1"), "Onbekende optie"),
    Case(("milestone", "show", "99999999999999999999999"), "vanaf 1"),
    Case(("milestone", "show", "9223372036854775808"), "vanaf 1"),
    Case(("action", "show", "²"), "geen geheel getal"),
    Case(("goal", "show", "1e3"), "geen geheel getal"),
    Case(("benefit", "show", "777"), "bestaat niet"),
    Case(("milestone", "update", "999999", "--status", "afgerond"), "bestaat niet"),
    Case(("milestone", "update", "99999999999999999999", "--status", "afgerond"), "vanaf 1"),
    Case(("milestone", "delete", "1; DROP TABLE milestone"), "geen geheel getal"),
    Case(("action", "delete", "424242"), "bestaat niet"),
    Case(add("--goal", "1; DROP TABLE goal"), "Onbekende doel"),
    Case(add("--goal", "999"), "bestaat niet"),
    Case(add("--goal", "99999999999999999999999"), "bestaat niet"),
    Case(add("--goal", "²"), "0–9"),
    Case(add("--depends-on", "99999999999999999999"), "bestaat niet"),
    Case(add("--depends-on", "'; DELETE FROM milestone; --"), "Onbekende mijlpaal"),
    Case(add("--programme", "x' OR '1'='1"), "Onbekende programma"),
    Case(("milestone", "update", "6", "--depends-on", "6"), "zichzelf"),
    Case(("milestone", "update", "5", "--depends-on", "6"), "kring"),
    Case(("action", "add", "Nieuw", "--milestone", "31337"), "bestaat niet"),
    # titles: length, control characters, invalid UTF-8
    Case(add(title=TEN_MB_TITLE), "te lang"),
    Case(add(title="x" * 301), "te lang"),
    Case(add(title="a\x00b"), "stuurteken"),
    Case(add(title="regel\neen"), "regeleinde"),
    Case(add(title="regel\rtwee"), "regeleinde"),
    Case(add(title="\x1b[31mrood\x1b[0m"), "stuurteken"),
    Case(add(title="tab\tin titel"), "stuurteken"),
    Case(add(title="scheiding\u2028regel"), "regeleinde"),
    Case(add(title="\x7f"), "stuurteken"),
    Case(add(title="vol\x85gende"), "regeleinde"),
    Case(add(title="kapot \udcff\udcfe"), "UTF-8"),
    Case(("milestone", "update", "6", "--title", "x" * 5000), "te lang"),
    Case(("milestone", "update", "6", "--title", "\x00"), "stuurteken"),
    Case(("milestone", "update", "6", "--location", "zaal\n2"), "regeleinde"),
    Case(("milestone", "update", "6", "--location", "x" * 301), "te lang"),
    Case(("milestone", "update", "6", "--body", "x" * 41), "te lang"),
    Case(("milestone", "update", "6", "--body", "D\x00B"), "stuurteken"),
    Case(("milestone", "update", "6", "--body", ""), "leeg"),
    Case(("milestone", "update", "6", "--description", "x" * 20_001), "te lang"),
    Case(("milestone", "update", "6", "--description", "nul\x00teken"), "stuurteken"),
    Case(("milestone", "update", "6", "--notes", "bel\x07"), "stuurteken"),
    Case(("milestone", "update", "6", "--decision", "x" * 2_001), "te lang"),
    Case(("milestone", "update", "6", "--uid", "x"), "Onbekende optie"),
    Case(("action", "add", "x" * 400), "te lang"),
    Case(("action", "add", "Bellen", "--owner", "Jan\nPiet"), "regeleinde"),
    Case(("benefit", "add", "Baat", "--target", "\x00"), "stuurteken"),
    Case(("goal", "add", "Doel\x00"), "stuurteken"),
    Case(("action", "add", ""), "titel"),
    # enums
    Case(("milestone", "update", "6", "--status", "bogus"), "Kies uit"),
    Case(("milestone", "update", "6", "--kind", "'; DROP TABLE milestone; --"), "Kies uit"),
    Case(("milestone", "update", "6", "--visibility", "geheim"), "Kies uit"),
    Case(("milestone", "update", "6", "--health", "\x00"), "stuurteken"),
    Case(("action", "add", "Bellen", "--kind", "x" * 10_000), "Onbekende soort"),
    # whole numbers
    *(
        Case(("goal", "add", "Nieuw doel", "--programme", "1", "--number", number), expect)
        for number, expect in (
            ("²", "0–9"),
            ("١٢", "0–9"),
            ("99999", "tot en met 999"),
            ("-5", "tot en met 999"),
            ("0", "tot en met 999"),
            ("1e3", "geheel getal"),
            ("0x10", "geheel getal"),
            ("3.5", "geheel getal"),
            ("9" * 5000, "geen geheel getal"),
        )
    ),
    # settings
    *(
        Case(("settings", "set", key, value), expect)
        for key, value, expect in (
            ("reminder-minutes", "99999999999999999999", "tot en met"),
            ("reminder-minutes", "-1", "Onbekende optie"),
            ("reminder-minutes", "²", "minuten"),
            ("reminder-minutes", "1e6", "minuten"),
            ("reminder-minutes", "50000", "tot en met"),
            ("meeting-minutes", "0", "van 1"),
            ("meeting-minutes", "100000", "tot en met"),
            ("documents-lead-days", "AB=999999999", "tot en met 60"),
            ("documents-lead-days", "AB=-1", "AB=10,DB=5"),
            ("documents-lead-days", "AB=²", "AB=10,DB=5"),
            ("documents-lead-days", "=5", "AB=10,DB=5"),
            ("documents-lead-days", "AB", "AB=10,DB=5"),
            ("documents-lead-days", "A\x00B=5", "stuurteken"),
            ("organizer-email", "a@b.nl\r\nX-Injected: 1", "regeleinde"),
            ("organizer-email", "geen-apenstaartje", "e-mailadres"),
            ("organizer-email", "a@b@c.nl", "e-mailadres"),
            ("organizer-email", "jan piet@b.nl", "e-mailadres"),
            ("organizer-email", "x" * 300 + "@b.nl", "te lang"),
            ("organisation", "", "leeg"),
            ("organisation", "Hecht\x00", "stuurteken"),
            ("organisation", "x" * 500, "te lang"),
            ("organizer-name", "Naam\nmet regel", "regeleinde"),
            ("feed-token", "abc", "Onbekende instelling"),
            ("geen-sleutel", "1", "Onbekende instelling"),
        )
    ),
    # --today and other date options
    Case(("--today", "2026-13-01", "milestone", "list"), "JJJJ-MM-DD"),
    Case(("--today", "0001-01-01", "milestone", "list"), "1900–2200"),
    Case(("--today", "99999-01-01", "milestone", "list"), "JJJJ-MM-DD"),
    Case(("--today", "²⁰²⁶-01-01", "milestone", "list"), "JJJJ-MM-DD"),
    Case(("journal", "--since", "31-02"), "bestaat niet"),
    Case(("journal", "--since", "1-1-0001"), "1900–2200"),
    Case(("milestone", "list", "--from", "gisteren"), "--from"),
    Case(("milestone", "list", "--to", "9999-99-99"), "--to"),
    Case(("milestone", "list", "--status", "\x00"), "stuurteken"),
    Case(("milestone", "list", "--goal", "99999999999999999999"), "bestaat niet"),
    # measurements
    Case(("benefit", "measure", "11", "6,1%", "--date", "31-02-2026"), "bestaat niet"),
    Case(("benefit", "measure", "11", "6,1%", "--date", "1-1-0001"), "1900–2200"),
    Case(("benefit", "measure", "11", "   "), "leeg"),
    Case(("benefit", "measure", "11", "x" * 201), "te lang"),
    Case(("benefit", "measure", "11", "6\x00"), "stuurteken"),
    Case(("benefit", "measure", "11", "6,1%", "--note", "x" * 2001), "te lang"),
    Case(("benefit", "measure", "99999999999999999999", "6"), "vanaf 1"),
    Case(("milestone", "update", "6", "--status", "afgerond", "--note", "x" * 10 * MB), "te lang"),
    Case(("action", "delete", "3", "--note", "weg\x00"), "stuurteken"),
    # report and calendar options
    Case(("report", "weekly", "--week", "9999-W52"), "1900–2200"),
    Case(("report", "weekly", "--week", "0001-W01"), "1900–2200"),
    Case(("report", "weekly", "--week", "2026-W99"), "bestaat niet"),
    Case(("report", "weekly", "--week", "²⁰²⁶-W01"), "Ongeldige week"),
    Case(("report", "weekly", "--date", "31-12-9999"), "1900–2200"),
    Case(("report", "weekly", "--format", "exe"), "kies uit"),
    Case(("calendar", "token", "--rotate", "--remove"), "niet allebei"),
    Case(("calendar", "serve", "--port", "0", "--token", "geheim/../x"), "alleen letters"),
    Case(("calendar", "serve", "--port", "0", "--token", "a\r\nX: y"), "alleen letters"),
    Case(("calendar", "serve", "--port", "0", "--token", "x" * 5000), "ongeldig"),
    Case(("import", "/dev/zero", "--kind", "actions"), "geen gewoon bestand"),
    Case(("import", "/proc/self/mem", "--kind", "actions"), "niet te lezen"),
    # usage
    Case(("milestone", "update", "6"), "minstens één veld"),
    Case(("milestone", "frobnicate"), "Onbekende opdracht"),
    Case(("import", "bestaat-niet.csv", "--kind", "actions"), "bestaat niet"),
    Case(("export", "--kind", "planeten"), "kies uit"),
    Case(("calendar", "serve", "--port", "70000"), "0 tot en met 65535"),
]


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "hecht.sqlite"
    Store.open(path).close()
    return path


@pytest.mark.parametrize("case", CLI_CASES, ids=str)
def test_a_bad_cli_input_gets_one_dutch_line_and_leaves_the_database_byte_identical(
    seeded_db: Path, case: Case
) -> None:
    before = files_of(seeded_db)
    result = CliRunner().invoke(cli, ["--db", str(seeded_db), "--today", TODAY, *case.args])
    line = assert_one_dutch_line(result.stderr, result.stdout)
    assert result.exit_code == case.code, line
    assert case.expect.lower() in line.lower(), line[:300]
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert files_of(seeded_db) == before


# --- import files -----------------------------------------------------------------------------

MILESTONE_HEADER = "title,date,body\n"


@dataclass(frozen=True)
class FileCase:
    name: str
    content: bytes | Callable[[], bytes]
    expect: str
    kind: str = "milestones"
    suffix: str = ".csv"

    def __str__(self) -> str:
        return self.name


def csv_bytes(*rows: str, header: str = MILESTONE_HEADER) -> bytes:
    return (header + "".join(row + "\n" for row in rows)).encode()


def json_bytes(value: object) -> bytes:
    return json.dumps(value).encode()


def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def big_file() -> bytes:
    row = b"Vergadering met een lange titel," + b"10-12-2026,DB\n"
    return MILESTONE_HEADER.encode() + row * (50 * MB // len(row) + 1)


def chain_rows(count: int, day: dt.date = dt.date(2026, 11, 24)) -> bytes:
    """``count`` milestones on ``day``, each depending on the one before; the last is a DB
    meeting, so on the day before it is the next board moment and the report walks the route."""
    lines = ["uid,title,date,body,kind,depends_on"]
    for number in range(count):
        before = f"keten-{number - 1}" if number else ""
        kind = "vergadering" if number == count - 1 else "deadline"
        lines.append(f"keten-{number},Stap {number},{day:%d-%m-%Y},DB,{kind},{before}")
    return ("\n".join(lines) + "\n").encode()


FILE_CASES = [
    FileCase(
        "invalid-utf8", MILESTONE_HEADER.encode() + b"Verg\xffadering,10-12-2026,DB\n", "UTF-8"
    ),
    FileCase(
        "latin-1", MILESTONE_HEADER.encode() + "Caf\xe9,10-12-2026,DB\n".encode("latin-1"), "UTF-8"
    ),
    FileCase("utf-16-with-bom", "title,date,body\nA,10-12-2026,DB\n".encode("utf-16"), "UTF-8"),
    FileCase("bom-then-bad-date", b"\xef\xbb\xbf" + csv_bytes("A,31-02-2026,DB"), "bestaat niet"),
    FileCase(
        "bom-then-unknown-column",
        b"\xef\xbb\xbftitel,date\nA,1-1-2027\n",
        "onbekende kolom 'titel'",
    ),
    FileCase("fifty-megabytes", big_file, "MB"),
    FileCase("very-long-cell", csv_bytes("x" * 400_000 + ",10-12-2026,DB"), "te lang"),
    FileCase(
        "long-cell-in-unknown-column", b"title,x\nA," + b"y" * 300_000 + b"\n", "onbekende kolom"
    ),
    FileCase("nul-byte", csv_bytes("A\x00B,10-12-2026,DB"), "stuurteken"),
    FileCase("control-character", csv_bytes("A\x1bB,10-12-2026,DB"), "stuurteken"),
    FileCase("quoted-line-break-in-title", csv_bytes('"A\nB",10-12-2026,DB'), "regeleinde"),
    FileCase("title-too-long", csv_bytes("x" * 301 + ",10-12-2026,DB"), "te lang"),
    FileCase("year-one", csv_bytes("A,1-1-0001,DB"), "1900–2200"),
    FileCase("year-9999", csv_bytes("A,9999-12-31,DB"), "1900–2200"),
    FileCase("impossible-date", csv_bytes("A,30-02-2026,DB"), "bestaat niet"),
    FileCase("arabic-digits", csv_bytes("A,١٦-١٢-٢٠٢٦,DB"), "0–9"),
    FileCase("time-25", b"title,date,body,start_time\nA,10-12-2026,DB,25:00\n", "bestaat niet"),
    FileCase("empty", b"", "leeg"),
    FileCase("only-a-bom", b"\xef\xbb\xbf", "leeg"),
    FileCase("unknown-column", b"title,date,colour\nA,1-1-2027,rood\n", "onbekende kolom 'colour'"),
    FileCase("duplicate-column", b"title,date,title\nA,1-1-2027,B\n", "twee keer"),
    FileCase("more-cells-than-header", csv_bytes("A,10-12-2026,DB,extra"), "meer cellen"),
    FileCase("missing-required", b"title,date\nA,\n", "datum"),
    FileCase("wrong-type-date", csv_bytes("A,twaalf december,DB"), "datum"),
    FileCase("wrong-status", b"title,date,status\nA,1-1-2027,misschien\n", "Kies uit"),
    FileCase(
        "sql-in-status", b"title,date,status\nA,1-1-2027,'; DROP TABLE milestone;--\n", "Kies uit"
    ),
    FileCase(
        "sql-in-reference",
        b"title,date,depends_on\nA,1-1-2027,1; DROP TABLE milestone\n",
        "Onbekende mijlpaal",
    ),
    FileCase(
        "missing-reference",
        b"title,date,depends_on\nA,1-1-2027,bestaat-niet\n",
        "Onbekende mijlpaal",
    ),
    FileCase("missing-goal", b"title,date,goal_ids\nA,1-1-2027,999\n", "bestaat niet"),
    FileCase(
        "huge-reference",
        b"title,date,goal_ids\nA,1-1-2027,99999999999999999999999\n",
        "bestaat niet",
    ),
    FileCase("duplicate-uid", b"uid,title,date\nu-1,A,1-1-2027\nu-1,B,2-1-2027\n", "uid 'u-1'"),
    FileCase("id-without-uid", b"id,title,date\n3,A,1-1-2027\n", "geen uid"),
    FileCase(
        "cycle-across-rows",  # a new step after DB 26 nov, then AB 4 nov made to wait for it
        b"uid,title,date,depends_on\n"
        b"nieuw,Nieuwe stap,27-11-2026,gv-2026-11-26-db@hecht-tracker\n"
        b"gv-2026-11-04-ab-thema@hecht-tracker,Themabijeenkomst,4-11-2026,nieuw\n",
        "kring",
    ),
    FileCase(
        "formula-is-only-text-but-too-long", csv_bytes("'=" + "1" * 400 + ",1-1-2027,DB"), "te lang"
    ),
    FileCase(
        "action-unknown-milestone", b"title,milestone_id\nBellen,4242\n", "bestaat niet", "actions"
    ),
    FileCase(
        "action-owner-line-break", b'title,owner\nBellen,"Jan\nPiet"\n', "regeleinde", "actions"
    ),
    FileCase(
        "goal-number-huge", b"title,number,programme_id\nDoel,99999999999,1\n", "999", "goals"
    ),
    FileCase(
        "goal-number-superscript", "title,number,programme_id\nDoel,²,1\n".encode(), "0–9", "goals"
    ),
    FileCase("benefit-unknown-category", b"title,category\nBaat,magie\n", "Kies uit", "benefits"),
    # JSON
    FileCase("json-number", b"42", "lijst van objecten", suffix=".json"),
    FileCase("json-string", b'"mijlpaal"', "lijst van objecten", suffix=".json"),
    FileCase("json-null", b"null", "lijst van objecten", suffix=".json"),
    FileCase("json-list-of-numbers", b"[1, 2, 3]", "lijst van objecten", suffix=".json"),
    FileCase("json-list-of-lists", b"[[{}]]", "lijst van objecten", suffix=".json"),
    FileCase("json-invalid", b'[{"title": "A",]', "geen geldige JSON", suffix=".json"),
    FileCase("json-nested-deeply", lambda: nested(100_000), "te diep genest", suffix=".json"),
    FileCase(
        "json-nested-in-a-field",
        json_bytes([{"title": [[[["A"]]]], "date": "1-1-2027"}]),
        "geen lijst",
        suffix=".json",
    ),
    FileCase(
        "json-object-as-title",
        json_bytes([{"title": {"a": 1}, "date": "1-1-2027"}]),
        "geen lijst",
        suffix=".json",
    ),
    FileCase(
        "json-nested-goal-list",
        json_bytes([{"title": "A", "date": "1-1-2027", "goal_ids": [[1]]}]),
        "geneste",
        suffix=".json",
    ),
    FileCase(
        "json-object-as-goals",
        json_bytes([{"title": "A", "date": "1-1-2027", "goal_ids": {"a": 1}}]),
        "lijst van ids",
        suffix=".json",
    ),
    FileCase(
        "json-huge-integer",
        b'[{"title": "A", "date": "1-1-2027", "goal_ids": [' + b"9" * 5000 + b"]}]",
        "niet te lezen",
        suffix=".json",
    ),
    FileCase(
        "json-big-integer-id",
        json_bytes([{"title": "A", "date": "1-1-2027", "goal_ids": [2**70]}]),
        "bestaat niet",
        suffix=".json",
    ),
    FileCase(
        "json-bool-as-goal",
        json_bytes([{"title": "A", "date": "1-1-2027", "goal_ids": [True]}]),
        "Onbekende doel",
        suffix=".json",
    ),
    FileCase(
        "json-float-as-goal",
        json_bytes([{"title": "A", "date": "1-1-2027", "goal_ids": [1.5]}]),
        "Onbekende doel",
        suffix=".json",
    ),
    FileCase(
        "json-bool-as-number",
        json_bytes([{"title": "D", "number": True, "programme_id": 1}]),
        "geheel getal",
        "goals",
        ".json",
    ),
    FileCase(
        "json-float-as-number",
        json_bytes([{"title": "D", "number": 1.5, "programme_id": 1}]),
        "geheel getal",
        "goals",
        ".json",
    ),
    FileCase(
        "json-lone-surrogate",
        b'[{"title": "A\\ud800", "date": "1-1-2027"}]',
        "UTF-8",
        suffix=".json",
    ),
    FileCase(
        "json-nul-escape",
        b'[{"title": "A\\u0000", "date": "1-1-2027"}]',
        "stuurteken",
        suffix=".json",
    ),
    FileCase(
        "json-unknown-field",
        json_bytes([{"title": "A", "date": "1-1-2027", "x" * 10_000: 1}]),
        "onbekende kolom",
        suffix=".json",
    ),
    FileCase(
        "json-date-as-number",
        json_bytes([{"title": "A", "date": 99999999}]),
        "bestaat niet",
        suffix=".json",
    ),
    FileCase(
        "json-invalid-utf8", b'[{"title": "\xff\xfe", "date": "1-1-2027"}]', "UTF-8", suffix=".json"
    ),
]


@pytest.mark.parametrize("case", FILE_CASES, ids=str)
def test_a_bad_import_file_gets_one_dutch_line_and_changes_nothing(
    seeded_db: Path, tmp_path: Path, case: FileCase
) -> None:
    source = tmp_path / f"invoer{case.suffix}"
    source.write_bytes(case.content() if callable(case.content) else case.content)
    before = files_of(seeded_db)
    result = CliRunner().invoke(
        cli, ["--db", str(seeded_db), "--today", TODAY, "import", str(source), "--kind", case.kind]
    )
    line = assert_one_dutch_line(result.stderr, result.stdout)
    assert result.exit_code == 2, line
    assert case.expect.lower() in line.lower(), line[:300]
    assert files_of(seeded_db) == before


def test_the_size_limit_is_below_fifty_megabytes() -> None:
    """The 50 MB case above is refused for its size, not read whole."""
    assert MAX_IMPORT_BYTES < 50 * MB


def test_a_bom_before_a_good_file_imports(db_path: Path, tmp_path: Path) -> None:
    source = tmp_path / "met-bom.csv"
    source.write_bytes(b"\xef\xbb\xbf" + csv_bytes("Extra vergadering,10-12-2026,DB"))
    result = CliRunner().invoke(
        cli, ["--db", str(db_path), "--today", TODAY, "import", str(source), "--kind", "milestones"]
    )
    assert result.exit_code == 0, result.output
    assert "1 toegevoegd" in result.output


def test_a_dependency_chain_of_1000_steps_imports_and_every_output_still_works(
    db_path: Path, tmp_path: Path
) -> None:
    # Dated from the clock's today: a report made "as of" an earlier day leaves out what was
    # written after it, and the import is stamped with the clock.
    source = tmp_path / "keten.csv"
    source.write_bytes(chain_rows(1000, dt.date.today() + dt.timedelta(days=1)))
    base = ["--db", str(db_path)]
    runner = CliRunner()
    result = runner.invoke(cli, [*base, "import", str(source), "--kind", "milestones"])
    assert result.exit_code == 0, result.output
    assert "1000 toegevoegd" in result.output
    for args in (
        ["calendar", "export", "--out", str(tmp_path / "agenda")],
        ["report", "weekly"],
        ["milestone", "list"],
    ):
        done = runner.invoke(cli, [*base, *args])
        assert done.exit_code == 0, done.output[-500:]
        assert "Waarschuwing" not in done.stderr
    # The route of the last step, as the report and the TUI walk it, is 1,000 steps deep.
    from hecht_tracker.core import timeline

    with Store.open(db_path) as opened:
        everything = {m.id: m for m in opened.milestones()}
    last = max(everything.values(), key=lambda m: m.id)
    assert len(timeline.chain(last, everything)) == 1000


def test_closing_a_chain_of_1000_steps_into_a_loop_is_refused_clearly(
    db_path: Path, tmp_path: Path
) -> None:
    base = ["--db", str(db_path), "--today", TODAY]
    runner = CliRunner()
    source = tmp_path / "keten.csv"
    source.write_bytes(chain_rows(1000))
    assert runner.invoke(cli, [*base, "import", str(source), "--kind", "milestones"]).exit_code == 0
    records = json.loads(runner.invoke(cli, [*base, "milestone", "list", "--json"]).stdout)
    ids = {record["uid"]: record["id"] for record in records}
    before = files_of(db_path)
    by_option = runner.invoke(
        cli,
        [*base, "milestone", "update", str(ids["keten-0"]), "--depends-on", str(ids["keten-999"])],
    )
    line = assert_one_dutch_line(by_option.stderr)
    assert by_option.exit_code == 2 and "kring" in line
    loop = tmp_path / "kring.csv"
    loop.write_text("uid,title,date,depends_on\nketen-0,Stap 0,10-12-2026,keten-999\n")
    by_file = runner.invoke(cli, [*base, "import", str(loop), "--kind", "milestones"])
    line = assert_one_dutch_line(by_file.stderr)
    assert by_file.exit_code == 2 and "kring" in line
    assert files_of(db_path) == before


# --- the database itself ----------------------------------------------------------------------


def test_a_directory_as_db_gets_one_dutch_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(tmp_path), "milestone", "list"])
    line = assert_one_dutch_line(result.stderr)
    assert result.exit_code == 2 and "map" in line


def test_a_directory_from_the_environment_as_db_gets_one_dutch_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["milestone", "list"], env={"HECHT_TRACKER_DB": str(tmp_path)})
    line = assert_one_dutch_line(result.stderr)
    assert result.exit_code == 2 and "map" in line


@pytest.mark.parametrize(
    "damage",
    ["garbage", "truncated", "zeroed-header", "text-file", "wrong-application"],
)
def test_a_corrupted_or_foreign_file_as_db_is_refused_and_left_byte_identical(
    db_path: Path, tmp_path: Path, damage: str
) -> None:
    target = tmp_path / "kapot.sqlite"
    data = db_path.read_bytes()
    if damage == "garbage":
        target.write_bytes(os.urandom(8192))
    elif damage == "truncated":
        target.write_bytes(data[:100])
    elif damage == "zeroed-header":
        target.write_bytes(b"\x00" * 100 + data[100:])
    elif damage == "text-file":
        target.write_text("Dit is geen database.\n" * 100)
    else:
        with sqlite3.connect(target) as conn:
            conn.execute("CREATE TABLE vreemd (x)")
        conn.close()
    before = target.read_bytes()
    for args in (["milestone", "list"], ["milestone", "update", "1", "--status", "afgerond"]):
        result = CliRunner().invoke(cli, ["--db", str(target), *args])
        line = assert_one_dutch_line(result.stderr)
        assert result.exit_code == 1, line
        assert "database" in line
        assert target.read_bytes() == before
        assert not Path(f"{target}-wal").exists() or Path(f"{target}-wal").stat().st_size == 0


def test_a_db_path_below_a_file_gets_one_dutch_line(tmp_path: Path) -> None:
    blocker = tmp_path / "bestand.txt"
    blocker.write_text("x")
    result = CliRunner().invoke(cli, ["--db", str(blocker / "hecht.sqlite"), "milestone", "list"])
    line = assert_one_dutch_line(result.stderr)
    assert result.exit_code == 1, line


# --- TUI form values (the form calls the shared field parser) ---------------------------------

FORM_CASES = [
    ("milestone", "date", "31-02-2026", "bestaat niet"),
    ("milestone", "date", "1-1-0001", "1900–2200"),
    ("milestone", "date", "31-12-9999", "1900–2200"),
    ("milestone", "date", "١٦-١٢-٢٠٢٦", "0–9"),
    ("milestone", "start_time", "25:00", "bestaat niet"),
    ("milestone", "start_time", "12:61", "bestaat niet"),
    ("milestone", "title", TEN_MB_TITLE, "te lang"),
    ("milestone", "title", "a\x00b", "stuurteken"),
    ("milestone", "title", "twee\nregels", "regeleinde"),
    ("milestone", "location", "\x1b[2J", "stuurteken"),
    ("milestone", "body", "x" * 41, "te lang"),
    ("milestone", "depends_on", "1; DROP TABLE milestone", "Onbekende mijlpaal"),
    ("milestone", "goal_ids", "99999999999999999999999", "bestaat niet"),
    ("milestone", "status", "weg", "Kies uit"),
    ("milestone", "notes", "x" * 20_001, "te lang"),
    ("action", "due_date", "0-0-0", "bestaat niet"),
    ("action", "milestone_id", "424242", "bestaat niet"),
    ("action", "owner", "Jan\u2029Piet", "regeleinde"),
    ("benefit", "realisation_date", "1-1-1800", "1900–2200"),
    ("goal", "number", "²", "0–9"),
    ("goal", "number", "1000", "999"),
]


@pytest.mark.parametrize(
    ("entity", "name", "typed", "expect"), FORM_CASES, ids=lambda v: str(v)[:20]
)
def test_a_bad_form_value_is_refused_by_the_shared_parser_with_its_field(
    store: Store, entity: str, name: str, typed: str, expect: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_fields(entity, {name: typed}, dt.date(2026, 11, 23), store)
    assert caught.value.field == name
    assert expect.lower() in caught.value.detail.lower()
    assert len(caught.value.detail) < 300


# --- real processes, raw bytes in argv --------------------------------------------------------

SUBPROCESS_CASES: list[tuple[list[bytes], str, int]] = [
    ([b"milestone", b"add", b"kapot \xff\xfe", b"--date", b"10-12-2026"], "UTF-8", 2),
    ([b"milestone", b"add", b"Titel", b"--date", b"\xff-12-2026"], "UTF-8", 2),
    ([b"milestone", b"update", b"6", b"--location", b"zaal \xc3\x28"], "UTF-8", 2),
    ([b"milestone", b"update", b"6", b"--status", b"\xe9\xe9n"], "UTF-8", 2),
    ([b"milestone", b"show", b"\xff"], "geheel getal", 2),
    ([b"settings", b"set", b"organisation", b"Hecht \xff"], "UTF-8", 2),
    ([b"milestone", b"\xff"], "Onbekende opdracht", 2),
    ([b"--\xff"], "Onbekende optie", 2),
    ([b"milestone", b"add", b"x" * 100_000, b"--date", b"10-12-2026"], "te lang", 2),
    ([b"milestone", b"show", b"99999999999999999999999"], "vanaf 1", 2),
]


@pytest.mark.parametrize(("argv", "expect", "code"), SUBPROCESS_CASES, ids=lambda v: repr(v)[:30])
def test_invalid_utf8_and_huge_arguments_in_a_real_process(
    seeded_db: Path, argv: list[bytes], expect: str, code: int
) -> None:
    before = files_of(seeded_db)
    done = subprocess.run(
        [sys.executable.encode(), b"-m", b"hecht_tracker", b"--db", os.fsencode(seeded_db), *argv],
        capture_output=True,
        env={**os.environ, "HECHT_TRACKER_TODAY": TODAY},
        timeout=60,
        check=False,
    )
    stderr = done.stderr.decode("utf-8")  # the message itself is valid UTF-8
    line = assert_one_dutch_line(stderr, done.stdout.decode("utf-8", "replace"))
    assert done.returncode == code, line
    assert expect.lower() in line.lower(), line
    assert files_of(seeded_db) == before


def test_a_directory_and_a_corrupted_file_as_db_in_a_real_process(tmp_path: Path) -> None:
    broken = tmp_path / "kapot.sqlite"
    broken.write_bytes(b"SQLite format 3\x00" + os.urandom(4000))
    before = broken.read_bytes()
    for db, code in ((tmp_path, 2), (broken, 1)):
        done = subprocess.run(
            [sys.executable, "-m", "hecht_tracker", "--db", str(db), "milestone", "list"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert_one_dutch_line(done.stderr, done.stdout)
        assert done.returncode == code, done.stderr
    assert broken.read_bytes() == before


def test_the_table_holds_at_least_150_bad_inputs() -> None:
    total = len(CLI_CASES) + len(FILE_CASES) + len(FORM_CASES) + len(SUBPROCESS_CASES)
    assert total >= 150, total


# --- the form itself, driven by keys ----------------------------------------------------------

PILOT_CASES = [
    ("date", "1-1-0001", "1900–2200"),
    ("date", "١٦-١٢-٢٠٢٦", "0–9"),
    ("start_time", "25:00", "bestaat niet"),
    ("title", "x" * 301, "te lang"),
    ("location", "zaal\x1b[2J", "stuurteken"),
    ("documents_due", "31-12-9999", "1900–2200"),
]


def test_the_tui_form_shows_each_refusal_and_writes_nothing(store: Store) -> None:
    import asyncio

    from textual.widgets import Input, Static

    from hecht_tracker.tui.app import HechtApp
    from hecht_tracker.tui.screens.form import FormScreen

    before, journal_before = store.milestone(6), len(store.journal())
    app = HechtApp(store, dt.date(2026, 11, 23), blink=False)
    app.animation_level = "none"
    shown: list[str] = []

    async def scenario() -> None:
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            main = app.screen_stack[1] if len(app.screen_stack) > 1 else app.screen
            main.action_show_tab("tijdlijn")  # type: ignore[attr-defined]
            await pilot.pause()
            for field, typed, _ in PILOT_CASES:
                await pilot.press("e")  # edit the selected milestone (DB 26 nov)
                await pilot.pause()
                form = app.screen
                assert isinstance(form, FormScreen)
                form.query_one(f"#field-{field}", Input).value = typed
                await pilot.press("ctrl+s")
                await pilot.pause()
                assert isinstance(app.screen, FormScreen)  # still open: refused
                shown.append(str(form.query_one("#error", Static).render()))
                form.dismiss(None)
                await pilot.pause()

    asyncio.run(scenario())
    for (_, _, expect), error in zip(PILOT_CASES, shown, strict=True):
        assert expect.lower() in error.lower(), error
        assert "\n" not in error.strip() and len(error) < 300
    assert store.milestone(6) == before
    assert len(store.journal()) == journal_before
