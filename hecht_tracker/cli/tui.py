"""Opening the terminal interface from the CLI (Textual is imported only here)."""

from __future__ import annotations

import os
from pathlib import Path

from hecht_tracker.cli.context import AppContext


def prefs_path() -> Path:
    """Where the interface remembers the theme: ``$XDG_CONFIG_HOME/hecht-tracker/tui.json``."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "hecht-tracker" / "tui.json"


def open_tui(app: AppContext) -> None:
    """Run the Textual app on the opened (and if needed seeded) database."""
    from hecht_tracker.tui.app import HechtApp

    store = app.store  # opens, migrates or seeds before the screen takes over the terminal
    HechtApp(store=store, today=app.today, prefs_path=prefs_path()).run()
