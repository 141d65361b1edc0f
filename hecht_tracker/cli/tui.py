"""Opening the terminal interface from the CLI (Textual is imported only here)."""

from __future__ import annotations

from hecht_tracker.cli.context import AppContext


def open_tui(app: AppContext) -> None:
    """Run the Textual app on the opened (and if needed seeded) database."""
    from hecht_tracker.tui.app import HechtApp

    store = app.store  # opens, migrates or seeds before the screen takes over the terminal
    HechtApp(store=store, today=app.today).run()
