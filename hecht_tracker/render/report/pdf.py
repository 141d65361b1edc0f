"""Reports as a PDF fit for a public body, made by WeasyPrint from the HTML page.

One layout for screen, print and PDF: the PDF is the HTML page through its print stylesheet
(A4, running header, "blad N van M"), so the two never drift apart. The PDF is tagged (PDF/UA-1:
structure tree, reading order, /Lang nl, the document title shown in the window bar), has a
bookmark per heading (h1, h2) and embeds the subset of DejaVu Sans it uses, a font with the
arrows, ⚠ and € the report prints. Its creation date is the report's day, so the same report
gives the same bytes on one machine.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

    from hecht_tracker.render.report.document import Document
    from hecht_tracker.render.report.model import WeeklyReport

PDF_VARIANT = "pdf/ua-1"
# 2026-01-01 00:00 UTC: any fixed moment will do, it only has to be the same on every run.
FONT_TIMESTAMP = "1767225600"


def render_pdf(report: WeeklyReport) -> bytes:
    """The weekly report as PDF bytes."""
    from hecht_tracker.render.report.html import render_html

    return html_to_pdf(render_html(report))


def render_document_pdf(document: Document) -> bytes:
    from hecht_tracker.render.report.html import render_document

    return html_to_pdf(render_document(document))


def html_to_pdf(page: str) -> bytes:
    """A page made by :mod:`hecht_tracker.render.report.html` as a tagged PDF."""
    import logging

    from weasyprint import HTML

    # WeasyPrint logs every CSS property it does not know (the screen-only reflow rules) as a
    # warning; they are expected here and would only clutter a cron mail.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    with _fixed_font_timestamp():
        pdf = HTML(string=page).write_pdf(pdf_variant=PDF_VARIANT, uncompressed_pdf=False)
    assert pdf is not None
    return bytes(pdf)


@contextmanager
def _fixed_font_timestamp() -> Iterator[None]:
    """Subset fonts carry a "modified" time; fontTools takes it from SOURCE_DATE_EPOCH when set.

    Without it, two runs a second apart embed different font bytes, and the same report would
    not give the same PDF. A caller's own SOURCE_DATE_EPOCH is respected.
    """
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = FONT_TIMESTAMP
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
