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
    flagged: tuple[bool, ...] = ()  # rows to draw attention to (late, overdue): a warning
    caption: str = ""
    # Rows set apart without alarm, such as the next step of a route: bold, never the ⚠ style.
    emphasised: tuple[bool, ...] = ()


Block = Paragraph | Facts | Bullets | Table


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    blocks: tuple[Block, ...]
    figure: Figure | None = None  # drawn by the HTML renderer before the blocks
    new_page: bool = field(default=False)


NO_VALUE = "–"
# A table this short is never split over two pages, in print (HTML, PDF) and in the text pages.
KEEP_WHOLE_ROWS = 6


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


def _week(report: WeeklyReport) -> str:
    return f"week {report.week_monday.isocalendar()[1]}"


def _headline(report: WeeklyReport) -> Section:
    """The first half page: where we stand, the next board moment, what must happen now."""
    blocks: list[Block] = [
        Paragraph(f"Stand: {report.status_word}. {report.status_reason}", strong=True)
    ]
    nxt = report.next_moment
    if nxt is None:
        blocks.append(Paragraph(wording.NO_NEXT_MOMENT))
    else:
        line = nxt.milestone
        papers = line.papers or "niet van toepassing"
        due = line.documents_due or "geen termijn"
        if report.papers_assumption and line.documents_due:
            due = f"{due} ({report.papers_assumption})"
        pairs = [
            (wording.NEXT_MOMENT_LABEL, wording.next_moment_when(nxt.moment)),
            ("Onderwerp", f"{line.title} — {nxt.body_name} ({line.kind})"),
            ("Gevraagd besluit", line.decision or "geen besluit gevraagd"),
            ("Stukken uiterlijk", due),
            ("Stukken", papers),
        ]
        blocks.append(Facts(tuple(pairs)))
    if report.actions_needed:
        blocks.append(
            Table(
                (Column("wat", 52), Column("wie", 24)),
                tuple((a.text, a.owner) for a in report.actions_needed),
                caption="Actie nodig deze week",
            )
        )
    else:
        blocks.append(Paragraph("Actie nodig deze week: niets dat op een termijn wacht."))
    if nxt is not None and len(nxt.route) > 1:
        line = nxt.milestone
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
                # A step is flagged for a real warning only (date passed while open, papers
                # past their deadline); the next step is emphasised, which is no warning.
                flagged=tuple(
                    step.status.is_open
                    and (step.date < report.as_of or step.papers_state.state == PapersState.OVERDUE)
                    for step in nxt.route
                ),
                emphasised=tuple(step.id == line.id for step in nxt.route),
                caption="Route van dit besluit",
            )
        )
    return Section("headline", "Kern", tuple(blocks))


def _goals(report: WeeklyReport) -> Section:
    blocks: list[Block] = []
    week = _week(report)
    if not report.goals:
        blocks.append(Paragraph("Er zijn geen strategische doelen vastgelegd."))
    else:
        blocks.append(
            Table(
                (
                    Column("nr", 2, "right"),
                    Column("doel", 21),
                    Column("koers", 9),
                    Column("afgerond", 8, "right"),
                    Column(f"in wk {report.week_monday.isocalendar()[1]}", 8, "right"),
                    Column("open", 4, "right"),
                    Column("te laat", 7, "right"),
                    Column("stappen", 7, "right"),
                ),
                tuple(
                    (
                        str(goal.number),
                        goal.title,
                        _health(goal.health),
                        str(goal.rollup.actions_done),
                        str(len(goal.done_this_week)),
                        str(goal.open_count),
                        str(goal.overdue_count),
                        str(goal.rollup.milestones_done),
                    )
                    for goal in report.goals
                ),
                flagged=tuple(goal.overdue_count > 0 for goal in report.goals),
                caption=(
                    f"Acties per doel: afgerond in totaal en in {week}, open, over de deadline; "
                    "stappen: mijlpalen van het doel die al gezet zijn"
                ),
            )
        )
        notes = []
        for goal in report.goals:
            if goal.health_reason:
                notes.append(f"Doel {goal.number} {goal.health_text}: {goal.health_reason}")
            for title in goal.done_this_week:
                notes.append(f"Doel {goal.number}, afgerond in {week}: {title}")
        if notes:
            blocks.append(Bullets(tuple(notes)))
    if report.loose_actions_open:
        blocks.append(Paragraph(f"Open acties zonder doel: {report.loose_actions_open}."))
    return Section("goals", "Voortgang per doel", tuple(blocks))


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
                caption=f"Afgerond in {_week(report)}",
            )
        )
    else:
        blocks.append(Paragraph(f"In {_week(report)} is geen mijlpaal afgerond."))
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
    return Section("milestones", "Mijlpalen", tuple(blocks), figure="timeline")


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
    stale = [
        f"{_count(count, 'afspraak', 'afspraken')} uit {year} over hun deadline — herijken? "
        "(zie de openstaande afspraken en de actielijst)"
        for year, count in report.stale_agreements
    ]
    total = report.warnings_total + len(stale)
    above = (
        (
            Paragraph(
                "Niet herhaald: "
                f"{_count(report.warnings_above, 'waarschuwing', 'waarschuwingen')} over de "
                "stukken; zie 'Actie nodig deze week' in de Kern."
            ),
        )
        if report.warnings_above
        else ()
    )
    if not report.warnings and not stale:
        none = Paragraph("Geen andere waarschuwingen." if above else "Geen waarschuwingen.")
        return Section("warnings", "Waarschuwingen", (*above, none))
    groups: dict[str, list[str]] = {}
    for warning in report.warnings:
        groups.setdefault(warning.heading, []).append(f"{warning.subject} — {warning.detail}")
    hidden = dict(report.warnings_hidden)
    blocks: list[Block] = [*above]
    blocks.extend(
        Bullets(
            (*items, f"en nog {hidden[heading]}") if heading in hidden else tuple(items),
            heading=f"{heading} ({len(items) + hidden.get(heading, 0)})",
        )
        for heading, items in groups.items()
    )
    if stale:
        blocks.append(Bullets(tuple(stale), heading="Oude afspraken"))
    return Section("warnings", f"Waarschuwingen ({total})", tuple(blocks))


def _changes(report: WeeklyReport) -> Section:
    title = f"Wijzigingen in {_week(report)}"
    if not report.record_changes:
        return Section("changes", title, (Paragraph(f"In {_week(report)} is niets gewijzigd."),))
    items = tuple(
        f"{record.subject}: {'; '.join(record.sentences)}." for record in report.record_changes
    )
    if report.record_changes_hidden:
        items += (f"en nog {report.record_changes_hidden:n} records gewijzigd",)
    return Section("changes", title, (Bullets(items),))


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
    context = f"{report.benefit_context}. " if report.benefit_context else ""
    blocks: list[Block] = [
        Paragraph(f"{context}{count} baten: {summary}."),
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
                Column("baat", 23),
                Column("status", 13),
                Column("laatste meting", 11),
                Column("trend", 10),
            ),
            tuple(
                (c.label, b.title, b.status_text, b.latest or NO_VALUE, b.trend or NO_VALUE)
                for c in report.categories
                for b in c.benefits
            ),
            flagged=tuple(
                b.status == BenefitStatus.NOT_ACHIEVED
                for c in report.categories
                for b in c.benefits
            ),
            caption="Alle baten, met de trend van de laatste meting tegen de vorige",
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
