"""Screenshots of the terminal interface on the seeded data, compared with approved SVGs.

Fixed today (Monday 23 November 2026), fixed clock, fixed size and no cursor blink, so a
difference means the screen changed. Approve a deliberate change with
``pytest tests/test_tui_snapshots.py --snapshot-update`` and review the new SVGs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from hecht_tracker.storage.store import Store
from hecht_tracker.tui.app import HechtApp
from tests.conftest import TODAY, FixedClock

SIZE = (120, 36)
SnapCompare = Callable[..., bool]


def tracker(store: Store) -> HechtApp:
    return HechtApp(store, TODAY, blink=False)


def test_timeline_with_next_board_moment_and_its_route(
    snap_compare: SnapCompare, store: Store
) -> None:
    assert snap_compare(tracker(store), terminal_size=SIZE)


def test_edit_form_showing_a_refused_date(snap_compare: SnapCompare, store: Store) -> None:
    async def refuse_a_date(pilot: Pilot[Any]) -> None:
        await pilot.press("e")
        date = pilot.app.screen.query_one("#field-date", Input)
        date.value = "31-2-2026"
        await pilot.press("ctrl+s")
        await pilot.pause()

    assert snap_compare(tracker(store), terminal_size=SIZE, run_before=refuse_a_date)


def test_benefits_tab_with_a_measurement(snap_compare: SnapCompare, store: Store) -> None:
    benefit = store.benefits()[0]
    store.add_measurement(benefit.id, "behaald", TODAY, "eindrapportage Hecht24")
    assert snap_compare(tracker(store), press=["3"], terminal_size=SIZE)


def test_actions_tab_marks_overdue_agreements(snap_compare: SnapCompare, store: Store) -> None:
    assert snap_compare(tracker(store), press=["2"], terminal_size=SIZE)


def test_journal_after_moving_the_db_meeting(
    snap_compare: SnapCompare, store: Store, clock: FixedClock
) -> None:
    clock.advance(days=21)
    store.update(
        "milestone", 6, {"date": store.milestone(6).date.replace(day=3, month=12)}, "DB verplaatst"
    )
    assert snap_compare(tracker(store), press=["5"], terminal_size=SIZE)
