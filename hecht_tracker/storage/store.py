"""The one module that speaks SQL: opening, migrating, reading and writing the tracker database.

Every write is one transaction (``BEGIN IMMEDIATE``) that also appends its journal rows and
refreshes what calendar subscribers see; sqlite-utils' helpers run inside it as savepoints, so
nothing commits half-way. Domain objects go in and come out; rows never leave this module.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import logging
import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils

from hecht_tracker.core import dates, limits, publication
from hecht_tracker.core.errors import (
    DamagedRecordError,
    DatabaseError,
    NotFoundError,
    TrackerError,
    ValidationError,
)
from hecht_tracker.core.model import (
    Action,
    ActionKind,
    Benefit,
    BenefitCategory,
    BenefitStatus,
    Goal,
    Health,
    JournalEntry,
    Kind,
    Measurement,
    Milestone,
    Programme,
    Settings,
    Status,
    Visibility,
    default_visibility,
    normalise_body,
)
from hecht_tracker.storage import schema

Clock = Callable[[], dt.datetime]
Model = TypeVar("Model", Programme, Goal, Milestone, Action, Benefit)

BUSY_TIMEOUT_SECONDS = 5.0
# Records and settings that fail their limits on reading are reported here and left out.
damage_log = logging.getLogger("hecht_tracker.damaged")
# Silent unless a door shows them (the CLI prints them on stderr): Python's fallback handler
# would otherwise write into the terminal interface's screen.
damage_log.addHandler(logging.NullHandler())
_MEETING_KINDS = (Kind.MEETING, Kind.THEME_SESSION)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def new_uid() -> str:
    """A globally unique, never reused identifier (also the calendars' UID)."""
    return f"{uuid.uuid4()}@hecht-tracker"


@dataclasses.dataclass(frozen=True)
class _Table:
    """How one entity maps onto its table: column types and many-to-many link fields."""

    name: str
    model: type[Any]
    label: str  # Dutch noun for messages
    dates: frozenset[str] = frozenset()
    times: frozenset[str] = frozenset()
    enums: Mapping[str, type[Enum]] = dataclasses.field(default_factory=dict)
    links: Mapping[str, tuple[str, str]] = dataclasses.field(default_factory=dict)


_TIMESTAMPS = frozenset({"created", "updated", "published"})

TABLES: dict[str, _Table] = {
    "programme": _Table("programme", Programme, "programma"),
    "goal": _Table("goal", Goal, "doel", enums={"health": Health}),
    "milestone": _Table(
        "milestone",
        Milestone,
        "mijlpaal",
        dates=frozenset({"date", "documents_due", "documents_sent", "baseline_date"}),
        times=frozenset({"start_time", "end_time"}),
        enums={"kind": Kind, "status": Status, "health": Health, "visibility": Visibility},
        links={
            "goal_ids": ("milestone_goal", "goal_id"),
            "depends_on": ("milestone_dependency", "depends_on_id"),
        },
    ),
    "action": _Table(
        "action",
        Action,
        "actie",
        dates=frozenset({"due_date", "done_date"}),
        enums={"kind": ActionKind, "status": Status},
    ),
    "benefit": _Table(
        "benefit",
        Benefit,
        "baat",
        dates=frozenset({"realisation_date"}),
        enums={"category": BenefitCategory, "status": BenefitStatus},
    ),
}


def _to_db(table: _Table, name: str, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, Enum):
        return value.value
    if name in table.times:
        return value.strftime("%H:%M")
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _from_db(table: _Table, name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in table.dates:
        return dt.date.fromisoformat(value)
    if name in table.times:
        return dt.time.fromisoformat(value)
    if name in _TIMESTAMPS:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if name in table.enums:
        return table.enums[name](value)
    if name == "published_bodies":
        return tuple(json.loads(value))
    if name == "papers_published":
        return bool(value)
    return value


def _journal_text(value: Any) -> str | None:
    """How a value is written in the journal: ISO dates, stored enum keys, ids joined by ','."""
    if value is None:
        return None
    if isinstance(value, tuple):
        return ",".join(str(item) for item in value)
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class Store:
    """The tracker database. Open it with :meth:`open`; use it as a context manager."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None, clock: Clock) -> None:
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self.path = path
        self.clock = clock
        self.today_override: dt.date | None = None
        self._settings: Settings | None = None
        self._reported: set[str] = set()

    # --- opening -----------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        clock: Clock = utc_now,
        seed: bool = True,
        read_only: bool = False,
    ) -> Store:
        """Open (and if needed create, seed or migrate) the database at ``path``.

        A file that is not a tracker database, or one made by a newer program, is refused and
        left untouched. Before a migration the old file is backed up next to it.
        """
        path = Path(path)
        if read_only:
            if not path.exists():
                raise DatabaseError(f"Database {path} bestaat niet.")
            conn = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro",
                uri=True,
                timeout=BUSY_TIMEOUT_SECONDS,
                check_same_thread=False,
            )
            store = cls(conn, path, clock)
            if store._check_readable() < schema.SCHEMA_VERSION:
                conn.close()
                raise DatabaseError(
                    f"{path} heeft een ouder schema; open hem eerst eenmaal met hecht-tracker zelf."
                )
            return store
        fresh = not path.exists() or path.stat().st_size == 0
        if fresh:
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, check_same_thread=False)
        except sqlite3.OperationalError:
            raise DatabaseError(f"{path} kan niet worden geopend (bestaat de map?).") from None
        store = cls(conn, path, clock)
        try:
            version = store._check_readable()
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            if version < schema.SCHEMA_VERSION:
                if version > 0:
                    store.backup(store._backup_path(version))
                # One transaction (BEGIN IMMEDIATE) for upgrading and seeding, so processes that
                # open a new file at once neither collide nor leave it created but unseeded.
                with store._transaction():
                    if store.schema_version == 0 and seed:
                        store.migrate()
                        if store.is_empty():
                            from hecht_tracker.storage.seed import load_default_seed

                            store.seed(load_default_seed())
                    else:
                        store.migrate()
        except BaseException:
            conn.close()
            raise
        return store

    @classmethod
    def memory(cls, *, clock: Clock = utc_now, seed: bool = False) -> Store:
        """A private in-memory database, for tests and previews."""
        conn = sqlite3.connect(":memory:", check_same_thread=False)
        conn.execute("PRAGMA foreign_keys = ON")
        store = cls(conn, None, clock)
        store.migrate()
        if seed:
            from hecht_tracker.storage.seed import load_default_seed

            store.seed(load_default_seed())
        return store

    def _check_readable(self) -> int:
        """Return the schema version, refusing foreign and newer files."""
        where = self.path or "database"
        try:
            version = int(self.conn.execute("PRAGMA user_version").fetchone()[0])
            app_id = int(self.conn.execute("PRAGMA application_id").fetchone()[0])
            tables = self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        except sqlite3.OperationalError as error:
            self.conn.close()
            if "locked" in str(error) or "busy" in str(error):
                raise DatabaseError(f"{where} is bezet; probeer het zo opnieuw.") from None
            if "unable to open" in str(error):
                raise DatabaseError(f"{where} kan niet worden geopend (bestaat de map?).") from None
            raise DatabaseError(f"{where} is geen hecht-tracker-database.") from None
        except sqlite3.DatabaseError:
            self.conn.close()
            raise DatabaseError(f"{where} is geen hecht-tracker-database.") from None
        if app_id != schema.APPLICATION_ID and (tables or version):
            self.conn.close()
            raise DatabaseError(f"{where} is geen hecht-tracker-database.")
        if version > schema.SCHEMA_VERSION:
            self.conn.close()
            raise DatabaseError(
                f"{where} is gemaakt door een nieuwere versie van hecht-tracker "
                f"(schema {version}, deze versie kent {schema.SCHEMA_VERSION}); werk het programma bij."
            )
        return version

    def _backup_path(self, version: int) -> Path:
        assert self.path is not None
        stamp = self.clock().strftime("%Y%m%dT%H%M%S")
        return unused_path(self.path.with_name(f"{self.path.stem}.v{version}-{stamp}.bak.sqlite"))

    def backup(self, target: Path) -> Path:
        """Copy the whole database consistently (SQLite's backup API) to ``target``."""
        target.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.closing(sqlite3.connect(target)) as copy:
            self.conn.backup(copy)
        return target

    def migrate(self, target: int = schema.SCHEMA_VERSION) -> None:
        """Bring the schema up to ``target`` in one transaction."""
        with self._transaction():
            version = self.schema_version  # read under the write lock: another process may have won
            if version >= target:
                return
            for number in range(version, target):
                for statement in _statements(schema.MIGRATIONS[number]):
                    self.conn.execute(statement)
            self.conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
            self.conn.execute(f"PRAGMA user_version = {target}")
            if target == schema.SCHEMA_VERSION:
                self._republish()  # fill what the new columns derive from existing rows

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transactions and journal -----------------------------------------------------------

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        if self.conn.in_transaction:
            with self.db.atomic():
                yield
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise DatabaseError(
                f"{self.path or 'De database'} is bezet ({error}); probeer het zo opnieuw."
            ) from None
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def today(self) -> dt.date:
        """'Today' in Amsterdam: the injected date when the caller set one, else the clock's."""
        if self.today_override is not None:
            return self.today_override
        from zoneinfo import ZoneInfo

        return self.clock().astimezone(ZoneInfo(dates.TIMEZONE)).date()

    def _now(self) -> str:
        return self.clock().astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def _journal(
        self,
        entity: str,
        entity_id: int | None,
        field: str | None,
        old: Any,
        new: Any,
        note: str = "",
    ) -> None:
        limits.check_text(note, limits.TEXT_LIMITS["note"], "Toelichting")
        self.conn.execute(
            "INSERT INTO journal (at, entity, entity_id, field, old, new, note) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (self._now(), entity, entity_id, field, _journal_text(old), _journal_text(new), note),
        )

    # --- settings ----------------------------------------------------------------------------

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
                self._report_damage(
                    f"setting:{key}", f"Instelling {shown} is ongeldig ({problem}); {advice}."
                )
        return intact

    def _report_damage(self, key: str, message: str) -> None:
        """Tell about a damaged record or setting once per open database."""
        if key not in self._reported:
            self._reported.add(key)
            damage_log.warning("%s", message)

    def update_settings(self, changes: Mapping[str, Any], note: str = "") -> Settings:
        current = self.settings()
        known = {f.name for f in dataclasses.fields(Settings)}
        unknown = set(changes) - known
        if unknown:
            raise ValidationError(f"Onbekende instelling: {', '.join(sorted(unknown))}.")
        updated = dataclasses.replace(current, **changes)
        _validate_settings(updated)
        with self._transaction():
            for key, value in changes.items():
                old = getattr(current, key)
                if old == value:
                    continue
                self.conn.execute(
                    "INSERT INTO setting (key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (key, json.dumps(value, sort_keys=True)),
                )
                shown_old = "***" if key == "feed_token" else json.dumps(old, ensure_ascii=False)
                shown_new = "***" if key == "feed_token" else json.dumps(value, ensure_ascii=False)
                self._journal("setting", None, key, shown_old, shown_new, note)
            self._settings = None
            self._republish()
        return self.settings()

    # --- reading -----------------------------------------------------------------------------

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        cursor = self.conn.execute(sql, tuple(params))
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def _build(self, table: _Table, row: Mapping[str, Any], **extra: Any) -> Any:
        """A domain object from a row; a row whose values fail their limits (written by hand
        or by an older version) raises DamagedRecordError instead of poisoning what reads it."""
        names = {f.name for f in dataclasses.fields(table.model)}
        values = {}
        for key, value in row.items():
            if key not in names:
                continue
            try:
                values[key] = _from_db(table, key, value)
            except (ValueError, TypeError, OverflowError, AttributeError):
                problem = f"{key}: '{limits.clip(value, 40)}' is onleesbaar"
                raise DamagedRecordError(table.label, row.get("id"), problem) from None
        try:
            record = table.model(**values, **extra)
            limits.check_record(record)
        except (TypeError, ValidationError) as error:
            raise DamagedRecordError(table.label, row.get("id"), str(error)) from None
        return record

    def _intact(self, build: Callable[..., Any], *args: Any) -> Any:
        """``build(*args)``, or None with a report when the record is damaged."""
        try:
            return build(*args)
        except DamagedRecordError as error:
            self._report_damage(f"{error.entity}:{error.record_id}", str(error))
            return None

    def programmes(self) -> list[Programme]:
        table = TABLES["programme"]
        rows = self._rows("SELECT * FROM programme ORDER BY id")
        return _present(self._intact(self._build, table, r) for r in rows)

    def programme(self, programme_id: int) -> Programme:
        return self._one("programme", programme_id)  # type: ignore[no-any-return]

    def goals(self, programme_id: int | None = None) -> list[Goal]:
        sql = "SELECT * FROM goal"
        params: list[Any] = []
        if programme_id is not None:
            sql += " WHERE programme_id = ?"
            params.append(programme_id)
        table = TABLES["goal"]
        rows = self._rows(sql + " ORDER BY programme_id, number, id", params)
        return _present(self._intact(self._build, table, r) for r in rows)

    def goal(self, goal_id: int) -> Goal:
        return self._one("goal", goal_id)  # type: ignore[no-any-return]

    def milestones(
        self,
        *,
        body: str | None = None,
        status: Status | None = None,
        kind: Kind | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        programme_id: int | None = None,
        public_only: bool = False,
    ) -> list[Milestone]:
        """Milestones in date order (all-day first on a day, then by start time)."""
        where: list[str] = []
        params: list[Any] = []
        if body is not None:
            where.append("body = ? COLLATE NOCASE")
            params.append(body)
        for column, value in (("status", status), ("kind", kind)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value.value)
        if since is not None:
            where.append("date >= ?")
            params.append(since.isoformat())
        if until is not None:
            where.append("date <= ?")
            params.append(until.isoformat())
        if programme_id is not None:
            where.append("programme_id = ?")
            params.append(programme_id)
        if public_only:
            where.append("visibility = 'public'")
        sql = "SELECT * FROM milestone"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY date, coalesce(start_time, ''), id"
        return self._milestones_from(self._rows(sql, params))

    def _milestones_from(
        self, rows: list[dict[str, Any]], *, skip_damaged: bool = True
    ) -> list[Milestone]:
        links = self._milestone_links()
        if not skip_damaged:
            return [self._milestone_from(row, links) for row in rows]
        return _present(self._intact(self._milestone_from, row, links) for row in rows)

    def _milestone_from(
        self, row: dict[str, Any], links: Mapping[int, tuple[tuple[int, ...], tuple[int, ...]]]
    ) -> Milestone:
        table = TABLES["milestone"]
        goal_ids, depends_on = links.get(row["id"], ((), ()))
        milestone: Milestone = self._build(
            table,
            row,
            goal_ids=goal_ids,
            depends_on=depends_on,
            documents_due_is_default=row["documents_due"] is None,
        )
        if milestone.documents_due is None and row["documents_due_default"]:
            try:
                default = limits.check_date(dt.date.fromisoformat(row["documents_due_default"]))
            except (ValueError, TypeError, ValidationError):
                problem = f"documents_due_default: '{limits.clip(row['documents_due_default'], 40)}' is onleesbaar"
                raise DamagedRecordError(table.label, row["id"], problem) from None
            milestone = dataclasses.replace(milestone, documents_due=default)
        return milestone

    def _milestone_links(self) -> dict[int, tuple[tuple[int, ...], tuple[int, ...]]]:
        goals: dict[int, list[int]] = {}
        for mid, gid in self.conn.execute(
            "SELECT milestone_id, goal_id FROM milestone_goal ORDER BY goal_id"
        ):
            goals.setdefault(mid, []).append(gid)
        deps: dict[int, list[int]] = {}
        for mid, did in self.conn.execute(
            "SELECT milestone_id, depends_on_id FROM milestone_dependency ORDER BY depends_on_id"
        ):
            deps.setdefault(mid, []).append(did)
        return {
            mid: (tuple(goals.get(mid, ())), tuple(deps.get(mid, ())))
            for mid in set(goals) | set(deps)
        }

    def milestone(self, milestone_id: int) -> Milestone:
        found = self._milestones_from(
            self._rows("SELECT * FROM milestone WHERE id = ?", [milestone_id]), skip_damaged=False
        )
        if not found:
            raise NotFoundError(f"Mijlpaal {milestone_id} bestaat niet.")
        return found[0]

    def actions(
        self,
        *,
        kind: ActionKind | None = None,
        status: Status | None = None,
        goal_id: int | None = None,
        programme_id: int | None = None,
    ) -> list[Action]:
        """Actions and agreements, by due date (undated last)."""
        where: list[str] = []
        params: list[Any] = []
        for column, value in (("kind", kind), ("status", status)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value.value)
        for column, number in (("goal_id", goal_id), ("programme_id", programme_id)):
            if number is not None:
                where.append(f"{column} = ?")
                params.append(number)
        sql = "SELECT * FROM action"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY due_date IS NULL, due_date, id"
        table = TABLES["action"]
        rows = self._rows(sql, params)
        return _present(self._intact(self._build, table, r) for r in rows)

    def action(self, action_id: int) -> Action:
        return self._one("action", action_id)  # type: ignore[no-any-return]

    def benefits(
        self,
        *,
        status: BenefitStatus | None = None,
        category: BenefitCategory | None = None,
        programme_id: int | None = None,
    ) -> list[Benefit]:
        where: list[str] = []
        params: list[Any] = []
        for column, value in (("status", status), ("category", category)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value.value)
        if programme_id is not None:
            where.append("programme_id = ?")
            params.append(programme_id)
        sql = "SELECT * FROM benefit"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return self._benefits_from(self._rows(sql + " ORDER BY id", params))

    def _benefits_from(
        self, rows: list[dict[str, Any]], *, skip_damaged: bool = True
    ) -> list[Benefit]:
        measured: dict[int, list[dict[str, Any]]] = {}
        for m in self._rows("SELECT * FROM measurement ORDER BY date, id"):
            measured.setdefault(m["benefit_id"], []).append(m)
        table = TABLES["benefit"]

        def build(row: dict[str, Any]) -> Benefit:
            try:
                measurements = tuple(
                    Measurement(
                        m["id"],
                        m["benefit_id"],
                        dt.date.fromisoformat(m["date"]),
                        m["value"],
                        m["note"],
                    )
                    for m in measured.get(row["id"], ())
                )
            except (ValueError, TypeError):
                raise DamagedRecordError(
                    table.label, row["id"], "een meting is onleesbaar"
                ) from None
            return self._build(table, row, measurements=measurements)  # type: ignore[no-any-return]

        if not skip_damaged:
            return [build(r) for r in rows]
        return _present(self._intact(build, r) for r in rows)

    def benefit(self, benefit_id: int) -> Benefit:
        found = self._benefits_from(
            self._rows("SELECT * FROM benefit WHERE id = ?", [benefit_id]), skip_damaged=False
        )
        if not found:
            raise NotFoundError(f"Baat {benefit_id} bestaat niet.")
        return found[0]

    def _one(self, entity: str, record_id: int) -> Any:
        table = TABLES[entity]
        rows = self._rows(f"SELECT * FROM {table.name} WHERE id = ?", [record_id])
        if not rows:
            raise NotFoundError(f"{table.label.capitalize()} {record_id} bestaat niet.")
        return self._build(table, rows[0])

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

    def id_for_uid(self, entity: str, uid: str) -> int | None:
        row = self.conn.execute(
            f"SELECT id FROM {TABLES[entity].name} WHERE uid = ?", (uid,)
        ).fetchone()
        return None if row is None else int(row[0])

    def journal(
        self,
        *,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        entity: str | None = None,
        entity_id: int | None = None,
    ) -> list[JournalEntry]:
        """Journal rows, oldest first; ``since`` inclusive, ``until`` exclusive."""
        where: list[str] = []
        params: list[Any] = []
        stamp = TABLES["milestone"]
        if since is not None:
            where.append("at >= ?")
            params.append(_to_db(stamp, "at", since))
        if until is not None:
            where.append("at < ?")
            params.append(_to_db(stamp, "at", until))
        if entity is not None:
            where.append("entity = ?")
            params.append(entity)
        if entity_id is not None:
            where.append("entity_id = ?")
            params.append(entity_id)
        sql = "SELECT * FROM journal"
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self._rows(sql + " ORDER BY at, id", params)
        return _present(self._intact(_journal_entry, r) for r in rows)

    def is_empty(self) -> bool:
        return not any(
            self.conn.execute(f"SELECT 1 FROM {name} LIMIT 1").fetchone()
            for name in ("programme", "milestone", "action", "benefit")
        )

    # --- writing -----------------------------------------------------------------------------

    def add(self, entity: str, values: Mapping[str, Any], note: str = "") -> Any:
        """Create a record from typed ``values``; returns the stored domain object."""
        with self._transaction():
            record_id = self._insert(entity, values, note)
            self._republish()
        return self.get(entity, record_id)

    def update(
        self, entity: str, record_id: int, changes: Mapping[str, Any], note: str = ""
    ) -> Any:
        """Change fields of a record; every changed field gets a journal row with ``note``."""
        with self._transaction():
            self._update(entity, record_id, changes, note)
            self._republish()
        return self.get(entity, record_id)

    def delete(self, entity: str, record_id: int, note: str = "") -> Any:
        """Remove a record; a milestone is cancelled instead, so calendars can tell subscribers."""
        if entity == "milestone":
            return self.update(entity, record_id, {"status": Status.CANCELLED}, note)
        table = TABLES[entity]
        with self._transaction():
            current = self.get(entity, record_id)
            if entity == "goal":
                self._unlink_goal(record_id, note)
            self.conn.execute(f"DELETE FROM {table.name} WHERE id = ?", (record_id,))
            self._journal(entity, record_id, None, current.title, None, note or "verwijderd")
            self._republish()
        return current

    def _unlink_goal(self, goal_id: int, note: str) -> None:
        """Before a goal goes: take it off actions and milestones, each change journalled."""
        reason = note or "doel verwijderd"
        for (action_id,) in self.conn.execute(
            "SELECT id FROM action WHERE goal_id = ?", (goal_id,)
        ).fetchall():
            self._update("action", action_id, {"goal_id": None}, reason)
        for (milestone_id,) in self.conn.execute(
            "SELECT milestone_id FROM milestone_goal WHERE goal_id = ?", (goal_id,)
        ).fetchall():
            remaining = tuple(g for g in self.milestone(milestone_id).goal_ids if g != goal_id)
            self._update("milestone", milestone_id, {"goal_ids": remaining}, reason)

    def add_measurement(
        self, benefit_id: int, value: str, date: dt.date, note: str = ""
    ) -> Measurement:
        if not value.strip():
            raise ValidationError("De meetwaarde mag niet leeg zijn.")
        limits.check_text(value.strip(), limits.TEXT_LIMITS["value"], "Meetwaarde")
        limits.check_date(date, "Datum van de meting")
        with self._transaction():
            self.benefit(benefit_id)
            measurement_id = _last_id(
                self.db.table("measurement").insert(
                    {
                        "benefit_id": benefit_id,
                        "date": date.isoformat(),
                        "value": value.strip(),
                        "note": note,
                        "created": self._now(),
                    }
                )
            )
            self._journal(
                "benefit",
                benefit_id,
                "measurement",
                None,
                f"{date.isoformat()}: {value.strip()}",
                note,
            )
        return Measurement(int(measurement_id), benefit_id, date, value.strip(), note)

    def import_records(
        self, entity: str, rows: Iterable[tuple[str, Mapping[str, Any]]], note: str = "import"
    ) -> tuple[int, int]:
        """Add or update many records in one transaction: all of them or none.

        ``rows`` pairs where a row is in its source ("rij 3") with typed values; rows are
        consumed inside the transaction, so a row may refer to one added before it. A ``uid``
        that exists updates that record; one uid twice in the same source is refused.
        Returns (added, updated).
        """
        added = updated = 0
        seen: dict[str, str] = {}
        with self._transaction():
            for where, values in rows:
                try:
                    uid = values.get("uid")
                    if uid:
                        if uid in seen:
                            raise ValidationError(f"uid '{uid}' staat ook al in {seen[uid]}.")
                        seen[uid] = where
                    existing = self.id_for_uid(entity, uid) if uid else None
                    if existing is None:
                        self._insert(entity, values, note)
                        added += 1
                    else:
                        changes = {k: v for k, v in values.items() if k != "uid"}
                        self._update(entity, existing, changes, note)
                        updated += 1
                except TrackerError as error:
                    raise ValidationError(f"{where.capitalize()}: {error}") from None
            self._republish()
        return added, updated

    def _insert(self, entity: str, values: Mapping[str, Any], note: str) -> int:
        table = TABLES[entity]
        record = dict(values)
        record.setdefault("uid", None)
        if not record["uid"]:
            record["uid"] = new_uid()
        links = {name: tuple(record.pop(name, ()) or ()) for name in table.links}
        now = self._now()
        candidate = self._complete_new(entity, record)
        row = {k: _to_db(table, k, v) for k, v in candidate.items()}
        row.update(created=now, updated=now)
        if entity == "milestone":
            row["published"] = now
        try:
            record_id = _last_id(self.db.table(table.name).insert(row))
        except sqlite3.IntegrityError as error:
            raise ValidationError(_explain_integrity(table, error)) from None
        self._write_links(table, record_id, links)
        self._validate(entity, record_id)
        self._journal(
            entity,
            record_id,
            None,
            None,
            record.get("title") or record.get("name"),
            note or "aangemaakt",
        )
        return record_id

    def _complete_new(
        self, entity: str, record: dict[str, Any], *, seeding: bool = False
    ) -> dict[str, Any]:
        """Fill the defaults a new record gets, and refuse what it cannot be.

        Seeding fills no done date: the documents do not say when a step was done.
        """
        title_field = "name" if entity == "programme" else "title"
        title = str(record.get(title_field) or "").strip()
        if not title:
            raise ValidationError("De titel mag niet leeg zijn.")
        record[title_field] = title
        defaults = {
            f.name: f.default
            for f in dataclasses.fields(TABLES[entity].model)
            if f.default is not dataclasses.MISSING
        }
        for column in _computed_columns(entity) | set(TABLES[entity].links):
            defaults.pop(column, None)
        if entity == "milestone":
            if record.get("date") is None:
                raise ValidationError("Een mijlpaal heeft een datum nodig.")
            record["body"] = normalise_body(record.get("body") or "Hecht")
            if record.get("kind") is None:
                record["kind"] = Kind.MEETING
            if record.get("visibility") is None:
                record["visibility"] = default_visibility(record["body"], record["kind"])
            if record.get("baseline_date") is None:
                record["baseline_date"] = record["date"]
        if entity == "goal":
            if record.get("programme_id") is None:
                raise ValidationError("Een doel hoort bij een programma; kies er een.")
            if record.get("number") is None:
                row = self.conn.execute(
                    "SELECT coalesce(max(number), 0) + 1 FROM goal WHERE programme_id = ?",
                    (record["programme_id"],),
                ).fetchone()
                record["number"] = int(row[0])
        for name, value in defaults.items():
            if record.get(name) is None and value is not None:
                record[name] = value
        if (
            entity == "action"
            and not seeding
            and record.get("status") == Status.DONE
            and record.get("done_date") is None
        ):
            record["done_date"] = self.today()
        columns = set(self._columns(entity))
        unknown = set(record) - columns
        if unknown:
            raise ValidationError(f"Onbekend veld: {', '.join(sorted(unknown))}.")
        return record

    def _columns(self, entity: str) -> list[str]:
        return [row[1] for row in self.conn.execute(f"PRAGMA table_info({TABLES[entity].name})")]

    def _update(self, entity: str, record_id: int, changes: Mapping[str, Any], note: str) -> None:
        table = TABLES[entity]
        current = self._raw_current(entity, record_id)
        changes = dict(changes)
        writable = (set(self._columns(entity)) | set(table.links)) - _computed_columns(entity)
        unknown = set(changes) - writable
        if unknown:
            raise ValidationError(
                f"Dit veld kan niet worden gewijzigd: {', '.join(sorted(unknown))}."
            )
        if "title" in changes or "name" in changes:
            key = "title" if "title" in changes else "name"
            changes[key] = str(changes[key] or "").strip()
            if not changes[key]:
                raise ValidationError("De titel mag niet leeg zijn.")
        if "body" in changes:
            changes["body"] = normalise_body(changes["body"] or "")
        if entity == "milestone" and changes.get("documents_due") is not None:
            # A date equal to the default for the milestone as it will be is stored as "default",
            # so it keeps following the meeting when that moves (a re-imported export does this).
            default = documents_due_for(
                changes.get("date") or dt.date.fromisoformat(current["date"]),
                changes.get("body") or current["body"],
                changes.get("kind") or Kind(current["kind"]),
                self.settings(),
            )
            if changes["documents_due"] == default:
                changes["documents_due"] = None
        if entity == "action" and "status" in changes and "done_date" not in changes:
            # Done gets today's date; reopening clears it again.
            if changes["status"] == Status.DONE and current.get("done_date") is None:
                changes["done_date"] = self.today()
            elif changes["status"] != Status.DONE and current["status"] == Status.DONE.value:
                changes["done_date"] = None
        row_changes: dict[str, Any] = {}
        for name, value in changes.items():
            if name in table.links:
                continue
            stored = _to_db(table, name, value)
            if stored != current.get(name):
                row_changes[name] = stored
                self._journal(entity, record_id, name, current.get(name), stored, note)
        if row_changes:
            row_changes["updated"] = self._now()
            try:
                self.db.table(table.name).update(record_id, row_changes)
            except sqlite3.IntegrityError as error:
                raise ValidationError(_explain_integrity(table, error)) from None
        link_changes = {name: tuple(changes[name] or ()) for name in table.links if name in changes}
        if link_changes:
            before = self._current_links(table, record_id)
            self._write_links(table, record_id, link_changes, replace=True)
            for name, ids in link_changes.items():
                if tuple(sorted(ids)) != before[name]:
                    self._journal(entity, record_id, name, before[name], tuple(sorted(ids)), note)
                    if not row_changes:
                        self.db.table(table.name).update(record_id, {"updated": self._now()})
        self._validate(entity, record_id)

    def _raw_current(self, entity: str, record_id: int) -> dict[str, Any]:
        table = TABLES[entity]
        rows = self._rows(f"SELECT * FROM {table.name} WHERE id = ?", [record_id])
        if not rows:
            raise NotFoundError(f"{table.label.capitalize()} {record_id} bestaat niet.")
        return rows[0]

    def _current_links(self, table: _Table, record_id: int) -> dict[str, tuple[int, ...]]:
        result = {}
        for name, (link_table, other) in table.links.items():
            rows = self.conn.execute(
                f"SELECT {other} FROM {link_table} WHERE {table.name}_id = ? ORDER BY {other}",
                (record_id,),
            )
            result[name] = tuple(int(r[0]) for r in rows)
        return result

    def _write_links(
        self,
        table: _Table,
        record_id: int,
        links: Mapping[str, tuple[int, ...]],
        replace: bool = False,
    ) -> None:
        for name, ids in links.items():
            link_table, other = table.links[name]
            if replace:
                self.conn.execute(
                    f"DELETE FROM {link_table} WHERE {table.name}_id = ?", (record_id,)
                )
            for other_id in dict.fromkeys(ids):
                target = "goal" if other == "goal_id" else "milestone"
                if other_id == record_id and target == table.name:
                    raise ValidationError("Een mijlpaal kan niet van zichzelf afhangen.")
                if self.id_exists(target, other_id) is False:
                    raise NotFoundError(
                        f"{TABLES[target].label.capitalize()} {other_id} bestaat niet."
                    )
                self.conn.execute(
                    f"INSERT INTO {link_table} ({table.name}_id, {other}) VALUES (?, ?)",
                    (record_id, other_id),
                )

    def id_exists(self, entity: str, record_id: int) -> bool:
        row = self.conn.execute(
            f"SELECT 1 FROM {TABLES[entity].name} WHERE id = ?", (record_id,)
        ).fetchone()
        return row is not None

    def _validate(self, entity: str, record_id: int) -> None:
        """Invariants that span columns or rows, checked before the transaction commits."""
        if entity == "milestone":
            milestone = self.milestone(record_id)
            if milestone.end_time is not None:
                if milestone.start_time is None:
                    raise ValidationError("Een eindtijd vraagt ook een begintijd.")
                if milestone.end_time <= milestone.start_time:
                    raise ValidationError(
                        f"De eindtijd {dates.format_time(milestone.end_time)} ligt niet na de "
                        f"begintijd {dates.format_time(milestone.start_time)}."
                    )
            if not milestone.documents_due_is_default:
                # An explicit date equal to the default (as in a re-imported export) is stored
                # as "default", so it keeps following the meeting date when that moves.
                default = default_documents_due(milestone, self.settings())
                if default == milestone.documents_due:
                    self.conn.execute(
                        "UPDATE milestone SET documents_due = NULL WHERE id = ?", (record_id,)
                    )
            cycle = self._dependency_cycle(record_id)
            if cycle:
                route = " → ".join(str(i) for i in cycle)
                raise ValidationError(f"Deze afhankelijkheid maakt een kring: {route}.")
        for column, target in (
            ("programme_id", "programme"),
            ("goal_id", "goal"),
            ("milestone_id", "milestone"),
        ):
            if column not in self._columns(entity):
                continue
            row = self.conn.execute(
                f"SELECT {column} FROM {TABLES[entity].name} WHERE id = ?", (record_id,)
            ).fetchone()
            if row and row[0] is not None and not self.id_exists(target, row[0]):
                raise NotFoundError(f"{TABLES[target].label.capitalize()} {row[0]} bestaat niet.")

    def _dependency_cycle(self, start: int) -> list[int]:
        """The route back to ``start`` when its dependencies lead there, else [].

        Walked with an explicit stack rather than recursion, so a chain of thousands of steps
        is checked like any other.
        """
        edges: dict[int, list[int]] = {}
        for mid, did in self.conn.execute(
            "SELECT milestone_id, depends_on_id FROM milestone_dependency"
        ):
            edges.setdefault(mid, []).append(did)
        came_from: dict[int, int] = {}
        stack = [start]
        while stack:
            node = stack.pop()
            for nxt in edges.get(node, ()):
                if nxt == start:
                    route = [start]
                    while node != start:
                        route.append(node)
                        node = came_from[node]
                    return [start, *reversed(route[1:]), start]
                if nxt not in came_from:
                    came_from[nxt] = node
                    stack.append(nxt)
        return []

    def _refresh_documents_due_defaults(self) -> None:
        """Recompute each meeting's default documents-due date (date, body or settings moved)."""
        settings = self.settings()
        rows = self.conn.execute(
            "SELECT id, date, body, kind, documents_due_default FROM milestone"
        ).fetchall()
        for record_id, date, body, kind, stored in rows:
            try:
                day = limits.check_date(dt.date.fromisoformat(date))
                default = documents_due_for(day, body, Kind(kind), settings)
            except (ValueError, TypeError, ValidationError):
                continue  # a damaged row: reported when it is read, never a reason to fail a write
            text = None if default is None else default.isoformat()
            if text != stored:
                self.conn.execute(
                    "UPDATE milestone SET documents_due_default = ? WHERE id = ?", (text, record_id)
                )

    def _republish(self) -> None:
        """Raise SEQUENCE and LAST-MODIFIED of every milestone whose public view changed.

        Runs at the end of every write transaction, so derived columns are fresh first.
        """
        self._refresh_documents_due_defaults()
        milestones = {m.id: m for m in self.milestones()}
        if not milestones:
            return
        goals = {g.id: g for g in self.goals()}
        settings = self.settings()
        followed_by: dict[int, list[Milestone]] = {mid: [] for mid in milestones}
        for milestone in sorted(milestones.values(), key=lambda m: (m.date, m.id)):
            for dep_id in milestone.depends_on:
                if dep_id in followed_by:  # a damaged one is left out
                    followed_by[dep_id].append(milestone)
        stored = dict(self.conn.execute("SELECT id, public_hash FROM milestone"))
        now = self._now()
        for milestone in milestones.values():
            if (
                milestone.visibility == Visibility.PUBLIC
                and milestone.body not in milestone.published_bodies
            ):
                self.conn.execute(
                    "UPDATE milestone SET published_bodies = ? WHERE id = ?",
                    (json.dumps([*milestone.published_bodies, milestone.body]), milestone.id),
                )
            if milestone.documents_due is not None and not milestone.papers_published:
                self.conn.execute(
                    "UPDATE milestone SET papers_published = 1 WHERE id = ?", (milestone.id,)
                )
            view = publication.public_view(
                milestone, milestones, goals, settings, followed_by=followed_by[milestone.id]
            )
            digest = publication.public_hash(view)
            previous = stored.get(milestone.id, "")
            if digest == previous:
                continue
            if previous:
                self.conn.execute(
                    "UPDATE milestone SET public_hash = ?, sequence = sequence + 1, published = ? "
                    "WHERE id = ?",
                    (digest, now, milestone.id),
                )
            else:  # first publication: SEQUENCE stays 0
                self.conn.execute(
                    "UPDATE milestone SET public_hash = ? WHERE id = ?", (digest, milestone.id)
                )

    # --- seeding -----------------------------------------------------------------------------

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
            for entity, values in resolve_seed(self, data):
                table = TABLES[entity]
                links = {name: tuple(values.pop(name, ()) or ()) for name in table.links}
                record = self._complete_new(entity, dict(values), seeding=True)
                row = {k: _to_db(table, k, v) for k, v in record.items()}
                now = self._now()
                row.update(created=now, updated=now)
                if entity == "milestone":
                    row["published"] = now
                record_id = _last_id(self.db.table(table.name).insert(row))
                self._write_links(table, record_id, links)
            self._journal(
                "database", None, None, None, None, "gevuld met de standaardgegevens van Hecht"
            )
            self._republish()


def initialise(
    path: Path, *, seed: bool = True, force: bool = False, clock: Clock = utc_now
) -> Path | None:
    """Create a new database at ``path``; with ``force`` an existing file is backed up first.

    Returns the backup's path when one was made. Without ``force`` an existing file is refused.
    """
    backup = None
    if path.exists() and path.stat().st_size > 0:
        if not force:
            raise ValidationError(
                f"{path} bestaat al. Gebruik --force om opnieuw te beginnen "
                "(er wordt eerst een reservekopie gemaakt)."
            )
        stamp = clock().strftime("%Y%m%dT%H%M%S")
        backup = unused_path(path.with_name(f"{path.stem}.{stamp}.bak.sqlite"))
        try:  # SQLite's backup API also takes what is still in the WAL file
            with (
                contextlib.closing(sqlite3.connect(path)) as source,
                contextlib.closing(sqlite3.connect(backup)) as copy,
            ):
                source.backup(copy)
        except sqlite3.DatabaseError:  # not a database at all: keep its bytes as they are
            backup.unlink(missing_ok=True)
            shutil.copy2(path, backup)
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
    Store.open(path, clock=clock, seed=seed).close()
    return backup


def unused_path(path: Path) -> Path:
    """``path``, or ``name-2.ext``, ``name-3.ext`` … when it exists: a backup never overwrites one."""
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.name.removesuffix('.bak.sqlite')}-{number}.bak.sqlite")
    return candidate


def documents_due_for(date: dt.date, body: str, kind: Kind, settings: Settings) -> dt.date | None:
    """Papers are due N working days before a meeting, N per body from the settings."""
    lead = settings.documents_lead_days.get(body)
    if kind not in _MEETING_KINDS or lead is None:
        return None
    return dates.subtract_working_days(date, lead)


def default_documents_due(milestone: Milestone, settings: Settings) -> dt.date | None:
    return documents_due_for(milestone.date, milestone.body, milestone.kind, settings)


def _computed_columns(entity: str) -> set[str]:
    """Fields of the model that the store derives and a caller never writes."""
    base = {"id", "created", "updated"}
    if entity == "milestone":
        return base | {
            "sequence",
            "published",
            "public_hash",
            "documents_due_default",
            "documents_due_is_default",
            "published_bodies",
            "papers_published",
        }
    if entity == "benefit":
        return base | {"measurements"}
    return base


def _validate_settings(settings: Settings) -> None:
    limits.check_settings(settings)


def _explain_integrity(table: _Table, error: sqlite3.IntegrityError) -> str:
    message = str(error)
    if "UNIQUE" in message and "uid" in message:
        return f"Er bestaat al een {table.label} met deze uid."
    if "CHECK" in message:
        return f"Ongeldige waarde voor een {table.label}."
    article = "Het" if table.label in ("doel", "programma") else "De"
    return f"{article} {table.label} kan zo niet worden opgeslagen."


def _journal_entry(row: Mapping[str, Any]) -> JournalEntry:
    try:
        at = dt.datetime.fromisoformat(str(row["at"]).replace("Z", "+00:00"))
    except ValueError:
        problem = f"at: '{limits.clip(row['at'], 40)}' is onleesbaar"
        raise DamagedRecordError("journaalregel", row["id"], problem) from None
    return JournalEntry(
        id=row["id"],
        at=at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC),
        entity=row["entity"],
        entity_id=row["entity_id"],
        field=row["field"],
        old=row["old"],
        new=row["new"],
        note=row["note"],
    )


def _present(records: Iterable[Any]) -> list[Any]:
    """The records that were read whole (damaged ones are None and left out)."""
    return [record for record in records if record is not None]


def _last_id(table: sqlite_utils.db.Table) -> int:
    """The rowid sqlite-utils reports after an insert."""
    assert table.last_pk is not None
    return int(table.last_pk)


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (triggers hold ';' inside BEGIN … END)."""
    statements, current = [], ""
    for line in script.strip().splitlines():
        current += line + "\n"
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    return statements
