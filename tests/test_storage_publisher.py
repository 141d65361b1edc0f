"""Incremental publishing: after any sequence of writes, SEQUENCE and the published columns are
exactly what re-publishing every milestone after every write gives, and a single write does not
do more work on a bigger database."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import SEEDED_AT, TODAY, FixedClock
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hecht_tracker.core.errors import TrackerError
from hecht_tracker.core.model import Kind, Status, Visibility
from hecht_tracker.storage.publisher import Publisher, republish_all
from hecht_tracker.storage.store import Store

PUBLISHED_COLUMNS = (
    "id, sequence, public_hash, published, published_bodies, papers_published, "
    "documents_due_default"
)


class EverythingPublisher(Publisher):
    """Re-publishes every milestone after every write: the from-scratch reference."""

    def flush(self) -> None:
        self.everything = True
        super().flush()


@pytest.fixture(scope="module")
def seeded_file() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "seed.sqlite"
        Store.open(path, clock=FixedClock()).close()
        yield path


def published(store: Store) -> list[tuple[Any, ...]]:
    return store.conn.execute(f"SELECT {PUBLISHED_COLUMNS} FROM milestone ORDER BY id").fetchall()


ids = st.integers(min_value=1, max_value=9)  # the seed has 8 milestones; 9 may be added
words = st.sampled_from(["Overleg", "Werkplan", "Besluit", "Akkoord", "Zaal 2", ""])
operations = st.one_of(
    st.tuples(st.just("title"), ids, words),
    st.tuples(st.just("location"), ids, words),
    st.tuples(st.just("notes"), ids, words),
    st.tuples(st.just("date"), ids, st.integers(min_value=-40, max_value=40)),
    st.tuples(st.just("body"), ids, st.sampled_from(["AB", "DB", "Hecht", "Directie"])),
    st.tuples(st.just("kind"), ids, st.sampled_from(list(Kind))),
    st.tuples(st.just("visibility"), ids, st.sampled_from(list(Visibility))),
    st.tuples(st.just("status"), ids, st.sampled_from(list(Status))),
    st.tuples(st.just("depends_on"), ids, st.lists(ids, max_size=3)),
    st.tuples(st.just("goals"), ids, st.lists(st.integers(1, 4), max_size=3)),
    st.tuples(st.just("add"), st.integers(-30, 30), st.lists(ids, max_size=2)),
    st.tuples(st.just("goal_title"), st.integers(1, 4), words),
    st.tuples(st.just("goal_delete"), st.integers(1, 4), st.just(None)),
    st.tuples(st.just("organizer"), st.just(0), words),
    st.tuples(st.just("lead"), st.sampled_from(["AB", "DB", "Directie"]), st.integers(0, 12)),
    st.tuples(st.just("action"), ids, words),
)


def apply(store: Store, operation: tuple[Any, Any, Any], number: int) -> None:
    name, target, value = operation
    if name in ("title", "location", "notes"):
        store.update("milestone", target, {name: value or "Nieuwe titel"})
    elif name == "date":
        day = store.milestone(target).date + dt.timedelta(days=value)
        store.update("milestone", target, {"date": day})
    elif name in ("body", "kind", "visibility", "status"):
        store.update("milestone", target, {name: value})
    elif name == "depends_on":
        store.update("milestone", target, {"depends_on": tuple(value)})
    elif name == "goals":
        store.update("milestone", target, {"goal_ids": tuple(value)})
    elif name == "add":
        store.add(
            "milestone",
            {
                "uid": f"extra-{number}@test",  # the same in both databases
                "title": "Extra",
                "date": TODAY + dt.timedelta(days=target),
                "body": "DB",
                "depends_on": tuple(value),
            },
        )
    elif name == "goal_title":
        store.update("goal", target, {"title": value or "Ander doel"})
    elif name == "goal_delete":
        store.delete("goal", target)
    elif name == "organizer":
        store.update_settings({"organizer_name": value or "Secretariaat"})
    elif name == "lead":
        lead = dict(store.settings().documents_lead_days)
        lead[target] = value
        store.update_settings({"documents_lead_days": lead})
    elif name == "action":
        store.add("action", {"title": value or "Actie", "milestone_id": target})


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(operations, min_size=1, max_size=12))
def test_incremental_publishing_agrees_with_republishing_everything(
    seeded_file: Path, steps: list[tuple[Any, Any, Any]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        clock = FixedClock(SEEDED_AT)
        paths = [Path(folder) / "incremental.sqlite", Path(folder) / "everything.sqlite"]
        for path in paths:
            shutil.copy(seeded_file, path)
        incremental = Store.open(paths[0], clock=clock)
        everything = Store.open(paths[1], clock=clock)
        everything.publisher = EverythingPublisher(everything.repo, everything.settings)
        try:
            for number, step in enumerate(steps):
                clock.advance(hours=1)
                outcomes = []
                for store in (incremental, everything):
                    try:
                        apply(store, step, number)
                        outcomes.append("ok")
                    except TrackerError as error:
                        outcomes.append(str(error))
                assert outcomes[0] == outcomes[1]
                assert published(incremental) == published(everything), step
            # And nothing is left stale: a from-scratch pass over the result changes nothing.
            before = published(incremental)
            with incremental._transaction():
                republish_all(incremental.repo, incremental.settings())
            assert published(incremental) == before
        finally:
            incremental.close()
            everything.close()


def test_a_new_dependency_raises_the_sequence_of_what_it_now_follows(store: Store) -> None:
    # Milestone 2 shows its followers; 8 starts to follow it, so 2's calendar event changes.
    assert store.milestone(2).sequence == 0
    store.update("milestone", 8, {"depends_on": (2,)})
    assert store.milestone(2).sequence == 1


def test_a_goal_title_reaches_the_sequence_of_its_milestones_only(store: Store) -> None:
    linked = {m.id for m in store.milestones() if 1 in m.goal_ids}
    store.update("goal", 1, {"title": "Gezonde leefomgeving"})
    raised = {m.id for m in store.milestones() if m.sequence == 1}
    assert raised == linked and linked


def test_new_milestone_is_published_at_sequence_0_and_its_route_neighbour_rises(
    store: Store,
) -> None:
    added = store.add(
        "milestone", {"title": "Nazorg", "date": dt.date(2027, 1, 20), "depends_on": (7,)}
    )
    assert added.sequence == 0 and store.milestone(7).sequence == 1


def _steps_of_one_update(path: Path) -> int:
    """SQLite VM steps one single-field update costs (its publishing and journal included)."""
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0

    with Store.open(path) as store:
        store.conn.set_progress_handler(count, 100)
        store.update("milestone", 5, {"location": "Zaal 3", "title": "Gewijzigd"})
        store.conn.set_progress_handler(None, 0)
    return steps


def _database_with(tmp_path: Path, milestones: int) -> Path:
    path = tmp_path / f"m{milestones}.sqlite"
    with Store.open(path, seed=False) as store:
        store.today_override = TODAY
        rows = [
            (
                f"rij {n}",
                {
                    "title": f"Mijlpaal {n}",
                    "date": dt.date(2027, 1, 1) + dt.timedelta(days=n % 400),
                    "body": ("AB", "DB", "Hecht")[n % 3],
                    "kind": Kind.MEETING,
                    "depends_on": (n - 1,) if n > 1 and n % 2 else (),
                },
            )
            for n in range(1, milestones + 1)
        ]
        store.import_records("milestone", rows)
        store.import_records(
            "action", [(f"rij {n}", {"title": f"Actie {n}"}) for n in range(milestones)]
        )
    return path


def test_one_write_costs_the_same_on_a_database_ten_times_bigger(tmp_path: Path) -> None:
    small = _steps_of_one_update(_database_with(tmp_path, 300))
    big = _steps_of_one_update(_database_with(tmp_path, 3000))
    # Index lookups grow with the logarithm; a scan of all rows would make this 10×.
    assert big < small * 1.5, (small, big)


def test_the_dependency_check_walks_a_long_chain_without_recursion_limits(
    tmp_path: Path,
) -> None:
    path = _database_with(tmp_path, 1)
    with Store.open(path) as store:
        rows = [
            (f"rij {n}", {"title": f"Stap {n}", "date": dt.date(2027, 1, 1), "depends_on": (n,)})
            for n in range(1, 1500)
        ]
        store.import_records("milestone", rows)
        last = max(m.id for m in store.milestones())
        with pytest.raises(TrackerError, match="kring"):
            store.update("milestone", 1, {"depends_on": (last,)})
        assert store.milestone(1).depends_on == ()
