"""A table of records (milestones, actions, …) that keeps its cursor on the same record
across reloads, filters its rows on a search text, sorts by a column, fits its columns to
the width by priority, and hands the DataTable its rows a page at a time."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events, on
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.widgets import DataTable

from hecht_tracker.tui.presenters.rows import Cell, Row, matching

# When the table is too wide, the title shrinks to this and other long text to the next;
# below that, columns of low priority give way, and what still does not fit scrolls sideways.
MIN_FLEX_WIDTH = 20
MIN_TEXT_WIDTH = 22
# Rows in the table at most; the rest is reached by searching (keeps 100,000 records
# responsive). When more match, the rows shown start a few rows above the highlighted record
# (CONTEXT_ROWS), so it stays in view and only the rows above it are drawn to show it.
MAX_SHOWN = 2000
CONTEXT_ROWS = 10
# Rows handed to the DataTable at a time: the next ones follow as the cursor or the scroll
# comes near the last, so a search or a reload draws a page, not two thousand rows.
PAGE_ROWS = 60
# Rows whose words for the search are worked out at a time, between other work on the screen,
# so the first key typed finds them ready. (Not in a thread: rows computed there compete with
# the screen for the interpreter and took five times as long and a gigabyte at 100,000.)
PREPARE_CHUNK = 2000


class RecordTable(DataTable[Cell]):
    """Rows of one entity; tells its parent which record is highlighted or chosen."""

    DEFAULT_CSS = """
    RecordTable {
        height: 1fr;
    }
    """

    # A row cursor has no columns to go to: Home and End go to the first and the last row.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home", "scroll_top", "eerste rij", show=False),
        Binding("end", "scroll_bottom", "laatste rij", show=False),
    ]

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
        priorities: Sequence[int] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.entity = entity
        self._column_labels = tuple(columns)
        self._flex = self._column_labels.index(flex_column) if flex_column else None
        # Lower is more important; the highest numbers give way first on a narrow screen.
        self._priorities = tuple(priorities or [0] * len(self._column_labels))
        self._rows: list[Row] = []
        self._by_id: dict[int, Row] = {}
        # The rows that match, in order (at most MAX_SHOWN); the first ``row_count`` are drawn.
        self._matched: list[Row] = []
        self._visible: list[int] = []  # the columns shown, by index
        self._widths: list[int] = []  # their widths (empty: the table has no width yet)
        self._laid_out_size = Size(0, 0)
        self.query_text = ""
        self.sort_column: int | None = None
        self.sort_reverse = False
        self.matching_rows = 0  # rows that match the search (all rows without one)
        self.hidden_rows = 0  # rows that match but are not drawn (see MAX_SHOWN)

    @property
    def column_labels(self) -> tuple[str, ...]:
        return self._column_labels

    def on_mount(self) -> None:
        self._redraw()

    def on_resize(self, event: events.Resize) -> None:
        # The width sets the columns; the height whether a scrollbar takes two of them.
        if event.size != self._laid_out_size:
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
        """The ids of the rows in the table now, top to bottom (after the filter), including
        those drawn only once the cursor or the scroll gets near them."""
        return [row.record_id for row in self._matched]

    def set_rows(self, rows: Sequence[Row]) -> None:
        """Replace all rows, keeping the cursor on the same record where it still exists."""
        self._rows = list(rows)
        self._by_id = {row.record_id: row for row in self._rows}
        self._redraw()
        self.set_timer(0.01, partial(self._prepare_search, self._rows, 0))

    def _prepare_search(self, rows: list[Row], start: int) -> None:
        """Work out the words of the next chunk of rows, then let the screen go on; a search
        typed before all are done works out the rest itself."""
        if self._rows is not rows:
            return  # replaced meanwhile: those rows will not be searched
        end = start + PREPARE_CHUNK
        for row in rows[start:end]:
            row.words  # noqa: B018 - computed and kept by the row
        if end < len(rows):
            self.set_timer(0.01, partial(self._prepare_search, rows, end))

    def filter(self, query: str) -> None:
        """Show only rows matching ``query``; an empty query shows everything."""
        if query.strip() == self.query_text:
            return
        self.query_text = query.strip()
        self._redraw()

    def sort_by(self, column: int | None, reverse: bool = False) -> None:
        """Order the rows by a column (``None``: the order they came in)."""
        self.sort_column = column
        self.sort_reverse = reverse
        self._redraw()

    def select_record(self, record_id: int) -> bool:
        """Move the cursor to a record; False when it does not match the search. A record
        that matches beyond the rows shown is brought into them."""
        index = self._index_of(record_id)
        if index is None:
            if not self._matches(self._by_id.get(record_id)):
                return False
            self._redraw(focus=record_id)
            index = self._index_of(record_id)
            if index is None:
                return False
        self._draw_until(index + PAGE_ROWS)
        self.move_cursor(row=index)
        return True

    def _matches(self, row: Row | None) -> bool:
        return row is not None and (not self.query_text or bool(matching([row], self.query_text)))

    def _index_of(self, record_id: int | None) -> int | None:
        return next(
            (index for index, row in enumerate(self._matched) if row.record_id == record_id),
            None,
        )

    def _draw_until(self, count: int) -> None:
        """Draw the matched rows up to ``count`` (those not drawn yet)."""
        visible, widths = self._visible, self._widths
        for row in self._matched[self.row_count : count]:
            cells = [row.cells[index] for index in visible]
            if widths:
                cells = [_cut(cell, width) for cell, width in zip(cells, widths, strict=True)]
            self.add_row(*cells, key=str(row.record_id))

    def _near_the_end(self, row: int) -> None:
        """Draw the next page once ``row`` is within a screen of the last drawn row."""
        if self.row_count < len(self._matched) and row >= self.row_count - self.size.height:
            self._draw_until(self.row_count + PAGE_ROWS)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._near_the_end(int(new_value) + self.size.height)

    def action_scroll_bottom(self) -> None:
        """End goes to the last row that matches, not the last one drawn so far."""
        self._draw_until(len(self._matched))
        super().action_scroll_bottom()

    def _natural_widths(self, shown: Sequence[Row]) -> list[int]:
        widths = [cell_len(label) for label in self._column_labels]
        for row in shown:
            # The texts, not the cells: the cells are built only for the rows drawn.
            for index, text in enumerate(row.texts):
                widths[index] = max(widths[index], _width(text))
        return widths

    def _layout(self, shown: Sequence[Row]) -> tuple[list[int], list[int]] | None:
        """Which columns to show, and how wide, so the table fits without a sideways scrollbar.

        Long free text gives way first, down to a readable minimum; then whole columns of low
        priority are left out; dates and statuses are never cut.
        """
        if not self.size.width:
            return None
        natural = self._natural_widths(shown)
        visible = list(range(len(natural)))
        scrollbar = 2 if len(shown) + 1 > self.size.height else 0

        def fit() -> tuple[list[int], int]:
            widths = [natural[i] for i in visible]
            room = self.size.width - scrollbar - 2 * self.cell_padding * len(widths)
            excess = sum(widths) - room
            while excess > 0:
                shrinkable = [
                    pos
                    for pos, index in enumerate(visible)
                    if widths[pos] > (MIN_FLEX_WIDTH if index == self._flex else MIN_TEXT_WIDTH)
                ]
                if not shrinkable:
                    break
                widest = max(shrinkable, key=lambda pos: widths[pos])
                widths[widest] -= 1
                excess -= 1
            return widths, excess

        widths, excess = fit()
        while excess > 0:
            droppable = [i for i in visible if self._priorities[i] > 0]
            if not droppable:
                break
            visible.remove(max(droppable, key=lambda i: (self._priorities[i], i)))
            widths, excess = fit()
        return visible, widths

    def _redraw(self, focus: int | None = None) -> None:
        """Draw the rows that match, sorted; the cursor stays on the highlighted record (or
        goes to ``focus``), or, when that no longer matches, to the nearest row after it."""
        keep = self.record_id if focus is None else focus
        row_index = self.cursor_row
        shown = matching(self._rows, self.query_text) if self.query_text else list(self._rows)
        if self.sort_column is not None:
            column = self.sort_column
            shown.sort(key=lambda row: row.sort_key(column), reverse=self.sort_reverse)
        target = self._by_id.get(keep) if keep is not None else None
        if target is not None and not self._matches(target):
            # Left out by the search: the place in the list is kept. (A deleted record is no
            # row any more; its row number then holds the row after it.)
            following = self._matched[row_index + 1 :]
            target = next((row for row in following if self._matches(row)), None)
        start = 0
        if target is not None and len(shown) > MAX_SHOWN:
            at = next((index for index, row in enumerate(shown) if row is target), 0)
            start = max(at - CONTEXT_ROWS, 0)
        drawn = shown[start : start + MAX_SHOWN]
        self.matching_rows = len(shown)
        self.hidden_rows = len(shown) - len(drawn)
        layout = self._layout(drawn)
        self._laid_out_size = self.size
        self._visible, self._widths = (
            layout if layout else (list(range(len(self._column_labels))), [])
        )
        self._matched = []  # nothing to draw while the columns are replaced
        self.clear(columns=True)
        for pos, index in enumerate(self._visible):
            label = self._column_labels[index]
            if index == self.sort_column:
                label += " ▼" if self.sort_reverse else " ▲"
            self.add_column(
                label, key=f"c{index}", width=self._widths[pos] if self._widths else None
            )
        self._matched = drawn
        kept_at = None if target is None else self._index_of(target.record_id)
        self._draw_until(max(kept_at if kept_at is not None else row_index, 0) + PAGE_ROWS)
        if kept_at is not None:
            self.move_cursor(row=kept_at)
        elif self.row_count:
            self.move_cursor(row=min(row_index, self.row_count - 1))
        # The cursor may not have moved at all, so say explicitly what is highlighted now.
        self.post_message(self.Highlighted(self, self.record_id))

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        """A click on a header sorts by it; a second click reverses the order."""
        event.stop()
        index = int(str(event.column_key.value).removeprefix("c"))
        self.sort_by(index, reverse=self.sort_column == index and not self.sort_reverse)

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._near_the_end(event.cursor_row)
        value = event.row_key.value
        self.post_message(self.Highlighted(self, None if value is None else int(value)))

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.Chosen(self, int(event.row_key.value)))


def _width(text: str) -> int:
    """The cells ``text`` takes on screen (plain ASCII, the common case, counted at C speed)."""
    return len(text) if text.isascii() else cell_len(text)


def _cut(cell: Cell, width: int) -> Cell:
    """Text longer than its column ends at a whole word with "…", never in the middle of one."""
    plain = str(cell)
    if cell_len(plain) <= width or width < 2:
        return cell
    room = width - 1
    cut = plain[:room]
    if " " in cut and not plain[room : room + 1].isspace():
        cut = cut[: cut.rfind(" ")]
    cut = cut.rstrip(" ,·—-") + "…"
    if isinstance(cell, Text):
        shortened = cell[: len(cut) - 1]
        shortened.rstrip()
        shortened.append("…")
        return shortened
    return cut
