"""The weekly status report: its content on the seed, the journal-driven sections, and formats.

Golden files in ``tests/golden/report/`` hold the report of week 48 of 2026 on the seeded
database (fixed clock from conftest). After a deliberate change, regenerate them with
``UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_report.py`` and review the diff.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from hecht_tracker.cli import cli
from hecht_tracker.core.model import ActionKind, Status
from hecht_tracker.core.status import WarningKind
from hecht_tracker.render.report import FORMATS, WeeklyReport, build_weekly
from hecht_tracker.render.report.text import PAGE_LINES, WIDTH
from hecht_tracker.services.report import weekly_report as render_weekly
from hecht_tracker.storage.snapshot import read_weekly_snapshot
from hecht_tracker.storage.store import Store
from tests.conftest import TODAY, FixedClock

GOLDEN = Path(__file__).parent / "golden" / "report"
# The report of week 48 as made on the Monday after: the week's changes are all in it.
MONDAY_AFTER = dt.date(2026, 11, 30)
SUFFIX = {"text": "txt", "markdown": "md", "html": "html", "pdf": "pdf"}
ROOT = Path(__file__).resolve().parent.parent


def _build(store: Store, today: dt.date, week: dt.date) -> WeeklyReport:
    """The report of the week of ``week`` as seen on ``today``, from the store's snapshot."""
    return build_weekly(read_weekly_snapshot(store, today, week), week)


def _utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


# --- golden files and determinism --------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])  # the PDF: test_report_pdf.py
def test_week48_on_the_seed_matches_its_golden_file(store: Store, fmt: str) -> None:
    produced = render_weekly(store, TODAY, TODAY, fmt)
    golden = GOLDEN / f"week48.{SUFFIX[fmt]}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(produced)
    assert produced == golden.read_bytes()


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_second_run_on_a_reopened_database_gives_the_same_bytes(
    db_path: Path, clock: FixedClock, fmt: str
) -> None:
    runs = []
    for _ in range(2):
        with Store.open(db_path, clock=clock) as opened:
            runs.append(render_weekly(opened, TODAY, TODAY, fmt))
        # Into the next wall-clock second: a time stamp taken from the machine (as a font
        # subsetter's "modified" field) would now differ.
        time.sleep(1.0 - time.time() % 1.0 + 0.01)
    assert runs[0] == runs[1]


def _run_cli(db_path: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HECHT_TRACKER")}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "hecht_tracker",
            "--db",
            str(db_path),
            "--today",
            "2026-11-23",
            *args,
        ],
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("fmt", ["text", "pdf"])
def test_the_cli_in_a_real_process_prints_the_golden_report_twice_alike(
    db_path: Path, fmt: str
) -> None:
    first = _run_cli(db_path, "report", "weekly", "--week", "2026-W48", "--format", fmt)
    second = _run_cli(db_path, "report", "weekly", "--date", "26-11-2026", "--format", fmt)
    assert first.returncode == 0, first.stderr.decode()
    assert first.stdout == second.stdout
    if fmt == "text":
        assert first.stdout == (GOLDEN / f"week48.{SUFFIX[fmt]}").read_bytes()


# --- content on the seed ------------------------------------------------------------------------


def test_the_headline_names_the_db_of_26_november_with_its_decision_and_papers(
    store: Store,
) -> None:
    report = _build(store, TODAY, TODAY)
    nxt = report.next_moment
    assert nxt is not None
    assert (nxt.milestone.id, nxt.milestone.body, nxt.days_to_go) == (6, "DB", 3)
    assert nxt.body_name == "Dagelijks Bestuur"
    assert nxt.milestone.decision == "akkoord op doorgeleiden strategisch werkplan naar het AB"
    # 5 working days before Thursday 26 Nov; nothing sent yet, so the papers are late.
    assert nxt.milestone.documents_due == "19-11-2026"
    assert nxt.papers_late
    text = render_weekly(store, TODAY, TODAY, "text").decode()
    assert report.title in text
    assert "Hecht — Gezond Vooruit! statusrapport week 48 (23–29 november 2026)" in text
    assert "Gemaakt op maandag 23 november 2026." in text
    assert "DB do 26 nov 2026 (over 3 dagen)" in text
    # Due Thursday 19 Nov, unsent on Monday 23 Nov: Friday and Monday, two working days.
    assert "nog niet verstuurd, 2 werkdagen te laat" in text


def test_the_headline_lists_the_werkplan_route_from_15_october_to_16_december(
    store: Store,
) -> None:
    report = _build(store, TODAY, TODAY)
    assert report.next_moment is not None
    route = [(step.date, step.body) for step in report.next_moment.route]
    assert route == [
        (dt.date(2026, 10, 15), "DB"),
        (dt.date(2026, 11, 4), "AB"),
        (dt.date(2026, 11, 26), "DB"),
        (dt.date(2026, 12, 16), "AB"),
    ]


def test_the_coming_six_weeks_and_the_decisions_asked(store: Store) -> None:
    report = _build(store, TODAY, TODAY)
    assert [m.id for m in report.coming] == [6, 7, 8]
    assert report.coming_until == "zo 3 jan 2027"
    assert [d.milestone.id for d in report.decisions] == [6, 7]
    assert report.decisions[1].milestone.decision == "vaststellen Strategisch werkplan 2027–2030"


def test_seed_moments_before_today_still_planned_are_warned_about(store: Store) -> None:
    report = _build(store, TODAY, TODAY)
    stale = [w.subject for w in report.warnings if w.kind == "stale"]
    assert stale == [
        "AB wo 8 jul 2026: Informeren over proces strategisch werkplan",
        "AB wo 16 sep 2026: Kennismaking met Hecht en strategie",
        "DB do 15 okt 2026: Bespreken strategisch werkplan",
        "AB wo 4 nov 2026: Bespreken strategisch werkplan",
    ]
    # The 2024 agreements past their deadline are one question, not ten warnings; the done one
    # is not among them.
    assert report.stale_agreements == ((2024, 10),)
    assert not [w for w in report.warnings if w.kind == "overdue"]
    text = " ".join(render_weekly(store, TODAY, TODAY, "text").decode().split())
    assert "10 afspraken uit 2024 over hun deadline — herijken?" in text


def test_the_hecht24_benefits_are_counted_per_category_and_listed(store: Store) -> None:
    report = _build(store, TODAY, TODAY)
    assert report.benefit_programmes == "Hecht24"
    tallies = {c.label: (c.achieved, c.in_progress, c.expected) for c in report.categories}
    assert tallies == {
        "organisatorisch": (3, 0, 0),
        "financieel": (2, 0, 0),
        "dienstverlening": (2, 0, 0),
        "maatschappelijk": (0, 1, 1),
        "digitaal": (0, 1, 0),
        "werkgeverschap": (0, 2, 0),
    }
    text = " ".join(render_weekly(store, TODAY, TODAY, "text").decode().split())
    assert (
        "Hecht24: 2019–2024, ca. € 4 mln, beschikbaar gesteld door de 18 gemeenten. "
        "12 baten: 7 behaald, 4 in uitvoering, 1 verwacht, 0 niet behaald." in text
    )
    assert "Doorlopende PDCA-cyclus" in text  # each benefit listed (text cells may wrap)
    assert "Nog geen metingen vastgelegd." in text


def test_open_agreements_show_owner_and_due_date(store: Store) -> None:
    report = _build(store, TODAY, TODAY)
    first = report.agreements[0]
    assert (first.title, first.owner, first.due_text, first.overdue) == (
        "Quick win 1: stukken op tijd aanleveren",
        "Directie Hecht",
        "10-07-2024",
        True,
    )
    titles = [a.title for a in report.agreements]
    assert "Procesvoorstel takendialoog en opdrachtgeverschap maken" not in titles  # done


def test_latest_measurements_are_shown_newest_first(store: Store) -> None:
    benefit = next(b for b in store.benefits() if b.title.endswith("ziekteverzuim terugdringen"))
    store.add_measurement(benefit.id, "6,1%", dt.date(2026, 6, 30), "halfjaar")
    store.add_measurement(benefit.id, "5,4%", dt.date(2026, 10, 31))
    report = _build(store, TODAY, TODAY)
    assert [(m.date_text, m.value) for m in report.measurements] == [
        ("31-10-2026", "5,4%"),
        ("30-06-2026", "6,1%"),
    ]
    assert "5,4% op 31-10-2026" in render_weekly(store, TODAY, TODAY, "markdown").decode()


def test_each_benefit_shows_its_latest_measurement_trend_with_an_arrow_and_a_word(
    store: Store, db_path: Path
) -> None:
    benefits = store.benefits()
    sick_leave = next(b for b in benefits if b.title.endswith("ziekteverzuim terugdringen"))
    structure = benefits[0]
    store.add_measurement(sick_leave.id, "6,1%", dt.date(2026, 6, 30), "halfjaar")
    store.add_measurement(sick_leave.id, "5,4%", dt.date(2026, 10, 31))
    store.add_measurement(structure.id, "55%", dt.date(2026, 10, 1))
    store.add_measurement(structure.id, "62%", dt.date(2026, 11, 20))
    report = _build(store, TODAY, TODAY)
    lines = {b.title: b for c in report.categories for b in c.benefits}
    assert lines[sick_leave.title].trend == "↓ dalend (was 6,1%)"
    assert lines[structure.title].trend == "↑ stijgend (was 55%)"
    assert lines[sick_leave.title].trend_value is not None
    assert lines[sick_leave.title].trend_value.trend == "down"
    # Unmeasured benefits have no trend, and the table says so with a dash.
    assert sum(1 for b in lines.values() if b.trend) == 2
    page = render_weekly(store, TODAY, TODAY, "markdown").decode()
    assert f"| {structure.title} | behaald | 62% op 20-11-2026 | ↑ stijgend (was 55%) |" in page
    assert "| 5,4% op 31-10-2026 | ↓ dalend (was 6,1%) |" in page
    # The CLI shows the same value in the same words.
    shown = CliRunner().invoke(cli, ["--db", str(db_path), "benefit", "show", str(sick_leave.id)])
    assert "trend" in shown.output and "↓ dalend (was 6,1%)" in shown.output


# --- what happened in the week, from the journal -------------------------------------------------


def test_a_change_made_in_the_week_shows_with_dutch_labels_and_amsterdam_time(
    store: Store, clock: FixedClock
) -> None:
    clock.now = _utc(2026, 11, 24, 10, 0)  # 11:00 in Amsterdam
    store.update("milestone", 7, {"date": dt.date(2027, 1, 13)}, note="AB verplaatst")
    store.update("milestone", 6, {"status": Status.IN_PROGRESS})
    report = _build(store, TODAY, TODAY)
    changes = {(c.what, c.old, c.new) for c in report.changes}
    assert ("datum", "16-12-2026", "13-01-2027") in changes
    assert ("status", "gepland", "in voorbereiding") in changes
    moved = next(c for c in report.changes if c.what == "datum")
    assert moved.when == "di 24 nov 11:00"
    assert moved.subject == "mijlpaal 7 Vaststellen strategisch werkplan"
    assert moved.note == "AB verplaatst"
    markdown = render_weekly(store, MONDAY_AFTER, TODAY, "markdown").decode()
    assert (
        "- AB wo 16 dec 2026: Vaststellen strategisch werkplan: verschoven naar wo 13 jan "
        "(+28 dagen): AB verplaatst." in markdown
    )
    assert (
        "- DB do 26 nov 2026: Akkoord doorgeleiden strategisch werkplan: status nu in "
        "voorbereiding (was gepland)." in markdown
    )
    assert "mijlpaal 7" not in markdown  # no ids


def test_a_moved_milestone_shows_as_a_slip_against_its_baseline_since_the_move(
    store: Store, clock: FixedClock
) -> None:
    clock.now = _utc(2026, 11, 24, 10, 0)
    store.update("milestone", 7, {"date": dt.date(2027, 1, 13)})
    report = _build(store, TODAY, TODAY)
    [slip] = report.slips
    assert (slip.milestone.id, slip.days, slip.baseline_text, slip.since_text) == (
        7,
        28,
        "wo 16 dec 2026",
        "di 24 nov 2026",
    )


def test_a_milestone_marked_done_in_the_week_shows_as_completed(
    store: Store, clock: FixedClock
) -> None:
    clock.now = _utc(2026, 11, 23, 12, 0)
    store.update("milestone", 5, {"status": Status.DONE})
    report = _build(store, TODAY, TODAY)
    assert [m.id for m in report.completed] == [5]
    assert all("wo 4 nov 2026" not in w.subject for w in report.warnings if w.kind == "stale")
    # The next week's report does not claim it again.
    assert _build(store, TODAY, TODAY + dt.timedelta(days=7)).completed == ()


def test_the_week_runs_from_monday_to_monday_in_amsterdam_time(
    store: Store, clock: FixedClock
) -> None:
    clock.now = _utc(2026, 11, 22, 23, 30)  # Monday 23 Nov 00:30 in Amsterdam: week 48
    store.update("milestone", 4, {"status": Status.DONE})
    clock.now = _utc(2026, 11, 29, 23, 30)  # Monday 30 Nov 00:30 in Amsterdam: week 49
    store.update("milestone", 5, {"status": Status.DONE})
    assert [m.id for m in _build(store, TODAY, TODAY).completed] == [4]
    assert [m.id for m in _build(store, TODAY, dt.date(2026, 11, 30)).completed] == [5]


def test_an_overdue_action_is_warned_about_and_counted_under_its_goal(
    store: Store, clock: FixedClock
) -> None:
    store.add(
        "action",
        {
            "title": "Concept werkplan naar BAO",
            "owner": "Programmamanager",
            "goal_id": 1,
            "due_date": dt.date(2026, 11, 20),
        },
    )
    report = _build(store, TODAY, TODAY)
    [warning] = [w for w in report.warnings if w.subject == "Concept werkplan naar BAO"]
    assert warning.heading == "Actie over de deadline"
    assert warning.detail == "deadline 20-11-2026 (3 dagen geleden), eigenaar Programmamanager"
    goal = report.goals[0]
    assert (goal.open_count, goal.overdue_count) == (1, 1)


def test_an_action_done_in_the_week_counts_under_its_goal(store: Store, clock: FixedClock) -> None:
    action = store.add("action", {"title": "Ronde langs RVE's", "goal_id": 3})
    clock.now = _utc(2026, 11, 25, 9, 0)
    store.update("action", action.id, {"status": Status.DONE})
    report = _build(store, TODAY, TODAY)
    assert report.goals[2].done_this_week == ("Ronde langs RVE's",)
    assert (
        "Doel 3, afgerond in week 48: Ronde langs RVE's"
        in render_weekly(store, MONDAY_AFTER, TODAY, "text").decode()
    )


def test_documents_due_within_seven_days_and_dependency_conflicts_are_warned(
    store: Store,
) -> None:
    today = dt.date(2026, 11, 27)  # AB 16 Dec: papers due Wed 2 Dec
    store.update("milestone", 6, {"date": dt.date(2026, 12, 17)})  # after the AB that waits for it
    report = _build(store, today, today)
    # Due within the week: an action in the first half page, so not a warning again below.
    assert not [w for w in report.warnings if w.kind == "documents_soon"]
    assert [a.covers for a in report.actions_needed if a.covers] == [
        ((WarningKind.DOCUMENTS_SOON, 7),)
    ]
    assert report.warnings_above == 1
    conflicts = [w for w in report.warnings if w.kind == "conflict"]
    assert [w.subject for w in conflicts] == ["AB wo 16 dec 2026: Vaststellen strategisch werkplan"]


def test_a_fact_of_the_first_half_page_is_not_repeated_in_the_warnings(store: Store) -> None:
    store.update("milestone", 6, {"date": dt.date(2026, 12, 3)}, note="DB verplaatst")
    monday = dt.date(2026, 11, 30)
    report = _build(store, monday, monday)
    kinds = {(w.kind, w.warning.subject_id[1]) for w in report.warnings}
    # DB papers past due and AB papers due Wednesday: both actions in the first half page.
    assert (WarningKind.PAPERS_LATE, 6) not in kinds
    assert (WarningKind.DOCUMENTS_SOON, 7) not in kinds
    # The AB papers are due the day before the DB they wait for: said with those papers.
    assert (WarningKind.PAPERS_BEFORE_DECISION, 7) not in kinds
    assert report.warnings_above == 3
    page = " ".join(render_weekly(store, monday, monday, "markdown").decode().split())
    assert page.count("Stukken voor DB do 3 dec 2026 versturen") == 1
    assert (
        "Stukken voor AB wo 16 dec 2026 versturen, uiterlijk wo 2 dec 2026 — let op: 1 dag vóór "
        "DB do 3 dec 2026 (Akkoord doorgeleiden strategisch werkplan) waar deze stap op wacht"
    ) in page
    assert page.count("1 dag vóór DB do 3 dec 2026") == 1
    assert "Stukken niet op tijd verstuurd" not in page
    assert "Stukken binnen 7 dagen" not in page
    assert "Niet herhaald: 3 waarschuwingen over de stukken" in page
    # What the first half page does not say stays a warning: the stale meetings.
    assert (WarningKind.STALE, 5) in kinds


def test_papers_due_before_their_decision_after_this_week_stay_a_warning(store: Store) -> None:
    store.update("milestone", 6, {"date": dt.date(2026, 12, 3)}, note="DB verplaatst")
    report = _build(store, TODAY, TODAY)  # 23 Nov: the AB papers (2 Dec) are not due this week
    kinds = {(w.kind, w.warning.subject_id[1]) for w in report.warnings}
    assert (WarningKind.PAPERS_BEFORE_DECISION, 7) in kinds
    assert not any("let op" in a.text for a in report.actions_needed)


def test_papers_due_after_this_week_stay_a_warning(store: Store) -> None:
    wednesday = dt.date(2026, 11, 25)  # AB papers due Wednesday 2 Dec: in 7 days, next week
    report = _build(store, wednesday, wednesday)
    covered = [kind for a in report.actions_needed for kind, _ in a.covers]
    assert WarningKind.DOCUMENTS_SOON not in covered
    soon = [w for w in report.warnings if w.kind == WarningKind.DOCUMENTS_SOON]
    assert [w.subject for w in soon] == ["AB wo 16 dec 2026: Vaststellen strategisch werkplan"]


def test_an_empty_database_gives_a_short_report_in_every_format(empty_store: Store) -> None:
    report = _build(empty_store, TODAY, TODAY)
    assert report.empty and report.next_moment is None
    text = render_weekly(empty_store, TODAY, TODAY, "text").decode()
    assert "NOG GEEN GEGEVENS" in text and "De database is leeg" in text
    assert len(text.splitlines()) < 15
    for fmt in ("markdown", "html"):
        assert "De database is leeg" in render_weekly(empty_store, TODAY, TODAY, fmt).decode()
    reader = pypdf.PdfReader(io.BytesIO(render_weekly(empty_store, TODAY, TODAY, "pdf")))
    assert len(reader.pages) == 1
    assert "De database is leeg" in reader.pages[0].extract_text()


def test_a_past_week_reports_its_own_changes_and_looks_ahead_from_today(store: Store) -> None:
    report = _build(store, TODAY, dt.date(2026, 11, 2))  # the week the seed was loaded
    assert report.week_label == "2026-W45"
    assert [c.note for c in report.changes] == ["gevuld met de standaardgegevens van Hecht"]
    assert report.as_of == TODAY
    assert report.next_moment is not None and report.next_moment.milestone.id == 6


# --- formats ----------------------------------------------------------------------------------


def test_text_fits_80_columns_and_a4_pages_without_terminal_codes(store: Store) -> None:
    text = render_weekly(store, TODAY, TODAY, "text").decode()
    assert "\x1b" not in text
    pages = text.split("\f")
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        lines = page.splitlines()
        assert len(lines) <= PAGE_LINES
        assert lines[0].endswith(f"blad {number} van {len(pages)}")
        assert all(len(line) <= WIDTH for line in lines), [x for x in lines if len(x) > WIDTH]


def test_a_table_that_runs_onto_a_new_page_repeats_its_header(store: Store) -> None:
    for number in range(40):
        store.add("action", {"title": f"Afspraak {number}", "kind": ActionKind.AGREEMENT})
    pages = render_weekly(store, TODAY, TODAY, "text").decode().split("\f")
    last = pages[-1].splitlines()
    assert last[2].startswith("afspraak ") and last[3].startswith("-----")


def test_markdown_tables_are_well_formed(store: Store) -> None:
    markdown = render_weekly(store, TODAY, TODAY, "markdown").decode()
    assert markdown.startswith("# Hecht — Gezond Vooruit! statusrapport week 48")
    tables = re.findall(r"(?:^\|.*\|$\n)+", markdown, flags=re.M)
    assert len(tables) >= 6
    for table in tables:
        widths = {line.count(" | ") for line in table.splitlines()}
        assert len(widths) == 1, table
    assert (
        "| do 26 nov 2026 | DB | akkoord op doorgeleiden strategisch werkplan naar het AB |"
        in markdown
    )


class _Tags(HTMLParser):
    VOID = frozenset({"meta", "col", "br", "img", "link", "input", "hr"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.seen: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append(tag)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def test_html_is_one_balanced_self_contained_page_for_a4_with_figures(store: Store) -> None:
    page = render_weekly(store, TODAY, TODAY, "html").decode()
    parser = _Tags()
    parser.feed(page)
    assert parser.errors == [] and parser.stack == []
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" viewBox') == 2  # two figures
    assert not ({"script", "link", "img", "iframe"} & set(parser.seen))
    assert re.findall(r"https?://[^\"']+", page) == ["http://www.w3.org/2000/svg"] * 2
    assert "@page { size: A4 portrait;" in page
    assert "thead { display: table-header-group; }" in page
    assert ">vandaag</text>" in page  # the today marker on the timeline


def test_the_pdf_opens_with_its_pages_text_and_fixed_dates(store: Store) -> None:
    reader = pypdf.PdfReader(io.BytesIO(render_weekly(store, TODAY, TODAY, "pdf")))
    assert 2 <= len(reader.pages) <= 6
    first = " ".join(reader.pages[0].extract_text().split())
    assert "statusrapport week 48 (23–29 november" in first
    assert "DB do 26 nov 2026 (over 3 dagen)" in first
    assert f"blad 1 van {len(reader.pages)}" in first
    everything = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Dynamisch Aankoopsysteem" in everything
    assert "Quick win 1: stukken op tijd aanleveren" in everything
    assert reader.metadata is not None
    assert reader.metadata.creation_date is not None
    assert reader.metadata.creation_date.date() == TODAY
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4 portrait in points


# --- the command ------------------------------------------------------------------------------


def test_report_weekly_writes_a_file_for_the_week_of_a_given_date(
    tmp_path: Path, db_path: Path
) -> None:
    out = tmp_path / "rapporten" / "week48.md"
    result = CliRunner().invoke(
        cli,
        [
            "--db",
            str(db_path),
            "--today",
            "2026-11-23",
            "report",
            "weekly",
            "--date",
            "do 26 nov",
            "--format",
            "markdown",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith(
        "# Hecht — Gezond Vooruit! statusrapport week 48 (23–29 november 2026)"
    )
    assert not list(out.parent.glob(".*.tmp"))


def test_week_and_date_together_are_refused_in_dutch(db_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["--db", str(db_path), "report", "weekly", "--week", "2026-W48", "--date", "26-11-2026"],
    )
    assert result.exit_code == 2
    assert result.stderr.strip() == "Fout: Kies --week of --date, niet allebei."


def test_a_pdf_is_not_written_to_a_terminal(db_path: Path) -> None:
    import pty

    leader, follower = pty.openpty()
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("HECHT_TRACKER")}
        process = subprocess.run(
            [
                sys.executable,
                "-m",
                "hecht_tracker",
                "--db",
                str(db_path),
                "report",
                "weekly",
                "--format",
                "pdf",
            ],
            stdout=follower,
            stderr=subprocess.PIPE,
            env=env,
            cwd=ROOT,
            timeout=60,
            check=False,
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert process.returncode == 2
    assert process.stderr.decode().startswith("Fout: Een pdf hoort niet op het scherm")


def test_the_report_commands_have_dutch_help_with_an_example_and_a_cron_line() -> None:
    runner = CliRunner()
    group = runner.invoke(cli, ["report", "--help"]).output
    weekly = runner.invoke(cli, ["report", "weekly", "--help"]).output
    assert "Voorbeeld: hecht-tracker" in group
    assert "Voorbeelden:" in weekly and "hecht-tracker report weekly --week 2026-W48" in weekly
    assert "0 7 * * 1  hecht-tracker" in weekly
    assert "Opties:" in weekly and "default" not in weekly


def _modules_after(code: str) -> list[str]:
    probe = (
        code
        + "\nprint(json.dumps([m for m in ('click', 'textual', 'weasyprint') if m in sys.modules]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", "import datetime as dt, json, sys\n" + probe],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    loaded: list[str] = json.loads(result.stdout)
    return loaded


def test_the_report_modules_import_no_ui_or_pdf_library() -> None:
    code = "import hecht_tracker.render.report.text, hecht_tracker.render.report.html, hecht_tracker.render.report.pdf\n"
    code += "import hecht_tracker.render.report.markdown"
    assert _modules_after(code) == []


def test_only_the_pdf_format_loads_weasyprint_and_no_format_loads_textual() -> None:
    code = (
        "from hecht_tracker.storage.store import Store\n"
        "from hecht_tracker.services.report import weekly_report as render_weekly\n"
        "store = Store.memory(seed=True)\n"
        "for fmt in ('text', 'markdown', 'html'):\n"
        "    render_weekly(store, dt.date(2026, 11, 23), dt.date(2026, 11, 23), fmt)"
    )
    # click comes with sqlite-utils, which the store uses; the report itself adds nothing.
    loaded = _modules_after(code)
    assert "weasyprint" not in loaded and "textual" not in loaded
    pdf = code + "\nrender_weekly(store, dt.date(2026, 11, 23), dt.date(2026, 11, 23), 'pdf')"
    assert "weasyprint" in _modules_after(pdf)


# --- reading no more than the report needs -----------------------------------------------------


def test_the_weekly_snapshot_holds_the_weeks_journal_and_only_the_last_date_moves(
    store: Store, clock: FixedClock
) -> None:
    store.update("milestone", 6, {"date": dt.date(2026, 12, 1)}, "eerste verplaatsing")
    clock.advance(days=21)
    store.update("milestone", 6, {"date": dt.date(2026, 12, 3)}, "DB verplaatst")
    snapshot = read_weekly_snapshot(store, TODAY, TODAY)
    assert [e.note for e in snapshot.journal] == ["DB verplaatst"]
    assert dict(snapshot.date_moves) == {6: clock.now}
    (slip,) = build_weekly(snapshot, TODAY).slips
    assert slip.since_text == "ma 23 nov 2026"


def test_a_group_of_many_warnings_shows_the_first_25_and_counts_the_rest(
    store: Store,
) -> None:
    for day in range(1, 31):
        store.add("milestone", {"title": f"Overleg {day}", "date": dt.date(2026, 10, day)})
    report = _build(store, TODAY, TODAY)
    heading = "Datum verstreken zonder statusupdate"
    shown = [w for w in report.warnings if w.heading == heading]
    assert len(shown) == 25
    hidden = dict(report.warnings_hidden)[heading]
    assert hidden == 30 + 4 - 25  # the seed has four of its own
    assert report.warnings_total == len(report.warnings) + hidden
    # Hecht's own meetings are internal: the directie's report shows them.
    text = " ".join(render_weekly(store, TODAY, TODAY, "text", "directie").decode().split())
    assert f"{heading} (34)" in text and f"en nog {hidden}" in text


def test_long_tables_stop_at_40_rows_overdue_agreements_first_and_count_the_rest(
    store: Store,
) -> None:
    seeded = _build(store, TODAY, TODAY).agreements
    late = sum(a.overdue for a in seeded)
    for number in range(60):
        store.add(
            "action",
            {
                "title": f"Afspraak {number}",
                "kind": ActionKind.AGREEMENT,
                "due_date": dt.date(2027, 6, 1) if number < 50 else dt.date(2026, 11, 1),
            },
        )
    report = _build(store, TODAY, TODAY)
    assert len(report.agreements) == 40
    total = len(seeded) + 60
    assert report.hidden == {"agreements": total - 40}
    assert [a.overdue for a in report.agreements[: late + 10]] == [True] * (late + 10)
    text = " ".join(render_weekly(store, TODAY, TODAY, "text").decode().split())
    assert f"OPENSTAANDE AFSPRAKEN ({total})" in text
    assert f"En nog {total - 40} afspraken." in text


def test_a_week_of_many_changed_records_names_sixty_and_counts_the_rest(
    store: Store, clock: FixedClock
) -> None:
    from hecht_tracker.render.report.model import MAX_CHANGES

    clock.now = _utc(2026, 11, 24, 10, 0)
    added = MAX_CHANGES + 15
    for number in range(added):
        store.add("action", {"title": f"Bulkactie {number}", "owner": "Team JGZ"})
    report = _build(store, MONDAY_AFTER, TODAY)
    assert len(report.record_changes) == MAX_CHANGES
    seed_changed = MAX_CHANGES - sum(
        1 for r in report.record_changes if r.subject.startswith("Actie Bulkactie")
    )
    assert report.record_changes_hidden == added + seed_changed - MAX_CHANGES
    text = " ".join(render_weekly(store, MONDAY_AFTER, TODAY, "text").decode().split())
    assert f"en nog {report.record_changes_hidden} records gewijzigd" in text
