"""The Doelen and Logboek tabs: adding an action where its goal is chosen, and a journal that
can be narrowed to one record, a part and a period, a page at a time.

Pilot on the real app over the seeded SQLite file; each test checks the database as well.
"""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Select

from hecht_tracker.storage.store import Store
from hecht_tracker.tui.app import HechtApp
from hecht_tracker.tui.screens.form import FormScreen
from hecht_tracker.tui.screens.main import MainScreen
from tests.test_tui import drive, main_screen, table, text_of, type_into


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
