"""The Textual app: holds the store and "today", pushes the main screen, and runs the slow
jobs (calendars, weekly report) in worker threads."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.align import Align
from rich.text import Text
from rich.theme import Theme as RichTheme
from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandList, CommandPalette
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets.option_list import Option

from hecht_tracker.core import dates
from hecht_tracker.core.errors import TrackerError
from hecht_tracker.tui.screens.main import MainScreen

if TYPE_CHECKING:
    from hecht_tracker.storage.store import Store

# From this many records (milestones, actions, benefits) the first frame does not wait for
# them: it shows at once and the records follow from a worker. Below it, reading takes less
# than a frame's worth of waiting, and an empty flash would only distract.
LOAD_IN_BACKGROUND_FROM = 2000
REPORT_SUFFIXES = {"html": "html", "pdf": "pdf", "markdown": "md", "text": "txt"}
REPORT_FORMATS = {"html": "HTML", "pdf": "PDF", "markdown": "Markdown", "text": "tekst"}


# Palette entries for screen actions: (name, help, action of MainScreen, tab to open first).
_SCREEN_COMMANDS: tuple[tuple[str, str, str, str | None], ...] = (
    (
        "Mijlpaal toevoegen",
        "Een nieuwe mijlpaal: vergadering, deadline of product",
        "new",
        "tijdlijn",
    ),
    ("Actie of afspraak toevoegen", "Een nieuwe actie of afspraak met eigenaar", "new", "acties"),
    ("Baat toevoegen", "Een nieuwe baat in het batenregister", "new", "baten"),
    ("Doel toevoegen", "Een nieuw strategisch doel", "new", "doelen"),
    ("Wijzigen", "Het gekozen record wijzigen (e)", "edit", None),
    ("Status wijzigen", "Status van het gekozen record (s)", "status", None),
    ("Koers wijzigen", "Koers van de gekozen mijlpaal of het gekozen doel (k)", "health", None),
    (
        "Stukken verstuurd",
        "De stukken van de gekozen mijlpaal gingen vandaag uit (p)",
        "papers_sent",
        None,
    ),
    ("Meting toevoegen", "Een meting bij de gekozen baat (m)", "measure", None),
    (
        "Actie toevoegen bij doel",
        "Een nieuwe actie voor het gekozen doel; het doel staat al ingevuld (t)",
        "new_action_for_goal",
        "doelen",
    ),
    (
        "Actie afronden",
        "Een open actie van het gekozen doel afronden (a)",
        "complete_action",
        "doelen",
    ),
    (
        "Mijlpaal annuleren",
        "De gekozen mijlpaal annuleren; agenda's krijgen dat door (d)",
        "cancel_milestone",
        None,
    ),
    ("Verwijderen", "De gekozen actie, baat of het gekozen doel verwijderen (d)", "delete", None),
    (
        "Logboek van dit record",
        "Het Logboek met alleen de regels van het gekozen record (l)",
        "record_journal",
        None,
    ),
    ("Ongedaan maken", "De laatste wijziging terugdraaien (ctrl+z)", "undo", None),
    ("Opnieuw doen", "De laatst teruggedraaide wijziging opnieuw doen (ctrl+y)", "redo", None),
    ("Ga naar vandaag", "Mijlpalen, met de cursor op de eerste vanaf vandaag", "today", None),
    ("Zoeken", "Zoeken in de tabel (/)", "search", None),
    (
        "Mijlpalen filteren",
        "Op orgaan, status, doel, periode of alleen waarschuwingen (f)",
        "filter",
        None,
    ),
    ("Filter wissen", "Alle mijlpalen weer tonen (F)", "clear_filter", "tijdlijn"),
    ("Sorteren", "De tabel sorteren op een kolom (o)", "sort", None),
)
DARK_THEME = "textual-dark"
LIGHT_THEME = "textual-light"


class DutchCommandPalette(CommandPalette):
    """Textual's palette with a Dutch placeholder and a Dutch 'nothing found'."""

    def __init__(self) -> None:
        super().__init__(placeholder="Zoek een opdracht of scherm…", id="--command-palette")

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text("Geen opdracht gevonden", style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


class HechtApp(App[None]):
    """The tracker in the terminal, on an open store and a given 'today'."""

    TITLE = "Hecht — Gezond Vooruit!"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "afsluiten", show=False, priority=True),
        Binding("ctrl+p", "command_palette", "opdrachten", id="command-palette", priority=True),
        Binding("ctrl+c", "help_quit", show=False, system=True),
    ]

    def __init__(
        self,
        store: Store,
        today: dt.date,
        *,
        calendar_dir: Path = Path("calendars"),
        report_dir: Path = Path("."),
        blink: bool = True,
        theme: str | None = None,
        prefs_path: Path | None = None,
        load_in_background_from: int = LOAD_IN_BACKGROUND_FROM,
    ) -> None:
        super().__init__()
        self._theme_styles_pushed = False  # the styles of one theme are on the console
        self.prefs_path = prefs_path  # where the theme choice is remembered; None: nowhere
        self._remember_theme = False  # only choices made while running, not the start value
        chosen = theme or _remembered_theme(prefs_path)
        if chosen in self.available_themes:
            self.theme = chosen
        self.store = store
        self.today = today
        self.calendar_dir = calendar_dir
        self.report_dir = report_dir
        self.blink = blink
        self.load_in_background_from = load_in_background_from
        self.written: list[Path] = []  # files written by the last export or report, for callers

    def on_mount(self) -> None:
        self._remember_theme = True
        self._use_theme_styles()
        self.push_screen(MainScreen())  # it starts the check once its records are shown

    # --- command palette -------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Every screen and action by its Dutch name, then Textual's own commands.

        Over a form or a dialog (``screen`` is the one the palette opened on) only what leaves
        the records alone is offered: a command that acts on records would act on the main
        screen behind it, while the form still holds what was typed."""
        main = self.main_screen
        if main is not None and isinstance(screen, MainScreen):
            from hecht_tracker.tui.screens.tabs import TAB_TITLES

            for number, (tab, title) in enumerate(TAB_TITLES.items(), start=1):
                yield SystemCommand(
                    title, f"Toon {title} (toets {number})", partial(main.action_show_tab, tab)
                )
            for name, help_text, action, on_tab in _SCREEN_COMMANDS:
                yield SystemCommand(name, help_text, partial(main.run_command, action, on_tab))
            yield from self._data_commands()
        yield SystemCommand(
            "Thema wisselen", "Wissel tussen licht en donker", self.action_toggle_theme
        )
        yield SystemCommand("Hulp", "Alle toetsen op een rij (? of F1)", self._help)
        yield SystemCommand(
            "Schermafdruk maken",
            f"Bewaar het scherm als SVG-bestand in {self.report_dir.resolve()}",
            lambda: self.set_timer(0.1, self.action_screenshot_svg),  # after the palette closed
        )
        yield SystemCommand("Afsluiten", "Sluit hecht-tracker af", self.action_quit)
        yield from super().get_system_commands(screen)

    def _data_commands(self) -> Iterable[SystemCommand]:
        """Exports, reports and reading again: offered on the main screen only."""
        yield SystemCommand(
            "Kalenders exporteren",
            f"Schrijf de .ics-agenda's voor de bestuurders naar {self.calendar_dir.resolve()}",
            self.export_calendars,
        )
        week = dates.iso_week_label(self.today)
        for fmt, name in REPORT_FORMATS.items():
            title = "Weekrapport maken" if fmt == "html" else f"Weekrapport maken ({name})"
            yield SystemCommand(
                title,
                f"Statusrapport week {week.split('-W')[1]} als {name}: {self._report_path(fmt).resolve()}",
                partial(self.make_weekly_report, fmt),
            )
        yield SystemCommand(
            "Gegevens opnieuw inlezen", "Lees de database opnieuw", self._reload_main
        )

    @property
    def main_screen(self) -> MainScreen | None:
        return next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)

    def _help(self) -> None:
        if self.main_screen is not None:
            self.main_screen.action_help()

    def action_toggle_theme(self) -> None:
        """Light becomes dark and dark becomes light; the choice is remembered."""
        self.theme = LIGHT_THEME if self.current_theme.dark else DARK_THEME

    def watch_theme(self, theme: str) -> None:
        self._use_theme_styles()
        if self.prefs_path is None or not self._remember_theme:
            return
        try:
            self.prefs_path.parent.mkdir(parents=True, exist_ok=True)
            self.prefs_path.write_text(json.dumps({"theme": theme}), encoding="utf-8")
        except OSError as error:
            self.notify(f"Thema niet onthouden: {error.strerror}", severity="warning")

    def _use_theme_styles(self) -> None:
        """Give the styles rich text is built with the colours of the current theme (the
        tables redraw themselves when the theme changes, after this)."""
        from hecht_tracker.tui.presenters import styles

        if self._theme_styles_pushed:
            self.console.pop_theme()
        self.console.push_theme(RichTheme(styles.from_theme(self.get_css_variables())))
        self._theme_styles_pushed = True

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(DutchCommandPalette())

    async def action_quit(self) -> None:
        """Quit, but ask first when a form holds typing that was not saved."""
        from hecht_tracker.tui.screens.dialogs import ConfirmDialog
        from hecht_tracker.tui.screens.form import FormScreen

        if any(isinstance(s, FormScreen) and s.has_typed for s in self.screen_stack):
            if not any(isinstance(s, ConfirmDialog) for s in self.screen_stack):
                self.push_screen(
                    ConfirmDialog(
                        "Er is getypte tekst die nog niet is opgeslagen. Toch afsluiten?",
                        "Afsluiten",
                        "Terug",
                    ),
                    lambda yes: self.exit() if yes else None,
                )
            return
        self.exit()

    def action_help_quit(self) -> None:
        self.notify("Druk op q of ctrl+q om hecht-tracker af te sluiten.", title="Afsluiten?")

    def action_screenshot_svg(self) -> None:
        """Save what the screen shows now, e.g. to attach to a mail."""
        from hecht_tracker.storage.connection import unused_path

        target = unused_path(self.report_dir.resolve() / f"hecht-{self.today.isoformat()}.svg")
        path = self.save_screenshot(filename=target.name, path=str(target.parent))
        self.notify(f"Schermafdruk bewaard: {path}")

    def _reload_main(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.reload()
        self.notify("Gegevens opnieuw ingelezen.")
        self.check_database()

    # --- slow jobs in threads ----------------------------------------------------------------

    @work(thread=True, exclusive=True, group="check", exit_on_error=False)
    def check_database(self) -> None:
        """Run ``db check`` on the file; what it finds goes to the main screen's warnings.
        Damaged records are left out of every list, so without this they would go unseen."""
        if self.store.path is None:
            return
        from hecht_tracker.storage import check

        try:
            report = check.check(Path(self.store.path))
        except (TrackerError, OSError, sqlite3.Error):
            return  # the file cannot be checked now; the tables show what could be read
        self.call_from_thread(self.show_damage, len(report.records), report.problems)

    def show_damage(self, records: int, problems: list[str]) -> None:
        """Tell once what was found damaged: a notification and the head of the warnings."""
        main = self.main_screen
        if main is not None and main.show_damage(records, problems):
            self.notify(
                f"{records or len(problems)} "
                + ("records beschadigd" if records else "problemen gevonden")
                + ": zie de waarschuwingen op het Overzicht en draai hecht-tracker db check.",
                title="Database beschadigd",
                severity="warning",
                timeout=10,
            )

    def _report_path(self, fmt: str) -> Path:
        return (
            self.report_dir
            / f"weekrapport-{dates.iso_week_label(self.today)}.{REPORT_SUFFIXES[fmt]}"
        )

    @contextlib.contextmanager
    def reading_store(self) -> Iterator[Store]:
        """A connection of the worker's own where there is a file, so threads never share one."""
        from hecht_tracker.storage.store import Store

        if self.store.path is None:
            yield self.store
            return
        reader = Store.open(self.store.path, clock=self.store.clock, read_only=True)
        reader.today_override = self.today
        try:
            yield reader
        finally:
            reader.close()

    def _finish(
        self, message: str, paths: list[Path], severity: SeverityLevel = "information"
    ) -> None:
        self.written = paths
        title = "Klaar" if severity == "information" else "Mislukt"
        self.notify(message, title=title, severity=severity)

    @work(thread=True, exclusive=True, group="calendars", exit_on_error=False)
    def export_calendars(self) -> list[Path]:
        """Write the board calendars (``calendars/*.ics``) and say which files were written."""
        self.call_from_thread(
            self.notify, f"Kalenders worden geschreven naar {self.calendar_dir.resolve()}…"
        )
        try:
            from hecht_tracker.services.calendars import export_calendars
        except ImportError:
            self.call_from_thread(
                self._finish,
                "Kalenders exporteren is in deze versie nog niet beschikbaar.",
                [],
                "error",
            )
            return []
        try:
            with self.reading_store() as store:
                paths = [Path(p) for p in export_calendars(store, self.calendar_dir)]
        except (TrackerError, OSError) as error:
            self.call_from_thread(
                self._finish, f"Kalenders exporteren mislukt: {error}", [], "error"
            )
            return []
        names = ", ".join(p.name for p in paths)
        self.call_from_thread(self._note_export)
        self.call_from_thread(
            self._finish,
            f"{len(paths)} agenda's geschreven in {self.calendar_dir.resolve()}: {names}",
            paths,
        )
        return paths

    def _note_export(self) -> None:
        """Journal the export, so undoing a milestone added before it cancels (not removes) it."""
        from hecht_tracker.storage.undo import record_export

        try:
            record_export(self.store)
        except TrackerError as error:
            self.notify(str(error), severity="warning")

    @work(thread=True, exclusive=True, group="report", exit_on_error=False)
    def make_weekly_report(self, fmt: str = "html") -> Path | None:
        """Write this week's status report (e.g. ``weekrapport-2026-W48.html``)."""
        self.call_from_thread(
            self.notify, f"Weekrapport wordt gemaakt: {self._report_path(fmt).resolve()}…"
        )
        try:
            from hecht_tracker.services.report import weekly_report
        except ImportError:
            self.call_from_thread(
                self._finish, "Het weekrapport is in deze versie nog niet beschikbaar.", [], "error"
            )
            return None
        target = self._report_path(fmt)
        try:
            with self.reading_store() as store:
                content = weekly_report(store, self.today, dates.week_start(self.today), fmt)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        except (TrackerError, OSError) as error:
            self.call_from_thread(self._finish, f"Weekrapport maken mislukt: {error}", [], "error")
            return None
        self.call_from_thread(self._finish, f"Weekrapport geschreven: {target.resolve()}", [target])
        return target


def _remembered_theme(prefs_path: Path | None) -> str | None:
    if prefs_path is None:
        return None
    try:
        theme = json.loads(prefs_path.read_text(encoding="utf-8")).get("theme")
    except (OSError, ValueError, AttributeError):
        return None
    return theme if isinstance(theme, str) else None
