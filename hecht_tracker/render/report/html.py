"""Reports as one self-contained HTML page that everyone can read and that prints well on A4.

No external assets: the CSS is inline and the figures (a timeline of the milestones and the
Hecht24 benefits per category) are inline SVG drawn here from the report's values. The page is
made to pass WCAG 2.1 A/AA:

- every text colour has at least 4.5:1 contrast on its background, every graphic 3:1; the
  colours are the named constants below so a test can check each pair;
- no colour stands alone: a health carries a symbol and a word (✓ op koers, ▲ risico,
  ✕ uit koers), a flagged row (a warning) a ⚠, "Let op" for screen readers and a red bar at its
  start, an emphasised row (the next step of a route, no warning) bold text, its own word in
  the row and a bar in the brand colour, a timeline mark a shape per health;
- each figure has a title and a description with the same facts in words;
- below 40em the tables reflow into one block per row, each cell with its column name.

The print stylesheet (also what the PDF is made from) sets A4 margins, a running header and
"blad N van M" in the page margins, repeats table headers, keeps headings with what follows and
keeps tables of up to :data:`KEEP_WHOLE_ROWS` rows whole.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from hecht_tracker.core.model import Health, Status
from hecht_tracker.render.report.layout import (
    KEEP_WHOLE_ROWS,
    Bullets,
    Column,
    Facts,
    Paragraph,
    Section,
    Table,
)

if TYPE_CHECKING:
    from hecht_tracker.render.report.document import Document
    from hecht_tracker.render.report.model import TimelinePoint, WeeklyReport

# --- colours: every pair below is checked for contrast by the tests --------------------------------

PAPER = "#ffffff"
INK = "#1d2433"  # body text
MUTED = "#4f5868"  # secondary text: made-on line, captions, table headers, footer
BRAND = "#00665e"  # organisation line and h2
RULE = "#6b7885"  # lines a reader must see (table header rule, axis, ticks): 3:1 or more
HAIRLINE = "#dde3e7"  # row separators; decorative, the text carries the structure
FLAG_BG = "#fdecea"  # background of a flagged row (never alone: ⚠ and a bar go with it)
FLAG_BAR = "#b71c1c"
TODAY = "#a3154f"  # the today marker and its label


@dataclass(frozen=True)
class HealthStyle:
    """How one health looks: a symbol and a word always go with the colour."""

    symbol: str
    shape: str  # the timeline mark: circle, triangle, diamond, ring
    mark: str  # the mark's colour on white (3:1 or more)
    pill_fg: str
    pill_bg: str
    pill_border: str


HEALTH_STYLES: dict[Health | None, HealthStyle] = {
    # Greyscale apart too: op koers is an outlined pill, risico a light one, uit koers a dark one.
    Health.ON_TRACK: HealthStyle("✓", "circle", "#2e7d32", "#1b5e20", PAPER, "#1b5e20"),
    Health.AT_RISK: HealthStyle("▲", "triangle", "#a65f00", INK, "#ffe08a", "#8a5a00"),
    Health.OFF_TRACK: HealthStyle("✕", "diamond", "#c62828", PAPER, "#b71c1c", "#b71c1c"),
    None: HealthStyle("○", "ring", "#6b7280", MUTED, PAPER, "#6b7280"),
}


@dataclass(frozen=True)
class BarStyle:
    """A benefit status in the bar chart: fill, the count's colour on it, and a pattern."""

    label: str
    fill: str
    text: str
    pattern: str  # "" solid, "hatch" diagonal lines, "hollow" outline only


BENEFIT_STYLES = (
    BarStyle("behaald", "#2e7d32", PAPER, ""),
    BarStyle("in uitvoering", "#1565c0", PAPER, "hatch"),
    BarStyle("verwacht", "#546e7a", INK, "hollow"),
    BarStyle("niet behaald", "#b71c1c", PAPER, "cross"),
)

# Text colour on background, as the CSS below uses them.
TEXT_PAIRS: tuple[tuple[str, str, str], ...] = (
    (INK, PAPER, "tekst"),
    (MUTED, PAPER, "bijschrift, kolomkop, voettekst"),
    (BRAND, PAPER, "organisatie en kopjes"),
    (INK, FLAG_BG, "tekst in een gemarkeerde rij"),
    (TODAY, PAPER, "vandaag op de tijdlijn"),
    *((s.pill_fg, s.pill_bg, f"koers {s.symbol}") for s in HEALTH_STYLES.values()),
    *((b.text, b.fill if b.pattern != "hollow" else PAPER, b.label) for b in BENEFIT_STYLES),
)
# Graphics a reader needs, on the paper.
GRAPHIC_PAIRS: tuple[tuple[str, str, str], ...] = (
    (RULE, PAPER, "as en maandstreepjes"),
    (FLAG_BAR, PAPER, "balk voor een gemarkeerde rij"),
    (BRAND, PAPER, "balk voor de volgende stap"),
    (TODAY, PAPER, "lijn van vandaag"),
    *((s.mark, PAPER, f"tijdlijn {s.shape}") for s in HEALTH_STYLES.values()),
    *((s.pill_border, PAPER, f"rand koers {s.symbol}") for s in HEALTH_STYLES.values()),
    *((b.fill, PAPER, b.label) for b in BENEFIT_STYLES),
)

_MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
_HEALTH_BY_LABEL = {health.label: health for health in Health}
FONT_STACK = '"DejaVu Sans", "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", sans-serif'


def _css(short_title: str) -> str:
    pills = "\n".join(
        f".pill.h-{_slug(h)} {{ color: {s.pill_fg}; background: {s.pill_bg}; "
        f"border-color: {s.pill_border}; }}"
        for h, s in HEALTH_STYLES.items()
    )
    running = _css_string(short_title)
    return f"""
@page {{ size: A4 portrait; margin: 17mm 14mm 17mm 14mm;
  @top-left {{ content: {running}; font: 8pt {FONT_STACK}; color: {MUTED}; }}
  @bottom-right {{ content: "blad " counter(page) " van " counter(pages); font: 8pt {FONT_STACK};
                  color: {MUTED}; }} }}
* {{ box-sizing: border-box; }}
html {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; background: {PAPER}; }}
body {{ font-family: {FONT_STACK}; font-size: 10pt; line-height: 1.45; color: {INK};
       background: {PAPER}; margin: 0 auto; padding: 16px; max-width: 190mm; }}
header {{ border-bottom: 3px solid {BRAND}; padding-bottom: 6px; margin-bottom: 10px; }}
header .org {{ color: {BRAND}; font-weight: 700; letter-spacing: .04em; text-transform: uppercase;
              font-size: 9pt; margin: 0; }}
h1 {{ font-size: 16pt; margin: 2px 0 2px; line-height: 1.2; }}
header .made {{ color: {MUTED}; font-size: 9pt; margin: 0; }}
h2 {{ font-size: 12.5pt; color: {BRAND}; border-bottom: 1px solid {RULE}; margin: 16px 0 6px;
     padding-bottom: 2px; break-after: avoid; page-break-after: avoid; }}
h3 {{ font-size: 10.5pt; margin: 10px 0 4px; break-after: avoid; page-break-after: avoid; }}
p {{ margin: 4px 0; }}
table {{ width: 100%; border-collapse: collapse; margin: 4px 0 8px; table-layout: fixed; }}
caption {{ text-align: left; font-weight: 700; padding: 4px 0 2px; caption-side: top; }}
th {{ text-align: left; font-size: 8.5pt; text-transform: uppercase; letter-spacing: .03em;
     color: {MUTED}; border-bottom: 1.5px solid {RULE}; padding: 3px 5px; vertical-align: bottom; }}
td {{ border-bottom: 1px solid {HAIRLINE}; padding: 3px 5px; vertical-align: top;
     overflow-wrap: break-word; }}
td.num, th.num {{ text-align: right; }}
tr.flag td {{ background: {FLAG_BG}; }}
tr.flag td:first-child {{ box-shadow: inset 4px 0 0 {FLAG_BAR}; padding-left: 9px; }}
tr.next td {{ font-weight: 700; }}
tr.next td:first-child {{ box-shadow: inset 4px 0 0 {BRAND}; padding-left: 9px; }}
tr.flag.next td:first-child {{ box-shadow: inset 4px 0 0 {FLAG_BAR}; }}
.mark {{ font-weight: 700; }}
thead {{ display: table-header-group; }}
tr, li, .fact, table.keep, figure {{ break-inside: avoid; page-break-inside: avoid; }}
dl.facts {{ display: grid; grid-template-columns: 42mm 1fr; gap: 2px 10px; margin: 4px 0 8px; }}
dl.facts dt {{ font-weight: 700; color: {MUTED}; }}
dl.facts dd {{ margin: 0; }}
ul {{ margin: 2px 0 6px; padding-left: 18px; }}
.pill {{ display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 8.5pt;
        border: 1.5px solid; white-space: nowrap; }}
{pills}
figure {{ margin: 6px 0 10px; }}
figure svg {{ width: 100%; height: auto; display: block; }}
figcaption {{ font-size: 8.5pt; color: {MUTED}; }}
.legend {{ display: inline-block; white-space: nowrap; margin-right: 10px; }}
.legend svg {{ display: inline; width: 12px; height: 12px; vertical-align: -1px; }}
.sr {{ position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
      white-space: nowrap; }}
footer {{ margin-top: 14px; font-size: 8pt; color: {MUTED}; border-top: 1px solid {RULE};
         padding-top: 4px; }}
@media screen and (max-width: 40em) {{
  body {{ padding: 10px; }}
  dl.facts {{ grid-template-columns: 1fr; gap: 0; }}
  dl.facts dd {{ margin-bottom: 6px; }}
  table, thead, tbody, tr, td, caption {{ display: block; width: 100%; }}
  colgroup, thead tr {{ display: none; }}
  tr {{ border-bottom: 1px solid {RULE}; padding: 4px 0; }}
  td {{ border: 0; padding: 1px 5px; text-align: left !important; }}
  td::before {{ content: attr(data-label) ": "; font-weight: 700; color: {MUTED}; }}
}}
@media print {{
  body {{ padding: 0; max-width: none; font-size: 9.5pt; }}
  a {{ color: inherit; text-decoration: none; }}
  .sr {{ display: none; }}
}}
"""


def _slug(health: Health | None) -> str:
    return health.value if health is not None else "none"


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_html(report: WeeklyReport) -> str:
    """The weekly report as a page; the same report gives the same characters."""
    from hecht_tracker.render.report.document import weekly_document

    def figure(section: Section, position: int) -> str:
        if report.empty:
            return ""
        if section.figure == "timeline" and position == -1:
            return timeline_svg(report)
        if section.figure == "benefits" and position == 0 and report.categories:
            return benefits_svg(report)  # the picture right under the summary line
        return ""

    return render_document(weekly_document(report), figure)


def render_document(document: Document, figure: Callable[[Section, int], str] | None = None) -> str:
    """Any report as a page. ``figure(section, n)`` may add a figure after block ``n`` (-1: first)."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="nl">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(document.title)}</title>",
        f'<meta name="author" content="{escape(document.organisation)}">',
        f'<meta name="dcterms.created" content="{document.made_date.isoformat()}T00:00:00+00:00">',
        f"<style>{_css(f'{document.organisation} — {document.short_title}')}</style>",
        "</head>",
        "<body>",
        "<header>",
        f'<p class="org">{escape(document.organisation)} · {escape(document.programme)}</p>',
        f"<h1>{escape(document.title)}</h1>",
        f'<p class="made">Gemaakt op {escape(document.made_on)} · {escape(document.tag)}</p>',
        "</header>",
        "<main>",
    ]
    for section in document.sections:
        parts.append(_section(section, figure))
    parts += [
        "</main>",
        f"<footer>{escape(document.organisation)} — {escape(document.short_title)}. "
        f"Gemaakt op {escape(document.made_on)} met hecht-tracker.</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _section(section: Section, figure: Callable[[Section, int], str] | None) -> str:
    heading_id = f"h-{section.key}"
    out = [
        f'<section id="{section.key}" aria-labelledby="{heading_id}">',
        f'<h2 id="{heading_id}">{escape(section.title)}</h2>',
    ]
    if figure is not None:
        out.append(figure(section, -1))
    for index, block in enumerate(section.blocks):
        out.append(_block(block))
        if figure is not None:
            out.append(figure(section, index))
    out.append("</section>")
    return "\n".join(part for part in out if part)


def _block(block: Paragraph | Facts | Bullets | Table) -> str:
    if isinstance(block, Paragraph):
        text = escape(block.text)
        return f"<p><strong>{text}</strong></p>" if block.strong else f"<p>{text}</p>"
    if isinstance(block, Facts):
        rows = "".join(f"<dt>{escape(k)}</dt><dd>{_cell_html(k, v)}</dd>" for k, v in block.pairs)
        return f'<dl class="facts">{rows}</dl>'
    if isinstance(block, Bullets):
        items = "".join(f"<li>{escape(item)}</li>" for item in block.items)
        heading = f"<h3>{escape(block.heading)}</h3>" if block.heading else ""
        return f"{heading}<ul>{items}</ul>"
    return _table(block)


def health_pill(health: Health | None, text: str) -> str:
    """A health as a pill: symbol and word with the colour, so it reads without colour too."""
    style = HEALTH_STYLES[health]
    return (
        f'<span class="pill h-{_slug(health)}"><span aria-hidden="true">{style.symbol}</span> '
        f"{escape(text)}</span>"
    )


def _cell_html(header: str, value: str) -> str:
    if header.lower().startswith("koers"):
        health = _HEALTH_BY_LABEL.get(value)
        if health is not None:
            return health_pill(health, value)
    return escape(value)


def _num(column: Column) -> str:
    return ' class="num"' if column.align == "right" else ""


def _table(table: Table) -> str:
    weights = [max(c.width, len(c.header) + 2) for c in table.columns]
    total = sum(weights)
    cols = "".join(f'<col style="width:{w * 100 / total:.1f}%">' for w in weights)
    head = "".join(f'<th scope="col"{_num(c)}>{escape(c.header)}</th>' for c in table.columns)
    rows = []
    for index, cells in enumerate(table.rows):
        flag = index < len(table.flagged) and table.flagged[index]
        emphasised = index < len(table.emphasised) and table.emphasised[index]
        tds = []
        for position, (column, value) in enumerate(zip(table.columns, cells, strict=True)):
            content = _cell_html(column.header, value)
            if flag and position == 0:
                content = (
                    '<span class="mark" aria-hidden="true">⚠ </span>'
                    f'<span class="sr">Let op: </span>{content}'
                )
            tds.append(f'<td{_num(column)} data-label="{escape(column.header)}">{content}</td>')
        classes = " ".join(name for name, on in (("flag", flag), ("next", emphasised)) if on)
        cls = f' class="{classes}"' if classes else ""
        rows.append(f"<tr{cls}>{''.join(tds)}</tr>")
    caption = f"<caption>{escape(table.caption)}</caption>" if table.caption else ""
    keep = ' class="keep"' if len(table.rows) <= KEEP_WHOLE_ROWS else ""
    return (
        f"<table{keep}>{caption}<colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


# --- figures -----------------------------------------------------------------------------------

_W = 720
SVG_FONT = "DejaVu Sans, Verdana, sans-serif"
LABEL_SIZE = 10
# Width of one character of a label at LABEL_SIZE in DejaVu Sans, rounded up; the label is drawn
# with exactly this advance (textLength), so the boxes below are the boxes on the page.
CHAR_WIDTH = 6.4
LABEL_PAD = 4.0  # free space kept between two label boxes
LANE_HEIGHT = 15


@dataclass(frozen=True)
class LabelBox:
    """Where a timeline label sits: its box, and the leader from its mark down to it."""

    x0: float
    x1: float
    top: float
    bottom: float
    leader_x: float
    leader_top: float

    def overlaps(self, other: LabelBox) -> bool:
        return (
            self.x0 < other.x1 + LABEL_PAD
            and other.x0 < self.x1 + LABEL_PAD
            and self.top < other.bottom
            and other.top < self.bottom
        )

    def crossed_by(self, leader_x: float, top: float, bottom: float) -> bool:
        """Whether a vertical leader from ``top`` to ``bottom`` at ``leader_x`` runs through."""
        return (
            self.x0 - LABEL_PAD / 2 <= leader_x <= self.x1 + LABEL_PAD / 2
            and top < self.bottom
            and self.top < bottom
        )


def place_labels(points: list[tuple[float, float]], axis: float) -> list[LabelBox]:
    """Boxes for labels of the given (x, width), in lanes under the axis, in the given order.

    A label starts just right of its leader, a dashed line from its mark down to it. Working
    from the rightmost mark to the left, each label takes the first lane where its box overlaps
    no other box and no leader of a mark to its right runs through it. Its own leader cannot
    cross a box: every box further right starts right of this mark. So there is always a
    lane, and the labels form a staircase down to the left.
    """
    order = sorted(range(len(points)), key=lambda i: (-points[i][0], -i))
    placed: dict[int, LabelBox] = {}
    for index in order:
        x, width = points[index]
        lane = 0
        while True:
            top = axis + 12 + lane * LANE_HEIGHT
            box = LabelBox(x + 3, x + 3 + width, top, top + LANE_HEIGHT - 3, x, axis + 7)
            if not any(box.overlaps(other) for other in placed.values()) and not any(
                box.crossed_by(other.leader_x, other.leader_top, other.bottom)
                for other in placed.values()
            ):
                placed[index] = box
                break
            lane += 1
    return [placed[i] for i in range(len(points))]


def _x(day: dt.date, start: dt.date, end: dt.date, left: float, right: float) -> float:
    span = max(1, (end - start).days)
    return left + (day - start).days / span * (right - left)


def _shape(shape: str, x: float, y: float, r: float, colour: str) -> str:
    if shape == "triangle":
        h = r * 1.25
        points = f"{x:.1f},{y - h:.1f} {x + h:.1f},{y + h * 0.8:.1f} {x - h:.1f},{y + h * 0.8:.1f}"
        return f'<polygon points="{points}" fill="{colour}" stroke="{PAPER}" stroke-width="1"/>'
    if shape == "diamond":
        h = r * 1.3
        points = f"{x:.1f},{y - h:.1f} {x + h:.1f},{y:.1f} {x:.1f},{y + h:.1f} {x - h:.1f},{y:.1f}"
        return f'<polygon points="{points}" fill="{colour}" stroke="{PAPER}" stroke-width="1"/>'
    if shape == "ring":
        return (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r - 1:.1f}" fill="{PAPER}" stroke="{colour}" '
            f'stroke-width="2"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{colour}" stroke="{PAPER}" stroke-width="1"/>'


def _legend_item(svg_inner: str, label: str) -> str:
    return (
        f'<span class="legend"><svg viewBox="0 0 12 12" aria-hidden="true" focusable="false">'
        f"{svg_inner}</svg> {escape(label)}</span>"
    )


def timeline_svg(report: WeeklyReport) -> str:
    """Milestones on a line from :attr:`WeeklyReport.timeline_start` to ``timeline_end``.

    The mark's shape and colour give its health (legend below), a bigger mark and a bold label a
    board moment; a done milestone's label ends in ✓, a cancelled one's in ✕. Labels hang in
    lanes under the axis, placed by :func:`place_labels` so no two boxes or leaders collide.
    """
    start, end = report.timeline_start, report.timeline_end
    left, right, axis = 14.0, _W - 14.0, 40.0
    grid: list[str] = [
        f'<line x1="{left}" y1="{axis}" x2="{right}" y2="{axis}" stroke="{RULE}" stroke-width="2"/>'
    ]
    month = dt.date(start.year, start.month, 1)
    while month <= end:
        x = _x(month, start, end, left, right)
        grid.append(
            f'<line x1="{x:.1f}" y1="{axis - 6}" x2="{x:.1f}" y2="{axis + 6}" stroke="{RULE}"/>'
        )
        label = _MONTHS[month.month - 1]
        if month.month == 1 or month == dt.date(start.year, start.month, 1):
            label += f" {month.year}"
        grid.append(
            f'<text x="{x + 3:.1f}" y="{axis - 10}" font-size="10" fill="{MUTED}">{label}</text>'
        )
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)

    points = sorted(report.timeline, key=lambda p: (p.date, p.label))
    labels_text = [_timeline_label(p) for p in points]
    xs = [_x(p.date, start, end, left, right) for p in points]
    boxes = place_labels(
        [(x, len(text) * CHAR_WIDTH) for x, text in zip(xs, labels_text, strict=True)], axis
    )
    width = max([_W, *(round(b.x1) + 4 for b in boxes)])
    marks: list[str] = []
    labels: list[str] = []
    described: list[str] = []
    for point, text, x, box in zip(points, labels_text, xs, boxes, strict=True):
        style = HEALTH_STYLES[point.health]
        r = 6.5 if point.board else 4.5
        marks.append(_shape(style.shape, x, axis, r, style.mark))
        labels.append(
            f'<line x1="{x:.1f}" y1="{axis + r:.1f}" x2="{x:.1f}" y2="{box.bottom - 5:.1f}" '
            f'stroke="{RULE}" stroke-width="1" stroke-dasharray="2 2"/>'
        )
        weight = ' font-weight="700"' if point.board else ""
        labels.append(
            f'<text x="{box.x0:.1f}" y="{box.bottom - 2:.1f}" font-size="{LABEL_SIZE}" '
            f'textLength="{box.x1 - box.x0:.1f}" lengthAdjust="spacingAndGlyphs" '
            f'fill="{INK}"{weight}>{escape(text)}</text>'
        )
        health = point.health.label if point.health else "koers niet ingevuld"
        moment = ", bestuursmoment" if point.board else ""
        described.append(f"{point.label} {point.date.year}: {point.status.label}, {health}{moment}")
    height = max((b.bottom for b in boxes), default=axis + 12) + 6
    today_mark = ""
    if start <= report.today <= end:
        tx = _x(report.today, start, end, left, right)
        today_mark = (
            f'<line x1="{tx:.1f}" y1="6" x2="{tx:.1f}" y2="{axis + 9:.1f}" stroke="{TODAY}" '
            f'stroke-width="1.5" stroke-dasharray="4 3"/>'
            f'<text x="{tx + 4:.1f}" y="14" font-size="10" font-weight="700" fill="{TODAY}">'
            f"vandaag</text>"
        )
    period = f"{_short(start)} tot en met {_short(end)}"
    description = (
        f"Mijlpalen van {period}, vandaag is {_short(report.today)}. "
        + ("; ".join(described) if described else "Geen mijlpalen in deze periode")
        + "."
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.0f}" '
        f'role="img" aria-labelledby="tl-title tl-desc" font-family="{SVG_FONT}">'
        f'<title id="tl-title">Tijdlijn van de mijlpalen</title>'
        f'<desc id="tl-desc">{escape(description)}</desc>'
        f"{''.join(grid)}{''.join(labels)}{''.join(marks)}{today_mark}</svg>"
    )
    legend = " ".join(
        _legend_item(_shape(s.shape, 6, 6, 4.5, s.mark), _health_word(h))
        for h, s in HEALTH_STYLES.items()
    )
    return (
        f'<figure role="group" aria-label="Tijdlijn">{svg}<figcaption>Mijlpalen van '
        f"{escape(period)}. Vorm en kleur: koers. Groot en vet: bestuursmoment; ✓ afgerond, "
        f"✕ geannuleerd. {legend}</figcaption></figure>"
    )


def _health_word(health: Health | None) -> str:
    return health.label if health is not None else "koers niet ingevuld"


def _timeline_label(point: TimelinePoint) -> str:
    suffix = {Status.DONE: " ✓", Status.CANCELLED: " ✕"}.get(point.status, "")
    return point.label + suffix


def _short(day: dt.date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _patterns() -> str:
    return (
        "<defs>"
        '<pattern id="p-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#1565c0"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{PAPER}" stroke-width="1.5"/></pattern>'
        '<pattern id="p-cross" width="8" height="8" patternUnits="userSpaceOnUse">'
        '<rect width="8" height="8" fill="#b71c1c"/>'
        f'<path d="M0 0L8 8M8 0L0 8" stroke="{PAPER}" stroke-width="1"/></pattern>'
        "</defs>"
    )


def _bar(style: BarStyle, x: float, y: float, width: float, height: float) -> str:
    if style.pattern == "hollow":
        return (
            f'<rect x="{x + 1:.1f}" y="{y + 1:.1f}" width="{max(0.0, width - 2):.1f}" '
            f'height="{height - 2:.1f}" fill="{PAPER}" stroke="{style.fill}" stroke-width="2"/>'
        )
    fill = {"hatch": "url(#p-hatch)", "cross": "url(#p-cross)"}.get(style.pattern, style.fill)
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" fill="{fill}" '
        f'data-colour="{style.fill}"/>'
    )


def benefits_svg(report: WeeklyReport) -> str:
    """A stacked bar per category: achieved, in progress, expected and not achieved.

    Each status has its own fill (solid, hatched, hollow, crossed) besides its colour, and each
    segment its count; the description says the same in words.
    """
    rows = report.categories
    label_width, right_pad, bar = 120.0, 40.0, 16
    most = max(c.total for c in rows) or 1
    unit = (_W - label_width - right_pad) / most
    out = [_patterns()]
    words = []
    for index, category in enumerate(rows):
        y = 6 + index * 24
        out.append(
            f'<text x="{label_width - 8}" y="{y + 12}" font-size="11" text-anchor="end" '
            f'fill="{INK}">{escape(category.label)}</text>'
        )
        x = label_width
        counts = (category.achieved, category.in_progress, category.expected, category.not_achieved)
        parts = []
        for style, count in zip(BENEFIT_STYLES, counts, strict=True):
            if not count:
                continue
            width = count * unit
            out.append(_bar(style, x, y, width, bar))
            # The count sits on a plain badge so it reads on a patterned fill too.
            cx = x + width / 2
            badge = PAPER if style.pattern == "hollow" else style.fill
            out.append(
                f'<rect x="{cx - 8:.1f}" y="{y + 2}" width="16" height="12" rx="2" fill="{badge}"/>'
                f'<text x="{cx:.1f}" y="{y + 12}" font-size="10" text-anchor="middle" '
                f'fill="{style.text}" data-bg="{badge}">{count}</text>'
            )
            parts.append(f"{count} {style.label}")
            x += width
        out.append(
            f'<text x="{x + 6:.1f}" y="{y + 12}" font-size="10" fill="{MUTED}">{category.total}</text>'
        )
        words.append(f"{category.label}: {', '.join(parts)} (totaal {category.total})")
    height = 6 + len(rows) * 24 + 2
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_W} {height}" role="img" '
        f'aria-labelledby="bn-title bn-desc" font-family="{SVG_FONT}">'
        f'<title id="bn-title">Baten per categorie</title>'
        f'<desc id="bn-desc">{escape("; ".join(words))}.</desc>{"".join(out)}</svg>'
    )
    legend = " ".join(
        _legend_item(
            _patterns().replace('id="p-', f'id="l{i}-p-')
            + _bar(style, 0, 0, 12, 12).replace("url(#p-", f"url(#l{i}-p-"),
            style.label,
        )
        for i, style in enumerate(BENEFIT_STYLES)
    )
    return (
        f'<figure role="group" aria-label="Baten">{svg}<figcaption>Baten per categorie. '
        f"{legend}</figcaption></figure>"
    )
