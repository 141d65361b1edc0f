"""The board version of every report holds nothing internal; the directie version marks it.

A scripted busy week 48 of 2026 (a date move with a reason, a milestone done, a measurement, an
internal note, an internal health reason, an internal milestone) and then the Monday after:
the reports are made by the real command in a subprocess, in every format, and the board's
are searched for a marker placed in every internal field.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from hecht_tracker.core.model import Health, Status, Visibility
from hecht_tracker.storage.store import Store
from tests.conftest import FixedClock

ROOT = Path(__file__).resolve().parent.parent
MONDAY_AFTER = "2026-11-30"
SECRET = "GEHEIM7731"
FORMATS = ("text", "markdown", "html", "pdf")


@pytest.fixture(scope="module")
def busy_week(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("busy") / "hecht.sqlite"
    clock = FixedClock()
    with Store.open(path, clock=clock) as store:
        clock.now = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)  # Tuesday of week 48
        store.update("milestone", 6, {"date": dt.date(2026, 12, 3)}, note="DB verplaatst")
        clock.advance(hours=2)
        store.update("milestone", 6, {"notes": f"{SECRET} notitie: wethouder twijfelt"})
        store.update(
            "milestone",
            7,
            {"health": Health.AT_RISK, "health_reason": f"{SECRET} reden mijlpaal"},
        )
        store.update("goal", 1, {"health_reason": f"{SECRET} reden doel"})
        internal = store.add(
            "milestone",
            {
                "title": f"{SECRET} interne voorbespreking",
                "date": dt.date(2026, 12, 1),
                "body": "Directie",
                "visibility": Visibility.INTERNAL,
            },
        )
        store.update("milestone", internal.id, {"notes": f"{SECRET} intern"})
        clock.advance(days=1)
        store.update("milestone", 4, {"status": Status.DONE}, note="besproken")
        benefit = store.benefits()[0]
        store.add_measurement(benefit.id, "62%", dt.date(2026, 11, 25), note="tussenmeting")
    return path


def _report(db: Path, fmt: str, *extra: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HECHT_TRACKER")}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "hecht_tracker",
            "--db",
            str(db),
            "--today",
            MONDAY_AFTER,
            "report",
            "weekly",
            "--format",
            fmt,
            *extra,
        ],
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    if fmt == "pdf":
        reader = pypdf.PdfReader(io.BytesIO(done.stdout))
        return "\n".join(page.extract_text() for page in reader.pages)
    return done.stdout.decode()


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_board_version_holds_no_internal_text_in_any_format(busy_week: Path, fmt: str) -> None:
    for board in (_report(busy_week, fmt), _report(busy_week, fmt, "--audience", "bestuur")):
        assert SECRET not in board
        assert "(intern)" not in board
        assert "Akkoord doorgeleiden strategisch werkplan" in board


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_the_directie_version_shows_internal_records_marked_intern(
    busy_week: Path, fmt: str
) -> None:
    directie = _report(busy_week, fmt, "--audience", "directie")
    assert f"{SECRET} interne voorbespreking (intern)" in " ".join(directie.split())


def test_the_monday_report_tells_last_weeks_changes_in_sentences(busy_week: Path) -> None:
    board = " ".join(_report(busy_week, "markdown").split())
    assert "statusrapport week 48 (23–29 november 2026)" in board
    assert "Gemaakt op maandag 30 november 2026" in board
    assert (
        "DB do 26 nov 2026: Akkoord doorgeleiden strategisch werkplan: verschoven naar do 3 dec "
        "(+7 dagen): DB verplaatst." in board
    )
    assert "Bespreken strategisch werkplan: status nu afgerond (was gepland): besproken." in board
    assert (
        "Baat Duidelijke organisatiestructuur: gemeten op 25-11-2026: 62% (tussenmeting)." in board
    )
    assert "mijlpaal 6" not in board and "database" not in board
    assert "Stand: " in board and "Actie nodig deze week" in board


def test_the_boards_records_are_read_without_internal_milestones_or_text(busy_week: Path) -> None:
    from hecht_tracker.render.report.audience import BOARD_BLANK
    from hecht_tracker.storage.snapshot import read_weekly_snapshot

    monday = dt.date(2026, 11, 23)
    with Store.open(busy_week) as store:
        full = read_weekly_snapshot(store, dt.date(2026, 11, 30), monday)
        board = read_weekly_snapshot(
            store, dt.date(2026, 11, 30), monday, BOARD_BLANK, public_only=True
        )
    # The fixture has internal text and an internal milestone.
    assert any(SECRET in m.notes for m in full.milestones)
    assert any(m.visibility == Visibility.INTERNAL for m in full.milestones)
    assert all(m.visibility == Visibility.PUBLIC for m in board.milestones)
    for milestone in board.milestones:
        assert (milestone.notes, milestone.health_reason, milestone.description) == ("", "", "")
    assert all(action.description == "" for action in board.actions)
    # Everything else reads as it is stored.
    public = [m for m in full.milestones if m.visibility == Visibility.PUBLIC]
    assert [m.title for m in board.milestones] == [m.title for m in public]
    assert [m.documents_due for m in board.milestones] == [m.documents_due for m in public]


def test_the_board_sees_no_link_to_an_internal_milestone(busy_week: Path, tmp_path: Path) -> None:
    from hecht_tracker.render.report.audience import for_audience
    from hecht_tracker.storage.snapshot import read_weekly_snapshot

    db = tmp_path / "links.sqlite"
    db.write_bytes(busy_week.read_bytes())
    with Store.open(db) as store:
        (internal,) = [m for m in store.milestones() if m.title.startswith(SECRET)]
        store.update("milestone", 7, {"depends_on": (internal.id, 6)})
        action = store.actions()[0]
        store.update("action", action.id, {"milestone_id": internal.id})
        full = read_weekly_snapshot(store, dt.date(2026, 11, 30), dt.date(2026, 11, 23))
    board = for_audience(full, "bestuur")
    assert board.milestones_by_id[7].depends_on == (6,)
    assert {a.id: a for a in board.actions}[action.id].milestone_id is None
    assert internal.id not in board.milestones_by_id


@pytest.mark.parametrize("fmt", ["text", "html"])
def test_the_board_report_is_the_same_whether_internal_text_is_left_unread_or_blanked_after(
    busy_week: Path, fmt: str
) -> None:
    from hecht_tracker.render.report import render_weekly
    from hecht_tracker.render.report.audience import for_audience
    from hecht_tracker.storage.snapshot import read_weekly_snapshot

    monday = dt.date(2026, 11, 23)
    with Store.open(busy_week) as store:
        full = read_weekly_snapshot(store, dt.date(2026, 11, 30), monday)
    # The command reads the board's records without internal milestones and text.
    made = _report(busy_week, fmt, "--week", "2026-W48").encode()
    assert made == render_weekly(for_audience(full, "bestuur"), monday, fmt)
