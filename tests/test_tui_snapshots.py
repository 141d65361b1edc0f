"""Screenshots of the terminal interface on the seeded data, compared with approved SVGs.

Every screen at 80×24 and 120×40, in the dark and the light theme, plus a form with a refused
date and the help screen. Fixed today (Monday 23 November 2026), fixed clock, fixed sizes and
no cursor blink, so a difference means the screen changed. Approve a deliberate change with
``pytest tests/test_tui_snapshots.py --snapshot-update`` and review the new SVGs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from hecht_tracker.storage.store import Store
from hecht_tracker.tui.app import DARK_THEME, LIGHT_THEME, HechtApp
from tests.conftest import TODAY, FixedClock

SnapCompare = Callable[..., bool]
SCREENS = ("overzicht", "mijlpalen", "afspraken", "baten", "doelen", "logboek")


def tracker(store: Store, theme: str = DARK_THEME) -> HechtApp:
    return HechtApp(store, TODAY, blink=False, theme=theme)


@pytest.fixture
def lived_in(store: Store, clock: FixedClock) -> Store:
    """The seed plus a few weeks of use: a moved meeting and two measurements of a benefit."""
    clock.advance(days=14)
    store.add_measurement(11, "6,1%", dt.date(2026, 9, 30), "Q3")
    clock.advance(days=7)
    store.add_measurement(11, "5,4%", dt.date(2026, 11, 20), "oktober")
    store.update("milestone", 7, {"location": "Gemeentehuis Leiden"}, "zaal bekend")
    return store


@pytest.mark.parametrize("theme", [DARK_THEME, LIGHT_THEME], ids=["donker", "licht"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("screen", SCREENS)
def test_screen(
    snap_compare: SnapCompare, lived_in: Store, screen: str, size: tuple[int, int], theme: str
) -> None:
    key = str(SCREENS.index(screen) + 1)
    assert snap_compare(tracker(lived_in, theme), press=[key], terminal_size=size)


def test_edit_form_showing_a_refused_date(snap_compare: SnapCompare, store: Store) -> None:
    async def refuse_a_date(pilot: Pilot[Any]) -> None:
        await pilot.press("2", "e")
        date = pilot.app.screen.query_one("#field-date", Input)
        date.value = "31-2-2026"
        await pilot.press("ctrl+s")
        await pilot.pause()

    assert snap_compare(tracker(store), terminal_size=(120, 40), run_before=refuse_a_date)


def test_help_screen(snap_compare: SnapCompare, store: Store) -> None:
    assert snap_compare(tracker(store), press=["question_mark"], terminal_size=(120, 40))
