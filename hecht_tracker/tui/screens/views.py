"""What the main screen shows, as pure functions of domain objects and "today".

Rows for the tables, the detail panels and the headline. Kept apart from the screen so the
screen only wires widgets, and so these read the same for every caller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.console import RenderableType
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from hecht_tracker.core import dates, timeline
from hecht_tracker.core.fields import ENTITY_LABELS
from hecht_tracker.core.model import (
    Action,
    Benefit,
    Goal,
    Health,
    JournalEntry,
    Milestone,
    Programme,
    Status,
)
from hecht_tracker.core.publication import followers
from hecht_tracker.text import display
from hecht_tracker.tui.widgets.record_table import Row

HEALTH_STYLES = {Health.ON_TRACK: "green", Health.AT_RISK: "yellow", Health.OFF_TRACK: "bold red"}
NEXT_MARKER = "▶"

COLUMNS: dict[str, tuple[str, ...]] = {
    "milestone": (
        "id",
        "datum",
        "tijd",
        "orgaan",
        "titel",
        "status",
        "koers",
        "stukken",
    ),
    "action": ("id", "soort", "titel", "eigenaar", "deadline", "status"),
    "benefit": ("id", "titel", "categorie", "status", "laatste meting"),
    "goal": ("id", "nr", "titel", "horizon", "koers", "acties open"),
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


@dataclass(frozen=True)
class Snapshot:
    """Everything the main screen shows, read from the store in one go."""

    today: dt.date
    milestones: list[Milestone]
    actions: list[Action]
    benefits: list[Benefit]
    goals: list[Goal]
    programmes: list[Programme]
    journal: list[JournalEntry]
    milestones_by_id: dict[int, Milestone] = field(init=False)
    goals_by_id: dict[int, Goal] = field(init=False)
    next_moment: Milestone | None = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "milestones_by_id", {m.id: m for m in self.milestones})
        object.__setattr__(self, "goals_by_id", {g.id: g for g in self.goals})
        object.__setattr__(
            self, "next_moment", timeline.next_board_moment(self.milestones, self.today)
        )

    def record(self, entity: str, record_id: int) -> Any:
        """A record of this snapshot by entity and id, or None."""
        pools: dict[str, Sequence[Any]] = {
            "milestone": self.milestones,
            "action": self.actions,
            "benefit": self.benefits,
            "goal": self.goals,
            "journal": self.journal,
        }
        pool = pools[entity]
        return next((item for item in pool if item.id == record_id), None)

    def records(self, entity: str) -> Sequence[Any]:
        """All records of one entity in this snapshot."""
        pools: dict[str, Sequence[Any]] = {
            "milestone": self.milestones,
            "action": self.actions,
            "benefit": self.benefits,
            "goal": self.goals,
            "journal": self.journal,
        }
        return pools[entity]

    def title_of(self, entity: str, record_id: int | None) -> str:
        if record_id is None or entity not in ("milestone", "action", "benefit", "goal"):
            return ""
        found = self.record(entity, record_id)
        return "" if found is None else str(found.title)


def health_text(health: Health | None) -> Text:
    if health is None:
        return Text("")
    return Text(health.label, style=HEALTH_STYLES[health])


def _status_style(status: Status) -> str:
    return {Status.DONE: "dim", Status.CANCELLED: "dim strike", Status.POSTPONED: "yellow"}.get(
        status, ""
    )


# --- table rows --------------------------------------------------------------------------------


def milestone_rows(snapshot: Snapshot) -> list[Row]:
    rows = []
    stale = {m.id for m in timeline.stale(snapshot.milestones, snapshot.today)}
    for milestone in snapshot.milestones:
        _, day, span, body, title, status, _, due = display.milestone_row(milestone)
        is_next = snapshot.next_moment is not None and milestone.id == snapshot.next_moment.id
        base = "bold" if is_next else _status_style(milestone.status)
        day_style = "red" if milestone.id in stale else base
        due_text = Text(due, style=base)
        if milestone.documents_sent is not None:
            due_text.append(
                " ✓" if milestone.papers_on_time else " laat",
                style="green" if milestone.papers_on_time else "red",
            )
        rows.append(
            Row(
                milestone.id,
                (
                    Text.assemble(
                        (NEXT_MARKER if is_next else " ", "bold cyan"),
                        " ",
                        (str(milestone.id), "dim"),
                    ),
                    Text(day, style=day_style),
                    Text(span, style=base),
                    Text(body, style=base),
                    Text(title, style=base),
                    Text(status, style=_status_style(milestone.status) or base),
                    health_text(milestone.health),
                    due_text,
                ),
            )
        )
    return rows


def action_rows(snapshot: Snapshot) -> list[Row]:
    rows = []
    for action in snapshot.actions:
        record_id, kind, title, owner, due, status = display.action_row(action, snapshot.today)
        style = _status_style(action.status)
        rows.append(
            Row(
                action.id,
                (
                    Text(record_id, style="dim"),
                    Text(kind, style=style),
                    Text(title, style=style),
                    Text(owner, style=style),
                    Text(due, style="red" if action.is_overdue(snapshot.today) else style),
                    Text(status, style=style),
                ),
            )
        )
    return rows


def benefit_rows(snapshot: Snapshot) -> list[Row]:
    rows = []
    for benefit in snapshot.benefits:
        record_id, title, category, status, measured = display.benefit_row(benefit)
        rows.append(
            Row(benefit.id, (Text(record_id, style="dim"), title, category, status, measured))
        )
    return rows


def goal_rows(snapshot: Snapshot) -> list[Row]:
    rows = []
    for goal in snapshot.goals:
        record_id, number, title, horizon, _ = display.goal_row(goal)
        mine = [a for a in snapshot.actions if a.goal_id == goal.id]
        still_open = sum(1 for a in mine if a.status.is_open)
        count = f"{still_open} van {len(mine)}" if mine else ""
        rows.append(
            Row(
                goal.id,
                (
                    Text(record_id, style="dim"),
                    number,
                    title,
                    horizon,
                    health_text(goal.health),
                    count,
                ),
            )
        )
    return rows


def journal_rows(snapshot: Snapshot) -> list[Row]:
    """The journal, newest first."""
    rows = []
    for entry in reversed(snapshot.journal):
        rows.append(
            Row(
                entry.id,
                (
                    format_moment(entry.at),
                    journal_subject(snapshot, entry),
                    *journal_cells(entry),
                    entry.note,
                ),
            )
        )
    return rows


def rows_for(entity: str, snapshot: Snapshot) -> list[Row]:
    builders = {
        "milestone": milestone_rows,
        "action": action_rows,
        "benefit": benefit_rows,
        "goal": goal_rows,
        "journal": journal_rows,
    }
    return builders[entity](snapshot)


# --- journal wording -------------------------------------------------------------------------


def format_moment(moment: dt.datetime) -> str:
    """A journal time as the clock in Amsterdam showed it: ``23-11-2026 10:15``."""
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(dates.TIMEZONE)).strftime("%d-%m-%Y %H:%M")


def journal_subject(snapshot: Snapshot, entry: JournalEntry) -> str:
    noun = ENTITY_LABELS.get(entry.entity, entry.entity)
    if entry.entity_id is None:
        return noun
    title = snapshot.title_of(entry.entity, entry.entity_id)
    subject = f"{noun} {entry.entity_id}"
    return f"{subject} · {title}" if title else subject


def journal_cells(entry: JournalEntry) -> tuple[str, str, str]:
    """Field, old and new value the way people read them (shared with the CLI and report)."""
    if entry.field is None:  # a record made or removed: its title stands in old or new
        return "", entry.old or "", entry.new or ""
    return display.journal_change(entry)


# --- headline ----------------------------------------------------------------------------------


def headline(snapshot: Snapshot, organisation: str) -> str:
    """Three lines of markup: today, health and warnings; the next board moment with days to
    go; what it asks and whether its papers went out."""
    today = snapshot.today
    week = today.isocalendar().week
    overall = timeline.overall_health(snapshot.goals, snapshot.milestones)
    first = f"[b]{escape(organisation)} — Gezond Vooruit![/b] · {dates.format_long(today)} · week {week}"
    if overall is not None:
        first += f" · koers [{HEALTH_STYLES[overall]}]{overall.label}[/]"
    stale = timeline.stale(snapshot.milestones, today)
    overdue = timeline.overdue_actions(snapshot.actions, today)
    warnings = []
    if stale:
        warnings.append(
            f"{len(stale)} {'mijlpaal' if len(stale) == 1 else 'mijlpalen'} zonder statusupdate"
        )
    if overdue:
        warnings.append(
            f"{len(overdue)} {'actie of afspraak' if len(overdue) == 1 else 'acties en afspraken'} te laat"
        )
    if warnings:
        first += "   [yellow]⚠ " + " · ".join(warnings) + "[/]"
    moment = snapshot.next_moment
    if moment is None:
        return first + "\nGeen bestuursmoment meer gepland."
    to_go = dates.days_until(moment.date, today)
    # Date and days to go first: on a narrow screen the title is what gets cut off.
    second = (
        f"Volgende bestuursmoment: [b]{escape(moment.body)} {dates.format_long(moment.date)}[/b]"
        f" · [b cyan]{to_go}[/] · {escape(moment.title)}"
    )
    third = []
    if moment.documents_due is not None:
        state = papers_state(moment, today)
        style = (
            "green"
            if moment.papers_on_time
            else "yellow"
            if moment.documents_sent is None
            else "red"
        )
        third.append(
            f"stukken uiterlijk {dates.format_day_month(moment.documents_due)}: [{style}]{escape(state)}[/]"
        )
    if moment.decision:
        third.append(f"besluit: {escape(moment.decision)}")
    if third:
        second += "\n" + " · ".join(third)
    return f"{first}\n{second}"


def papers_state(milestone: Milestone, today: dt.date) -> str:
    """Whether the papers went out, and on time: ``verstuurd 18-11 (op tijd)``."""
    if milestone.documents_sent is not None:
        when = dates.format_short(milestone.documents_sent)
        return f"verstuurd {when}, " + ("op tijd" if milestone.papers_on_time else "te laat")
    if milestone.documents_due is not None and milestone.documents_due < today:
        return "nog niet verstuurd, termijn verstreken"
    return "nog niet verstuurd"


# --- detail panels -----------------------------------------------------------------------------


def _grid(pairs: Sequence[tuple[str, str | Text]]) -> Table:
    grid = Table.grid(padding=(0, 2), expand=True)
    grid.add_column(style="dim", no_wrap=True, width=16)
    grid.add_column(ratio=1)
    for label, value in pairs:
        if value:
            grid.add_row(label, value)
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
    after = followers(milestone, snapshot.milestones_by_id)
    route = "\n".join(
        [f"na: {_brief(m)}" for m in before] + [f"daarna: {_brief(m)}" for m in after]
    )
    slip = ""
    if milestone.baseline_date is not None and milestone.slip_days:
        slip = (
            f"{milestone.slip_days:+d} dagen t.o.v. de oorspronkelijke datum "
            f"{dates.format_long(milestone.baseline_date)}"
        )
    papers = ""
    if milestone.documents_due is not None:
        papers = f"uiterlijk {dates.format_long(milestone.documents_due)}"
        if milestone.documents_due_is_default and milestone.body in lead_days:
            papers += f" ({lead_days[milestone.body]} werkdagen vooraf)"
        papers += f" · {papers_state(milestone, today)}"
    goals = ", ".join(
        f"{snapshot.goals_by_id[g].number}. {snapshot.goals_by_id[g].title}"
        for g in milestone.goal_ids
        if g in snapshot.goals_by_id
    )
    conflicts = [
        f"{c.reason}: {_brief(c.depends_on)}"
        for c in timeline.dependency_conflicts(snapshot.milestones)
        if c.milestone.id == milestone.id
    ]
    if milestone.status.is_open and milestone.date < today:
        conflicts.append("de datum is voorbij maar de status is niet bijgewerkt")
    return _grid(
        [
            ("", Text(f"{milestone.body} — {milestone.title}", style="bold")),
            ("wanneer", when),
            ("status", state),
            ("besluit", milestone.decision),
            ("omschrijving", milestone.description),
            ("route", route),
            ("verschoven", slip),
            ("stukken", papers),
            ("doelen", goals),
            ("let op", Text("\n".join(conflicts), style="yellow") if conflicts else ""),
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
    programme = next((p for p in snapshot.programmes if p.id == action.programme_id), None)
    return _grid(
        [
            ("", Text(action.title, style="bold")),
            ("soort", f"{action.kind.label} · {action.status.label}"),
            ("eigenaar", action.owner),
            ("deadline", Text(due, style="red") if action.is_overdue(snapshot.today) else due),
            ("afgerond op", dates.format_long(action.done_date) if action.done_date else ""),
            ("programma", programme.name if programme else ""),
            ("doel", f"{goal.number}. {goal.title}" if goal else ""),
            ("mijlpaal", _brief(milestone) if milestone else ""),
            ("omschrijving", action.description),
        ]
    )


def benefit_detail(benefit: Benefit, snapshot: Snapshot) -> Table:
    programme = next((p for p in snapshot.programmes if p.id == benefit.programme_id), None)
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
    actions = [a for a in snapshot.actions if a.goal_id == goal.id]
    overdue = [a for a in actions if a.is_overdue(snapshot.today)]
    done = sum(1 for a in actions if a.status == Status.DONE)
    milestones = [m for m in snapshot.milestones if goal.id in m.goal_ids]
    health = health_text(goal.health)
    if goal.health_reason:
        health.append(f" ({goal.health_reason})")
    noun = "actie" if len(actions) == 1 else "acties"
    summary = (
        f"{len(actions)} {noun}: {done} afgerond, {len(actions) - done} open" if actions else ""
    )
    if overdue:
        summary += f", {len(overdue)} te laat"
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
            ("wanneer", format_moment(entry.at)),
            ("onderdeel", journal_subject(snapshot, entry)),
            *zip(("veld", "oud", "nieuw"), journal_cells(entry), strict=True),
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
