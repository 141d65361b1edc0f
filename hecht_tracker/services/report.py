"""The weekly report as a use case: read the snapshot the report needs, build it, render it.
The CLI, the TUI and cron all call :func:`weekly_report`, so they make the same bytes."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hecht_tracker.storage.store import Store


def weekly_report(store: Store, today: dt.date, week_monday: dt.date, fmt: str) -> bytes:
    """The weekly report of the ISO week of ``week_monday`` as seen on ``today``, in ``fmt``."""
    from hecht_tracker.render.report import render_weekly
    from hecht_tracker.storage.snapshot import read_weekly_snapshot

    return render_weekly(read_weekly_snapshot(store, today, week_monday), week_monday, fmt)
