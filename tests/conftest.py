"""Shared fixtures: a fixed clock, a fixed 'today' and seeded databases on disk or in memory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from hecht_tracker.storage.store import Store

# Monday of ISO week 48 of 2026: the week the DB agrees to forward the werkplan.
TODAY = dt.date(2026, 11, 23)
SEEDED_AT = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


class FixedClock:
    """A clock that stands still until a test moves it, so timestamps are reproducible."""

    def __init__(self, start: dt.datetime = SEEDED_AT) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def db_path(tmp_path: Path, clock: FixedClock) -> Path:
    """A seeded database file made with the fixed clock, closed again."""
    path = tmp_path / "hecht.sqlite"
    Store.open(path, clock=clock).close()
    return path


@pytest.fixture
def store(db_path: Path, clock: FixedClock) -> Iterator[Store]:
    """The seeded database, open, with 'today' set to Monday of week 48 of 2026."""
    opened = Store.open(db_path, clock=clock)
    opened.today_override = TODAY
    yield opened
    opened.close()


@pytest.fixture
def empty_store(tmp_path: Path, clock: FixedClock) -> Iterator[Store]:
    opened = Store.open(tmp_path / "empty.sqlite", clock=clock, seed=False)
    opened.today_override = TODAY
    yield opened
    opened.close()
