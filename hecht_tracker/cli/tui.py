"""Opening the terminal interface from the CLI (Textual is imported only here)."""

from __future__ import annotations

import click

from hecht_tracker.cli.context import AppContext


def open_tui(app: AppContext) -> None:
    click.echo(
        "De terminal-interface is er nog niet. Gebruik intussen de opdrachten: hecht-tracker --help"
    )
