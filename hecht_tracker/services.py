"""Use cases the doors share: each reads the store once and hands plain values to a renderer,
so the CLI, the TUI and cron do the same step the same way."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hecht_tracker.storage.store import Store


def weekly_report(
    store: Store, today: dt.date, week_monday: dt.date, fmt: str, audience: str = "bestuur"
) -> bytes:
    """The weekly report of the ISO week of ``week_monday`` as seen on ``today``, in ``fmt``,
    for ``audience``: the board (default; nothing internal) or the directie."""
    from hecht_tracker.render.report import render_weekly
    from hecht_tracker.render.report.audience import for_audience
    from hecht_tracker.storage.snapshot import read_weekly_snapshot

    snapshot = read_weekly_snapshot(store, today, week_monday)
    snapshot = for_audience(snapshot, "directie" if audience == "directie" else "bestuur")
    return render_weekly(snapshot, week_monday, fmt)
