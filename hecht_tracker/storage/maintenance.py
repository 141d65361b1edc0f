"""Keeping the database safe: backups, restoring, reinitialising, and checking it.

Backups use SQLite's online backup API, so they are consistent while other processes write.
Restoring and reinitialising never replace the file: the new content is copied into the open
database inside one write transaction, so every process that has it open sees the new content
at once, and a write that was reported as saved lands either before (and is in the backup made
first) or after (in the new content). Damage is looked for with ``PRAGMA quick_check`` once a
day before the first write and before every migration; a damaged database is not written to.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

from hecht_tracker.core.errors import DatabaseError
from hecht_tracker.core.model import Settings
from hecht_tracker.storage import files, schema
from hecht_tracker.storage.connection import unused_path

# Opens a database file (creating, seeding or upgrading it as the store does) and closes it:
# the store hands this in, so this module never imports the store that imports it.
OpenDatabase = Callable[[Path], None]


class Store(Protocol):
    """What the daily check needs of the store."""

    conn: sqlite3.Connection
    path: Path | None
    clock: Callable[[], dt.datetime]

    @property
    def schema_version(self) -> int: ...

    def settings(self) -> Settings: ...


BACKUP_FOLDER = "backups"
BUSY_MILLISECONDS = 30000
# The day of the last daily check and backup, kept in the setting table (not a user setting).
DAILY_MARK = "last_daily_check"
TIMEZONE = "Europe/Amsterdam"
_STAMP = "%Y%m%dT%H%M%S"


# --- backups ----------------------------------------------------------------------------------


def backup_to(conn: sqlite3.Connection, target: Path) -> Path:
    """Copy the database behind ``conn`` to ``target`` (mode 0600) with SQLite's backup API.

    The copy is written under a temporary name and renamed when complete, so a backup that
    exists is never half-written, even when the process is killed during it.
    """
    import tempfile  # only when a backup is made: keeps every start of the program light

    target.parent.mkdir(parents=True, exist_ok=True)
    # A name of its own (mode 0600), so two processes backing up at once never share one.
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(handle)
    part = Path(name)
    try:
        with files.private_umask(), contextlib.closing(sqlite3.connect(part)) as copy:
            conn.backup(copy)
        os.replace(part, target)
    finally:
        part.unlink(missing_ok=True)
    files.make_private(target)
    return target


def copy_bytes(source: Path, target: Path) -> Path:
    """Keep a file that SQLite cannot read as it is (a damaged or foreign file), mode 0600."""
    import shutil

    files.create_private(target)
    shutil.copyfile(source, target)
    files.make_private(target)
    return target


def default_backup_path(db_path: Path, now: dt.datetime) -> Path:
    """Beside the database, named after it and the moment: ``hecht.20261123T091500.bak.sqlite``."""
    return unused_path(db_path.with_name(f"{db_path.stem}.{now.strftime(_STAMP)}.bak.sqlite"))


def backup_database(db_path: Path, target: Path | None, now: dt.datetime) -> Path:
    """``db backup``: a consistent copy of the database at ``db_path``, while others may write."""
    if not db_path.is_file():
        raise DatabaseError(f"Database {db_path} bestaat niet.")
    target = target or default_backup_path(db_path, now)
    if target.exists():
        raise DatabaseError(f"{target} bestaat al; kies een andere naam.")
    if target.resolve() == db_path.resolve():
        raise DatabaseError("Een reservekopie kan niet over de database zelf heen.")
    with contextlib.closing(connect(db_path, read_only=True)) as conn:
        _tracker_version(conn, db_path)
        try:
            return backup_to(conn, target)
        except sqlite3.DatabaseError as error:
            raise DatabaseError(
                f"{db_path} kan niet worden gekopieerd ({error}); is hij beschadigd? "
                "Controleer hem met 'hecht-tracker db check'."
            ) from None


def daily_backup(conn: sqlite3.Connection, db_path: Path, now: dt.datetime, keep: int) -> Path:
    """The day's backup in ``backups/`` beside the database; only the newest ``keep`` days stay.

    One per day: when today's exists (an earlier attempt to write was refused), it is kept.
    """
    folder = db_path.parent / BACKUP_FOLDER
    folder.mkdir(mode=0o700, exist_ok=True)
    pattern = re.compile(rf"{re.escape(db_path.stem)}-(\d{{8}})T\d{{6}}\.bak\.sqlite")
    daily = sorted(p for p in folder.iterdir() if pattern.fullmatch(p.name))
    today = now.strftime("%Y%m%d")
    made = [p for p in daily if p.name.startswith(f"{db_path.stem}-{today}T")]
    if made:
        return made[-1]
    for part in folder.glob(".*.part"):  # left by a backup that was killed half-way
        with contextlib.suppress(OSError):
            if part.stat().st_mtime < time.time() - 3600:  # file times are real time
                part.unlink()
    target = backup_to(conn, folder / f"{db_path.stem}-{now.strftime(_STAMP)}.bak.sqlite")
    daily.append(target)
    for old in daily[: max(0, len(daily) - max(1, keep))]:
        old.unlink(missing_ok=True)
    return target


# --- damage -----------------------------------------------------------------------------------


def quick_check(conn: sqlite3.Connection) -> list[str]:
    """What ``PRAGMA quick_check`` finds wrong (empty when the pages are sound)."""
    try:
        rows = [str(row[0]) for row in conn.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError as error:
        return [str(error)]
    return [] if rows == ["ok"] else rows


def damaged(path: Path | str) -> DatabaseError:
    """The refusal for a damaged database: it says how to get the data back."""
    folder = Path(path).parent / BACKUP_FOLDER
    return DatabaseError(
        f"{path} is beschadigd; er wordt niets in geschreven. Zet een reservekopie terug met "
        f"'hecht-tracker db restore BESTAND' (de dagelijkse kopieën staan in {folder}) "
        "en controleer met 'hecht-tracker db check'."
    )


def refuse_if_damaged(conn: sqlite3.Connection, path: Path | str) -> None:
    if quick_check(conn):
        raise damaged(path)


class Daily:
    """Once a day, before the first write: look for damage, then make the day's backup.

    The day is remembered in the database, written in the same transaction as that first
    write (so a refused write leaves the file byte for byte as it was and the next attempt
    checks again), and in memory (so later writes of a long-running program cost nothing).
    """

    def __init__(self) -> None:
        self.done: dt.date | None = None
        self.pending: dt.date | None = None

    def before_write(self, store: Store) -> None:
        """Before ``BEGIN``: refuse a damaged database; back it up if today has no backup."""
        if store.path is None or store.conn.in_transaction:
            return
        from zoneinfo import ZoneInfo

        now = store.clock().astimezone(ZoneInfo(TIMEZONE))  # backups are named in local time
        day = now.date()
        if self.done == day:
            return
        conn = store.conn
        try:
            if store.schema_version < schema.SCHEMA_VERSION:
                return  # being created or upgraded: the migration checks and backs up itself
            row = conn.execute("SELECT value FROM setting WHERE key = ?", (DAILY_MARK,)).fetchone()
        except sqlite3.DatabaseError:
            raise damaged(store.path) from None
        if row is not None and row[0] == json.dumps(day.isoformat()):
            self.done = day
            return
        refuse_if_damaged(conn, store.path)
        daily_backup(conn, store.path, now, store.settings().backups_keep)
        self.pending = day

    def before_commit(self, store: Store) -> None:
        """Inside the first write's transaction: remember that today is checked."""
        if self.pending is None:
            return
        store.conn.execute(
            "INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)",
            (DAILY_MARK, json.dumps(self.pending.isoformat())),
        )
        self.done, self.pending = self.pending, None


# --- opening files outside the store ----------------------------------------------------------


def connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    mode = "?mode=ro" if read_only else ""
    conn = sqlite3.connect(
        f"{path.resolve().as_uri()}{mode}",
        uri=True,
        isolation_level=None,
        timeout=BUSY_MILLISECONDS / 1000,
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_MILLISECONDS}")
    return conn


def _tracker_version(conn: sqlite3.Connection, path: Path) -> int:
    """The schema version of a tracker database this program can open; refuses anything else."""
    try:
        app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.DatabaseError:
        raise DatabaseError(f"{path} is geen hecht-tracker-database.") from None
    if app_id != schema.APPLICATION_ID or version < 1:
        raise DatabaseError(f"{path} is geen hecht-tracker-database.")
    if version > schema.SCHEMA_VERSION:
        raise DatabaseError(
            f"{path} is gemaakt door een nieuwere versie van hecht-tracker (schema {version}, "
            f"deze versie kent {schema.SCHEMA_VERSION}); werk het programma bij."
        )
    return version


@contextlib.contextmanager
def _workspace(db_path: Path) -> Iterator[Path]:
    """A private temporary folder beside the database (same disk, removed afterwards)."""
    import tempfile

    db_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".hecht-", dir=db_path.parent) as folder:
        yield Path(folder)


# --- replacing the content inside the file ----------------------------------------------------


def replace_contents(db_path: Path, source: Path, backup: Path) -> Path:
    """Make the database at ``db_path`` hold exactly what ``source`` holds, in place.

    One connection takes the write lock; while it holds it (nobody else can commit), a second
    connection copies the current content to ``backup`` (WAL lets it read); then the first
    drops every table and rebuilds it from ``source`` in the same transaction.
    """
    with (
        contextlib.closing(connect(db_path)) as conn,
        contextlib.closing(connect(db_path, read_only=True)) as reader,
    ):
        conn.execute("PRAGMA foreign_keys = OFF")  # the copy is checked as a whole below
        conn.execute("ATTACH DATABASE ? AS source", (f"{source.resolve().as_uri()}?mode=ro",))
        _begin(conn, db_path)
        try:
            backup_to(reader, backup)
            _copy_schema_and_rows(conn)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    files.make_private(*files.database_files(db_path))
    return backup


def _begin(conn: sqlite3.Connection, db_path: Path) -> None:
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        raise DatabaseError(f"{db_path} is bezet; probeer het zo opnieuw.") from None


def _copy_schema_and_rows(conn: sqlite3.Connection) -> None:
    old_tables = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    for name in old_tables:
        conn.execute(f'DROP TABLE main."{name}"')  # takes its indexes and triggers along
    objects = conn.execute(
        "SELECT type, name, sql FROM source.sqlite_master "
        "WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type <> 'table', rowid"
    ).fetchall()
    for kind, name, sql in objects:
        conn.execute(sql)  # an unqualified CREATE makes the object in main
        if kind == "table":
            conn.execute(f'INSERT INTO main."{name}" SELECT * FROM source."{name}"')
    for pragma in ("user_version", "application_id"):
        value = int(conn.execute(f"PRAGMA source.{pragma}").fetchone()[0])
        conn.execute(f"PRAGMA main.{pragma} = {value}")
    if conn.execute("PRAGMA main.foreign_key_check").fetchone() is not None:
        raise DatabaseError("De reservekopie verwijst naar records die er niet in staan.")


def restore(db_path: Path, source: Path, now: dt.datetime, *, upgrade: OpenDatabase) -> Path:
    """``db restore``: give the database exactly the content of ``source``; returns the backup
    of what it held before. A backup of an older schema is upgraded (``upgrade``) on the way in.
    """
    if not source.is_file():
        raise DatabaseError(f"Reservekopie {source} bestaat niet.")
    if db_path.exists() and source.resolve() == db_path.resolve():
        raise DatabaseError("Dat is de database zelf, geen reservekopie.")
    with contextlib.closing(connect(source, read_only=True)) as conn:
        version = _tracker_version(conn, source)
        if quick_check(conn):
            raise DatabaseError(f"De reservekopie {source} is zelf beschadigd; kies een andere.")
        with _workspace(db_path) as work:
            staged = backup_to(conn, work / "herstel.sqlite")
            conn.close()
            if version < schema.SCHEMA_VERSION:  # bring the copy up to date before it goes in
                upgrade(staged)
            return _put_in_place(db_path, staged, now)


def reinitialise(db_path: Path, *, now: dt.datetime, make_new: OpenDatabase) -> Path:
    """``init --force``: start again from a new (seeded) database, inside the same file.

    Returns the backup of what the file held. A file that is not a readable tracker database
    (damaged, or not a database at all) cannot be in use by the tracker: it is kept byte for
    byte as the backup and replaced by a new file. ``make_new`` creates the new database.
    """
    backup = default_backup_path(db_path, now)
    if not _readable_tracker_database(db_path):
        copy_bytes(db_path, backup)
        for leftover in files.database_files(db_path):
            leftover.unlink(missing_ok=True)
        make_new(db_path)
        return backup
    with _workspace(db_path) as work:
        fresh = work / "nieuw.sqlite"
        make_new(fresh)
        return replace_contents(db_path, fresh, backup)


def _readable_tracker_database(path: Path) -> bool:
    try:
        with contextlib.closing(connect(path, read_only=True)) as conn:
            _tracker_version(conn, path)
            return not quick_check(conn)
    except (DatabaseError, sqlite3.Error):
        return False


def _put_in_place(db_path: Path, staged: Path, now: dt.datetime) -> Path:
    backup = default_backup_path(db_path, now)
    if not db_path.exists() or db_path.stat().st_size == 0:
        files.create_private(db_path)
        with (
            contextlib.closing(connect(staged, read_only=True)) as source,
            contextlib.closing(connect(db_path)) as target,
        ):
            source.backup(target)
            target.execute("PRAGMA journal_mode = WAL")
        files.make_private(*files.database_files(db_path))
        copy_bytes(staged, backup)  # nothing was there: the "before" is the restored copy
        return backup
    if not _readable_tracker_database(db_path):
        # A damaged database cannot be rebuilt table by table; the backup API overwrites
        # every page inside the same file instead (writers are refused on it anyway).
        copy_bytes(db_path, backup)
        with (
            contextlib.closing(connect(staged, read_only=True)) as source,
            contextlib.closing(connect(db_path)) as target,
        ):
            source.backup(target)
        files.make_private(*files.database_files(db_path))
        return backup
    return replace_contents(db_path, staged, backup)
