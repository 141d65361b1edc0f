"""The layers hold: the contracts in pyproject.toml pass, CI and the README run the same checks,
and importing the core and the wording loads no UI, storage or renderer."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN_IN_CORE = ("textual", "click", "rich", "fpdf", "waitress", "sqlite3", "sqlite_utils")


def _loaded_after(code: str) -> list[str]:
    probe = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True
    )
    loaded: list[str] = json.loads(result.stdout)
    return loaded


def test_the_import_contracts_are_kept() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--no-cache"], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_ci_and_the_readme_run_the_same_checks_including_the_contracts() -> None:
    ci_chain = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "lint-imports" in ci_chain
    commands = re.findall(r"^python3 -m venv .*$", readme, flags=re.M)
    assert any(command.endswith(ci_chain) for command in commands)


def test_the_core_and_the_wording_load_no_ui_storage_or_renderer() -> None:
    loaded = _loaded_after(
        "import hecht_tracker.core.status, hecht_tracker.core.snapshot, hecht_tracker.core.kinds\n"
        "import hecht_tracker.core.fields, hecht_tracker.text.status, hecht_tracker.text.display"
    )
    assert not [m for m in loaded if m.split(".")[0] in FORBIDDEN_IN_CORE]
    assert not [
        m
        for m in loaded
        if m.startswith(("hecht_tracker.storage", "hecht_tracker.render", "hecht_tracker.tui"))
        or m.startswith(("hecht_tracker.cli", "hecht_tracker.serve"))
    ]
