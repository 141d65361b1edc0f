"""The programme manager's cockpit, by keyboard only, on the seeded database file.

Opening on the Overzicht, marking a meeting done, adding a milestone typed as "3 dec 14u" and
undoing it, a CLI change appearing by itself, a conflicting save, the Dutch palette with the
calendars and the weekly report, help, and the questions that protect typed text. Each test
checks the database as well as the screen.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select, Static

from hecht_tracker.core.model import Health, Status
from hecht_tracker.services.calendars import build_calendars
from hecht_tracker.storage.store import Store
from hecht_tracker.tui.app import HechtApp
from hecht_tracker.tui.screens.dialogs import ChoiceDialog, ConfirmDialog, VersionDialog
from hecht_tracker.tui.screens.form import FormScreen
from hecht_tracker.tui.screens.help import HelpScreen
from hecht_tracker.tui.screens.main import MainScreen
from hecht_tracker.tui.widgets import TimelineStrip, WarningList
from tests.conftest import TODAY, FixedClock
from tests.test_tui import drive, main_screen, table, text_of, type_into


def test_opens_on_the_overview_and_enter_on_a_warning_opens_the_record(store: Store) -> None:
    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        screen = main_screen(app)
        assert screen.active_tab == "overzicht"
        card = text_of(screen.query_one("#next-card", Static))
        assert "DB do 26 nov 2026" in card and "over 3 dagen" in card
        assert "besluit: akkoord op doorgeleiden strategisch werkplan" in card
        assert "stukken uiterlijk do 19 nov 2026: nog niet verstuurd," in card
        drawn = text_of(screen.query_one(TimelineStrip))
        assert "vandaag ▼" in drawn and "DB 26 nov" in drawn and "◆" in drawn
        assert drawn.splitlines()[-1].lstrip().startswith("jul")  # 8 juli → 16 dec
        assert "1. Bewegen van zorg naar gezondheid" in text_of(screen.query_one("#goals-card"))
        assert "Hecht24: 7 van 12 baten behaald" in text_of(screen.query_one("#benefits-card"))
        warnings = screen.query_one(WarningList)
        assert warnings.border_title is not None and "Waarschuwingen (15)" in warnings.border_title
        assert app.focused is warnings
        await pilot.press("down", "enter")  # the second warning: AB 16 sep not updated
        await pilot.pause()
        assert screen.active_tab == "tijdlijn"
        assert table(app, "tijdlijn").record_id == 3
        assert app.focused is table(app, "tijdlijn")

    drive(store, scenario, start_tab=None)


def test_mark_done_add_with_a_time_then_undo_and_redo(store: Store, clock: FixedClock) -> None:
    count = len(store.milestones())

    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        await pilot.press("2")
        milestones = table(app, "tijdlijn")
        milestones.select_record(5)  # AB 4 nov
        await pilot.press("s")
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("down", "down", "enter")  # gepland → in voorbereiding → afgerond
        await pilot.pause()
        assert store.milestone(5).status == Status.DONE
        clock.advance(seconds=5)
        await pilot.press("ctrl+p", *"mijlpaal toev", "enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        await type_into(pilot, "title", "Extra DB")
        await type_into(pilot, "date", "3 dec 14u")
        await pilot.pause()
        assert (
            str(form.query_one("#hint-date", Static).render())
            == "→ do 3 dec 2026, 14:00 (over 10 dagen)"
        )
        await type_into(pilot, "body", "DB")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        added = next(m for m in store.milestones() if m.title == "Extra DB")
        assert (added.date, added.start_time) == (dt.date(2026, 12, 3), dt.time(14, 0))
        assert milestones.record_id == added.id
        app.added = added  # type: ignore[attr-defined]
        clock.advance(seconds=5)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert len(store.milestones()) == count
        assert added.id not in milestones.shown_ids
        clock.advance(seconds=5)
        await pilot.press("ctrl+z")  # the status of 4 nov goes back too
        await pilot.pause()
        assert store.milestone(5).status == Status.PLANNED
        clock.advance(seconds=5)
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert store.milestone(5).status == Status.DONE

    app = drive(store, scenario, start_tab=None)
    for content in build_calendars(store).values():
        assert app.added.uid.encode() not in content  # type: ignore[attr-defined]
    notes = [entry.note for entry in store.journal()[-3:]]
    assert notes[0].startswith("ongedaan gemaakt") and notes[-1].startswith("opnieuw gedaan")


def test_a_change_by_the_cli_appears_by_itself_with_the_cursor_kept(
    store: Store, db_path: Path
) -> None:
    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        milestones = table(app, "tijdlijn")
        milestones.select_record(7)
        await pilot.pause()
        done = await asyncio.to_thread(
            subprocess.run,
            [
                sys.executable,
                "-m",
                "hecht_tracker",
                "--db",
                str(db_path),
                "--today",
                "2026-11-23",
                "milestone",
                "update",
                "7",
                "--status",
                "in voorbereiding",
            ],
            capture_output=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        started = time.monotonic()
        while "in voorbereiding" not in [str(c) for c in milestones.get_row("7")]:
            assert time.monotonic() - started < 2, "the change did not appear within 2 s"
            await pilot.pause(0.1)
        assert milestones.record_id == 7

    drive(store, scenario)


def test_saving_over_a_change_made_meanwhile_shows_both_versions(
    store: Store, db_path: Path, clock: FixedClock
) -> None:
    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        await pilot.press("e")
        await type_into(pilot, "location", "Leiden")
        with Store.open(db_path, clock=clock) as other:
            other.update("milestone", 6, {"location": "Gouda"}, "zaal gewijzigd")
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, VersionDialog)
        assert ("locatie", "Gouda", "Leiden") in dialog.rows
        assert store.milestone(6).location == "Gouda"
        await pilot.press("escape")  # back to the form, typing intact
        await pilot.pause()
        assert app.screen.query_one("#field-location", Input).value == "Leiden"
        await pilot.press("ctrl+s", "m")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)

    drive(store, scenario)
    assert store.milestone(6).location == "Leiden"


def test_palette_is_dutch_keeps_textuals_commands_and_runs_export_and_report(
    store: Store, tmp_path: Path
) -> None:
    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        titles = {command.title for command in app.get_system_commands(app.screen)}
        expected = {
            "Mijlpaal toevoegen",
            "Status wijzigen",
            "Koers wijzigen",
            "Kalenders exporteren",
            "Weekrapport maken",
            "Ga naar vandaag",
            "Zoeken",
            "Thema wisselen",
            "Overzicht",
            "Mijlpalen",
            "Afspraken",
            "Baten",
            "Doelen",
            "Logboek",
            "Theme",
            "Keys",
            "Quit",
        }
        assert expected <= titles
        await pilot.press("ctrl+p", *"qqqzzz")
        await pilot.pause(0.8)
        found = app.screen.query_one("CommandList", OptionList).options
        assert [str(getattr(o.prompt, "renderable", o.prompt)) for o in found] == [
            "Geen opdracht gevonden"
        ]
        await pilot.press("escape")
        await pilot.press("ctrl+p", *"kalenders exporteren", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert {p.name for p in app.written} >= {"alle.ics", "db.ics"}
        # Each notice is read as soon as it is made: on a busy machine an earlier one may have
        # timed out by the time the report is written.
        messages = [n.message for n in app._notifications]
        assert any(str((tmp_path / "calendars").resolve()) in m for m in messages)
        await pilot.press("ctrl+p", *"weekrapport maken", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any(str((tmp_path / "weekrapport-2026-W48.html").resolve()) in m for m in messages)

    drive(store, scenario, tmp_path, start_tab=None)
    assert (tmp_path / "calendars" / "db.ics").is_file()
    assert "week 48" in (tmp_path / "weekrapport-2026-W48.html").read_text(encoding="utf-8")
    assert store.journal()[-1].entity == "calendar"  # undo now cancels what was exported


def test_help_lists_every_key_and_closes_again(store: Store) -> None:
    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = text_of(app.screen.query_one(Static))
        for key in ("ctrl+z / ctrl+y", "ctrl+p", "ctrl+s", "1 … 6", "/"):
            assert key in shown
        await pilot.press("escape", "f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)

    drive(store, scenario)


def test_keys_typed_right_after_n_land_in_the_form_and_ctrl_q_asks_first(store: Store) -> None:
    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        await pilot.press("n", "E", "x", "t", "r", "a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#field-title", Input).value == "Extra"
        await pilot.press("enter")  # not the last field: moves on, saves nothing
        assert isinstance(app.screen, FormScreen)
        assert app.focused is form.query_one("#field-date")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog) and app.is_running
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is form

    drive(store, scenario)
    assert not any(m.title == "Extra" for m in store.milestones())


def test_uit_koers_asks_for_the_reason_and_saves_both(store: Store) -> None:
    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        await pilot.press("5", "k", "end", "enter")  # goal 1 → uit koers
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await pilot.press("ctrl+s")  # no reason: refused
        assert "geef een reden" in text_of(app.screen.query_one("#error"))
        await pilot.press(*"budget", "space", *"ontbreekt", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)

    drive(store, scenario)
    goal = store.goal(1)
    assert (goal.health, goal.health_reason) == (Health.OFF_TRACK, "budget ontbreekt")


def test_theme_choice_is_remembered(store: Store, tmp_path: Path) -> None:
    prefs = tmp_path / "tui.json"

    async def toggle(app: HechtApp, pilot: Pilot[None]) -> None:
        await pilot.press("ctrl+p", *"thema wisselen", "enter")
        await pilot.pause()
        assert not app.current_theme.dark

    app = HechtApp(store, TODAY, blink=False, prefs_path=prefs)
    app.animation_level = "none"

    async def main() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await toggle(app, pilot)

    asyncio.run(main())
    assert json.loads(prefs.read_text(encoding="utf-8")) == {"theme": "textual-light"}
    assert HechtApp(store, TODAY, prefs_path=prefs).theme == "textual-light"


def test_filter_milestones_and_sort_by_a_column(store: Store) -> None:
    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        milestones = table(app, "tijdlijn")
        await pilot.press("f")
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-body", Select).value = "DB"
        form.query_one("#field-warnings_only", Select).value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert milestones.shown_ids == [4, 6]  # 15 okt not updated, 26 nov papers late
        line = text_of(main_screen(app).query_one("#filter-line", Static))
        assert "orgaan DB · alleen waarschuwingen" in line
        await pilot.press("F")
        await pilot.pause()
        assert len(milestones.shown_ids) == 8
        await pilot.press("o", *["down"] * 4, "enter")  # sort on titel
        await pilot.pause()
        titles = [store.milestone(i).title for i in milestones.shown_ids]
        assert titles == sorted(titles, key=str.casefold)
        await pilot.press("o", "enter")  # the same column again: the other way round
        await pilot.pause()
        assert [store.milestone(i).title for i in milestones.shown_ids] == titles[::-1]

    drive(store, scenario)


def test_an_action_of_a_goal_is_completed_from_doelen(store: Store) -> None:
    added = store.add(
        "action", {"title": "Werkplan naar DB sturen", "goal_id": 1, "owner": "Hecht"}
    )

    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        await pilot.press("5")  # Doelen, cursor on goal 1
        assert table(app, "doelen").record_id == 1
        await pilot.press("a")
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        assert [label for label, _ in dialog.choices] == ["Werkplan naar DB sturen (Hecht)"]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)

    drive(store, scenario)
    done = store.action(added.id)
    assert (done.status, done.done_date) == (Status.DONE, TODAY)


def test_done_ahead_and_papers_sent_in_the_future_are_asked_first(store: Store) -> None:
    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        table(app, "tijdlijn").select_record(7)  # AB 16 dec, still ahead
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-status", Select).value = Status.DONE
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "pas op wo 16 dec 2026" in app.screen.question
        await pilot.press("n")  # back to the form, nothing saved
        await pilot.pause()
        assert app.screen is form and store.milestone(7).status == Status.PLANNED
        form.query_one("#field-status", Select).value = Status.PLANNED
        await type_into(pilot, "documents_sent", "1-12-2026")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "in de toekomst" in app.screen.question
        await pilot.press("j")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)

    drive(store, scenario)
    assert store.milestone(7).documents_sent == dt.date(2026, 12, 1)


def test_logboek_filters_by_part_and_period(store: Store, clock: FixedClock) -> None:
    clock.advance(days=20)  # 22 November
    store.update("milestone", 7, {"location": "Leiden"}, "zaal bekend")
    store.update("action", 1, {"owner": "Jan"})

    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        await pilot.press("6", "f")
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-entity", Select).value = "milestone"
        await type_into(pilot, "since", "20 nov")
        await pilot.press("ctrl+s")
        await pilot.pause()
        journal = main_screen(app).snapshot
        assert journal is not None
        assert [(e.entity, e.field) for e in journal.journal] == [("milestone", "location")]
        await pilot.press("F")
        await pilot.pause()
        assert len(main_screen(app).snapshot.journal) == len(store.journal())  # type: ignore[union-attr]

    drive(store, scenario)


def test_palette_goes_to_today_and_opens_the_search(store: Store) -> None:
    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        await pilot.press("ctrl+p", *"ga naar vandaag", "enter")
        await pilot.pause()
        screen = main_screen(app)
        assert screen.active_tab == "tijdlijn"
        assert table(app, "tijdlijn").record_id == 6  # DB 26 nov: the first from 23 nov on
        await pilot.press("ctrl+p", *"zoeken", "enter")
        await pilot.pause()
        assert app.focused is screen.query_one("#search", Input)

    drive(store, scenario, start_tab=None)


def test_a_long_table_works_out_its_words_between_frames_and_finds_a_rare_row() -> None:
    from textual.app import App, ComposeResult

    from hecht_tracker.tui.presenters.rows import Row
    from hecht_tracker.tui.widgets.record_table import PREPARE_CHUNK, RecordTable

    count = PREPARE_CHUNK * 3 + 500
    rows = [
        Row(i, (str(i), f"actie {i} werkplan" if i % 1000 else "zeldzaam")) for i in range(count)
    ]

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield RecordTable("action", ("id", "titel"), id="table")

    async def main() -> None:
        app = Host()
        async with app.run_test(size=(80, 24)) as pilot:
            shown = app.query_one(RecordTable)
            shown.set_rows(rows)
            assert not rows[0].searchable  # later, in chunks: the screen goes on first
            for _ in range(100):
                if rows[-1].searchable:
                    break
                await pilot.pause(0.02)
            assert all(row.searchable for row in rows)
            # A row never drawn keeps its words only, not the texts they came from.
            assert not rows[-1].keeps_texts
            shown.filter("zeldzaam")
            await pilot.pause()
            assert shown.shown_ids == list(range(0, count, 1000))
            assert shown.hidden_rows == 0

    asyncio.run(main())


def _table_host(rows: list[Any]) -> Any:
    """A bare app with one RecordTable holding ``rows``."""
    from textual.app import App, ComposeResult

    from hecht_tracker.tui.widgets.record_table import RecordTable

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield RecordTable("action", ("id", "titel"), id="table")

        def on_mount(self) -> None:
            self.query_one(RecordTable).set_rows(rows)

    return Host()


def test_a_long_table_draws_a_page_and_the_next_as_the_cursor_comes_near() -> None:
    from hecht_tracker.tui.presenters.rows import Row
    from hecht_tracker.tui.widgets.record_table import PAGE_ROWS, RecordTable

    count = PAGE_ROWS * 5
    app = _table_host([Row(i, (str(i), f"actie {i}")) for i in range(count)])

    async def main() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            shown = app.query_one(RecordTable)
            shown.focus()
            await pilot.pause()
            assert shown.row_count == PAGE_ROWS  # drawn
            assert len(shown.shown_ids) == count  # in the table, all of them
            await pilot.press(*["pagedown"] * (PAGE_ROWS // 10))
            assert shown.row_count > PAGE_ROWS  # the next page came before the cursor hit it
            assert shown.record_id is not None and shown.record_id < shown.row_count - 1
            await pilot.press("end")
            assert (shown.row_count, shown.record_id) == (count, count - 1)

    asyncio.run(main())


def test_selecting_a_record_beyond_the_drawn_page_draws_up_to_it() -> None:
    from hecht_tracker.tui.presenters.rows import Row
    from hecht_tracker.tui.widgets.record_table import PAGE_ROWS, RecordTable

    count = PAGE_ROWS * 4
    app = _table_host([Row(i, (str(i), f"actie {i}")) for i in range(count)])

    async def main() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            shown = app.query_one(RecordTable)
            await pilot.pause()
            assert shown.select_record(count - 3)
            assert shown.record_id == count - 3
            assert not shown.select_record(count + 1)
            # A search that keeps the record keeps the cursor on it, however far down.
            shown.filter(f"actie {count - 3}")
            await pilot.pause()
            assert (shown.shown_ids, shown.record_id) == ([count - 3], count - 3)

    asyncio.run(main())


def test_a_search_that_leaves_out_the_highlighted_record_keeps_the_place_in_the_list() -> None:
    from hecht_tracker.tui.presenters.rows import Row
    from hecht_tracker.tui.widgets.record_table import PAGE_ROWS, RecordTable

    count = PAGE_ROWS * 4
    rows = [Row(i, (str(i), "even" if i % 2 == 0 else "oneven")) for i in range(count)]
    app = _table_host(rows)

    async def main() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            shown = app.query_one(RecordTable)
            await pilot.pause()
            assert shown.select_record(PAGE_ROWS + 1)  # an odd one
            shown.filter("even")
            await pilot.pause()
            assert shown.record_id == PAGE_ROWS + 2  # the next even one, not the last
            shown.filter("")
            await pilot.pause()
            assert shown.record_id == PAGE_ROWS + 2
            # Past the last match there is no row after it: the cursor stays on the table.
            assert shown.select_record(count - 1)
            shown.filter("even")
            await pilot.pause()
            assert shown.record_id == count - 2

    asyncio.run(main())


def test_slash_on_the_overview_types_in_the_search_of_the_milestones(store: Store) -> None:
    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"werkplan")
        await pilot.pause()
        screen = main_screen(app)
        assert screen.active_tab == "tijdlijn"
        assert screen.query_one("#search", Input).value == "werkplan"
        titles = [store.milestone(i).title for i in table(app, "tijdlijn").shown_ids]
        assert titles and all("werkplan" in title.casefold() for title in titles)

    drive(store, scenario, start_tab=None)


def test_the_search_finds_papers_that_went_out_late(store: Store) -> None:
    """What a cell shows is what the search finds: "laat" beside a papers date."""
    store.update("milestone", 6, {"documents_sent": dt.date(2026, 11, 25)})
    due = store.milestone(6).documents_due
    assert due is not None and due < dt.date(2026, 11, 25)

    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        shown = table(app, "tijdlijn")
        shown.filter("laat")
        await pilot.pause()
        assert 6 in shown.shown_ids
        assert str(shown.get_row(str(6))[-1]).endswith(" laat")

    drive(store, scenario)


def test_the_overview_lists_the_most_urgent_warnings_and_counts_the_rest() -> None:
    from textual.app import App, ComposeResult

    from hecht_tracker.tui.presenters.overview import Notice
    from hecht_tracker.tui.widgets.warnings import MAX_LISTED

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield WarningList(id="warnings")

    notices = [Notice("milestone", i, f"waarschuwing {i}") for i in range(MAX_LISTED + 25)]

    async def main() -> None:
        app = Host()
        async with app.run_test(size=(80, 24)) as pilot:
            listed = app.query_one(WarningList)
            listed.show(notices)
            await pilot.pause()
            assert listed.option_count == MAX_LISTED + 1
            assert str(listed.get_option_at_index(0).prompt) == "waarschuwing 0"
            last = listed.get_option_at_index(MAX_LISTED)
            assert last.disabled and "nog 25" in str(last.prompt)
            assert f"({MAX_LISTED + 25})" in str(listed.border_title)

    asyncio.run(main())


def test_the_note_under_the_details_counts_the_rows_a_search_finds_beyond_the_cap() -> None:
    from hecht_tracker.tui.presenters.rows import Row
    from hecht_tracker.tui.screens.table_screen import cap_note
    from hecht_tracker.tui.widgets.record_table import MAX_SHOWN, RecordTable

    rare = 200
    rows = [
        Row(i, (str(i), "zeldzaam" if i < rare else f"actie {i}")) for i in range(MAX_SHOWN + 500)
    ]
    app = _table_host(rows)

    async def main() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            shown = app.query_one(RecordTable)
            await pilot.pause()
            assert cap_note(shown) == f"{MAX_SHOWN} van {len(rows)} rijen getoond; zoek met /"
            shown.filter("actie")
            await pilot.pause()
            assert cap_note(shown) == (
                f"{MAX_SHOWN} van {len(rows) - rare} gevonden rijen getoond; verfijn de zoekterm"
            )
            shown.filter("zeldzaam")
            await pilot.pause()
            assert cap_note(shown) == ""

    asyncio.run(main())


def test_the_highlighted_record_stays_in_the_table_when_a_search_is_cleared_past_the_cap() -> None:
    from hecht_tracker.tui.presenters.rows import Row
    from hecht_tracker.tui.widgets.record_table import CONTEXT_ROWS, MAX_SHOWN, RecordTable

    far = MAX_SHOWN + 100
    rows = [Row(i, (str(i), "uniek" if i == far else f"actie {i}")) for i in range(far + 50)]
    app = _table_host(rows)

    async def main() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            shown = app.query_one(RecordTable)
            shown.filter("uniek")
            await pilot.pause()
            assert shown.record_id == far
            shown.filter("")
            await pilot.pause()
            assert shown.record_id == far
            # The rows shown start a few above it; the others are counted under the details.
            assert shown.shown_ids[CONTEXT_ROWS] == far
            assert shown.hidden_rows == len(rows) - len(shown.shown_ids) > 0

    asyncio.run(main())


def test_a_record_beyond_the_rows_shown_is_selected_with_only_a_few_rows_drawn_above_it() -> None:
    from hecht_tracker.tui.presenters.rows import Row
    from hecht_tracker.tui.screens.table_screen import cap_note
    from hecht_tracker.tui.widgets.record_table import (
        CONTEXT_ROWS,
        MAX_SHOWN,
        PAGE_ROWS,
        RecordTable,
    )

    count = MAX_SHOWN * 3
    wanted = MAX_SHOWN + 500  # the next board moment, say, on a large timeline
    app = _table_host([Row(i, (str(i), f"actie {i}")) for i in range(count)])

    async def main() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            shown = app.query_one(RecordTable)
            await pilot.pause()
            assert shown.select_record(wanted)
            await pilot.pause()
            assert shown.record_id == wanted
            assert shown.shown_ids[: CONTEXT_ROWS + 1] == list(
                range(wanted - CONTEXT_ROWS, wanted + 1)
            )
            assert shown.row_count <= CONTEXT_ROWS + 2 * PAGE_ROWS  # not the rows before them
            assert cap_note(shown) == f"{MAX_SHOWN:n} van {count:n} rijen getoond; zoek met /"
            # A search that keeps it keeps it in view, with the rows shown around it again.
            shown.filter("actie")
            await pilot.pause()
            assert shown.record_id == wanted and shown.shown_ids[CONTEXT_ROWS] == wanted

    asyncio.run(main())


def test_the_afspraken_put_overdue_ones_first_and_sort_deadlines_as_dates(store: Store) -> None:
    from hecht_tracker.storage.snapshot import read_snapshot
    from hecht_tracker.tui.screens import views

    store.add("action", {"title": "Zonder deadline", "owner": "Hecht"})
    snapshot = read_snapshot(store, TODAY)
    by_id = {a.id: a for a in snapshot.actions}
    moved = next(iter(by_id))
    rows = views.rows_for("action", snapshot, {moved: 2})

    overdue = [by_id[row.record_id].is_overdue(TODAY) for row in rows]
    assert True in overdue and False in overdue
    assert overdue == sorted(overdue, reverse=True)  # every overdue one before the others
    due_column = views.COLUMNS["action"].index("deadline")
    ordered = sorted(rows, key=lambda row: row.sort_key(due_column))
    days = [by_id[row.record_id].due_date for row in ordered]
    dated = [d for d in days if d is not None]
    assert days == sorted(dated) + [None] * (len(days) - len(dated))  # by date; none: last
    moves = {row.record_id: row.texts[-1] for row in rows}
    assert moves[moved] == "2×"
    assert set(moves.values()) == {"2×", ""}
