"""The feed under load and attack, over real HTTP on 127.0.0.1 only, in loops that end by
themselves: many readers while a writer holds long transactions, path traversal, oversized
URLs and headers, wrong tokens, and token comparison in constant time on every path.
"""

from __future__ import annotations

import ast
import http.client
import inspect
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from hecht_tracker.serve import feed as feed_module
from hecht_tracker.serve.feed import CalendarFeed, FeedServer
from hecht_tracker.storage.store import Store

TOKEN = "Geheim-token_0123456789abcdef"
CALENDARS = ("alle.ics", "ab.ics", "db.ics", "intern.ics")


def raw_request(server: FeedServer, request: bytes) -> tuple[int, bytes]:
    """Send bytes as they are (no client library to tidy the path) and read the answer.

    A request the server refuses part-way must be sent whole before it answers, or the
    connection is reset under the answer: the oversize cases below stay just over a limit.
    """
    with socket.create_connection((server.host, server.port), timeout=30) as conn:
        conn.sendall(request)
        chunks = []
        while True:
            chunk = conn.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    reply = b"".join(chunks)
    status = int(reply.split(b" ", 2)[1]) if reply.startswith(b"HTTP/") else 0
    return status, reply


def get(server: FeedServer, path: str, **headers: str) -> tuple[int, bytes]:
    lines = [f"GET {path} HTTP/1.1", f"Host: {server.host}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return raw_request(server, ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))


@pytest.fixture
def tokened(db_path: Path) -> Iterator[FeedServer]:
    with Store.open(db_path) as store:
        store.update_settings({"feed_token": TOKEN})
    with FeedServer(CalendarFeed(db_path), host="127.0.0.1", port=0) as server:
        yield server


@pytest.fixture
def open_feed(db_path: Path) -> Iterator[FeedServer]:
    with FeedServer(CalendarFeed(db_path), host="127.0.0.1", port=0) as server:
        yield server


# --- load --------------------------------------------------------------------------------------

WRITER = """
import sqlite3, sys, time
db, stop_file, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
conn = sqlite3.connect(db, timeout=30, isolation_level=None)
end = time.monotonic() + seconds
done = 0
import os
while time.monotonic() < end and not os.path.exists(stop_file):
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE milestone SET location = ? WHERE id = 6", (f"Zaal {done}",))
    time.sleep(0.25)  # hold the write lock, as a long import would
    conn.execute("COMMIT")
    done += 1
print(done)
"""


def test_2000_requests_over_20_threads_all_answer_while_a_writer_holds_long_transactions(
    tokened: FeedServer, db_path: Path, tmp_path: Path
) -> None:
    stop_file = tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db_path), str(stop_file), "120"],
        stdout=subprocess.PIPE,
        text=True,
    )
    statuses: Counter[int] = Counter()
    problems: list[str] = []
    lock = threading.Lock()

    def client(number: int) -> None:
        conn = http.client.HTTPConnection(tokened.host, tokened.port, timeout=60)
        for request in range(100):
            name = CALENDARS[(number + request) % len(CALENDARS)]
            try:
                conn.request("GET", f"/{TOKEN}/{name}")
                response = conn.getresponse()
                body = response.read()
                ok = response.status == 200 and body.startswith(b"BEGIN:VCALENDAR")
                with lock:
                    statuses[response.status] += 1
                    if not ok:
                        problems.append(f"{name}: {response.status} {body[:80]!r}")
            except (OSError, http.client.HTTPException) as error:
                with lock:
                    problems.append(f"{name}: {error!r}")
                conn.close()
                conn = http.client.HTTPConnection(tokened.host, tokened.port, timeout=60)
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    stop_file.touch()
    transactions = int(writer.communicate(timeout=60)[0].strip() or 0)
    assert not any(thread.is_alive() for thread in threads)
    assert problems == [], problems[:5]
    assert statuses == Counter({200: 2000})
    assert transactions >= 2, "the writer must have held its lock during the requests"
    assert time.monotonic() - started < 300


# --- attacks -----------------------------------------------------------------------------------

TRAVERSALS = [
    "/../../../../etc/passwd",
    "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/%2E%2E/%2E%2E/etc/passwd",
    "/..%2f..%2f..%2fetc%2fpasswd",
    "/%2e%2e%5c%2e%2e%5cetc%5cpasswd",
    "/....//....//etc/passwd",
    "//etc/passwd",
    "/db.ics/../../hecht.sqlite",
    "/hecht.sqlite",
    "/hecht.sqlite-wal",
    "/%00",
    "/db.ics%00.txt",
    "/db.ics/",
    "/./db.ics/..",
    "/%252e%252e/etc/passwd",
    "/..%c0%af..%c0%afetc/passwd",
    "/" + "../" * 50 + "etc/passwd",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal_serves_no_file_outside_the_calendars(
    open_feed: FeedServer, db_path: Path, path: str
) -> None:
    status, reply = get(open_feed, path)
    assert status in (400, 404), reply[:200]
    assert b"root:" not in reply and b"SQLite format" not in reply
    assert db_path.read_bytes()[:200] not in reply


@pytest.mark.parametrize("path", TRAVERSALS[:6])
def test_path_traversal_behind_the_token_serves_nothing_either(
    tokened: FeedServer, path: str
) -> None:
    status, reply = get(tokened, f"/{TOKEN}{path}")
    assert status in (400, 404), reply[:200]
    assert b"root:" not in reply and b"BEGIN:VCALENDAR" not in reply


def test_a_very_long_url_gets_414(open_feed: FeedServer) -> None:
    status, _ = get(open_feed, "/" + "a" * 8000)
    assert status == 414
    status, _ = get(open_feed, "/db.ics?x=" + "b" * 4000)
    assert status == 414
    assert get(open_feed, "/db.ics")[0] == 200  # and the feed is still there


def oversized_headers(server: FeedServer, *headers: bytes) -> bytes:
    """A request whose headers are exactly the limit long, unfinished: the server has read
    every byte when it refuses, so its answer is not lost to a reset connection."""
    start = b"GET /db.ics HTTP/1.1\r\nHost: x\r\n" + b"".join(headers)
    fill = feed_module.MAX_HEADER_BYTES - len(start) - len(b"X-Vul: \r\n")
    assert fill > 0
    request = start + b"X-Vul: " + b"v" * fill + b"\r\n"
    assert len(request) == feed_module.MAX_HEADER_BYTES
    return request


def test_very_long_headers_get_431(open_feed: FeedServer) -> None:
    status, _ = raw_request(open_feed, oversized_headers(open_feed))
    assert status == 431
    many = [f"X-Kop-{n:03d}: {'b' * 100}\r\n".encode() for n in range(120)]
    status, _ = raw_request(open_feed, oversized_headers(open_feed, *many))
    assert status == 431
    assert get(open_feed, "/db.ics")[0] == 200


def test_a_request_body_is_refused(open_feed: FeedServer) -> None:
    request = (
        b"POST /db.ics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        b"Content-Length: 100000000\r\n\r\n"
    )
    status, _ = raw_request(open_feed, request)
    assert status == 413


WRONG_TOKENS = [
    "/WRONG/db.ics",
    f"/{TOKEN[:-1]}/db.ics",
    f"/{TOKEN}x/db.ics",
    f"/{TOKEN.upper()}/db.ics",
    f"/{TOKEN.lower()}/db.ics",
    f"/x{TOKEN}/intern.ics",
    "/db.ics?token=WRONG",
    "/db.ics?token=",
    f"/db.ics?token={TOKEN[:-1]}",
    f"/db.ics?tok={TOKEN}",
    "/db.ics",
    "/intern.ics",
    "/",
    f"/%20{TOKEN}/db.ics",
    "/" + "9" * 500 + "/db.ics",
]


@pytest.mark.parametrize("path", WRONG_TOKENS)
def test_a_wrong_token_gets_404_whatever_the_calendar(tokened: FeedServer, path: str) -> None:
    status, reply = get(tokened, path)
    assert status == 404, reply[:200]
    assert b"BEGIN:VCALENDAR" not in reply and TOKEN.encode() not in reply


def test_the_right_token_in_path_or_query_opens_every_calendar(tokened: FeedServer) -> None:
    for name in CALENDARS:
        assert get(tokened, f"/{TOKEN}/{name}")[0] == 200
        assert get(tokened, f"/{name}?token={TOKEN}")[0] == 200


# --- constant-time comparison ------------------------------------------------------------------


def call(app: CalendarFeed, path: str, query: str = "") -> str:
    captured: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        captured.append(status)

    list(app({"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query}, start_response))
    return captured[0]


def test_every_token_check_goes_through_hmac_compare_digest(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each request path that carries (or lacks) a token is decided by compare_digest, on
    inputs of equal length whatever the guess."""
    import hmac

    calls: list[tuple[int, int]] = []

    def spy(a: Any, b: Any) -> bool:
        calls.append((len(a), len(b)))
        return hmac.compare_digest(a, b)

    monkeypatch.setattr(feed_module, "hmac", SimpleNamespace(compare_digest=spy))
    app = CalendarFeed(db_path, token=TOKEN)
    requests = [
        (f"/{TOKEN}/db.ics", "", "200 OK"),
        ("/db.ics", f"token={TOKEN}", "200 OK"),
        ("/WRONG/db.ics", "", "404 Not Found"),
        ("/db.ics", "token=x", "404 Not Found"),
        ("/db.ics", "", "404 Not Found"),
        ("/", "", "404 Not Found"),
        ("/" + "a" * 1000 + "/db.ics", "", "404 Not Found"),
    ]
    for path, query, expected in requests:
        calls.clear()
        assert call(app, path, query) == expected, path
        assert calls, f"{path}?{query} was decided without compare_digest"
        assert all(a == b for a, b in calls), calls  # equal lengths: no length leaks


def test_the_feed_never_compares_a_token_with_an_operator() -> None:
    """No ``==``, ``!=``, ``in`` or ``startswith`` on anything named like a token: those stop
    at the first differing character and leak it through timing."""
    tree = ast.parse(inspect.getsource(feed_module))
    offenders = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
            names |= {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}
            if any("token" in name.lower() or name in ("given", "expected") for name in names):
                offenders.append(ast.unparse(node))
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("startswith", "endswith", "find", "index")
        ):
            names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
            if any("token" in name.lower() for name in names):
                offenders.append(ast.unparse(node))
    assert offenders == []
