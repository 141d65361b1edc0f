"""Undo and redo of the last changes, read from the journal and written back as new changes.

Nothing is erased from the journal: undoing a change writes the opposite change, with its own
journal rows noted ``ongedaan gemaakt (wijziging N)``; redoing it writes the change again, noted
``opnieuw gedaan (wijziging N)``, where N is the first journal row of the original change. The
undo and redo stacks are replayed from the journal, so the TUI and the CLI (``hecht-tracker
undo``) share them and another process sees the same history.

A change is what one write journalled: the rows sharing one ``change`` number (rows without
one, from before schema 4, are a change each).

A record that a change created is taken out again on undo. For a milestone that holds only
*before any calendar export*: when no ``calendar export`` (CLI or TUI) ran since the milestone
was added, no exported file can carry it, and the live feed always shows the database as it is
now, so the milestone is removed and leaves nothing in the calendars. Once an export ran after
it was added, undo cancels it instead, so the exported calendars get the cancellation.

What undo takes out (a record, or what a removed record was) is kept in ``undo_snapshot`` so
redo and the undo of a removal can put it back exactly, with the same id and uid.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from hecht_tracker.core.errors import ValidationError
from hecht_tracker.core.model import JournalEntry, Status

if TYPE_CHECKING:
    from hecht_tracker.storage.store import Store

UNDO_NOTE = "ongedaan gemaakt"
REDO_NOTE = "opnieuw gedaan"
EXPORT_ENTITY = "calendar"
UNDOABLE = ("milestone", "action", "benefit", "goal")
# How far back undo looks; older changes stay in the journal but are not undone from here.
WINDOW = 5000
_MARKER = re.compile(r"^(ongedaan gemaakt|opnieuw gedaan) \(wijziging (\d+)\)$")


P = ParamSpec("P")
R = TypeVar("R")


def _guarded(function: Callable[P, R]) -> Callable[P, R]:
    """No ``sqlite3`` error leaves this module: it becomes one Dutch sentence."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except sqlite3.Error as error:
            from hecht_tracker.storage.connection import dutch_error

            store = args[0]
            raise dutch_error(error, getattr(store, "path", None) or "De database") from error

    return wrapper


class NothingToUndo(ValidationError):
    """There is no change (left) to undo or redo."""


class Kind(Enum):
    NORMAL = "normal"
    UNDO = "undo"
    REDO = "redo"


@dataclass(frozen=True)
class Row:
    id: int
    at: str
    entity: str
    entity_id: int | None
    field: str | None
    old: str | None
    new: str | None
    note: str
    change: int | None = None


@dataclass(frozen=True)
class Change:
    """The journal rows of one write."""

    rows: tuple[Row, ...]

    @property
    def id(self) -> int:
        """The first journal row: how undo and redo notes refer to this change."""
        return self.rows[0].id

    @property
    def kind(self) -> Kind:
        found = _MARKER.match(self.rows[0].note)
        if found is None:
            return Kind.NORMAL
        return Kind.UNDO if found.group(1) == UNDO_NOTE else Kind.REDO

    @property
    def target(self) -> int | None:
        """For an undo or redo: the id of the original change."""
        found = _MARKER.match(self.rows[0].note)
        return int(found.group(2)) if found else None

    @property
    def undoable(self) -> bool:
        return all(row.entity in UNDOABLE and row.entity_id is not None for row in self.rows)

    def describe(self) -> str:
        """One Dutch line: ``mijlpaal 9 toegevoegd``, ``mijlpaal 6: status, datum``."""
        from hecht_tracker.core import kinds

        parts = []
        seen: dict[tuple[str, int | None], list[str]] = {}
        for row in self.rows:
            key = (row.entity, row.entity_id)
            if row.field is None:
                seen.setdefault(key, []).append("toegevoegd" if row.old is None else "verwijderd")
            else:
                seen.setdefault(key, []).append(_field_label(row.entity, row.field))
        for (entity, record_id), what in seen.items():
            noun = kinds.noun(entity) if entity in UNDOABLE else entity
            if what and what[0] in ("toegevoegd", "verwijderd"):
                parts.append(f"{noun} {record_id} {what[0]}")
            else:
                parts.append(f"{noun} {record_id}: {', '.join(dict.fromkeys(what))}")
        return "; ".join(parts)


@dataclass(frozen=True)
class History:
    """What undo and redo would act on now."""

    done: tuple[Change, ...]  # oldest first; the last is undone next
    undone: tuple[Change, ...]  # the last is redone next

    @property
    def next_undo(self) -> Change | None:
        return self.done[-1] if self.done else None

    @property
    def next_redo(self) -> Change | None:
        return self.undone[-1] if self.undone else None


def _field_label(entity: str, field: str) -> str:
    from hecht_tracker.core.fields import FIELDS

    if field == "measurement":
        return "meting"
    spec = FIELDS.get(entity, {}).get(field)
    return spec.label if spec is not None else field


def _recent_rows(store: Store) -> list[Row]:
    """The journal from about WINDOW rows back, starting at a change's first row, so no change
    is read in part (a large import is read whole, however long)."""
    rows = store.conn.execute(
        "SELECT id, at, entity, entity_id, field, old, new, note, change FROM journal "
        "WHERE id >= coalesce("
        "(SELECT coalesce(change, id) FROM journal ORDER BY id DESC LIMIT 1 OFFSET ?), 0) "
        "ORDER BY id",
        (WINDOW,),
    ).fetchall()
    return [Row(*row) for row in rows]


def _group(rows: Sequence[Row]) -> Iterator[Change]:
    current: list[Row] = []

    def key(row: Row) -> int:
        return row.change if row.change is not None else row.id

    for row in rows:
        if current and key(row) != key(current[-1]):
            yield Change(tuple(current))
            current = []
        current.append(row)
    if current:
        yield Change(tuple(current))


@_guarded
def history(store: Store) -> History:
    """Replay the recent journal: changes push on the done stack (and clear redo), undos move
    the top to the undone stack, redos move it back."""
    done: list[Change] = []
    undone: list[Change] = []
    for change in _group(_recent_rows(store)):
        kind = change.kind
        if kind is Kind.NORMAL:
            if change.undoable:
                done.append(change)
                undone.clear()
            continue
        source, target = (done, undone) if kind is Kind.UNDO else (undone, done)
        index = next(
            (i for i in range(len(source) - 1, -1, -1) if source[i].id == change.target), None
        )
        if index is not None:
            target.append(source.pop(index))
    return History(tuple(done), tuple(undone))


# --- writing -------------------------------------------------------------------------------------


@_guarded
def undo(store: Store) -> Change:
    """Undo the last change that is not undone yet; returns that change."""
    change = history(store).next_undo
    if change is None:
        raise NothingToUndo("Er is niets om ongedaan te maken.")
    note = f"{UNDO_NOTE} (wijziging {change.id})"
    with store._transaction():
        for row in reversed(change.rows):
            _revert(store, row, note, change)
        store.publisher.flush()
    return change


@_guarded
def redo(store: Store) -> Change:
    """Do again the change undone last; returns that change."""
    change = history(store).next_redo
    if change is None:
        raise NothingToUndo("Er is niets om opnieuw te doen.")
    note = f"{REDO_NOTE} (wijziging {change.id})"
    with store._transaction():
        for row in change.rows:
            _reapply(store, row, note)
        store.publisher.flush()
    return change


@_guarded
def record_export(store: Store) -> None:
    """Note in the journal that calendars were exported (undo then cancels, not removes).

    Only when something was written since the last such note: an export of an unchanged
    database (cron, every few minutes) then adds nothing to the journal and does not write.
    """
    last = store.conn.execute("SELECT entity FROM journal ORDER BY id DESC LIMIT 1").fetchone()
    if last is not None and last[0] == EXPORT_ENTITY:
        return
    with store._transaction():
        store.repo.journal(EXPORT_ENTITY, None, None, None, None, "kalenders geëxporteerd")


@_guarded
def delete(store: Store, entity: str, record_id: int, note: str = "") -> Any:
    """``Store.delete`` that keeps what the record was, so undo can put it back."""
    if entity == "milestone":
        return store.delete(entity, record_id, note)
    with store._transaction():
        data = _snapshot(store, entity, record_id)
        removed = store.delete(entity, record_id, note)
        row = store.conn.execute(
            "SELECT max(id) FROM journal WHERE entity = ? AND entity_id = ? AND field IS NULL",
            (entity, record_id),
        ).fetchone()
        _keep(store, int(row[0]), entity, record_id, data)
    return removed


# --- the opposite of one journal row --------------------------------------------------------------


def _revert(store: Store, row: Row, note: str, change: Change) -> None:
    assert row.entity_id is not None
    if row.field is None and row.old is None:  # made by this change: take it out again
        if row.entity == "milestone" and _exported_since(store, change.id):
            store.writer.update("milestone", row.entity_id, {"status": Status.CANCELLED}, note)
            return
        _remove(store, row.entity, row.entity_id, row.new, note)
        return
    if row.field is None:  # removed by this change: put it back as it was
        _restore(store, row.id, row.entity, row.entity_id, note)
        return
    if row.field == "measurement":
        _remove_measurement(store, row.entity_id, row.new, note)
        return
    _set(store, row.entity, row.entity_id, row.field, row.old, note)


def _reapply(store: Store, row: Row, note: str) -> None:
    assert row.entity_id is not None
    if row.field is None and row.old is None:  # made by the change: bring it back
        if store.id_exists(row.entity, row.entity_id):
            # An export came between, so undo cancelled the milestone: give back its status.
            last = store.conn.execute(
                "SELECT old FROM journal WHERE entity = 'milestone' AND entity_id = ? "
                "AND field = 'status' ORDER BY id DESC LIMIT 1",
                (row.entity_id,),
            ).fetchone()
            if row.entity != "milestone" or last is None:
                raise ValidationError("Deze wijziging kan niet opnieuw worden gedaan.")
            _set(store, "milestone", row.entity_id, "status", last[0], note)
            return
        kept = store.conn.execute(
            "SELECT max(journal_id) FROM undo_snapshot WHERE entity = ? AND record_id = ?",
            (row.entity, row.entity_id),
        ).fetchone()[0]
        if kept is None:
            raise ValidationError("Deze wijziging kan niet opnieuw worden gedaan.")
        _restore(store, int(kept), row.entity, row.entity_id, note)
        return
    if row.field is None:
        _remove(store, row.entity, row.entity_id, row.old, note)
        return
    if row.field == "measurement":
        _add_measurement(store, row.entity_id, row.new, note)
        return
    _set(store, row.entity, row.entity_id, row.field, row.new, note)


def _set(
    store: Store, entity: str, record_id: int, field: str, text: str | None, note: str
) -> None:
    """Set one field back to the value the journal wrote as ``text``."""
    from hecht_tracker.storage.repository import TABLES, _converters

    table = TABLES[entity]
    value: Any
    if field in table.links:
        value = tuple(int(item) for item in (text or "").split(",") if item)
    else:
        convert = _converters(entity).get(field)
        value = convert(text) if convert is not None and text is not None else text
        declared = {
            row[1]: row[2] for row in store.conn.execute(f"PRAGMA table_info({table.name})")
        }
        if isinstance(value, str) and declared.get(field, "").upper() == "INTEGER":
            value = int(value)
    if not store.id_exists(entity, record_id):
        raise ValidationError(
            f"Dit kan niet ongedaan worden gemaakt: {table.label} {record_id} bestaat niet meer."
        )
    store.writer.update(entity, record_id, {field: value}, note)


def _snapshot(store: Store, entity: str, record_id: int) -> dict[str, Any]:
    data: dict[str, Any] = {
        "row": store.repo.raw(entity, record_id),
        "links": {k: list(v) for k, v in store.repo.links(entity, record_id).items()},
    }
    if entity == "benefit":
        data["measurements"] = [
            dict(zip(("id", "benefit_id", "date", "value", "note", "created"), m, strict=True))
            for m in store.conn.execute(
                "SELECT id, benefit_id, date, value, note, created FROM measurement "
                "WHERE benefit_id = ? ORDER BY id",
                (record_id,),
            )
        ]
    return data


def _keep(
    store: Store, journal_id: int, entity: str, record_id: int, data: Mapping[str, Any]
) -> None:
    store.conn.execute(
        "INSERT OR REPLACE INTO undo_snapshot (journal_id, entity, record_id, data) "
        "VALUES (?, ?, ?, ?)",
        (journal_id, entity, record_id, json.dumps(data, sort_keys=True)),
    )


def _remove(store: Store, entity: str, record_id: int, title: str | None, note: str) -> None:
    from hecht_tracker.storage.repository import TABLES

    data = _snapshot(store, entity, record_id)
    if entity == "milestone":
        store.publisher.touch([record_id])  # its neighbours as they were, before it goes
    try:
        store.repo.delete(entity, record_id)
    except sqlite3.IntegrityError:
        raise ValidationError(
            f"Dit kan niet ongedaan worden gemaakt: er hangt nog iets aan {TABLES[entity].label} "
            f"{record_id}."
        ) from None
    store.repo.journal(entity, record_id, None, data["row"].get("title") or title, None, note)
    journal_id = store.conn.execute("SELECT max(id) FROM journal").fetchone()[0]
    _keep(store, int(journal_id), entity, record_id, data)


def _restore(store: Store, journal_id: int, entity: str, record_id: int, note: str) -> None:
    from hecht_tracker.storage.repository import TABLES

    table = TABLES[entity]
    found = store.conn.execute(
        "SELECT data FROM undo_snapshot WHERE journal_id = ?", (journal_id,)
    ).fetchone()
    if found is None:
        raise ValidationError(
            "Dit kan niet ongedaan worden gemaakt: van dit verwijderde record is geen kopie bewaard."
        )
    if store.id_exists(entity, record_id):
        raise ValidationError(f"{table.label.capitalize()} {record_id} bestaat al weer.")
    data = json.loads(found[0])
    row = dict(data["row"])
    store.repo.insert(entity, row)
    for name, ids in data["links"].items():
        link_table, other = table.links[name]
        for other_id in ids:
            store.conn.execute(
                f"INSERT OR IGNORE INTO {link_table} ({table.name}_id, {other}) VALUES (?, ?)",
                (record_id, other_id),
            )
    for measurement in data.get("measurements", []):
        store.repo.insert("measurement", measurement)
    if entity == "milestone":
        store.publisher.touch([record_id], inserted=True)
    store.repo.journal(entity, record_id, None, None, row.get("title"), note)


def _measurement_parts(text: str | None) -> tuple[str, str]:
    day, _, value = (text or "").partition(": ")
    return day, value


def _remove_measurement(store: Store, benefit_id: int, text: str | None, note: str) -> None:
    day, value = _measurement_parts(text)
    found = store.conn.execute(
        "SELECT id FROM measurement WHERE benefit_id = ? AND date = ? AND value = ? "
        "ORDER BY id DESC LIMIT 1",
        (benefit_id, day, value),
    ).fetchone()
    if found is None:
        raise ValidationError("Dit kan niet ongedaan worden gemaakt: de meting bestaat niet meer.")
    store.conn.execute("DELETE FROM measurement WHERE id = ?", (found[0],))
    store.repo.journal("benefit", benefit_id, "measurement", text, None, note)


def _add_measurement(store: Store, benefit_id: int, text: str | None, note: str) -> None:
    day, value = _measurement_parts(text)
    store.repo.insert(
        "measurement",
        {
            "benefit_id": benefit_id,
            "date": dt.date.fromisoformat(day).isoformat(),
            "value": value,
            "note": "",
            "created": store.repo.now(),
        },
    )
    store.repo.journal("benefit", benefit_id, "measurement", None, text, note)


def _exported_since(store: Store, change_id: int) -> bool:
    found = store.conn.execute(
        "SELECT 1 FROM journal WHERE entity = ? AND id > ? LIMIT 1", (EXPORT_ENTITY, change_id)
    ).fetchone()
    return found is not None


# --- watching for changes by other processes ------------------------------------------------------


@_guarded
def changed_since(store: Store, journal_id: int) -> tuple[int, set[str]]:
    """The newest journal row and which entities the rows after ``journal_id`` touched.

    A journal that shrank (the database was made anew) reports every entity.
    """
    newest = int(store.conn.execute("SELECT coalesce(max(id), 0) FROM journal").fetchone()[0])
    if newest < journal_id:
        return newest, {*UNDOABLE, "journal"}
    entities = {
        str(row[0])
        for row in store.conn.execute(
            "SELECT DISTINCT entity FROM journal WHERE id > ?", (journal_id,)
        )
    }
    return newest, entities


# --- reading the journal a page at a time ---------------------------------------------------------


@_guarded
def journal_page(
    store: Store,
    limit: int,
    before: int | None = None,
    *,
    entity: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    entity_id: int | None = None,
) -> list[JournalEntry]:
    """The ``limit`` newest journal rows (older than row ``before`` when given), oldest first,
    so a screen can show a long journal a page at a time without reading all of it; optionally
    only those of one ``entity`` (of one record of it: ``entity_id``) and from ``since`` to
    ``until`` (Amsterdam days, inclusive)."""
    where = ["id < ?"]
    params: list[Any] = [before if before is not None else 2**62]
    if entity is not None:
        where.append("entity = ?")
        params.append(entity)
        if entity_id is not None:
            where.append("entity_id = ?")
            params.append(entity_id)
    if since is not None:
        where.append("at >= ?")
        params.append(_utc_start(since))
    if until is not None:
        where.append("at < ?")
        params.append(_utc_start(until + dt.timedelta(days=1)))
    rows = store.conn.execute(
        "SELECT id, at, entity, entity_id, field, old, new, note, change FROM journal "
        f"WHERE {' AND '.join(where)} ORDER BY id DESC LIMIT ?",
        (*params, limit),
    ).fetchall()
    return [
        JournalEntry(
            id=row[0],
            at=dt.datetime.fromisoformat(row[1].replace("Z", "+00:00")),
            entity=row[2],
            entity_id=row[3],
            field=row[4],
            old=row[5],
            new=row[6],
            note=row[7],
            change=row[8],
        )
        for row in reversed(rows)
    ]


@_guarded
def deadline_moves(store: Store) -> dict[int, int]:
    """Per action, how often its deadline was changed after it was first set."""
    return {
        int(action_id): int(count)
        for action_id, count in store.conn.execute(
            "SELECT entity_id, count(*) FROM journal WHERE entity = 'action' "
            "AND field = 'due_date' AND old IS NOT NULL GROUP BY entity_id"
        )
    }


def _utc_start(day: dt.date) -> str:
    """Midnight in Amsterdam at the start of ``day``, as the journal writes times (UTC)."""
    from zoneinfo import ZoneInfo

    from hecht_tracker.core import dates

    start = dt.datetime.combine(day, dt.time.min, ZoneInfo(dates.TIMEZONE))
    return start.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
