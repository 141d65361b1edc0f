"""The subscription feed over real HTTP on 127.0.0.1: status codes, caching, token, bad databases."""

from __future__ import annotations

import datetime as dt
import email.utils
import http.client
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from hecht_tracker.serve.feed import CalendarFeed, FeedServer
from hecht_tracker.services.calendars import build_calendars, export_calendars
from hecht_tracker.storage.store import Store
from tests.conftest import FixedClock


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


def request(server: FeedServer, path: str, method: str = "GET", **headers: str) -> Reply:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        connection.request(method, path, headers=headers)
        response = connection.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        connection.close()


def calendars_now(db_path: Path) -> dict[str, bytes]:
    with Store.open(db_path, read_only=True) as opened:
        return build_calendars(opened)


@pytest.fixture
def feed(db_path: Path) -> Iterator[FeedServer]:
    with FeedServer(CalendarFeed(db_path), host="127.0.0.1", port=0) as server:
        yield server


def set_token(db_path: Path, clock: FixedClock, token: str) -> None:
    with Store.open(db_path, clock=clock) as opened:
        opened.update_settings({"feed_token": token})


def test_a_calendar_is_served_with_type_etag_and_last_modified(
    feed: FeedServer, db_path: Path
) -> None:
    reply = request(feed, "/db.ics")
    assert reply.status == 200
    assert reply.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert reply.body == calendars_now(db_path)["db.ics"]
    assert int(reply.headers["Content-Length"]) == len(reply.body)
    assert reply.headers["ETag"].startswith('"')
    assert email.utils.parsedate_to_datetime(reply.headers["Last-Modified"]) == dt.datetime(
        2026, 11, 2, 9, 0, tzinfo=dt.UTC
    )


def test_head_gives_the_headers_without_a_body(feed: FeedServer) -> None:
    full = request(feed, "/alle.ics")
    head = request(feed, "/alle.ics", method="HEAD")
    assert head.status == 200
    assert head.body == b""
    assert head.headers["ETag"] == full.headers["ETag"]
    assert head.headers["Content-Length"] == str(len(full.body))


def test_conditional_requests_get_304_until_something_changes(
    feed: FeedServer, db_path: Path, clock: FixedClock
) -> None:
    first = request(feed, "/db.ics")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    same = request(feed, "/db.ics", **{"If-None-Match": etag})
    assert same.status == 304
    assert same.body == b""
    assert same.headers["ETag"] == etag
    assert request(feed, "/db.ics", **{"If-Modified-Since": modified}).status == 304
    assert request(feed, "/db.ics", **{"If-None-Match": '"iets-anders"'}).status == 200

    clock.advance(days=2)
    with Store.open(db_path, clock=clock) as opened:
        opened.update("milestone", 6, {"date": dt.date(2026, 12, 3)}, note="DB verplaatst")
    moved = request(feed, "/db.ics", **{"If-None-Match": etag})
    assert moved.status == 200
    assert moved.headers["ETag"] != etag
    assert b"DTSTART;VALUE=DATE:20261203" in moved.body
    assert request(feed, "/db.ics", **{"If-Modified-Since": modified}).status == 200
    assert email.utils.parsedate_to_datetime(moved.headers["Last-Modified"]) == dt.datetime(
        2026, 11, 4, 9, 0, tzinfo=dt.UTC
    )


def test_internal_notes_change_nothing_a_client_sees(
    feed: FeedServer, db_path: Path, clock: FixedClock
) -> None:
    first = request(feed, "/alle.ics")
    clock.advance(hours=1)
    with Store.open(db_path, clock=clock) as opened:
        opened.update("milestone", 6, {"notes": "alleen intern"})
    again = request(feed, "/alle.ics", **{"If-None-Match": first.headers["ETag"]})
    assert again.status == 304


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_other_methods_get_405_with_allow(feed: FeedServer, method: str) -> None:
    reply = request(feed, "/alle.ics", method=method)
    assert reply.status == 405
    assert reply.headers["Allow"] == "GET, HEAD"


@pytest.mark.parametrize(
    "path", ["/onbekend.ics", "/ab", "/alle.ics/extra", "/intern.ics", "/../db/hecht.sqlite"]
)
def test_unknown_names_and_intern_without_token_get_404(feed: FeedServer, path: str) -> None:
    assert request(feed, path).status == 404


def test_the_index_page_links_every_public_calendar_as_webcal_and_https(feed: FeedServer) -> None:
    reply = request(feed, "/")
    assert reply.status == 200
    assert reply.headers["Content-Type"] == "text/html; charset=utf-8"
    page = reply.body.decode()
    base = f"127.0.0.1:{feed.port}"
    for name in ("alle.ics", "ab.ics", "db.ics"):
        assert f'href="webcal://{base}/{name}"' in page
        assert f"https://{base}/{name}" in page
    assert "intern.ics" not in page
    assert '<html lang="nl">' in page
    assert "Abonneren" in page


def test_with_a_token_every_url_needs_it(db_path: Path, clock: FixedClock) -> None:
    set_token(db_path, clock, "geheim-123")
    with FeedServer(CalendarFeed(db_path), port=0) as server:
        assert request(server, "/alle.ics").status == 404
        assert request(server, "/").status == 404
        assert request(server, "/alle.ics", method="POST").status == 404  # not 405: reveal nothing
        assert request(server, "/fout/alle.ics").status == 404
        assert request(server, "/alle.ics?token=fout").status == 404
        ok = request(server, "/geheim-123/alle.ics")
        assert ok.status == 200
        assert ok.body == calendars_now(db_path)["alle.ics"]
        assert request(server, "/alle.ics?token=geheim-123").status == 200
        assert request(server, "/geheim-123/intern.ics").status == 200
        assert request(server, "/geheim-123/alle.ics", method="POST").status == 405
        page = request(server, "/geheim-123/").body.decode()
        assert f"webcal://127.0.0.1:{server.port}/geheim-123/intern.ics" in page


def test_rotating_the_token_revokes_old_links_without_a_restart(
    db_path: Path, clock: FixedClock
) -> None:
    set_token(db_path, clock, "oud-token")
    with FeedServer(CalendarFeed(db_path), port=0) as server:
        assert request(server, "/oud-token/db.ics").status == 200
        set_token(db_path, clock, "nieuw-token")
        assert request(server, "/oud-token/db.ics").status == 404
        assert request(server, "/nieuw-token/db.ics").status == 200


def test_an_explicit_token_wins_over_the_stored_one(db_path: Path, clock: FixedClock) -> None:
    set_token(db_path, clock, "opgeslagen")
    with FeedServer(CalendarFeed(db_path, token="op-de-opdrachtregel"), port=0) as server:
        assert request(server, "/opgeslagen/db.ics").status == 404
        assert request(server, "/op-de-opdrachtregel/db.ics").status == 200


def test_a_broken_database_file_serves_the_last_good_calendar(
    feed: FeedServer, db_path: Path
) -> None:
    good = request(feed, "/db.ics")
    for leftover in (Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        leftover.unlink(missing_ok=True)
    db_path.write_bytes(b"dit is geen database" * 100)
    reply = request(feed, "/db.ics")
    assert reply.status == 200
    assert reply.body == good.body
    assert reply.headers["ETag"] == good.headers["ETag"]


def test_a_locked_database_serves_the_last_good_calendar(feed: FeedServer, db_path: Path) -> None:
    good = request(feed, "/ab.ics")
    writer = sqlite3.connect(db_path, isolation_level=None)
    try:
        writer.execute("PRAGMA locking_mode = EXCLUSIVE")
        writer.execute("BEGIN EXCLUSIVE")
        writer.execute("UPDATE milestone SET title = 'half geschreven' WHERE id = 7")
        os.utime(db_path)  # make sure the feed tries to read the file again
        reply = request(feed, "/ab.ics")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert reply.status == 200
    assert reply.body == good.body


def test_without_any_good_read_the_feed_answers_503(tmp_path: Path) -> None:
    broken = tmp_path / "kapot.sqlite"
    broken.write_bytes(b"geen database")
    with FeedServer(CalendarFeed(broken), port=0) as server:
        reply = request(server, "/alle.ics")
    assert reply.status == 503
    assert reply.headers["Retry-After"] == "60"


def test_behind_a_proxy_the_index_links_use_the_public_https_address(db_path: Path) -> None:
    with FeedServer(CalendarFeed(db_path), port=0, behind_proxy=True) as server:
        forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "agenda.hecht.example"}
        page = request(server, "/", **forwarded).body.decode()
        direct = request(server, "/").body.decode()
    assert 'href="webcal://agenda.hecht.example/ab.ics"' in page
    assert "https://agenda.hecht.example/ab.ics" in page
    assert "http://" not in page  # no plain-http link for subscribers behind https
    assert f"http://127.0.0.1:{server.port}/ab.ics" in direct


def test_the_feed_serves_what_an_export_writes_with_events_kept_or_not(
    db_path: Path, clock: FixedClock, tmp_path: Path
) -> None:
    set_token(db_path, clock, "geheim-123")
    app = CalendarFeed(db_path)
    with FeedServer(app, host="127.0.0.1", port=0) as server:
        names = ["alle.ics", "ab.ics", "db.ics", "intern.ics"]
        # Nothing kept yet, and the feed cannot keep: it makes the events and remembers them.
        served = {name: request(server, f"/geheim-123/{name}").body for name in names}
        assert len(app._events) > 0
        with Store.open(db_path, clock=clock) as opened:
            paths = export_calendars(opened, tmp_path / "uit")
        exported = {path.name: path.read_bytes() for path in paths}
        assert served == exported
        # The export kept the events; the feed reads the changed database and uses them.
        assert {name: request(server, f"/geheim-123/{name}").body for name in names} == exported
        assert app._events == {}
        clock.advance(days=1)
        with Store.open(db_path, clock=clock) as opened:
            opened.update("milestone", 6, {"location": "Leiden"})
            expected = build_calendars(opened)
        reply = request(server, "/geheim-123/db.ics")
        assert reply.body == expected["db.ics"]
        assert b"LOCATION:Leiden" in reply.body
