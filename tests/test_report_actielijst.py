"""The actielijst for the AB: every open agreement, how often its deadline moved, what closed."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from hecht_tracker.core.model import Status
from hecht_tracker.render.report import actielijst
from hecht_tracker.render.report.actielijst import Actielijst, Sources
from hecht_tracker.storage.store import Store
from tests.conftest import TODAY, FixedClock
from tests.test_report_accessibility import axe_violations

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("text", "markdown", "html", "pdf")
SECRET = "GEHEIM-ACTIELIJST-7731"


def _sources(store: Store) -> Sources:
    return Sources(
        organisation=store.settings().organisation,
        milestones=store.milestones(),
        actions=store.actions(),
        programmes=store.programmes(),
        journal=store.journal(entity="action"),
    )


def build_actielijst(store: Store, today: dt.date) -> Actielijst:
    return actielijst.build_actielijst(_sources(store), today)


def render_actielijst(store: Store, today: dt.date, fmt: str, audience: str = "bestuur") -> bytes:
    who: actielijst.Audience = "directie" if audience == "directie" else "bestuur"
    return actielijst.render_actielijst(_sources(store), today, fmt, audience=who)


def _text(content: bytes, fmt: str) -> str:
    if fmt == "pdf":
        reader = pypdf.PdfReader(io.BytesIO(content))
        return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    return content.decode()


def test_on_the_seed_it_lists_the_2024_agreements_as_late_and_groups_them(store: Store) -> None:
    lijst = build_actielijst(store, TODAY)
    assert lijst.body_name == "Algemeen Bestuur"
    late = [r for r in lijst.open if r.days_late]
    assert len(late) == 10 and {r.due.year for r in late if r.due} == {2024}
    assert all(r.made == "Ontwikkelagenda 2024" and r.moves == 0 for r in lijst.open)
    text = render_actielijst(store, TODAY, "text").decode()
    assert "10 afspraken uit 2024 over de deadline — herijken?" in text
    markdown = render_actielijst(store, TODAY, "markdown").decode()
    assert "| Quick win 1: stukken op tijd aanleveren |" in markdown
    assert "10-07-2024, gepland, 866 dagen te laat |" in markdown
    assert lijst.last_meeting is not None and lijst.last_meeting.date == dt.date(2026, 11, 4)


def test_each_move_of_a_deadline_is_counted_from_the_journal(
    store: Store, clock: FixedClock
) -> None:
    store.update("action", 12, {"due_date": dt.date(2026, 12, 1)}, note="herijkt")
    clock.advance(days=1)
    store.update("action", 12, {"due_date": dt.date(2027, 1, 15)}, note="nog eens")
    store.update("action", 13, {"owner": "Directie"})  # another field: not a move
    rows = {r.number: r for r in build_actielijst(store, TODAY).open}
    assert (rows[12].moves, rows[13].moves, rows[14].moves) == (2, 0, 0)
    assert rows[12].days_late == 0
    markdown = render_actielijst(store, TODAY, "markdown").decode()
    assert (
        "| 12 | Quick win 1: stukken op tijd aanleveren | Ontwikkelagenda 2024 | Directie Hecht | 2× | 15-01-2027, gepland |"
        in markdown
    )


def test_what_closed_since_the_last_ab_meeting_is_listed_and_nothing_older(
    store: Store, clock: FixedClock
) -> None:
    store.update("action", 15, {"status": Status.DONE})  # 2 Nov: before AB 4 Nov
    clock.advance(days=10)  # 12 Nov: after it
    store.update("action", 16, {"status": Status.DONE})
    lijst = build_actielijst(store, TODAY)
    assert [(r.number, when) for r, when in lijst.closed] == [(16, dt.date(2026, 11, 12))]
    assert 16 not in {r.number for r in lijst.open}
    text = render_actielijst(store, TODAY, "text").decode()
    assert "AFGEROND SINDS DE VORIGE VERGADERING (AB WO 4 NOV 2026)" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_board_version_holds_no_internal_description_in_any_format(
    store: Store, fmt: str
) -> None:
    store.update("action", 12, {"description": f"{SECRET} alleen voor de directie"})
    board = _text(render_actielijst(store, TODAY, fmt), fmt)
    assert "Quick win 1" in board and SECRET not in board
    directie = _text(render_actielijst(store, TODAY, fmt, audience="directie"), fmt)
    assert SECRET in directie and "intern" in directie


def test_the_html_actielijst_passes_axe_core(store: Store, tmp_path: Path) -> None:
    page = render_actielijst(store, TODAY, "html", audience="directie").decode()
    assert axe_violations(page, tmp_path, 375) == []


def test_the_pdf_actielijst_is_tagged_with_bookmarks(store: Store) -> None:
    reader = pypdf.PdfReader(io.BytesIO(render_actielijst(store, TODAY, "pdf")))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nl" and root["/MarkInfo"]["/Marked"]
    title, sections = [o if isinstance(o, list) else o.title for o in reader.outline]
    assert title == "Hecht — Actielijst Algemeen Bestuur"
    assert sections[0].title == "Open afspraken (14)"


def _cli(db_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HECHT_TRACKER")}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "hecht_tracker",
            "--db",
            str(db_path),
            "--today",
            "2026-11-23",
            *args,
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def test_the_command_writes_the_list_and_refuses_an_unknown_body_in_dutch(
    db_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "actielijst.md"
    done = _cli(
        db_path, "report", "actielijst", "--body", "ab", "--format", "markdown", "--out", str(out)
    )
    assert done.returncode == 0, done.stderr
    assert out.read_text("utf-8").startswith("# Hecht — Actielijst Algemeen Bestuur")
    refused = _cli(db_path, "report", "actielijst", "--body", "Raad", "--out", str(tmp_path / "x"))
    assert refused.returncode != 0
    assert refused.stderr.strip().splitlines() == [
        "Fout: Onbekend orgaan 'Raad'. Kies uit: AB, DB, Auditcommissie, BAO, Directie, Hecht."
    ]
    assert not (tmp_path / "x").exists()
