"""The installed command as a user runs it: a real process, a real terminal-less pipe."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

DOMAIN_MODULES = [
    "hecht_tracker.core.model",
    "hecht_tracker.storage.store",
    "hecht_tracker.core.dates",
    "hecht_tracker.core.timeline",
    "hecht_tracker.core.fields",
    "hecht_tracker.text.display",
    "hecht_tracker.core.publication",
    "hecht_tracker.storage.seed",
    "hecht_tracker.transfer",
]


SOURCE_TREE = str(Path(__file__).resolve().parent.parent)


def hecht(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the command from another folder, on this source tree (not a stale installed copy)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("HECHT_TRACKER_")}
    clean["PYTHONPATH"] = SOURCE_TREE
    return subprocess.run(
        [sys.executable, "-m", "hecht_tracker", *args],
        cwd=cwd,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_first_run_creates_the_seeded_database_under_db_in_the_current_folder(
    tmp_path: Path,
) -> None:
    result = hecht(tmp_path, "--today", "2026-11-23", "milestone", "list")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "db" / "hecht.sqlite").exists()
    marked = [line for line in result.stdout.splitlines() if line.startswith("▶")]
    assert len(marked) == 1 and "do 26 nov 2026" in marked[0]
    assert "\x1b[" not in result.stdout  # no colour codes in a pipe


def test_json_output_and_env_vars_in_a_real_process(tmp_path: Path) -> None:
    env = {"HECHT_TRACKER_DB": str(tmp_path / "x.sqlite"), "HECHT_TRACKER_TODAY": "2026-11-23"}
    result = hecht(tmp_path, "milestone", "show", "7", "--json", env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["date"] == "2026-12-16"


def test_bad_input_is_one_dutch_line_without_traceback_and_exit_2(tmp_path: Path) -> None:
    hecht(tmp_path, "init")
    db = tmp_path / "db" / "hecht.sqlite"
    before = db.read_bytes()
    result = hecht(tmp_path, "milestone", "update", "6", "--date", "31-02-2026")
    assert result.returncode == 2
    assert result.stderr == "Fout: --date: De datum '31-02-2026' bestaat niet.\n"
    assert result.stdout == ""
    assert db.read_bytes() == before


def test_the_domain_imports_without_the_ui() -> None:
    code = (
        "import sys\n"
        f"for name in {DOMAIN_MODULES!r}: __import__(name)\n"
        "from hecht_tracker.storage.store import Store\n"
        "Store.memory(seed=True).milestones()\n"
        "leaked = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')\n"
        "                or m.startswith(('hecht_tracker.cli', 'hecht_tracker.tui')))\n"
        "print(','.join(leaked))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""


def test_no_domain_module_imports_textual_or_click() -> None:
    # sqlite-utils loads click for its own CLI; what matters is that our domain never uses it.
    package = Path(__file__).resolve().parent.parent / "hecht_tracker"
    offenders = []
    for path in package.rglob("*.py"):
        if {"cli", "tui"} & set(path.relative_to(package).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{path.name}: {n}" for n in names if n.split(".")[0] in ("textual", "click")
            ]
    assert offenders == []


def test_the_seed_ships_with_the_package(tmp_path: Path) -> None:
    # Runs whatever is installed: after a plain `pip install .` that is the wheel's seed_data.
    code = "from hecht_tracker.storage.seed import seed_folder; print(sorted(p.name for p in seed_folder().glob('*.toml')))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert "hecht.toml" in result.stdout
