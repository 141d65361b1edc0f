"""Each derived fact reads the same in the CLI, the TUI and the weekly report.

On the seeded database, on Monday 23 November 2026, after the DB meeting of 26 November moved to
3 December: the papers sentence, the warnings and the next board moment are worded by
hecht_tracker.text.status once, and each door shows exactly that wording.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.geometry import Region
from textual.widget import Widget

from hecht_tracker.cli import cli
from hecht_tracker.core import dates, status
from hecht_tracker.core.status import WarningKind
from hecht_tracker.services.report import weekly_report
from hecht_tracker.storage.snapshot import read_snapshot
from hecht_tracker.storage.store import Store
from hecht_tracker.text import status as wording
from hecht_tracker.tui.app import HechtApp
from hecht_tracker.tui.screens.main import MainScreen
from hecht_tracker.tui.widgets import DetailPanel, RecordTable, StatusHeader
from tests.conftest import TODAY, FixedClock

DB_MEETING = 6
AB_MEETING = 7
WATCHED = (DB_MEETING, AB_MEETING)


def flat(text: str) -> str:
    """Text with panel borders gone and every run of whitespace one space, so a sentence a
    door wrapped over lines reads as one line again."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


@pytest.fixture
def moved(db_path: Path, clock: FixedClock) -> Iterator[Store]:
    """The seed with the DB of 26 November moved to 3 December, in week 48."""
    store = Store.open(db_path, clock=clock)
    store.today_override = TODAY
    clock.advance(days=21)
    store.update("milestone", DB_MEETING, {"date": dt.date(2026, 12, 3)}, "DB verplaatst")
    yield store
    store.close()


def cli_output(db_path: Path, *args: str, today: dt.date = TODAY) -> str:
    result = CliRunner().invoke(cli, ["--db", str(db_path), "--today", today.isoformat(), *args])
    assert result.exit_code == 0, result.output
    return flat(result.output)


def tui_texts(store: Store, today: dt.date = TODAY) -> dict[str, str]:
    """The header and the detail panel of each watched milestone, as the screen shows them."""
    app = HechtApp(store, today, blink=False)
    app.animation_level = "none"
    shown: dict[str, str] = {}

    def text_of(widget: Widget) -> str:
        width, height = widget.outer_size
        lines = widget.render_lines(Region(0, 0, width, height))
        return flat("\n".join(line.text for line in lines))

    async def main() -> None:
        async with app.run_test(size=(150, 100)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, MainScreen)
            screen.action_show_tab("tijdlijn")  # the Overzicht keeps the header to one line
            await pilot.pause()
            shown["header"] = text_of(screen.query_one(StatusHeader))
            timeline = screen.query_one("#table-tijdlijn", RecordTable)
            for record_id in WATCHED:
                assert timeline.select_record(record_id)
                await pilot.pause()
                shown[str(record_id)] = text_of(screen.query_one("#detail-tijdlijn", DetailPanel))

    asyncio.run(main())
    return shown


def test_papers_warnings_and_next_moment_read_alike_in_cli_tui_and_report(
    moved: Store, db_path: Path
) -> None:
    snapshot = read_snapshot(moved, TODAY)
    moment = snapshot.next_moment
    assert moment is not None and moment.milestone.id == DB_MEETING
    next_when = wording.next_moment_when(moment)
    papers = {
        record_id: wording.papers(status.papers(snapshot.milestones_by_id[record_id], TODAY), TODAY)
        for record_id in WATCHED
    }
    warned = {
        record_id: [
            w
            for w in status.warnings_about(snapshot.warnings, "milestone", record_id)
            if w.kind != WarningKind.SLIP  # the report lists slips in a table of their own
        ]
        for record_id in WATCHED
    }
    # The facts this test is about, so a change in the seed cannot make it pass vacuously.
    assert next_when == "DB do 3 dec 2026 (over 10 dagen)"
    assert papers[DB_MEETING] == "nog niet verstuurd (over 3 dagen)"
    assert {w.kind for w in warned[DB_MEETING]} == {WarningKind.DOCUMENTS_SOON}
    assert {w.kind for w in warned[AB_MEETING]} == {WarningKind.PAPERS_BEFORE_DECISION}

    listing = cli_output(db_path, "milestone", "list")
    shows = {i: cli_output(db_path, "milestone", "show", str(i)) for i in WATCHED}
    screen = tui_texts(moved)
    report = flat(weekly_report(moved, TODAY, TODAY, "text").decode())

    # The next board moment.
    assert f"{wording.NEXT_MOMENT_LABEL}: {next_when}" in listing
    assert f"{wording.NEXT_MOMENT_LABEL}: {next_when}" in screen["header"]
    assert f"{wording.NEXT_MOMENT_LABEL}: {next_when}" in report
    # The papers of the next board moment, and of the step after it.
    assert f"Stukken: {papers[DB_MEETING]}" in report
    assert f": {papers[DB_MEETING]}" in screen["header"]
    for record_id in WATCHED:
        assert f"stukken {papers[record_id]}" in shows[record_id]
        assert papers[record_id] in screen[str(record_id)]
    # The warnings about both steps.
    for record_id in WATCHED:
        for warning in warned[record_id]:
            detail = wording.warning_detail(warning)
            assert f"let op {detail}" in shows[record_id]
            assert wording.warning(warning) in listing
            assert detail in screen[str(record_id)]
            if warning.kind in (WarningKind.DOCUMENTS_SOON, WarningKind.PAPERS_LATE):
                # The report says papers to send as an action in its first half page, once.
                m = snapshot.milestones_by_id[record_id]
                assert f"Stukken voor {m.body} {dates.format_long(m.date)} versturen" in report
                assert wording.warning(warning) not in report
            else:
                assert wording.warning(warning) in report


def test_papers_lateness_in_working_days_reads_alike_in_cli_tui_and_report(
    moved: Store, db_path: Path
) -> None:
    """On Monday 30 November the DB of 3 December has its papers (due Thursday 26 November)
    still unsent: two working days late (Friday and Monday), not four calendar days."""
    monday = dt.date(2026, 11, 30)
    moved.today_override = monday
    snapshot = read_snapshot(moved, monday)
    state = status.papers(snapshot.milestones_by_id[DB_MEETING], monday)
    assert state.working_days_late == 2
    late = wording.lateness(state)
    assert late == "2 werkdagen te laat"
    sentence = wording.papers(state, monday)
    assert sentence == "nog niet verstuurd, 2 werkdagen te laat"

    listing = cli_output(db_path, "milestone", "list", today=monday)
    shown = cli_output(db_path, "milestone", "show", str(DB_MEETING), today=monday)
    screen = tui_texts(moved, monday)
    report = flat(weekly_report(moved, monday, monday, "text").decode())
    # Markdown keeps a table cell on one line: the action reads as one sentence there.
    actions = flat(weekly_report(moved, monday, monday, "markdown").decode())

    assert f"stukken {sentence}" in shown
    assert f"stukken uiterlijk do 26 nov 2026, {sentence}" in shown  # the warning
    assert f"stukken uiterlijk do 26 nov 2026, {sentence}" in listing
    assert sentence in screen["header"]
    assert sentence in screen[str(DB_MEETING)]
    assert f"Stukken: {sentence}" in report
    assert (
        f"Stukken voor DB do 3 dec 2026 versturen: uiterlijk do 26 nov 2026, nu {late}" in actions
    )
    assert "4 dagen te laat" not in report + shown + listing
