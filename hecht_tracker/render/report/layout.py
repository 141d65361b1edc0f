"""The report's sections as format-neutral blocks: one layout, four renderers.

Text, Markdown, HTML and PDF all walk the same list of :class:`Section`, so a fact appears in
every format or in none. Column widths are given in characters for the 80-column text page;
the other formats use them as relative weights.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from hecht_tracker.core.model import BenefitStatus, Health, Status
from hecht_tracker.core.status import PapersState
from hecht_tracker.render.report.model import WeeklyReport
from hecht_tracker.text import status as wording

Figure = Literal["timeline", "benefits"]


@dataclass(frozen=True)
class Paragraph:
    text: str
    strong: bool = False


@dataclass(frozen=True)
class Facts:
    """Label–value pairs, the headline's shape."""

    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]
    heading: str = ""


@dataclass(frozen=True)
class Column:
    header: str
    width: int  # characters on the text page; a weight elsewhere
    align: Literal["left", "right"] = "left"


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    flagged: tuple[bool, ...] = ()  # rows to draw attention to (late, overdue)
    caption: str = ""


Block = Paragraph | Facts | Bullets | Table


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    blocks: tuple[Block, ...]
    figure: Figure | None = None  # drawn by the HTML renderer before the blocks
    new_page: bool = field(default=False)


NO_VALUE = "–"


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _health(health: Health | None) -> str:
    return NO_VALUE if health is None else health.label


def sections(report: WeeklyReport) -> list[Section]:
    """The report's sections in reading order; an empty database gives one short section."""
    if report.empty:
        return [
            Section(
                "empty",
                "Nog geen gegevens",
                (
                    Paragraph(
                        "De database is leeg: er zijn nog geen mijlpalen, doelen, acties, "
                        "afspraken of baten vastgelegd. Vul haar met 'hecht-tracker init --force' "
                        "(de standaardgegevens van Hecht) of voeg zelf een mijlpaal toe."
                    ),
                ),
            )
        ]
    return [
        _headline(report),
        _goals(report),
        _milestones(report),
        _decisions(report),
        _warnings(report),
        _changes(report),
        _benefits(report),
        _agreements(report),
    ]


def _headline(report: WeeklyReport) -> Section:
    blocks: list[Block] = []
    nxt = report.next_moment
    if nxt is None:
        blocks.append(Paragraph(wording.NO_NEXT_MOMENT))
        blocks.append(Facts((("Koers programma", report.overall_health_text),)))
        return Section("headline", "Kern", tuple(blocks), figure="timeline")
    line = nxt.milestone
    papers = line.papers or "niet van toepassing"
    pairs = [
        (wording.NEXT_MOMENT_LABEL, wording.next_moment_when(nxt.moment)),
        ("Onderwerp", line.title),
        ("Orgaan", f"{nxt.body_name} ({line.kind})"),
        ("Gevraagd besluit", line.decision or "geen besluit gevraagd"),
        ("Stukken uiterlijk", line.documents_due or "geen termijn"),
        ("Stukken", papers),
        ("Koers programma", report.overall_health_text),
        (
            "Signalen",
            f"{_count(report.warnings_total, 'waarschuwing', 'waarschuwingen')}, "
            f"{_count(len(report.changes) + report.changes_hidden, 'wijziging', 'wijzigingen')} "
            "deze week",
        ),
    ]
    blocks.append(Facts(tuple(pairs)))
    if len(nxt.route) > 1:
        blocks.append(
            Table(
                (
                    Column("datum", 14),
                    Column("orgaan", 6),
                    Column("stap", 29),
                    Column("status", 16),
                    Column("stukken", 7),
                ),
                tuple(
                    (
                        step.date_text,
                        step.body,
                        step.title + (" (volgend)" if step.id == line.id else ""),
                        step.status.label,
                        step.documents_due[:5] or NO_VALUE,
                    )
                    for step in nxt.route
                ),
                flagged=tuple(step.id == line.id for step in nxt.route),
                caption="Route van dit besluit",
            )
        )
    return Section("headline", "Kern", tuple(blocks), figure="timeline")


def _goals(report: WeeklyReport) -> Section:
    blocks: list[Block] = []
    if not report.goals:
        blocks.append(Paragraph("Er zijn geen strategische doelen vastgelegd."))
    else:
        blocks.append(
            Table(
                (
                    Column("nr", 3, "right"),
                    Column("doel", 37),
                    Column("koers", 9),
                    Column("afgerond", 8, "right"),
                    Column("open", 5, "right"),
                    Column("te laat", 7, "right"),
                ),
                tuple(
                    (
                        str(goal.number),
                        goal.title,
                        _health(goal.health),
                        str(len(goal.done_this_week)),
                        str(goal.open_count),
                        str(goal.overdue_count),
                    )
                    for goal in report.goals
                ),
                flagged=tuple(goal.overdue_count > 0 for goal in report.goals),
                caption="Acties per doel: afgerond deze week, open en over de deadline",
            )
        )
        notes = []
        for goal in report.goals:
            if goal.health_reason:
                notes.append(f"Doel {goal.number} {goal.health_text}: {goal.health_reason}")
            for title in goal.done_this_week:
                notes.append(f"Doel {goal.number} afgerond deze week: {title}")
        if notes:
            blocks.append(Bullets(tuple(notes)))
    if report.loose_actions_open:
        blocks.append(Paragraph(f"Open acties zonder doel: {report.loose_actions_open}."))
    return Section("goals", "Strategische doelen", tuple(blocks))


_MILESTONE_COLUMNS = (
    Column("datum", 14),
    Column("orgaan", 6),
    Column("titel", 21),
    Column("status", 13),
    Column("koers", 9),
    Column("stukken", 7),
)


def _milestones(report: WeeklyReport) -> Section:
    blocks: list[Block] = []
    if report.completed:
        blocks.append(
            Table(
                (Column("datum", 14), Column("orgaan", 6), Column("titel", 56)),
                tuple((m.date_text, m.body, m.title) for m in report.completed),
                caption="Deze week afgerond",
            )
        )
    else:
        blocks.append(Paragraph("Deze week is geen mijlpaal afgerond."))
    if report.coming:
        blocks.append(
            Table(
                _MILESTONE_COLUMNS,
                tuple(
                    (
                        m.date_text,
                        m.body,
                        m.title,
                        m.status.label,
                        _health(m.health),
                        m.documents_due[:5] or NO_VALUE,
                    )
                    for m in report.coming
                ),
                flagged=tuple(
                    m.papers_state.state == PapersState.OVERDUE or m.status == Status.POSTPONED
                    for m in report.coming
                ),
                caption=f"De komende zes weken (t/m {report.coming_until})",
            )
        )
        blocks.extend(_more(report, "coming", "mijlpalen in deze weken"))
    else:
        blocks.append(Paragraph(f"Tot en met {report.coming_until} staan geen mijlpalen gepland."))
    if report.slips:
        blocks.append(
            Table(
                (
                    Column("mijlpaal", 23),
                    Column("oorspronkelijk", 14),
                    Column("nu", 14),
                    Column("verschil", 10, "right"),
                    Column("sinds", 11),
                ),
                tuple(
                    (
                        f"{s.milestone.body} {s.milestone.title}",
                        s.baseline_text,
                        s.milestone.date_text,
                        f"{s.days:+d} dagen",
                        s.since_text[3:] if s.since_text else NO_VALUE,
                    )
                    for s in report.slips
                ),
                flagged=tuple(s.days > 0 for s in report.slips),
                caption="Verschoven ten opzichte van de oorspronkelijke datum",
            )
        )
        blocks.extend(_more(report, "slips", "verschoven mijlpalen"))
    else:
        blocks.append(
            Paragraph("Geen mijlpalen verschoven ten opzichte van de oorspronkelijke datum.")
        )
    return Section("milestones", "Mijlpalen", tuple(blocks))


def _decisions(report: WeeklyReport) -> Section:
    if not report.decisions:
        blocks: tuple[Block, ...] = (Paragraph("Er worden geen besluiten gevraagd."),)
    else:
        blocks = (
            Table(
                (Column("datum", 14), Column("orgaan", 6), Column("gevraagd besluit", 56)),
                tuple(
                    (d.milestone.date_text, d.milestone.body, d.milestone.decision)
                    for d in report.decisions
                ),
            ),
            *_more(report, "decisions", "gevraagde besluiten"),
        )
    return Section("decisions", "Gevraagde besluiten", blocks)


def _warnings(report: WeeklyReport) -> Section:
    if not report.warnings:
        return Section("warnings", "Waarschuwingen", (Paragraph("Geen waarschuwingen."),))
    groups: dict[str, list[str]] = {}
    for warning in report.warnings:
        groups.setdefault(warning.heading, []).append(f"{warning.subject} — {warning.detail}")
    hidden = dict(report.warnings_hidden)
    blocks = tuple(
        Bullets(
            (*items, f"en nog {hidden[heading]}") if heading in hidden else tuple(items),
            heading=f"{heading} ({len(items) + hidden.get(heading, 0)})",
        )
        for heading, items in groups.items()
    )
    return Section("warnings", f"Waarschuwingen ({report.warnings_total})", blocks)


def _changes(report: WeeklyReport) -> Section:
    if not report.changes:
        return Section(
            "changes", "Wijzigingen deze week", (Paragraph("Deze week is niets gewijzigd."),)
        )
    rows = []
    for change in report.changes:
        if change.old or change.new:
            what = f"{change.old or '(leeg)'} → {change.new or '(leeg)'}"
        else:
            what = ""
        if change.note:
            what = f"{what} ({change.note})" if what else change.note
        rows.append((change.when, change.subject, change.what, what or NO_VALUE))
    blocks: list[Block] = [
        Table(
            (
                Column("wanneer", 15),
                Column("wat", 24),
                Column("veld", 12),
                Column("oud → nieuw", 23),
            ),
            tuple(rows),
        )
    ]
    if report.changes_hidden:
        blocks.append(
            Paragraph(
                f"En nog {report.changes_hidden} wijzigingen; zie 'hecht-tracker journal' voor alles."
            )
        )
    return Section("changes", "Wijzigingen deze week", tuple(blocks))


def _benefits(report: WeeklyReport) -> Section:
    title = f"Baten {report.benefit_programmes}".strip()
    if not report.categories:
        return Section("benefits", title, (Paragraph("Er zijn geen baten vastgelegd."),))
    totals = {
        status: sum(getattr(c, _STATUS_FIELD[status]) for c in report.categories)
        for status in BenefitStatus
    }
    count = sum(totals.values())
    summary = ", ".join(f"{totals[s]} {s.label}" for s in BenefitStatus)
    blocks: list[Block] = [
        Paragraph(f"{count} baten: {summary}."),
        Table(
            (
                Column("categorie", 16),
                Column("behaald", 8, "right"),
                Column("in uitvoering", 13, "right"),
                Column("verwacht", 8, "right"),
                Column("niet behaald", 12, "right"),
                Column("totaal", 6, "right"),
            ),
            tuple(
                (
                    c.label,
                    str(c.achieved),
                    str(c.in_progress),
                    str(c.expected),
                    str(c.not_achieved),
                    str(c.total),
                )
                for c in report.categories
            ),
            caption="Behaald en verwacht per categorie",
        ),
        Table(
            (
                Column("categorie", 15),
                Column("baat", 35),
                Column("status", 13),
                Column("laatste meting", 11),
            ),
            tuple(
                (c.label, b.title, b.status_text, b.latest or NO_VALUE)
                for c in report.categories
                for b in c.benefits
            ),
            flagged=tuple(
                b.status == BenefitStatus.NOT_ACHIEVED
                for c in report.categories
                for b in c.benefits
            ),
            caption="Alle baten",
        ),
    ]
    if report.measurements:
        blocks.append(
            Table(
                (
                    Column("datum", 10),
                    Column("baat", 36),
                    Column("waarde", 12),
                    Column("toelichting", 16),
                ),
                tuple(
                    (m.date_text, m.benefit, m.value, m.note or NO_VALUE)
                    for m in report.measurements
                ),
                caption="Laatste metingen",
            )
        )
    else:
        blocks.append(Paragraph("Nog geen metingen vastgelegd."))
    return Section("benefits", title, tuple(blocks), figure="benefits")


_STATUS_FIELD = {
    BenefitStatus.ACHIEVED: "achieved",
    BenefitStatus.IN_PROGRESS: "in_progress",
    BenefitStatus.EXPECTED: "expected",
    BenefitStatus.NOT_ACHIEVED: "not_achieved",
}


def _agreements(report: WeeklyReport) -> Section:
    total = len(report.agreements) + report.hidden.get("agreements", 0)
    title = f"Openstaande afspraken ({total})"
    if not report.agreements:
        return Section(
            "agreements", "Openstaande afspraken", (Paragraph("Geen openstaande afspraken."),)
        )
    table = Table(
        (
            Column("afspraak", 30),
            Column("eigenaar", 18),
            Column("deadline", 10),
            Column("status", 16),
        ),
        tuple(
            (
                a.title,
                a.owner or NO_VALUE,
                a.due_text,
                f"{a.status_text}, te laat" if a.overdue else a.status_text,
            )
            for a in report.agreements
        ),
        flagged=tuple(a.overdue for a in report.agreements),
    )
    return Section("agreements", title, (table, *_more(report, "agreements", "afspraken")))


def _more(report: WeeklyReport, table: str, what: str) -> tuple[Paragraph, ...]:
    """A line under a table the builder cut short: ``En nog 12 afspraken.``"""
    count = report.hidden.get(table, 0)
    return (Paragraph(f"En nog {count} {what}."),) if count else ()
