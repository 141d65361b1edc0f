"""A command loads only what it needs: the holiday calendar only when a meeting's date, body or
kind moves, or when a lateness in working days is shown (it alone costs more than the rest of a
small update), and only its own module of commands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PROBE = """
import json, sys
from hecht_tracker.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)))
"""


def _modules(*args: str) -> list[str]:
    """The modules one run of the command line with ``args`` loaded, in a fresh process."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        check=True,
    )
    found: list[str] = json.loads(result.stdout.strip().splitlines()[-1])
    return found


def _loads_holidays(db: Path, *args: str, today: str = "2026-11-23") -> bool:
    return "holidays" in _modules("--db", str(db), "--today", today, *args)


def test_a_new_location_leaves_the_holiday_calendar_unloaded(tmp_path: Path) -> None:
    db = tmp_path / "hecht.sqlite"
    subprocess.run(
        [sys.executable, "-m", "hecht_tracker", "--db", str(db), "init"],
        check=True,
        capture_output=True,
    )
    assert not _loads_holidays(db, "milestone", "update", "6", "--location", "Leiden")
    assert _loads_holidays(db, "milestone", "update", "6", "--date", "3-12-2026")


def test_a_list_loads_the_holiday_calendar_only_when_it_shows_a_lateness(tmp_path: Path) -> None:
    db = tmp_path / "hecht.sqlite"
    subprocess.run(
        [sys.executable, "-m", "hecht_tracker", "--db", str(db), "init"],
        check=True,
        capture_output=True,
    )
    # 23 November: the DB of 26 November has its papers (due 19 November) out late, shown in
    # working days under the list. 30 November: that meeting has passed, nothing is late.
    assert _loads_holidays(db, "milestone", "list")
    assert not _loads_holidays(db, "milestone", "list", today="2026-11-30")
    assert not _loads_holidays(db, "milestone", "list", "--json")


def _command_modules(*args: str) -> list[str]:
    return [m.rsplit(".", 1)[1] for m in _modules(*args) if m.startswith("hecht_tracker.cli.")]


def test_a_command_loads_its_own_module_of_commands_only() -> None:
    assert _command_modules("--version") == ["context"]
    assert _command_modules("undo", "--help") == ["context", "history"]


def test_the_help_lists_every_command_of_every_module() -> None:
    import importlib

    from hecht_tracker.cli import cli

    for name, module in cli.lazy_commands.items():
        commands = importlib.import_module(f"hecht_tracker.cli.{module}").COMMANDS
        assert name in [command.name for command in commands]
    listed = subprocess.run(
        [sys.executable, "-m", "hecht_tracker", "--help"], capture_output=True, text=True
    ).stdout
    for name in cli.lazy_commands:
        assert f"\n  {name} " in listed
