"""One record as a table shows it, searched and sorted; plain values, no widget."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Protocol

from rich.text import Text

Cell = str | Text
_WORD = re.compile(r"\w+")


class Look(Protocol):
    """How the rows of one table are drawn from their records: one object shared by all those
    rows, so a table of 100,000 records holds no function or cell per row until it is drawn."""

    def cells(self, record: Any) -> tuple[Cell, ...]:
        """The styled cells."""
        ...

    def texts(self, record: Any) -> tuple[str, ...]:
        """Each cell's text, exactly as drawn: what the table measures and searches."""
        ...

    def sort_keys(self, record: Any) -> tuple[Any, ...]:
        """Per column, how it sorts (None: by its text)."""
        ...


class Row:
    """One record as the table shows it: its id, its cells and, per cell, how it sorts.

    Either the cells are given (with ``sort_keys``, per cell how it sorts, None by its text),
    or a ``record`` and its ``look`` make them when the row is drawn: then a table of 100,000
    records builds the cells of a few thousand. What a row works out is kept in a slot, except
    its texts when only the search asked for them: every row is searched, few are drawn.
    """

    __slots__ = ("_cells", "_sort_keys", "_texts", "_words", "look", "record", "record_id")

    def __init__(
        self,
        record_id: int,
        cells: tuple[Cell, ...] = (),
        sort_keys: tuple[Any, ...] | None = None,
        *,
        record: Any = None,
        look: Look | None = None,
    ) -> None:
        self.record_id = record_id
        self.record = record
        self.look = look
        self._cells: tuple[Cell, ...] | None = cells if look is None else None
        self._sort_keys = sort_keys
        self._texts: tuple[str, ...] | None = None
        self._words: str | None = None

    @property
    def cells(self) -> tuple[Cell, ...]:
        if self._cells is None:
            assert self.look is not None
            self._cells = self.look.cells(self.record)
        return self._cells

    @property
    def texts(self) -> tuple[str, ...]:
        if self._texts is None:
            self._texts = self._plain()
        return self._texts

    def _plain(self) -> tuple[str, ...]:
        if self._texts is not None:
            return self._texts
        if self.look is not None:
            return self.look.texts(self.record)
        return tuple(str(cell) for cell in self.cells)

    @property
    def words(self) -> str:
        """Every word of every cell, lower case, each after a space (what the search looks
        in: " " + a word of the query is in it exactly when that word starts one of these)."""
        if self._words is None:
            text = " ".join(self._plain()).casefold()
            self._words = "".join(" " + word for word in _WORD.findall(text))
        return self._words

    @property
    def searchable(self) -> bool:
        """Whether the words are worked out already."""
        return self._words is not None

    @property
    def keeps_texts(self) -> bool:
        """Whether the texts are kept (a row drawn, measured or sorted on a text column)."""
        return self._texts is not None

    def sort_key(self, column: int) -> Any:
        keys = self._sort_keys
        if keys is None and self.look is not None:
            keys = self.look.sort_keys(self.record)
        if keys is not None and column < len(keys) and keys[column] is not None:
            return (0, keys[column])
        text = self.texts[column].strip().casefold()
        return (1, int(text)) if text.isdigit() else (2, text)


def matching(rows: Iterable[Row], query: str) -> list[Row]:
    """The rows, in their order, in which every word of ``query`` starts some word
    (case-insensitive): "dec" finds "dec" and "december", "6" finds the 6th but not the 6
    inside "2026"."""
    found = list(rows)
    for word in _WORD.findall(query.casefold()):
        # One word at a time, each over what the last left: a plain substring test per row.
        start = " " + word
        found = [row for row in found if start in row.words]
    return found
