"""What protects the user from the file and from themselves: damaged records are told, not
hidden; the command palette opened over a form or dialog never acts on the records behind it.

Pilot on the real app over the seeded SQLite file; each test checks the database as well.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input

from hecht_tracker.core.model import Status
from hecht_tracker.storage.store import Store
from hecht_tracker.tui.app import HechtApp
from hecht_tracker.tui.screens.form import FormScreen
from hecht_tracker.tui.screens.main import MainScreen
from hecht_tracker.tui.widgets import WarningList
from tests.conftest import TODAY, FixedClock
from tests.test_tui import drive, main_screen, table, text_of


async def settle(app: HechtApp, pilot: Pilot[None]) -> None:
    """Let queued callbacks start their workers, wait for those, and draw what they found."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def _damage(db_path: Path) -> None:
    """Edit the file by hand, as someone with the sqlite3 shell might: two impossible values."""
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE milestone SET date = '2026-13-45' WHERE id = 4")
        conn.execute("UPDATE action SET due_date = '[/gisteren]' WHERE id = 1")  # not markup
    conn.close()


def opened_damaged(db_path: Path, clock: FixedClock) -> Store:
    """The seeded file, damaged by hand, opened as the app opens it (today 23-11-2026)."""
    _damage(db_path)
    store = Store.open(db_path, clock=clock)
    store.today_override = TODAY
    return store


def test_damaged_records_are_told_on_the_overview_and_the_rest_still_shows(
    db_path: Path, clock: FixedClock
) -> None:
    store = opened_damaged(db_path, clock)

    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        await settle(app, pilot)
        screen = main_screen(app)
        warnings = screen.query_one(WarningList)
        assert (
            warnings.border_title is not None and "Waarschuwingen (15)" in warnings.border_title
        )  # 14 + this one
        first = text_of(warnings).splitlines()[1]
        assert "2 records beschadigd — draai hecht-tracker db check" in first
        shown = [n.message for n in app._notifications]
        assert sum("records beschadigd" in m for m in shown) == 1
        # Enter on it names what was found; it opens no record.
        warnings.focus()
        warnings.highlighted = 0
        await pilot.press("enter")
        await pilot.pause()
        assert screen.active_tab == "overzicht"
        told = [n.message for n in app._notifications][-1]
        assert "Mijlpaal 4 in de database is beschadigd (date: '2026-13-45'" in told
        assert "Actie 1 in de database is beschadigd (due_date: '[/gisteren]'" in told
        # The tables list every record that can be read; the damaged ones are left out.
        screen.action_show_tab("tijdlijn")
        await pilot.pause()
        ids = table(app, "tijdlijn").shown_ids
        assert 3 in ids and 5 in ids and 4 not in ids
        # Reading again finds the same: no second notification.
        app._reload_main()
        await settle(app, pilot)
        shown = [n.message for n in app._notifications]
        assert sum("records beschadigd" in m for m in shown) == 1

    drive(store, scenario, start_tab=None)
    store.close()
    # The file was only read: the damage is still there for db check to report.
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT date FROM milestone WHERE id = 4").fetchone() == ("2026-13-45",)
    conn.close()


def test_a_repair_by_the_cli_takes_the_damage_warning_away(
    db_path: Path, clock: FixedClock
) -> None:
    store = opened_damaged(db_path, clock)

    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        await settle(app, pilot)
        screen = main_screen(app)
        assert "records beschadigd" in text_of(screen.query_one(WarningList))
        other = Store.open(db_path, clock=clock)  # another process, as the CLI would be
        other.update("milestone", 4, {"date": dt.date(2026, 10, 15)})
        other.update("action", 1, {"due_date": None})
        other.close()
        await pilot.pause()
        screen._watch()  # what the interval does every half second
        await settle(app, pilot)
        assert "beschadigd" not in text_of(screen.query_one(WarningList))
        screen.action_show_tab("tijdlijn")
        await pilot.pause()
        assert 4 in table(app, "tijdlijn").shown_ids

    drive(store, scenario, start_tab=None)
    assert store.milestone(4).date == dt.date(2026, 10, 15)
    store.close()


def test_a_sound_file_shows_no_damage(store: Store) -> None:
    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        await settle(app, pilot)
        assert "beschadigd" not in text_of(main_screen(app).query_one(WarningList))
        assert not any("beschadigd" in n.message for n in app._notifications)

    drive(store, scenario, start_tab=None)
    assert store.milestone(4).status == Status.PLANNED


async def palette_hits(pilot: Pilot[None], typed: str) -> list[str]:
    """Open the palette, type ``typed`` and read the commands it offers; close it again."""
    await pilot.press("ctrl+p", *typed)
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    options = palette.query_one(CommandList).options
    hits = [str(getattr(o.prompt, "plain", o.prompt)).split("\n")[0] for o in options]
    await pilot.press("escape")
    await pilot.pause()
    if CommandPalette.is_open(pilot.app):  # the first escape only hid the list
        await pilot.press("escape")
        await pilot.pause()
    return hits


def _titles(app: HechtApp) -> set[str]:
    return {command.title for command in app.get_system_commands(app.screen)}


def test_the_palette_over_a_form_offers_no_command_that_acts_on_records(store: Store) -> None:
    next_db = 6  # DB 26 nov: the cursor starts on it, its papers are not sent yet
    assert store.milestone(next_db).documents_sent is None

    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        assert table(app, "tijdlijn").record_id == next_db
        on_main = _titles(app)
        assert {"Stukken verstuurd", "Status wijzigen", "Verwijderen", "Mijlpalen"} <= on_main
        assert any("Stukken verstuurd" in hit for hit in await palette_hits(pilot, "stukken"))
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-location", Input).value = "Gemeentehuis Gouda"
        over_form = _titles(app)
        for acting in (
            "Stukken verstuurd",
            "Status wijzigen",
            "Koers wijzigen",
            "Verwijderen",
            "Mijlpaal annuleren",
            "Ongedaan maken",
            "Mijlpaal toevoegen",
            "Kalenders exporteren",
            "Gegevens opnieuw inlezen",
        ):
            assert acting not in over_form, acting
        assert {"Thema wisselen", "Hulp", "Afsluiten"} <= over_form
        # Typed as a person would: the command is not found and nothing is written.
        assert not any("Stukken verstuurd" in hit for hit in await palette_hits(pilot, "stukken"))
        assert app.screen is form
        assert form.query_one("#field-location", Input).value == "Gemeentehuis Gouda"
        # What may stay still works from the form: the theme changes.
        dark = app.current_theme.dark
        await pilot.press("ctrl+p", *"thema wisselen", "enter")
        await pilot.pause()
        assert app.current_theme.dark is not dark
        assert app.screen is form

    drive(store, scenario)
    assert store.milestone(next_db).documents_sent is None
    assert store.milestone(next_db).location != "Gemeentehuis Gouda"


def test_the_palette_over_a_dialog_does_not_undo_behind_it(store: Store) -> None:
    store.update("milestone", 6, {"location": "Gemeentehuis Leiden"})

    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        await pilot.press("s")  # the status dialog of the selected milestone
        await pilot.pause()
        dialog = app.screen
        assert not isinstance(dialog, MainScreen)
        assert "Ongedaan maken" not in _titles(app)
        assert not any("Ongedaan maken" in hit for hit in await palette_hits(pilot, "ongedaan"))
        assert app.screen is dialog

    drive(store, scenario)
    assert store.milestone(6).location == "Gemeentehuis Leiden"


def test_text_that_looks_like_markup_is_shown_as_typed(store: Store) -> None:
    store.update("goal", 2, {"title": "Weerbaar [/b] samenleving"}, "[/i] met de hand")

    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        screen = main_screen(app)
        assert "Weerbaar [/b] samenleving" in text_of(table(app, "doelen"))
        table(app, "doelen").select_record(2)
        await pilot.pause()
        assert "2. Weerbaar [/b] samenleving" in text_of(screen.query_one("#detail-doelen"))
        screen.action_show_tab("journaal")
        await pilot.pause()
        assert "[/i] met de hand" in text_of(table(app, "journaal"))

    drive(store, scenario, start_tab="doelen")
    assert store.goal(2).title == "Weerbaar [/b] samenleving"
