"""The derived facts of core.status and their one Dutch wording, on the seeded database."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from hecht_tracker.core import kinds, status
from hecht_tracker.core.model import Milestone, Status
from hecht_tracker.core.status import ChangeKind, PapersState, WarningKind
from hecht_tracker.storage.snapshot import read_snapshot
from hecht_tracker.storage.store import Store
from hecht_tracker.text import status as wording
from tests.conftest import TODAY, FixedClock

DB_26_NOV = 6
AB_16_DEC = 7


def _move_db_to_3_december(store: Store, clock: FixedClock) -> None:
    clock.advance(days=21)  # into week 48
    store.update("milestone", DB_26_NOV, {"date": dt.date(2026, 12, 3)}, "DB verplaatst")


def _milestone(**changes: object) -> Milestone:
    base = Milestone(
        id=1,
        uid="x",
        title="Vergadering",
        date=dt.date(2026, 12, 16),
        body="AB",
        documents_due=dt.date(2026, 12, 2),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "state", "days", "sentence"),
    [
        ({"documents_due": None}, PapersState.NOT_NEEDED, 0, ""),
        ({}, PapersState.DUE, 9, "nog niet verstuurd (over 9 dagen)"),
        (
            {"documents_sent": dt.date(2026, 12, 1)},
            PapersState.SENT_ON_TIME,
            0,
            "verstuurd op 01-12-2026, op tijd",
        ),
        (
            {"documents_sent": dt.date(2026, 12, 3)},
            PapersState.SENT_LATE,
            1,
            "verstuurd op 03-12-2026, 1 werkdag te laat",
        ),
        (
            {"documents_due": dt.date(2026, 11, 20)},
            PapersState.OVERDUE,
            3,
            "nog niet verstuurd, 1 werkdag te laat",
        ),
        ({"status": Status.CANCELLED}, PapersState.NOT_SENT, 0, "niet verstuurd"),
    ],
)
def test_the_papers_state_carries_its_numbers_and_reads_as_one_sentence(
    changes: dict[str, object], state: PapersState, days: int, sentence: str
) -> None:
    papers = status.papers(_milestone(**changes), TODAY)
    assert (papers.state, papers.days) == (state, days)
    assert papers.late == (state in (PapersState.SENT_LATE, PapersState.OVERDUE))
    assert wording.papers(papers, TODAY) == sentence


@pytest.mark.parametrize(
    ("due", "sent", "today", "working_days", "sentence"),
    [
        # Due Friday 20 Nov, unsent on Monday 23 Nov: the weekend does not count.
        (dt.date(2026, 11, 20), None, dt.date(2026, 11, 23), 1, "1 werkdag te laat"),
        # Due Thursday 26 Nov, unsent on Monday 30 Nov: Friday and Monday.
        (dt.date(2026, 11, 26), None, dt.date(2026, 11, 30), 2, "2 werkdagen te laat"),
        # Due Thursday 24 Dec, sent Tuesday 29 Dec: Christmas (Friday 25) does not count.
        (dt.date(2026, 12, 24), dt.date(2026, 12, 29), TODAY, 2, "2 werkdagen te laat"),
        # Due Friday, sent on Saturday: late all the same, one working day.
        (dt.date(2026, 11, 20), dt.date(2026, 11, 21), TODAY, 1, "1 werkdag te laat"),
        # Not late: no lateness.
        (dt.date(2026, 12, 2), None, TODAY, 0, ""),
    ],
)
def test_papers_lateness_is_counted_in_dutch_working_days(
    due: dt.date, sent: dt.date | None, today: dt.date, working_days: int, sentence: str
) -> None:
    papers = status.papers(
        _milestone(date=dt.date(2027, 1, 13), documents_due=due, documents_sent=sent), today
    )
    assert papers.working_days_late == working_days
    assert wording.lateness(papers) == sentence


def test_moving_the_db_past_the_ab_papers_deadline_warns_about_the_ab_papers(
    store: Store, clock: FixedClock
) -> None:
    before = read_snapshot(store, TODAY)
    assert not [w for w in before.warnings if w.kind == WarningKind.PAPERS_BEFORE_DECISION]
    _move_db_to_3_december(store, clock)
    snapshot = read_snapshot(store, TODAY)
    found = [w for w in snapshot.warnings if w.kind == WarningKind.PAPERS_BEFORE_DECISION]
    assert [(w.milestone.id, w.other.id) for w in found if w.milestone and w.other] == [
        (AB_16_DEC, DB_26_NOV)
    ]
    assert wording.warning(found[0]) == (
        "AB wo 16 dec 2026: Vaststellen strategisch werkplan — stukken uiterlijk wo 2 dec 2026, "
        "1 dag vóór DB do 3 dec 2026 (Akkoord doorgeleiden strategisch werkplan) waar deze stap "
        "op wacht"
    )


def test_a_moved_milestone_is_a_slip_warning_with_its_days(store: Store, clock: FixedClock) -> None:
    _move_db_to_3_december(store, clock)
    snapshot = read_snapshot(store, TODAY)
    slips = [w for w in snapshot.warnings if w.kind == WarningKind.SLIP]
    assert [(w.milestone.id, w.days) for w in slips if w.milestone] == [(DB_26_NOV, 7)]
    assert wording.warning_detail(slips[0]) == "+7 dagen t.o.v. do 26 nov 2026"
    # A page with a section of its own for slips asks for the warnings without them.
    rest = status.warnings(snapshot.milestones, snapshot.actions, TODAY, slips=False)
    assert WarningKind.SLIP not in {w.kind for w in rest}


def test_a_step_dated_before_what_it_waits_for_is_a_conflict_once(store: Store) -> None:
    store.update("milestone", AB_16_DEC, {"date": dt.date(2026, 11, 25)})
    snapshot = read_snapshot(store, TODAY)
    about_ab = status.warnings_about(snapshot.warnings, "milestone", AB_16_DEC)
    kinds_seen = [w.kind for w in about_ab]
    assert WarningKind.CONFLICT in kinds_seen
    assert WarningKind.PAPERS_BEFORE_DECISION not in kinds_seen
    conflict = next(w for w in about_ab if w.kind == WarningKind.CONFLICT)
    assert conflict.reason == status.ConflictReason.NOT_AFTER
    assert wording.warning_detail(conflict).startswith(
        "staat gepland op of vóór de stap waar het op wacht: DB do 26 nov 2026"
    )


def test_the_next_board_moment_reads_with_days_to_go(store: Store) -> None:
    moment = read_snapshot(store, TODAY).next_moment
    assert moment is not None and moment.milestone.id == DB_26_NOV
    assert moment.days_to_go == 3 and moment.papers.state == PapersState.OVERDUE
    assert wording.next_moment(moment) == (
        "Volgend bestuursmoment: DB do 26 nov 2026 (over 3 dagen) — "
        "Akkoord doorgeleiden strategisch werkplan"
    )


def test_a_date_move_in_the_journal_is_a_typed_change_with_its_sentence(
    store: Store, clock: FixedClock
) -> None:
    _move_db_to_3_december(store, clock)
    snapshot = read_snapshot(store, TODAY, whole_journal=True)
    moves = [c for c in snapshot.changes() if c.kind == ChangeKind.MOVED]
    assert len(moves) == 1
    move = moves[0]
    assert (move.old_date, move.new_date, move.days) == (
        dt.date(2026, 11, 26),
        dt.date(2026, 12, 3),
        7,
    )
    assert (
        wording.change_sentence(move)
        == "DB 26 nov verschoven naar do 3 dec (+7 dagen): DB verplaatst"
    )
    assert wording.journal_line(move) == (
        "mijlpaal 6 datum: 26-11-2026 → 03-12-2026 (DB verplaatst)"
    )
    assert not move.internal


def test_system_rows_and_working_notes_are_marked_for_a_board_report_to_leave_out(
    store: Store, clock: FixedClock
) -> None:
    clock.advance(days=21)
    store.update("milestone", DB_26_NOV, {"notes": "bellen met de secretaris"})
    store.add("action", {"title": "Agenda rondsturen"})
    changes = read_snapshot(store, TODAY, whole_journal=True).changes()
    seeded = [c for c in changes if c.entity == "database"]
    assert seeded and all(c.system and c.internal for c in seeded)
    notes = [c for c in changes if c.field == "notes"]
    assert len(notes) == 1 and notes[0].internal and not notes[0].system
    created = [c for c in changes if c.kind == ChangeKind.CREATED]
    assert created and not any(c.internal for c in created)


def test_goal_rollups_count_actions_open_done_overdue_and_this_week(store: Store) -> None:
    goal = read_snapshot(store, TODAY).goals[0]

    def counts() -> tuple[int, int, int, int]:
        snapshot = read_snapshot(store, TODAY)
        (rollup,) = status.goal_rollups((goal,), snapshot.actions, snapshot.milestones, TODAY)
        return rollup.actions_total, rollup.actions_open, rollup.actions_done, rollup.overdue

    before = counts()
    store.add("action", {"title": "Te laat", "goal_id": goal.id, "due_date": dt.date(2026, 11, 1)})
    done = store.add("action", {"title": "Klaar", "goal_id": goal.id, "status": Status.DONE})
    after = counts()
    assert tuple(b - a for a, b in zip(before, after, strict=True)) == (2, 1, 1, 1)
    snapshot = read_snapshot(store, TODAY)
    (rollup,) = status.goal_rollups(
        (goal,), snapshot.actions, snapshot.milestones, TODAY, {done.id}
    )
    assert [a.title for a in rollup.done_this_week] == ["Klaar"]
    total, _, finished, late = after
    assert wording.goal_actions(rollup) == (
        f"{total} acties: {finished} afgerond, {total - finished} open, {late} te laat"
    )


def test_one_registry_names_every_record_kind() -> None:
    assert [kinds.noun(k) for k in kinds.RECORDS] == ["mijlpaal", "actie", "baat", "doel"]
    assert kinds.plural("milestone") == "mijlpalen"
    assert kinds.get("goal").new_title == "Nieuw doel"
    assert kinds.get("milestone").new_title == "Nieuwe mijlpaal"
    assert kinds.get("action").new_title == "Nieuwe actie of afspraak"
    assert kinds.get("milestone").enums["status"] is Status
    assert kinds.noun("setting") == "instelling"


def test_warnings_by_urgency_put_papers_first_and_stale_dates_last(
    store: Store, clock: FixedClock
) -> None:
    _move_db_to_3_december(store, clock)
    found = status.by_urgency(read_snapshot(store, TODAY).warnings)
    order = [w.kind for w in found]
    assert order[0] == WarningKind.DOCUMENTS_SOON  # the DB papers, due in three days
    assert order.index(WarningKind.PAPERS_BEFORE_DECISION) < order.index(WarningKind.STALE)
    assert order[-1] == WarningKind.SLIP
    assert sorted(order, key=status.URGENCY.index) == order


# --- benefits ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "trend", "sentence"),
    [
        (["6,1%", "5,2%"], status.Trend.DOWN, "↓ dalend (was 6,1%)"),
        (["55%", "62%"], status.Trend.UP, "↑ stijgend (was 55%)"),
        (["12 contactmomenten", "12"], status.Trend.SAME, "→ gelijk (was 12 contactmomenten)"),
        (["-4", "-2,5"], status.Trend.UP, "↑ stijgend (was -4)"),
        (["ja", "62%"], None, ""),  # a word is no number to compare with
        (["62%"], None, ""),  # one measurement has no trend
    ],
)
def test_the_latest_measurement_trend_of_a_benefit_recorded_in_the_store(
    store: Store, values: list[str], trend: status.Trend | None, sentence: str
) -> None:
    benefit = store.benefits()[0]
    for month, value in enumerate(values, start=9):
        store.add_measurement(benefit.id, value, dt.date(2026, month, 1))
    found = status.benefit_trend(store.benefit(benefit.id))
    assert (found.trend if found else None) == trend
    assert wording.trend_against(found) == sentence


def test_the_trend_compares_the_two_latest_by_date_not_by_when_they_were_recorded(
    store: Store,
) -> None:
    benefit = store.benefits()[0]
    store.add_measurement(benefit.id, "40%", dt.date(2026, 11, 1))
    store.add_measurement(benefit.id, "70%", dt.date(2026, 6, 1))  # an old one, entered late
    store.add_measurement(benefit.id, "50%", dt.date(2026, 10, 1))
    found = status.benefit_trend(store.benefit(benefit.id))
    assert found is not None
    assert (found.previous.value, found.latest.value, found.trend) == ("50%", "40%", "down")
