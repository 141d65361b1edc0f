"""The weekly report as plain text: 80 columns, A4 portrait pages separated by form feeds.

A page holds :data:`PAGE_LINES` lines (10 pt monospace at 6 lines per inch, with margins),
starting with a running header that carries the page number. A section heading never ends a
page, a wrapped table row is never split, a table of up to :data:`KEEP_WHOLE_ROWS` rows is never
split at all, and a longer table that runs on repeats its header. No
colour or other terminal codes are written, so the output prints, mails and pipes as it is.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hecht_tracker.render.report.layout import KEEP_WHOLE_ROWS, Bullets, Facts, Paragraph, Table

if TYPE_CHECKING:
    from hecht_tracker.render.report.document import Document
    from hecht_tracker.render.report.model import WeeklyReport

WIDTH = 80
PAGE_LINES = 64
GAP = "  "
FORM_FEED = "\f"


@dataclass(frozen=True)
class _Chunk:
    """Lines that stay on one page; ``repeat`` is re-printed first when the chunk opens a page."""

    lines: tuple[str, ...]
    repeat: tuple[str, ...] = ()


def render_text(report: WeeklyReport) -> str:
    """The whole weekly report as text pages, each line at most 80 columns."""
    from hecht_tracker.render.report.document import weekly_document

    return render_document(weekly_document(report))


def render_document(document: Document) -> str:
    """Any report as text pages, each line at most 80 columns, ending in a newline."""
    chunks = _title_chunks(document)
    for section in document.sections:
        body: list[_Chunk] = []
        for block in section.blocks:
            body.extend(_block(block))
        heading = (section.title.upper(), "=" * min(WIDTH, len(section.title)))
        first = body[0] if body else _Chunk(())
        chunks.append(_Chunk(("",)))
        chunks.append(_Chunk(heading + first.lines))
        chunks.extend(body[1:])
    return _paginate(document, chunks)


def _title_chunks(document: Document) -> list[_Chunk]:
    title = _wrap(document.title, WIDTH)
    made = f"Gemaakt op {document.made_on}."
    return [_Chunk((*title, "-" * WIDTH, made))]


def _wrap(text: str, width: int, indent: str = "", first: str = "") -> list[str]:
    lines = textwrap.wrap(
        text,
        width=width,
        initial_indent=first or indent,
        subsequent_indent=indent,
        break_long_words=True,
        break_on_hyphens=False,
    )
    return lines or [first.rstrip() or ""]


def _block(block: Paragraph | Facts | Bullets | Table) -> list[_Chunk]:
    if isinstance(block, Paragraph):
        return [_Chunk(("", *_wrap(block.text, WIDTH)))]
    if isinstance(block, Facts):
        label_width = max(len(label) for label, _ in block.pairs) + 2
        chunks = [_Chunk(("",))]
        for label, value in block.pairs:
            first = f"{label}:".ljust(label_width)
            chunks.append(_Chunk(tuple(_wrap(value, WIDTH, " " * label_width, first))))
        return chunks
    if isinstance(block, Bullets):
        chunks = []
        items = [_Chunk(tuple(_wrap(item, WIDTH, "    ", "  - "))) for item in block.items]
        if block.heading:
            items[0] = _Chunk(("", block.heading, *items[0].lines))
        else:
            items[0] = _Chunk(("", *items[0].lines))
        chunks.extend(items)
        return chunks
    return _table(block)


def _table(table: Table) -> list[_Chunk]:
    widths = [column.width for column in table.columns]
    header = _row([c.header for c in table.columns], table, widths)
    rule = GAP.join("-" * w for w in widths).rstrip()
    head = (*header, rule)
    chunks: list[_Chunk] = []
    caption = ("", *_wrap(table.caption, WIDTH)) if table.caption else ("",)
    if len(table.rows) <= KEEP_WHOLE_ROWS:
        # A short table moves to the next page whole rather than split, as in print.
        body = tuple(line for cells in table.rows for line in _row(list(cells), table, widths))
        return [_Chunk((*caption, *head, *body))]
    for index, cells in enumerate(table.rows):
        lines = tuple(_row(list(cells), table, widths))
        if index == 0:
            # The first row carries the caption and the header itself: nothing to repeat.
            chunks.append(_Chunk((*caption, *head, *lines)))
        else:
            chunks.append(_Chunk(lines, head))
    return chunks


def _row(cells: list[str], table: Table, widths: list[int]) -> list[str]:
    wrapped = [_wrap(cell, width) for cell, width in zip(cells, widths, strict=True)]
    height = max(len(lines) for lines in wrapped)
    out = []
    for number in range(height):
        parts = []
        for lines, width, column in zip(wrapped, widths, table.columns, strict=True):
            text = lines[number] if number < len(lines) else ""
            parts.append(text.rjust(width) if column.align == "right" else text.ljust(width))
        out.append(GAP.join(parts).rstrip())
    return out


def _paginate(document: Document, chunks: list[_Chunk]) -> str:
    body_lines = PAGE_LINES - 2  # running header and the blank line under it
    pages: list[list[str]] = [[]]
    for chunk in _fit(chunks, body_lines):
        page = pages[-1]
        if len(page) + len(chunk.lines) > body_lines and page:
            lines = list(chunk.lines)
            while lines and not lines[0].strip():
                lines.pop(0)  # no blank lines at the top of a page
            if chunk.repeat:
                lines = [*chunk.repeat, *lines]
            pages.append(lines)
        else:
            page.extend(chunk.lines)
    total = len(pages)
    out: list[str] = []
    for number, page in enumerate(pages, start=1):
        marker = f"blad {number} van {total}"
        left = f"{document.organisation} — {document.short_title}"
        room = WIDTH - len(marker) - 1
        header = left[:room].ljust(room) + " " + marker
        text = "\n".join([header, "", *page]).rstrip("\n") + "\n"
        out.append(text)
    return FORM_FEED.join(out)


def _fit(chunks: list[_Chunk], limit: int) -> list[_Chunk]:
    """Split the rare chunk longer than a page, so every chunk fits on one."""
    fitted = []
    for chunk in chunks:
        lines = chunk.lines
        while len(lines) > limit:
            fitted.append(_Chunk(lines[:limit], chunk.repeat))
            lines = lines[limit:]
        fitted.append(_Chunk(lines, chunk.repeat))
    return fitted
