"""The text report's pages: a table header shows once at the top of a page, never twice, and a
short table is never split."""

from __future__ import annotations

import datetime as dt

from hecht_tracker.render.report.document import Document
from hecht_tracker.render.report.layout import Bullets, Column, Paragraph, Section, Table
from hecht_tracker.render.report.text import KEEP_WHOLE_ROWS, PAGE_LINES, render_document

HEADER = "datum       wat"


def _document(filler: int, rows: int) -> Document:
    table = Table(
        (Column("datum", 10), Column("wat", 30)),
        tuple((f"{n:02d}-12-2026", f"regel {n}") for n in range(1, rows + 1)),
        caption="Een tabel met bijschrift",
    )
    return Document(
        organisation="Hecht",
        programme="Gezond Vooruit!",
        title="Proef",
        short_title="proef",
        made_on="maandag 23 november 2026",
        made_date=dt.date(2026, 11, 23),
        tag="2026-W48",
        sections=(
            Section("filler", "Vulling", (Bullets(tuple(f"punt {n}" for n in range(filler))),)),
            Section("table", "Tabel", (Paragraph("Eerst een alinea."), table)),
        ),
    )


def _pages(document: Document) -> list[list[str]]:
    return [page.splitlines() for page in render_document(document).split("\f")]


def test_a_captioned_table_that_opens_page_two_shows_its_header_once() -> None:
    # The filler leaves room for the section heading but not for the table's first row.
    for filler in range(PAGE_LINES - 16, PAGE_LINES - 2):
        pages = _pages(_document(filler, 3))
        if len(pages) < 2 or not any("Een tabel met bijschrift" in x for x in pages[1]):
            continue
        second = pages[1]
        assert second.count(HEADER) == 1, second
        assert second.index("Een tabel met bijschrift") < second.index(HEADER)
        return
    raise AssertionError("no filler put the table at the top of page 2")


def test_a_table_running_onto_the_next_page_repeats_its_header_once() -> None:
    pages = _pages(_document(10, 70))
    assert len(pages) == 2
    assert [line for line in pages[1] if line == HEADER] == [HEADER]
    assert pages[1][2] == HEADER and pages[1][3].startswith("----------")
    assert sum(page.count(HEADER) for page in pages) == 2


def test_a_short_table_moves_to_the_next_page_whole_rather_than_split() -> None:
    rows = KEEP_WHOLE_ROWS
    seen_on_page_two = False
    for filler in range(PAGE_LINES - 20, PAGE_LINES - 2):
        pages = _pages(_document(filler, rows))
        holding = [i for i, page in enumerate(pages) if any("regel" in line for line in page)]
        assert len(holding) == 1, (filler, holding)  # every row on one page
        page = pages[holding[0]]
        assert page.count(HEADER) == 1
        assert sum(1 for line in page if "regel" in line) == rows
        seen_on_page_two |= holding[0] == 1
    assert seen_on_page_two  # some filler pushed the table over, whole


def test_a_longer_table_may_still_run_onto_the_next_page() -> None:
    for filler in range(PAGE_LINES - 20, PAGE_LINES - 2):
        pages = _pages(_document(filler, KEEP_WHOLE_ROWS + 1))
        holding = [i for i, page in enumerate(pages) if any("regel" in line for line in page)]
        if len(holding) == 2:
            return
    raise AssertionError("a table of more than KEEP_WHOLE_ROWS rows was never split")
