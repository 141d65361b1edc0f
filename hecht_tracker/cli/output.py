"""Tables and detail views for people, drawn with Rich (imported only when something prints)."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Sequence
from typing import Any

import click

from hecht_tracker.core import dates, timeline
from hecht_tracker.text import display


def print_table(entity: str, records: Sequence[Any], today: dt.date) -> None:
    from rich.console import Console
    from rich.table import Table

    if not records:
        click.echo("Niets gevonden.")
        return
    upcoming = timeline.next_board_moment(records, today) if entity == "milestone" else None
    table = Table(box=None, pad_edge=False, header_style="bold", show_edge=False)
    if entity == "milestone":
        table.add_column("", no_wrap=True)
    for column in display.COLUMNS[entity]:
        if column == "titel":
            table.add_column(column, overflow="fold", ratio=1, min_width=24)
        else:
            table.add_column(column, no_wrap=True)
    for record in records:
        cells = display.row(entity, record, today)
        if entity == "milestone":
            cells = ("▶" if upcoming is not None and record.id == upcoming.id else "", *cells)
        table.add_row(*cells)
    # Not a terminal (a pipe, a file): 120 columns unless $COLUMNS says otherwise.
    console = Console(highlight=False, width=shutil.get_terminal_size((120, 24)).columns)
    console.print(table)
    if upcoming is not None:
        click.echo(
            f"\nVolgende bestuursmoment: {upcoming.body} {dates.format_long(upcoming.date)} — "
            f"{upcoming.title} ({dates.days_until(upcoming.date, today)})"
        )


def print_details(entity: str, record: Any) -> None:
    pairs = display.details(entity, record)
    width = max(len(name) for name, _ in pairs)
    for name, value in pairs:
        click.echo(f"{name.ljust(width)}  {value}")
