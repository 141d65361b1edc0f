"""Property test of the whole command line: whatever is typed, the answer is output with exit 0,
or one Dutch line with exit 1 or 2, never a traceback and never the last-resort message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hecht_tracker.cli import cli
from hecht_tracker.storage.store import Store

COMMANDS = [
    ["milestone", "add", "{v}", "--date", "{v}", "--body", "{v}"],
    ["milestone", "update", "{v}", "--date", "{v}"],
    ["milestone", "update", "6", "--start-time", "{v}", "--end-time", "{v}"],
    ["milestone", "update", "6", "--depends-on", "{v}", "--goal", "{v}"],
    ["milestone", "update", "6", "--status", "{v}", "--kind", "{v}", "--visibility", "{v}"],
    ["milestone", "update", "6", "--title", "{v}", "--location", "{v}", "--note", "{v}"],
    ["milestone", "list", "--from", "{v}", "--to", "{v}", "--body", "{v}"],
    ["milestone", "show", "{v}"],
    ["milestone", "delete", "{v}"],
    ["action", "add", "{v}", "--due-date", "{v}", "--milestone", "{v}", "--kind", "{v}"],
    ["benefit", "measure", "{v}", "{v}", "--date", "{v}"],
    ["goal", "add", "{v}", "--number", "{v}", "--programme", "{v}"],
    ["settings", "set", "{v}", "{v}"],
    ["settings", "set", "reminder-minutes", "{v}"],
    ["settings", "set", "documents-lead-days", "{v}"],
    ["settings", "set", "organizer-email", "{v}"],
    ["journal", "--since", "{v}"],
    ["report", "weekly", "--week", "{v}"],
    ["report", "weekly", "--date", "{v}"],
    ["{v}", "{v}"],
]
values = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "6",
            "99999999999999999999999",
            "1; DROP TABLE milestone",
            "31-02-2026",
            "1-1-0001",
            "25:00",
            "²",
            "١٦-١٢-٢٠٢٦",
            "\x00",
            "\udcff",
            "AB=10,DB=5",
            "a@b\nc",
            "16 dec",
            "2026-W99",
            "=1+1",
            "--",
            "-h",
            "x" * 5000,
        ]
    ),
    st.integers().map(str),
)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "bron.sqlite"
    Store.open(path).close()
    return path


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.sampled_from(COMMANDS), st.lists(values, min_size=8, max_size=8))
def test_any_command_line_ends_in_output_or_one_dutch_line(
    seeded: Path, tmp_path: Path, command: list[str], typed: list[str]
) -> None:
    db = tmp_path / "hecht.sqlite"
    shutil.copyfile(seeded, db)
    fill = iter(typed)
    args = [next(fill) if part == "{v}" else part for part in command]
    result = CliRunner().invoke(cli, ["--db", str(db), "--today", "2026-11-23", *args])
    assert result.exit_code in (0, 1, 2), result.exception
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    if result.exit_code != 0:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr[:500]
        assert lines[0].startswith("Fout: "), lines[0]
        assert "Onverwachte fout" not in lines[0], lines[0]
    assert "Traceback" not in result.output
