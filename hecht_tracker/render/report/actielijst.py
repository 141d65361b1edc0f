"""The actielijst: the standing agenda item with which a board keeps monitoring its agreements.

"Het blijven monitoren van afspraken" is the AB's own wish on its development agenda. The list
holds every open agreement (afspraak) with its number, where it was made (the meeting it is
linked to, else the programme it belongs to), owner, deadline, how often that deadline moved
(journal rows of the field due_date after the agreement was made), its status, and what was
closed since the body's last meeting.

Choices:

- Agreements are made with the board as a whole, so every open agreement is listed for any
  body; ``body`` decides the title and which meeting counts as "the last one".
- The last meeting is the body's latest milestone before ``today`` that was not cancelled.
  "Closed since" means the agreement's status became done or cancelled after that day (from the
  journal; the done date when the journal has no such row).
- Audience ``bestuur`` (the default) shows only what may reach board members; ``directie`` adds
  the descriptions, marked "intern".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from hecht_tracker.core import dates, status
from hecht_tracker.core.model import (
    BODY_NAMES,
    Action,
    ActionKind,
    JournalEntry,
    Milestone,
    Programme,
    Status,
)
from hecht_tracker.render.report.document import Document
from hecht_tracker.render.report.layout import (
    NO_VALUE,
    Bullets,
    Column,
    Paragraph,
    Section,
    Table,
)

Audience = Literal["bestuur", "directie"]
AUDIENCES: tuple[Audience, ...] = ("bestuur", "directie")


@dataclass(frozen=True)
class AgreementRow:
    number: int
    title: str
    made: str  # "AB wo 10 jul 2024" or "Ontwikkelagenda 2024"
    owner: str
    due: dt.date | None
    moves: int
    status: Status
    days_late: int  # 0 when not late
    note: str  # internal: only in the directie version


@dataclass(frozen=True)
class Actielijst:
    organisation: str
    body: str
    body_name: str
    audience: Audience
    today: dt.date
    last_meeting: Milestone | None
    open: tuple[AgreementRow, ...]
    closed: tuple[tuple[AgreementRow, dt.date], ...]


@dataclass(frozen=True)
class Sources:
    """What the actielijst is made from, read once by the caller: values, never the store."""

    organisation: str
    milestones: Sequence[Milestone]
    actions: Sequence[Action]
    programmes: Sequence[Programme]
    journal: Sequence[JournalEntry]  # at least every row about an action


def build_actielijst(
    sources: Sources, today: dt.date, body: str = "AB", audience: Audience = "bestuur"
) -> Actielijst:
    """Collect the actielijst for ``body`` as it stands on ``today``."""
    milestones = sources.milestones
    by_id = {m.id: m for m in milestones}
    programmes = {p.id: p.name for p in sources.programmes}
    agreements = [a for a in sources.actions if a.kind == ActionKind.AGREEMENT]
    histories = status.action_histories(sources.journal)
    none = status.ActionHistory()
    past = [
        m for m in milestones if m.body == body and m.date < today and m.status != Status.CANCELLED
    ]
    last = max(past, key=lambda m: (m.date, m.id)) if past else None

    def row(action: Action) -> AgreementRow:
        late = (today - action.due_date).days if action.is_overdue(today) and action.due_date else 0
        return AgreementRow(
            number=action.id,
            title=action.title,
            made=_made(action, by_id, programmes),
            owner=action.owner,
            due=action.due_date,
            moves=histories.get(action.id, none).deadline_moves,
            status=action.status,
            days_late=late,
            note=action.description if audience == "directie" else "",
        )

    open_rows = sorted(
        (row(a) for a in agreements if a.status.is_open),
        key=lambda r: (r.due is None, r.due or dt.date.max, r.number),
    )
    closed: list[tuple[AgreementRow, dt.date]] = []
    if last is not None:
        for action in agreements:
            if action.status.is_open:
                continue
            when = histories.get(action.id, none).closed_on or action.done_date
            if when is not None and last.date < when <= today:
                closed.append((row(action), when))
    closed.sort(key=lambda pair: (pair[1], pair[0].number))
    return Actielijst(
        organisation=sources.organisation,
        body=body,
        body_name=BODY_NAMES.get(body, body),
        audience=audience,
        today=today,
        last_meeting=last,
        open=tuple(open_rows),
        closed=tuple(closed),
    )


def _local_date(moment: dt.datetime) -> dt.date:
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(dates.TIMEZONE)).date()


def _made(action: Action, milestones: dict[int, Milestone], programmes: dict[int, str]) -> str:
    if action.milestone_id is not None and action.milestone_id in milestones:
        meeting = milestones[action.milestone_id]
        return f"{meeting.body} {dates.format_long(meeting.date)}"
    if action.programme_id is not None and action.programme_id in programmes:
        return programmes[action.programme_id]
    if action.created is not None:
        return f"vastgelegd {dates.format_short(_local_date(action.created))}"
    return NO_VALUE


def _status(row: AgreementRow) -> str:
    if row.days_late:
        return f"{row.status.label}, {row.days_late} dagen te laat"
    return row.status.label


def document(lijst: Actielijst) -> Document:
    """The actielijst as sections every report format can print."""
    made_on = dates.format_full(lijst.today)
    intern = " (intern)" if lijst.audience == "directie" else ""
    title = f"{lijst.organisation} — Actielijst {lijst.body_name}{intern}"
    return Document(
        organisation=lijst.organisation,
        programme=f"Afspraken met het {lijst.body}",
        title=title,
        short_title=f"actielijst {lijst.body} {dates.format_short(lijst.today)}",
        made_on=made_on,
        made_date=lijst.today,
        tag=f"stand op {dates.format_short(lijst.today)}",
        sections=tuple(_sections(lijst)),
    )


def _sections(lijst: Actielijst) -> list[Section]:
    out: list[Section] = []
    late = [r for r in lijst.open if r.days_late]
    moved = [r for r in lijst.open if r.moves]
    by_year: dict[int, int] = {}
    for r in late:
        assert r.due is not None
        by_year[r.due.year] = by_year.get(r.due.year, 0) + 1
    summary = [
        f"{len(lijst.open)} open {'afspraak' if len(lijst.open) == 1 else 'afspraken'}, "
        f"waarvan {len(late)} over de deadline en {len(moved)} met een verschoven deadline."
    ]
    for year, count in sorted(by_year.items()):
        if year < lijst.today.year:
            summary.append(
                f"{count} {'afspraak' if count == 1 else 'afspraken'} uit {year} over de "
                "deadline — herijken?"
            )
    blocks: list[Paragraph | Bullets | Table] = [Paragraph(" ".join(summary[:1]), strong=True)]
    if len(summary) > 1:
        blocks.append(Bullets(tuple(summary[1:])))
    if lijst.open:
        blocks.append(
            Table(
                (
                    Column("nr", 2, "right"),
                    Column("afspraak", 18),
                    Column("gemaakt", 15),
                    Column("eigenaar", 13),
                    Column("verzet", 6, "right"),
                    Column("deadline en status", 16),
                ),
                tuple(
                    (
                        str(r.number),
                        r.title,
                        r.made,
                        r.owner or NO_VALUE,
                        f"{r.moves}×",
                        f"{dates.format_short(r.due) or 'geen deadline'}, {_status(r)}",
                    )
                    for r in lijst.open
                ),
                flagged=tuple(bool(r.days_late) for r in lijst.open),
                caption="Open afspraken, de oudste deadline eerst; verzet: hoe vaak de deadline is verschoven",
            )
        )
    else:
        blocks.append(Paragraph("Er staan geen afspraken open."))
    out.append(Section("open", f"Open afspraken ({len(lijst.open)})", tuple(blocks)))

    last = lijst.last_meeting
    if last is None:
        closed_title = "Afgerond"
        closed_blocks: tuple[Paragraph | Table, ...] = (
            Paragraph(f"Het {lijst.body} heeft nog niet vergaderd."),
        )
    else:
        since = f"{last.body} {dates.format_long(last.date)}"
        closed_title = f"Afgerond sinds de vorige vergadering ({since})"
        if lijst.closed:
            closed_blocks = (
                Table(
                    (
                        Column("nr", 2, "right"),
                        Column("afspraak", 41),
                        Column("eigenaar", 14),
                        Column("afgerond op", 11),
                        Column("status", 10),
                    ),
                    tuple(
                        (
                            str(r.number),
                            r.title,
                            r.owner or NO_VALUE,
                            dates.format_short(when),
                            r.status.label,
                        )
                        for r, when in lijst.closed
                    ),
                ),
            )
        else:
            closed_blocks = (Paragraph(f"Sinds {since} is geen afspraak afgerond."),)
    out.append(Section("closed", closed_title, closed_blocks))

    if lijst.audience == "directie":
        notes = tuple(f"{r.number}. {r.title}: {r.note}" for r in lijst.open if r.note)
        out.append(
            Section(
                "notes",
                "Toelichting (intern, niet voor het bestuur)",
                (Bullets(notes),) if notes else (Paragraph("Geen toelichting vastgelegd."),),
            )
        )
    return out


def render_actielijst(
    sources: Sources, today: dt.date, fmt: str, body: str = "AB", audience: Audience = "bestuur"
) -> bytes:
    """The actielijst as bytes in ``fmt`` (text, markdown, html or pdf)."""
    doc = document(build_actielijst(sources, today, body, audience))
    if fmt == "text":
        from hecht_tracker.render.report.text import render_document as text

        return text(doc).encode("utf-8")
    if fmt == "markdown":
        from hecht_tracker.render.report.markdown import render_document as markdown

        return markdown(doc).encode("utf-8")
    if fmt == "html":
        from hecht_tracker.render.report.html import render_document as html

        return html(doc).encode("utf-8")
    if fmt == "pdf":
        from hecht_tracker.render.report.pdf import render_document_pdf

        return render_document_pdf(doc)
    from hecht_tracker.core.errors import ValidationError

    raise ValidationError(f"Onbekend formaat '{fmt}'. Kies uit: text, markdown, html, pdf.")
