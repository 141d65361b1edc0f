"""A table of records (milestones, actions, …) that keeps its cursor on the same record
across reloads and filters its rows on a search text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import events, on
from textual.message import Message
from textual.widgets import DataTable

Cell = str | Text


# When the table is too wide, the title shrinks to this and other long text to the next;
# below that (dates and statuses are shorter) the table scrolls sideways.
MIN_FLEX_WIDTH = 20
MIN_TEXT_WIDTH = 22


@dataclass(frozen=True)
class Row:
    """One record as the table shows it: its id and its cells."""

    record_id: int
    cells: tuple[Cell, ...]

    def matches(self, query: str) -> bool:
        """True when every word of ``query`` occurs in some cell (case-insensitive)."""
        haystack = " ".join(str(cell) for cell in self.cells).casefold()
        return all(word in haystack for word in query.casefold().split())


class RecordTable(DataTable[Cell]):
    """Rows of one entity; tells its parent which record is highlighted or chosen."""

    DEFAULT_CSS = """
    RecordTable {
        height: 1fr;
    }
    """

    class Highlighted(Message):
        """The cursor moved onto a record (``None``: the table is empty)."""

        def __init__(self, table: RecordTable, record_id: int | None) -> None:
            super().__init__()
            self.table = table
            self.record_id = record_id

        @property
        def control(self) -> RecordTable:
            return self.table

    class Chosen(Message):
        """Enter was pressed on a record."""

        def __init__(self, table: RecordTable, record_id: int) -> None:
            super().__init__()
            self.table = table
            self.record_id = record_id

        @property
        def control(self) -> RecordTable:
            return self.table

    def __init__(
        self,
        entity: str,
        columns: Sequence[str],
        *,
        flex_column: str | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.entity = entity
        self._column_labels = tuple(columns)
        self._flex = self._column_labels.index(flex_column) if flex_column else None
        self._rows: list[Row] = []
        self._laid_out_width = 0
        self.query_text = ""

    def on_mount(self) -> None:
        self._redraw()

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._laid_out_width:
            self._redraw()

    @property
    def record_id(self) -> int | None:
        """The id of the highlighted record, if any."""
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return None if key.value is None else int(key.value)

    @property
    def shown_ids(self) -> list[int]:
        """The ids of the rows shown now, top to bottom (after the filter)."""
        return [int(key.value) for key in self.rows if key.value is not None]

    def set_rows(self, rows: Sequence[Row]) -> None:
        """Replace all rows, keeping the cursor on the same record where it still exists."""
        self._rows = list(rows)
        self._redraw()

    def filter(self, query: str) -> None:
        """Show only rows matching ``query``; an empty query shows everything."""
        if query.strip() == self.query_text:
            return
        self.query_text = query.strip()
        self._redraw()

    def select_record(self, record_id: int) -> bool:
        """Move the cursor to a record; False when it is not shown."""
        ids = self.shown_ids
        if record_id not in ids:
            return False
        self.move_cursor(row=ids.index(record_id))
        return True

    def _column_widths(self, shown: Sequence[Row]) -> list[int] | None:
        """Widths that fit the table on screen without a horizontal scrollbar.

        Every column gets its natural width when there is room. When there is not, long text
        gives way (the title and, say, an owner), down to a readable minimum; dates, times and
        statuses are never cut. What still does not fit scrolls sideways.
        """
        if not self.size.width:
            return None
        widths = [cell_len(label) for label in self._column_labels]
        for row in shown:
            for index, cell in enumerate(row.cells):
                widths[index] = max(widths[index], cell_len(str(cell)))
        scrollbar = 2 if len(shown) + 1 > self.size.height else 0
        room = self.size.width - scrollbar - 2 * self.cell_padding * len(widths)
        excess = sum(widths) - room
        while excess > 0:
            # Long free text gives way, the widest first: the title down to MIN_FLEX_WIDTH,
            # other columns (an owner) down to MIN_TEXT_WIDTH; dates and statuses stay whole.
            shrinkable = [
                index
                for index, width in enumerate(widths)
                if width > (MIN_FLEX_WIDTH if index == self._flex else MIN_TEXT_WIDTH)
            ]
            if not shrinkable:
                break
            widest = max(shrinkable, key=lambda index: widths[index])
            widths[widest] -= 1
            excess -= 1
        return widths

    def _redraw(self) -> None:
        keep = self.record_id
        row_index = self.cursor_row
        shown = [row for row in self._rows if not self.query_text or row.matches(self.query_text)]
        widths = self._column_widths(shown)
        self._laid_out_width = self.size.width
        self.clear(columns=True)
        for index, label in enumerate(self._column_labels):
            self.add_column(label, key=f"c{index}", width=widths[index] if widths else None)
        for row in shown:
            self.add_row(*row.cells, key=str(row.record_id))
        if (keep is None or not self.select_record(keep)) and self.row_count:
            self.move_cursor(row=min(row_index, self.row_count - 1))
        # The cursor may not have moved at all, so say explicitly what is highlighted now.
        self.post_message(self.Highlighted(self, self.record_id))

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        value = event.row_key.value
        self.post_message(self.Highlighted(self, None if value is None else int(value)))

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.Chosen(self, int(event.row_key.value)))
