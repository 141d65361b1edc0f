"""Build a :class:`~hecht_tracker.core.snapshot.Snapshot` from a store, with its public read
methods only, asking for no more of the journal than the reader needs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

from hecht_tracker.core import dates
from hecht_tracker.core.model import JournalEntry
from hecht_tracker.core.snapshot import Snapshot

if TYPE_CHECKING:
    from hecht_tracker.storage.store import Store


def read_snapshot(
    store: Store,
    today: dt.date | None = None,
    *,
    journal_since: dt.datetime | None = None,
    journal_until: dt.datetime | None = None,
    whole_journal: bool = False,
    date_moves: bool = False,
    blank: Mapping[str, frozenset[str]] | None = None,
    public_only: bool = False,
) -> Snapshot:
    """Every record and the settings; the journal only when asked (``whole_journal``, or the
    rows from ``journal_since`` to ``journal_until``); with ``date_moves`` the last date move of
    each milestone (one grouped query, not the journal rows). ``blank`` names, per record kind
    (milestone, action), the text fields read as empty; ``public_only`` leaves the internal
    milestones unread."""
    blank = blank or {}
    journal: tuple[JournalEntry, ...] = ()
    if whole_journal or journal_since is not None or journal_until is not None:
        journal = tuple(store.journal(since=journal_since, until=journal_until))
    moves = store.last_changed("milestone", "date") if date_moves else {}
    return Snapshot(
        today=store.today() if today is None else today,
        settings=store.settings(),
        programmes=tuple(store.programmes()),
        goals=tuple(store.goals()),
        milestones=tuple(
            store.milestones(public_only=public_only, blank=blank.get("milestone", frozenset()))
        ),
        actions=tuple(store.actions(blank=blank.get("action", frozenset()))),
        benefits=tuple(store.benefits()),
        journal=journal,
        journal_since=journal_since,
        journal_until=journal_until,
        date_moves=moves,
    )


def read_weekly_snapshot(
    store: Store,
    today: dt.date,
    week_monday: dt.date,
    blank: Mapping[str, frozenset[str]] | None = None,
    public_only: bool = False,
) -> Snapshot:
    """What the weekly report of the ISO week of ``week_monday`` needs: the records (without
    the ``blank`` text fields and the internal milestones with ``public_only``, as
    :func:`read_snapshot`), that week's journal and the milestones' last date moves."""
    since, until = dates.week_bounds(dates.week_start(week_monday))
    return read_snapshot(
        store,
        today,
        journal_since=since,
        journal_until=until,
        date_moves=True,
        blank=blank,
        public_only=public_only,
    )
