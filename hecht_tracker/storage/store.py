"""The tracker database as the doors use it: open it, read records, write them.

:class:`Store` is a facade over the storage package: :mod:`~hecht_tracker.storage.connection`
opens, guards and migrates the file and runs transactions; :mod:`~hecht_tracker.storage.repository`
holds the SQL; :mod:`~hecht_tracker.storage.writer` the steps of a write;
:mod:`~hecht_tracker.storage.publisher` keeps what calendar subscribers see; the rules a write
obeys are pure functions in :mod:`hecht_tracker.core.rules`. Every write is one transaction
(``BEGIN IMMEDIATE``) with its journal rows (one change number per write) and its publication;
a refused write leaves the database as it was. Every record carries a version that each write
raises by one, so a write based on a stale copy can be refused.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from hecht_tracker.core import limits, rules
from hecht_tracker.core.errors import (
    DatabaseError,
    NotFoundError,
    ValidationError,
)
from hecht_tracker.core.model import (
    Action,
    ActionKind,
    Benefit,
    BenefitCategory,
    BenefitStatus,
    Goal,
    JournalEntry,
    Kind,
    Measurement,
    Milestone,
    Programme,
    Settings,
    Status,
)
from hecht_tracker.storage import connection, files, maintenance, schema
from hecht_tracker.storage.connection import (
    Transactions,
    dutch_error,
    sqlite_errors,
    unused_path,
)
from hecht_tracker.storage.repository import (
    ACTION_ORDER,
    MILESTONE_ORDER,
    TABLES,
    Filters,
    Repository,
    milestone_filters,
    to_db,
)

if TYPE_CHECKING:
    from hecht_tracker.core import publication
    from hecht_tracker.storage.publisher import Publisher
    from hecht_tracker.storage.writer import Writer

Clock = Callable[[], dt.datetime]
P = ParamSpec("P")
R = TypeVar("R")

__all__ = [
    "Store",
    "initialise",
    "restore",
    "unused_path",
    "utc_now",
]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _guarded(method: Callable[P, R]) -> Callable[P, R]:
    """Let no ``sqlite3`` error out of a public method: it becomes a Dutch DatabaseError."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except sqlite3.Error as error:
            store = args[0]
            where = getattr(store, "path", None) or "De database"
            raise dutch_error(error, where) from error

    return wrapper


class Store:
    """The tracker database. Open it with :meth:`open`; use it as a context manager."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None, clock: Clock) -> None:
        self.conn = conn
        self.path = path
        self.clock = clock
        self.today_override: dt.date | None = None
        self._settings: Settings | None = None
        self._daily = maintenance.Daily()  # safety: daily damage check and backup
        self.repo = Repository(conn, clock)
        self._transaction = Transactions(
            conn,
            path or "De database",
            on_begin=self._begin,
            on_end=self._end,
            before_begin=lambda: self._daily.before_write(self),  # safety
            before_commit=self._before_commit,
        )

    # The publisher and the writer (and what they import) are made on the first write: a
    # command that only reads, such as ``list --json``, never loads them.

    @functools.cached_property
    def publisher(self) -> Publisher:
        from hecht_tracker.storage.publisher import Publisher

        return Publisher(self.repo, self.settings)

    @functools.cached_property
    def writer(self) -> Writer:
        from hecht_tracker.storage.writer import Writer

        return Writer(self.repo, self.publisher, self.settings, self.today)

    def _before_commit(self) -> None:
        self._daily.before_commit(self)  # safety
        self.repo.refresh_list_json()

    def _begin(self) -> None:
        self.repo.change = None
        self.publisher.reset()

    def _end(self) -> None:
        # What was read inside a transaction may have been rolled back, or changed by another
        # process since: read settings afresh after every write.
        self._settings = None
        if "publisher" in self.__dict__:
            self.publisher.reset()

    # --- opening -----------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        clock: Clock = utc_now,
        seed: bool = True,
        read_only: bool = False,
        allow_network_share: bool = False,
    ) -> Store:
        """Open (and if needed create, seed or migrate) the database at ``path``.

        A file that is not a tracker database, or one made by a newer program, is refused and
        left untouched. Before a migration the old file is backed up next to it.
        """
        path = Path(path)
        if read_only:
            if not path.exists():
                raise DatabaseError(f"Database {path} bestaat niet.")
            conn = connection.connect(path, read_only=True)
            if connection.check_readable(conn, path) < schema.SCHEMA_VERSION:
                conn.close()
                raise DatabaseError(
                    f"{path} heeft een ouder schema; open hem eerst eenmaal met hecht-tracker zelf."
                )
            return cls(conn, path, clock)
        # safety: writing is what corrupts on a share; readers (the feed, the TUI's worker) pass
        files.refuse_network_share(path, allow=allow_network_share)
        if not path.exists() or path.stat().st_size == 0:
            files.create_private(path)  # safety: mode 0600, and SQLite's WAL/SHM files follow
        conn = connection.connect(path)
        store = cls(conn, path, clock)
        try:
            version = connection.check_readable(conn, path)
            if 0 < version < schema.SCHEMA_VERSION:  # safety: before WAL mode touches the file
                maintenance.refuse_if_damaged(conn, path)
            with sqlite_errors(path):
                connection.apply_pragmas(conn)
                files.make_private(*files.database_files(path))  # safety
                if version < schema.SCHEMA_VERSION:
                    if version > 0:
                        store.backup(store._backup_path(version))
                    # One transaction (BEGIN IMMEDIATE) for upgrading and seeding, so processes
                    # that open a new file at once neither collide nor leave it unseeded.
                    with store._transaction():
                        fresh = connection.schema_version(conn) == 0
                        store.migrate()
                        if fresh and seed and store.is_empty():
                            from hecht_tracker.storage.seed import load_default_seed

                            store.seed(load_default_seed())
        except BaseException:
            conn.close()
            raise
        return store

    @classmethod
    def memory(cls, *, clock: Clock = utc_now, seed: bool = False) -> Store:
        """A private in-memory database, for tests and previews."""
        conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        conn.execute("PRAGMA foreign_keys = ON")
        store = cls(conn, None, clock)
        store.migrate()
        if seed:
            from hecht_tracker.storage.seed import load_default_seed

            store.seed(load_default_seed())
        return store

    def _backup_path(self, version: int) -> Path:
        assert self.path is not None
        stamp = self.clock().strftime("%Y%m%dT%H%M%S")
        return unused_path(self.path.with_name(f"{self.path.stem}.v{version}-{stamp}.bak.sqlite"))

    @_guarded
    def backup(self, target: Path) -> Path:
        """Copy the whole database consistently (SQLite's backup API) to ``target``."""
        return maintenance.backup_to(self.conn, target)

    @_guarded
    def migrate(self, target: int = schema.SCHEMA_VERSION) -> None:
        """Bring the schema up to ``target`` in one transaction."""
        with self._transaction():
            if connection.migrate(self.conn, target, after=self._republish_all):
                self.repo.forget_columns()  # a migration may have added some

    def _republish_all(self) -> None:
        from hecht_tracker.storage.publisher import republish_all

        republish_all(self.repo, self.settings())

    @property
    def schema_version(self) -> int:
        return connection.schema_version(self.conn)

    @_guarded
    def data_version(self) -> int:
        """A number that changes when another connection commits (PRAGMA data_version).

        Cheap enough to poll: a screen compares it with the last value it saw and reloads
        only when it moved.
        """
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def today(self) -> dt.date:
        """'Today' in Amsterdam: the injected date when the caller set one, else the clock's."""
        if self.today_override is not None:
            return self.today_override
        from zoneinfo import ZoneInfo

        from hecht_tracker.core import dates

        return self.clock().astimezone(ZoneInfo(dates.TIMEZONE)).date()

    # --- settings ----------------------------------------------------------------------------

    @_guarded
    def settings(self) -> Settings:
        if self._settings is None:
            stored = {
                key: json.loads(value)
                for key, value in self.conn.execute("SELECT key, value FROM setting")
            }
            known = {f.name for f in dataclasses.fields(Settings)}
            self._settings = Settings(**self._intact_settings(stored, known))
        return self._settings

    def _intact_settings(self, stored: Mapping[str, Any], known: set[str]) -> dict[str, Any]:
        """The stored settings that pass their limits; a damaged one is reported and its
        default used, except the feed token: that becomes an unguessable one, so damage
        closes the feed rather than opening it (``calendar token --rotate`` repairs it)."""
        intact: dict[str, Any] = {}
        for key, value in stored.items():
            if key not in known:
                continue
            try:
                intact[key] = limits.check_setting(key, value)
            except ValidationError as error:
                shown = key.replace("_", "-")
                if key == "feed_token":
                    import secrets

                    intact[key] = secrets.token_urlsafe(24)
                    advice = "de agenda-feed is dicht tot 'calendar token --rotate'"
                else:
                    advice = f"de standaardwaarde geldt tot 'settings set {shown}'"
                problem = str(error).rstrip(".")
                self.repo.report_damage(
                    f"setting:{key}", f"Instelling {shown} is ongeldig ({problem}); {advice}."
                )
        return intact

    @_guarded
    def update_settings(self, changes: Mapping[str, Any], note: str = "") -> Settings:
        current = self.settings()
        known = {f.name for f in dataclasses.fields(Settings)}
        unknown = set(changes) - known
        if unknown:
            raise ValidationError(f"Onbekende instelling: {', '.join(sorted(unknown))}.")
        updated = dataclasses.replace(current, **changes)
        rules.validate_settings(updated)
        with self._transaction():
            changed = False
            for key, value in changes.items():
                old = getattr(current, key)
                if old == value:
                    continue
                changed = True
                self.conn.execute(
                    "INSERT INTO setting (key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (key, json.dumps(value, sort_keys=True)),
                )
                shown_old = "***" if key == "feed_token" else json.dumps(old, ensure_ascii=False)
                shown_new = "***" if key == "feed_token" else json.dumps(value, ensure_ascii=False)
                self.repo.journal("setting", None, key, shown_old, shown_new, note)
            self._settings = None
            if changed:
                self.publisher.touch_all()  # organizer, reminders and lead days are in every view
            self.publisher.flush()
        return self.settings()

    # --- reading -----------------------------------------------------------------------------

    @_guarded
    def programmes(self) -> list[Programme]:
        return self.repo.programmes()

    @_guarded
    def programme(self, programme_id: int) -> Programme:
        return self.repo.one("programme", programme_id)  # type: ignore[no-any-return]

    @_guarded
    def goals(self, programme_id: int | None = None) -> list[Goal]:
        return self.repo.goals(programme_id)

    def damaged_records(self) -> dict[str, str]:
        """Records this connection found damaged while reading ("entity:id" → why); they are
        left out of every list until repaired."""
        return dict(self.repo.damaged)

    @_guarded
    def record_count(self) -> int:
        """How many milestones, actions and benefits there are."""
        return self.repo.record_count()

    @_guarded
    def goal(self, goal_id: int) -> Goal:
        return self.repo.one("goal", goal_id)  # type: ignore[no-any-return]

    @_guarded
    def milestones(
        self,
        *,
        body: str | None = None,
        status: Status | None = None,
        kind: Kind | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        programme_id: int | None = None,
        goal_id: int | None = None,
        public_only: bool = False,
        blank: frozenset[str] = frozenset(),
    ) -> list[Milestone]:
        """Milestones in date order (all-day first on a day, then by start time); the ``blank``
        text fields read as empty."""
        found = milestone_filters(
            body=body,
            status=status,
            kind=kind,
            since=since,
            until=until,
            programme_id=programme_id,
            goal_id=goal_id,
            public_only=public_only,
        )
        found.blank = blank
        return self.repo.milestones(found)

    @_guarded
    def milestone(self, milestone_id: int) -> Milestone:
        return self.repo.milestone(milestone_id)

    @_guarded
    def actions(
        self,
        *,
        kind: ActionKind | None = None,
        status: Status | None = None,
        goal_id: int | None = None,
        programme_id: int | None = None,
        blank: frozenset[str] = frozenset(),
    ) -> list[Action]:
        """Actions and agreements, by due date (undated last); the ``blank`` text fields read
        as empty."""
        found = _action_filters(kind, status, goal_id, programme_id)
        found.blank = blank
        return self.repo.actions(found)

    @_guarded
    def action(self, action_id: int) -> Action:
        return self.repo.one("action", action_id)  # type: ignore[no-any-return]

    @_guarded
    def benefits(
        self,
        *,
        status: BenefitStatus | None = None,
        category: BenefitCategory | None = None,
        programme_id: int | None = None,
    ) -> list[Benefit]:
        found = Filters()
        for column, value in (("status", status), ("category", category)):
            if value is not None:
                found.add(f"{column} = ?", value.value)
        if programme_id is not None:
            found.add("programme_id = ?", programme_id)
        return self.repo.benefits(found)

    @_guarded
    def benefit(self, benefit_id: int) -> Benefit:
        found = Filters()
        found.add("id = ?", benefit_id)
        for benefit in self.repo.benefits(found, skip_damaged=False):
            return benefit
        raise NotFoundError(f"Baat {benefit_id} bestaat niet.")

    def get(self, entity: str, record_id: int) -> Any:
        """Any record by entity name and id (``milestone``, ``action``, ``benefit``, ``goal``)."""
        readers: dict[str, Callable[[int], Any]] = {
            "milestone": self.milestone,
            "action": self.action,
            "benefit": self.benefit,
            "goal": self.goal,
            "programme": self.programme,
        }
        return readers[entity](record_id)

    def json_records(self, entity: str, **filters: Any) -> Iterator[str]:
        """Records as the JSON text of ``list --json``, streamed from SQL (no domain objects).

        Milestones take the filters of :meth:`milestones`, actions those of :meth:`actions`,
        goals ``programme_id``. Each item is one record as ``json.dumps([...], indent=2,
        ensure_ascii=False)`` lays out a list item, so joining them with ``",\\n"`` between
        ``"[\\n"`` and ``"\\n]"`` gives exactly that call's text for ``to_record`` of each.
        """
        if entity == "milestone":
            found = milestone_filters(**filters)
            order = MILESTONE_ORDER
        elif entity == "action":
            found = _action_filters(**filters)
            order = ACTION_ORDER
        elif entity == "goal":
            found = Filters()
            if filters.get("programme_id") is not None:
                found.add("programme_id = ?", filters["programme_id"])
            order = "ORDER BY programme_id, number, id"
        else:
            raise ValueError(f"no JSON records for {entity}")
        try:
            yield from self.repo.json_records(entity, found, order)
        except sqlite3.Error as error:
            raise dutch_error(error, self.path or "De database") from error

    @_guarded
    def id_for_uid(self, entity: str, uid: str) -> int | None:
        if "writer" not in self.__dict__:  # no write (and so no import) under way
            return self.repo.id_for_uid(entity, uid)
        return self.writer.id_for_uid(entity, uid)

    @_guarded
    def id_exists(self, entity: str, record_id: int) -> bool:
        if "writer" not in self.__dict__:
            return self.repo.id_exists(entity, record_id)
        return self.writer.id_exists(entity, record_id)

    @_guarded
    def journal(
        self,
        *,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        entity: str | None = None,
        entity_id: int | None = None,
    ) -> list[JournalEntry]:
        """Journal rows, oldest first; ``since`` inclusive, ``until`` exclusive."""
        found = Filters()
        stamp = TABLES["milestone"]
        if since is not None:
            found.add("at >= ?", to_db(stamp, "at", since))
        if until is not None:
            found.add("at < ?", to_db(stamp, "at", until))
        if entity is not None:
            found.add("entity = ?", entity)
        if entity_id is not None:
            found.add("entity_id = ?", entity_id)
        return self.repo.journal_entries(found)

    @_guarded
    def last_changed(self, entity: str, field: str) -> dict[int, dt.datetime]:
        """When ``field`` last changed, per record of ``entity`` that has such a journal row
        (e.g. when each milestone's date last moved), without reading the rows themselves."""
        return self.repo.last_changed(entity, field)

    @_guarded
    def is_empty(self) -> bool:
        return self.repo.is_empty()

    # --- writing -----------------------------------------------------------------------------

    @_guarded
    def add(self, entity: str, values: Mapping[str, Any], note: str = "") -> Any:
        """Create a record from typed ``values``; returns the stored domain object."""
        with self._transaction():
            record_id = self.writer.insert(entity, values, note)
            self.publisher.flush()
        return self.get(entity, record_id)

    @_guarded
    def update(
        self,
        entity: str,
        record_id: int,
        changes: Mapping[str, Any],
        note: str = "",
        expected_version: int | None = None,
    ) -> Any:
        """Change fields of a record; every changed field gets a journal row with ``note``.

        With ``expected_version`` (the version the caller's copy has) a record that someone
        else changed since is refused with a :class:`ConflictError`, and nothing is written.
        """
        with self._transaction():
            self.writer.update(entity, record_id, changes, note, expected_version)
            self.publisher.flush()
        return self.get(entity, record_id)

    @_guarded
    def delete(
        self, entity: str, record_id: int, note: str = "", expected_version: int | None = None
    ) -> Any:
        """Remove a record; a milestone is cancelled instead, so calendars can tell subscribers."""
        if entity == "milestone":
            return self.update(
                entity, record_id, {"status": Status.CANCELLED}, note, expected_version
            )
        table = TABLES[entity]
        with self._transaction():
            current = self.get(entity, record_id)
            from hecht_tracker.storage.writer import check_version

            check_version(table, record_id, current.version, expected_version)
            if entity == "goal":
                self.writer.unlink_goal(record_id, note)
            try:
                self.repo.delete(entity, record_id)
            except sqlite3.IntegrityError:
                raise ValidationError(
                    f"{table.article} {table.label} {record_id} is nog in gebruik en kan niet "
                    "worden verwijderd."
                ) from None
            title = current.name if entity == "programme" else current.title
            self.repo.journal(entity, record_id, None, title, None, note or "verwijderd")
            self.publisher.flush()
        return current

    @_guarded
    def add_measurement(
        self, benefit_id: int, value: str, date: dt.date, note: str = ""
    ) -> Measurement:
        """Record a measurement of a benefit (its own row: the benefit's version stays)."""
        if not value.strip():
            raise ValidationError("De meetwaarde mag niet leeg zijn.")
        limits.check_text(value.strip(), limits.TEXT_LIMITS["value"], "Meetwaarde")
        limits.check_date(date, "Datum van de meting")
        with self._transaction():
            if not self.repo.id_exists("benefit", benefit_id):
                raise NotFoundError(f"Baat {benefit_id} bestaat niet.")
            measurement_id = self.repo.insert(
                "measurement",
                {
                    "benefit_id": benefit_id,
                    "date": date.isoformat(),
                    "value": value.strip(),
                    "note": note,
                    "created": self.repo.now(),
                },
            )
            self.repo.journal(
                "benefit",
                benefit_id,
                "measurement",
                None,
                f"{date.isoformat()}: {value.strip()}",
                note,
            )
        return Measurement(measurement_id, benefit_id, date, value.strip(), note)

    @_guarded
    def import_records(
        self, entity: str, rows: Iterable[tuple[str, Mapping[str, Any]]], note: str = "import"
    ) -> tuple[int, int]:
        """Add or update many records in one transaction: all of them or none.

        ``rows`` pairs where a row is in its source ("rij 3") with typed values; rows are
        consumed inside the transaction, so a row may refer to one added before it. A ``uid``
        that exists updates that record; one uid twice in the same source is refused.
        New records are written in batches of a few thousand and calendars are published at
        the end, a few thousand milestones at a time, all inside the one transaction (with a
        larger page cache for its duration).
        References are checked as rows come (an index lookup each); a new record can only
        refer to what exists or came before it, so only an update row can close a dependency
        cycle, and that row is checked from its own milestone. Returns (added, updated).
        """
        with connection.large_write_cache(self.conn), self._transaction():
            counts = self.writer.import_rows(entity, rows, note)
            self.publisher.flush()
        return counts

    # --- kept calendar events (derived data: rewritten at will, never journalled) -------------

    @_guarded
    def calendar_events(
        self, renderer: str
    ) -> tuple[list[publication.CalendarEntry], dict[tuple[int, str], int], str]:
        """Every milestone as the calendars index it, which of its kept events are current,
        and a digest of the index (as :meth:`calendar_index_digest` gives it).

        Kept events are (milestone id, variant) → their length in bytes (the bytes themselves
        are read with :meth:`calendar_event_contents` when a file is written); one is current
        when it was kept under the source the milestone has now, made by ``renderer`` (the
        code's fingerprint). One query, so all three come from one state of the database.
        """
        rows = self.conn.execute(
            f"SELECT m.*, c.variant, CASE WHEN c.source = m.source THEN length(c.content) END "
            f"FROM ({_CALENDAR_INDEX}) m LEFT JOIN calendar_event c ON c.milestone_id = m.id "
            "ORDER BY m.id",
            (renderer,),
        )
        from hecht_tracker.core import publication  # only the calendars need it

        entries: list[publication.CalendarEntry] = []
        index = _IndexDigest()
        kept: dict[tuple[int, str], int] = {}
        # Most milestones share a few body lists and stamps (one import, one publication):
        # decode each text once.
        bodies: dict[str, tuple[str, ...]] = {}
        stamps: dict[str, dt.datetime] = {}
        last_id = None
        entry = publication.CalendarEntry
        for row in rows:
            (record_id, uid, date, start, body, public, published_bodies, papers, due, when,
             source, variant, length) = row  # fmt: skip
            if record_id != last_id:
                last_id = record_id
                index.add(row[:11])
                shown = bodies.get(published_bodies)
                if shown is None:
                    shown = bodies[published_bodies] = tuple(json.loads(published_bodies))
                modified = stamps.get(when)
                if modified is None:
                    modified = stamps[when] = dt.datetime.fromisoformat(when.replace("Z", "+00:00"))
                entries.append(
                    entry(
                        record_id,
                        uid,
                        date,
                        start,
                        body,
                        bool(public),
                        shown,
                        bool(papers),
                        due,
                        modified,
                        source,
                    )
                )
            if length is not None:
                kept[record_id, variant] = length
        return entries, kept, index.hexdigest()

    @_guarded
    def calendar_event_contents(
        self, keys: Iterable[tuple[int, str]]
    ) -> dict[tuple[int, str], tuple[str, bytes]]:
        """The kept events ``keys`` ((milestone id, variant)): key → (source, bytes). A key
        with nothing kept is left out; the caller checks the source is still the one it
        planned with."""
        rows = self.conn.execute(
            "SELECT c.milestone_id, c.variant, c.source, c.content FROM json_each(?) j "
            "JOIN calendar_event c ON c.milestone_id = j.value ->> 0 AND c.variant = j.value ->> 1",
            (json.dumps(list(keys)),),
        )
        return {
            (record_id, variant): (source, content) for record_id, variant, source, content in rows
        }

    @_guarded
    def calendar_index_digest(self, renderer: str) -> str:
        """A digest of everything the calendars are planned and made from, per milestone:
        equal digests mean equal calendars (for the same settings and code)."""
        index = _IndexDigest()
        for row in self.conn.execute(f"{_CALENDAR_INDEX} ORDER BY id", (renderer,)):
            index.add(row)
        return index.hexdigest()

    @_guarded
    def calendar_files_written(self, folder: str) -> dict[str, tuple[str, int, int]]:
        """The calendar files an export last wrote into ``folder``: name → (digest of what
        they were made from, size, modification time in ns)."""
        rows = self.conn.execute(
            "SELECT name, digest, size, mtime_ns FROM calendar_file WHERE folder = ?", (folder,)
        )
        return {name: (digest, size, mtime) for name, digest, size, mtime in rows}

    def note_calendar_files(self, folder: str, files: Iterable[tuple[str, str, int, int]]) -> None:
        """Remember (name, digest, size, mtime in ns) of the calendar files an export just
        wrote into ``folder``, in place of what was noted there before."""
        try:
            with self._transaction():
                self.conn.execute("DELETE FROM calendar_file WHERE folder = ?", (folder,))
                self.conn.executemany(
                    "INSERT OR REPLACE INTO calendar_file (folder, name, digest, size, mtime_ns) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [(folder, *file) for file in files],
                )
        except sqlite3.Error as error:  # read-only or busy: the caller goes on without it
            raise DatabaseError(f"{self.path or 'De database'}: {error}.") from None

    @_guarded
    def milestones_around(self, ids: Iterable[int]) -> list[Milestone]:
        """The milestones ``ids`` with those they depend on and those that follow them: all a
        public view of one of ``ids`` names (calendar events of a few changed milestones are
        made without loading every milestone)."""
        wanted = set(ids)
        return list(self.repo.milestones_by_ids(wanted | self.repo.neighbours(wanted)).values())

    def keep_calendar_events(self, events: Iterable[tuple[int, str, str, bytes]]) -> None:
        """Store (milestone id, variant, source, bytes) of freshly made events, one transaction;
        an event of a milestone deleted meanwhile is left out."""
        try:
            with self._transaction():
                self.conn.executemany(
                    "INSERT OR REPLACE INTO calendar_event (milestone_id, variant, source, content) "
                    "SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM milestone WHERE id = ?1)",
                    events,
                )
        except sqlite3.Error as error:  # read-only or busy: the caller goes on without keeping
            raise DatabaseError(f"{self.path or 'De database'}: {error}.") from None

    # --- seeding -----------------------------------------------------------------------------

    @_guarded
    def seed(self, data: Mapping[str, list[dict[str, Any]]]) -> None:
        """Fill an empty database from seed data (see :mod:`hecht_tracker.storage.seed`), one transaction."""
        from hecht_tracker.storage.seed import resolve_seed

        with self._transaction():
            if not self.is_empty():
                raise ValidationError(
                    "De database is niet leeg; gebruik 'init --force' om opnieuw te beginnen."
                )
            settings = data.get("settings", [{}])
            if settings and settings[0]:
                for key, value in settings[0].items():
                    self.conn.execute(
                        "INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)",
                        (key, json.dumps(value, sort_keys=True)),
                    )
                self._settings = None
            for entity, values in resolve_seed(self.repo.id_for_uid, data):
                table = TABLES[entity]
                record, links = self.writer.prepare_new(entity, values, seeding=True)
                row = {k: to_db(table, k, v) for k, v in record.items()}
                now = self.repo.now()
                row.update(created=now, updated=now)
                if entity == "milestone":
                    row["published"] = now
                record_id = self.repo.insert(entity, row)
                for name, ids in links.items():
                    self.repo.add_links(entity, name, ((record_id, other) for other in ids))
            self.repo.journal(
                "database", None, None, None, None, "gevuld met de standaardgegevens van Hecht"
            )
            self.publisher.touch_all()
            self.publisher.flush()


def _action_filters(
    kind: ActionKind | None = None,
    status: Status | None = None,
    goal_id: int | None = None,
    programme_id: int | None = None,
    overdue_on: dt.date | None = None,
) -> Filters:
    found = Filters()
    if overdue_on is not None:  # the rule of Action.is_overdue, in SQL
        open_statuses = ", ".join(f"'{s.value}'" for s in Status if s.is_open)
        found.add(
            f"status IN ({open_statuses}) AND due_date IS NOT NULL AND due_date < ?",
            overdue_on.isoformat(),
        )
    for column, value in (("kind", kind), ("status", status)):
        if value is not None:
            found.add(f"{column} = ?", value.value)
    for column, number in (("goal_id", goal_id), ("programme_id", programme_id)):
        if number is not None:
            found.add(f"{column} = ?", number)
    return found


def initialise(
    path: Path, *, seed: bool = True, force: bool = False, clock: Clock = utc_now
) -> Path | None:
    """Create a new database at ``path``; with ``force`` an existing file is backed up first.

    Returns the backup's path when one was made. Without ``force`` an existing file is refused.
    """
    if path.exists() and path.stat().st_size > 0:
        if not force:
            raise ValidationError(
                f"{path} bestaat al. Gebruik --force om opnieuw te beginnen "
                "(er wordt eerst een reservekopie gemaakt)."
            )
        # safety: rebuilt inside the file, so processes that have it open lose nothing
        return maintenance.reinitialise(
            path,
            now=clock(),
            make_new=lambda new: Store.open(
                new, clock=clock, seed=seed, allow_network_share=True
            ).close(),
        )
    Store.open(path, clock=clock, seed=seed).close()
    return None


def restore(path: Path, source: Path, *, clock: Clock = utc_now) -> Path:
    """Give the database at ``path`` exactly the content of the backup ``source``, inside the
    same file; returns the backup of what it held (see :func:`maintenance.restore`)."""
    return maintenance.restore(
        path,
        source,
        clock(),
        upgrade=lambda staged: Store.open(
            staged, clock=clock, seed=False, allow_network_share=True
        ).close(),
    )


# The calendar index of each milestone (see CalendarEntry); ?1 is the renderer's fingerprint,
# part of the source its events are kept under.
_CALENDAR_INDEX = (
    "SELECT id, uid, date, coalesce(start_time, '') AS start, body, "
    "visibility = 'public' AS public, published_bodies, papers_published, "
    "coalesce(documents_due, documents_due_default, '') AS due, "
    "coalesce(published, updated, created) AS stamp, "
    "?1 || '|' || public_hash || '|' || sequence || '|' "
    "|| coalesce(published, updated, created) || '|' || created || '|' "
    "|| coalesce(baseline_date, '') AS source FROM milestone"
)


class _IndexDigest:
    """The digest of the calendar index, taken a row at a time as it is read (the index of
    a large database is never held whole): the hash of the rows' list as Python writes it."""

    def __init__(self) -> None:
        self._digest = hashlib.sha256(b"[")
        self._separator = b""

    def add(self, row: tuple[Any, ...]) -> None:
        self._digest.update(self._separator + repr(row).encode())
        self._separator = b", "

    def hexdigest(self) -> str:
        digest = self._digest.copy()
        digest.update(b"]")
        return digest.hexdigest()
