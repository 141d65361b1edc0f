"""The weekly status report: what the directie and the DB read each week about Gezond Vooruit!.

:func:`build_weekly` turns a :class:`~hecht_tracker.core.snapshot.Snapshot` into one
:class:`~hecht_tracker.render.report.model.WeeklyReport` (frozen dataclasses: the typed facts of
:mod:`hecht_tracker.core.status` with their Dutch wording from :mod:`hecht_tracker.text.status`);
the renderers in this package turn that one object into text, Markdown, HTML or PDF. Everything
is a function of the snapshot and the report week, so the same input gives byte-identical output
(the CLI, cron and the TUI all call :func:`render_weekly`).

Choices the issue leaves open, written down here and in the README:

- Statuses in the database are current, not historic. Sections about state (next board moment,
  coming weeks, days to go, papers, warnings, open agreements) all look from ``as_of``: today, or the Monday
  of the report week when that week lies ahead. Sections about events (completed milestones,
  actions done, changes) come from the journal and are bounded by the report week, Monday 00:00
  to Monday 00:00 in Europe/Amsterdam.
- "The coming six weeks" are the 42 days from ``as_of``. Decisions are listed for every open
  milestone ahead that asks one, however far: the board plans further than six weeks.
- One place per fact: what the first half page says is not said again below it. Papers past
  their deadline and papers due within the week are actions ("Actie nodig deze week", with the
  lateness in working days); the warnings section leaves those warnings out and says in one
  line how many it left out and where they stand. Papers due before the step they wait for
  are said with those papers when they are to be sent this week, else as a warning. Everything
  else (stale milestones, route conflicts, overdue actions) is only a warning, and
  the agreements of earlier years are one grouped line, not one warning each.
- Besides the four warnings of the issue, the report warns when papers for a meeting ahead are
  past their due date and have not gone out: that is exactly what quick win 1 is about.
- At most :data:`MAX_CHANGES` journal rows, :data:`MAX_WARNINGS_PER_GROUP` warnings of a kind
  and :data:`MAX_TABLE_ROWS` rows of the coming weeks, slips, decisions and open agreements are
  shown; the rest is counted, so a week with a large import, or a database of ten thousand
  milestones, still prints on a few pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from hecht_tracker.core import dates, kinds, status, timeline
from hecht_tracker.core.model import (
    BODY_NAMES,
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
from hecht_tracker.core.snapshot import Snapshot
from hecht_tracker.render.report.model import (
    COMING_DAYS,
    DEFAULT_PROGRAMME,
    EXTENSIONS,
    FORMATS,
    MAX_CHANGES,
    MAX_MEASUREMENTS,
    MAX_TABLE_ROWS,
    MAX_TIMELINE_POINTS,
    MAX_WARNINGS_PER_GROUP,
    ActionNeeded,
    AgreementLine,
    BenefitLine,
    CategoryTally,
    Change,
    Decision,
    Format,
    GoalStatus,
    MeasurementLine,
    MilestoneLine,
    NextMoment,
    RecordChanges,
    Slip,
    TimelinePoint,
    Warning,
    WeeklyReport,
)
from hecht_tracker.text import status as wording

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "Format",
    "WeeklyReport",
    "build_weekly",
    "default_filename",
    "render",
    "render_weekly",
]


def health_text(health: Health | None) -> str:
    return wording.health(health)


def build_weekly(snapshot: Snapshot, week_monday: dt.date) -> WeeklyReport:
    """Collect the weekly report for the ISO week starting ``week_monday``, as seen on the
    snapshot's "today". The snapshot's journal must cover the week (rows outside it are left
    out); its ``date_moves`` tell since when a slipped milestone moved."""
    today = snapshot.today
    week_monday = dates.week_start(week_monday)
    week_start, week_end = dates.week_bounds(week_monday)
    as_of = max(today, week_monday)
    settings = snapshot.settings
    programmes = snapshot.programmes
    milestones = snapshot.milestones
    by_id = snapshot.milestones_by_id
    goals = snapshot.goals
    actions = snapshot.actions
    benefits = snapshot.benefits
    journal = [e for e in snapshot.journal if week_start <= e.at < week_end]

    programme = programmes[0].name if programmes else DEFAULT_PROGRAMME
    week_number = week_monday.isocalendar()[1]
    title = (
        f"{settings.organisation} — {programme} statusrapport week {week_number} "
        f"({dates.format_week_range(week_monday)})"
    )
    lines: dict[int, MilestoneLine] = {}

    def line(m: Milestone) -> MilestoneLine:
        found = lines.get(m.id)
        if found is None:
            found = lines[m.id] = _milestone_line(m, as_of)
        return found

    moment = status.next_moment(milestones, as_of)
    next_moment = None
    if moment is not None:
        board = moment.milestone
        route = status.route(board, by_id, snapshot.followers)
        next_moment = NextMoment(
            milestone=line(board),
            body_name=BODY_NAMES.get(board.body, board.body),
            days_to_go=moment.days_to_go,
            days_text=dates.days_until(board.date, as_of),
            papers_late=moment.papers.late,
            route=tuple(line(m) for m in route),
            moment=moment,
        )

    done_rows = [e for e in journal if e.field == "status" and e.new == Status.DONE.value]
    completed_ids = list(dict.fromkeys(e.entity_id for e in done_rows if e.entity == "milestone"))
    actions_done = {e.entity_id for e in done_rows if e.entity == "action" and e.entity_id}

    horizon = as_of + dt.timedelta(days=COMING_DAYS - 1)
    ahead = timeline.upcoming(milestones, as_of)
    coming = [m for m in ahead if m.date <= horizon]

    slipped = timeline.slipped(milestones)
    asking = [m for m in ahead if m.decision]
    # Overdue first, so a table cut short still shows what is late.
    agreements = sorted(
        (a for a in actions if a.kind == ActionKind.AGREEMENT and a.status.is_open),
        key=lambda a: not a.is_overdue(as_of),
    )
    stale = status.stale_agreements(actions, as_of)
    needed = tuple(_actions_needed(snapshot, as_of, moment))
    said_above = {key for item in needed for key in item.covers}
    standing = [
        w
        for w in status.warnings(milestones, actions, as_of, slips=False)
        if not _stale(w, as_of)  # grouped per year instead, see stale_agreements
    ]
    warnings, warnings_hidden = _warnings([w for w in standing if not _above(w, said_above)])
    overall = status.overall_health(goals, milestones)
    rollups = status.goal_rollups(goals, actions, milestones, as_of, actions_done)
    report_timeline_start, report_timeline_end = _timeline_window(as_of)
    drivers = status.overall_drivers(goals, milestones)
    record_changes, records_changed = _record_changes(snapshot, journal)
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
        empty=snapshot.empty,
        next_moment=next_moment,
        overall_health=overall,
        overall_health_text=health_text(overall),
        goals=tuple(_goal_status(r) for r in rollups),
        loose_actions_open=sum(
            1
            for a in actions
            if a.goal_id is None and a.kind == ActionKind.ACTION and a.status.is_open
        ),
        completed=tuple(line(by_id[i]) for i in completed_ids if i is not None and i in by_id),
        coming=tuple(line(m) for m in coming[:MAX_TABLE_ROWS]),
        coming_until=dates.format_long(horizon),
        slips=tuple(_slip(m, line(m), snapshot.date_moves) for m in slipped[:MAX_TABLE_ROWS]),
        decisions=tuple(
            Decision(line(m), BODY_NAMES.get(m.body, m.body)) for m in asking[:MAX_TABLE_ROWS]
        ),
        warnings=warnings,
        warnings_total=len(warnings) + sum(count for _, count in warnings_hidden),
        warnings_hidden=warnings_hidden,
        changes=tuple(_change(snapshot.change(e)) for e in journal[:MAX_CHANGES]),
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
            for a in agreements[:MAX_TABLE_ROWS]
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
            for m in _timeline_milestones(
                milestones, report_timeline_start, report_timeline_end, as_of
            )
        ),
        status_word=health_text(overall),
        status_reason=_status_reason(overall, drivers),
        actions_needed=needed,
        warnings_above=sum(1 for w in standing if _above(w, said_above)),
        papers_assumption=_papers_assumption(moment, settings.documents_lead_days),
        record_changes=record_changes,
        record_changes_hidden=records_changed - len(record_changes),
        stale_agreements=tuple(stale.items()),
        benefit_context=_benefit_context(benefits, snapshot.programmes_by_id),
        hidden=_hidden(
            coming=len(coming),
            slips=len(slipped),
            decisions=len(asking),
            agreements=len(agreements),
        ),
    )


def _hidden(**totals: int) -> dict[str, int]:
    """Per capped table, how many rows it leaves out (only those that leave some out)."""
    return {
        name: total - MAX_TABLE_ROWS for name, total in totals.items() if total > MAX_TABLE_ROWS
    }


def render_weekly(snapshot: Snapshot, week_monday: dt.date, fmt: str) -> bytes:
    """The weekly report as bytes in ``fmt`` (text, markdown, html or pdf)."""
    return render(build_weekly(snapshot, week_monday), fmt)


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

WEEK_DAYS = 7


def _stale(warning: status.Warning, today: dt.date) -> bool:
    action = warning.action
    return (
        warning.kind == status.WarningKind.OVERDUE
        and warning.is_agreement
        and action is not None
        and action.due_date is not None
        and action.due_date.year < today.year
    )


def _above(warning: status.Warning, said_above: set[tuple[status.WarningKind, int]]) -> bool:
    """Whether "Actie nodig deze week" already says this warning (see the module docstring)."""
    return warning.milestone is not None and (warning.kind, warning.milestone.id) in said_above


def _status_reason(overall: Health | None, drivers: Sequence[Goal | Milestone]) -> str:
    """One sentence: which goal or milestone sets the overall health, and its reason."""
    if overall is None:
        return "Voor de doelen en mijlpalen is nog geen koers vastgesteld."
    parts = []
    for record in drivers[:3]:
        if isinstance(record, Milestone):
            name = f"{record.body} {dates.format_long(record.date)} ({record.title})"
        else:
            name = f"doel {record.number} ({record.title})"
        reason = f": {record.health_reason}" if record.health_reason else ""
        parts.append(f"{name}{reason}")
    more = len(drivers) - len(parts)
    tail = f" en nog {more}" if more > 0 else ""
    verb = "staat" if len(drivers) == 1 else "staan"
    return f"Koers {overall.label}: {'; '.join(parts)}{tail} {verb} {overall.label}."


def _actions_needed(
    snapshot: Snapshot, as_of: dt.date, moment: status.NextMoment | None
) -> list[ActionNeeded]:
    """What must happen in the seven days from ``as_of``, and who does it."""
    office = snapshot.settings.organizer_name
    week_end = as_of + dt.timedelta(days=WEEK_DAYS - 1)
    # Papers due before a step they wait for: said with the papers to send, where it matters.
    early = {
        w.milestone.id: w
        for w in status.papers_before_decision(snapshot.milestones)
        if w.milestone is not None
    }
    found: list[ActionNeeded] = []
    for m in timeline.upcoming(snapshot.milestones, as_of):
        state = status.papers(m, as_of)
        problem = early.get(m.id)
        but = f" — let op: {wording.before_decision(problem)}" if problem else ""
        also = ((status.WarningKind.PAPERS_BEFORE_DECISION, m.id),) if problem else ()
        if state.state == status.PapersState.OVERDUE:
            found.append(
                ActionNeeded(
                    f"Stukken voor {_subject(m)} versturen: uiterlijk "
                    f"{dates.format_long(state.due or m.date)}, nu {wording.lateness(state)}{but}",
                    office,
                    covers=((status.WarningKind.PAPERS_LATE, m.id), *also),
                )
            )
        elif state.state == status.PapersState.DUE and state.due and state.due <= week_end:
            found.append(
                ActionNeeded(
                    f"Stukken voor {_subject(m)} versturen, uiterlijk "
                    f"{dates.format_long(state.due)}{but}",
                    office,
                    covers=((status.WarningKind.DOCUMENTS_SOON, m.id), *also),
                )
            )
        if m.decision and m.date <= week_end and timeline.is_board_moment(m):
            found.append(ActionNeeded(f"Besluit in {_subject(m)}: {m.decision}", m.body))
    for a in snapshot.actions:
        if not a.status.is_open or a.due_date is None or a.due_date > week_end:
            continue
        if a.due_date.year < as_of.year and a.kind == ActionKind.AGREEMENT:
            continue  # stale: grouped under the warnings as one question
        late = (as_of - a.due_date).days
        when = (
            f"deadline {dates.format_long(a.due_date)}, {wording.days(late)} te laat"
            if late > 0
            else f"deadline {dates.format_long(a.due_date)}"
        )
        found.append(ActionNeeded(f"{a.title} ({when})", a.owner or "geen eigenaar"))
    return found


def _subject(m: Milestone) -> str:
    """A milestone as an action names it ("AB do 3 dec 2026"): worded only for an action
    said, since most milestones ahead need nothing this week."""
    return f"{m.body} {dates.format_long(m.date)}"


def _papers_assumption(moment: status.NextMoment | None, lead_days: Mapping[str, int]) -> str:
    """The papers deadline is an assumption unless set by hand: say so, and which one."""
    if moment is None:
        return ""
    m = moment.milestone
    if m.documents_due is None or not m.documents_due_is_default:
        return ""
    days = lead_days.get(m.body)
    if days is None:
        return ""
    return f"aanname: stukken {days} werkdagen vóór het {m.body}"


def _record_changes(
    snapshot: Snapshot, journal: Sequence[JournalEntry]
) -> tuple[tuple[RecordChanges, ...], int]:
    """The week's changes per record, in sentences, for the first :data:`MAX_CHANGES` records
    changed (the tracker's own rows and settings left out), and how many records changed in
    all: a week with a large import names sixty and counts the rest."""
    grouped: dict[tuple[str, int | None], list[JournalEntry]] = {}
    for entry in journal:
        grouped.setdefault((entry.entity, entry.entity_id), []).append(entry)
    milestones = snapshot.milestones_by_id
    out: list[RecordChanges] = []
    changed = 0
    for (entity, record_id), entries in grouped.items():
        first = snapshot.change(entries[0])
        if first.system or first.kind == status.ChangeKind.SETTING:
            continue  # decided by the kind of record: the whole group is the tracker's own
        changed += 1
        if len(out) == MAX_CHANGES:
            continue
        found = [first, *(snapshot.change(e) for e in entries[1:])]
        m = milestones.get(record_id) if entity == "milestone" and record_id else None
        if m is not None:
            # A milestone moved in the week is named by the date it had before, as its readers
            # knew it: "DB do 26 nov 2026: … verschoven naar do 3 dec (+7 dagen)".
            moved = next((e for e in found if e.kind == status.ChangeKind.MOVED), None)
            day = moved.old_date if moved is not None and moved.old_date else m.date
            subject = f"{m.body} {dates.format_long(day)}: {m.title}"
        else:
            subject = f"{kinds.noun(entity).capitalize()} {first.title}".strip()
        out.append(RecordChanges(subject, tuple(wording.change_phrase(e) for e in found)))
    return tuple(out), changed


def _benefit_context(benefits: Sequence[Benefit], programmes: Mapping[int, Programme]) -> str:
    """The budget and period of the programme(s) the benefits belong to."""
    ids: dict[int, None] = dict.fromkeys(
        b.programme_id for b in benefits if b.programme_id is not None
    )
    parts = []
    for programme_id in ids:
        p = programmes.get(programme_id)
        if p is None:
            continue
        facts = ", ".join(x for x in (p.period, p.budget) if x)
        if facts:
            parts.append(f"{p.name}: {facts}")
    return "; ".join(parts)


def _local(moment: dt.datetime) -> dt.datetime:
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(dates.TIMEZONE))


def _milestone_line(milestone: Milestone, today: dt.date) -> MilestoneLine:
    from hecht_tracker.text.display import time_span

    papers = status.papers(milestone, today)
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
        papers=wording.papers(papers, today),
        decision=milestone.decision,
        papers_state=papers,
    )


def _goal_status(rollup: status.GoalRollup) -> GoalStatus:
    goal = rollup.goal
    return GoalStatus(
        number=goal.number,
        title=goal.title,
        health=goal.health,
        health_text=health_text(goal.health),
        health_reason=goal.health_reason,
        done_this_week=tuple(a.title for a in rollup.done_this_week),
        open_count=rollup.actions_open,
        overdue_count=rollup.overdue,
        rollup=rollup,
    )


def _slip(milestone: Milestone, line: MilestoneLine, date_moves: Mapping[int, dt.datetime]) -> Slip:
    moved = date_moves.get(milestone.id)
    since = dates.format_long(_local(moved).date()) if moved is not None else ""
    return Slip(
        milestone=line,
        baseline_text=dates.format_long(milestone.baseline_date or milestone.date),
        days=milestone.slip_days,
        since_text=since,
    )


def _warnings(
    found: Sequence[status.Warning],
) -> tuple[tuple[Warning, ...], tuple[tuple[str, int], ...]]:
    """The first warnings of each group, worded, and how many more each group has."""
    shown: list[Warning] = []
    per_group: dict[str, int] = {}
    for warning in found:
        heading = wording.warning_heading(warning)
        per_group[heading] = per_group.get(heading, 0) + 1
        if per_group[heading] <= MAX_WARNINGS_PER_GROUP:
            shown.append(_warning(warning, heading))
    hidden = tuple(
        (heading, count - MAX_WARNINGS_PER_GROUP)
        for heading, count in per_group.items()
        if count > MAX_WARNINGS_PER_GROUP
    )
    return tuple(shown), hidden


def _warning(warning: status.Warning, heading: str) -> Warning:
    return Warning(
        warning,
        heading,
        wording.warning_subject(warning),
        wording.warning_detail(warning),
    )


def _change(event: status.ChangeEvent) -> Change:
    when = _local(event.at)
    when_text = f"{dates.format_day_month(when.date())} {when:%H:%M}"
    note = wording.change_note(event)
    if event.kind == status.ChangeKind.SYSTEM:
        return Change(when_text, wording.change_subject(event), "", "", "", note, True)
    if event.kind == status.ChangeKind.SETTING:
        what, old, new = wording.change_cells(event)
        return Change(when_text, wording.change_subject(event), what, old, new, note)
    subject = f"{wording.change_subject(event)} {event.title}".strip()
    if event.kind in (status.ChangeKind.CREATED, status.ChangeKind.REMOVED):
        return Change(when_text, subject, wording.change_verb(event), "", "", note)
    what, old, new = wording.change_cells(event)
    return Change(when_text, subject, what, old, new, note, event.internal)


def _benefit_programmes(benefits: Sequence[Benefit], names: dict[int, str]) -> str:
    found = dict.fromkeys(
        names[b.programme_id]
        for b in benefits
        if b.programme_id is not None and b.programme_id in names
    )
    return ", ".join(found)


_CATEGORY_ORDER = list(BenefitCategory)


def _tallies(benefits: Sequence[Benefit]) -> list[CategoryTally]:
    result = []
    for category in _CATEGORY_ORDER:
        own = [b for b in benefits if b.category == category]
        if not own:
            continue

        def count(state: BenefitStatus, own: list[Benefit] = own) -> int:
            return sum(1 for b in own if b.status == state)

        result.append(
            CategoryTally(
                category=category,
                label=category.label,
                achieved=count(BenefitStatus.ACHIEVED),
                in_progress=count(BenefitStatus.IN_PROGRESS),
                expected=count(BenefitStatus.EXPECTED),
                not_achieved=count(BenefitStatus.NOT_ACHIEVED),
                benefits=tuple(_benefit_line(b) for b in own),
            )
        )
    return result


def _benefit_line(benefit: Benefit) -> BenefitLine:
    trend = status.benefit_trend(benefit)
    return BenefitLine(
        benefit.title,
        benefit.status,
        benefit.status.label,
        _latest_text(benefit),
        wording.trend_against(trend),
        trend,
    )


def _latest_text(benefit: Benefit) -> str:
    if not benefit.measurements:
        return ""
    latest = benefit.measurements[-1]
    return f"{latest.value} op {dates.format_short(latest.date)}"


def _latest_measurements(benefits: Sequence[Benefit]) -> list[MeasurementLine]:
    rows = [(m, b) for b in benefits for m in b.measurements]
    rows.sort(key=lambda pair: (pair[0].date, pair[0].id), reverse=True)
    return [
        MeasurementLine(dates.format_short(m.date), b.title, m.value, m.note)
        for m, b in rows[:MAX_MEASUREMENTS]
    ]


def _timeline_milestones(
    milestones: Sequence[Milestone], start: dt.date, end: dt.date, as_of: dt.date
) -> list[Milestone]:
    """The milestones the timeline draws: those in its window, at most
    :data:`MAX_TIMELINE_POINTS` (board moments first, then the nearest to ``as_of``), in date
    order. More labels than that no longer fit one printed page, however they are placed."""
    shown = [m for m in milestones if start <= m.date <= end]
    if len(shown) > MAX_TIMELINE_POINTS:
        nearest = sorted(
            shown,
            key=lambda m: (not timeline.is_board_moment(m), abs((m.date - as_of).days), m.id),
        )
        kept = {m.id for m in nearest[:MAX_TIMELINE_POINTS]}
        shown = [m for m in shown if m.id in kept]
    return shown


def _timeline_window(as_of: dt.date) -> tuple[dt.date, dt.date]:
    """From the first of the month five months back to the end of the month two ahead."""
    start_month = as_of.month - 5
    start = dt.date(as_of.year + (start_month - 1) // 12, (start_month - 1) % 12 + 1, 1)
    end_month = as_of.month + 3
    first_after = dt.date(as_of.year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1)
    return start, first_after - dt.timedelta(days=1)
