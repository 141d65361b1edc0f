"""The Textual app: holds the store and "today", pushes the main screen, and runs the slow
jobs (calendars, weekly report) in worker threads."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.notifications import SeverityLevel
from textual.screen import Screen

from hecht_tracker.core import dates
from hecht_tracker.core.errors import TrackerError
from hecht_tracker.tui.screens.main import MainScreen

if TYPE_CHECKING:
    from hecht_tracker.storage.store import Store

REPORT_SUFFIXES = {"html": "html", "pdf": "pdf", "markdown": "md", "text": "txt"}
REPORT_FORMATS = {"html": "HTML", "pdf": "PDF", "markdown": "Markdown", "text": "tekst"}


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
    ) -> None:
        super().__init__()
        self.store = store
        self.today = today
        self.calendar_dir = calendar_dir
        self.report_dir = report_dir
        self.blink = blink
        self.written: list[Path] = []  # files written by the last export or report, for callers

    def on_mount(self) -> None:
        self.push_screen(MainScreen())

    # --- command palette -------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "Kalenders exporteren",
            f"Schrijf de .ics-agenda's voor de bestuurders naar {self.calendar_dir}/",
            self.export_calendars,
        )
        week = dates.iso_week_label(self.today)
        for fmt, name in REPORT_FORMATS.items():
            title = "Weekrapport maken" if fmt == "html" else f"Weekrapport maken ({name})"
            yield SystemCommand(
                title,
                f"Statusrapport week {week.split('-W')[1]} als {name}: {self._report_path(fmt).name}",
                lambda fmt=fmt: self.make_weekly_report(fmt),
            )
        yield SystemCommand(
            "Gegevens opnieuw inlezen", "Lees de database opnieuw", self._reload_main
        )
        yield SystemCommand(
            "Schermafdruk maken",
            "Bewaar het scherm als SVG-bestand",
            lambda: self.set_timer(0.1, self.action_screenshot_svg),  # after the palette closed
        )
        yield SystemCommand("Afsluiten", "Sluit hecht-tracker af", self.action_quit)

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(
                CommandPalette(placeholder="Zoek een opdracht…", id="--command-palette")
            )

    def action_help_quit(self) -> None:
        self.notify("Druk op q of ctrl+q om hecht-tracker af te sluiten.", title="Afsluiten?")

    def action_screenshot_svg(self) -> None:
        """Save what the screen shows now, e.g. to attach to a mail."""
        path = self.save_screenshot(path=str(self.report_dir))
        self.notify(f"Schermafdruk bewaard: {path}")

    def _reload_main(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.reload()
        self.notify("Gegevens opnieuw ingelezen.")

    # --- slow jobs in threads ----------------------------------------------------------------

    def _report_path(self, fmt: str) -> Path:
        return (
            self.report_dir
            / f"weekrapport-{dates.iso_week_label(self.today)}.{REPORT_SUFFIXES[fmt]}"
        )

    @contextlib.contextmanager
    def _reading_store(self) -> Iterator[Store]:
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
            with self._reading_store() as store:
                paths = [Path(p) for p in export_calendars(store, self.calendar_dir)]
        except (TrackerError, OSError) as error:
            self.call_from_thread(
                self._finish, f"Kalenders exporteren mislukt: {error}", [], "error"
            )
            return []
        names = ", ".join(p.name for p in paths)
        self.call_from_thread(
            self._finish,
            f"{len(paths)} agenda's geschreven in {self.calendar_dir}/: {names}",
            paths,
        )
        return paths

    @work(thread=True, exclusive=True, group="report", exit_on_error=False)
    def make_weekly_report(self, fmt: str = "html") -> Path | None:
        """Write this week's status report (e.g. ``weekrapport-2026-W48.html``)."""
        try:
            from hecht_tracker.services.report import weekly_report
        except ImportError:
            self.call_from_thread(
                self._finish, "Het weekrapport is in deze versie nog niet beschikbaar.", [], "error"
            )
            return None
        target = self._report_path(fmt)
        try:
            with self._reading_store() as store:
                content = weekly_report(store, self.today, dates.week_start(self.today), fmt)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        except (TrackerError, OSError) as error:
            self.call_from_thread(self._finish, f"Weekrapport maken mislukt: {error}", [], "error")
            return None
        self.call_from_thread(self._finish, f"Weekrapport geschreven: {target}", [target])
        return target
