"""A report as the renderers see it: a title block and format-neutral sections.

The weekly report and the actielijst are both a :class:`Document`, so text, Markdown, HTML and
PDF are written once and every report gets the same page furniture (running header, page
numbers, accessible HTML, tagged PDF).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hecht_tracker.render.report.layout import Section, sections

if TYPE_CHECKING:
    from hecht_tracker.render.report.model import WeeklyReport


@dataclass(frozen=True)
class Document:
    """What every format prints around and between the sections."""

    organisation: str
    programme: str
    title: str  # the heading and the document title of the PDF
    short_title: str  # the running header of every printed page
    made_on: str  # "maandag 23 november 2026"
    made_date: dt.date  # the same day, for the PDF's creation date
    tag: str  # "2026-W48" or "Algemeen Bestuur", shown beside the made-on date
    sections: tuple[Section, ...]


def weekly_document(report: WeeklyReport) -> Document:
    return Document(
        organisation=report.organisation,
        programme=report.programme,
        title=report.title,
        short_title=report.short_title,
        made_on=report.made_on,
        made_date=report.today,
        tag=report.week_label,
        sections=tuple(sections(report)),
    )
