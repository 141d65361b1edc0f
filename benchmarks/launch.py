"""Run one command and report its wall-clock time and its own rusage (used by ``bench.py``).

    python -I -S benchmarks/launch.py REPORT TIMEOUT -- COMMAND [ARG ...]

Why a separate process: on Linux a child's ``ru_maxrss`` starts from the peak resident memory
of the process it was forked from (at ``exec`` the kernel keeps the high-water mark of the
memory it replaces), so a command started by the benchmark, which holds the generated data,
would report at least the benchmark's own size. This launcher is a small interpreter started
without ``site`` that imports nothing beyond a few built-in modules, so the command it forks
starts from a few megabytes, and its clock starts at the fork, not at the launcher's own
start-up.

The command runs in a session (and process group) of its own, with the launcher's working
folder, environment, stdout and stderr; when ``TIMEOUT`` seconds run out the whole group is
killed. The report is one JSON object written to the file ``REPORT``: ``seconds`` (wall clock
from fork to exit), ``expired``, ``returncode`` (``-N`` when killed by signal N), ``maxrss_kb``,
``utime`` and ``stime``.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import time


def main(argv: list[str]) -> int:
    report, timeout, separator, *command = argv[1:]
    if separator != "--" or not command:
        print("usage: launch.py REPORT TIMEOUT -- COMMAND [ARG ...]", file=sys.stderr)
        return 2
    expired = False
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the command: its own session, so a timeout can kill all it started
        try:
            os.setsid()
            os.execvp(command[0], command)
        except OSError as error:
            os.write(2, f"{command[0]}: {error}\n".encode())
        os._exit(127)

    def kill(signum: int, frame: object) -> None:
        nonlocal expired
        expired = True
        with contextlib.suppress(ProcessLookupError):  # the group is gone already
            os.killpg(pid, signal.SIGKILL)

    signal.signal(signal.SIGALRM, kill)
    signal.setitimer(signal.ITIMER_REAL, float(timeout))
    _, status, usage = os.wait4(pid, 0)  # retried after the alarm's handler has run
    elapsed = time.perf_counter() - start
    signal.setitimer(signal.ITIMER_REAL, 0)
    with open(report, "w", encoding="utf-8") as file:
        json.dump(
            {
                "seconds": elapsed,
                "expired": expired,
                "returncode": os.waitstatus_to_exitcode(status),
                "maxrss_kb": usage.ru_maxrss,
                "utime": usage.ru_utime,
                "stime": usage.ru_stime,
            },
            file,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
