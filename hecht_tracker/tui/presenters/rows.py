"""One record as a table shows it, searched and sorted; plain values, no widget."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from rich.text import Text

Cell = str | Text
_WORD = re.compile(r"\w+")

CellSource = tuple[Cell, ...] | Callable[[], tuple[Cell, ...]]
TextSource = tuple[str, ...] | Callable[[], tuple[str, ...]] | None


@dataclass(frozen=True)
class Row:
    """One record as the table shows it: its id, its cells and, per cell, how it sorts.

    ``source`` may be a function that builds the cells: then they are made only for the rows
    drawn, so a table of 100,000 records builds a few thousand. ``plain`` (the cells' text,
    or a function giving it) is what the search and the text sort read; without it the cells'
    own text is used.
    """

    record_id: int
    source: CellSource
    sort_keys: tuple[Any, ...] | None = field(default=None, compare=False)
    plain: TextSource = field(default=None, compare=False)

    @cached_property
    def cells(self) -> tuple[Cell, ...]:
        return self.source() if callable(self.source) else self.source

    @cached_property
    def texts(self) -> tuple[str, ...]:
        return self._texts()

    def _texts(self) -> tuple[str, ...]:
        if self.plain is None:
            return tuple(str(cell) for cell in self.cells)
        return self.plain() if callable(self.plain) else self.plain

    @cached_property
    def words(self) -> str:
        """Every word of every cell, lower case, each after a space (what the search looks
        in: " " + a word of the query is in it exactly when that word starts one of these)."""
        # The texts of a row never drawn are not kept: every row has words, few are drawn.
        texts = self.__dict__.get("texts") or self._texts()
        return "".join(" " + word for word in _WORD.findall(" ".join(texts).casefold()))

    def sort_key(self, column: int) -> Any:
        if self.sort_keys is not None and self.sort_keys[column] is not None:
            return (0, self.sort_keys[column])
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
