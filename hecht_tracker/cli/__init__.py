"""The command line: ``hecht-tracker [--db PATH] [--today YYYY-MM-DD] [COMMAND]``.

A thin door onto the domain. Each command parses its options, calls one domain function and
prints the result; a domain error becomes one Dutch line on stderr with exit code 2 for
usage and validation errors and 1 for anything else. Without a command the TUI opens.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from hecht_tracker import __version__
from hecht_tracker.cli.context import AppContext, RootGroup, pass_app

DEFAULT_DB = Path("db") / "hecht.sqlite"


@click.group(
    cls=RootGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="BESTAND",
    envvar="HECHT_TRACKER_DB",
    default=DEFAULT_DB,
    help="Het databasebestand (of $HECHT_TRACKER_DB; standaard db/hecht.sqlite). "
    "Ontbreekt het, dan wordt het gemaakt en gevuld.",
)
@click.option(
    "--today",
    envvar="HECHT_TRACKER_TODAY",
    metavar="JJJJ-MM-DD",
    help="Doe alsof het vandaag deze datum is (of $HECHT_TRACKER_TODAY); standaard de datum in Amsterdam.",
)
@click.option(
    "--allow-network-share",
    is_flag=True,
    envvar="HECHT_TRACKER_ALLOW_NETWORK_SHARE",
    help="Gebruik de database ook op een netwerkschijf (SMB/NFS; afgeraden).",
)
@click.version_option(
    __version__,
    "--version",
    prog_name="hecht-tracker",
    message="%(prog)s %(version)s",
    help="Toon de versie en stop.",
)
@click.pass_context
def cli(ctx: click.Context, db_path: Path, today: str | None, allow_network_share: bool) -> None:
    """Volg de strategie Gezond Vooruit! van Hecht: mijlpalen, acties, afspraken en baten.

    Zonder opdracht opent de terminal-interface op de database.

    \b
    Voorbeelden:
      hecht-tracker                                   # open de interface
      hecht-tracker --today 2026-11-23 milestone list
      hecht-tracker milestone update 6 --date "3 dec" --note "DB verplaatst"
    """
    app = AppContext(db_path=db_path, today_text=today, allow_network_share=allow_network_share)
    ctx.obj = app
    ctx.call_on_close(app.close)
    if ctx.invoked_subcommand is None:
        from hecht_tracker.cli.tui import open_tui

        open_tui(app)


# Which module of hecht_tracker.cli holds each command: a command's module is imported only
# when that command runs (or the help lists them all), so a command pays for itself alone.
cli.lazy_commands = {
    **dict.fromkeys(("milestone", "action", "benefit", "goal"), "records"),
    **dict.fromkeys(("init", "journal", "settings", "import", "export"), "data"),
    "calendar": "calendar",
    "report": "report",
    **dict.fromkeys(("undo", "redo"), "history"),
    "db": "db",
}


def main(argv: Sequence[str] | None = None) -> Any:
    """Console-script entry point."""
    return cli.main(args=list(argv) if argv is not None else None, prog_name="hecht-tracker")


__all__ = ["AppContext", "cli", "main", "pass_app"]

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
