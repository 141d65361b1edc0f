"""A date typed without a year means the same in every door: the field specs of core.fields."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner
from textual.pilot import Pilot

from hecht_tracker.cli import cli
from hecht_tracker.core.fields import parse_measurement_date
from hecht_tracker.storage.store import Store
from hecht_tracker.tui.app import HechtApp
from tests.conftest import TODAY
from tests.test_tui import drive, table, type_into

FIRST_OF_NOVEMBER = dt.date(2026, 11, 1)


def test_a_measurement_date_without_a_year_is_the_last_such_day() -> None:
    assert parse_measurement_date("1-11", TODAY) == FIRST_OF_NOVEMBER
    assert parse_measurement_date("24 nov", TODAY) == dt.date(2025, 11, 24)


def test_the_tui_records_1_11_typed_on_23_november_as_1_november_this_year(store: Store) -> None:
    async def scenario(app: HechtApp, pilot: Pilot[None]) -> None:
        await pilot.press("4")
        app.benefit_id = table(app, "baten").record_id  # type: ignore[attr-defined]
        await pilot.press("m")
        await type_into(pilot, "value", "5,2%")
        await type_into(pilot, "date", "1-11")
        await pilot.press("ctrl+s")
        await pilot.pause()

    app = drive(store, scenario)
    benefit = store.benefit(app.benefit_id)  # type: ignore[attr-defined]
    assert benefit.measurements[-1].date == FIRST_OF_NOVEMBER


def test_the_cli_records_1_11_typed_on_23_november_as_1_november_this_year(
    db_path: Path,
) -> None:
    result = CliRunner().invoke(
        cli,
        [
            *("--db", str(db_path), "--today", "2026-11-23"),
            *("benefit", "measure", "11", "5,2%", "--date", "1-11"),
        ],
    )
    assert result.exit_code == 0, result.output
    with Store.open(db_path) as store:
        assert store.benefit(11).measurements[-1].date == FIRST_OF_NOVEMBER
