"""Every derived fact the doors show, computed once, as typed values.

The CLI, the TUI and the weekly report all ask this module what state a milestone's papers are
in, which warnings stand, which board moment is next, how a goal is doing and what a journal row
means. :mod:`hecht_tracker.text.status` words these values in Dutch; nothing downstream derives
them again or parses the Dutch back.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from hecht_tracker.core import dates, timeline
from hecht_tracker.core.model import (
    Action,
    ActionKind,
    Benefit,
    Goal,
    Health,
    JournalEntry,
    Measurement,
    Milestone,
    Status,
)

DOCUMENTS_SOON_DAYS = 7

# --- papers ------------------------------------------------------------------------------------


class PapersState(StrEnum):
    NOT_NEEDED = "not_needed"  # no papers deadline
    DUE = "due"  # not sent yet, deadline today or ahead
    SENT_ON_TIME = "sent_on_time"
    SENT_LATE = "sent_late"
    OVERDUE = "overdue"  # deadline passed, not sent, the milestone still open
    NOT_SENT = "not_sent"  # never sent and the milestone is closed (done or cancelled)


@dataclass(frozen=True)
class Papers:
    """Where a milestone's papers stand on a given day."""

    state: PapersState
    due: dt.date | None
    sent: dt.date | None
    days: int = 0  # DUE: days to the deadline; SENT_LATE / OVERDUE: days past it

    @property
    def late(self) -> bool:
        """Sent late, or past the deadline and not sent: what quick win 1 is about."""
        return self.state in (PapersState.SENT_LATE, PapersState.OVERDUE)

    @property
    def sent_ok(self) -> bool:
        return self.state == PapersState.SENT_ON_TIME

    @property
    def working_days_late(self) -> int:
        """SENT_LATE / OVERDUE: the working days (Dutch holidays skipped) after the deadline up
        to the day sent or to today, at least 1 (a deadline on Friday missed on Saturday is
        missed all the same); 0 otherwise.

        Worked out only when asked: it loads the holiday calendar, which a door showing many
        milestones must only pay for the few it shows a lateness of.
        """
        if not self.late or self.due is None:
            return 0
        until = self.sent if self.sent is not None else self.due + dt.timedelta(days=self.days)
        return max(1, dates.working_days_after(self.due, until))


def papers(milestone: Milestone, today: dt.date) -> Papers:
    """The papers state of ``milestone`` as seen on ``today``."""
    due, sent = milestone.documents_due, milestone.documents_sent
    if sent is not None:
        if due is None or sent <= due:
            return Papers(PapersState.SENT_ON_TIME, due, sent)
        return Papers(PapersState.SENT_LATE, due, sent, (sent - due).days)
    if due is None:
        return Papers(PapersState.NOT_NEEDED, None, None)
    if not milestone.status.is_open:
        return Papers(PapersState.NOT_SENT, due, None)
    if due < today:
        return Papers(PapersState.OVERDUE, due, None, (today - due).days)
    return Papers(PapersState.DUE, due, None, (due - today).days)


# --- the next board moment ---------------------------------------------------------------------


@dataclass(frozen=True)
class NextMoment:
    """The first open board moment from a day on, with days to go and its papers."""

    milestone: Milestone
    today: dt.date
    days_to_go: int
    papers: Papers


def next_moment(milestones: Iterable[Milestone], today: dt.date) -> NextMoment | None:
    found = timeline.next_board_moment(milestones, today)
    if found is None:
        return None
    return NextMoment(found, today, (found.date - today).days, papers(found, today))


# --- the route ---------------------------------------------------------------------------------


def route(
    milestone: Milestone,
    by_id: Mapping[int, Milestone],
    followers: Mapping[int, Sequence[Milestone]],
) -> list[Milestone]:
    """Everything ``milestone`` (transitively) waits for, itself, then everything that waits
    for it: the whole route of a decision, each part in date order."""
    before = timeline.chain(milestone, by_id)
    after: dict[int, Milestone] = {}
    frontier = [milestone.id]
    while frontier:
        for other in followers.get(frontier.pop(), ()):
            if other.id not in after and other.id != milestone.id:
                after[other.id] = other
                frontier.append(other.id)
    return before + sorted(after.values(), key=lambda m: (m.date, m.id))


# --- warnings ----------------------------------------------------------------------------------


class WarningKind(StrEnum):
    STALE = "stale"  # date passed, status still open
    PAPERS_LATE = "papers_late"  # a meeting ahead whose papers are past due and not sent
    DOCUMENTS_SOON = "documents_soon"  # papers due within DOCUMENTS_SOON_DAYS
    OVERDUE = "overdue"  # an action or agreement past its deadline
    CONFLICT = "conflict"  # a step that cannot happen as planned because of one it waits for
    PAPERS_BEFORE_DECISION = "papers_before_decision"  # papers due before the step they wait for
    SLIP = "slip"  # date moved against the first committed date


class ConflictReason(StrEnum):
    CANCELLED = "cancelled"  # waits for a cancelled step
    NOT_AFTER = "not_after"  # planned on or before the step it waits for
    POSTPONED = "postponed"  # waits for a postponed step


@dataclass(frozen=True)
class Warning:
    """One warning: what it is about and the numbers its sentence needs.

    ``milestone`` or ``action`` is the subject; ``other`` the step a conflict is about.
    ``days``: days late (overdue, papers late), days to the deadline (documents soon) or the
    slip in days (positive = later). ``papers``: the papers state of a papers warning, whose
    lateness in working days its sentence gives.
    """

    kind: WarningKind
    milestone: Milestone | None = None
    action: Action | None = None
    other: Milestone | None = None
    reason: ConflictReason | None = None
    days: int = 0
    papers: Papers | None = None

    @property
    def subject_id(self) -> tuple[str, int]:
        """The record the warning is about, as (entity, id)."""
        if self.action is not None:
            return "action", self.action.id
        assert self.milestone is not None
        return "milestone", self.milestone.id

    @property
    def is_agreement(self) -> bool:
        return self.action is not None and self.action.kind == ActionKind.AGREEMENT


def conflicts(milestones: Sequence[Milestone]) -> list[Warning]:
    """Route problems: a step planned on or before the step it waits for, or waiting for a
    cancelled or postponed one."""
    by_id = {m.id: m for m in milestones}
    found = []
    for milestone in milestones:
        if not milestone.status.is_open:
            continue
        for dep_id in milestone.depends_on:
            dep = by_id.get(dep_id)
            if dep is None:
                continue
            if dep.status == Status.CANCELLED:
                reason = ConflictReason.CANCELLED
            elif dep.date >= milestone.date:
                reason = ConflictReason.NOT_AFTER
            elif dep.status == Status.POSTPONED:
                reason = ConflictReason.POSTPONED
            else:
                continue
            found.append(Warning(WarningKind.CONFLICT, milestone, other=dep, reason=reason))
    return found


def papers_before_decision(milestones: Sequence[Milestone]) -> list[Warning]:
    """Open steps whose papers are due before a step they wait for has taken place: after the
    DB moves from 26 nov to 3 dec, the AB papers due 2 dec cannot carry the DB's agreement."""
    by_id = {m.id: m for m in milestones}
    found = []
    for milestone in milestones:
        due = milestone.documents_due
        if not milestone.status.is_open or due is None or milestone.documents_sent is not None:
            continue
        for dep_id in milestone.depends_on:
            dep = by_id.get(dep_id)
            if dep is None or not dep.status.is_open:
                continue
            # A step dated on or after this one is already a conflict; say it once.
            if due < dep.date < milestone.date:
                found.append(
                    Warning(
                        WarningKind.PAPERS_BEFORE_DECISION,
                        milestone,
                        other=dep,
                        days=(dep.date - due).days,
                    )
                )
    return found


def warnings(
    milestones: Sequence[Milestone],
    actions: Iterable[Action],
    today: dt.date,
    *,
    slips: bool = True,
) -> list[Warning]:
    """Every warning that stands on ``today``, grouped by kind in a fixed order.

    ``slips=False`` leaves the slips out, for a page that lists them in a section of their own.
    """
    found: list[Warning] = [
        Warning(WarningKind.STALE, m) for m in timeline.stale(milestones, today)
    ]
    for m in timeline.upcoming(milestones, today):
        state = papers(m, today)
        if state.state == PapersState.OVERDUE:
            found.append(Warning(WarningKind.PAPERS_LATE, m, days=state.days, papers=state))
    for m in timeline.documents_due_soon(milestones, today, DOCUMENTS_SOON_DAYS):
        assert m.documents_due is not None
        found.append(Warning(WarningKind.DOCUMENTS_SOON, m, days=(m.documents_due - today).days))
    for a in timeline.overdue_actions(actions, today):
        assert a.due_date is not None
        found.append(Warning(WarningKind.OVERDUE, action=a, days=(today - a.due_date).days))
    found.extend(conflicts(milestones))
    found.extend(papers_before_decision(milestones))
    if slips:
        found.extend(
            Warning(WarningKind.SLIP, m, days=m.slip_days) for m in timeline.slipped(milestones)
        )
    return found


# Most pressing first: what must happen within days, then what blocks the route, then what is
# merely out of date. A screen with room for a few lines shows these first.
URGENCY = (
    WarningKind.PAPERS_LATE,
    WarningKind.DOCUMENTS_SOON,
    WarningKind.PAPERS_BEFORE_DECISION,
    WarningKind.CONFLICT,
    WarningKind.OVERDUE,
    WarningKind.STALE,
    WarningKind.SLIP,
)


def by_urgency(found: Iterable[Warning]) -> list[Warning]:
    """The warnings most pressing first; within a kind, in the order they came."""
    rank = {kind: index for index, kind in enumerate(URGENCY)}
    return sorted(found, key=lambda w: rank[w.kind])


def warnings_about(found: Iterable[Warning], entity: str, record_id: int) -> list[Warning]:
    """The warnings whose subject is this record."""
    return [w for w in found if w.subject_id == (entity, record_id)]


# --- goals -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalRollup:
    """How a strategic goal is doing: its health and its actions and milestones, counted."""

    goal: Goal
    actions_total: int
    actions_open: int
    actions_done: int
    overdue: int
    done_this_week: tuple[Action, ...]
    milestones: tuple[Milestone, ...]
    milestones_done: int  # steps already taken

    @property
    def health(self) -> Health | None:
        return self.goal.health

    @property
    def reason(self) -> str:
        return self.goal.health_reason


def goal_rollups(
    goals: Iterable[Goal],
    actions: Sequence[Action],
    milestones: Sequence[Milestone],
    today: dt.date,
    done_this_week: Iterable[int] = (),
) -> list[GoalRollup]:
    """One roll-up per goal; ``done_this_week`` are the ids of actions done in the week."""
    done_ids = set(done_this_week)
    by_goal: dict[int | None, list[Action]] = {}
    for action in actions:
        by_goal.setdefault(action.goal_id, []).append(action)
    steps: dict[int, list[Milestone]] = {}
    for milestone in milestones:
        for goal_id in milestone.goal_ids:
            steps.setdefault(goal_id, []).append(milestone)
    result = []
    for goal in goals:
        own = by_goal.get(goal.id, [])
        linked = steps.get(goal.id, [])
        result.append(
            GoalRollup(
                goal=goal,
                actions_total=len(own),
                actions_open=sum(1 for a in own if a.status.is_open),
                actions_done=sum(1 for a in own if a.status == Status.DONE),
                overdue=sum(1 for a in own if a.is_overdue(today)),
                done_this_week=tuple(a for a in own if a.id in done_ids),
                milestones=tuple(linked),
                milestones_done=sum(1 for m in linked if m.status == Status.DONE),
            )
        )
    return result


def overall_health(goals: Iterable[Goal], milestones: Iterable[Milestone]) -> Health | None:
    """Worst of the goals' health and the health of open milestones."""
    return timeline.overall_health(goals, milestones)


_SEVERITY = {Health.OFF_TRACK: 3, Health.AT_RISK: 2, Health.ON_TRACK: 1}


def overall_drivers(
    goals: Iterable[Goal], milestones: Iterable[Milestone]
) -> tuple[Goal | Milestone, ...]:
    """The goals and open milestones whose health is the overall health: why it is what it is.

    Goals first (by number), then milestones by date; empty when no health is set.
    """
    goals = list(goals)
    open_milestones = [m for m in milestones if m.status.is_open and m.health is not None]
    overall = overall_health(goals, open_milestones)
    if overall is None:
        return ()
    return (
        *sorted((g for g in goals if g.health == overall), key=lambda g: g.number),
        *sorted((m for m in open_milestones if m.health == overall), key=lambda m: (m.date, m.id)),
    )


def stale_agreements(actions: Iterable[Action], today: dt.date) -> dict[int, int]:
    """Open agreements whose deadline passed in an earlier year, counted per year: the ones to
    re-plan ("herijken") rather than chase."""
    found: dict[int, int] = {}
    for action in actions:
        if (
            action.kind == ActionKind.AGREEMENT
            and action.due_date is not None
            and action.due_date.year < today.year
            and action.is_overdue(today)
        ):
            found[action.due_date.year] = found.get(action.due_date.year, 0) + 1
    return dict(sorted(found.items()))


# --- benefits ----------------------------------------------------------------------------------

_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")


def measurement_number(value: str) -> float | None:
    """The number a measurement holds, as people write it: ``62%``, ``5,2 %``, ``€ 1.3`` and
    ``-4`` give 62, 5.2, 1.3 and -4; None when it holds no number (``ja``, ``in gesprek``)."""
    found = _NUMBER.search(value)
    return float(found.group().replace(",", ".")) if found else None


class Trend(StrEnum):
    UP = "up"
    DOWN = "down"
    SAME = "same"


@dataclass(frozen=True)
class BenefitTrend:
    """Which way a benefit's latest measurement went against the one before it."""

    trend: Trend
    latest: Measurement
    previous: Measurement


def benefit_trend(benefit: Benefit) -> BenefitTrend | None:
    """The latest measurement trend: the last two measurements (by date, then as recorded)
    compared by their numbers; None with fewer than two, or when either holds no number.
    Whether up is good (a benefit achieved) or bad (sick leave) is the reader's to judge."""
    ordered = sorted(benefit.measurements, key=lambda m: (m.date, m.id))
    if len(ordered) < 2:
        return None
    previous, latest = ordered[-2], ordered[-1]
    before, now = measurement_number(previous.value), measurement_number(latest.value)
    if before is None or now is None:
        return None
    trend = Trend.UP if now > before else Trend.DOWN if now < before else Trend.SAME
    return BenefitTrend(trend, latest, previous)


# --- the journal as change events --------------------------------------------------------------


class ChangeKind(StrEnum):
    CREATED = "created"
    REMOVED = "removed"
    MOVED = "moved"  # a milestone's date changed
    STATUS = "status"
    FIELD = "field"  # any other field
    MEASUREMENT = "measurement"  # a benefit measured
    SETTING = "setting"
    SYSTEM = "system"  # the tracker itself: "database gevuld", a migration


# Fields a board report leaves out: they are the programme office's own working notes.
INTERNAL_FIELDS = frozenset({"notes", "health_reason", "sequence", "published"})


@dataclass(frozen=True)
class ChangeEvent:
    """One journal row, typed: what changed on which record, old → new as stored."""

    kind: ChangeKind
    entry: JournalEntry
    title: str = ""  # the record's title now (or as removed)
    body: str = ""  # a milestone's body, for "DB 26 nov verschoven …"
    old_date: dt.date | None = None
    new_date: dt.date | None = None

    @property
    def entity(self) -> str:
        return self.entry.entity

    @property
    def entity_id(self) -> int | None:
        return self.entry.entity_id

    @property
    def field(self) -> str | None:
        return self.entry.field

    @property
    def old(self) -> str | None:
        return self.entry.old

    @property
    def new(self) -> str | None:
        return self.entry.new

    @property
    def note(self) -> str:
        return self.entry.note

    @property
    def at(self) -> dt.datetime:
        return self.entry.at

    @property
    def days(self) -> int:
        """How far a date moved (positive = later); 0 for anything else."""
        if self.old_date is None or self.new_date is None:
            return 0
        return (self.new_date - self.old_date).days

    @property
    def system(self) -> bool:
        return self.kind == ChangeKind.SYSTEM

    @property
    def internal(self) -> bool:
        """A change a board report may leave out (working notes, bookkeeping)."""
        return self.system or (self.field in INTERNAL_FIELDS)


def _iso_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def change_event(
    entry: JournalEntry,
    titles: Mapping[tuple[str, int], str] | None = None,
    milestones: Mapping[int, Milestone] | None = None,
) -> ChangeEvent:
    """The typed meaning of one journal row. ``titles`` and ``milestones`` give the record's
    current title and body; without them only what the row itself says is known."""
    title = ""
    if entry.entity_id is not None and titles is not None:
        title = titles.get((entry.entity, entry.entity_id), "")
    body = ""
    if entry.entity == "milestone" and entry.entity_id is not None and milestones is not None:
        found = milestones.get(entry.entity_id)
        if found is not None:
            body, title = found.body, title or found.title
    if entry.entity in ("database", "calendar"):  # the tracker's own rows, e.g. an export
        return ChangeEvent(ChangeKind.SYSTEM, entry, title, body)
    if entry.entity == "setting":
        return ChangeEvent(ChangeKind.SETTING, entry)
    if entry.field is None:
        if entry.new is not None or entry.old is None:
            return ChangeEvent(ChangeKind.CREATED, entry, title or entry.new or "", body)
        return ChangeEvent(ChangeKind.REMOVED, entry, entry.old or title, body)
    if entry.field == "measurement":
        return ChangeEvent(ChangeKind.MEASUREMENT, entry, title, body)
    if entry.field == "status":
        return ChangeEvent(ChangeKind.STATUS, entry, title, body)
    if entry.entity == "milestone" and entry.field == "date":
        old, new = _iso_date(entry.old), _iso_date(entry.new)
        if old is not None and new is not None:
            return ChangeEvent(ChangeKind.MOVED, entry, title, body, old, new)
    return ChangeEvent(ChangeKind.FIELD, entry, title, body)


# --- agreements over time ----------------------------------------------------------------------


@dataclass(frozen=True)
class ActionHistory:
    """What the journal tells about an action: how often its deadline moved, when it closed."""

    deadline_moves: int = 0
    closed_on: dt.date | None = None  # the day (Amsterdam) it last became done or cancelled


def action_histories(journal: Iterable[JournalEntry]) -> dict[int, ActionHistory]:
    """Per action id, from its journal rows: every change of ``due_date`` after it was made
    counts as a move."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(dates.TIMEZONE)
    moves: dict[int, int] = {}
    closed: dict[int, dt.date] = {}
    for entry in journal:
        if entry.entity != "action" or entry.entity_id is None:
            continue
        if entry.field == "due_date":
            moves[entry.entity_id] = moves.get(entry.entity_id, 0) + 1
        if entry.field == "status" and entry.new in (Status.DONE.value, Status.CANCELLED.value):
            closed[entry.entity_id] = entry.at.astimezone(zone).date()
    return {
        action_id: ActionHistory(moves.get(action_id, 0), closed.get(action_id))
        for action_id in moves.keys() | closed.keys()
    }
