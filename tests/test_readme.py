"""The README is a promise: every hecht-tracker command in its shell blocks runs as written."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from hecht_tracker.cli import cli

README = Path(__file__).resolve().parent.parent / "README.md"
# Commands that keep running (a server, the interface) are started by their own tests.
LONG_RUNNING = ("calendar serve",)


def readme_commands() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    commands = []
    for block in blocks:
        for line in block.splitlines():
            line = line.split("  #")[0].strip()
            if line.startswith("hecht-tracker ") and not any(s in line for s in LONG_RUNNING):
                commands.append(line)
    return commands


def test_the_readme_has_commands_to_check() -> None:
    assert len(readme_commands()) >= 25


def test_every_readme_command_works_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HECHT_TRACKER_TODAY", "2026-11-23")
    monkeypatch.delenv("HECHT_TRACKER_DB", raising=False)
    for command in readme_commands():
        result = CliRunner().invoke(cli, shlex.split(command)[1:])
        assert result.exit_code == 0, f"{command}\n{result.output}{result.stderr}"
