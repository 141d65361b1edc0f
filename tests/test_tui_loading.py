"""How the terminal interface reads a database: a large one after the first frame, in a worker;
the tables of tabs out of view when they come into view."""

from __future__ import annotations

import asyncio
from pathlib import Path

from hecht_tracker.storage.store import Store
from hecht_tracker.tui.app import HechtApp
from hecht_tracker.tui.screens.main import MainScreen
from hecht_tracker.tui.screens.tabs import TABS
from hecht_tracker.tui.widgets import RecordTable, StatusHeader, WarningList
from tests.conftest import TODAY, FixedClock
from tests.test_tui import SIZE, main_screen, table, text_of
from tests.test_tui_guards import opened_damaged, settle


def _opened(store: Store, *, load_in_background_from: int) -> dict[str, object]:
    """What the app shows once it has read everything, opened on the Overzicht."""
    app = HechtApp(store, TODAY, blink=False, load_in_background_from=load_in_background_from)
    app.animation_level = "none"
    seen: dict[str, object] = {}

    async def main() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = main_screen(app)
            seen["headline"] = text_of(screen.query_one(StatusHeader))
            seen["loading"] = screen.query_one("#overview").loading
            screen.action_show_tab("tijdlijn")
            await pilot.pause()
            timeline = table(app, "tijdlijn")
            seen["rows"] = timeline.shown_ids
            seen["cursor"] = timeline.record_id

    asyncio.run(main())
    return seen


def test_a_large_database_is_read_in_a_worker_and_shows_the_same_as_a_small_one(
    store: Store,
) -> None:
    # From 0 records on, every database counts as large: the seed is read in the background.
    in_background = _opened(store, load_in_background_from=0)
    before_first_frame = _opened(store, load_in_background_from=10**9)
    assert in_background == before_first_frame
    assert in_background["loading"] is False
    assert "ma 23 nov 2026" in str(in_background["headline"])
    assert in_background["cursor"] == 6  # the next board moment, as on a small database


def test_a_large_database_paints_its_first_frame_before_the_tables_of_its_tabs_exist(
    store: Store,
) -> None:
    app = HechtApp(store, TODAY, blink=False, load_in_background_from=0)
    app.animation_level = "none"
    tables_at_first_frame: list[int] = []
    # Headless, Textual renders each frame and drops it in App._display (private): the place
    # where the first frame of the main screen can be seen.
    display = app._display

    def first_frame(screen: object, renderable: object) -> None:
        display(screen, renderable)  # type: ignore[arg-type]
        first = renderable is not None and isinstance(app.screen, MainScreen)
        if first and not tables_at_first_frame:
            tables_at_first_frame.append(len(app.screen.query(RecordTable)))

    app._display = first_frame  # type: ignore[method-assign]

    async def main() -> None:
        # Wide enough for the details beside the table: the tables mounted later get that too.
        async with app.run_test(size=(140, 36)) as pilot:
            await settle(app, pilot)
            screen = main_screen(app)
            assert tables_at_first_frame == [0]
            assert len(screen.query(RecordTable)) == len(TABS)
            await pilot.press("3")  # the Afspraken
            assert app.focused is table(app, "acties")
            assert table(app, "acties").shown_ids
            assert all(body.has_class("-wide") for body in screen.query(".pane-body"))

    asyncio.run(main())


def test_a_change_to_a_tab_out_of_view_shows_when_that_tab_comes_into_view(
    store: Store,
) -> None:
    app = HechtApp(store, TODAY, blink=False)
    app.animation_level = "none"

    async def main() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            screen = main_screen(app)
            screen.action_show_tab("tijdlijn")
            await pilot.pause()
            assert screen.snapshot is not None
            before = len(screen.snapshot.actions)
            # Written by another process while the Mijlpalen are in view.
            with Store.open(store.path, seed=False) as other:  # type: ignore[arg-type]
                other.add("action", {"title": "Werkbezoek gemeenten plannen", "owner": "Hecht"})
            for _ in range(40):  # the screen looks every half second
                await pilot.pause(0.1)
                if len(screen.snapshot.actions) > before:
                    break
            screen.action_show_tab("acties")
            await pilot.pause()
            shown = table(app, "acties")
            assert len(shown.shown_ids) == before + 1
            rows = [" ".join(map(str, shown.get_row(str(i)))) for i in shown.shown_ids]
            assert any("Werkbezoek gemeenten" in row for row in rows)

    asyncio.run(main())


def test_a_large_database_names_the_damaged_records_its_reading_found(
    db_path: Path, clock: FixedClock
) -> None:
    store = opened_damaged(db_path, clock)
    app = HechtApp(store, TODAY, blink=False, load_in_background_from=0)
    app.animation_level = "none"

    async def main() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            await settle(app, pilot)
            warnings = text_of(main_screen(app).query_one(WarningList))
            assert "2 records beschadigd" in warnings
            told = [n.message for n in app._notifications]
            assert sum("records beschadigd" in m for m in told) == 1
            assert 4 not in table(app, "tijdlijn").shown_ids

    asyncio.run(main())
    store.close()
