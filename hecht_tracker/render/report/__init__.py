"""The weekly status report: what the directie and the DB read each week about Gezond Vooruit!.

:func:`build_weekly` collects the content from the store once (frozen dataclasses, Dutch text
already formatted); the renderers in this package turn that one object into text, Markdown,
HTML or PDF. Everything is a function of the database, "today" and the report week, so the same
input gives byte-identical output (the CLI, cron and the TUI all call :func:`render_weekly`).

Choices the issue leaves open, written down here and in the README:

- Statuses in the database are current, not historic. Sections about state (next board moment,
  coming weeks, days to go, papers, warnings, open agreements) all look from ``as_of``: today, or the Monday
  of the report week when that week lies ahead. Sections about events (completed milestones,
  actions done, changes) come from the journal and are bounded by the report week, Monday 00:00
  to Monday 00:00 in Europe/Amsterdam.
- "The coming six weeks" are the 42 days from ``as_of``. Decisions are listed for every open
  milestone ahead that asks one, however far: the board plans further than six weeks.
- Besides the four warnings of the issue, the report warns when papers for a meeting ahead are
  past their due date and have not gone out: that is exactly what quick win 1 is about.
- At most :data:`MAX_CHANGES` journal rows are shown; the rest is counted, so a week with a
  large import still prints on a few pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from hecht_tracker.core import dates, timeline
from hecht_tracker.core.model import (
    BODY_NAMES,
    Action,
    ActionKind,
    Benefit,
    BenefitCategory,
    BenefitStatus,
    Goal,
    Health,
    JournalEntry,
    Milestone,
    Programme,
    Status,
)
from hecht_tracker.text import display

if TYPE_CHECKING:
    from hecht_tracker.storage.store import Store

Format = Literal["text", "markdown", "html", "pdf"]
FORMATS: tuple[Format, ...] = ("text", "markdown", "html", "pdf")
EXTENSIONS: dict[Format, str] = {"text": "txt", "markdown": "md", "html": "html", "pdf": "pdf"}

COMING_DAYS = 42
DOCUMENTS_SOON_DAYS = 7
MAX_CHANGES = 60
MAX_MEASUREMENTS = 12
DEFAULT_PROGRAMME = "Gezond Vooruit!"


@dataclass(frozen=True)
class MilestoneLine:
    """One milestone as the report shows it."""

    id: int
    date: dt.date
    date_text: str  # "do 26 nov 2026"
    time_text: str  # "hele dag" or "14:00–16:00"
    body: str
    title: str
    kind: str
    status: Status
    health: Health | None
    health_text: str
    documents_due: str  # "19-11-2026" or ""
    papers: str  # "nog niet verstuurd (termijn verstreken)", ...
    decision: str


@dataclass(frozen=True)
class NextMoment:
    """The headline: the next board moment and the route it is part of."""

    milestone: MilestoneLine
    body_name: str  # "Dagelijks Bestuur"
    days_to_go: int
    days_text: str  # "over 3 dagen"
    papers_late: bool
    route: tuple[MilestoneLine, ...]


@dataclass(frozen=True)
class GoalStatus:
    number: int
    title: str
    health: Health | None
    health_text: str
    health_reason: str
    done_this_week: tuple[str, ...]
    open_count: int
    overdue_count: int


@dataclass(frozen=True)
class Slip:
    milestone: MilestoneLine
    baseline_text: str
    days: int
    since_text: str  # when the date was last moved, "" when the journal does not say


@dataclass(frozen=True)
class Decision:
    milestone: MilestoneLine
    body_name: str


@dataclass(frozen=True)
class Warning:
    kind: Literal["stale", "papers_late", "documents_soon", "overdue", "conflict"]
    heading: str
    subject: str
    detail: str


@dataclass(frozen=True)
class Change:
    when: str  # "ma 23 nov 14:05" in Europe/Amsterdam
    subject: str  # "mijlpaal 6 Akkoord doorgeleiden strategisch werkplan"
    what: str  # Dutch field label, or "aangemaakt" / "verwijderd"
    old: str
    new: str
    note: str


@dataclass(frozen=True)
class BenefitLine:
    title: str
    status: BenefitStatus
    status_text: str
    latest: str  # "5% (24-11-2026)" or ""


@dataclass(frozen=True)
class CategoryTally:
    category: BenefitCategory
    label: str
    achieved: int
    in_progress: int
    expected: int
    not_achieved: int
    benefits: tuple[BenefitLine, ...]

    @property
    def total(self) -> int:
        return self.achieved + self.in_progress + self.expected + self.not_achieved


@dataclass(frozen=True)
class MeasurementLine:
    date_text: str
    benefit: str
    value: str
    note: str


@dataclass(frozen=True)
class AgreementLine:
    id: int
    title: str
    owner: str
    due_text: str
    status_text: str
    overdue: bool


@dataclass(frozen=True)
class TimelinePoint:
    """A milestone on the HTML timeline: raw values, the renderer picks colours and places."""

    date: dt.date
    label: str
    health: Health | None
    status: Status
    board: bool


@dataclass(frozen=True)
class WeeklyReport:
    """Everything one weekly report says, ready for any renderer."""

    organisation: str
    programme: str
    title: str  # "Hecht — Gezond Vooruit! statusrapport week 48 (23–29 november 2026)"
    short_title: str  # "statusrapport week 48 2026" for page headers
    week_label: str  # "2026-W48"
    week_monday: dt.date
    today: dt.date
    as_of: dt.date
    made_on: str  # "maandag 23 november 2026"
    empty: bool
    next_moment: NextMoment | None
    overall_health: Health | None
    overall_health_text: str
    goals: tuple[GoalStatus, ...]
    loose_actions_open: int
    completed: tuple[MilestoneLine, ...]
    coming: tuple[MilestoneLine, ...]
    coming_until: str
    slips: tuple[Slip, ...]
    decisions: tuple[Decision, ...]
    warnings: tuple[Warning, ...]
    changes: tuple[Change, ...]
    changes_hidden: int
    benefit_programmes: str  # "Hecht24"
    categories: tuple[CategoryTally, ...]
    measurements: tuple[MeasurementLine, ...]
    agreements: tuple[AgreementLine, ...]
    timeline_start: dt.date
    timeline_end: dt.date
    timeline: tuple[TimelinePoint, ...]


def health_text(health: Health | None) -> str:
    return health.label if health is not None else "niet ingevuld"


def build_weekly(store: Store, today: dt.date, week_monday: dt.date) -> WeeklyReport:
    """Collect the weekly report for the ISO week starting ``week_monday``, as seen on ``today``."""
    week_monday = dates.week_start(week_monday)
    week_end = week_monday + dt.timedelta(days=7)
    as_of = max(today, week_monday)
    settings = store.settings()
    programmes = store.programmes()
    milestones = store.milestones()
    by_id = {m.id: m for m in milestones}
    goals = store.goals()
    actions = store.actions()
    benefits = store.benefits()
    journal = store.journal(since=_utc_midnight(week_monday), until=_utc_midnight(week_end))

    date_moves = {e.entity_id: e.at for e in store.journal(entity="milestone") if e.field == "date"}
    programme = programmes[0].name if programmes else DEFAULT_PROGRAMME
    week_number = week_monday.isocalendar()[1]
    title = (
        f"{settings.organisation} — {programme} statusrapport week {week_number} "
        f"({dates.format_week_range(week_monday)})"
    )
    lines = {m.id: _milestone_line(m, as_of) for m in milestones}

    next_board = timeline.next_board_moment(milestones, as_of)
    next_moment = None
    if next_board is not None:
        route = timeline.chain(next_board, by_id)
        route += _descendants(next_board, milestones)
        line = lines[next_board.id]
        next_moment = NextMoment(
            milestone=line,
            body_name=BODY_NAMES.get(next_board.body, next_board.body),
            days_to_go=(next_board.date - as_of).days,
            days_text=dates.days_until(next_board.date, as_of),
            papers_late=_papers_late(next_board, as_of),
            route=tuple(lines[m.id] for m in route),
        )

    done_rows = [e for e in journal if e.field == "status" and e.new == Status.DONE.value]
    completed_ids = list(dict.fromkeys(e.entity_id for e in done_rows if e.entity == "milestone"))
    actions_done = {e.entity_id for e in done_rows if e.entity == "action"}

    horizon = as_of + dt.timedelta(days=COMING_DAYS - 1)
    coming = [m for m in timeline.upcoming(milestones, as_of) if m.date <= horizon]
    ahead = timeline.upcoming(milestones, as_of)

    overall = timeline.overall_health(goals, milestones)
    titles = _titles(milestones, actions, benefits, goals, programmes)
    report_timeline_start, report_timeline_end = _timeline_window(as_of)
    return WeeklyReport(
        organisation=settings.organisation,
        programme=programme,
        title=title,
        short_title=f"{programme} statusrapport week {week_number} {week_monday.isocalendar()[0]}",
        week_label=dates.iso_week_label(week_monday),
        week_monday=week_monday,
        today=today,
        as_of=as_of,
        made_on=dates.format_full(today),
        empty=store.is_empty(),
        next_moment=next_moment,
        overall_health=overall,
        overall_health_text=health_text(overall),
        goals=tuple(_goal_status(g, actions, actions_done, as_of) for g in goals),
        loose_actions_open=sum(
            1
            for a in actions
            if a.goal_id is None and a.kind == ActionKind.ACTION and a.status.is_open
        ),
        completed=tuple(lines[i] for i in completed_ids if i is not None and i in lines),
        coming=tuple(lines[m.id] for m in coming),
        coming_until=dates.format_long(horizon),
        slips=tuple(_slip(m, lines[m.id], date_moves) for m in timeline.slipped(milestones)),
        decisions=tuple(
            Decision(lines[m.id], BODY_NAMES.get(m.body, m.body)) for m in ahead if m.decision
        ),
        warnings=tuple(_warnings(milestones, actions, as_of)),
        changes=tuple(_change(e, titles) for e in journal[:MAX_CHANGES]),
        changes_hidden=max(0, len(journal) - MAX_CHANGES),
        benefit_programmes=_benefit_programmes(benefits, {p.id: p.name for p in programmes}),
        categories=tuple(_tallies(benefits)),
        measurements=tuple(_latest_measurements(benefits)),
        agreements=tuple(
            AgreementLine(
                id=a.id,
                title=a.title,
                owner=a.owner,
                due_text=dates.format_short(a.due_date) or "geen datum",
                status_text=a.status.label,
                overdue=a.is_overdue(as_of),
            )
            for a in actions
            if a.kind == ActionKind.AGREEMENT and a.status.is_open
        ),
        timeline_start=report_timeline_start,
        timeline_end=report_timeline_end,
        timeline=tuple(
            TimelinePoint(
                date=m.date,
                label=f"{m.body} {dates.format_day_month(m.date)}",
                health=m.health,
                status=m.status,
                board=timeline.is_board_moment(m),
            )
            for m in milestones
            if report_timeline_start <= m.date <= report_timeline_end
        ),
    )


def render_weekly(store: Store, today: dt.date, week_monday: dt.date, fmt: str) -> bytes:
    """The weekly report as bytes in ``fmt`` (text, markdown, html or pdf)."""
    report = build_weekly(store, today, week_monday)
    return render(report, fmt)


def render(report: WeeklyReport, fmt: str) -> bytes:
    """Render an already built report; text formats come out as UTF-8."""
    if fmt == "text":
        from hecht_tracker.render.report.text import render_text

        return render_text(report).encode("utf-8")
    if fmt == "markdown":
        from hecht_tracker.render.report.markdown import render_markdown

        return render_markdown(report).encode("utf-8")
    if fmt == "html":
        from hecht_tracker.render.report.html import render_html

        return render_html(report).encode("utf-8")
    if fmt == "pdf":
        from hecht_tracker.render.report.pdf import render_pdf

        return render_pdf(report)
    from hecht_tracker.core.errors import ValidationError

    raise ValidationError(f"Onbekend formaat '{fmt}'. Kies uit: {', '.join(FORMATS)}.")


def default_filename(week_monday: dt.date, fmt: Format) -> str:
    """``weekrapport-2026-W48.pdf``: a name that sorts by week."""
    return f"weekrapport-{dates.iso_week_label(week_monday)}.{EXTENSIONS[fmt]}"


# --- collecting ------------------------------------------------------------------------------


def _utc_midnight(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in Amsterdam, as a UTC datetime (journal times are UTC)."""
    from zoneinfo import ZoneInfo

    local = dt.datetime.combine(day, dt.time.min, tzinfo=ZoneInfo(dates.TIMEZONE))
    return local.astimezone(dt.UTC)


def _local(moment: dt.datetime) -> dt.datetime:
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(dates.TIMEZONE))


def _papers(milestone: Milestone, today: dt.date) -> str:
    due, sent = milestone.documents_due, milestone.documents_sent
    if sent is not None:
        if due is None or sent <= due:
            return f"verstuurd op {dates.format_short(sent)}, op tijd"
        late = (sent - due).days
        return f"verstuurd op {dates.format_short(sent)}, {late} {_days(late)} te laat"
    if due is None:
        return ""
    if not milestone.status.is_open:
        return "niet verstuurd"
    if due < today:
        return "nog niet verstuurd, termijn verstreken"
    return f"nog niet verstuurd ({dates.days_until(due, today)})"


def _days(count: int) -> str:
    return "dag" if abs(count) == 1 else "dagen"


def _papers_late(milestone: Milestone, today: dt.date) -> bool:
    due, sent = milestone.documents_due, milestone.documents_sent
    if due is None:
        return False
    if sent is not None:
        return sent > due
    return due < today


def _milestone_line(milestone: Milestone, today: dt.date) -> MilestoneLine:
    from hecht_tracker.text.display import time_span

    return MilestoneLine(
        id=milestone.id,
        date=milestone.date,
        date_text=dates.format_long(milestone.date),
        time_text=time_span(milestone),
        body=milestone.body,
        title=milestone.title,
        kind=milestone.kind.label,
        status=milestone.status,
        health=milestone.health,
        health_text=health_text(milestone.health),
        documents_due=dates.format_short(milestone.documents_due),
        papers=_papers(milestone, today),
        decision=milestone.decision,
    )


def _descendants(start: Milestone, milestones: list[Milestone]) -> list[Milestone]:
    """Open milestones that (transitively) wait for ``start``: the rest of its route."""
    found: dict[int, Milestone] = {}
    frontier = [start.id]
    while frontier:
        current = frontier.pop()
        for other in milestones:
            if current in other.depends_on and other.id not in found and other.id != start.id:
                found[other.id] = other
                frontier.append(other.id)
    return sorted(found.values(), key=lambda m: (m.date, m.id))


def _goal_status(
    goal: Goal, actions: list[Action], done_this_week: set[int | None], today: dt.date
) -> GoalStatus:
    own = [a for a in actions if a.goal_id == goal.id]
    return GoalStatus(
        number=goal.number,
        title=goal.title,
        health=goal.health,
        health_text=health_text(goal.health),
        health_reason=goal.health_reason,
        done_this_week=tuple(a.title for a in own if a.id in done_this_week),
        open_count=sum(1 for a in own if a.status.is_open),
        overdue_count=sum(1 for a in own if a.is_overdue(today)),
    )


def _slip(
    milestone: Milestone, line: MilestoneLine, date_moves: dict[int | None, dt.datetime]
) -> Slip:
    moved = date_moves.get(milestone.id)
    since = dates.format_long(_local(moved).date()) if moved is not None else ""
    return Slip(
        milestone=line,
        baseline_text=dates.format_long(milestone.baseline_date or milestone.date),
        days=milestone.slip_days,
        since_text=since,
    )


def _warnings(milestones: list[Milestone], actions: list[Action], today: dt.date) -> list[Warning]:
    found: list[Warning] = []
    for m in timeline.stale(milestones, today):
        found.append(
            Warning(
                "stale",
                "Datum verstreken zonder statusupdate",
                f"{m.body} {dates.format_long(m.date)}: {m.title}",
                f"status staat nog op '{m.status.label}'",
            )
        )
    for m in timeline.upcoming(milestones, today):
        if m.documents_sent is None and m.documents_due is not None and m.documents_due < today:
            found.append(
                Warning(
                    "papers_late",
                    "Stukken niet op tijd verstuurd",
                    f"{m.body} {dates.format_long(m.date)}: {m.title}",
                    f"stukken uiterlijk {dates.format_long(m.documents_due)}, nog niet verstuurd",
                )
            )
    for m in timeline.documents_due_soon(milestones, today, DOCUMENTS_SOON_DAYS):
        assert m.documents_due is not None
        found.append(
            Warning(
                "documents_soon",
                "Stukken binnen 7 dagen",
                f"{m.body} {dates.format_long(m.date)}: {m.title}",
                f"stukken uiterlijk {dates.format_long(m.documents_due)} "
                f"({dates.days_until(m.documents_due, today)})",
            )
        )
    for a in timeline.overdue_actions(actions, today):
        assert a.due_date is not None
        late = (today - a.due_date).days
        owner = f", eigenaar {a.owner}" if a.owner else ""
        found.append(
            Warning(
                "overdue",
                "Afspraak over de deadline"
                if a.kind == ActionKind.AGREEMENT
                else "Actie over de deadline",
                a.title,
                f"deadline {dates.format_short(a.due_date)} ({late} {_days(late)} geleden){owner}",
            )
        )
    for conflict in timeline.dependency_conflicts(milestones):
        m, dep = conflict.milestone, conflict.depends_on
        found.append(
            Warning(
                "conflict",
                "Conflict in de route",
                f"{m.body} {dates.format_long(m.date)}: {m.title}",
                f"{conflict.reason}: {dep.body} {dates.format_long(dep.date)} ({dep.title})",
            )
        )
    return found


def _titles(
    milestones: list[Milestone],
    actions: list[Action],
    benefits: list[Benefit],
    goals: list[Goal],
    programmes: list[Programme],
) -> dict[tuple[str, int], str]:
    titles: dict[tuple[str, int], str] = {}
    for m in milestones:
        titles["milestone", m.id] = m.title
    for a in actions:
        titles["action", a.id] = a.title
    for b in benefits:
        titles["benefit", b.id] = b.title
    for g in goals:
        titles["goal", g.id] = g.title
    for p in programmes:
        titles["programme", p.id] = p.name
    return titles


def _change(entry: JournalEntry, titles: dict[tuple[str, int], str]) -> Change:
    noun = display.JOURNAL_NOUNS.get(entry.entity, entry.entity)
    when = _local(entry.at)
    when_text = f"{dates.format_day_month(when.date())} {when:%H:%M}"
    if entry.entity == "setting":
        return Change(
            when_text, noun, entry.field or "", entry.old or "", entry.new or "", entry.note
        )
    if entry.entity == "database":
        return Change(when_text, noun, "", "", "", entry.note)
    title = ""
    if entry.entity_id is not None:
        title = titles.get((entry.entity, entry.entity_id), "")
    if entry.field is None:
        if entry.new is not None or entry.old is None:
            what, title = "aangemaakt", title or entry.new or ""
        else:
            what, title = "verwijderd", entry.old or title
        subject = f"{noun} {entry.entity_id} {title}".strip()
        note = entry.note if entry.note not in ("aangemaakt", "verwijderd") else ""
        return Change(when_text, subject, what, "", "", note)
    subject = f"{noun} {entry.entity_id} {title}".strip()
    what, old, new = display.journal_change(entry)
    return Change(when_text, subject, what, old, new, entry.note)


def _benefit_programmes(benefits: list[Benefit], names: dict[int, str]) -> str:
    found = dict.fromkeys(
        names[b.programme_id]
        for b in benefits
        if b.programme_id is not None and b.programme_id in names
    )
    return ", ".join(found)


_CATEGORY_ORDER = list(BenefitCategory)


def _tallies(benefits: list[Benefit]) -> list[CategoryTally]:
    result = []
    for category in _CATEGORY_ORDER:
        own = [b for b in benefits if b.category == category]
        if not own:
            continue

        def count(status: BenefitStatus, own: list[Benefit] = own) -> int:
            return sum(1 for b in own if b.status == status)

        result.append(
            CategoryTally(
                category=category,
                label=category.label,
                achieved=count(BenefitStatus.ACHIEVED),
                in_progress=count(BenefitStatus.IN_PROGRESS),
                expected=count(BenefitStatus.EXPECTED),
                not_achieved=count(BenefitStatus.NOT_ACHIEVED),
                benefits=tuple(
                    BenefitLine(b.title, b.status, b.status.label, _latest_text(b)) for b in own
                ),
            )
        )
    return result


def _latest_text(benefit: Benefit) -> str:
    if not benefit.measurements:
        return ""
    latest = benefit.measurements[-1]
    return f"{latest.value} ({dates.format_short(latest.date)})"


def _latest_measurements(benefits: list[Benefit]) -> list[MeasurementLine]:
    rows = [(m, b) for b in benefits for m in b.measurements]
    rows.sort(key=lambda pair: (pair[0].date, pair[0].id), reverse=True)
    return [
        MeasurementLine(dates.format_short(m.date), b.title, m.value, m.note)
        for m, b in rows[:MAX_MEASUREMENTS]
    ]


def _timeline_window(as_of: dt.date) -> tuple[dt.date, dt.date]:
    """From the first of the month five months back to the end of the month two ahead."""
    start_month = as_of.month - 5
    start = dt.date(as_of.year + (start_month - 1) // 12, (start_month - 1) % 12 + 1, 1)
    end_month = as_of.month + 3
    first_after = dt.date(as_of.year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1)
    return start, first_after - dt.timedelta(days=1)
