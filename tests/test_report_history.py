"""A past week's report is made again exactly as it was, rebuilt from the journal."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from hecht_tracker.core.model import Health, Status
from hecht_tracker.services.report import weekly_report
from hecht_tracker.storage.store import Store
from tests.conftest import FixedClock

W48 = dt.date(2026, 11, 23)
MONDAY_AFTER = dt.date(2026, 11, 30)


def _busy_week_48(store: Store, clock: FixedClock) -> None:
    clock.now = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)
    store.update("milestone", 6, {"date": dt.date(2026, 12, 3)}, note="DB verplaatst")
    store.update("goal", 2, {"health": Health.AT_RISK})
    clock.advance(days=1)
    store.update("milestone", 4, {"status": Status.DONE}, note="besproken")
    store.add_measurement(store.benefits()[0].id, "62%", dt.date(2026, 11, 25))
    store.update("action", 12, {"due_date": dt.date(2026, 12, 4)}, note="herijkt")


def _the_weeks_after(store: Store, clock: FixedClock) -> None:
    clock.now = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
    store.update("milestone", 6, {"date": dt.date(2026, 12, 10), "status": Status.POSTPONED})
    store.update("milestone", 7, {"title": "Vaststellen werkplan (nieuwe titel)"})
    store.update("goal", 2, {"health": Health.OFF_TRACK})
    store.update("action", 12, {"status": Status.DONE})
    store.add("milestone", {"title": "Extra AB", "date": dt.date(2026, 12, 2), "body": "AB"})
    store.add_measurement(store.benefits()[0].id, "70%", dt.date(2026, 12, 2))
    store.update("milestone", 5, {"status": Status.DONE})


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_the_report_of_week_48_made_later_is_the_one_made_on_the_monday_after(
    tmp_path: Path, fmt: str
) -> None:
    clock = FixedClock()
    with Store.open(tmp_path / "hecht.sqlite", clock=clock) as store:
        _busy_week_48(store, clock)
        made_then = weekly_report(store, MONDAY_AFTER, W48, fmt, "directie")
        _the_weeks_after(store, clock)
        # Made on 30 November still, the later changes are not in it; made on 2 December about
        # the same week, they are (the state is that of today).
        assert weekly_report(store, MONDAY_AFTER, W48, fmt, "directie") == made_then
        assert weekly_report(store, dt.date(2026, 12, 2), W48, fmt, "directie") != made_then
        made_later = weekly_report(store, dt.date(2026, 12, 9), W48, fmt, "directie")
    assert made_later.decode() == made_then.decode()
    assert "Gemaakt op maandag 30 november 2026" in made_later.decode()


def test_a_date_moved_later_is_moved_back_with_the_papers_deadline_it_implied(
    tmp_path: Path,
) -> None:
    clock = FixedClock()
    with Store.open(tmp_path / "hecht.sqlite", clock=clock) as store:
        clock.now = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
        store.update("milestone", 6, {"date": dt.date(2026, 12, 10)})
        text = weekly_report(store, dt.date(2026, 12, 9), W48, "markdown").decode()
    # (In the route a step whose date passed while still planned carries a warning sign.)
    assert (
        "do 26 nov 2026 | DB | Akkoord doorgeleiden strategisch werkplan | gepland | 19-11 |"
        in text
    )
    assert "10 dec" not in text


def test_a_report_made_on_an_earlier_day_holds_no_later_change(tmp_path: Path) -> None:
    clock = FixedClock()
    with Store.open(tmp_path / "hecht.sqlite", clock=clock) as store:
        clock.now = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)
        store.update("milestone", 6, {"date": dt.date(2026, 12, 3)}, note="DB verplaatst")
        made_on_23_november = weekly_report(store, W48, W48, "markdown").decode()
    assert "Gemaakt op maandag 23 november 2026" in made_on_23_november
    assert "DB do 26 nov 2026 (over 3 dagen)" in made_on_23_november
    assert "3 dec" not in made_on_23_november and "sinds" not in made_on_23_november
