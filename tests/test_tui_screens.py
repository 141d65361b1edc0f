"""The Doelen and Logboek tabs: adding an action where its goal is chosen, and a journal that
can be narrowed to one record, a part and a period, a page at a time.

Pilot on the real app over the seeded SQLite file; each test checks the database as well.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Select, Static

from hecht_tracker.storage.store import Store
from hecht_tracker.tui.app import HechtApp
from hecht_tracker.tui.screens import table_screen
from hecht_tracker.tui.screens.form import FormScreen
from hecht_tracker.tui.screens.main import MainScreen
from tests.conftest import FixedClock
from tests.test_tui import drive, main_screen, table, text_of, type_into


def _plain(content: object) -> str:
    """What a rich renderable shows, as plain text however far it is scrolled."""
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(content)
    return console.export_text()


def _open_actions(text: str, title: str) -> str:
    """The last cell (acties open) of the goal's row in the Doelen table as drawn."""
    line = next(line for line in text.splitlines() if title[:20] in line)
    return line.split()[-1]


def test_t_on_doelen_adds_an_action_to_the_selected_goal(store: Store) -> None:
    goal = store.goals()[1]
    before = {a.id for a in store.actions()}

    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        goals = table(app, "doelen")
        goals.select_record(goal.id)
        await pilot.pause()
        open_before = _open_actions(text_of(goals), goal.title)
        await pilot.press("t")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#field-goal_id", Select).value == goal.id
        assert form.query_one("#field-programme_id", Select).value == goal.programme_id
        await type_into(pilot, "title", "Werkbezoek wijkteam")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        screen = main_screen(app)
        assert screen.active_tab == "doelen"
        assert goals.record_id == goal.id  # the cursor stays on the goal
        assert int(_open_actions(text_of(goals), goal.title)) == int(open_before) + 1
        added = next(a for a in store.actions() if a.id not in before)
        assert added.id in table(app, "acties").shown_ids
        assert any(
            f"Actie {added.id} toegevoegd aan doel {goal.number}" in n.message
            for n in app._notifications
        )

    drive(store, scenario, start_tab="doelen")
    added = [a for a in store.actions() if a.id not in before]
    assert [(a.title, a.goal_id, a.programme_id) for a in added] == [
        ("Werkbezoek wijkteam", goal.id, goal.programme_id)
    ]


def test_t_adds_nothing_outside_doelen(store: Store) -> None:
    count = len(store.actions())

    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)

    drive(store, scenario, start_tab="tijdlijn")
    assert len(store.actions()) == count


def _shown_journal(app: HechtApp) -> list[tuple[str, int | None]]:
    snapshot = main_screen(app).snapshot
    assert snapshot is not None
    return [(e.entity, e.entity_id) for e in snapshot.journal]


def test_l_shows_the_logboek_of_the_selected_record_and_f_clears_it(
    store: Store, clock: FixedClock
) -> None:
    for place in ("Leiden", "Gouda", "Delft"):
        clock.advance(minutes=5)
        store.update("milestone", 6, {"location": place})
    store.update("milestone", 7, {"location": "Alphen"})
    store.update("action", 1, {"owner": "Jan"})
    own = [e.id for e in store.journal(entity="milestone", entity_id=6)]
    assert len(own) >= 3

    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        screen = main_screen(app)
        table(app, "tijdlijn").select_record(6)
        await pilot.pause()
        detail = screen.query_one("#detail-tijdlijn", Static)
        assert "l: alles van dit record" in _plain(detail.content)
        await pilot.press("l")
        await pilot.pause()
        assert screen.active_tab == "journaal"
        snapshot = screen.snapshot
        assert snapshot is not None
        assert [e.id for e in snapshot.journal] == own
        line = screen.query_one("#journal-filter-line", Static)
        assert line.display and "Filter: mijlpaal 6" in text_of(line)
        await pilot.press("F")
        await pilot.pause()
        assert len(_shown_journal(app)) == len(store.journal())
        assert not screen.query_one("#journal-filter-line", Static).display

    drive(store, scenario, start_tab="tijdlijn")


def test_logboek_filter_takes_a_record_number_and_refuses_one_without_a_part(
    store: Store, clock: FixedClock
) -> None:
    clock.advance(days=1)
    store.update("action", 1, {"owner": "Jan"})
    store.update("action", 2, {"owner": "Piet"})

    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        await pilot.press("f")
        form = app.screen
        assert isinstance(form, FormScreen)
        await type_into(pilot, "record_id", "1")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # a number without a part: said, not applied
        assert "Kies bij een nummer ook het onderdeel" in text_of(form.query_one("#error"))
        form.query_one("#field-entity", Select).value = "action"
        await type_into(pilot, "record_id", "een")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "“een” is geen nummer" in text_of(form.query_one("#error"))
        await type_into(pilot, "record_id", "1")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert set(_shown_journal(app)) == {("action", 1)}

    drive(store, scenario, start_tab="journaal")
    owners = [e.new for e in store.journal(entity="action", entity_id=1) if e.field == "owner"]
    assert owners == ["Jan"]


def test_logboek_loads_a_page_at_a_time_also_for_one_record(
    store: Store, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(table_screen, "JOURNAL_PAGE", 3)
    for day in range(1, 6):
        clock.advance(minutes=1)
        store.update("action", 1, {"due_date": dt.date(2026, 12, day)})
        store.update("action", 2, {"due_date": dt.date(2026, 12, day)})
    everything = [e.id for e in store.journal()]
    own = [e.id for e in store.journal(entity="action", entity_id=1)]
    assert len(everything) > 6 and len(own) >= 5

    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        screen = main_screen(app)

        def shown() -> list[int]:
            assert screen.snapshot is not None
            return [e.id for e in screen.snapshot.journal]

        assert shown() == everything[-3:]  # the newest page only
        assert "+ laadt oudere" in str(screen.query_one("#detail-journaal").border_subtitle)
        await pilot.press("plus")
        await pilot.pause()
        assert shown() == everything[-6:]
        screen.action_show_tab("acties")
        table(app, "acties").select_record(1)
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        assert shown() == own[-3:]
        await pilot.press("plus")
        await pilot.pause()
        assert shown() == own[-6:]

    drive(store, scenario, start_tab="journaal")


def test_l_on_a_record_without_journal_rows_says_so(store: Store) -> None:
    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        table(app, "acties").select_record(12)  # seeded: no journal rows of its own
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        screen = main_screen(app)
        assert screen.active_tab == "journaal"
        assert _shown_journal(app) == []
        detail = text_of(screen.query_one("#detail-journaal"))
        assert "Geen regels in het logboek voor dit filter (F: alles)." in detail

    drive(store, scenario, start_tab="acties")
    assert store.journal(entity="action", entity_id=12) == []
