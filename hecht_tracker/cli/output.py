"""Tables and detail views for people, drawn with Rich (imported only when something prints)."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from hecht_tracker.core import kinds, status
from hecht_tracker.core.model import Milestone
from hecht_tracker.text import display
from hecht_tracker.text import status as wording

if TYPE_CHECKING:
    from hecht_tracker.storage.store import Store


# Under a list; 'milestone show ID' gives every warning of one milestone.
MAX_LISTED_WARNINGS = 20


def print_table(entity: str, records: Sequence[Any], today: dt.date) -> None:
    from rich.console import Console
    from rich.table import Table

    if not records:
        click.echo("Niets gevonden.")
        return
    moment = status.next_moment(records, today) if entity == "milestone" else None
    upcoming = moment.milestone if moment is not None else None
    table = Table(box=None, pad_edge=False, header_style="bold", show_edge=False)
    if entity == "milestone":
        table.add_column("", no_wrap=True)
    for column in kinds.get(entity).columns:
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
    if entity == "milestone":
        # From the listed milestones alone: no second read of the database for a long list.
        found = status.warnings(records, (), today)
        if found:
            click.echo("\nLet op:")
            for warning in found[:MAX_LISTED_WARNINGS]:
                click.echo(f"  - {wording.warning(warning)}")
            if len(found) > MAX_LISTED_WARNINGS:
                click.echo(f"  en nog {len(found) - MAX_LISTED_WARNINGS}")
    if moment is not None:
        click.echo(f"\n{wording.next_moment(moment)}")


def print_details(entity: str, record: Any, store: Store, today: dt.date) -> None:
    pairs = display.details(entity, record)
    if isinstance(record, Milestone):
        papers = wording.papers(status.papers(record, today), today)
        if papers:
            pairs.append(("stukken", papers))
        # A milestone's warnings need the other milestones (its route), not the actions.
        found = status.warnings_about(
            status.warnings(store.milestones(), (), today), entity, record.id
        )
        pairs.extend(("let op", wording.warning_detail(w)) for w in found)
    width = max(len(name) for name, _ in pairs)
    for name, value in pairs:
        click.echo(f"{name.ljust(width)}  {value}")
