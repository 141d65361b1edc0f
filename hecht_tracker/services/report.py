"""The weekly report as a use case: read the snapshot the report needs, build it, render it.
The CLI, the TUI and cron all call :func:`weekly_report`, so they make the same bytes."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hecht_tracker.core.snapshot import Snapshot
    from hecht_tracker.storage.store import Store


def weekly_report(
    store: Store, today: dt.date, week_monday: dt.date, fmt: str, audience: str = "bestuur"
) -> bytes:
    """The weekly report of the ISO week of ``week_monday`` as seen on ``today``, in ``fmt``,
    for ``audience``: the board (default; nothing internal) or the directie."""
    from hecht_tracker.core import dates
    from hecht_tracker.render.report import render_weekly
    from hecht_tracker.render.report.audience import for_audience
    from hecht_tracker.storage.snapshot import read_weekly_snapshot

    next_monday = dates.week_start(week_monday) + dt.timedelta(days=7)
    if next_monday < dates.week_start(today):
        # A week before last: the report as it was made on the Monday after, rebuilt from the
        # journal, so it reads the same whenever it is made again.
        snapshot = _as_made_on(store, next_monday)
    else:
        snapshot = read_weekly_snapshot(store, today, week_monday)
    snapshot = for_audience(snapshot, "directie" if audience == "directie" else "bestuur")
    return render_weekly(snapshot, week_monday, fmt)


def _as_made_on(store: Store, monday: dt.date) -> Snapshot:
    """The weekly snapshot of the week before ``monday`` as it stood at Monday 00:00."""
    from dataclasses import replace

    from hecht_tracker.core import dates
    from hecht_tracker.core.history import rewind
    from hecht_tracker.storage.snapshot import read_snapshot

    week_start, cutoff = dates.week_bounds(monday - dt.timedelta(days=7))
    current = read_snapshot(store, monday, journal_since=week_start)
    later = [e for e in current.journal if e.at >= cutoff]
    past = rewind(current, later, monday)
    moves = {
        e.entity_id: e.at
        for e in store.journal(entity="milestone", until=cutoff)
        if e.field == "date" and e.entity_id is not None
    }
    return replace(
        past,
        journal=tuple(e for e in current.journal if e.at < cutoff),
        journal_until=cutoff,
        date_moves=moves,
    )
