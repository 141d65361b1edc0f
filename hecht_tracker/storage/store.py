"""The tracker database as the doors use it: open it, read records, write them.

:class:`Store` is a facade over the storage package: :mod:`~hecht_tracker.storage.connection`
opens, guards and migrates the file and runs transactions; :mod:`~hecht_tracker.storage.repository`
holds the SQL; :mod:`~hecht_tracker.storage.publisher` keeps what calendar subscribers see; the
rules a write obeys are pure functions in :mod:`hecht_tracker.core.rules`. Every write is one
transaction (``BEGIN IMMEDIATE``) with its journal rows (one change number per write) and its
publication; a refused write leaves the database as it was. Every record carries a version
that each write raises by one, so a write based on a stale copy can be refused.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import json
import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from hecht_tracker.core import rules
from hecht_tracker.core.errors import (
    ConflictError,
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
    JournalEntry,
    Kind,
    Measurement,
    Milestone,
    Programme,
    Settings,
    Status,
    normalise_body,
)
from hecht_tracker.storage import connection, schema
from hecht_tracker.storage.connection import (
    Transactions,
    dutch_error,
    sqlite_errors,
    unused_path,
)
from hecht_tracker.storage.publisher import Publisher, republish_all
from hecht_tracker.storage.repository import (
    TABLES,
    Filters,
    Repository,
    Table,
    journal_text,
    milestone_filters,
    to_db,
)

Clock = Callable[[], dt.datetime]
P = ParamSpec("P")
R = TypeVar("R")

# Re-exported: doors and tests import these from here.
documents_due_for = rules.documents_due_for
default_documents_due = rules.default_documents_due
__all__ = [
    "Store",
    "default_documents_due",
    "documents_due_for",
    "initialise",
    "new_uid",
    "unused_path",
    "utc_now",
]

_REFERENCES = {"programme_id": "programme", "goal_id": "goal", "milestone_id": "milestone"}


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def new_uid() -> str:
    """A globally unique, never reused identifier (also the calendars' UID)."""
    return f"{uuid.uuid4()}@hecht-tracker"


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
        self.repo = Repository(conn, clock)
        self.publisher = Publisher(self.repo, self.settings)
        self._transaction = Transactions(
            conn, path or "De database", on_begin=self._begin, on_end=self._end
        )
        self._import: _ImportBatch | None = None

    def _begin(self) -> None:
        self.repo.change = None
        self.publisher.reset()

    def _end(self) -> None:
        # What was read inside a transaction may have been rolled back, or changed by another
        # process since: read settings afresh after every write.
        self._settings = None
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
        if not path.exists() or path.stat().st_size == 0:
            path.parent.mkdir(parents=True, exist_ok=True)
        conn = connection.connect(path)
        store = cls(conn, path, clock)
        try:
            version = connection.check_readable(conn, path)
            with sqlite_errors(path):
                connection.apply_pragmas(conn)
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
        return connection.backup(self.conn, target)

    @_guarded
    def migrate(self, target: int = schema.SCHEMA_VERSION) -> None:
        """Bring the schema up to ``target`` in one transaction."""
        with self._transaction():
            if connection.migrate(
                self.conn, target, after=lambda: republish_all(self.repo, self.settings())
            ):
                self.repo = Repository(self.conn, self.clock)  # columns may have changed
                self.publisher.repo = self.repo

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
            self._settings = Settings(**{k: v for k, v in stored.items() if k in known})
        return self._settings

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
    ) -> list[Milestone]:
        """Milestones in date order (all-day first on a day, then by start time)."""
        return self.repo.milestones(
            milestone_filters(
                body=body,
                status=status,
                kind=kind,
                since=since,
                until=until,
                programme_id=programme_id,
                goal_id=goal_id,
                public_only=public_only,
            )
        )

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
    ) -> list[Action]:
        """Actions and agreements, by due date (undated last)."""
        return self.repo.actions(_action_filters(kind, status, goal_id, programme_id))

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
        for benefit in self.repo.benefits(found):
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
            order = "ORDER BY date, coalesce(start_time, ''), id"
        elif entity == "action":
            found = _action_filters(**filters)
            order = "ORDER BY due_date IS NULL, due_date, id"
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
        if self._import is not None:
            pending = self._import.uids.get((entity, uid))
            if pending is not None:
                return pending
        return self.repo.id_for_uid(entity, uid)

    @_guarded
    def id_exists(self, entity: str, record_id: int) -> bool:
        if self._import is None:
            return self.repo.id_exists(entity, record_id)
        # During an import: pending records count, and a found id is not looked up again.
        if (entity, record_id) in self._import.ids:
            return True
        found = self.repo.id_exists(entity, record_id)
        if found:
            self._import.ids.add((entity, record_id))
        return found

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
            record_id = self._insert(entity, values, note)
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
            self._update(entity, record_id, changes, note, expected_version)
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
            _check_version(table, record_id, current.version, expected_version)
            if entity == "goal":
                self._unlink_goal(record_id, note)
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

    def _unlink_goal(self, goal_id: int, note: str) -> None:
        """Before a goal goes: take it off actions and milestones, each change journalled."""
        reason = note or "doel verwijderd"
        for (action_id,) in self.conn.execute(
            "SELECT id FROM action WHERE goal_id = ?", (goal_id,)
        ).fetchall():
            self._update("action", action_id, {"goal_id": None}, reason)
        for milestone_id in self.repo.milestones_of_goal(goal_id):
            linked = self.repo.links("milestone", milestone_id)["goal_ids"]
            remaining = tuple(g for g in linked if g != goal_id)
            self._update("milestone", milestone_id, {"goal_ids": remaining}, reason)

    @_guarded
    def add_measurement(
        self, benefit_id: int, value: str, date: dt.date, note: str = ""
    ) -> Measurement:
        """Record a measurement of a benefit (its own row: the benefit's version stays)."""
        if not value.strip():
            raise ValidationError("De meetwaarde mag niet leeg zijn.")
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
        New records are written in batches and calendars are published once, at the end.
        References are checked as rows come (an index lookup each); a new record can only
        refer to what exists or came before it, so only an update row can close a dependency
        cycle, and that row is checked from its own milestone. Returns (added, updated).
        """
        added = updated = 0
        seen: dict[str, str] = {}
        with self._transaction():
            batch = _ImportBatch(self, entity, note)
            self._import = batch
            try:
                for where, values in rows:
                    try:
                        uid = values.get("uid")
                        if uid:
                            if uid in seen:
                                raise ValidationError(f"uid '{uid}' staat ook al in {seen[uid]}.")
                            seen[uid] = where
                        existing = self.repo.id_for_uid(entity, uid) if uid else None
                        if existing is None:
                            batch.add(where, values)
                            added += 1
                        else:
                            batch.flush()  # an update may refer to records added before it
                            changes = {k: v for k, v in values.items() if k != "uid"}
                            self._update(entity, existing, changes, note)
                            updated += 1
                    except TrackerError as error:
                        raise ValidationError(f"{where.capitalize()}: {error}") from None
                batch.flush()
            finally:
                self._import = None
            self.publisher.flush()
        return added, updated

    def _prepare_new(
        self,
        entity: str,
        values: Mapping[str, Any],
        *,
        seeding: bool = False,
        goal_number: int | None = None,
    ) -> tuple[dict[str, Any], dict[str, tuple[int, ...]]]:
        """A new record's completed values and its links, refused when it cannot be stored."""
        table = TABLES[entity]
        record = dict(values)
        if not record.get("uid"):
            record["uid"] = new_uid()
        links = {name: tuple(dict.fromkeys(record.pop(name, ()) or ())) for name in table.links}
        if goal_number is None and entity == "goal" and record.get("programme_id") is not None:
            goal_number = self.repo.next_goal_number(record["programme_id"])
        rules.complete_new(
            entity,
            record,
            today=None if seeding else self.today(),
            next_goal_number=goal_number or 1,
        )
        unknown = set(record) - set(self.repo.columns(entity))
        if unknown:
            raise ValidationError(f"Onbekend veld: {', '.join(sorted(unknown))}.")
        self._check_references(record)
        for name, ids in links.items():
            target = "goal" if name == "goal_ids" else "milestone"
            for other in ids:
                if not self.id_exists(target, other):
                    raise NotFoundError(
                        f"{TABLES[target].label.capitalize()} {other} bestaat niet."
                    )
        if entity == "milestone":
            rules.check_times(record.get("start_time"), record.get("end_time"))
            if record.get("documents_due") is not None:
                # An explicit date equal to the default (as in a re-imported export) is stored
                # as "default", so it keeps following the meeting date when that moves.
                default = rules.documents_due_for(
                    record["date"], record["body"], record["kind"], self.settings()
                )
                if default == record["documents_due"]:
                    record["documents_due"] = None
        return record, links

    def _check_references(self, values: Mapping[str, Any]) -> None:
        for column, target in _REFERENCES.items():
            other = values.get(column)
            if other is not None and not self.id_exists(target, other):
                raise NotFoundError(f"{TABLES[target].label.capitalize()} {other} bestaat niet.")

    def _insert(self, entity: str, values: Mapping[str, Any], note: str) -> int:
        table = TABLES[entity]
        record, links = self._prepare_new(entity, values)
        now = self.repo.now()
        row = {k: to_db(table, k, v) for k, v in record.items()}
        row.update(created=now, updated=now)
        if entity == "milestone":
            row["published"] = now
        try:
            record_id = self.repo.insert(entity, row)
        except sqlite3.IntegrityError as error:
            raise ValidationError(_explain_integrity(table, error)) from None
        for name, ids in links.items():
            if entity == "milestone" and name == "depends_on" and record_id in ids:
                raise ValidationError("Een mijlpaal kan niet van zichzelf afhangen.")
            self.repo.add_links(entity, name, ((record_id, other) for other in ids))
        if entity == "milestone":
            self.publisher.touch([record_id])
        title = record.get("title") or record.get("name")
        self.repo.journal(entity, record_id, None, None, title, note or "aangemaakt")
        return record_id

    def _update(
        self,
        entity: str,
        record_id: int,
        changes: Mapping[str, Any],
        note: str,
        expected_version: int | None = None,
    ) -> None:
        table = TABLES[entity]
        current = self.repo.raw(entity, record_id)
        _check_version(table, record_id, current["version"], expected_version)
        changes = dict(changes)
        writable = (set(self.repo.columns(entity)) | set(table.links)) - rules.computed_columns(
            entity
        )
        unknown = set(changes) - writable
        if unknown:
            raise ValidationError(
                f"Dit veld kan niet worden gewijzigd: {', '.join(sorted(unknown))}."
            )
        if "title" in changes or "name" in changes:
            key = "title" if "title" in changes else "name"
            changes[key] = str(changes[key] or "").strip()
            if not changes[key]:
                raise ValidationError("De titel mag niet leeg zijn.", field=key)
        if "body" in changes:
            changes["body"] = normalise_body(changes["body"] or "")
        if entity == "milestone" and changes.get("documents_due") is not None:
            # A date equal to the default for the milestone as it will be is stored as "default",
            # so it keeps following the meeting when that moves (a re-imported export does this).
            default = rules.documents_due_for(
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
        journal: list[tuple[str, int | None, str | None, str | None, str | None, str]] = []
        for name, value in changes.items():
            if name in table.links:
                continue
            stored = to_db(table, name, value)
            if stored != current.get(name):
                row_changes[name] = stored
                journal.append(
                    (
                        entity,
                        record_id,
                        name,
                        journal_text(current.get(name)),
                        journal_text(stored),
                        note,
                    )
                )
        self._check_references(row_changes)
        link_changes: dict[str, tuple[int, ...]] = {}
        before: dict[str, tuple[int, ...]] = {}
        wanted = {
            name: tuple(dict.fromkeys(changes[name] or ()))
            for name in table.links
            if name in changes
        }
        if wanted:
            before = self.repo.links(entity, record_id)
            for name, ids in wanted.items():
                if tuple(sorted(ids)) != before[name]:
                    link_changes[name] = ids
                    journal.append(
                        (
                            entity,
                            record_id,
                            name,
                            journal_text(before[name]),
                            journal_text(tuple(sorted(ids))),
                            note,
                        )
                    )
        if not row_changes and not link_changes:
            return
        if entity == "milestone":
            merged = {**current, **row_changes}
            rules.check_times(
                dt.time.fromisoformat(merged["start_time"]) if merged["start_time"] else None,
                dt.time.fromisoformat(merged["end_time"]) if merged["end_time"] else None,
            )
            self.publisher.touch([record_id])  # before the write: its neighbours as they were
        if entity == "goal":
            self.publisher.touch_goal(record_id)  # goal titles are in milestones' views
        row_changes["updated"] = self.repo.now()
        try:
            self.repo.update(entity, record_id, row_changes)
        except sqlite3.IntegrityError as error:
            raise ValidationError(_explain_integrity(table, error)) from None
        for name, ids in link_changes.items():
            target = "goal" if name == "goal_ids" else "milestone"
            for other in ids:
                if target == "milestone" and other == record_id:
                    raise ValidationError("Een mijlpaal kan niet van zichzelf afhangen.")
                if not self.id_exists(target, other):
                    raise NotFoundError(
                        f"{TABLES[target].label.capitalize()} {other} bestaat niet."
                    )
            self.repo.clear_links(entity, name, record_id)
            self.repo.add_links(entity, name, ((record_id, other) for other in ids))
        if "depends_on" in link_changes:
            edges = self.repo.reaches_itself(record_id)
            if edges:
                raise ValidationError(rules.cycle_message(rules.find_cycle(record_id, edges)))
        self.repo.journal_many(journal)

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
                record, links = self._prepare_new(entity, values, seeding=True)
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


class _ImportBatch:
    """New records of one import, written together: ids are handed out before the insert.

    Later rows may refer to earlier new ones (by uid or id); :meth:`Store.id_for_uid` and
    :meth:`Store.id_exists` see the pending ones through :attr:`uids` and :attr:`ids`.
    """

    def __init__(self, store: Store, entity: str, note: str) -> None:
        self.store = store
        self.entity = entity
        self.note = note or "aangemaakt"
        self.table = TABLES[entity]
        self.uids: dict[tuple[str, str], int] = {}
        self.ids: set[tuple[str, int]] = set()
        self.where: dict[int, str] = {}
        model_fields = {f.name for f in dataclasses.fields(self.table.model)}
        columns = store.repo.columns(entity)
        self.names = (
            [c for c in columns if c in model_fields and c not in rules.computed_columns(entity)]
            + ["created", "updated"]
            + (["published"] if entity == "milestone" else [])
        )
        row = store.conn.execute(f"SELECT coalesce(max(id), 0) FROM {self.table.name}").fetchone()
        self.next_id = int(row[0]) + 1
        self.rows: list[list[Any]] = []
        self.links: dict[str, list[tuple[int, int]]] = {name: [] for name in self.table.links}
        self.journal: list[tuple[str, int | None, str | None, str | None, str | None, str]] = []
        self.goal_numbers: dict[int, int] = {}
        self.now = store.repo.now()  # one import, one moment

    def add(self, where: str, values: Mapping[str, Any]) -> None:
        store = self.store
        number = None
        if self.entity == "goal" and values.get("number") is None and values.get("programme_id"):
            programme = int(values["programme_id"])
            if programme not in self.goal_numbers:
                self.goal_numbers[programme] = store.repo.next_goal_number(programme)
            number = self.goal_numbers[programme]
        record, links = store._prepare_new(self.entity, values, goal_number=number)
        if self.entity == "goal":
            programme = int(record["programme_id"])
            self.goal_numbers[programme] = max(
                self.goal_numbers.get(programme, 1), int(record["number"]) + 1
            )
        uid = record["uid"]
        record_id = self.next_id
        self.next_id += 1
        now = self.now
        table = self.table
        row = {k: v if type(v) is str else to_db(table, k, v) for k, v in record.items()}
        row.update(id=record_id, created=now, updated=now, published=now)
        self.rows.append([record_id, *(row.get(name) for name in self.names)])
        for name, ids in links.items():
            if name == "depends_on" and record_id in ids:
                raise ValidationError("Een mijlpaal kan niet van zichzelf afhangen.")
            self.links[name].extend((record_id, other) for other in ids)
        self.uids[(self.entity, uid)] = record_id
        self.ids.add((self.entity, record_id))
        self.where[record_id] = where
        title = record.get("title") or record.get("name")
        self.journal.append((self.entity, record_id, None, None, journal_text(title), self.note))

    def flush(self) -> None:
        """Write what is pending (before an update row, and at the end)."""
        if not self.rows:
            return
        repo = self.store.repo
        try:
            repo.insert_many(self.entity, ["id", *self.names], self.rows)
        except sqlite3.IntegrityError as error:
            raise ValidationError(_explain_integrity(self.table, error)) from None
        for name, pairs in self.links.items():
            repo.add_links(self.entity, name, pairs)
        repo.journal_many(self.journal)
        if self.entity == "milestone":
            self.store.publisher.touch(row[0] for row in self.rows)
        self.rows, self.journal = [], []
        self.links = {name: [] for name in self.table.links}
        self.uids.clear()  # written now: found in the database from here on


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


def _check_version(table: Table, record_id: int, stored: int, expected: int | None) -> None:
    if expected is not None and stored != expected:
        raise ConflictError(
            f"{table.label.capitalize()} {record_id} is intussen gewijzigd (versie {stored}, "
            f"u bewerkte versie {expected}); laad opnieuw en probeer het nog eens."
        )


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


def _explain_integrity(table: Table, error: sqlite3.IntegrityError) -> str:
    message = str(error)
    if "UNIQUE" in message and "uid" in message:
        return f"Er bestaat al een {table.label} met deze uid."
    if "CHECK" in message:
        return f"Ongeldige waarde voor een {table.label}."
    return f"{table.article} {table.label} kan zo niet worden opgeslagen."
