"""Additions to a record's detail pane: its own journal, and a chart of a benefit's
measurements over time."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from hecht_tracker.core import dates, status
from hecht_tracker.core.model import Benefit, JournalEntry
from hecht_tracker.core.snapshot import Snapshot
from hecht_tracker.text import status as wording

_BARS = "▁▂▃▄▅▆▇█"
JOURNAL_LINES = 12


def own_journal(entries: Sequence[JournalEntry], snapshot: Snapshot) -> RenderableType:
    """The record's journal, newest first (at most a dozen lines; the Logboek has the rest)."""

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True, width=16)
    grid.add_column(ratio=1)
    for entry in list(reversed(entries))[:JOURNAL_LINES]:
        line = wording.journal_line(snapshot.change(entry)).split(" ", 2)[-1]  # no "mijlpaal 6"
        grid.add_row(dates.format_moment(entry.at), Text(line))  # stored values, not markup
    if len(entries) > JOURNAL_LINES:
        grid.add_row(
            "",
            Text(f"… nog {len(entries) - JOURNAL_LINES}: l toont ze in het Logboek", style="dim"),
        )
    heading = Text.assemble(("logboek", "bold"), ("  l: alles van dit record", "dim"))
    return Group(heading, grid) if entries else Text("")


def measurement_chart(benefit: Benefit) -> Text | None:
    """A bar per measurement with a number in it, oldest left: ``▂▄▆█  5,2% → 6,1%``."""
    points = []
    for measurement in benefit.measurements:
        number = status.measurement_number(measurement.value)
        if number is not None:
            points.append((measurement, number))
    if len(points) < 2:
        return None
    values = [value for _, value in points]
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    bars = "".join(_BARS[round((v - low) / span * (len(_BARS) - 1))] for v in values)
    first, last = points[0][0], points[-1][0]
    chart = Text(bars, style="bold")
    chart.append(
        f"  {first.value} ({dates.format_short(first.date)}) → {last.value} "
        f"({dates.format_short(last.date)})",
        style="dim",
    )
    return chart
