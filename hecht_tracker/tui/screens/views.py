"""What the main screen shows, as pure functions of domain objects and "today".

Rows for the tables, the detail panels and the headline. Kept apart from the screen so the
screen only wires widgets, and so these read the same for every caller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import RenderableType
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from hecht_tracker.core import dates, kinds, status
from hecht_tracker.core.model import (
    Action,
    Benefit,
    Goal,
    Health,
    JournalEntry,
    Milestone,
    Status,
)
from hecht_tracker.core.snapshot import Snapshot
from hecht_tracker.text import display
from hecht_tracker.text import status as wording
from hecht_tracker.tui.presenters import styles
from hecht_tracker.tui.presenters.rows import Row

HEALTH_STYLES = {
    Health.ON_TRACK: styles.GOOD,
    Health.AT_RISK: styles.WARN,
    Health.OFF_TRACK: styles.SEVERE,
}
# The same in Textual markup, for the headline.
HEALTH_MARKUP = {
    Health.ON_TRACK: "$text-success",
    Health.AT_RISK: "$text-warning",
    Health.OFF_TRACK: "bold $text-error",
}
NEXT_MARKER = "▶"

COLUMNS: dict[str, tuple[str, ...]] = {
    **{key: kinds.get(key).columns for key in kinds.RECORDS},
    "goal": (*kinds.get("goal").columns, "acties open"),
    "journal": ("wanneer", "onderdeel", "veld", "oud", "nieuw", "toelichting"),
}
# The column that takes the width the others leave (titles can be long).
FLEX_COLUMNS = {
    "milestone": "titel",
    "action": "titel",
    "benefit": "titel",
    "goal": "titel",
    "journal": "onderdeel",
}


def health_text(health: Health | None) -> Text:
    if health is None:
        return Text("")
    return Text(health.label, style=HEALTH_STYLES[health])


def _status_style(state: Status) -> str:
    return {Status.DONE: "dim", Status.CANCELLED: "dim strike", Status.POSTPONED: styles.WARN}.get(
        state, ""
    )


# --- table rows --------------------------------------------------------------------------------


def milestone_rows(snapshot: Snapshot) -> list[Row]:
    """One row per milestone; the styled cells are built only for the rows drawn."""
    stale = frozenset(
        w.milestone.id
        for w in snapshot.warnings
        if w.kind == status.WarningKind.STALE and w.milestone is not None
    )
    next_id = snapshot.next_moment.milestone.id if snapshot.next_moment is not None else None
    look = MilestoneLook(snapshot.today, stale, next_id)
    return [Row(milestone.id, record=milestone, look=look) for milestone in snapshot.milestones]


class MilestoneLook:
    """A milestone's row: the marker of the next board moment, a stale date marked bad, and
    whether the papers went out."""

    def __init__(self, today: dt.date, stale: frozenset[int], next_id: int | None) -> None:
        self.today = today
        self.stale = stale
        self.next_id = next_id

    def texts(self, milestone: Milestone) -> tuple[str, ...]:
        record_id, day, span, body, title, state, health, due = display.milestone_row(milestone)
        mark = _papers_mark(milestone, self.today)
        if mark is not None:
            due += mark[0]
        marker = NEXT_MARKER if milestone.id == self.next_id else " "
        return (f"{marker} {record_id}", day, span, body, title, state, health, due)

    def cells(self, milestone: Milestone) -> tuple[Text, ...]:
        marked_id, day, span, body, title, state, _, due = self.texts(milestone)
        is_next = milestone.id == self.next_id
        base = "bold" if is_next else _status_style(milestone.status)
        day_style = styles.BAD if milestone.id in self.stale else base
        due_text = Text(due, style=base)
        mark = _papers_mark(milestone, self.today)
        if mark is not None:
            due_text.stylize(mark[1], len(due) - len(mark[0]))
        return (
            Text.assemble((marked_id[0], styles.NEXT), " ", (marked_id[2:], "dim")),
            Text(day, style=day_style),
            Text(span, style=base),
            Text(body, style=base),
            Text(title, style=base),
            Text(state, style=_status_style(milestone.status) or base),
            health_text(milestone.health),
            due_text,
        )

    def sort_keys(self, milestone: Milestone) -> tuple[Any, ...]:
        """The day sorts by date and start time, the papers by their date (none: last)."""
        day = (milestone.date, milestone.start_time or dt.time.min)
        return (None, day, None, None, None, None, None, milestone.documents_due or dt.date.max)


def _papers_mark(milestone: Milestone, today: dt.date) -> tuple[str, str] | None:
    """What follows the papers date once they went out, and its style: ✓ on time, or late."""
    papers = status.papers(milestone, today)
    if papers.sent is None:
        return None
    return (" ✓", styles.GOOD) if papers.sent_ok else (" laat", styles.BAD)


def action_rows(snapshot: Snapshot, moves: Mapping[int, int]) -> list[Row]:
    """One row per action, the overdue ones first; the styled cells are built only for the
    rows drawn. ``moves``: how often each action's deadline moved (the extra column)."""
    look = ActionLook(snapshot.today, moves)
    today = snapshot.today
    return [
        Row(action.id, record=action, look=look)
        for action in sorted(snapshot.actions, key=lambda a: not a.is_overdue(today))
    ]


class ActionLook:
    """An action's row: an overdue deadline marked bad, and how often it moved."""

    def __init__(self, today: dt.date, moves: Mapping[int, int]) -> None:
        self.today = today
        self.moves = moves

    def _moved(self, action: Action) -> str:
        moved = self.moves.get(action.id, 0)
        return f"{moved}×" if moved else ""

    def texts(self, action: Action) -> tuple[str, ...]:
        return (*display.action_row(action, self.today), self._moved(action))

    def cells(self, action: Action) -> tuple[Text, ...]:
        record_id, kind, title, owner, due, state = display.action_row(action, self.today)
        style = _status_style(action.status)
        overdue = action.is_overdue(self.today)
        return (
            Text(record_id, style="dim"),
            Text(kind, style=style),
            Text(title, style=style),
            Text(owner, style=style),
            Text(due, style=styles.BAD if overdue else style),
            Text(state, style=style),
            Text(self._moved(action)),
        )

    def sort_keys(self, action: Action) -> tuple[Any, ...]:
        """The deadline sorts by date (none: last), the moves by their number."""
        return (
            None,
            None,
            None,
            None,
            action.due_date or dt.date.max,
            None,
            self.moves.get(action.id, 0),
        )


def benefit_rows(snapshot: Snapshot) -> list[Row]:
    rows = []
    for benefit in snapshot.benefits:
        record_id, title, category, status, measured = display.benefit_row(benefit)
        last = benefit.measurements[-1].date if benefit.measurements else None
        rows.append(
            Row(
                benefit.id,
                (Text(record_id, style="dim"), *_plain_cells(title, category, status, measured)),
                (None, None, None, None, last),  # the latest measurement sorts by its date
            )
        )
    return rows


def goal_rows(snapshot: Snapshot) -> list[Row]:
    rows = []
    for rollup in snapshot.goal_rollups.values():
        goal = rollup.goal
        record_id, number, title, horizon, _ = display.goal_row(goal)
        total = rollup.actions_total
        count = f"{rollup.actions_open} van {total}" if total else ""
        rows.append(
            Row(
                goal.id,
                (
                    Text(record_id, style="dim"),
                    *_plain_cells(number, title, horizon),
                    health_text(goal.health),
                    Text(count),
                ),
            )
        )
    return rows


def journal_rows(snapshot: Snapshot) -> list[Row]:
    """The journal, newest first; the moment sorts as a moment."""
    rows = []
    for entry in reversed(snapshot.journal):
        rows.append(
            Row(
                entry.id,
                _plain_cells(
                    dates.format_moment(entry.at),
                    journal_subject(snapshot, entry),
                    *journal_cells(snapshot, entry),
                    entry.note,
                ),
                (entry.at,),
            )
        )
    return rows


def _plain_cells(*values: str) -> tuple[Text, ...]:
    """Cells shown as typed: a table reads a bare string as markup, so a stored "[/b]" would
    otherwise be taken for a style (and a stray closing tag stops the interface)."""
    return tuple(Text(value) for value in values)


def rows_for(entity: str, snapshot: Snapshot, moves: Mapping[int, int]) -> list[Row]:
    """The rows of one entity's table; ``moves``: how often each action's deadline moved."""
    if entity == "action":
        return action_rows(snapshot, moves)
    builders = {
        "milestone": milestone_rows,
        "benefit": benefit_rows,
        "goal": goal_rows,
        "journal": journal_rows,
    }
    return builders[entity](snapshot)


# --- journal wording -------------------------------------------------------------------------


def journal_subject(snapshot: Snapshot, entry: JournalEntry) -> str:
    noun = kinds.noun(entry.entity)
    if entry.entity_id is None:
        return noun
    title = snapshot.title_of(entry.entity, entry.entity_id)
    subject = f"{noun} {entry.entity_id}"
    return f"{subject} · {title}" if title else subject


def journal_cells(snapshot: Snapshot, entry: JournalEntry) -> tuple[str, str, str]:
    """Field, old and new value the way people read them (shared with the CLI and report)."""
    return wording.change_cells(snapshot.change(entry))


# --- headline ----------------------------------------------------------------------------------


def loading_headline(organisation: str, today: dt.date) -> str:
    """The headline while a large database is still being read."""
    return _title_line(organisation, today) + " · [$text-muted]gegevens laden…[/]"


def _title_line(organisation: str, today: dt.date) -> str:
    week = today.isocalendar().week
    return f"[b]{escape(organisation)} — Gezond Vooruit![/b] · {dates.format_long(today)} · week {week}"


def headline(snapshot: Snapshot, organisation: str) -> str:
    """Three lines of markup: today, health and warnings; the next board moment with days to
    go; what it asks and whether its papers went out."""
    today = snapshot.today
    overall = status.overall_health(snapshot.goals, snapshot.milestones)
    first = _title_line(organisation, today)
    if overall is not None:
        first += f" · koers [{HEALTH_MARKUP[overall]}]{overall.label}[/]"
    warnings = wording.warnings_summary(snapshot.warnings)
    if warnings:
        first += "   [$text-warning]⚠ " + " · ".join(warnings) + "[/]"
    moment = snapshot.next_moment
    if moment is None:
        return first + "\n" + wording.NO_NEXT_MOMENT
    board = moment.milestone
    # Date and days to go first: on a narrow screen the title is what gets cut off.
    second = (
        f"{wording.NEXT_MOMENT_LABEL}: [b]{escape(wording.next_moment_when(moment))}[/b]"
        f" · {escape(board.title)}"
    )
    third = []
    if moment.papers.due is not None:
        state = wording.papers(moment.papers, today)
        style = (
            "$text-success"
            if moment.papers.sent_ok
            else "$text-error"
            if moment.papers.late
            else "$text-warning"
        )
        third.append(
            f"stukken uiterlijk {dates.format_day_month(moment.papers.due)}: [{style}]{escape(state)}[/]"
        )
    if board.decision:
        third.append(f"besluit: {escape(board.decision)}")
    if third:
        second += "\n" + " · ".join(third)
    return f"{first}\n{second}"


# --- detail panels -----------------------------------------------------------------------------


def _grid(pairs: Sequence[tuple[str, str | Text]]) -> Table:
    grid = Table.grid(padding=(0, 2), expand=True)
    grid.add_column(style="dim", no_wrap=True, width=16)
    grid.add_column(ratio=1)
    for label, value in pairs:
        if value:  # a bare string would be read as markup: stored text is shown as typed
            grid.add_row(label, Text(value) if isinstance(value, str) else value)
    return grid


def _brief(milestone: Milestone) -> str:
    return f"{dates.format_day_month(milestone.date)} {milestone.body} — {milestone.title} ({milestone.status.label})"


def milestone_detail(
    milestone: Milestone, snapshot: Snapshot, lead_days: Mapping[str, int]
) -> Table:
    today = snapshot.today
    when = f"{dates.format_long(milestone.date)}, {display.time_span(milestone)} · {dates.days_until(milestone.date, today)}"
    if milestone.location:
        when += f" · {milestone.location}"
    state = Text(milestone.status.label)
    if milestone.health is not None:
        state.append(" · koers ")
        state.append_text(health_text(milestone.health))
        if milestone.health_reason:
            state.append(f" ({milestone.health_reason})")
    before = [
        snapshot.milestones_by_id[i] for i in milestone.depends_on if i in snapshot.milestones_by_id
    ]
    after = snapshot.followers.get(milestone.id, ())
    route = "\n".join(
        [f"na: {_brief(m)}" for m in before] + [f"daarna: {_brief(m)}" for m in after]
    )
    papers = ""
    if milestone.documents_due is not None:
        papers = f"uiterlijk {dates.format_long(milestone.documents_due)}"
        if milestone.documents_due_is_default and milestone.body in lead_days:
            papers += f" ({lead_days[milestone.body]} werkdagen vooraf)"
        papers += f" · {wording.papers(status.papers(milestone, today), today)}"
    goals = ", ".join(
        f"{snapshot.goals_by_id[g].number}. {snapshot.goals_by_id[g].title}"
        for g in milestone.goal_ids
        if g in snapshot.goals_by_id
    )
    conflicts = [
        wording.warning_detail(w)
        for w in status.warnings_about(snapshot.warnings, "milestone", milestone.id)
    ]
    return _grid(
        [
            ("", Text(f"{milestone.body} — {milestone.title}", style="bold")),
            ("wanneer", when),
            ("status", state),
            ("besluit", milestone.decision),
            ("omschrijving", milestone.description),
            ("route", route),
            ("stukken", papers),
            ("doelen", goals),
            ("let op", Text("\n".join(conflicts), style=styles.WARN) if conflicts else ""),
            (
                "zichtbaarheid",
                f"{milestone.visibility.label} · {milestone.kind.label} · agendaversie {milestone.sequence}",
            ),
            ("notities (intern)", Text(milestone.notes, style="italic") if milestone.notes else ""),
        ]
    )


def action_detail(action: Action, snapshot: Snapshot) -> Table:
    due = dates.format_long(action.due_date) if action.due_date else ""
    if action.due_date and action.status.is_open:
        due += f" · {dates.days_until(action.due_date, snapshot.today)}"
    goal = snapshot.goals_by_id.get(action.goal_id) if action.goal_id else None
    milestone = snapshot.milestones_by_id.get(action.milestone_id) if action.milestone_id else None
    programme = snapshot.programmes_by_id.get(action.programme_id) if action.programme_id else None
    return _grid(
        [
            ("", Text(action.title, style="bold")),
            ("soort", f"{action.kind.label} · {action.status.label}"),
            ("eigenaar", action.owner),
            ("deadline", Text(due, style=styles.BAD) if action.is_overdue(snapshot.today) else due),
            ("afgerond op", dates.format_long(action.done_date) if action.done_date else ""),
            ("programma", programme.name if programme else ""),
            ("doel", f"{goal.number}. {goal.title}" if goal else ""),
            ("mijlpaal", _brief(milestone) if milestone else ""),
            ("omschrijving", action.description),
        ]
    )


def benefit_detail(benefit: Benefit, snapshot: Snapshot) -> Table:
    programme = (
        snapshot.programmes_by_id.get(benefit.programme_id) if benefit.programme_id else None
    )
    measurements = "\n".join(
        f"{dates.format_short(m.date)}  {m.value}" + (f" — {m.note}" if m.note else "")
        for m in reversed(benefit.measurements)
    )
    return _grid(
        [
            ("", Text(benefit.title, style="bold")),
            ("categorie", f"{benefit.category.label} · {benefit.status.label}"),
            (
                "metingen",
                measurements
                or Text("nog geen metingen — druk m om er een toe te voegen", style="dim"),
            ),
            ("programma", programme.name if programme else ""),
            ("eigenaar", benefit.owner),
            ("indicator", benefit.indicator),
            ("nulmeting", benefit.baseline),
            ("streefwaarde", benefit.target),
            (
                "realisatie",
                dates.format_long(benefit.realisation_date) if benefit.realisation_date else "",
            ),
            ("onderbouwing", benefit.evidence),
            ("omschrijving", benefit.description),
        ]
    )


def goal_detail(goal: Goal, snapshot: Snapshot) -> Table:
    rollup = snapshot.goal_rollups[goal.id]
    milestones = rollup.milestones
    health = health_text(goal.health)
    if goal.health_reason:
        health.append(f" ({goal.health_reason})")
    summary = wording.goal_actions(rollup)
    return _grid(
        [
            ("", Text(f"{goal.number}. {goal.title}", style="bold")),
            ("horizon", goal.horizon),
            ("koers", health),
            ("omschrijving", goal.description),
            ("acties", summary),
            ("mijlpalen", "\n".join(_brief(m) for m in milestones)),
        ]
    )


def journal_detail(entry: JournalEntry, snapshot: Snapshot) -> Table:
    return _grid(
        [
            ("wanneer", dates.format_moment(entry.at)),
            ("onderdeel", journal_subject(snapshot, entry)),
            *zip(("veld", "oud", "nieuw"), journal_cells(snapshot, entry), strict=True),
            ("toelichting", entry.note),
        ]
    )


def detail_for(
    entity: str, record: Any, snapshot: Snapshot, lead_days: Mapping[str, int]
) -> RenderableType:
    if entity == "milestone":
        return milestone_detail(record, snapshot, lead_days)
    if entity == "action":
        return action_detail(record, snapshot)
    if entity == "benefit":
        return benefit_detail(record, snapshot)
    if entity == "goal":
        return goal_detail(record, snapshot)
    return journal_detail(record, snapshot)
