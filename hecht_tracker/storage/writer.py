"""Writing records: the checks and defaults of a new record, changes with their journal rows
and version, and imports of many rows at once.

The caller (:class:`~hecht_tracker.storage.store.Store`) holds the transaction and flushes the
publisher; everything here runs inside it, so a refusal anywhere leaves nothing behind.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from hecht_tracker.core import limits, rules
from hecht_tracker.core.errors import ConflictError, NotFoundError, TrackerError, ValidationError
from hecht_tracker.core.model import Kind, Settings, Status, normalise_body
from hecht_tracker.storage.publisher import Publisher, due_default
from hecht_tracker.storage.repository import TABLES, Repository, Table, journal_text, to_db

_REFERENCES = {"programme_id": "programme", "goal_id": "goal", "milestone_id": "milestone"}
# New records of an import are written this many at a time, inside the import's one
# transaction: a file of 100,000 rows then never holds more than this many rows, links and
# journal rows in memory, and one executemany per table still carries each batch.
IMPORT_BATCH_ROWS = 2000


def new_uid() -> str:
    """A globally unique, never reused identifier (also the calendars' UID)."""
    import uuid  # only when a record is made

    return f"{uuid.uuid4()}@hecht-tracker"


class Writer:
    """The write steps of one database; see the module docstring."""

    def __init__(
        self,
        repo: Repository,
        publisher: Publisher,
        settings: Callable[[], Settings],
        today: Callable[[], dt.date],
    ) -> None:
        self.repo = repo
        self.publisher = publisher
        self.settings = settings
        self.today = today
        self.batch: ImportBatch | None = None  # the import under way

    def id_for_uid(self, entity: str, uid: str) -> int | None:
        batch = self.batch
        if batch is None:
            return self.repo.id_for_uid(entity, uid)
        # During an import: pending records count, and a found uid is not looked up again
        # (an import changes no uid, so what it found stays true until it ends).
        key = (entity, uid)
        pending = batch.uids.get(key)
        if pending is None:
            pending = self.repo.id_for_uid(entity, uid)
            if pending is not None:
                batch.uids[key] = pending
        return pending

    def id_exists(self, entity: str, record_id: int) -> bool:
        if self.batch is None:
            return self.repo.id_exists(entity, record_id)
        # During an import: pending records count, and a found id is not looked up again.
        if (entity, record_id) in self.batch.ids:
            return True
        found = self.repo.id_exists(entity, record_id)
        if found:
            self.batch.ids.add((entity, record_id))
        return found

    def import_rows(
        self, entity: str, rows: Iterable[tuple[str, Mapping[str, Any]]], note: str
    ) -> tuple[int, int]:
        """See :meth:`Store.import_records`."""
        added = updated = 0
        seen: dict[str, str] = {}
        batch = ImportBatch(self, entity, note)
        self.batch = batch
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
                        batch.add(values)
                        added += 1
                        if len(batch.rows) >= IMPORT_BATCH_ROWS:
                            batch.flush()
                    else:
                        batch.flush()  # an update may refer to records added before it
                        changes = {k: v for k, v in values.items() if k != "uid"}
                        self.update(entity, existing, changes, note)
                        updated += 1
                except TrackerError as error:
                    raise ValidationError(f"{where.capitalize()}: {error}") from None
            batch.flush()
        finally:
            self.batch = None
        return added, updated

    def unlink_goal(self, goal_id: int, note: str) -> None:
        """Before a goal goes: take it off actions and milestones, each change journalled."""
        reason = note or "doel verwijderd"
        for (action_id,) in self.repo.conn.execute(
            "SELECT id FROM action WHERE goal_id = ?", (goal_id,)
        ).fetchall():
            self.update("action", action_id, {"goal_id": None}, reason)
        for milestone_id in self.repo.milestones_of_goal(goal_id):
            linked = self.repo.links("milestone", milestone_id)["goal_ids"]
            remaining = tuple(g for g in linked if g != goal_id)
            self.update("milestone", milestone_id, {"goal_ids": remaining}, reason)

    def prepare_new(
        self,
        entity: str,
        values: Mapping[str, Any],
        *,
        seeding: bool = False,
        goal_number: int | None = None,
        today: dt.date | None = None,
    ) -> tuple[dict[str, Any], dict[str, tuple[int, ...]]]:
        """A new record's completed values and its links, refused when it cannot be stored.

        ``today`` is the date of the write when the caller already has it (an import asks
        once, not per row)."""
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
            today=None if seeding else today or self.today(),
            next_goal_number=goal_number or 1,
        )
        unknown = record.keys() - self.repo.columns(entity)
        if unknown:
            raise ValidationError(f"Onbekend veld: {', '.join(sorted(unknown))}.")
        limits.check_values(record)
        self.check_references(record)
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

    def check_references(self, values: Mapping[str, Any]) -> None:
        for column, target in _REFERENCES.items():
            other = values.get(column)
            if other is not None and not self.id_exists(target, other):
                raise NotFoundError(f"{TABLES[target].label.capitalize()} {other} bestaat niet.")

    def insert(self, entity: str, values: Mapping[str, Any], note: str) -> int:
        table = TABLES[entity]
        record, links = self.prepare_new(entity, values)
        now = self.repo.now()
        row = {k: to_db(table, k, v) for k, v in record.items()}
        row.update(created=now, updated=now)
        if entity == "milestone":
            row["published"] = now
        try:
            record_id = self.repo.insert(entity, row)
        except sqlite3.IntegrityError as error:
            raise ValidationError(explain_integrity(table, error)) from None
        for name, ids in links.items():
            if entity == "milestone" and name == "depends_on" and record_id in ids:
                raise ValidationError("Een mijlpaal kan niet van zichzelf afhangen.")
            self.repo.add_links(entity, name, ((record_id, other) for other in ids))
        if entity == "milestone":
            self.publisher.touch([record_id], inserted=True)
        title = record.get("title") or record.get("name")
        self.repo.journal(entity, record_id, None, None, title, note or "aangemaakt")
        return record_id

    def update(
        self,
        entity: str,
        record_id: int,
        changes: Mapping[str, Any],
        note: str,
        expected_version: int | None = None,
    ) -> None:
        table = TABLES[entity]
        current = self.repo.raw(entity, record_id)
        check_version(table, record_id, current["version"], expected_version)
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
        limits.check_values(changes)
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
        self.check_references(row_changes)
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
            raise ValidationError(explain_integrity(table, error)) from None
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


class ImportBatch:
    """New records of one import, written together: ids are handed out before the insert.

    Later rows may refer to earlier new ones (by uid or id); :meth:`Writer.id_for_uid` and
    :meth:`Writer.id_exists` see the pending ones through :attr:`uids` and :attr:`ids`, which
    also remember what they found in the database until the next :meth:`flush`.
    """

    def __init__(self, writer: Writer, entity: str, note: str) -> None:
        self.writer = writer
        self.entity = entity
        self.note = note or "aangemaakt"
        self.table = TABLES[entity]
        self.uids: dict[tuple[str, str], int] = {}
        self.ids: set[tuple[str, int]] = set()
        model_fields = {f.name for f in dataclasses.fields(self.table.model)}
        columns = writer.repo.columns(entity)
        self.names = (
            [c for c in columns if c in model_fields and c not in rules.computed_columns(entity)]
            + ["created", "updated"]
            + (["published", "documents_due_default"] if entity == "milestone" else [])
        )
        self.settings = writer.settings()
        self.today = writer.today()
        row = writer.repo.conn.execute(
            f"SELECT coalesce(max(id), 0) FROM {self.table.name}"
        ).fetchone()
        self.next_id = int(row[0]) + 1
        self.rows: list[list[Any]] = []
        self.links: dict[str, list[tuple[int, int]]] = {name: [] for name in self.table.links}
        self.journal: list[tuple[str, int | None, str | None, str | None, str | None, str]] = []
        self.goal_numbers: dict[int, int] = {}
        self.now = writer.repo.now()  # one import, one moment

    def add(self, values: Mapping[str, Any]) -> None:
        writer = self.writer
        number = None
        if self.entity == "goal" and values.get("number") is None and values.get("programme_id"):
            programme = int(values["programme_id"])
            if programme not in self.goal_numbers:
                self.goal_numbers[programme] = writer.repo.next_goal_number(programme)
            number = self.goal_numbers[programme]
        record, links = writer.prepare_new(
            self.entity, values, goal_number=number, today=self.today
        )
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
        row = {
            k: v if v is None or type(v) is str else to_db(table, k, v) for k, v in record.items()
        }
        row.update(created=now, updated=now, published=now)
        if self.entity == "milestone":
            # Made here, so publishing need not read every new milestone back for it.
            row["documents_due_default"] = due_default(
                record["date"], record["body"], record["kind"], self.settings
            )
        self.rows.append([record_id, *map(row.get, self.names)])
        for name, ids in links.items():
            if name == "depends_on" and record_id in ids:
                raise ValidationError("Een mijlpaal kan niet van zichzelf afhangen.")
            self.links[name].extend((record_id, other) for other in ids)
        self.uids[(self.entity, uid)] = record_id
        self.ids.add((self.entity, record_id))
        title = record.get("title") or record.get("name")
        self.journal.append((self.entity, record_id, None, None, journal_text(title), self.note))

    def flush(self) -> None:
        """Write what is pending (before an update row, and at the end)."""
        if not self.rows:
            return
        repo = self.writer.repo
        try:
            repo.insert_many(self.entity, ["id", *self.names], self.rows)
        except sqlite3.IntegrityError as error:
            raise ValidationError(explain_integrity(self.table, error)) from None
        for name, pairs in self.links.items():
            repo.add_links(self.entity, name, pairs)
        repo.journal_many(self.journal)
        if self.entity == "milestone":
            self.writer.publisher.touch(
                (row[0] for row in self.rows), inserted=True, defaults_made=True
            )
        self.rows, self.journal = [], []
        self.links = {name: [] for name in self.table.links}
        # Written now: found in the database from here on.
        self.uids.clear()
        self.ids.clear()


def check_version(table: Table, record_id: int, stored: int, expected: int | None) -> None:
    if expected is not None and stored != expected:
        raise ConflictError(
            f"{table.label.capitalize()} {record_id} is intussen gewijzigd (versie {stored}, "
            f"u bewerkte versie {expected}); laad opnieuw en probeer het nog eens."
        )


def explain_integrity(table: Table, error: sqlite3.IntegrityError) -> str:
    message = str(error)
    if "UNIQUE" in message and "uid" in message:
        return f"Er bestaat al een {table.label} met deze uid."
    if "CHECK" in message:
        return f"Ongeldige waarde voor een {table.label}."
    return f"{table.article} {table.label} kan zo niet worden opgeslagen."
