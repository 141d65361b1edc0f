"""Helpers the safety tests share: table dumps, real CLI processes, damaging a page."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

SOURCE_TREE = str(Path(__file__).resolve().parent.parent)
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in a stable order: what "the data" of a database is."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            name: sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
            for name in sorted(tables)
        }


def env() -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("HECHT_TRACKER_")}
    clean["PYTHONPATH"] = SOURCE_TREE
    return clean


def hecht(db: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The command as a user runs it, in its own process."""
    return subprocess.run(
        [sys.executable, "-m", "hecht_tracker", "--db", str(db), *args],
        env=env(),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def python(code: str, *args: str) -> subprocess.Popen[str]:
    """A second program on the same database: a Python process running ``code`` with ``args``."""
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        env=env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def damage_table_page(path: Path, table: str) -> None:
    """Overwrite the b-tree page header of ``table``'s root page with garbage."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
        ).fetchone()
    with path.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xff" * 16)


def run(db: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The command in this process (quicker than :func:`hecht`), with the same result shape."""
    from click.testing import CliRunner

    from hecht_tracker.cli import cli

    result = CliRunner().invoke(cli, ["--db", str(db), *args], input=stdin)
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)
