"""All SQL that reads and writes records, their links and the journal.

Queries are narrow: one milestone comes with its own links only, the cycle check walks the
dependency graph from the changed milestone in SQL, and nothing a single write does reads every
row. Rows become domain objects here (or, for ``list --json``, plain JSON-ready dicts straight
from SQL); rows never leave this module.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import logging
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from enum import Enum
from typing import Any

from hecht_tracker.core import kinds, limits
from hecht_tracker.core.errors import DamagedRecordError, NotFoundError, ValidationError
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
    Status,
    Visibility,
)

Clock = Callable[[], dt.datetime]
# Records that fail their limits on reading are reported here and left out of lists. Silent
# unless a door shows them (the CLI prints them on stderr): Python's fallback handler would
# otherwise write into the terminal interface's screen.
damage_log = logging.getLogger("hecht_tracker.damaged")
damage_log.addHandler(logging.NullHandler())


@dataclasses.dataclass(frozen=True)
class Table:
    """How one entity maps onto its table: column types and many-to-many link fields."""

    name: str
    model: type[Any]
    dates: frozenset[str] = frozenset()
    times: frozenset[str] = frozenset()
    enums: Mapping[str, type[Enum]] = dataclasses.field(default_factory=dict)
    links: Mapping[str, tuple[str, str]] = dataclasses.field(default_factory=dict)

    @property
    def label(self) -> str:
        """The Dutch noun for messages, from the one registry of record kinds."""
        return kinds.noun(self.name)

    @property
    def article(self) -> str:
        return kinds.article(self.name).capitalize()


_TIMESTAMPS = frozenset({"created", "updated", "published"})

TABLES: dict[str, Table] = {
    "programme": Table("programme", Programme),
    "goal": Table("goal", Goal, enums={"health": Health}),
    "milestone": Table(
        "milestone",
        Milestone,
        dates=frozenset({"date", "documents_due", "documents_sent", "baseline_date"}),
        times=frozenset({"start_time", "end_time"}),
        enums={"kind": Kind, "status": Status, "health": Health, "visibility": Visibility},
        links={
            "goal_ids": ("milestone_goal", "goal_id"),
            "depends_on": ("milestone_dependency", "depends_on_id"),
        },
    ),
    "action": Table(
        "action",
        Action,
        dates=frozenset({"due_date", "done_date"}),
        enums={"kind": ActionKind, "status": Status},
    ),
    "benefit": Table(
        "benefit",
        Benefit,
        dates=frozenset({"realisation_date"}),
        enums={"category": BenefitCategory, "status": BenefitStatus},
    ),
}

MILESTONE_ORDER = "ORDER BY date, coalesce(start_time, ''), id"
ACTION_ORDER = "ORDER BY due_date IS NULL, due_date, id"
# Columns of derived data kept beside a record's own (schema 8): never read as the record,
# never written by a caller.
DERIVED_COLUMNS = frozenset({"list_json"})
# How a milestone record reads two columns: its documents-due date with the default filled
# in, and whether it is that default.
MILESTONE_RECORD = {
    "documents_due": "coalesce(documents_due, documents_due_default) AS documents_due",
    "documents_due_default": "documents_due IS NULL AS documents_due_is_default",
}
# The record kinds whose ``list --json`` text is kept in their ``list_json`` column.
KEPT_JSON = ("milestone", "action")


def to_db(table: Table, name: str, value: Any) -> Any:
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


@functools.cache
def _converters(name: str) -> dict[str, Callable[[Any], Any] | None]:
    """Per model field of a table: how a stored value becomes the field's type (None: as is).

    Worked out once per table, so building thousands of records does no lookups per value.
    """
    table = TABLES[name]
    found: dict[str, Callable[[Any], Any] | None] = {}
    for field in dataclasses.fields(table.model):
        key = field.name
        convert: Callable[[Any], Any] | None = None
        if key in table.dates:
            convert = _date
        elif key in table.times:
            convert = _time
        elif key in _TIMESTAMPS:
            convert = _timestamp
        elif key in table.enums:
            convert = table.enums[key]._value2member_map_.__getitem__
        elif key == "published_bodies":
            convert = _tuple_from_json
        elif key in _SHARED_TEXT:
            convert = _shared_text
        elif key in ("papers_published", "documents_due_is_default"):
            convert = bool
        found[key] = convert
    return found


@functools.lru_cache(maxsize=64)
def _builder(
    entity: str, names: tuple[str, ...]
) -> Callable[[Sequence[Any], Mapping[str, Any]], Any]:
    """A function making a record of ``entity`` from a row whose columns are ``names`` (and
    further fields given as a mapping); columns that are no field of the record are skipped.

    Written out as source once per query shape, the way :mod:`dataclasses` makes an
    ``__init__``: each value is converted in a line of its own, where a loop over the fields
    would cost about as much again as the building itself (every record read goes through
    here: 100,000 take about 0.3 s less).
    """
    converters = _converters(entity)
    # Only the model's field names reach the source. A name twice (a column added by hand
    # under a name the tracker reads under) takes its last column, as a dict of the row would.
    columns = {name: index for index, name in enumerate(names) if name in converters}
    namespace: dict[str, Any] = {"model": TABLES[entity].model}
    arguments = []
    for name, index in columns.items():
        value = f"row[{index}]"
        convert = converters[name]
        if convert is not None:
            namespace[f"convert_{name}"] = convert
            value = f"None if {value} is None else convert_{name}({value})"
        arguments.append(f"{name}={value}")
    source = f"def build(row, more):\n    return model({', '.join(arguments)}, **more)\n"
    exec(source, namespace)
    build: Callable[[Sequence[Any], Mapping[str, Any]], Any] = namespace["build"]
    return build


# Many records share a day, a time or the moment of one import: each distinct value is made
# once and shared (they are immutable), which a large database feels in time and memory.
_date = functools.lru_cache(maxsize=8192)(dt.date.fromisoformat)
_time = functools.lru_cache(maxsize=2048)(dt.time.fromisoformat)
# Accepts the stored "…Z" from Python 3.11 on.
_timestamp = functools.lru_cache(maxsize=8192)(dt.datetime.fromisoformat)


# Text that a few values cover (bodies, meeting places, owners): one copy of each value.
_SHARED_TEXT = frozenset({"body", "location", "owner"})


def _shared_text(value: Any) -> Any:
    return sys.intern(value) if type(value) is str else value  # anything else: as stored


@functools.lru_cache(maxsize=256)
def _tuple_from_json(text: str) -> tuple[Any, ...]:
    return tuple(json.loads(text))


def journal_text(value: Any) -> str | None:
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


@functools.cache
def _json_fields(entity: str) -> tuple[str, ...]:
    """The fields ``to_record`` gives for an entity, in its order."""
    hidden = {"documents_due_is_default", "version"}
    return tuple(f.name for f in dataclasses.fields(TABLES[entity].model) if f.name not in hidden)


@functools.cache
def _json_sql(entity: str) -> tuple[str, str]:
    """SQL that renders a row of ``entity`` as its JSON text, and the layout it takes as its
    one parameter: one printf per row, so SQLite builds the text in a single allocation."""
    table = TABLES[entity]
    names = _json_fields(entity)
    layout = "  {\n" + ",\n".join(f"    {json.dumps(name)}: %s" for name in names) + "\n  }"
    values = ", ".join(_json_expression(table, name) for name in names)
    return f"printf(?, {values})", layout


def _json_list(items_sql: str) -> str:
    """SQL for a JSON list laid out as ``indent=2`` does at the depth of a record's field."""
    return f"coalesce('[' || char(10) || '      ' || ({items_sql}) || char(10) || '    ]', '[]')"


def _json_expression(table: Table, name: str) -> str:
    """SQL that renders field ``name`` of a row of ``table`` as JSON."""
    separator = "',' || char(10) || '      '"
    if name in table.links:
        link_table, other = table.links[name]
        # The primary key (record, other) is walked in order, so the ids come sorted.
        return _json_list(
            f"SELECT group_concat({other}, {separator}) FROM "
            f"(SELECT {other} FROM {link_table} WHERE {table.name}_id = {table.name}.id "
            f"ORDER BY {other})"
        )
    if name == "published_bodies":
        return (
            "iif(published_bodies = '[]', '[]', "
            + _json_list(
                f"SELECT group_concat(json_quote(value), {separator}) FROM "
                f"(SELECT value FROM json_each({table.name}.published_bodies) ORDER BY key)"
            )
            + ")"
        )
    if name == "papers_published":
        return "iif(papers_published, 'true', 'false')"
    if name == "documents_due":
        return "json_quote(coalesce(documents_due, documents_due_default))"
    return f"json_quote({name})"


def id_list(ids: Iterable[int]) -> str:
    """Many ids as one JSON parameter, read back with ``json_each`` (no limit on their number)."""
    return json.dumps(sorted(set(ids)))


_IN_IDS = "IN (SELECT value FROM json_each(?))"


@dataclasses.dataclass
class Filters:
    """A WHERE clause under construction."""

    where: list[str] = dataclasses.field(default_factory=list)
    params: list[Any] = dataclasses.field(default_factory=list)
    # Text fields read as empty: a reader that may not show them (the board's report) does
    # not read them at all.
    blank: frozenset[str] = frozenset()

    def add(self, clause: str, *params: Any) -> None:
        self.where.append(clause)
        self.params.extend(params)

    def sql(self) -> str:
        return " WHERE " + " AND ".join(self.where) if self.where else ""


def milestone_filters(
    *,
    body: str | None = None,
    status: Status | None = None,
    kind: Kind | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    programme_id: int | None = None,
    goal_id: int | None = None,
    public_only: bool = False,
) -> Filters:
    found = Filters()
    if body is not None:
        found.add("body = ? COLLATE NOCASE", body)
    for column, value in (("status", status), ("kind", kind)):
        if value is not None:
            found.add(f"{column} = ?", value.value)
    if since is not None:
        found.add("date >= ?", since.isoformat())
    if until is not None:
        found.add("date <= ?", until.isoformat())
    if programme_id is not None:
        found.add("programme_id = ?", programme_id)
    if goal_id is not None:
        found.add("id IN (SELECT milestone_id FROM milestone_goal WHERE goal_id = ?)", goal_id)
    if public_only:
        found.add("visibility = 'public'")
    return found


class Repository:
    """Reads and writes of one connection; the caller holds the transaction for writes."""

    def __init__(self, conn: sqlite3.Connection, clock: Clock) -> None:
        self.conn = conn
        self.clock = clock
        # The journal's change number of the write transaction under way (None: none yet).
        self.change: int | None = None
        self._columns: dict[str, tuple[str, ...]] = {}
        self._record_columns: dict[str, tuple[str, ...]] = {}
        self.damaged: dict[str, str] = {}  # "entity:id" of each damaged record read → why

    # --- plumbing ----------------------------------------------------------------------------

    def now(self) -> str:
        return self.clock().astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def rows(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        cursor = self.conn.execute(sql, tuple(params))
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]

    def table_columns(self, entity: str) -> tuple[str, ...]:
        """Every column of the entity's table, derived ones included."""
        if entity not in self._columns:
            self._columns[entity] = tuple(
                row[1] for row in self.conn.execute(f"PRAGMA table_info({TABLES[entity].name})")
            )
        return self._columns[entity]

    def columns(self, entity: str) -> tuple[str, ...]:
        """The columns that hold the record itself (no derived data)."""
        found = self._record_columns.get(entity)
        if found is None:  # asked once per record an import writes: worked out once
            found = tuple(c for c in self.table_columns(entity) if c not in DERIVED_COLUMNS)
            self._record_columns[entity] = found
        return found

    def _select(
        self,
        entity: str,
        blank: frozenset[str] = frozenset(),
        read_as: Mapping[str, str] | None = None,
    ) -> str:
        """``SELECT <the record's columns> FROM <its table>``: derived text is not fetched, the
        ``blank`` text columns are read as ``''`` and the ``read_as`` ones by their expression."""
        read_as = read_as or {}
        columns = (f"'' AS {c}" if c in blank else read_as.get(c, c) for c in self.columns(entity))
        return f"SELECT {', '.join(columns)} FROM {TABLES[entity].name}"

    def forget_columns(self) -> None:
        self._columns.clear()
        self._record_columns.clear()

    def build(self, table: Table, row: Mapping[str, Any], **extra: Any) -> Any:
        """A domain object from a row. A row whose values cannot be read or fail their limits
        (written by hand or by an older version) raises DamagedRecordError instead of
        poisoning whatever reads it."""
        converters = _converters(table.name)
        try:
            values = {
                k: v if v is None or (convert := converters[k]) is None else convert(v)
                for k, v in row.items()
                if k in converters
            }
        except (ValueError, TypeError, KeyError, OverflowError):
            raise _unreadable(table.label, row, converters) from None
        try:
            record = table.model(**values, **extra)
            limits.check_record(record)
        except (TypeError, ValidationError) as error:
            raise DamagedRecordError(table.label, row.get("id"), str(error)) from None
        return record

    def intact(self, build: Callable[..., Any], *args: Any) -> Any:
        """``build(*args)``, or None with a report (once) when the record is damaged."""
        try:
            return build(*args)
        except DamagedRecordError as error:
            self.report_damage(f"{error.entity}:{error.record_id}", str(error))
            return None

    def report_damage(self, key: str, message: str) -> None:
        if key not in self.damaged:
            self.damaged[key] = message
            damage_log.warning("%s", message)

    # --- reading records ---------------------------------------------------------------------

    def programmes(self) -> list[Programme]:
        table = TABLES["programme"]
        rows = self.rows("SELECT * FROM programme ORDER BY id")
        return _present(self.intact(self.build, table, r) for r in rows)

    def goals(self, programme_id: int | None = None) -> list[Goal]:
        found = Filters()
        if programme_id is not None:
            found.add("programme_id = ?", programme_id)
        return self._goals(found)

    def goals_by_ids(self, ids: Iterable[int]) -> dict[int, Goal]:
        found = Filters()
        found.add(f"id {_IN_IDS}", id_list(ids))
        return {goal.id: goal for goal in self._goals(found)}

    def _goals(self, found: Filters) -> list[Goal]:
        table = TABLES["goal"]
        sql = f"SELECT * FROM goal{found.sql()} ORDER BY programme_id, number, id"
        return _present(self.intact(self.build, table, r) for r in self.rows(sql, found.params))

    def one(self, entity: str, record_id: int) -> Any:
        """A programme, goal or action by id (milestones and benefits have their own)."""
        table = TABLES[entity]
        rows = self.rows(f"{self._select(entity)} WHERE id = ?", [record_id])
        if not rows:
            raise NotFoundError(f"{table.label.capitalize()} {record_id} bestaat niet.")
        return self.build(table, rows[0])

    def record_count(self) -> int:
        """How many milestones, actions and benefits there are: what a screen weighs."""
        row = self.conn.execute(
            "SELECT (SELECT count(*) FROM milestone) + (SELECT count(*) FROM action)"
            " + (SELECT count(*) FROM benefit)"
        ).fetchone()
        return int(row[0])

    def milestones(self, found: Filters | None = None) -> list[Milestone]:
        """Milestones in date order (all-day first on a day, then by start time)."""
        found = found or Filters()
        sql = f"{self._select('milestone', found.blank, MILESTONE_RECORD)}{found.sql()}"
        # The whole list reads all links; a filtered one the links of its own rows only.
        ids = (
            None
            if not found.where
            else self._ids(f"SELECT id FROM milestone{found.sql()}", found.params)
        )
        return self._milestones_from(f"{sql} {MILESTONE_ORDER}", found.params, ids)

    def milestones_by_ids(self, ids: Iterable[int]) -> dict[int, Milestone]:
        wanted = sorted(set(ids))
        sql = f"{self._select('milestone', read_as=MILESTONE_RECORD)} WHERE id {_IN_IDS}"
        found = self._milestones_from(sql, [json.dumps(wanted)], wanted)
        return {m.id: m for m in found}

    def milestone(self, milestone_id: int) -> Milestone:
        sql = f"{self._select('milestone', read_as=MILESTONE_RECORD)} WHERE id = ?"
        found = self._milestones_from(sql, [milestone_id], [milestone_id], skip_damaged=False)
        if not found:
            raise NotFoundError(f"Mijlpaal {milestone_id} bestaat niet.")
        return found[0]

    def _milestones_from(
        self,
        sql: str,
        params: Sequence[Any],
        ids: Sequence[int] | None,
        *,
        skip_damaged: bool = True,
    ) -> list[Milestone]:
        """The milestones of ``sql``, with their links (those of ``ids``; None: all)."""
        links = self.milestone_links(ids)
        no_links = ((), ())

        def linked(record_id: int) -> dict[str, Any]:
            goal_ids, depends_on = links.get(record_id, no_links)
            return {"goal_ids": goal_ids, "depends_on": depends_on}

        return list(self.records("milestone", sql, params, linked, skip_damaged=skip_damaged))

    def records(
        self,
        entity: str,
        sql: str,
        params: Sequence[Any] = (),
        extra: Callable[[int], Mapping[str, Any]] | None = None,
        *,
        skip_damaged: bool = True,
    ) -> Iterator[Any]:
        """The records of ``sql``'s rows one at a time, ``extra(id)`` giving further fields.

        Built straight from each row's values, the common case; a row that does not build
        goes through :meth:`build` for its message, then raises or, with ``skip_damaged``,
        is reported once and left out.
        """
        table = TABLES[entity]
        cursor = self.conn.execute(sql, tuple(params))
        names = [column[0] for column in cursor.description]
        build = _builder(entity, tuple(names))
        at_id = names.index("id")
        check = limits.check_record
        nothing_more: Mapping[str, Any] = {}
        for row in cursor:
            more = extra(row[at_id]) if extra is not None else nothing_more
            try:
                record = build(row, more)
                check(record)
            except (ValueError, TypeError, KeyError, OverflowError, ValidationError):
                try:  # again, for the message
                    record = self.build(table, dict(zip(names, row, strict=True)), **more)
                except DamagedRecordError as error:
                    if not skip_damaged:
                        raise
                    self.report_damage(f"{error.entity}:{error.record_id}", str(error))
                    continue
            yield record

    def _ids(self, sql: str, params: Sequence[Any]) -> list[int]:
        return [row[0] for row in self.conn.execute(sql, tuple(params))]

    def milestone_links(
        self, ids: Sequence[int] | None = None
    ) -> dict[int, tuple[tuple[int, ...], tuple[int, ...]]]:
        """(goal ids, ids it depends on) per milestone, each sorted; ``ids`` narrows the read."""
        where, params = (
            ("", ()) if ids is None else (f" WHERE milestone_id {_IN_IDS}", (id_list(ids),))
        )
        goals: dict[int, list[int]] = {}
        for mid, gid in self.conn.execute(
            f"SELECT milestone_id, goal_id FROM milestone_goal{where} ORDER BY goal_id", params
        ):
            goals.setdefault(mid, []).append(gid)
        deps: dict[int, list[int]] = {}
        for mid, did in self.conn.execute(
            f"SELECT milestone_id, depends_on_id FROM milestone_dependency{where} "
            "ORDER BY depends_on_id",
            params,
        ):
            deps.setdefault(mid, []).append(did)
        shared: dict[tuple[int, ...], tuple[int, ...]] = {}  # most share a goal or two
        return {
            mid: (_one_of(shared, goals.get(mid, ())), tuple(deps.get(mid, ())))
            for mid in set(goals) | set(deps)
        }

    def actions(self, found: Filters) -> list[Action]:
        sql = f"{self._select('action', found.blank)}{found.sql()} {ACTION_ORDER}"
        return list(self.records("action", sql, found.params))

    def benefits(self, found: Filters, *, skip_damaged: bool = True) -> list[Benefit]:
        rows = self.rows(f"SELECT * FROM benefit{found.sql()} ORDER BY id", found.params)
        measured: dict[int, list[dict[str, Any]]] = {}
        where, params = (
            ("", ())
            if not found.where
            else (
                f" WHERE benefit_id {_IN_IDS}",
                (id_list(r["id"] for r in rows),),
            )
        )
        for m in self.rows(f"SELECT * FROM measurement{where} ORDER BY date, id", params):
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
            return self.build(table, row, measurements=measurements)  # type: ignore[no-any-return]

        if not skip_damaged:
            return [build(r) for r in rows]
        return _present(self.intact(build, r) for r in rows)

    def id_exists(self, entity: str, record_id: int) -> bool:
        row = self.conn.execute(
            f"SELECT 1 FROM {TABLES[entity].name} WHERE id = ?", (record_id,)
        ).fetchone()
        return row is not None

    def id_for_uid(self, entity: str, uid: str) -> int | None:
        row = self.conn.execute(
            f"SELECT id FROM {TABLES[entity].name} WHERE uid = ?", (uid,)
        ).fetchone()
        return None if row is None else int(row[0])

    def raw(self, entity: str, record_id: int) -> dict[str, Any]:
        table = TABLES[entity]
        rows = self.rows(f"{self._select(entity)} WHERE id = ?", [record_id])
        if not rows:
            raise NotFoundError(f"{table.label.capitalize()} {record_id} bestaat niet.")
        return rows[0]

    def is_empty(self) -> bool:
        return not any(
            self.conn.execute(f"SELECT 1 FROM {name} LIMIT 1").fetchone()
            for name in ("programme", "milestone", "action", "benefit")
        )

    # --- records as JSON text ----------------------------------------------------------------

    def json_records(self, entity: str, found: Filters, order: str) -> Iterator[str]:
        """Each record as the JSON text ``json.dumps(…, ensure_ascii=False, indent=2)`` writes
        for it as an item of a list: the kept text (see :meth:`refresh_list_json`), or where
        none is kept, rendered by SQLite on the spot.

        Same keys, order and values as ``to_record`` of the domain object the store reads, with
        no Python object per value on the way: this is what makes ``list --json`` instant.
        """
        rendered, layout = _json_sql(entity)
        if "list_json" in self.table_columns(entity):
            rendered = f"coalesce(list_json, {rendered})"
        sql = f"SELECT {rendered} FROM {TABLES[entity].name}{found.sql()} {order}"
        for (text,) in self.conn.execute(sql, [layout, *found.params]):
            yield text

    def refresh_list_json(self) -> None:
        """Make the ``list --json`` text of every milestone and action that has none (those
        a write added or changed: the schema's triggers empty it), as the write commits."""
        for entity in KEPT_JSON:
            if "list_json" not in self.table_columns(entity):
                continue  # a schema before version 8, during its migration
            rendered, layout = _json_sql(entity)
            self.conn.execute(
                f"UPDATE {TABLES[entity].name} SET list_json = {rendered} WHERE list_json IS NULL",
                [layout],
            )

    # --- the dependency graph ------------------------------------------------------------------

    def neighbours(self, ids: Iterable[int]) -> set[int]:
        """Milestones that ``ids`` depend on and those that depend on ``ids``."""
        wanted = id_list(ids)
        found = set()
        for (other,) in self.conn.execute(
            f"SELECT depends_on_id FROM milestone_dependency WHERE milestone_id {_IN_IDS} "
            f"UNION SELECT milestone_id FROM milestone_dependency WHERE depends_on_id {_IN_IDS}",
            (wanted, wanted),
        ):
            found.add(int(other))
        return found

    def followers(self, ids: Iterable[int]) -> dict[int, list[int]]:
        """For each of ``ids``, the milestones that depend on it."""
        found: dict[int, list[int]] = {}
        for mid, did in self.conn.execute(
            "SELECT milestone_id, depends_on_id FROM milestone_dependency "
            f"WHERE depends_on_id {_IN_IDS}",
            (id_list(ids),),
        ):
            found.setdefault(int(did), []).append(int(mid))
        return found

    def reaches_itself(self, start: int) -> dict[int, list[int]]:
        """When ``start`` depends on itself via other milestones: the edges to find the route.

        A recursive query walks from ``start`` only (not the whole graph); the edges of what it
        reaches are read only when the walk comes back to ``start``. Empty when no cycle.
        """
        reached = [
            int(row[0])
            for row in self.conn.execute(
                "WITH RECURSIVE walk(node) AS ("
                " SELECT depends_on_id FROM milestone_dependency WHERE milestone_id = ?"
                " UNION"
                " SELECT d.depends_on_id FROM walk"
                " JOIN milestone_dependency d ON d.milestone_id = walk.node"
                ") SELECT node FROM walk",
                (start,),
            )
        ]
        if start not in reached:
            return {}
        edges: dict[int, list[int]] = {}
        for mid, did in self.conn.execute(
            f"SELECT milestone_id, depends_on_id FROM milestone_dependency "
            f"WHERE milestone_id {_IN_IDS}",
            (id_list(reached),),
        ):
            edges.setdefault(int(mid), []).append(int(did))
        return edges

    def milestones_of_goal(self, goal_id: int) -> list[int]:
        return [
            int(row[0])
            for row in self.conn.execute(
                "SELECT milestone_id FROM milestone_goal WHERE goal_id = ?", (goal_id,)
            )
        ]

    # --- writing -------------------------------------------------------------------------------

    def insert(self, entity: str, row: Mapping[str, Any]) -> int:
        """Insert one row into the table of ``entity`` (or ``measurement``); returns its id."""
        names = list(row)
        table = TABLES[entity].name if entity in TABLES else "measurement"
        cursor = self.conn.execute(
            f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
            [row[name] for name in names],
        )
        assert cursor.lastrowid is not None
        return int(cursor.lastrowid)

    def insert_many(self, entity: str, names: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        self.conn.executemany(
            f"INSERT INTO {TABLES[entity].name} ({', '.join(names)}) "
            f"VALUES ({', '.join('?' * len(names))})",
            rows,
        )

    def update(self, entity: str, record_id: int, changes: Mapping[str, Any]) -> None:
        """Write changed columns and raise the record's version by one."""
        names = list(changes)
        assignments = ", ".join([*(f"{name} = ?" for name in names), "version = version + 1"])
        self.conn.execute(
            f"UPDATE {TABLES[entity].name} SET {assignments} WHERE id = ?",
            [*(changes[name] for name in names), record_id],
        )

    def delete(self, entity: str, record_id: int) -> None:
        self.conn.execute(f"DELETE FROM {TABLES[entity].name} WHERE id = ?", (record_id,))

    def links(self, entity: str, record_id: int) -> dict[str, tuple[int, ...]]:
        table = TABLES[entity]
        result = {}
        for name, (link_table, other) in table.links.items():
            rows = self.conn.execute(
                f"SELECT {other} FROM {link_table} WHERE {table.name}_id = ? ORDER BY {other}",
                (record_id,),
            )
            result[name] = tuple(int(r[0]) for r in rows)
        return result

    def add_links(self, entity: str, name: str, pairs: Iterable[tuple[int, int]]) -> None:
        table = TABLES[entity]
        link_table, other = table.links[name]
        self.conn.executemany(
            f"INSERT INTO {link_table} ({table.name}_id, {other}) VALUES (?, ?)", pairs
        )

    def clear_links(self, entity: str, name: str, record_id: int) -> None:
        table = TABLES[entity]
        link_table, _ = table.links[name]
        self.conn.execute(f"DELETE FROM {link_table} WHERE {table.name}_id = ?", (record_id,))

    def next_goal_number(self, programme_id: int) -> int:
        row = self.conn.execute(
            "SELECT coalesce(max(number), 0) + 1 FROM goal WHERE programme_id = ?",
            (programme_id,),
        ).fetchone()
        return int(row[0])

    # --- journal -------------------------------------------------------------------------------

    def journal(
        self,
        entity: str,
        entity_id: int | None,
        field: str | None,
        old: Any,
        new: Any,
        note: str = "",
    ) -> None:
        """Append one journal row to the change of the write under way."""
        self.journal_many([(entity, entity_id, field, journal_text(old), journal_text(new), note)])

    def journal_many(
        self, rows: Iterable[tuple[str, int | None, str | None, str | None, str | None, str]]
    ) -> None:
        """Append journal rows (values already journal text) to the write under way.

        A write's change number is the id of its first journal row: unique, rising, and
        known without a counter of its own.
        """
        now = self.now()
        iterator = _checked_notes(rows)
        if self.change is None:
            first = next(iterator, None)
            if first is None:
                return
            # Both subqueries see the table before the insert, so the row's id is its change.
            cursor = self.conn.execute(
                "INSERT INTO journal (id, at, entity, entity_id, field, old, new, note, change) "
                "VALUES ((SELECT coalesce(max(id), 0) + 1 FROM journal), ?, ?, ?, ?, ?, ?, ?, "
                "(SELECT coalesce(max(id), 0) + 1 FROM journal))",
                (now, *first),
            )
            self.change = cursor.lastrowid
        self.conn.executemany(
            "INSERT INTO journal (at, entity, entity_id, field, old, new, note, change) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            ((now, *row, self.change) for row in iterator),
        )

    def last_changed(self, entity: str, field: str) -> dict[int, dt.datetime]:
        rows = self.conn.execute(
            "SELECT entity_id, max(at) FROM journal WHERE entity = ? AND field = ? "
            "AND entity_id IS NOT NULL GROUP BY entity_id",
            (entity, field),
        )
        return {
            int(record_id): dt.datetime.fromisoformat(at.replace("Z", "+00:00"))
            for record_id, at in rows
        }

    def journal_entries(self, found: Filters) -> list[JournalEntry]:
        rows = self.rows(f"SELECT * FROM journal{found.sql()} ORDER BY at, id", found.params)
        return _present(self.intact(_journal_entry, r) for r in rows)


def _checked_notes(
    rows: Iterable[tuple[str, int | None, str | None, str | None, str | None, str]],
) -> Iterator[tuple[str, int | None, str | None, str | None, str | None, str]]:
    """The rows, refusing a note beyond its limits (each distinct note is checked once)."""
    checked: set[str] = set()
    for row in rows:
        if row[5] not in checked:
            limits.check_text(row[5], limits.TEXT_LIMITS["note"], "Toelichting")
            checked.add(row[5])
        yield row


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
        change=row["change"],
    )


def _unreadable(
    label: str, row: Mapping[str, Any], converters: Mapping[str, Callable[[Any], Any] | None]
) -> DamagedRecordError:
    """Name the first column of ``row`` whose stored value cannot be converted."""
    for key, value in row.items():
        convert = converters.get(key)
        if value is None or convert is None:
            continue
        try:
            convert(value)
        except (ValueError, TypeError, KeyError, OverflowError):
            problem = f"{key}: '{limits.clip(value, 40)}' is onleesbaar"
            return DamagedRecordError(label, row.get("id"), problem)
    return DamagedRecordError(label, row.get("id"), "een waarde is onleesbaar")


def _one_of(shared: dict[tuple[int, ...], tuple[int, ...]], ids: Iterable[int]) -> tuple[int, ...]:
    """``ids`` as a tuple, the same tuple object for the same ids."""
    found = tuple(ids)
    return shared.setdefault(found, found)


def _present(records: Iterable[Any]) -> list[Any]:
    """The records that were read whole (damaged ones are None and left out)."""
    return [record for record in records if record is not None]
