"""The tracker against its floors and its peers at 1k, 10k and 100k milestones (run by hand).

    .venv/bin/python benchmarks/bench.py [--sizes 1000,10000,100000] [--runs 3] [--out results.md]
    .venv/bin/python benchmarks/bench.py --sizes 1000 --check   # exit 1 when a goal is missed

For each size it generates seeded, realistic data (milestones, as many actions, 1,000 benefits
with measurements, about ten journal rows per milestone), loads it through the tracker's own
import, loads the same appointments into calcurse and Taskwarrior (installed with apt-get when
missing), and times whole processes: medians of ``--runs`` wall-clock runs, with each process's
peak memory. Every operation has a time limit (``--timeout``); one that runs out shows as
"> N s" and counts as a missed goal. See benchmarks/README.md for what each row means.

Everything goes through the ``hecht-tracker`` command, except the terminal interface, which
``tui_driver.py`` drives headless through Textual's Pilot, so the benchmark keeps working while
the modules inside the package move.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import dataset  # noqa: E402  (beside this file, not a package)

PYTHON = sys.executable
TODAY = dataset.TODAY.isoformat()
FILTER_KEYS = "vbdkaom"  # one sample per letter; median reported
MB = 1024 * 1024


# --- running one process -------------------------------------------------------------------------


@dataclass
class Sample:
    seconds: float | None  # None: the time limit ran out
    rss_bytes: int
    returncode: int
    stdout: str = ""
    stderr: str = ""


LAUNCHER = HERE / "launch.py"


def run(
    command: Sequence[str],
    timeout: float,
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    capture: bool = False,
) -> Sample:
    """Run ``command`` once; wall-clock seconds and the peak resident memory of that process.

    The command is started by ``launch.py``, a small separate process, never forked from this
    one: on Linux a child's ``ru_maxrss`` starts from the peak of the process it was forked
    from, and this one holds the generated data. The launcher times the command from its fork
    (its own start-up is not counted), takes its own rusage with ``os.wait4``
    (``getrusage(RUSAGE_CHILDREN)`` would only give the largest of all children so far) and
    kills the command's process group when time runs out.
    """
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as folder,
    ):
        report = Path(folder) / "report.json"
        launcher = subprocess.Popen(
            [PYTHON, "-I", "-S", str(LAUNCHER), str(report), str(timeout), "--", *command],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out if capture else subprocess.DEVNULL,
            stderr=err,
            start_new_session=True,
        )
        hung = False
        try:
            # The launcher enforces the limit itself; this only guards against a launcher
            # that hangs.
            launcher.wait(timeout + 60)
        except subprocess.TimeoutExpired:
            hung = True
            with contextlib.suppress(ProcessLookupError):
                os.killpg(launcher.pid, signal.SIGKILL)
            launcher.wait()
        out.seek(0)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
        try:
            found = json.loads(report.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # the launcher itself failed: no measurement
            return Sample(None if hung else 0.0, 0, launcher.returncode or 1, "", stderr)
        return Sample(
            None if found["expired"] else found["seconds"],
            found["maxrss_kb"] * 1024,  # kilobytes on Linux
            found["returncode"],
            out.read().decode("utf-8", "replace") if capture else "",
            stderr,
        )


@dataclass
class Result:
    """The samples of one operation at one size."""

    seconds: list[float] = field(default_factory=list)
    rss_bytes: int = 0
    timeout: float | None = None  # set when a run hit the limit
    error: str = ""
    unit: str = "s"  # "ms" for in-process key timings
    skipped: str = ""  # why it was not measured

    @property
    def median(self) -> float | None:
        if self.timeout is not None or self.error or not self.seconds:
            return None
        return statistics.median(self.seconds)

    def text(self) -> str:
        if self.timeout is not None:
            return f"> {self.timeout:g} s"
        if self.error:
            return "error"
        if self.skipped:
            return self.skipped
        if not self.seconds:
            return "—"
        value = self.median or 0.0
        return f"{value:.1f} ms" if self.unit == "ms" else f"{value:.3f} s"


def measure(
    command: Callable[[int], Sequence[str]],
    runs: int,
    timeout: float,
    *,
    prepare: Callable[[int], None] | None = None,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> Result:
    """Median of ``runs`` processes; ``prepare(i)`` runs untimed before run ``i``.

    A run that times out or fails ends the series: repeating it would only say the same.
    """
    result = Result()
    for index in range(runs):
        if prepare is not None:
            prepare(index)
        sample = run(command(index), timeout, cwd=cwd, env=env)
        result.rss_bytes = max(result.rss_bytes, sample.rss_bytes)
        if sample.seconds is None:
            result.timeout = timeout
            break
        if sample.returncode != 0:
            result.error = _last_line(sample.stderr)
            break
        result.seconds.append(sample.seconds)
    return result


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else "(no message)"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- the programs ----------------------------------------------------------------------------------


def tracker_command() -> list[str]:
    """``hecht-tracker`` as installed beside this Python, else ``python -m hecht_tracker``."""
    script = Path(PYTHON).parent / "hecht-tracker"
    return [str(script)] if script.exists() else [PYTHON, "-m", "hecht_tracker"]


def compile_tracker() -> None:
    """Compile the tracker's modules to bytecode first, as ``pip install`` does: from a
    checkout (an editable install) under PYTHONDONTWRITEBYTECODE, every run would otherwise
    compile the sources again, a cost no installed copy has."""
    subprocess.run(
        [
            PYTHON,
            "-c",
            "import compileall, os, hecht_tracker; "
            "compileall.compile_dir(os.path.dirname(hecht_tracker.__file__), quiet=1)",
        ],
        check=True,
    )


def tracker(db: Path, *args: str) -> list[str]:
    return [*tracker_command(), "--db", str(db), "--today", TODAY, *args]


def ensure_peers() -> dict[str, str]:
    """Install calcurse and Taskwarrior from Debian's packages when missing; their versions."""
    wanted = {"calcurse": "calcurse", "task": "taskwarrior"}
    missing = [package for program, package in wanted.items() if not shutil.which(program)]
    if missing and shutil.which("apt-get") and os.geteuid() == 0:
        log(f"installing {', '.join(missing)} with apt-get …")
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env, **quiet)
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=False, env=env, **quiet)
    versions = {}
    for program in wanted:
        if not shutil.which(program):
            log(f"{program}: not installed and could not be installed; its rows are skipped")
            continue
        done = subprocess.run([program, "--version"], capture_output=True, text=True, check=False)
        words = (done.stdout.strip().splitlines() or ["?"])[0].split()
        # calcurse says "calcurse 4.7.1 -- text-based organizer", task just "2.6.2".
        versions[program] = f"{program} {next((w for w in words if w[:1].isdigit()), '?')}"
    return versions


def taskwarrior_env(folder: Path) -> dict[str, str]:
    """A private Taskwarrior: its own rc and data, no confirmations, hooks or garbage collection."""
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    rc = folder / "taskrc"
    rc.write_text(
        f"data.location={data}\nconfirmation=off\nverbose=nothing\nhooks=off\ngc=off\n"
        "recurrence=off\njson.array=on\n",
        encoding="utf-8",
    )
    return {**os.environ, "TASKRC": str(rc), "TASKDATA": str(data)}


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite file (with its WAL) through the backup API."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def ids_by_uid(db: Path, table: str, prefix: str) -> dict[str, int]:
    """Read uid → id straight from the file: the import refers to milestones by id only."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(f"SELECT uid, id FROM {table} WHERE uid LIKE ?", (f"{prefix}%",))
        found = dict(rows.fetchall())
    conn.close()
    return found


def add_measurements(db: Path, measurements: list[tuple[str, str, str, str]]) -> str:
    """Write benefit measurements (and their journal rows) straight into the file.

    An import treats measurements as read-only and ``benefit measure`` takes one per process,
    so 1,000 benefits' worth would take minutes; this writes what that command writes, in one
    transaction. Returns an empty string, or why it was skipped.
    """
    benefits = ids_by_uid(db, "benefit", "bench-b")
    stamp = "2026-11-23T08:00:00Z"
    try:
        with sqlite3.connect(db) as conn:
            for uid, day, value, note in measurements:
                benefit_id = benefits[uid]
                conn.execute(
                    "INSERT INTO measurement (benefit_id, date, value, note, created) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (benefit_id, day, value, note, stamp),
                )
                conn.execute(
                    "INSERT INTO journal (at, entity, entity_id, field, old, new, note) "
                    "VALUES (?, 'benefit', ?, 'measurement', NULL, ?, ?)",
                    (stamp, benefit_id, f"{day}: {value}", note),
                )
        conn.close()
    except (sqlite3.Error, KeyError) as error:
        return f"measurements not added ({error})"
    return ""


def count_rows(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        (count,) = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
    conn.close()
    return int(count)


# --- one size --------------------------------------------------------------------------------------


@dataclass
class SizeRun:
    size: int
    results: dict[str, Result] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    loaded: bool = False


def bench_size(size: int, runs: int, timeout: float, load_timeout: float, root: Path) -> SizeRun:
    """Generate, load and measure everything at one size."""
    outcome = SizeRun(size)
    folder = root / f"n{size}"
    folder.mkdir(parents=True)
    start = time.perf_counter()
    data = dataset.generate(folder, size)
    outcome.notes.append(f"generating the data took {time.perf_counter() - start:.1f} s")
    log(f"[{size}] data generated in {folder}")
    db = folder / "hecht.sqlite"
    bench_tracker(outcome, data, db, runs, timeout, load_timeout, folder)
    # Floors and peers need no tracker database (but the sqlite3 floor): they are measured
    # even when loading failed, so a later run of the tracker has them to compare with.
    bench_floors_and_peers(outcome, data, db if outcome.loaded else None, runs, timeout, folder)
    return outcome


def bench_tracker(
    outcome: SizeRun,
    data: dataset.Dataset,
    db: Path,
    runs: int,
    timeout: float,
    load_timeout: float,
    folder: Path,
) -> None:
    """Load the data through the tracker's import and time its operations."""
    size = outcome.size
    results = outcome.results
    # The seeded database holds the programme and goals the imported records link to.
    base = folder / "base.sqlite"
    steps = [
        (tracker(base, "init"), "init"),
        (tracker(base, "import", str(data.benefits), "--kind", "benefits"), "import benefits"),
    ]
    for command, name in steps:
        sample = run(command, load_timeout, cwd=folder)
        if sample.seconds is None or sample.returncode:
            outcome.notes.append(f"{name} failed: {_last_line(sample.stderr)}")
            return

    log(f"[{size}] import of {size} milestones × {runs}")
    results["import"] = measure(
        lambda i: tracker(db, "import", str(data.milestones), "--kind", "milestones"),
        runs,
        load_timeout,
        prepare=lambda i: copy_database(base, db),
        cwd=folder,
    )
    if results["import"].median is None:
        outcome.notes.append(
            "the milestone import did not finish: no other tracker operation was measured"
        )
        return

    milestone_ids = sorted(ids_by_uid(db, "milestone", "bench-m").values())
    dataset.write_actions(data, milestone_ids)
    for path, kind in (
        (data.actions, "actions"),
        (data.milestone_updates, "milestones"),
        (data.action_updates, "actions"),
    ):
        log(f"[{size}] loading {path.name}")
        sample = run(tracker(db, "import", str(path), "--kind", kind), load_timeout, cwd=folder)
        if sample.seconds is None or sample.returncode:
            reason = "time ran out" if sample.seconds is None else _last_line(sample.stderr)
            outcome.notes.append(f"import of {path.name} failed ({reason}); measured without it")
        else:
            outcome.notes.append(f"import of {path.name}: {sample.seconds:.1f} s")
    skipped = add_measurements(db, data.measurements)
    if skipped:
        outcome.notes.append(skipped)
    outcome.notes.append(
        "database: "
        + ", ".join(
            f"{count_rows(db, table):,} {table}"
            for table in ("milestone", "action", "benefit", "measurement", "journal")
        )
    )
    loaded = folder / "loaded.sqlite"
    copy_database(db, loaded)
    outcome.loaded = True

    # Calendar export: the first run into an empty folder (every event new), then again with
    # nothing changed. Each run starts from the loaded database, so a tracker that keeps
    # calendar state in the database starts from the same state every time.
    log(f"[{size}] calendar export")
    new, unchanged = Result(), Result()
    for index in range(runs):
        run_db = folder / "export.sqlite"
        copy_database(loaded, run_db)
        out_dir = folder / f"calendars-{index}"
        command = tracker(run_db, "calendar", "export", "--out", str(out_dir))
        for result in (new, unchanged):
            sample = run(command, timeout, cwd=folder)
            result.rss_bytes = max(result.rss_bytes, sample.rss_bytes)
            if sample.seconds is None:
                result.timeout = timeout
            elif sample.returncode:
                result.error = _last_line(sample.stderr)
            else:
                result.seconds.append(sample.seconds)
            if result.timeout or result.error:
                break
        if new.timeout or new.error or unchanged.timeout or unchanged.error:
            break
    if not (new.seconds or unchanged.seconds or unchanged.error):
        unchanged.skipped = "not run: the first export did not finish"
    results["export new"], results["export unchanged"] = new, unchanged

    log(f"[{size}] list, reports")
    results["list json"] = measure(
        lambda i: tracker(db, "milestone", "list", "--json"), runs, timeout, cwd=folder
    )
    # The report as cron makes it: on the real day, after the data was loaded. (With the
    # data's own --today, every import would lie in the report's future, and each run would
    # first rewind the whole journal to that day: a different, rarer operation.)
    for fmt, suffix in (("text", "txt"), ("html", "html")):
        results[f"report {fmt}"] = measure(
            lambda i, fmt=fmt, suffix=suffix: [
                *tracker_command(),
                "--db",
                str(db),
                *("report", "weekly", "--format", fmt, "--out", str(folder / f"rapport.{suffix}")),
            ],
            runs,
            timeout,
            cwd=folder,
        )

    log(f"[{size}] terminal interface")
    driver = str(HERE / "tui_driver.py")
    results["tui first frame"] = measure(
        lambda i: [PYTHON, driver, "first-frame", str(db), TODAY], runs, timeout, cwd=folder
    )
    results["tui ready"] = measure(
        lambda i: [PYTHON, driver, "ready", str(db), TODAY], runs, timeout, cwd=folder
    )
    results["tui empty"] = measure(
        lambda i: [PYTHON, driver, "first-frame", "--empty"], runs, timeout, cwd=folder
    )
    results["tui stock"] = measure(
        lambda i: [PYTHON, driver, "first-frame", "--stock"], runs, timeout, cwd=folder
    )
    results["tui filter"], results["tui filter settled"] = tui_filter(
        db, driver, runs, timeout, folder
    )

    log(f"[{size}] one update")
    target = milestone_ids[len(milestone_ids) // 2]
    stamp = time.time_ns()
    results["update"] = measure(
        lambda i: tracker(
            db, "milestone", "update", str(target), "--location", f"Zaal {stamp}-{i}"
        ),
        runs,
        timeout,
        cwd=folder,
    )


def bench_floors_and_peers(
    outcome: SizeRun,
    data: dataset.Dataset,
    db: Path | None,
    runs: int,
    timeout: float,
    folder: Path,
) -> None:
    """Time the floors (start-up, sqlite3, icalendar) and the peers on the same items."""
    size = outcome.size
    results = outcome.results
    log(f"[{size}] floors")
    results["version"] = measure(
        lambda i: [*tracker_command(), "--version"], runs, timeout, cwd=folder
    )
    if db is not None:
        fetch = (
            "import sqlite3, sys; "
            "sqlite3.connect(sys.argv[1]).execute('SELECT * FROM milestone').fetchall()"
        )
        results["sqlite floor"] = measure(
            lambda i: [PYTHON, "-c", fetch, str(db)], runs, timeout, cwd=folder
        )
    results["icalendar floor"] = measure(
        lambda i: [PYTHON, str(HERE / "ical_floor.py"), str(data.milestones)],
        runs,
        timeout,
        cwd=folder,
    )

    if shutil.which("calcurse"):
        log(f"[{size}] calcurse")
        calcurse_dir = str(data.calcurse_apts.parent)
        results["calcurse export"] = measure(
            lambda i: ["calcurse", "-D", calcurse_dir, "-xical"], runs, timeout, cwd=folder
        )
    if shutil.which("task"):
        log(f"[{size}] taskwarrior")
        env = taskwarrior_env(folder / "taskwarrior")
        results["task import"] = measure(
            lambda i: ["task", "import", str(data.taskwarrior)],
            1,
            timeout,
            cwd=folder,
            env=env,
        )
        results["task export"] = measure(
            lambda i: ["task", "export"], runs, timeout, cwd=folder, env=env
        )


def tui_filter(
    db: Path, driver: str, runs: int, timeout: float, folder: Path
) -> tuple[Result, Result]:
    """Per key of every run, in milliseconds: until the filtered table is on screen, and until
    the screen stops changing (the details of the record then under the cursor)."""
    shown, settled = Result(unit="ms"), Result(unit="ms")
    for _ in range(runs):
        sample = run(
            [PYTHON, driver, "filter", str(db), TODAY, FILTER_KEYS],
            timeout,
            cwd=folder,
            capture=True,
        )
        for result in (shown, settled):
            result.rss_bytes = max(result.rss_bytes, sample.rss_bytes)
        if sample.seconds is None:
            shown.timeout = settled.timeout = timeout
            break
        try:
            found = json.loads(sample.stdout.strip().splitlines()[-1])
            shown.seconds.extend(found["filter_ms"])
            settled.seconds.extend(found["settled_ms"])
        except (ValueError, KeyError, IndexError):
            shown.error = settled.error = _last_line(sample.stderr)
            break
    return shown, settled


# --- the table -------------------------------------------------------------------------------------


@dataclass
class Row:
    operation: str
    tracker: Result
    floor_name: str = ""
    floor: Result | None = None
    goal_text: str = ""
    ratio_limit: float | None = None  # goal as a ratio to the floor
    absolute_limit: float | None = None  # goal in seconds (ms for the filter row)

    def ratio(self) -> float | None:
        if self.floor is None or self.floor.median is None or self.tracker.median is None:
            return None
        return self.tracker.median / self.floor.median

    def met(self) -> bool | None:
        """True/False when the row has a goal; None when it could not be judged.

        A run that timed out or failed misses its goal; a missing peer leaves it unjudged.
        """
        if self.ratio_limit is None and self.absolute_limit is None:
            return None
        if self.tracker.median is None:
            return False if (self.tracker.timeout or self.tracker.error) else None
        if self.absolute_limit is not None and self.tracker.median > self.absolute_limit:
            return False
        if self.ratio_limit is not None:
            ratio = self.ratio()
            if ratio is None:
                # A floor or peer that ran out of time is slower than the limit: the tracker
                # meets the goal when it finished within that limit times the allowed ratio.
                if self.floor is not None and self.floor.timeout is not None:
                    return self.tracker.median <= self.floor.timeout * self.ratio_limit
                return None
            return ratio <= self.ratio_limit
        return True


def rows_for(outcome: SizeRun) -> list[Row]:
    r = outcome.results
    empty = Result(skipped="" if outcome.loaded else "not measured")
    size = outcome.size
    big = size >= 100_000
    import_limit = {10_000: 0.5, 100_000: 5.0}.get(size)
    peak = Result(unit="MB")
    tracker_ops = ("import", "export new", "export unchanged", "list json", "report text")
    tracker_ops += ("report html", "tui first frame", "tui ready", "tui filter", "update")
    peak.rss_bytes = max((r[k].rss_bytes for k in tracker_ops if k in r), default=0)
    # Peak memory is compared as a number of megabytes, like a time against its limit.
    peak.seconds = [peak.rss_bytes / MB] if peak.rss_bytes else []
    return [
        Row(
            "`calendar export`, nothing changed",
            r.get("export unchanged", empty),
            "calcurse `-xical`",
            r.get("calcurse export"),
            "≤ 1.0× calcurse",
            ratio_limit=1.0,
        ),
        Row(
            "`calendar export`, every event new",
            r.get("export new", empty),
            "bare icalendar loop",
            r.get("icalendar floor"),
            "≤ 1.0× loop",
            ratio_limit=1.0,
        ),
        Row(
            "`milestone list --json`",
            r.get("list json", empty),
            "`task export`",
            r.get("task export"),
            "≤ 1.0× task",
            ratio_limit=1.0,
        ),
        Row(
            "`milestone list --json`",
            r.get("list json", empty),
            "python + sqlite3",
            r.get("sqlite floor"),
            "≤ 2.0× floor",
            ratio_limit=2.0,
        ),
        Row(
            "TUI first frame",
            r.get("tui first frame", empty),
            "empty Textual app",
            r.get("tui empty"),
            "≤ 1.3× empty" + (" and ≤ 2 s" if big else ""),
            ratio_limit=1.3,
            absolute_limit=2.0 if big else None,
        ),
        Row(
            "TUI first frame",
            r.get("tui first frame", empty),
            "Textual's stock widgets alone",
            r.get("tui stock"),
            "(no goal; what Textual's tabs, search field and footer cost)",
        ),
        Row(
            "TUI records on screen",
            r.get("tui ready", empty),
            "empty Textual app",
            r.get("tui empty"),
            "(no goal; the wait for the rows)",
        ),
        Row(
            "TUI filter keystroke (key → filtered table on screen)",
            r.get("tui filter", empty),
            goal_text="≤ 50 ms",
            absolute_limit=50.0,
        ),
        Row(
            "TUI filter keystroke (key → screen settled, with the details)",
            r.get("tui filter settled", empty),
            goal_text="(no goal)",
        ),
        Row(
            "one `milestone update --location`",
            r.get("update", empty),
            "`--version`",
            r.get("version"),
            "≤ 1.5× --version",
            ratio_limit=1.5,
        ),
        Row(
            "`report weekly --format text`",
            r.get("report text", empty),
            goal_text="≤ 0.5 s",
            absolute_limit=0.5,
        ),
        Row(
            "`report weekly --format html`",
            r.get("report html", empty),
            goal_text="≤ 1 s",
            absolute_limit=1.0,
        ),
        Row(
            f"import of {size:,} milestones",
            r.get("import", empty),
            "`task import` (once)",
            r.get("task import"),
            f"≤ {import_limit:g} s" if import_limit else "—",
            absolute_limit=import_limit,
        ),
        Row(
            "peak memory (largest tracker process)",
            peak,
            goal_text="< 300 MB",
            absolute_limit=300.0,
        ),
    ]


def _cell(result: Result | None) -> str:
    if result is None:
        return "—"
    if result.unit == "MB":
        return f"{result.rss_bytes / MB:.0f} MB"
    return result.text()


def table(outcome: SizeRun) -> str:
    lines = [
        f"### {outcome.size:,} milestones",
        "",
        "| operation | tracker | floor/peer | ratio | goal | met? |",
        "| --- | ---: | --- | ---: | --- | --- |",
    ]
    for row in rows_for(outcome):
        floor = f"{row.floor_name} {_cell(row.floor)}" if row.floor_name else "—"
        ratio = row.ratio()
        if ratio is not None:
            ratio_text = f"{ratio:.2f}×"
        elif row.tracker.timeout and row.floor is not None and row.floor.median:
            ratio_text = f"> {row.tracker.timeout / row.floor.median:.0f}×"  # a lower bound
        elif row.tracker.median and row.floor is not None and row.floor.timeout:
            ratio_text = f"< {row.tracker.median / row.floor.timeout:.2f}×"  # an upper bound
        else:
            ratio_text = "—"
        met = {True: "yes", False: "**no**", None: "—"}[row.met()]
        lines.append(
            f"| {row.operation} | {_cell(row.tracker)} | {floor} | {ratio_text} | "
            f"{row.goal_text or '—'} | {met} |"
        )
    lines.append("")
    lines.extend(f"- {note}" for note in outcome.notes)
    lines.extend(
        f"- {name} failed: {result.error}"
        for name, result in outcome.results.items()
        if result.error
    )
    return "\n".join(lines)


SLOPE_OPS = (
    ("import", "import of N milestones"),
    ("export new", "`calendar export`, every event new"),
    ("export unchanged", "`calendar export`, nothing changed"),
    ("list json", "`milestone list --json`"),
    ("report text", "`report weekly --format text`"),
    ("report html", "`report weekly --format html`"),
    ("tui first frame", "TUI first frame"),
    ("tui ready", "TUI records on screen"),
    ("tui filter", "TUI filter keystroke"),
    ("tui filter settled", "TUI filter keystroke, screen settled"),
    ("update", "one `milestone update` (a single write)"),
    ("calcurse export", "calcurse `-xical` (peer)"),
    ("task export", "`task export` (peer)"),
    ("icalendar floor", "bare icalendar loop (floor)"),
)


def slope_table(outcomes: list[SizeRun]) -> str:
    """Time ratio ÷ size ratio from the smallest to the largest size; 1.0 is linear."""
    done = [o for o in outcomes if o.loaded]
    if len(done) < 2:
        return ""
    small, large = done[0], done[-1]
    growth = large.size / small.size
    lines = [
        f"### Slope from {small.size:,} to {large.size:,} milestones (size × {growth:g})",
        "",
        "| operation | time ratio | slope (time ratio ÷ size ratio) | peak RSS at "
        f"{large.size:,} | flag |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for key, name in SLOPE_OPS:
        a, b = small.results.get(key), large.results.get(key)
        if a is None or b is None or a.median is None:
            continue
        if b.median is not None:
            times = b.median / a.median
            shown, bound = f"{times:.1f}×", ""
        elif b.timeout is not None:
            times = b.timeout / a.median
            shown, bound = f"> {times:.1f}×", "> "
        else:
            continue
        slope = times / growth
        if key == "update":
            flag = "a single write grows" if times > 1.25 else ""
        else:
            flag = "faster than linear" if slope > 1.1 else ""
        rss = f"{b.rss_bytes / MB:.0f} MB" if b.rss_bytes else "—"
        lines.append(f"| {name} | {shown} | {bound}{slope:.2f} | {rss} | {flag or 'ok'} |")
    return "\n".join(lines)


def machine(versions: dict[str, str]) -> str:
    cpu = "?"
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = "?"
    with open("/proc/meminfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    tracker_version = subprocess.run(
        [*tracker_command(), "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    commit = subprocess.run(
        ["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    parts = [
        f"CPU {cpu}, {os.cpu_count()} cores, {ram} RAM",
        f"{platform.system()} {platform.release()}",
        # Other work on the machine slows every row alike; the load says how busy it was.
        "load average at the end {:.1f} / {:.1f} / {:.1f}".format(*os.getloadavg()),
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}",
        f"{tracker_version or 'hecht-tracker ?'}" + (f" (commit {commit})" if commit else ""),
        *(f"{version}" for version in versions.values()),
    ]
    return "Machine: " + "; ".join(parts) + "."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="1000,10000,100000", help="milestone counts, comma-separated"
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per operation (median)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per operation run")
    parser.add_argument(
        "--load-timeout", type=float, default=900.0, help="seconds per loading step (imports)"
    )
    parser.add_argument("--out", type=Path, help="also write the tables to this Markdown file")
    parser.add_argument("--keep", type=Path, help="keep the generated data in this folder")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    options = parser.parse_args(argv)
    sizes = sorted(int(size.replace("_", "")) for size in options.sizes.split(","))

    versions = ensure_peers()
    compile_tracker()
    root = Path(tempfile.mkdtemp(prefix="hecht-bench-")) if options.keep is None else options.keep
    root.mkdir(parents=True, exist_ok=True)
    outcomes = []
    try:
        for size in sizes:
            outcome = bench_size(size, options.runs, options.timeout, options.load_timeout, root)
            outcomes.append(outcome)
            print(table(outcome) + "\n", flush=True)
    finally:
        if options.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    slopes = slope_table(outcomes)
    about = machine(versions)
    print(slopes + "\n\n" + about if slopes else about)
    if options.out:
        header = (
            f"Medians of {options.runs} runs, wall clock of whole processes; "
            f"time limit {options.timeout:g} s per run.\n\n"
        )
        body = "\n\n".join(table(o) for o in outcomes)
        options.out.write_text(
            header + body + ("\n\n" + slopes if slopes else "") + "\n\n" + about + "\n",
            encoding="utf-8",
        )
    missed = any(row.met() is False for o in outcomes for row in rows_for(o))
    missed |= any(not o.loaded for o in outcomes)
    return 1 if options.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
