"""The terminal interface driven by keys (Textual's Pilot) on a real seeded database.

Each test presses keys the way the programme manager would and then checks both what the
database holds and what the screen shows.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, Select

from hecht_tracker.core import status
from hecht_tracker.core.model import ActionKind, BenefitStatus, Health, Status
from hecht_tracker.storage.store import Store
from hecht_tracker.tui.app import HechtApp
from hecht_tracker.tui.screens.dialogs import ChoiceDialog, ConfirmDialog
from hecht_tracker.tui.screens.form import FormScreen
from hecht_tracker.tui.screens.main import MainScreen
from hecht_tracker.tui.widgets import DetailPanel, RecordTable, StatusHeader
from tests.conftest import TODAY

Scenario = Callable[[HechtApp, Pilot[None]], Awaitable[None]]
SIZE = (120, 36)


def drive(
    store: Store,
    scenario: Scenario,
    tmp_path: Path | None = None,
    *,
    start_tab: str | None = "tijdlijn",
    theme: str | None = None,
) -> HechtApp:
    """Run the app headless on ``store`` with today = 2026-11-23 and play ``scenario``,
    starting on ``start_tab`` (Mijlpalen; ``None``: the Overzicht the app opens on)."""
    out = tmp_path or Path(".")
    app = HechtApp(
        store, TODAY, blink=False, calendar_dir=out / "calendars", report_dir=out, theme=theme
    )
    app.animation_level = "none"  # tab underlines would otherwise make every key wait

    async def main() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            if start_tab is not None:
                main_screen(app).action_show_tab(start_tab)
                await pilot.pause()
            await scenario(app, pilot)

    asyncio.run(main())
    return app


def text_of(widget: Widget) -> str:
    """What a widget shows on screen, as plain text."""
    lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return "\n".join(line.text.rstrip() for line in lines)


def main_screen(app: HechtApp) -> MainScreen:
    screen = app.screen_stack[1] if len(app.screen_stack) > 1 else app.screen
    assert isinstance(screen, MainScreen)
    return screen


def table(app: HechtApp, tab: str) -> RecordTable:
    return main_screen(app).table_in(tab)


async def type_into(pilot: Pilot[None], field: str, text: str) -> None:
    """Empty a form field and type ``text`` into it key by key."""
    widget = pilot.app.screen.query_one(f"#field-{field}", Input)
    widget.focus()
    widget.value = ""
    await pilot.pause()
    await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])


def journal_size(store: Store) -> int:
    return len(store.journal())


# --- opening -------------------------------------------------------------------------------


def test_opens_on_the_timeline_with_the_next_board_moment_highlighted(store: Store) -> None:
    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        header = text_of(main_screen(app).query_one(StatusHeader))
        assert (
            "Volgend bestuursmoment: DB do 26 nov 2026 (over 3 dagen) · Akkoord doorgeleiden"
            in header
        )
        assert "do 26 nov 2026" in header and "over 3 dagen" in header
        timeline = table(app, "tijdlijn")
        assert timeline.row_count == 8
        assert timeline.record_id == 6  # the cursor starts on the next board moment
        assert "▶" in str(timeline.get_row("6")[0])
        detail = text_of(main_screen(app).query_one("#detail-tijdlijn", DetailPanel))
        assert "na: wo 4 nov AB — Bespreken strategisch werkplan" in detail
        assert "daarna: wo 16 dec AB — Vaststellen strategisch werkplan" in detail
        assert "uiterlijk do 19 nov 2026 (5 werkdagen vooraf)" in detail

    drive(store, scenario)


def test_tabs_show_actions_benefits_goals_and_the_journal_newest_first(store: Store) -> None:
    store.update("milestone", 7, {"location": "Gemeentehuis Leiden"}, "zaal bekend")

    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        await pilot.press("3")
        assert table(app, "acties").row_count == len(store.actions())
        await pilot.press("4")
        assert table(app, "baten").row_count == len(store.benefits())
        await pilot.press("5")
        assert table(app, "doelen").row_count == 3
        await pilot.press("6")
        journal = table(app, "journaal")
        first = [str(cell) for cell in journal.get_row_at(0)]
        assert (
            first[2] == "locatie"
            and first[4] == "Gemeentehuis Leiden"
            and first[5] == "zaal bekend"
        )
        # The journal is read-only: the footer offers search, not editing, and e/n do nothing.
        active = {binding.binding.action for binding in app.screen.active_bindings.values()}
        assert "search" in active
        assert not active & {"new", "edit", "delete", "cancel_milestone", "status"}
        await pilot.press("e", "n")
        assert isinstance(app.screen, MainScreen)

    drive(store, scenario)


def test_an_empty_database_opens_with_empty_tables_and_says_so(empty_store: Store) -> None:
    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        header = text_of(main_screen(app).query_one(StatusHeader))
        assert "Er staat geen bestuursmoment meer gepland." in header
        assert table(app, "tijdlijn").row_count == 0
        detail = text_of(main_screen(app).query_one("#detail-tijdlijn", DetailPanel))
        assert "Nog niets ingevoerd — druk n voor nieuw." in detail
        await pilot.press("e", "d", "s")  # nothing to edit: the keys do nothing
        assert isinstance(app.screen, MainScreen)

    drive(empty_store, scenario)


# --- editing -------------------------------------------------------------------------------


def test_editing_a_milestone_date_moves_it_and_raises_its_calendar_sequence(store: Store) -> None:
    before = store.milestone(6)

    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        await pilot.press("e")
        assert isinstance(app.screen, FormScreen)
        await type_into(pilot, "date", "3 dec")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        row = [str(cell) for cell in table(app, "tijdlijn").get_row("6")]
        assert row[1] == "do 3 dec 2026"

    drive(store, scenario)
    after = store.milestone(6)
    assert after.date == dt.date(2026, 12, 3)
    assert after.sequence == before.sequence + 1
    assert after.baseline_date == dt.date(2026, 11, 26)
    assert after.documents_due_is_default  # an untouched field is not written back


def test_refused_input_keeps_the_form_open_with_the_typing_and_the_database_unchanged(
    store: Store,
) -> None:
    before = store.milestone(6)
    journal_before = journal_size(store)

    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        await pilot.press("e")
        await type_into(pilot, "location", "Zaal")
        await type_into(pilot, "date", "31-2-2026")
        await pilot.press("ctrl+s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        error = text_of(form.query_one("#error"))
        assert "Datum: De datum '31-2-2026' bestaat niet." in error
        assert form.query_one("#field-date", Input).value == "31-2-2026"
        assert form.query_one("#field-location", Input).value == "Zaal"
        assert form.query_one("#row-date").has_class("-invalid")
        assert form.focused is form.query_one("#field-date")
        # Fixed the date, but now a rule across fields, checked by the store, refuses it.
        await type_into(pilot, "date", "3 dec")
        await type_into(pilot, "start_time", "14:00")
        await type_into(pilot, "end_time", "13.00")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        error = text_of(form.query_one("#error"))
        assert "De eindtijd 13:00 ligt niet na de begintijd 14:00." in error
        assert form.query_one("#field-end_time", Input).value == "13.00"
        assert form.query_one("#field-date", Input).value == "3 dec"

    drive(store, scenario)
    assert store.milestone(6) == before
    assert journal_size(store) == journal_before


def test_escape_on_a_changed_form_asks_before_throwing_the_typing_away(store: Store) -> None:
    before = store.milestone(6)

    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        await pilot.press("e")
        await type_into(pilot, "location", "Zaal")
        app.screen.query_one("#field-kind", Select).focus()
        await pilot.press("q")  # quits from the main screen only, never from a form
        assert app.is_running and isinstance(app.screen, FormScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # back to the form, typing intact
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert app.screen.query_one("#field-location", Input).value == "Zaal"
        await pilot.press("escape", "j")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)

    drive(store, scenario)
    assert store.milestone(6) == before


def test_new_action_is_added_with_its_enum_chosen_in_a_select(store: Store) -> None:
    count = len(store.actions())

    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        await pilot.press("3", "n")
        form = app.screen
        assert isinstance(form, FormScreen)
        await type_into(pilot, "title", "Nota DB")
        await type_into(pilot, "owner", "Hecht")
        await type_into(pilot, "due_date", "30 nov")
        form.query_one("#field-kind", Select).value = ActionKind.AGREEMENT
        form.query_one("#field-goal_id", Select).value = 1
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        shown = table(app, "acties")
        assert shown.record_id is not None
        assert "Nota DB" in [str(c) for c in shown.get_row(str(shown.record_id))]

    drive(store, scenario)
    actions = store.actions()
    assert len(actions) == count + 1
    added = next(a for a in actions if a.title == "Nota DB")
    assert (added.kind, added.owner, added.due_date, added.goal_id) == (
        ActionKind.AGREEMENT,
        "Hecht",
        dt.date(2026, 11, 30),
        1,
    )


def test_new_milestone_without_a_date_is_refused_in_the_form(store: Store) -> None:
    count = len(store.milestones())

    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        await pilot.press("n")
        await type_into(pilot, "title", "Extra DB")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert "Een mijlpaal heeft een datum nodig." in text_of(app.screen.query_one("#error"))
        await type_into(pilot, "date", "10 dec")
        await type_into(pilot, "body", "DB")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)

    drive(store, scenario)
    assert len(store.milestones()) == count + 1
    added = store.milestones(since=dt.date(2026, 12, 10), until=dt.date(2026, 12, 10))[0]
    assert (added.title, added.body) == ("Extra DB", "DB")


# --- quick keys ------------------------------------------------------------------------------


def test_d_cancels_a_milestone_only_after_yes_and_the_next_moment_moves_on(store: Store) -> None:
    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert store.milestone(6).status == Status.PLANNED
        await pilot.press("d", "j")
        await pilot.pause()
        row = [str(cell) for cell in table(app, "tijdlijn").get_row("6")]
        assert "geannuleerd" in row
        header = text_of(main_screen(app).query_one(StatusHeader))
        assert "Volgend bestuursmoment: AB wo 16 dec 2026" in header

    drive(store, scenario)
    assert store.milestone(6).status == Status.CANCELLED  # kept, so calendars can announce it


def test_d_deletes_an_action_after_yes(store: Store) -> None:
    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        await pilot.press("3")
        victim = table(app, "acties").record_id
        assert victim is not None
        await pilot.press("d", "j")
        await pilot.pause()
        assert victim not in table(app, "acties").shown_ids
        app.victim = victim  # type: ignore[attr-defined]

    app = drive(store, scenario)
    assert app.victim not in {a.id for a in store.actions()}  # type: ignore[attr-defined]


def test_s_opens_a_status_picker_and_p_records_papers_sent_today(store: Store) -> None:
    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        await pilot.press("s")
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("down", "enter")  # gepland → in voorbereiding
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        detail = text_of(main_screen(app).query_one("#detail-tijdlijn", DetailPanel))
        # Due Thursday 19 Nov, sent Monday 23 Nov: Friday and Monday, two working days late.
        assert "verstuurd op 23-11-2026, 2 werkdagen te laat" in detail

    drive(store, scenario)
    milestone = store.milestone(6)
    assert milestone.status == Status.IN_PROGRESS
    assert milestone.documents_sent == TODAY
    assert status.papers(milestone, TODAY).state == status.PapersState.SENT_LATE  # due 19-11


def test_m_adds_a_measurement_to_a_benefit(store: Store) -> None:
    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        await pilot.press("4")
        app.benefit_id = table(app, "baten").record_id  # type: ignore[attr-defined]
        await pilot.press("m")
        await type_into(pilot, "value", "5,2%")
        await type_into(pilot, "note", "Q3")
        await pilot.press("ctrl+s")
        await pilot.pause()
        detail = text_of(main_screen(app).query_one("#detail-baten", DetailPanel))
        assert "23-11-2026  5,2% — Q3" in detail

    app = drive(store, scenario)
    benefit = store.benefit(app.benefit_id)  # type: ignore[attr-defined]
    assert [(m.value, m.date, m.note) for m in benefit.measurements][-1] == (
        "5,2%",
        TODAY,
        "Q3",
    )


def test_pickers_offer_the_values_of_the_field_they_set(store: Store) -> None:
    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        await pilot.press("5", "k")  # koers of goal 1
        assert [label for label, _ in app.screen.choices] == [h.label for h in Health]  # type: ignore[attr-defined]
        await pilot.press("down", "enter")  # risico: asks for the reason
        await pilot.pause()
        await pilot.press(*"krap", "ctrl+s")
        await pilot.pause()
        await pilot.press("4")
        app.benefit_id = table(app, "baten").record_id  # type: ignore[attr-defined]
        await pilot.press("s")
        picker = app.screen
        assert isinstance(picker, ChoiceDialog)
        assert [label for label, _ in picker.choices] == [s.label for s in BenefitStatus]
        await pilot.press("end", "enter")
        await pilot.pause()

    app = drive(store, scenario)
    assert store.goal(1).health == Health.AT_RISK
    assert store.benefit(app.benefit_id).status == BenefitStatus.NOT_ACHIEVED  # type: ignore[attr-defined]


# --- search ----------------------------------------------------------------------------------


def test_slash_filters_the_current_table_and_escape_clears_it(store: Store) -> None:
    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        await pilot.press("slash", "6")
        await pilot.pause(0.3)  # the filter waits until typing pauses
        timeline = table(app, "tijdlijn")
        assert timeline.shown_ids == [6]  # words, not the 6 inside 2026 or 16
        await pilot.press("backspace", "A", "B")
        await pilot.pause(0.3)
        assert timeline.shown_ids == [1, 2, 3, 5, 7]
        await pilot.press("enter")
        assert app.screen.focused is timeline
        await pilot.press("escape")
        await pilot.pause()
        assert timeline.row_count == 8

    drive(store, scenario)


# --- command palette and workers -------------------------------------------------------------


def test_command_palette_offers_calendars_and_weekly_report_in_dutch(store: Store) -> None:
    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Kalenders exporteren" in titles and "Weekrapport maken" in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen.query_one(Input).placeholder == "Zoek een opdracht of scherm…"

    drive(store, scenario)


def test_palette_command_exports_the_calendars_in_a_worker(store: Store, tmp_path: Path) -> None:
    pytest.importorskip("hecht_tracker.render.ics")

    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        await pilot.press("ctrl+p", *"kalenders", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()

    app = drive(store, scenario, tmp_path)
    written = sorted(path.name for path in app.written)
    assert "alle.ics" in written and "db.ics" in written
    assert all((tmp_path / "calendars" / name).is_file() for name in written)
    assert "BEGIN:VCALENDAR" in (tmp_path / "calendars" / "db.ics").read_text(encoding="utf-8")


def test_palette_command_writes_the_weekly_report(store: Store, tmp_path: Path) -> None:
    pytest.importorskip("hecht_tracker.render.report")

    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        app.make_weekly_report("html")
        await app.workers.wait_for_complete()
        await pilot.pause()

    app = drive(store, scenario, tmp_path)
    report = tmp_path / "weekrapport-2026-W48.html"
    assert app.written == [report]
    assert "week 48" in report.read_text(encoding="utf-8")
