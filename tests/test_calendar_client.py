"""End to end in a real calendar client: vdirsyncer subscribes to the live feed.

The tracker's own ``calendar serve`` runs as a subprocess on an ephemeral loopback port, with a
token as in production. vdirsyncer (``http`` storage reading the feed URL, ``filesystem`` storage
as the client's calendar) subscribes; then the DB meeting of 26 nov moves to 3 dec through the
CLI, vdirsyncer syncs again and its stored copy must show 3 dec.

vdirsyncer 0.21 takes the first ``UID`` line of an item as the item's identity, and so mistakes
the calendar's own RFC 7986 UID for the event's (upstream issue pimutils/vdirsyncer#1222): every
event would collapse into one. Its documented ``filter_hook`` drops that one calendar-level line
before vdirsyncer looks at the item; the events themselves reach the client untouched.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from hecht_tracker.storage.store import Store

VDIRSYNCER = Path(sys.executable).with_name("vdirsyncer")
TOKEN = "e2e-token-b7c9d2"

pytestmark = pytest.mark.skipif(
    not VDIRSYNCER.exists() and shutil.which("vdirsyncer") is None,
    reason="vdirsyncer is not installed (pip install '.[test]')",
)


def hecht(db_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hecht_tracker", "--db", str(db_path), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def feed_url(db_path: Path) -> Iterator[str]:
    """The tracker's feed as a user starts it, on a free port; always stopped afterwards."""
    with Store.open(db_path) as opened:
        opened.update_settings({"feed_token": TOKEN})
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "hecht_tracker",
            "--db",
            str(db_path),
            "calendar",
            "serve",
            "--port",
            "0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:\d+)/", first)
        assert match, (
            f"serve printed {first!r}; stderr: {process.stderr.read() if process.poll() is not None and process.stderr else ''}"
        )
        yield match.group(1)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def write_client_config(folder: Path, url: str) -> Path:
    hook = folder / "drop-calendar-uid"
    hook.write_text(
        f"#!{sys.executable}\n"
        + textwrap.dedent(
            """\
            import sys

            # Drop the VCALENDAR-level UID (before the first component); keep everything else.
            text = sys.stdin.read()
            lines, seen_component = [], False
            for line in text.splitlines(keepends=True):
                if line.startswith("BEGIN:") and not line.startswith("BEGIN:VCALENDAR"):
                    seen_component = True
                if not seen_component and line.startswith(("UID:", "UID;")):
                    continue
                lines.append(line)
            sys.stdout.write("".join(lines))
            """
        )
    )
    hook.chmod(0o755)
    (folder / "local").mkdir()
    config = folder / "config"
    config.write_text(
        textwrap.dedent(
            f"""\
            [general]
            status_path = "{folder / "status"}/"

            [pair hecht]
            a = "hecht_feed"
            b = "hecht_local"
            collections = null
            conflict_resolution = "a wins"

            [storage hecht_feed]
            type = "http"
            url = "{url}"
            filter_hook = "{hook}"

            [storage hecht_local]
            type = "filesystem"
            path = "{folder / "local"}/"
            fileext = ".ics"
            """
        )
    )
    return config


def vdirsyncer(config: Path, *args: str) -> None:
    executable = str(VDIRSYNCER) if VDIRSYNCER.exists() else "vdirsyncer"
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    result = subprocess.run(
        [executable, "-c", str(config), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
        input="",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def client_events(folder: Path) -> dict[str, str]:
    """SUMMARY → the stored item text, as the client keeps them (one file per event)."""
    found = {}
    for path in (folder / "local").glob("*.ics"):
        text = path.read_text(encoding="utf-8")
        assert text.count("BEGIN:VEVENT") == 1
        unfolded = text.replace("\r\n ", "").replace("\n ", "")
        summary = re.search(r"^SUMMARY:(.*)$", unfolded, re.MULTILINE)
        assert summary is not None
        found[summary.group(1).strip()] = unfolded
    return found


def test_a_subscribed_client_shows_the_db_meeting_moved_to_3_december(
    db_path: Path, feed_url: str, tmp_path: Path
) -> None:
    client = tmp_path / "client"
    client.mkdir()
    config = write_client_config(client, f"{feed_url}/{TOKEN}/db.ics")
    vdirsyncer(config, "discover", "hecht")
    vdirsyncer(config, "sync", "hecht")

    summary = "DB — Akkoord doorgeleiden strategisch werkplan"
    events = client_events(client)
    assert set(events) == {summary, "DB — Bespreken strategisch werkplan"}
    assert "DTSTART;VALUE=DATE:20261126" in events[summary]
    assert "SEQUENCE:0" in events[summary]

    moved = hecht(
        db_path, "milestone", "update", "6", "--date", "2026-12-03", "--note", "DB verplaatst"
    )
    assert moved.returncode == 0, moved.stderr

    vdirsyncer(config, "sync", "hecht")
    events = client_events(client)
    assert set(events) == {summary, "DB — Bespreken strategisch werkplan"}
    assert "DTSTART;VALUE=DATE:20261203" in events[summary]
    assert "DTEND;VALUE=DATE:20261204" in events[summary]
    assert "SEQUENCE:1" in events[summary]
    assert "20261126" not in events[summary]


def test_a_client_without_the_token_gets_nothing(
    db_path: Path, feed_url: str, tmp_path: Path
) -> None:
    client = tmp_path / "client"
    client.mkdir()
    config = write_client_config(client, f"{feed_url}/db.ics")
    executable = str(VDIRSYNCER) if VDIRSYNCER.exists() else "vdirsyncer"
    subprocess.run(
        [executable, "-c", str(config), "discover", "hecht"],
        capture_output=True,
        timeout=120,
        check=False,
        input="",
    )
    result = subprocess.run(
        [executable, "-c", str(config), "sync", "hecht"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        input="",
    )
    assert result.returncode != 0
    assert "Not Found" in result.stdout + result.stderr
    assert list((client / "local").glob("*.ics")) == []
