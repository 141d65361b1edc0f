"""The store: seeded content, writes with their journal rows, invariants, publication sequence."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from conftest import TODAY, FixedClock

from hecht_tracker.core import timeline
from hecht_tracker.core.errors import NotFoundError, ValidationError
from hecht_tracker.core.model import (
    ActionKind,
    BenefitStatus,
    Health,
    Kind,
    Milestone,
    Status,
    Visibility,
)
from hecht_tracker.storage.store import Store

DB_26_NOV = 6
AB_16_DEC = 7


def journal_count(store: Store) -> int:
    return len(store.journal())


# --- seeded content ---------------------------------------------------------------------------


def test_seed_has_exactly_six_board_moments_in_2026_in_date_order(store: Store) -> None:
    moments = [
        m for m in store.milestones(since=dt.date(2026, 1, 1)) if timeline.is_board_moment(m)
    ]
    assert [(m.date, m.body, m.kind) for m in moments] == [
        (dt.date(2026, 7, 8), "AB", Kind.MEETING),
        (dt.date(2026, 9, 16), "AB", Kind.THEME_SESSION),
        (dt.date(2026, 10, 15), "DB", Kind.MEETING),
        (dt.date(2026, 11, 4), "AB", Kind.THEME_SESSION),
        (dt.date(2026, 11, 26), "DB", Kind.MEETING),
        (dt.date(2026, 12, 16), "AB", Kind.MEETING),
    ]
    assert all(m.visibility == Visibility.PUBLIC for m in moments)


def test_seed_chains_the_werkplan_route_from_15_okt_to_16_dec(store: Store) -> None:
    by_id = {m.id: m for m in store.milestones()}
    route = timeline.chain(by_id[AB_16_DEC], by_id)
    assert [m.date for m in route] == [
        dt.date(2026, 10, 15),
        dt.date(2026, 11, 4),
        dt.date(2026, 11, 26),
        dt.date(2026, 12, 16),
    ]
    assert by_id[AB_16_DEC].decision.startswith("vaststellen")
    assert by_id[DB_26_NOV].decision.startswith("akkoord op doorgeleiden")


def test_seed_next_board_moment_on_23_november_is_db_26_november(store: Store) -> None:
    upcoming = timeline.next_board_moment(store.milestones(), TODAY)
    assert upcoming is not None
    assert (upcoming.id, upcoming.body, upcoming.date) == (DB_26_NOV, "DB", dt.date(2026, 11, 26))


def test_seed_holds_goals_steps_benefits_and_agreements_from_the_documents(store: Store) -> None:
    goals = store.goals()
    assert [g.title for g in goals] == [
        "Bewegen van zorg naar gezondheid",
        "Werken aan een weerbare samenleving",
        "Investeren in sterke teams",
    ]
    steps = store.actions(kind=ActionKind.ACTION)
    assert len(steps) == 11 and all(a.status == Status.DONE for a in steps)
    benefits = store.benefits()
    achieved = [b for b in benefits if b.status == BenefitStatus.ACHIEVED]
    assert len(achieved) == 7
    assert len(benefits) - len(achieved) == 5
    agreements = store.actions(kind=ActionKind.AGREEMENT)
    assert any("stukken op tijd aanleveren" in a.title for a in agreements)
    assert any("Herstelplan eigen vermogen" in a.title for a in agreements)
    hecht24 = next(p for p in store.programmes() if p.name == "Hecht24")
    assert "4 mln" in hecht24.budget


def test_seed_invents_no_times_locations_or_outcomes(store: Store) -> None:
    for milestone in store.milestones(since=dt.date(2026, 1, 1)):
        assert milestone.start_time is None and milestone.location == ""
        assert milestone.health is None and milestone.documents_sent is None


def test_documents_due_defaults_to_working_days_per_body(store: Store) -> None:
    assert store.milestone(DB_26_NOV).documents_due == dt.date(2026, 11, 19)  # DB: 5 working days
    assert store.milestone(AB_16_DEC).documents_due == dt.date(2026, 12, 2)  # AB: 10 working days
    store.update_settings({"documents_lead_days": {"AB": 10, "DB": 7}})
    assert store.milestone(DB_26_NOV).documents_due == dt.date(2026, 11, 17)


# --- writes and the journal -------------------------------------------------------------------


def test_update_writes_one_journal_row_per_changed_field(store: Store) -> None:
    before = journal_count(store)
    store.update(
        "milestone", DB_26_NOV, {"location": "Leiden", "status": Status.DONE}, note="vergaderd"
    )
    rows = store.journal()[before:]
    assert {(r.field, r.old, r.new, r.note) for r in rows} == {
        ("location", "", "Leiden", "vergaderd"),
        ("status", "planned", "done", "vergaderd"),
    }


def test_unchanged_values_write_no_journal_row(store: Store) -> None:
    before = journal_count(store)
    store.update("milestone", DB_26_NOV, {"body": "db"})  # normalised to the same "DB"
    assert journal_count(store) == before


def test_a_refused_write_leaves_data_and_journal_unchanged(store: Store) -> None:
    before = (store.milestone(4), journal_count(store))
    with pytest.raises(ValidationError, match="kring"):
        store.update("milestone", 4, {"title": "Nieuw", "depends_on": (AB_16_DEC,)})
    assert (store.milestone(4), journal_count(store)) == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "  "}, "titel mag niet leeg"),
        ({"start_time": dt.time(14), "end_time": dt.time(13)}, "eindtijd 13:00 ligt niet na"),
        ({"end_time": dt.time(13)}, "vraagt ook een begintijd"),
        ({"depends_on": (DB_26_NOV,)}, "niet van zichzelf"),
        ({"depends_on": (999,)}, "Mijlpaal 999 bestaat niet"),
        ({"goal_ids": (42,)}, "Doel 42 bestaat niet"),
        ({"sequence": 7}, "kan niet worden gewijzigd"),
    ],
)
def test_invalid_milestone_changes_are_refused(
    store: Store, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        store.update("milestone", DB_26_NOV, changes)


def test_unknown_ids_are_reported_in_dutch(store: Store) -> None:
    with pytest.raises(NotFoundError, match="Mijlpaal 99 bestaat niet"):
        store.update("milestone", 99, {"title": "x"})
    with pytest.raises(NotFoundError, match="Actie 999 bestaat niet"):
        store.delete("action", 999)


def test_deleting_a_milestone_cancels_it(store: Store) -> None:
    store.delete("milestone", DB_26_NOV)
    milestone = store.milestone(DB_26_NOV)
    assert milestone.status == Status.CANCELLED


def test_deleting_an_action_removes_it_and_journals_the_title(store: Store) -> None:
    action = store.actions()[0]
    store.delete("action", action.id)
    assert action.id not in {a.id for a in store.actions()}
    assert store.journal()[-1].old == action.title


def test_a_new_milestone_gets_a_uid_a_baseline_and_visibility_by_body(store: Store) -> None:
    board = store.add(
        "milestone", {"title": "Extra DB", "date": dt.date(2026, 12, 10), "body": "db"}
    )
    staff = store.add(
        "milestone", {"title": "Concept klaar", "date": dt.date(2026, 12, 1), "kind": Kind.DEADLINE}
    )
    assert board.uid.endswith("@hecht-tracker") and board.uid != staff.uid
    assert board.body == "DB" and board.visibility == Visibility.PUBLIC
    assert staff.body == "Hecht" and staff.visibility == Visibility.INTERNAL
    assert board.baseline_date == dt.date(2026, 12, 10)


def test_moving_a_date_keeps_the_baseline_so_the_slip_shows(store: Store) -> None:
    moved = store.update("milestone", DB_26_NOV, {"date": dt.date(2026, 12, 3)})
    assert moved.baseline_date == dt.date(2026, 11, 26)
    assert moved.slip_days == 7
    assert [m.id for m in timeline.slipped(store.milestones())] == [DB_26_NOV]


def test_marking_an_action_done_sets_its_done_date_to_today(store: Store) -> None:
    agreement = store.actions(kind=ActionKind.AGREEMENT, status=Status.PLANNED)[0]
    done = store.update("action", agreement.id, {"status": Status.DONE})
    assert done.done_date == TODAY


def test_the_journal_cannot_be_rewritten(store: Store) -> None:
    with pytest.raises(sqlite3.DatabaseError, match="journaal"):
        store.conn.execute("UPDATE journal SET note = 'x'")
    with pytest.raises(sqlite3.DatabaseError, match="journaal"):
        store.conn.execute("DELETE FROM journal")


def test_measurements_are_kept_in_date_order(store: Store) -> None:
    benefit = store.benefits()[-1]
    store.add_measurement(benefit.id, "6,5%", dt.date(2026, 9, 1))
    store.add_measurement(benefit.id, "6,1%", dt.date(2026, 6, 1), note="Q2")
    values = [(m.date, m.value) for m in store.benefit(benefit.id).measurements]
    assert values == [(dt.date(2026, 6, 1), "6,1%"), (dt.date(2026, 9, 1), "6,5%")]
    with pytest.raises(ValidationError):
        store.add_measurement(benefit.id, " ", TODAY)


def test_goal_health_and_reason_are_kept(store: Store) -> None:
    store.update("goal", 2, {"health": Health.AT_RISK, "health_reason": "capaciteit"})
    assert timeline.overall_health(store.goals(), store.milestones()) == Health.AT_RISK


# --- what calendar subscribers see --------------------------------------------------------------


def test_sequence_rises_when_subscribers_see_a_change(store: Store, clock: FixedClock) -> None:
    clock.advance(days=1)
    moved = store.update("milestone", DB_26_NOV, {"date": dt.date(2026, 12, 3)})
    assert moved.sequence == 1
    assert moved.published == clock.now


def test_sequence_stays_when_only_internal_fields_change(store: Store) -> None:
    store.update(
        "milestone", DB_26_NOV, {"notes": "let op", "health": Health.AT_RISK, "health_reason": "x"}
    )
    assert store.milestone(DB_26_NOV).sequence == 0


def test_a_change_shown_in_a_neighbours_route_raises_that_neighbours_sequence(store: Store) -> None:
    # AB 16 dec shows the DB meeting it waits for; retitling the DB meeting changes both events.
    store.update("milestone", DB_26_NOV, {"title": "Akkoord doorgeleiden werkplan"})
    assert store.milestone(DB_26_NOV).sequence == 1
    assert store.milestone(AB_16_DEC).sequence == 1
    assert store.milestone(2).sequence == 0


def test_changing_a_published_setting_raises_every_sequence(store: Store) -> None:
    store.update_settings({"reminder_minutes": 60})
    assert {m.sequence for m in store.milestones()} == {1}


# --- transactions and files -------------------------------------------------------------------


def test_database_uses_wal_and_a_busy_timeout(db_path: Path) -> None:
    with Store.open(db_path) as opened:
        assert opened.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert opened.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_a_write_waits_for_another_writer_instead_of_failing(db_path: Path) -> None:
    with Store.open(db_path) as first, Store.open(db_path) as second:
        first.conn.execute("BEGIN IMMEDIATE")
        first.conn.execute("UPDATE milestone SET location = 'x' WHERE id = 2")
        first.conn.execute("COMMIT")
        second.update("milestone", 3, {"location": "Leiden"})
        assert second.milestone(2).location == "x"


def test_another_connection_sees_nothing_of_an_open_write(store: Store, db_path: Path) -> None:
    with store._transaction():
        store.writer.update("milestone", DB_26_NOV, {"location": "Leiden"}, "")
        with Store.open(db_path) as other:
            assert other.milestone(DB_26_NOV).location == ""
            assert len(other.journal()) == 1


def test_memory_store_seeds_the_same_content(clock: FixedClock, store: Store) -> None:
    memory = Store.memory(clock=clock, seed=True)

    def strip(milestones: list[Milestone]) -> list[Milestone]:
        return [
            dataclasses.replace(m, created=None, updated=None, published=None) for m in milestones
        ]

    assert strip(memory.milestones()) == strip(store.milestones())


def test_updating_a_milestone_without_documents_due_works(store: Store) -> None:
    # The deliverable (id 8) has no documents-due date at all.
    assert store.update("milestone", 8, {"status": Status.DONE}).status == Status.DONE
    assert store.delete("milestone", 8).status == Status.CANCELLED
    assert store.milestone(8).status == Status.CANCELLED


def test_an_explicit_documents_due_survives_a_date_move_in_the_same_change(store: Store) -> None:
    moved = store.update(
        "milestone",
        DB_26_NOV,
        {"date": dt.date(2026, 12, 3), "documents_due": dt.date(2026, 11, 19)},
    )
    assert moved.documents_due == dt.date(2026, 11, 19) and not moved.documents_due_is_default


def test_a_documents_due_equal_to_the_default_keeps_following_the_date(store: Store) -> None:
    store.update("milestone", DB_26_NOV, {"documents_due": dt.date(2026, 11, 19)})
    moved = store.update("milestone", DB_26_NOV, {"date": dt.date(2026, 12, 3)})
    assert moved.documents_due == dt.date(2026, 11, 26) and moved.documents_due_is_default


def test_seeded_steps_have_no_invented_done_date(store: Store) -> None:
    assert all(a.done_date is None for a in store.actions(kind=ActionKind.ACTION))


def test_reopening_an_action_clears_its_done_date(store: Store) -> None:
    agreement = store.actions(kind=ActionKind.AGREEMENT, status=Status.PLANNED)[0]
    store.update("action", agreement.id, {"status": Status.DONE})
    reopened = store.update("action", agreement.id, {"status": Status.PLANNED})
    assert reopened.done_date is None


def test_an_empty_kind_is_a_meeting_and_an_ab_meeting_is_public(store: Store) -> None:
    added = store.add(
        "milestone", {"title": "AB extra", "date": dt.date(2026, 12, 1), "body": "AB", "kind": None}
    )
    assert (added.kind, added.visibility) == (Kind.MEETING, Visibility.PUBLIC)


def test_deleting_a_goal_journals_every_record_it_is_taken_off(store: Store) -> None:
    linked_actions = [a.id for a in store.actions(goal_id=2)]
    before = len(store.journal())
    store.delete("goal", 2)
    rows = store.journal()[before:]
    assert {r.entity_id for r in rows if r.entity == "action" and r.field == "goal_id"} == set(
        linked_actions
    )
    assert {r.entity_id for r in rows if r.entity == "milestone" and r.field == "goal_ids"} == {
        1,
        4,
        5,
        6,
        7,
        8,
    }
    assert all(2 not in m.goal_ids for m in store.milestones())


def test_backups_made_in_the_same_second_never_overwrite_each_other(
    tmp_path: Path, clock: FixedClock
) -> None:
    from hecht_tracker.storage.store import initialise

    path = tmp_path / "h.sqlite"
    initialise(path, clock=clock)
    first = initialise(path, force=True, clock=clock)
    second = initialise(path, force=True, clock=clock)
    assert first is not None and second is not None and first != second
    assert first.exists() and second.exists()


def test_a_meeting_on_the_first_day_of_the_window_has_no_papers_date_before_it(
    store: Store,
) -> None:
    """Five working days before 1 January 1900 lies outside the dates a record may hold: the
    meeting gets no default papers deadline and stays readable."""
    added = store.add("milestone", {"title": "Vroeg", "date": dt.date(1900, 1, 1), "body": "AB"})
    read = store.milestone(added.id)
    assert read.documents_due is None
    assert added.id in {m.id for m in store.milestones()}


def test_records_read_share_each_distinct_day_and_moment(store: Store) -> None:
    # A large database holds many records on one day, or written in one import: each such
    # value is made once and shared, not once per record.
    goal = store.goals()[0].id
    first, second = (
        store.add(
            "milestone",
            {
                "title": f"Thema-avond {n}",
                "body": "AB",
                "date": "2027-03-10",
                "location": "Stadhuis Leiden",
                "goal_ids": (goal,),
            },
        )
        for n in (1, 2)
    )
    read = {m.id: m for m in store.milestones()}
    one, other = read[first.id], read[second.id]
    for name in ("date", "created", "location", "body", "goal_ids", "published_bodies"):
        assert getattr(one, name) is getattr(other, name), name
