"""The weekly report as an A4 PDF, made with fpdf2 from the same sections as the other formats.

Font: the PDF core font Helvetica in the Windows-1252 encoding, so nothing is embedded and the
file stays small. That encoding covers Dutch, the dashes (– —), € and the bullet; the few other
characters the report may hold (arrows, ⚠) are mapped to plain look-alikes by :func:`pdf_text`.
The bytes are deterministic: the creation date is the report's "today" (midnight in Amsterdam)
and fpdf2 derives the file id from the content and that date.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import TYPE_CHECKING, Any

from hecht_tracker.core import dates
from hecht_tracker.core.model import BenefitStatus, Health, Status
from hecht_tracker.render.report.layout import Bullets, Facts, Paragraph, Section, Table, sections
from hecht_tracker.render.report.model import WeeklyReport

if TYPE_CHECKING:
    from fpdf import FPDF

ENCODING = "cp1252"
_REPLACEMENTS = str.maketrans(
    {
        "→": "->",
        "←": "<-",
        "◀": "<",
        "▶": ">",
        "⚠": "!",
        "≤": "<=",
        "≥": ">=",
        "✓": "v",
        "✔": "v",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)
TEAL = (0, 87, 79)
GREY = (85, 94, 110)
FLAG = (253, 236, 234)
HEALTH_RGB: dict[Health | None, tuple[int, int, int]] = {
    Health.ON_TRACK: (46, 125, 50),
    Health.AT_RISK: (224, 142, 11),
    Health.OFF_TRACK: (198, 40, 40),
    None: (138, 143, 152),
}
BENEFIT_RGB = {
    BenefitStatus.ACHIEVED: (46, 125, 50),
    BenefitStatus.IN_PROGRESS: (30, 111, 217),
    BenefitStatus.EXPECTED: (176, 190, 197),
    BenefitStatus.NOT_ACHIEVED: (198, 40, 40),
}


def pdf_text(text: str) -> str:
    """``text`` limited to what Helvetica in Windows-1252 can show."""
    text = text.translate(_REPLACEMENTS)
    try:
        text.encode(ENCODING)
        return text
    except UnicodeEncodeError:
        pass
    out = []
    for char in text:
        try:
            char.encode(ENCODING)
            out.append(char)
        except UnicodeEncodeError:
            plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            out.append(plain or "?")
    return "".join(out)


def render_pdf(report: WeeklyReport) -> bytes:
    """The report as PDF bytes (A4 portrait, page numbers "blad N van M")."""
    from zoneinfo import ZoneInfo

    pdf = _document(report)
    pdf.set_creation_date(
        dt.datetime.combine(report.today, dt.time.min, tzinfo=ZoneInfo(dates.TIMEZONE))
    )
    pdf.set_title(pdf_text(report.title))
    pdf.set_author(pdf_text(report.organisation))
    pdf.set_subject(pdf_text(f"{report.programme} statusrapport {report.week_label}"))
    pdf.set_creator("hecht-tracker")
    pdf.set_lang("nl")
    pdf.add_page()
    _title(pdf, report)
    for section in sections(report):
        _section(pdf, section, report)
    return bytes(pdf.output())


def _document(report: WeeklyReport) -> FPDF:
    from fpdf import FPDF

    class ReportPDF(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", "", 8)
            self.set_text_color(*GREY)
            left = pdf_text(f"{report.organisation} — {report.short_title}")
            self.cell(0, 4, left, align="L")
            self.set_x(self.l_margin)
            self.cell(0, 4, f"blad {self.page_no()} van {{nb}}", align="R")
            self.ln(5)
            self.set_draw_color(0, 133, 124)
            self.set_line_width(0.4)
            self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
            self.ln(4)
            self.set_text_color(29, 36, 51)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("Helvetica", "", 7.5)
            self.set_text_color(*GREY)
            self.cell(0, 4, pdf_text(f"Gemaakt op {report.made_on} met hecht-tracker"), align="C")

    pdf = ReportPDF(orientation="portrait", unit="mm", format="A4")
    pdf.core_fonts_encoding = ENCODING
    pdf.set_margins(16, 14, 16)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.alias_nb_pages()
    return pdf


def _title(pdf: FPDF, report: WeeklyReport) -> None:
    pdf.set_font("Helvetica", "B", 15)
    pdf.set_text_color(29, 36, 51)
    pdf.multi_cell(0, 7, pdf_text(report.title), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    pdf.set_text_color(*GREY)
    pdf.cell(0, 5, pdf_text(f"Gemaakt op {report.made_on}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(29, 36, 51)
    pdf.ln(2)


def _room_left(pdf: FPDF) -> float:
    return float(pdf.page_break_trigger - pdf.get_y())


def _section(pdf: FPDF, section: Section, report: WeeklyReport) -> None:
    if _room_left(pdf) < 35:  # keep a heading with what follows
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 12)
    pdf.set_text_color(*TEAL)
    pdf.cell(0, 7, pdf_text(section.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(207, 216, 220)
    pdf.set_line_width(0.2)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(2)
    pdf.set_text_color(29, 36, 51)
    if section.figure == "timeline" and not report.empty:
        _timeline(pdf, report)
    for index, block in enumerate(section.blocks):
        _block(pdf, block)
        if index == 0 and section.figure == "benefits" and report.categories:
            _benefit_bars(pdf, report)


def _block(pdf: FPDF, block: Paragraph | Facts | Bullets | Table) -> None:
    width = pdf.w - pdf.l_margin - pdf.r_margin
    if isinstance(block, Paragraph):
        pdf.set_font("Helvetica", "B" if block.strong else "", 9.5)
        pdf.multi_cell(0, 4.8, pdf_text(block.text), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)
        return
    if isinstance(block, Facts):
        for label, value in block.pairs:
            if _room_left(pdf) < 6:
                pdf.add_page()
            y = pdf.get_y()
            pdf.set_font("Helvetica", "B", 9.5)
            pdf.set_text_color(*GREY)
            pdf.multi_cell(44, 4.8, pdf_text(label), align="L")
            pdf.set_xy(pdf.l_margin + 46, y)
            pdf.set_font("Helvetica", "", 9.5)
            pdf.set_text_color(29, 36, 51)
            pdf.multi_cell(
                width - 46, 4.8, pdf_text(value), align="L", new_x="LMARGIN", new_y="NEXT"
            )
        pdf.ln(2)
        return
    if isinstance(block, Bullets):
        if block.heading:
            if _room_left(pdf) < 16:
                pdf.add_page()
            pdf.set_font("Helvetica", "B", 9.5)
            pdf.cell(0, 5.5, pdf_text(block.heading), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 9)
        for item in block.items:
            if _room_left(pdf) < 9:
                pdf.add_page()
            y = pdf.get_y()
            pdf.cell(4, 4.5, pdf_text("•"))
            pdf.set_xy(pdf.l_margin + 4, y)
            pdf.multi_cell(width - 4, 4.5, pdf_text(item), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)
        return
    _table(pdf, block)


def _table(pdf: FPDF, table: Table) -> None:
    from fpdf.fonts import FontFace

    if table.caption:
        if _room_left(pdf) < 20:
            pdf.add_page()
        pdf.set_font("Helvetica", "B", 9.5)
        pdf.cell(0, 5.5, pdf_text(table.caption), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 8.5)
    pdf.set_draw_color(207, 216, 220)
    pdf.set_line_width(0.2)
    headings = FontFace(emphasis="BOLD", color=GREY, fill_color=(236, 241, 243))
    flagged = FontFace(fill_color=FLAG)
    pdf.set_fill_color(255, 255, 255)
    options: dict[str, Any] = {
        "col_widths": tuple(max(c.width, len(c.header) + 2) for c in table.columns),
        "text_align": tuple("RIGHT" if c.align == "right" else "LEFT" for c in table.columns),
        "headings_style": headings,
        "borders_layout": "HORIZONTAL_LINES",
        "line_height": 4.4,
        "padding": (0.8, 1.2),
        "v_align": "TOP",
        "width": pdf.w - pdf.l_margin - pdf.r_margin,
    }
    with pdf.table(**options) as out:
        out.row([pdf_text(c.header) for c in table.columns])
        for index, cells in enumerate(table.rows):
            flag = index < len(table.flagged) and table.flagged[index]
            out.row([pdf_text(cell) for cell in cells], style=flagged if flag else None)
    pdf.ln(2.5)


def _timeline(pdf: FPDF, report: WeeklyReport) -> None:
    """A small timeline: months, milestones coloured by health, and today in magenta."""
    if _room_left(pdf) < 45:
        pdf.add_page()
    start, end = report.timeline_start, report.timeline_end
    left, right = pdf.l_margin + 2, pdf.w - pdf.r_margin - 2
    top = pdf.get_y() + 5
    axis = top + 4
    span = max(1, (end - start).days)

    def x_of(day: dt.date) -> float:
        return left + (day - start).days / span * (right - left)

    pdf.set_draw_color(69, 90, 100)
    pdf.set_line_width(0.6)
    pdf.line(left, axis, right, axis)
    pdf.set_font("Helvetica", "", 7)
    pdf.set_text_color(*GREY)
    month = dt.date(start.year, start.month, 1)
    pdf.set_line_width(0.2)
    while month <= end:
        x = x_of(month)
        pdf.line(x, axis - 1.5, x, axis + 1.5)
        pdf.text(x + 0.8, axis - 2.5, pdf_text(dates.format_month_day(month).split()[1][:3]))
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    lanes: list[float] = []
    for point in sorted(report.timeline, key=lambda p: (p.date, p.label)):
        x = x_of(point.date)
        colour = HEALTH_RGB[point.health]
        radius = 1.6 if point.board else 1.1
        pdf.set_fill_color(*colour)
        pdf.set_draw_color(*colour)
        if point.status == Status.DONE:
            pdf.rect(x - radius, axis - radius, 2 * radius, 2 * radius, style="F")
        elif point.status == Status.CANCELLED:
            pdf.circle(x, axis, radius, style="D")
        else:
            pdf.circle(x, axis, radius, style="F")
        label = pdf_text(point.label)
        width = pdf.get_string_width(label) + 1.5
        lane = next((i for i, edge in enumerate(lanes) if edge < x), None)
        if lane is None:
            lanes.append(x + width)
            lane = len(lanes) - 1
        else:
            lanes[lane] = x + width
        y = axis + 5 + lane * 3.4
        pdf.set_line_width(0.1)
        pdf.line(x, axis + radius, x, y - 2.2)
        pdf.set_text_color(29, 36, 51)
        if x + width > right + 4:
            pdf.text(x - width + 1, y, label)
        else:
            pdf.text(x - 0.3, y, label)
    bottom = axis + 5 + max(1, len(lanes)) * 3.4
    if start <= report.today <= end:
        tx = x_of(report.today)
        pdf.set_draw_color(216, 27, 96)
        pdf.set_line_width(0.35)
        with pdf.local_context(dash_pattern={"dash": 1.2, "gap": 0.8}):
            pdf.line(tx, top - 3, tx, bottom - 1)
        pdf.set_text_color(216, 27, 96)
        pdf.set_font("Helvetica", "B", 7)
        pdf.text(tx + 0.8, top - 1.5, "vandaag")
    pdf.set_text_color(29, 36, 51)
    pdf.set_y(bottom + 2)


def _benefit_bars(pdf: FPDF, report: WeeklyReport) -> None:
    """Stacked bars per category, the same picture as in the HTML page."""
    rows = report.categories
    needed = len(rows) * 5.5 + 10
    if _room_left(pdf) < needed:
        pdf.add_page()
    label_width = 32.0
    left = pdf.l_margin + label_width
    most = max(c.total for c in rows) or 1
    unit = (pdf.w - pdf.r_margin - left - 10) / most
    y = pdf.get_y() + 1
    for category in rows:
        pdf.set_font("Helvetica", "", 8)
        pdf.set_text_color(29, 36, 51)
        pdf.text(pdf.l_margin, y + 3, pdf_text(category.label))
        x = left
        for status, count in (
            (BenefitStatus.ACHIEVED, category.achieved),
            (BenefitStatus.IN_PROGRESS, category.in_progress),
            (BenefitStatus.EXPECTED, category.expected),
            (BenefitStatus.NOT_ACHIEVED, category.not_achieved),
        ):
            if not count:
                continue
            pdf.set_fill_color(*BENEFIT_RGB[status])
            pdf.rect(x, y, count * unit, 4, style="F")
            pdf.set_text_color(255, 255, 255)
            pdf.text(x + count * unit / 2 - 0.8, y + 3, str(count))
            x += count * unit
        y += 5.5
    pdf.set_font("Helvetica", "", 7.5)
    x = left
    for status, colour in BENEFIT_RGB.items():
        pdf.set_fill_color(*colour)
        pdf.rect(x, y + 0.5, 3, 3, style="F")
        pdf.set_text_color(*GREY)
        pdf.text(x + 4, y + 3, pdf_text(status.label))
        x += pdf.get_string_width(status.label) + 10
    pdf.set_text_color(29, 36, 51)
    pdf.set_y(y + 7)
