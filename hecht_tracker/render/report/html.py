"""The weekly report as one self-contained HTML page that prints well on A4.

No external assets: the CSS is inline and the two figures (a timeline of the milestones with a
today marker and health colours, and the Hecht24 benefits per category) are inline SVG drawn
here from the report's values. The print stylesheet sets A4 portrait margins, repeats table
headers on every page and keeps headings with what follows and table rows whole.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from hecht_tracker.core.model import Health, Status
from hecht_tracker.render.report.layout import (
    Bullets,
    Column,
    Facts,
    Paragraph,
    Section,
    Table,
    sections,
)
from hecht_tracker.render.report.model import WeeklyReport

HEALTH_COLOURS: dict[Health | None, str] = {
    Health.ON_TRACK: "#2e7d32",
    Health.AT_RISK: "#e08e0b",
    Health.OFF_TRACK: "#c62828",
    None: "#8a8f98",
}
BENEFIT_COLOURS = (
    ("behaald", "#2e7d32"),
    ("in uitvoering", "#1e6fd9"),
    ("verwacht", "#b0bec5"),
    ("niet behaald", "#c62828"),
)
_MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
KEEP_WHOLE_ROWS = 15  # a table this short moves to the next page whole rather than split
_HEALTH_CLASSES = {"op koers": "ok", "risico": "risk", "uit koers": "off"}

CSS = """
@page { size: A4 portrait; margin: 15mm 14mm 16mm 14mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans",
       sans-serif; font-size: 10pt; line-height: 1.4; color: #1d2433; margin: 0 auto;
       padding: 16px; max-width: 190mm; }
header { border-bottom: 3px solid #00857c; padding-bottom: 6px; margin-bottom: 10px; }
header .org { color: #00857c; font-weight: 700; letter-spacing: .04em; text-transform: uppercase;
              font-size: 9pt; }
h1 { font-size: 16pt; margin: 2px 0 2px; line-height: 1.2; }
header .made { color: #555e6e; font-size: 9pt; margin: 0; }
h2 { font-size: 12.5pt; color: #00574f; border-bottom: 1px solid #cfd8dc; margin: 16px 0 6px;
     padding-bottom: 2px; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 10.5pt; margin: 10px 0 4px; break-after: avoid; page-break-after: avoid; }
p { margin: 4px 0; }
table { width: 100%; border-collapse: collapse; margin: 4px 0 8px; table-layout: fixed; }
caption { text-align: left; font-weight: 600; padding: 4px 0 2px; caption-side: top; }
th { text-align: left; font-size: 8.5pt; text-transform: uppercase; letter-spacing: .03em;
     color: #555e6e; border-bottom: 1.5px solid #90a4ae; padding: 3px 5px; }
td { border-bottom: 1px solid #e3e8eb; padding: 3px 5px; vertical-align: top;
     overflow-wrap: anywhere; }
td.num, th.num { text-align: right; }
tr.flag td { background: #fdecea; }
thead { display: table-header-group; }
tr, li, .fact, table.keep { break-inside: avoid; page-break-inside: avoid; }
dl.facts { display: grid; grid-template-columns: 42mm 1fr; gap: 2px 10px; margin: 4px 0 8px; }
dl.facts dt { font-weight: 600; color: #555e6e; }
dl.facts dd { margin: 0; }
ul { margin: 2px 0 6px; padding-left: 18px; }
.pill { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 8.5pt;
        color: #fff; }
.pill.ok { background: #2e7d32; } .pill.risk { background: #e08e0b; }
.pill.off { background: #c62828; }
figure { margin: 6px 0 10px; break-inside: avoid; page-break-inside: avoid; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { font-size: 8.5pt; color: #555e6e; }
footer { margin-top: 14px; font-size: 8pt; color: #78828f; border-top: 1px solid #cfd8dc;
         padding-top: 4px; }
@media print {
  body { padding: 0; max-width: none; font-size: 9.5pt; }
  section { break-inside: auto; }
  a { color: inherit; text-decoration: none; }
}
"""


def render_html(report: WeeklyReport) -> str:
    """The page as a string; the same report gives the same characters."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="nl">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(report.title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f'<div class="org">{escape(report.organisation)} · {escape(report.programme)}</div>',
        f"<h1>{escape(report.title)}</h1>",
        f'<p class="made">Gemaakt op {escape(report.made_on)} · {escape(report.week_label)}</p>',
        "</header>",
        "<main>",
    ]
    for section in sections(report):
        parts.append(_section(section, report))
    parts += [
        "</main>",
        f"<footer>{escape(report.organisation)} — {escape(report.short_title)}. "
        f"Gemaakt op {escape(report.made_on)} met hecht-tracker.</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _section(section: Section, report: WeeklyReport) -> str:
    out = [f'<section id="{section.key}">', f"<h2>{escape(section.title)}</h2>"]
    if not report.empty and section.figure == "timeline":
        out.append(timeline_svg(report))
    for index, block in enumerate(section.blocks):
        out.append(_block(block))
        if index == 0 and section.figure == "benefits" and report.categories:
            out.append(benefits_svg(report))  # the picture right under the summary line
    out.append("</section>")
    return "\n".join(out)


def _block(block: Paragraph | Facts | Bullets | Table) -> str:
    if isinstance(block, Paragraph):
        text = escape(block.text)
        return f"<p><strong>{text}</strong></p>" if block.strong else f"<p>{text}</p>"
    if isinstance(block, Facts):
        rows = "".join(
            f'<div class="fact" style="display:contents"><dt>{escape(k)}</dt>'
            f"<dd>{_cell_html(k, v)}</dd></div>"
            for k, v in block.pairs
        )
        return f'<dl class="facts">{rows}</dl>'
    if isinstance(block, Bullets):
        items = "".join(f"<li>{escape(item)}</li>" for item in block.items)
        heading = f"<h3>{escape(block.heading)}</h3>" if block.heading else ""
        return f"{heading}<ul>{items}</ul>"
    return _table(block)


def _cell_html(header: str, value: str) -> str:
    if header.startswith("koers") or header == "Koers programma":
        css = _HEALTH_CLASSES.get(value)
        if css:
            return f'<span class="pill {css}">{escape(value)}</span>'
    return escape(value)


def _num(column: Column) -> str:
    return ' class="num"' if column.align == "right" else ""


def _table(table: Table) -> str:
    weights = [max(c.width, len(c.header) + 2) for c in table.columns]
    total = sum(weights)
    cols = "".join(f'<col style="width:{w * 100 / total:.1f}%">' for w in weights)
    head = "".join(f"<th{_num(c)}>{escape(c.header)}</th>" for c in table.columns)
    rows = []
    for index, cells in enumerate(table.rows):
        flag = index < len(table.flagged) and table.flagged[index]
        tds = "".join(
            f"<td{_num(c)}>{_cell_html(c.header, v)}</td>"
            for c, v in zip(table.columns, cells, strict=True)
        )
        rows.append(f'<tr class="flag">{tds}</tr>' if flag else f"<tr>{tds}</tr>")
    caption = f"<caption>{escape(table.caption)}</caption>" if table.caption else ""
    keep = ' class="keep"' if len(table.rows) <= KEEP_WHOLE_ROWS else ""
    return (
        f"<table{keep}>{caption}<colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


# --- figures -----------------------------------------------------------------------------------

_W = 720


def _x(day: dt.date, start: dt.date, end: dt.date, left: float, right: float) -> float:
    span = max(1, (end - start).days)
    return left + (day - start).days / span * (right - left)


def timeline_svg(report: WeeklyReport) -> str:
    """Milestones on a line from :attr:`WeeklyReport.timeline_start` to ``timeline_end``.

    Colour is the milestone's health (grey when not set); a square is done, a hollow circle
    cancelled, a big dot a board moment. Labels go in lanes below the line so none overlap.
    """
    start, end = report.timeline_start, report.timeline_end
    left, right, axis = 14.0, _W - 14.0, 46.0
    out: list[str] = []
    # months
    month = dt.date(start.year, start.month, 1)
    while month <= end:
        x = _x(month, start, end, left, right)
        out.append(
            f'<line x1="{x:.1f}" y1="{axis - 6}" x2="{x:.1f}" y2="{axis + 6}" stroke="#90a4ae"/>'
        )
        label = _MONTHS[month.month - 1] + (
            f" {month.year}"
            if month.month == 1 or month == dt.date(start.year, start.month, 1)
            else ""
        )
        out.append(
            f'<text x="{x + 3:.1f}" y="{axis - 10}" font-size="10" fill="#555e6e">{label}</text>'
        )
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    out.insert(
        0,
        f'<line x1="{left}" y1="{axis}" x2="{right}" y2="{axis}" stroke="#455a64" stroke-width="2"/>',
    )
    # milestones, labels in lanes
    lanes: list[float] = []
    marks: list[str] = []
    labels: list[str] = []
    lane_height = 14
    for point in sorted(report.timeline, key=lambda p: (p.date, p.label)):
        x = _x(point.date, start, end, left, right)
        colour = HEALTH_COLOURS[point.health]
        r = 6.5 if point.board else 4.5
        if point.status == Status.DONE:
            marks.append(
                f'<rect x="{x - r:.1f}" y="{axis - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" '
                f'fill="{colour}" stroke="#fff" stroke-width="1.5"/>'
            )
        elif point.status == Status.CANCELLED:
            marks.append(
                f'<circle cx="{x:.1f}" cy="{axis}" r="{r}" fill="#fff" stroke="{colour}" stroke-width="2"/>'
            )
        else:
            marks.append(
                f'<circle cx="{x:.1f}" cy="{axis}" r="{r}" fill="{colour}" stroke="#fff" stroke-width="1.5"/>'
            )
        width = len(point.label) * 5.6 + 6
        anchor_start = x + width <= right + 10
        x0, x1 = (x - 2, x - 2 + width) if anchor_start else (x + 2 - width, x + 2)
        lane = next((i for i, edge in enumerate(lanes) if edge < x0), None)
        if lane is None:
            lanes.append(x1)
            lane = len(lanes) - 1
        else:
            lanes[lane] = x1
        y = axis + 22 + lane * lane_height
        labels.append(
            f'<line x1="{x:.1f}" y1="{axis + r:.1f}" x2="{x:.1f}" y2="{y - 9}" stroke="{colour}" '
            f'stroke-width="1" stroke-dasharray="2 2"/>'
        )
        anchor = "start" if anchor_start else "end"
        weight = ' font-weight="600"' if point.board else ""
        labels.append(
            f'<text x="{x - 2 if anchor_start else x + 2:.1f}" y="{y}" font-size="10" '
            f'text-anchor="{anchor}" fill="#1d2433"{weight}>{escape(point.label)}</text>'
        )
    height = axis + 22 + max(1, len(lanes)) * lane_height + 4
    # today
    tx = _x(report.today, start, end, left, right)
    today_mark = ""
    if start <= report.today <= end:
        today_mark = (
            f'<line x1="{tx:.1f}" y1="8" x2="{tx:.1f}" y2="{height - 2}" stroke="#d81b60" '
            f'stroke-width="1.5" stroke-dasharray="4 3"/>'
            f'<text x="{tx + 4:.1f}" y="14" font-size="10" font-weight="700" fill="#d81b60">'
            f"vandaag</text>"
        )
    legend = _legend(
        [
            (colour, health.label if health else "koers niet ingevuld")
            for health, colour in HEALTH_COLOURS.items()
        ]
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_W} {height:.0f}" '
        f'role="img" aria-label="Tijdlijn van de mijlpalen">'
        f"<title>Tijdlijn van de mijlpalen</title>{''.join(out)}{''.join(labels)}"
        f"{''.join(marks)}{today_mark}</svg>"
    )
    return (
        f"<figure>{svg}<figcaption>Mijlpalen van {escape(_short(start))} tot en met "
        f"{escape(_short(end))}. Grote stip: bestuursmoment; vierkant: afgerond; open rondje: "
        f"geannuleerd. {legend}</figcaption></figure>"
    )


def _short(day: dt.date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _legend(items: list[tuple[str, str]]) -> str:
    return " ".join(
        f'<span style="white-space:nowrap"><span style="display:inline-block;width:9px;'
        f'height:9px;border-radius:50%;background:{colour}"></span> {escape(label)}</span>'
        for colour, label in items
    )


def benefits_svg(report: WeeklyReport) -> str:
    """A stacked bar per category: achieved, in progress, expected and not achieved."""
    rows = report.categories
    label_width, right_pad, bar = 120.0, 40.0, 14
    most = max(c.total for c in rows) or 1
    unit = (_W - label_width - right_pad) / most
    out = []
    for index, category in enumerate(rows):
        y = 6 + index * 22
        out.append(
            f'<text x="{label_width - 8}" y="{y + 11}" font-size="11" text-anchor="end" '
            f'fill="#1d2433">{escape(category.label)}</text>'
        )
        x = label_width
        counts = (category.achieved, category.in_progress, category.expected, category.not_achieved)
        for (name, colour), count in zip(BENEFIT_COLOURS, counts, strict=True):
            if not count:
                continue
            width = count * unit
            out.append(
                f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{bar}" fill="{colour}">'
                f"<title>{escape(category.label)}: {count} {escape(name)}</title></rect>"
            )
            out.append(
                f'<text x="{x + width / 2:.1f}" y="{y + 11}" font-size="10" text-anchor="middle" '
                f'fill="#fff">{count}</text>'
            )
            x += width
        out.append(
            f'<text x="{x + 6:.1f}" y="{y + 11}" font-size="10" fill="#555e6e">{category.total}</text>'
        )
    height = 6 + len(rows) * 22 + 2
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_W} {height}" role="img" '
        f'aria-label="Baten per categorie"><title>Baten per categorie</title>{"".join(out)}</svg>'
    )
    return f"<figure>{svg}<figcaption>Baten per categorie. {_legend(list((c, n) for n, c in BENEFIT_COLOURS))}</figcaption></figure>"
