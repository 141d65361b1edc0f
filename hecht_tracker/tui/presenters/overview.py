"""The Overzicht: timeline marks, the next board moment, goals, benefits and every warning.

Facts come from :mod:`hecht_tracker.core.timeline`; this module only words and colours them.
Colours are Textual theme variables (``$success``, ``$warning``, ``$error``, ``$accent``,
``$text-muted``), so light and dark themes both stay readable.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from textual.markup import escape

from hecht_tracker.core import dates, status, timeline
from hecht_tracker.core.model import (
    Benefit,
    BenefitStatus,
    Health,
    Milestone,
    Programme,
    Status,
)
from hecht_tracker.core.status import PapersState, WarningKind
from hecht_tracker.text import status as wording

HEALTH_COLOURS = {
    Health.ON_TRACK: "$success",
    Health.AT_RISK: "$warning",
    Health.OFF_TRACK: "$error",
}


class MarkState(Enum):
    """Where a milestone stands relative to today, told apart on the timeline by shape."""

    DONE = "done"
    NEXT = "next"
    LATER = "later"
    LATE = "late"  # the date passed but the status still says open
    CANCELLED = "cancelled"


SHAPES = {
    MarkState.DONE: "●",
    MarkState.NEXT: "◆",
    MarkState.LATER: "○",
    MarkState.LATE: "▲",
    MarkState.CANCELLED: "×",
}
STATE_COLOURS = {
    MarkState.DONE: "$success",
    MarkState.NEXT: "$accent",
    MarkState.LATER: "$text-muted",
    MarkState.LATE: "$warning",
    MarkState.CANCELLED: "$text-muted",
}
LEGEND = (
    f"[$success]{SHAPES[MarkState.DONE]}[/] afgerond  "
    f"[$accent]{SHAPES[MarkState.NEXT]}[/] volgende  "
    f"[$text-muted]{SHAPES[MarkState.LATER]}[/] later  "
    f"[$warning]{SHAPES[MarkState.LATE]}[/] niet bijgewerkt  · kleur = koers"
)


@dataclass(frozen=True, slots=True)
class Mark:
    """One milestone on the drawn timeline (one per milestone: kept small, the label is
    made only when the drawing tries to place it)."""

    milestone_id: int
    date: dt.date
    body: str
    state: MarkState
    colour: str  # a theme variable
    priority: int  # lower is labelled first when space runs out

    @property
    def label(self) -> str:
        return f"{self.body} {self.date.day} {_MONTHS[self.date.month - 1]}"


@dataclass(frozen=True)
class TimelineModel:
    start: dt.date
    end: dt.date
    today: dt.date
    marks: tuple[Mark, ...]
    earlier_done: int  # completed milestones before ``start``, summarised at the left edge


@dataclass(frozen=True)
class Notice:
    """One line of the warnings list; Enter on it opens the record."""

    entity: str
    record_id: int
    text: str  # markup


def mark_state(milestone: Milestone, next_id: int | None, today: dt.date) -> MarkState:
    if milestone.status == Status.CANCELLED:
        return MarkState.CANCELLED
    if milestone.status == Status.DONE:
        return MarkState.DONE
    if milestone.id == next_id:
        return MarkState.NEXT
    if milestone.date < today:
        return MarkState.LATE
    return MarkState.LATER


def timeline_model(milestones: Sequence[Milestone], today: dt.date) -> TimelineModel | None:
    """The span runs from the earliest milestone still open (or today, if earlier) to the last
    milestone; completed milestones before that are only counted, so a long history does not
    squeeze the months that matter now."""
    if not milestones:
        return None
    nxt = timeline.next_board_moment(milestones, today)
    next_id = nxt.id if nxt else None
    open_dates = [m.date for m in milestones if m.status.is_open]
    last = max(m.date for m in milestones)
    start = min([*open_dates, today]) if open_dates else min(m.date for m in milestones)
    start = min(start, last)
    end = max(last, today)
    marks = []
    upcoming = {m.id: rank for rank, m in enumerate(timeline.upcoming(milestones, today))}
    earlier_done = 0
    for milestone in milestones:
        if milestone.date < start:
            earlier_done += 1
            continue
        state = mark_state(milestone, next_id, today)
        colour = STATE_COLOURS[state]
        if milestone.health is not None and milestone.status.is_open:
            colour = HEALTH_COLOURS[milestone.health]
        if state is MarkState.NEXT:
            priority = 0
        elif milestone.id in upcoming:
            priority = 1 + upcoming[milestone.id]
        else:
            priority = 1000 + abs((milestone.date - today).days)
        marks.append(Mark(milestone.id, milestone.date, milestone.body, state, colour, priority))
    return TimelineModel(start, end, today, tuple(marks), earlier_done)


_PAPERS_COLOURS = {
    PapersState.SENT_ON_TIME: "$success",
    PapersState.SENT_LATE: "$error",
    PapersState.OVERDUE: "$error",
    PapersState.NOT_SENT: "$error",
    PapersState.DUE: "$warning",
    PapersState.NOT_NEEDED: "$text-muted",
}
_WARNING_COLOURS = {
    WarningKind.STALE: "$warning",
    WarningKind.PAPERS_LATE: "$error",
    WarningKind.DOCUMENTS_SOON: "$warning",
    WarningKind.OVERDUE: "$error",
    WarningKind.CONFLICT: "$error",
    WarningKind.PAPERS_BEFORE_DECISION: "$warning",
    WarningKind.SLIP: "$text-muted",
}


def next_moment_card(moment: status.NextMoment | None) -> str:
    """The next board moment: date, days to go, the decision asked, papers due and their state."""
    if moment is None:
        return f"[$text-muted]{escape(wording.NO_NEXT_MOMENT)}[/]"
    m, today = moment.milestone, moment.today
    lines = [f"[b $accent]{escape(wording.next_moment_when(moment))}[/]", escape(m.title)]
    if m.decision:
        lines.append(f"[$text-muted]besluit:[/] {escape(m.decision)}")
    if moment.papers.due is not None:
        lines.append(
            f"[$text-muted]stukken uiterlijk[/] {escape(dates.format_long(moment.papers.due))}: "
            f"[{_PAPERS_COLOURS[moment.papers.state]}]"
            f"{escape(wording.papers(moment.papers, today))}[/]"
        )
    return "\n".join(lines)


def goal_lines(rollups: Sequence[status.GoalRollup]) -> list[str]:
    """Per goal: its health (with the reason) and open / done (in total) / overdue actions."""
    lines = []
    for rollup in rollups:
        goal = rollup.goal
        if goal.health is None:
            health = f"[$text-muted]koers {escape(wording.health(None))}[/]"
        else:
            health = f"koers [{HEALTH_COLOURS[goal.health]}]{goal.health.label}[/]"
            if goal.health_reason:
                health += f" ({escape(goal.health_reason)})"
        counts = f"{rollup.actions_open} open · {rollup.actions_done} afgerond"
        counts += f" · [$error]{rollup.overdue} te laat[/]" if rollup.overdue else " · 0 te laat"
        lines.append(f"[b]{goal.number}. {escape(goal.title)}[/b]\n   {health} · {counts}")
    return lines or ["[$text-muted]Nog geen doelen.[/]"]


def benefit_lines(benefits: Sequence[Benefit], programmes: Sequence[Programme]) -> list[str]:
    """Per programme with benefits: achieved against those still expected or under way."""
    lines = []
    for programme in programmes:
        mine = [b for b in benefits if b.programme_id == programme.id]
        if not mine:
            continue
        count = Counter(b.status for b in mine)
        achieved = count[BenefitStatus.ACHIEVED]
        parts = [
            f"[$success]{achieved} behaald[/]",
            f"{count[BenefitStatus.IN_PROGRESS]} in uitvoering",
            f"{count[BenefitStatus.EXPECTED]} verwacht",
        ]
        if count[BenefitStatus.NOT_ACHIEVED]:
            parts.append(f"[$error]{count[BenefitStatus.NOT_ACHIEVED]} niet behaald[/]")
        lines.append(
            f"[b]{escape(programme.name)}[/b]: {achieved} van {len(mine)} baten behaald\n   "
            + " · ".join(parts)
        )
    return lines or ["[$text-muted]Nog geen baten.[/]"]


def benefit_categories(benefits: Sequence[Benefit], programmes: Sequence[Programme]) -> str:
    """One line per programme: achieved of all, per category (``dienstverlening 2/2``)."""
    lines = []
    for programme in programmes:
        mine = [b for b in benefits if b.programme_id == programme.id]
        if not mine:
            continue
        parts = []
        for category in dict.fromkeys(b.category for b in mine):
            own = [b for b in mine if b.category == category]
            achieved = sum(1 for b in own if b.status == BenefitStatus.ACHIEVED)
            parts.append(f"{category.label} {achieved}/{len(own)}")
        total = sum(1 for b in mine if b.status == BenefitStatus.ACHIEVED)
        lines.append(
            f"[b]{escape(programme.name)}[/b] {total} van {len(mine)} behaald · "
            + escape(" · ".join(parts))
        )
    return "\n".join(lines)


# The entity of the one notice about damage in the file; Enter on it lists what was found.
DAMAGE = "database"


def damage_notice(records: int, problems: int) -> Notice | None:
    """The warning for what ``db check`` found: how many records are damaged (or, for damage
    outside the records, how many problems), and what to run; None when nothing was found."""
    if problems == 0:
        return None
    if records:
        found = f"{records} {'record' if records == 1 else 'records'} beschadigd"
    else:
        found = f"{problems} {'probleem' if problems == 1 else 'problemen'} in de database"
    return Notice(DAMAGE, 0, f"[$error]{found}[/] — draai hecht-tracker db check")


def notices(warnings: Sequence[status.Warning]) -> list[Notice]:
    """Every warning the core finds, in its order, worded by the shared Dutch texts."""
    found = []
    for warning in warnings:
        entity, record_id = warning.subject_id
        colour = _WARNING_COLOURS[warning.kind]
        found.append(
            Notice(
                entity,
                record_id,
                f"[{colour}]{escape(wording.warning_heading(warning))}:[/] "
                f"{escape(wording.warning(warning))}",
            )
        )
    return found


# --- drawing the timeline ------------------------------------------------------------------------

LABEL_ROWS = 3
_MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


class _Canvas:
    """A few lines of cells, each with a character and a theme colour (or none)."""

    def __init__(self, width: int, height: int) -> None:
        self.width = width
        self.cells = [[(" ", "")] * width for _ in range(height)]

    def free(self, row: int, start: int, length: int) -> bool:
        if start < 0 or start + length > self.width:
            return False
        return all(ch == " " for ch, _ in self.cells[row][start : start + length])

    def room(self, row: int, start: int, length: int) -> bool:
        """Whether ``length`` cells from ``start`` fit and keep a blank cell on either side."""
        if start < 0 or start + length > self.width:
            return False
        return self.free(
            row, max(start - 1, 0), min(start + length + 1, self.width) - max(start - 1, 0)
        )

    def put(self, row: int, start: int, text: str, style: str = "") -> None:
        for offset, ch in enumerate(text):
            if 0 <= start + offset < self.width:
                self.cells[row][start + offset] = (ch, style)

    def markup(self) -> str:
        lines = []
        for row in self.cells:
            parts: list[str] = []
            run, run_style = "", ""
            for ch, style in [*row, ("", "\0")]:
                if style != run_style:
                    if run:
                        parts.append(f"[{run_style}]{escape(run)}[/]" if run_style else escape(run))
                    run, run_style = "", style
                run += ch
            lines.append("".join(parts).rstrip())
        return "\n".join(lines)


def draw_timeline(model: TimelineModel, width: int) -> str:
    """The timeline as markup, ``width`` cells wide: a "vandaag" line, the axis with a shape per
    milestone, up to three rows of labels that never overlap, and the months underneath.

    Labels are placed by priority (the next board moment first, then what comes soonest); a
    label that finds no free room is left out, its shape stays on the axis.
    """
    width = max(width, 20)
    canvas = _Canvas(width, 3 + LABEL_ROWS)
    span = max((model.end - model.start).days, 1)

    def column(day: dt.date) -> int:
        return round((day - model.start).days / span * (width - 1))

    axis = 1
    canvas.put(axis, 0, "─" * width, "$text-muted")
    today_x = column(model.today)
    canvas.put(axis, today_x, "┃", "$error")
    label = "vandaag ▼"
    start = max(0, min(today_x - len(label) + 1, width - len(label)))
    canvas.put(0, start, label, "b $error")
    if model.earlier_done:
        summary = f"◂ {model.earlier_done} eerder afgerond"
        if canvas.free(0, 0, len(summary) + 1):
            canvas.put(0, 0, summary, "$text-muted")
    # Shapes: the most important mark wins a shared column.
    for mark in sorted(model.marks, key=lambda m: -m.priority):
        canvas.put(axis, column(mark.date), SHAPES[mark.state], f"b {mark.colour}")
    # Where a label of some length found no room it never will (labels are only added): with
    # thousands of milestones on a few score columns, most are then skipped at once.
    no_room: set[tuple[int, int]] = set()
    for mark in sorted(model.marks, key=lambda m: (m.priority, m.date)):
        text = mark.label
        x = column(mark.date)
        if (x, len(text)) in no_room:
            continue
        # Prefer the label starting at its mark; near the right edge it ends there instead.
        candidates = [x, x - len(text) + 1] if x + len(text) > width else [x]
        for row in range(2, 2 + LABEL_ROWS):
            left = next((c for c in candidates if canvas.room(row, c, len(text))), None)
            if left is not None:
                style = f"b {mark.colour}" if mark.state is MarkState.NEXT else mark.colour
                canvas.put(row, left, text, style)
                break
        else:
            no_room.add((x, len(text)))
    months_row = 2 + LABEL_ROWS
    day = model.start.replace(day=1)
    while day <= model.end:
        x = column(max(day, model.start))
        name = _MONTHS[day.month - 1] + (f" {day.year}" if day.month == 1 else "")
        if canvas.free(months_row, max(x - 1, 0), len(name) + 1):
            canvas.put(months_row, x, name, "$text-muted")
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return canvas.markup()
