"""Speed of the things people wait for, measured on this machine (not a test: run it by hand).

    .venv/bin/python benchmarks/bench.py            # prints a table of medians
    .venv/bin/python benchmarks/bench.py --check    # exits 1 when a target is missed

Targets (medians): CLI start-up for --version under 0.3 s and a milestone list under 0.6 s on
the seeded database; on a database of 2,000 milestones a single update (with its journal row
and the calendar SEQUENCE refresh) under 0.25 s and listing all milestones under 0.25 s;
importing 2,000 actions under 5 s; the interface (headless, 120×36) showing the seeded
timeline under 1.5 s and opening an edit form under 1.5 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from hecht_tracker.core.model import Kind
from hecht_tracker.storage.store import Store

TARGETS = {
    "cli --version": 0.3,
    "cli milestone list (seed)": 0.6,
    "update 1 of 2000 milestones": 0.25,
    "list 2000 milestones": 0.25,
    "import 2000 actions": 5.0,
    "tui start (headless)": 1.5,
    "tui open edit form": 1.5,
}


def median_seconds(action: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def cli(folder: Path, *args: str) -> Callable[[], object]:
    command = [sys.executable, "-m", "hecht_tracker", "--today", "2026-11-23", *args]
    return lambda: subprocess.run(command, cwd=folder, check=True, capture_output=True)


def tui_timings(store: Store) -> tuple[float, float]:
    """Seconds until the interface shows the timeline, and for the edit form to open."""
    import asyncio

    from hecht_tracker.tui.app import HechtApp
    from hecht_tracker.tui.screens.form import FormScreen

    async def run() -> tuple[float, float]:
        start = time.perf_counter()
        app = HechtApp(store, dt.date(2026, 11, 23), blink=False)
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            started = time.perf_counter() - start
            start = time.perf_counter()
            await pilot.press("e")
            while not isinstance(app.screen, FormScreen):
                await pilot.pause(0.01)
            await pilot.pause()
            return started, time.perf_counter() - start

    return asyncio.run(run())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    options = parser.parse_args()
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cli(folder, "init")()
        results["cli --version"] = median_seconds(cli(folder, "--version"), 7)
        results["cli milestone list (seed)"] = median_seconds(cli(folder, "milestone", "list"), 7)

        big = Store.open(folder / "big.sqlite", seed=False)
        rows = [
            (
                f"rij {n}",
                {
                    "title": f"Mijlpaal {n}",
                    "date": dt.date(2027, 1, 1) + dt.timedelta(days=n % 700),
                    "body": ("AB", "DB", "Hecht")[n % 3],
                    "kind": Kind.MEETING,
                },
            )
            for n in range(2000)
        ]
        big.import_records("milestone", rows)
        counter = iter(range(10_000))
        results["update 1 of 2000 milestones"] = median_seconds(
            lambda: big.update("milestone", 1000, {"location": f"Zaal {next(counter)}"}), 9
        )
        results["list 2000 milestones"] = median_seconds(big.milestones, 9)
        source = folder / "acties.json"
        source.write_text(
            json.dumps(
                [
                    {"title": f"Actie {n}", "owner": "Hecht", "due_date": "2027-01-15"}
                    for n in range(2000)
                ]
            ),
            encoding="utf-8",
        )
        results["import 2000 actions"] = median_seconds(
            cli(folder, "--db", "big.sqlite", "import", str(source), "--kind", "actions"), 3
        )
        big.close()
        with Store.open(folder / "db" / "hecht.sqlite") as seeded:
            timings = [tui_timings(seeded) for _ in range(3)]
        results["tui start (headless)"] = statistics.median(t[0] for t in timings)
        results["tui open edit form"] = statistics.median(t[1] for t in timings)
    missed = False
    print(f"{'meting':<32} {'mediaan':>9} {'doel':>7}")
    for name, seconds in results.items():
        target = TARGETS[name]
        flag = "" if seconds <= target else "  TE TRAAG"
        missed |= bool(flag)
        print(f"{name:<32} {seconds:>8.3f}s {target:>6.2f}s{flag}")
    return 1 if options.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
