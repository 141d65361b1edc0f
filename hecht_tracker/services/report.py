"""The weekly report as a use case: read the snapshot the report needs, build it, render it.
The CLI, the TUI and cron all call :func:`weekly_report`, so they make the same bytes."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from hecht_tracker.core.model import JournalEntry
    from hecht_tracker.core.snapshot import Snapshot
    from hecht_tracker.storage.store import Store


def weekly_report(
    store: Store, today: dt.date, week_monday: dt.date, fmt: str, audience: str = "bestuur"
) -> bytes:
    """The weekly report of the ISO week of ``week_monday`` as seen on ``today``, in ``fmt``,
    for ``audience``: the board (default; nothing internal) or the directie."""
    from hecht_tracker.core import dates
    from hecht_tracker.render.report import render_weekly
    from hecht_tracker.render.report.audience import BOARD_BLANK, for_audience
    from hecht_tracker.storage.snapshot import read_weekly_snapshot

    week_monday = dates.week_start(week_monday)
    next_monday = week_monday + dt.timedelta(days=7)
    if next_monday < dates.week_start(today):
        # A week before last: the report as it was made on the Monday after, rebuilt from the
        # journal, so it reads the same whenever it is made again.
        today = next_monday
        cutoff = _midnight(next_monday)
    else:
        cutoff = _midnight(today + dt.timedelta(days=1))
    later = store.journal(since=cutoff)
    if later:
        # Changes made after the report's day (a --today in the past) are not in it yet.
        snapshot = _as_of(store, week_monday, today, cutoff, later)
    else:
        # What the board may not read is not read for it (and the view leaves it out anyway).
        board = audience != "directie"
        snapshot = read_weekly_snapshot(
            store, today, week_monday, BOARD_BLANK if board else None, public_only=board
        )
    snapshot = for_audience(snapshot, "directie" if audience == "directie" else "bestuur")
    return render_weekly(snapshot, week_monday, fmt)


def _midnight(day: dt.date) -> dt.datetime:
    """The start of ``day`` in Amsterdam, in UTC like the journal."""
    from zoneinfo import ZoneInfo

    from hecht_tracker.core import dates

    local = dt.datetime.combine(day, dt.time.min, tzinfo=ZoneInfo(dates.TIMEZONE))
    return local.astimezone(dt.UTC)


def _as_of(
    store: Store,
    week_monday: dt.date,
    today: dt.date,
    cutoff: dt.datetime,
    later: Sequence[JournalEntry],
) -> Snapshot:
    """The weekly snapshot as it stood at ``cutoff``: the ``later`` journal rows undone."""
    from dataclasses import replace

    from hecht_tracker.core import dates
    from hecht_tracker.core.history import rewind
    from hecht_tracker.storage.snapshot import read_snapshot

    week_start, week_end = dates.week_bounds(week_monday)
    current = read_snapshot(store, today, journal_since=week_start, journal_until=cutoff)
    past = rewind(current, later, today)
    moves = {
        e.entity_id: e.at
        for e in store.journal(entity="milestone", until=cutoff)
        if e.field == "date" and e.entity_id is not None
    }
    until = min(week_end, cutoff)
    return replace(
        past,
        journal=tuple(e for e in current.journal if e.at < until),
        journal_until=until,
        date_moves=moves,
    )
