"""The live subscription feed: the calendars served over HTTP straight from the database.

A small WSGI application (:class:`CalendarFeed`) served by waitress. Calendar clients poll it;
ETag and Last-Modified let them do so cheaply (304). The database is opened read-only for each
change of the file, and the calendars are put together from the events kept there (see
:mod:`hecht_tracker.services.calendars`), so reading them costs what an export costs. Whatever
goes wrong while reading (busy, locked, half-copied, replaced by something else), the last
calendars that were read completely are served instead, so a subscriber never receives a
broken or empty calendar.

With a token (``--token`` or ``feed_token`` in the settings) every URL needs it, as
``/<token>/ab.ics`` or ``/ab.ics?token=<token>``; a request without the right one gets 404
whatever its method, so the feed does not even reveal that it exists. A token from the
settings is read again whenever the database changes, so ``calendar token --rotate`` revokes a
leaked link without restarting the server. ``intern.ics`` (internal milestones) is only served
behind a token.
"""

from __future__ import annotations

import email.utils
import hashlib
import hmac
import html
import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote

from hecht_tracker.render.ics import INTERNAL_NAME, CalendarFile

if TYPE_CHECKING:
    from hecht_tracker.services.calendars import EventMemory
    from hecht_tracker.storage.store import Store

logger = logging.getLogger(__name__)

StartResponse = Callable[..., Any]
Environ = dict[str, Any]

ALLOWED_METHODS = ("GET", "HEAD")
CALENDAR_TYPE = "text/calendar; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"
RETRY_AFTER_SECONDS = 60
# Calendar URLs are short; anything longer is refused before it is looked at (414), and
# waitress refuses request headers beyond this size itself (431) and bodies beyond that (413).
MAX_URL_LENGTH = 2048
MAX_HEADER_BYTES = 16 * 1024
MAX_BODY_BYTES = 1024


@dataclass(frozen=True)
class Snapshot:
    """Calendars read completely from one state of the database, with the token stored there."""

    files: dict[str, CalendarFile]
    stored_token: str
    organisation: str


def _stat_key(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def read_snapshot(store: Store, memory: EventMemory | None = None) -> Snapshot:
    """Every calendar of an open (read-only) store: kept events where they are current, the
    rest made now and remembered in ``memory`` for the next change of the database."""
    from hecht_tracker.services.calendars import calendar_files

    files = {f.name: f for f in calendar_files(store, keep=False, memory=memory)}
    settings = store.settings()
    return Snapshot(files, settings.feed_token, settings.organisation)


class CalendarFeed:
    """WSGI application serving the calendars of the database at ``db_path``.

    ``token`` set: that token is required. ``token`` None: the token stored in the settings
    (if any) is required, read live from the database.
    """

    def __init__(self, db_path: Path, token: str | None = None) -> None:
        self.db_path = Path(db_path)
        self.explicit_token = token or None
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._fingerprint: object = None
        # Events this process made because the database did not hold them current (it is
        # opened read-only, so they cannot be kept there): (id, variant, source) → bytes.
        self._events: dict[tuple[int, str, str], bytes] = {}

    # --- reading the database ----------------------------------------------------------------

    def _fingerprint_now(self) -> object:
        base = self.db_path
        return tuple(_stat_key(Path(f"{base}{suffix}")) for suffix in ("", "-wal"))

    def snapshot(self) -> Snapshot | None:
        """The calendars as the database holds them now, or the last good ones."""
        with self._lock:
            fingerprint = self._fingerprint_now()
            if self._snapshot is not None and fingerprint == self._fingerprint:
                return self._snapshot
            try:
                self._snapshot = self._read()
                self._fingerprint = fingerprint
            except Exception as error:  # any failure: keep serving what was last read whole
                logger.warning(
                    "Database %s is nu niet leesbaar (%s); de laatste goede agenda's worden geserveerd.",
                    self.db_path,
                    error,
                )
            return self._snapshot

    def _read(self) -> Snapshot:
        from hecht_tracker.storage.store import Store

        with Store.open(self.db_path, read_only=True) as store:
            return read_snapshot(store, self._events)

    def required_token(self, snapshot: Snapshot | None) -> str:
        if self.explicit_token:
            return self.explicit_token
        return snapshot.stored_token if snapshot is not None else ""

    # --- HTTP -------------------------------------------------------------------------------------

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        method = str(environ.get("REQUEST_METHOD", "GET")).upper()
        path = str(environ.get("PATH_INFO", "") or "/")
        if len(path) + len(str(environ.get("QUERY_STRING", ""))) > MAX_URL_LENGTH:
            body = b"Dit adres is te lang.\n"
            return _respond(start_response, "414 URI Too Long", TEXT_TYPE, body, method)
        snapshot = self.snapshot()
        token = self.required_token(snapshot)
        if token:
            stripped = _strip_token(path, str(environ.get("QUERY_STRING", "")), token)
            if stripped is None:
                return _respond(
                    start_response, "404 Not Found", TEXT_TYPE, b"Niet gevonden.\n", method
                )
            path = stripped
        if method not in ALLOWED_METHODS:
            body = b"Alleen GET en HEAD zijn toegestaan.\n"
            return _respond(
                start_response,
                "405 Method Not Allowed",
                TEXT_TYPE,
                body,
                method,
                [("Allow", ", ".join(ALLOWED_METHODS))],
            )
        if snapshot is None:
            body = b"De agenda's zijn tijdelijk niet beschikbaar; probeer het later opnieuw.\n"
            return _respond(
                start_response,
                "503 Service Unavailable",
                TEXT_TYPE,
                body,
                method,
                [("Retry-After", str(RETRY_AFTER_SECONDS))],
            )
        files = _served(snapshot, bool(token))
        if path in ("", "/"):
            plain_http = environ.get("wsgi.url_scheme") == "http"
            page = index_page(
                list(files.values()), _base_url(environ), token, snapshot.organisation, plain_http
            )
            return _respond(
                start_response,
                "200 OK",
                HTML_TYPE,
                page.encode(),
                method,
                [("Cache-Control", "no-store"), ("Referrer-Policy", "no-referrer")],
            )
        name = path.lstrip("/")
        found = files.get(name)
        if found is None:
            return _respond(start_response, "404 Not Found", TEXT_TYPE, b"Niet gevonden.\n", method)
        return _calendar_response(environ, start_response, found, method)


def _served(snapshot: Snapshot, with_token: bool) -> dict[str, CalendarFile]:
    """The calendars this feed offers: the internal one only behind a token."""
    return {
        name: file
        for name, file in snapshot.files.items()
        if with_token or name != f"{INTERNAL_NAME}.ics"
    }


def _strip_token(path: str, query: str, token: str) -> str | None:
    """The path without its token, or None when the request does not carry the right token.

    Every comparison goes through :func:`_same_token`, in constant time.
    """
    given = parse_qs(query).get("token", [])
    if given and _same_token(given[-1], token):
        return path
    parts = path.split("/", 2)  # "", token, rest
    if len(parts) >= 2 and _same_token(parts[1], token):
        return "/" + (parts[2] if len(parts) == 3 else "")
    return None


def _same_token(given: str, expected: str) -> bool:
    """Compare digests of both, with :func:`hmac.compare_digest`: equal lengths, so neither
    the time taken nor an early return tells how much of a guess was right, or its length."""
    digest = hashlib.sha256
    return hmac.compare_digest(
        digest(given.encode("utf-8", "surrogateescape")).digest(),
        digest(expected.encode("utf-8", "surrogateescape")).digest(),
    )


def _calendar_response(
    environ: Environ, start_response: StartResponse, file: CalendarFile, method: str
) -> Iterable[bytes]:
    modified = file.modified.replace(microsecond=0)
    headers = [
        ("ETag", file.etag),
        ("Last-Modified", email.utils.format_datetime(modified, usegmt=True)),
        ("Cache-Control", "no-cache"),
        ("Referrer-Policy", "no-referrer"),
    ]
    if _not_modified(environ, file.etag, modified):
        start_response("304 Not Modified", headers)
        return []
    headers += [("Content-Disposition", f'inline; filename="{file.name}"')]
    return _respond(start_response, "200 OK", CALENDAR_TYPE, file.content, method, headers)


def _not_modified(environ: Environ, etag: str, modified: Any) -> bool:
    """RFC 9110: If-None-Match decides when present; If-Modified-Since only without it."""
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        tags = [tag.strip() for tag in str(if_none_match).split(",")]
        return "*" in tags or any(tag.removeprefix("W/") == etag for tag in tags)
    if_modified_since = environ.get("HTTP_IF_MODIFIED_SINCE")
    if if_modified_since:
        try:
            since = email.utils.parsedate_to_datetime(str(if_modified_since))
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            return False
        return bool(modified <= since)
    return False


def _respond(
    start_response: StartResponse,
    status: str,
    content_type: str,
    body: bytes,
    method: str,
    extra: Sequence[tuple[str, str]] = (),
) -> list[bytes]:
    headers = [("Content-Type", content_type), ("Content-Length", str(len(body))), *extra]
    start_response(status, headers)
    return [] if method == "HEAD" else [body]


def _base_url(environ: Environ) -> str:
    """host[:port] plus the path the app is mounted on, as the client addressed it."""
    host = environ.get("HTTP_HOST")
    if not host:
        host = str(environ.get("SERVER_NAME", "localhost"))
        port = str(environ.get("SERVER_PORT", ""))
        if port and port not in ("80", "443"):
            host = f"{host}:{port}"
    return f"{host}{environ.get('SCRIPT_NAME', '')}".rstrip("/")


def calendar_path(name: str, token: str) -> str:
    """The path of a calendar, with the token in it when there is one."""
    return f"/{quote(token, safe='')}/{name}" if token else f"/{name}"


def index_page(
    files: Sequence[CalendarFile],
    base: str,
    token: str,
    organisation: str = "Hecht",
    plain_http: bool = False,
) -> str:
    """The Dutch page at ``/``: per calendar a subscribe (webcal://) and an https:// link.

    Reached over plain http (no https proxy in front), the http:// address is shown too.
    """
    items = []
    for file in files:
        path = calendar_path(file.name, token)
        webcal = html.escape(f"webcal://{base}{path}")
        https = html.escape(f"https://{base}{path}")
        http = html.escape(f"http://{base}{path}")
        items.append(
            "<li>"
            f"<h2>{html.escape(file.title)}</h2>"
            f"<p>{html.escape(file.description)}</p>"
            f'<p><a href="{webcal}">Abonneren ({html.escape(file.name)})</a></p>'
            f"<p>Adres om zelf toe te voegen: <code>{https}</code>"
            + (f' (zonder https: <a href="{http}"><code>{http}</code></a>)' if plain_http else "")
            + "</p>"
            "</li>"
        )
    return (
        "<!doctype html>\n"
        '<html lang="nl"><head><meta charset="utf-8">'
        '<meta name="robots" content="noindex">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Agenda's van {html.escape(organisation)}</title>"
        "<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;"
        "padding:0 1rem;line-height:1.5}li{margin-bottom:1.5rem}h2{margin-bottom:.2rem}"
        "code{word-break:break-all}</style></head><body>"
        f"<h1>Agenda's van {html.escape(organisation)}</h1>"
        "<p>Abonneer u op een agenda: nieuwe, verplaatste en geannuleerde vergaderingen "
        "verschijnen dan vanzelf in uw eigen agenda (Outlook, Google Agenda, Apple Agenda). "
        "Klik op <em>Abonneren</em>, of kopieer het adres en voeg het in uw agenda toe als "
        "<em>agenda van internet</em> (Outlook), <em>via URL</em> (Google) of "
        "<em>nieuw agenda-abonnement</em> (Apple). Deel het adres niet verder.</p>"
        f"<ul>{''.join(items)}</ul></body></html>\n"
    )


# --- serving ------------------------------------------------------------------------------------


class FeedServer:
    """A waitress server for the feed that can also be stopped from another thread."""

    def __init__(
        self,
        app: CalendarFeed,
        host: str = "127.0.0.1",
        port: int = 8765,
        *,
        behind_proxy: bool = False,
    ) -> None:
        """``behind_proxy``: trust X-Forwarded-Proto/-Host from the reverse proxy in front,
        so links on the index page use the address and scheme the subscriber sees."""
        from waitress.server import create_server

        self.app = app
        proxy: dict[str, Any] = {}
        if behind_proxy:
            proxy = {
                "trusted_proxy": "*",  # links on the index page only; the token still decides
                "trusted_proxy_headers": {"x-forwarded-proto", "x-forwarded-host"},
            }
        self.server: Any = create_server(
            app,
            host=host,
            port=port,
            threads=4,
            ident="hecht-tracker",
            max_request_header_size=MAX_HEADER_BYTES,
            max_request_body_size=MAX_BODY_BYTES,
            **proxy,
        )
        self._stopping = threading.Event()
        self._closing = threading.Lock()  # the trigger is never pulled after it was closed
        self._closed = False
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return str(self.server.effective_host)

    @property
    def port(self) -> int:
        return int(self.server.effective_port)

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def serve(self) -> None:
        """Serve until :meth:`stop` or Ctrl+C."""
        from waitress import wasyncore

        socket_map = self.server._map
        try:
            while not self._stopping.is_set():
                wasyncore.loop(timeout=0.5, map=socket_map, count=1)
        except KeyboardInterrupt:
            pass
        finally:
            self._close()

    def start(self) -> FeedServer:
        """Serve in a background thread (tests, the TUI)."""
        self._thread = threading.Thread(target=self.serve, name="hecht-feed", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        # Never blocks (stop may run in a signal handler while the loop is closing); the
        # trigger is only pulled while it is certainly open.
        if self._closing.acquire(blocking=False):
            try:
                if not self._closed:
                    self.server.pull_trigger()  # wake the loop now, not at its next timeout
            finally:
                self._closing.release()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def _close(self) -> None:
        with self._closing:
            self._closed = True
            for channel in list(self.server._map.values()):
                channel.close()
        self.server.task_dispatcher.shutdown()

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()
