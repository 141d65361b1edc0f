"""``db check``: is the file sound, and does every record agree with its journal?

Read-only: it opens the file with ``mode=ro`` and never migrates or writes, so it can look at
a damaged database, or one another process is writing, as it is.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hecht_tracker.core.errors import DatabaseError
from hecht_tracker.storage import schema
from hecht_tracker.storage.maintenance import connect, damaged


@dataclass
class Report:
    """What ``db check`` found: problems (exit 1) and notes that are not problems."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # The records a problem is about, as (entity, id): the interface counts these.
    records: set[tuple[str, int]] = field(default_factory=set)


def check(db_path: Path) -> Report:
    """Pages, foreign keys, schema version and application id, and journal consistency."""
    if not db_path.is_file():
        raise DatabaseError(f"Database {db_path} bestaat niet.")
    report = Report()
    with contextlib.closing(connect(db_path, read_only=True)) as conn:
        try:
            app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        except sqlite3.DatabaseError as error:
            report.problems.append(f"Het bestand is geen leesbare SQLite-database ({error}).")
            return report
        if app_id != schema.APPLICATION_ID:
            report.problems.append("Het bestand is geen hecht-tracker-database (application_id).")
            return report
        if version > schema.SCHEMA_VERSION:
            report.problems.append(
                f"Schema {version} is nieuwer dan deze versie kent ({schema.SCHEMA_VERSION})."
            )
            return report
        if version < schema.SCHEMA_VERSION:
            report.notes.append(
                f"Schema {version}: wordt bij het volgende gebruik bijgewerkt naar "
                f"{schema.SCHEMA_VERSION} (na een reservekopie)."
            )
        try:
            pages = [str(row[0]) for row in conn.execute("PRAGMA integrity_check(20)")]
        except sqlite3.DatabaseError as error:
            pages = [str(error)]
        if pages != ["ok"]:
            report.problems += [f"Beschadigd: {line}" for line in pages]
            report.problems.append(str(damaged(db_path)))
            return report
        if version == schema.SCHEMA_VERSION:
            report.problems += schema_problems(conn)
        for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
            report.problems.append(
                f"Tabel {table}, rij {rowid}: verwijst naar een rij in {parent} die niet bestaat."
            )
        if version == schema.SCHEMA_VERSION:  # the reader knows the current schema only
            report.problems += record_problems(conn, report.records)
        report.problems += journal_problems(conn, report.records)
    return report


def record_problems(conn: sqlite3.Connection, records: set[tuple[str, int]]) -> list[str]:
    """Records whose stored values cannot be read or break their limits (e.g. a date typed
    into the file by hand): every list leaves them out until they are repaired."""
    import datetime as dt

    from hecht_tracker.storage.repository import Filters, Repository

    repo = Repository(conn, lambda: dt.datetime.now(dt.UTC))
    names = {label: entity for entity, (label, _) in _RECORDS.items()}
    repo.programmes()
    repo.goals()
    repo.milestones()
    repo.actions(Filters())
    repo.benefits(Filters())
    for key in repo.damaged:
        label, _, record_id = key.partition(":")
        with contextlib.suppress(KeyError, ValueError):
            records.add((names[label], int(record_id)))
    return list(repo.damaged.values())


def schema_problems(conn: sqlite3.Connection) -> list[str]:
    """Tables, columns, indexes and triggers the current schema defines but the file lacks.

    The file is compared with a fresh database made by the same migrations; a missing trigger
    matters most, for the triggers are what keep the journal append-only.
    """
    import sqlite_utils

    from hecht_tracker.storage.connection import statements

    with contextlib.closing(sqlite3.connect(":memory:")) as fresh:
        for script in schema.MIGRATIONS:
            for statement in statements(script):
                fresh.execute(statement)
        want, have = sqlite_utils.Database(fresh), sqlite_utils.Database(conn)
        problems = []
        present = set(have.table_names())
        for name in want.table_names():
            if name not in present:
                problems.append(f"Tabel {name} ontbreekt.")
                continue
            missing = set(want.table(name).columns_dict) - set(have.table(name).columns_dict)
            problems += [f"Kolom {name}.{column} ontbreekt." for column in sorted(missing)]
            have_indexes = {index.name for index in have.table(name).indexes}
            problems += [
                f"Index {index.name} op {name} ontbreekt."
                for index in want.table(name).indexes
                if index.name not in have_indexes
            ]
        problems += [
            f"Trigger {name} ontbreekt: het journaal is niet meer beschermd tegen wijzigen."
            if name.startswith("journal")
            else f"Trigger {name} ontbreekt."
            for name in sorted(set(want.triggers_dict) - set(have.triggers_dict))
        ]
        return problems


# How the journal names each record table, with the field that holds its title and the
# many-to-many fields (field -> link table, column of the other side, column of this side).
_RECORDS: dict[str, tuple[str, str]] = {
    "programme": ("programma", "name"),
    "goal": ("doel", "title"),
    "milestone": ("mijlpaal", "title"),
    "action": ("actie", "title"),
    "benefit": ("baat", "title"),
}
_LINKS: dict[str, dict[str, tuple[str, str, str]]] = {
    "milestone": {
        "goal_ids": ("milestone_goal", "goal_id", "milestone_id"),
        "depends_on": ("milestone_dependency", "depends_on_id", "milestone_id"),
    }
}
# The store keeps a papers date equal to the default as NULL ("follows the default"), also when
# a later change of the meeting date makes an explicit date equal to it, without a journal row.
_NULL_MEANS_DEFAULT = frozenset({("milestone", "documents_due")})


@dataclass
class _Life:
    """One record's history as the journal tells it, from its creation (or the seed) on."""

    created: bool = False
    deleted: bool = False
    values: dict[str, str | None] = field(default_factory=dict)


def _journal_text(value: Any) -> str | None:
    return None if value is None else str(value)


def _agrees(entity: str, name: str, journalled: str | None, actual: str | None) -> bool:
    if journalled == actual:
        return True
    return actual is None and (entity, name) in _NULL_MEANS_DEFAULT


def journal_problems(
    conn: sqlite3.Connection, records: set[tuple[str, int]] | None = None
) -> list[str]:
    """Replay the journal per record and field and compare it with the current values.

    The rules, in the order the journal was written:

    - a row without field and without old value creates a record (its value is the title);
      a row without field with an old value deletes it; a later creation of the same id
      starts a new life (SQLite may reuse the highest id after a delete);
    - a change row's old value is the previous row's new value for that field, and the last
      new value is the field's current value (for links: the ids, sorted, joined by ',');
    - records the seed made have no row of their own: a record without a creation row is
      accepted when it was created no later than the journal's seed row ("database");
    - every journalled measurement exists; a setting's last journalled value is its value.

    ``records`` collects the (entity, id) of every record a problem is about.
    """
    problems: list[str] = []
    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    lives: dict[tuple[str, int], _Life] = {}
    measured: dict[int, list[str]] = {}
    settings: dict[str, str | None] = {}
    seeded_until: str | None = None

    def label(entity: str, record_id: int) -> str:
        if records is not None:
            records.add((entity, record_id))
        return f"{_RECORDS[entity][0].capitalize()} {record_id}"

    for _id, at, entity, entity_id, name, old, new in conn.execute(
        "SELECT id, at, entity, entity_id, field, old, new FROM journal ORDER BY id"
    ):
        if entity == "database":
            seeded_until = at
            continue
        if entity == "setting" and name:
            settings[name] = new
            continue
        if entity not in _RECORDS or entity_id is None:
            continue
        key = (entity, int(entity_id))
        if name is None and old is None:
            lives[key] = _Life(created=True, values={_RECORDS[entity][1]: new})
            continue
        life = lives.setdefault(key, _Life())
        if name is None:
            life.deleted = True
        elif name == "measurement":  # added (new), or taken out again by undo (old)
            texts = measured.setdefault(int(entity_id), [])
            if new is not None:
                texts.append(new)
            elif old in texts:
                texts.remove(old)
        else:
            if life.deleted:
                problems.append(f"{label(*key)}: het journaal wijzigt {name} na verwijdering.")
            if name in life.values and not _agrees(entity, name, life.values[name], old):
                problems.append(
                    f"{label(*key)}, {name}: het journaal springt van "
                    f"{life.values[name]!r} naar een wijziging vanaf {old!r}."
                )
            life.values[name] = new

    for entity in _RECORDS:
        if entity not in tables:
            continue
        links: dict[str, dict[int, str]] = {}
        for name, (link_table, other, this) in _LINKS.get(entity, {}).items():
            grouped: dict[int, list[int]] = {}
            for record_id, other_id in conn.execute(
                f"SELECT {this}, {other} FROM {link_table} ORDER BY {other}"
            ):
                grouped.setdefault(int(record_id), []).append(int(other_id))
            links[name] = {k: ",".join(map(str, v)) for k, v in grouped.items()}
        cursor = conn.execute(f"SELECT * FROM {entity}")
        columns = [column[0] for column in cursor.description]
        present: set[int] = set()
        for values in cursor:
            row = dict(zip(columns, values, strict=True))
            record_id = int(row["id"])
            present.add(record_id)
            found = lives.get((entity, record_id))
            if (found is None or not found.created) and (
                seeded_until is None or str(row["created"]) > seeded_until
            ):
                problems.append(
                    f"{label(entity, record_id)} heeft geen journaalregel 'aangemaakt'."
                )
            if found is None:
                continue
            if found.deleted:
                problems.append(f"{label(entity, record_id)} is volgens het journaal verwijderd.")
            for name, journalled in found.values.items():
                if name in links:
                    actual: str | None = links[name].get(record_id, "")
                elif name in row:
                    actual = _journal_text(row[name])
                else:
                    continue  # a field an older schema had
                if not _agrees(entity, name, journalled, actual):
                    problems.append(
                        f"{label(entity, record_id)}, {name}: het journaal zegt {journalled!r}, "
                        f"de database {actual!r}."
                    )
        for (kind, record_id), life in lives.items():
            if kind == entity and record_id not in present and not life.deleted:
                problems.append(
                    f"{label(entity, record_id)} ontbreekt, maar het journaal kent geen verwijdering."
                )

    if "measurement" in tables:
        stored: dict[int, list[str]] = {}
        for benefit_id, date, value, created in conn.execute(
            "SELECT benefit_id, date, value, created FROM measurement ORDER BY id"
        ):
            text = f"{date}: {value}"
            expected = measured.get(int(benefit_id), [])
            if text in expected:
                expected.remove(text)
            elif seeded_until is None or str(created) > seeded_until:
                stored.setdefault(int(benefit_id), []).append(text)
        for benefit_id, texts in sorted(stored.items()):
            if records is not None:
                records.add(("benefit", benefit_id))
            problems += [
                f"Baat {benefit_id}: meting {t!r} staat niet in het journaal." for t in texts
            ]
        for benefit_id, texts in sorted(measured.items()):
            if (
                texts
                and ("benefit", benefit_id) in lives
                and not lives[("benefit", benefit_id)].deleted
            ):
                if records is not None:
                    records.add(("benefit", benefit_id))
                problems += [f"Baat {benefit_id}: meting {t!r} ontbreekt." for t in texts]

    stored_settings = dict(conn.execute("SELECT key, value FROM setting"))
    for setting, journalled in settings.items():
        if setting == "feed_token":  # journalled as *** on purpose
            continue
        actual = stored_settings.get(setting)
        try:
            same = actual is not None and json.loads(actual) == json.loads(journalled or "null")
        except json.JSONDecodeError:
            same = False
        if not same:
            problems.append(
                f"Instelling {setting}: het journaal zegt {journalled}, de database {actual}."
            )
    return problems
