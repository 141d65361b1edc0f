"""The report's timeline draws a page's worth of milestones, however many fall in its window."""

from __future__ import annotations

import datetime as dt

from hecht_tracker.render.report import build_weekly
from hecht_tracker.render.report.model import MAX_TIMELINE_POINTS
from hecht_tracker.storage.snapshot import read_weekly_snapshot
from hecht_tracker.storage.store import Store

TODAY = dt.date(2026, 11, 23)


def test_a_crowded_window_draws_the_board_moments_and_the_nearest_steps(store: Store) -> None:
    rows = [
        (f"rij {n}", {"title": f"Stap {n}", "date": TODAY + dt.timedelta(days=n % 60 - 30)})
        for n in range(200)
    ]
    store.import_records("milestone", rows)
    monday = dt.date(2026, 11, 16)
    report = build_weekly(read_weekly_snapshot(store, TODAY, monday), monday)
    drawn = report.timeline
    assert len(drawn) == MAX_TIMELINE_POINTS
    board = [m for m in store.milestones() if m.body in ("AB", "DB") and m.date.year == 2026]
    in_window = [m for m in board if report.timeline_start <= m.date <= report.timeline_end]
    assert sum(point.board for point in drawn) == len(in_window)
    assert [point.date for point in drawn] == sorted(point.date for point in drawn)
