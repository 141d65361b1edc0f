"""The Dutch wording of the derived facts in :mod:`hecht_tracker.core.status`, one copy.

The CLI, the TUI and the weekly report print these sentences as they are, so a fact reads the
same wherever it appears.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from hecht_tracker.core import dates, kinds
from hecht_tracker.core.fields import FIELDS
from hecht_tracker.core.model import Health, LabelledEnum, Milestone
from hecht_tracker.core.status import (
    BenefitTrend,
    ChangeEvent,
    ChangeKind,
    ConflictReason,
    GoalRollup,
    NextMoment,
    Papers,
    PapersState,
    Trend,
    Warning,
    WarningKind,
)

NEXT_MOMENT_LABEL = "Volgend bestuursmoment"
NO_NEXT_MOMENT = "Er staat geen bestuursmoment meer gepland."
NO_HEALTH = "niet ingevuld"
EMPTY_VALUE = "(leeg)"


def days(count: int) -> str:
    """``1 dag``, ``3 dagen``."""
    return f"{count} {'dag' if abs(count) == 1 else 'dagen'}"


def working_days(count: int) -> str:
    """``1 werkdag``, ``3 werkdagen``."""
    return f"{count} {'werkdag' if abs(count) == 1 else 'werkdagen'}"


def health(value: Health | None) -> str:
    return NO_HEALTH if value is None else value.label


# --- papers ------------------------------------------------------------------------------------


def lateness(state: Papers) -> str:
    """``4 werkdagen te laat`` for papers sent late or past their deadline; else empty."""
    if not state.late:
        return ""
    return f"{working_days(state.working_days_late)} te laat"


def papers(state: Papers, today: dt.date) -> str:
    """``nog niet verstuurd, 4 werkdagen te laat``; empty when no papers are expected."""
    if state.state == PapersState.NOT_NEEDED:
        return ""
    sent = dates.format_short(state.sent)
    if state.state == PapersState.SENT_ON_TIME:
        return f"verstuurd op {sent}, op tijd"
    if state.state == PapersState.SENT_LATE:
        return f"verstuurd op {sent}, {lateness(state)}"
    if state.state == PapersState.NOT_SENT:
        return "niet verstuurd"
    if state.state == PapersState.OVERDUE:
        return f"nog niet verstuurd, {lateness(state)}"
    assert state.due is not None
    return f"nog niet verstuurd ({dates.days_until(state.due, today)})"


# --- the next board moment ---------------------------------------------------------------------


def next_moment_when(moment: NextMoment) -> str:
    """``DB do 26 nov 2026 (over 3 dagen)``."""
    m = moment.milestone
    return f"{m.body} {dates.format_long(m.date)} ({dates.days_until(m.date, moment.today)})"


def next_moment(moment: NextMoment | None) -> str:
    """``Volgend bestuursmoment: DB do 26 nov 2026 (over 3 dagen) — Akkoord …``."""
    if moment is None:
        return NO_NEXT_MOMENT
    return f"{NEXT_MOMENT_LABEL}: {next_moment_when(moment)} — {moment.milestone.title}"


# --- warnings ----------------------------------------------------------------------------------

_HEADINGS = {
    WarningKind.STALE: "Datum verstreken zonder statusupdate",
    WarningKind.PAPERS_LATE: "Stukken niet op tijd verstuurd",
    WarningKind.DOCUMENTS_SOON: "Stukken binnen 7 dagen",
    WarningKind.CONFLICT: "Conflict in de route",
    WarningKind.PAPERS_BEFORE_DECISION: "Stukken uiterlijk vóór de stap waar ze op wachten",
    WarningKind.SLIP: "Verschoven ten opzichte van de oorspronkelijke datum",
}

_REASONS = {
    ConflictReason.CANCELLED: "hangt af van een geannuleerde mijlpaal",
    ConflictReason.NOT_AFTER: "staat gepland op of vóór de stap waar het op wacht",
    ConflictReason.POSTPONED: "hangt af van een verschoven mijlpaal",
}


def warning_heading(warning: Warning) -> str:
    """The group a warning is listed under: ``Stukken binnen 7 dagen``."""
    if warning.kind == WarningKind.OVERDUE:
        return "Afspraak over de deadline" if warning.is_agreement else "Actie over de deadline"
    return _HEADINGS[warning.kind]


def milestone_subject(milestone: Milestone) -> str:
    """``DB do 26 nov 2026: Akkoord doorgeleiden strategisch werkplan``."""
    return f"{milestone.body} {dates.format_long(milestone.date)}: {milestone.title}"


def _step(milestone: Milestone) -> str:
    return f"{milestone.body} {dates.format_long(milestone.date)} ({milestone.title})"


def warning_subject(warning: Warning) -> str:
    if warning.action is not None:
        return warning.action.title
    assert warning.milestone is not None
    return milestone_subject(warning.milestone)


def warning_detail(warning: Warning) -> str:
    """What is wrong, with the numbers: ``stukken uiterlijk do 19 nov 2026, nog niet verstuurd``."""
    kind, m = warning.kind, warning.milestone
    if warning.action is not None:
        a = warning.action
        owner = f", eigenaar {a.owner}" if a.owner else ""
        return f"deadline {dates.format_short(a.due_date)} ({days(warning.days)} geleden){owner}"
    assert m is not None
    if kind == WarningKind.STALE:
        return f"status staat nog op '{m.status.label}'"
    if kind == WarningKind.PAPERS_LATE:
        assert m.documents_due is not None
        late = f", {lateness(warning.papers)}" if warning.papers is not None else ""
        return f"stukken uiterlijk {dates.format_long(m.documents_due)}, nog niet verstuurd{late}"
    if kind == WarningKind.DOCUMENTS_SOON:
        assert m.documents_due is not None
        due = m.documents_due
        return f"stukken uiterlijk {dates.format_long(due)} ({dates.days_until(due, due - dt.timedelta(days=warning.days))})"
    if kind == WarningKind.CONFLICT:
        assert warning.other is not None and warning.reason is not None
        return f"{_REASONS[warning.reason]}: {_step(warning.other)}"
    if kind == WarningKind.PAPERS_BEFORE_DECISION:
        assert m.documents_due is not None
        return f"stukken uiterlijk {dates.format_long(m.documents_due)}, {before_decision(warning)}"
    assert m.baseline_date is not None
    return f"{warning.days:+d} dagen t.o.v. {dates.format_long(m.baseline_date)}"


def before_decision(warning: Warning) -> str:
    """Why papers due before a step they wait for are a problem: ``1 dag vóór DB do 3 dec 2026
    (Akkoord …) waar deze stap op wacht``."""
    assert warning.other is not None
    return f"{days(warning.days)} vóór {_step(warning.other)} waar deze stap op wacht"


def warning(warning: Warning) -> str:
    """One line per warning: ``subject — detail``."""
    return f"{warning_subject(warning)} — {warning_detail(warning)}"


def warnings_summary(found: Iterable[Warning]) -> list[str]:
    """The two counts a headline shows: ``4 mijlpalen zonder statusupdate``, ``10 acties en
    afspraken te laat``; empty parts left out."""
    kinds_seen = [w.kind for w in found]
    stale = kinds_seen.count(WarningKind.STALE)
    overdue = kinds_seen.count(WarningKind.OVERDUE)
    parts = []
    if stale:
        parts.append(f"{stale} {'mijlpaal' if stale == 1 else 'mijlpalen'} zonder statusupdate")
    if overdue:
        noun = "actie of afspraak" if overdue == 1 else "acties en afspraken"
        parts.append(f"{overdue} {noun} te laat")
    return parts


# --- goals -------------------------------------------------------------------------------------


def goal_actions(rollup: GoalRollup) -> str:
    """``3 acties: 1 afgerond, 2 open, 1 te laat``; empty without actions."""
    if not rollup.actions_total:
        return ""
    noun = "actie" if rollup.actions_total == 1 else "acties"
    summary = (
        f"{rollup.actions_total} {noun}: {rollup.actions_done} afgerond, "
        f"{rollup.actions_total - rollup.actions_done} open"
    )
    if rollup.overdue:
        summary += f", {rollup.overdue} te laat"
    return summary


# --- benefits ----------------------------------------------------------------------------------

_TRENDS = {Trend.UP: "↑ stijgend", Trend.DOWN: "↓ dalend", Trend.SAME: "→ gelijk"}


def trend(found: BenefitTrend | None) -> str:
    """``↑ stijgend``, ``↓ dalend`` or ``→ gelijk``: an arrow and a word; empty without one."""
    return "" if found is None else _TRENDS[found.trend]


def trend_against(found: BenefitTrend | None) -> str:
    """The trend with the value it is measured against: ``↑ stijgend (was 55%)``."""
    return "" if found is None else f"{trend(found)} (was {found.previous.value})"


# --- the journal -------------------------------------------------------------------------------


def _shown(entity: str, field: str, value: str | None) -> str:
    """A stored journal value as people read it: dates, enum labels, lists."""
    if value is None or value == "":
        return EMPTY_VALUE
    spec = FIELDS.get(entity, {}).get(field)
    if spec is None:
        return value
    if spec.type == "date":
        try:
            return dates.format_short(dt.date.fromisoformat(value))
        except ValueError:
            return value
    if spec.type == "enum" and spec.enum is not None:
        try:
            member: LabelledEnum = spec.enum(value)
        except ValueError:
            return value
        return member.label
    if spec.type == "refs":
        return ", ".join(value.split(","))
    return value


def measurement_text(value: str) -> str:
    """``2026-11-24: 5%`` (as journalled) becomes ``24-11-2026: 5%``."""
    day, _, rest = value.partition(": ")
    try:
        return f"{dates.format_short(dt.date.fromisoformat(day))}: {rest}"
    except ValueError:
        return value


def change_cells(event: ChangeEvent) -> tuple[str, str, str]:
    """Dutch field label and the old and new value: ``("datum", "26-11-2026", "03-12-2026")``.

    A record made or removed has no field; its title stands in new or old.
    """
    entry = event.entry
    if event.kind in (ChangeKind.CREATED, ChangeKind.REMOVED, ChangeKind.SYSTEM):
        return "", entry.old or "", entry.new or ""
    if event.kind == ChangeKind.SETTING:
        return entry.field or "", entry.old or "", entry.new or ""
    if event.kind == ChangeKind.MEASUREMENT:
        return "meting", entry.old or "", measurement_text(entry.new or "")
    field = entry.field or ""
    spec = FIELDS.get(entry.entity, {}).get(field)
    if spec is None:
        return field, entry.old or "", entry.new or ""
    return (
        spec.label,
        _shown(entry.entity, field, entry.old),
        _shown(entry.entity, field, entry.new),
    )


def change_subject(event: ChangeEvent) -> str:
    """``mijlpaal 6``; a setting or the database by its noun alone."""
    noun = kinds.noun(event.entity)
    return noun if event.entity_id is None else f"{noun} {event.entity_id}"


def change_verb(event: ChangeEvent) -> str:
    """``aangemaakt`` / ``verwijderd`` for a record made or removed, else empty."""
    if event.kind == ChangeKind.CREATED:
        return "aangemaakt"
    if event.kind == ChangeKind.REMOVED:
        return "verwijderd"
    return ""


def change_note(event: ChangeEvent) -> str:
    """The note of a row, without one that only repeats the verb."""
    if event.kind in (ChangeKind.CREATED, ChangeKind.REMOVED) and event.note == change_verb(event):
        return ""
    return event.note


def journal_line(event: ChangeEvent) -> str:
    """One journal row: ``mijlpaal 6 datum: 26-11-2026 → 03-12-2026 (DB verplaatst)``."""
    subject = change_subject(event)
    note = change_note(event)
    suffix = f" ({note})" if note else ""
    if event.kind in (ChangeKind.CREATED, ChangeKind.REMOVED):
        return " ".join(p for p in (subject, change_verb(event), event.title) if p) + suffix
    if event.kind == ChangeKind.SYSTEM:
        return f"{subject}{suffix}"
    what, old, new = change_cells(event)
    old = "—" if old == EMPTY_VALUE or not old else old
    new = "—" if new == EMPTY_VALUE or not new else new
    return f"{subject} {what}: {old} → {new}{suffix}"


def change_sentence(event: ChangeEvent) -> str:
    """A change as a board member reads it: ``DB 26 nov verschoven naar do 3 dec (+7 dagen):
    DB verplaatst``."""
    note = f": {event.note}" if event.note else ""
    if event.kind == ChangeKind.MOVED:
        assert event.old_date is not None and event.new_date is not None
        old = dates.format_day_month(event.old_date).split(" ", 1)[1]  # "26 nov": no weekday
        return (
            f"{event.body} {old} verschoven naar {dates.format_day_month(event.new_date)} "
            f"({event.days:+d} {'dag' if abs(event.days) == 1 else 'dagen'}){note}"
        )
    return journal_line(event)


def change_phrase(event: ChangeEvent) -> str:
    """A change as part of a sentence about its record, without ids or system words:
    ``verschoven naar do 3 dec (+7 dagen): DB verplaatst``, ``status nu afgerond (was gepland)``,
    ``gemeten op 25-11-2026: 62% (tussenmeting)``."""
    note = f": {event.note}" if change_note(event) else ""
    if event.kind == ChangeKind.MOVED:
        assert event.new_date is not None
        amount = f"{event.days:+d} {'dag' if abs(event.days) == 1 else 'dagen'}"
        return f"verschoven naar {dates.format_day_month(event.new_date)} ({amount}){note}"
    if event.kind == ChangeKind.CREATED:
        return f"toegevoegd{note}"
    if event.kind == ChangeKind.REMOVED:
        return f"verwijderd{note}"
    what, old, new = change_cells(event)
    if event.kind == ChangeKind.MEASUREMENT:
        day, _, value = new.partition(": ")
        said = f" ({event.note})" if event.note else ""
        return f"gemeten op {day}: {value}{said}" if value else f"gemeten: {new}{said}"
    if event.kind == ChangeKind.STATUS:
        return f"status nu {new} (was {old}){note}"
    if old == EMPTY_VALUE:
        return f"{what} ingevuld: {new}{note}"
    if new == EMPTY_VALUE:
        return f"{what} leeggemaakt{note}"
    return f"{what} van {old} naar {new}{note}"
