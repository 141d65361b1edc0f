"""Which tabs the main screen shows, which entity each holds, and which keys fit where."""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from hecht_tracker.storage.store import Store


class Host(Protocol):
    """What the screen needs of the app that shows it (the app imports this screen, so the
    screen names the app's shape instead of importing it back)."""

    store: Store
    today: dt.date
    blink: bool
    load_in_background_from: int

    def reading_store(self) -> AbstractContextManager[Store]:
        """A connection of a worker's own (the app's own where there is no file)."""
        ...

    def show_damage(self, records: int, problems: list[str]) -> None:
        """Show what was found damaged (by ``db check``, or by reading the records)."""
        ...

    def check_database(self) -> object:
        """Look for damaged records in a worker; the screen hears back via ``show_damage``."""
        ...


# Tab id → entity shown in it; the journal is read-only.
TABS: dict[str, str] = {
    "tijdlijn": "milestone",
    "acties": "action",
    "baten": "benefit",
    "doelen": "goal",
    "journaal": "journal",
}
# The Overzicht comes first and shows no table; the others each show one entity.
OVERVIEW = "overzicht"
TAB_TITLES = {
    OVERVIEW: "Overzicht",
    "tijdlijn": "Mijlpalen",
    "acties": "Afspraken",
    "baten": "Baten",
    "doelen": "Doelen",
    "journaal": "Logboek",
}
EDITABLE = ("milestone", "action", "benefit", "goal")
# How often the screen looks whether another process changed the database.
WATCH_SECONDS = 0.5
WIDE = 130
JOURNAL_PAGE = 500  # journal rows per page of the Logboek

# Which actions make sense on which entity (the footer shows only those).
ACTIONS_FOR: dict[str, tuple[str, ...]] = {
    "new": EDITABLE,
    "edit": EDITABLE,
    "cancel_milestone": ("milestone",),
    "delete": ("action", "benefit", "goal"),
    "status": ("milestone", "action", "benefit"),
    "health": ("milestone", "goal"),
    "papers_sent": ("milestone",),
    "measure": ("benefit",),
    "sort": (*EDITABLE, "journal"),
    "older": ("journal",),
    "complete_action": ("goal",),
    "new_action_for_goal": ("goal",),
    "record_journal": EDITABLE,
    "filter": ("milestone", "overview", "journal"),
    "clear_filter": ("milestone", "journal"),
}
NEEDS_RECORD = {
    "edit",
    "cancel_milestone",
    "delete",
    "status",
    "health",
    "papers_sent",
    "measure",
    "complete_action",
    "new_action_for_goal",
    "record_journal",
}
# Everything but moving between tabs, help and quitting works on the records: greyed out
# while a large database is still being read.
NEEDS_SNAPSHOT = {*ACTIONS_FOR, "undo", "redo", "search", "today"}
