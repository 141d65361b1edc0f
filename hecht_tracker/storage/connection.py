"""Opening the database file, guarding it, migrating it, and the one transaction helper.

Every connection gets the same pragmas (WAL, a busy timeout, foreign keys). A file that is not
a tracker database, or one made by a newer program, is refused and left untouched. Writes run
in ``BEGIN IMMEDIATE`` transactions: the write lock is taken before the first read, so two
writers queue instead of failing half-way. Every ``sqlite3`` error that leaves this package is
turned into :class:`~hecht_tracker.core.errors.DatabaseError` with a Dutch sentence.
"""

from __future__ import annotations

import contextlib
import itertools
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from hecht_tracker.core.errors import DatabaseError
from hecht_tracker.storage import schema

# A writer waits this long for another to finish (SQLite polls, so it is not first come,
# first served: with several busy writers a wait of a few seconds happens).
BUSY_TIMEOUT_SECONDS = 30.0
# A reader is held up only by an exclusive lock (WAL lets it pass a writer); the feed would
# rather answer from what it read last than make a subscriber wait that long.
READ_TIMEOUT_SECONDS = 5.0


def dutch_error(error: sqlite3.Error, where: object = "De database") -> DatabaseError:
    """One Dutch sentence for an error SQLite raised."""
    text = str(error)
    if "locked" in text or "busy" in text:
        return DatabaseError(f"{where} is bezet ({text}); probeer het zo opnieuw.")
    if "readonly" in text or "read-only" in text:
        return DatabaseError(f"{where} is alleen-lezen geopend; er kan niets worden opgeslagen.")
    if "disk is full" in text or "database or disk is full" in text:
        return DatabaseError(f"De schijf is vol; {where} kan niets meer opslaan.")
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return DatabaseError(f"{where} is beschadigd ({text}); zet een reservekopie terug.")
    if isinstance(error, sqlite3.IntegrityError):
        return DatabaseError(f"{where} weigerde de wijziging ({text}); er is niets opgeslagen.")
    return DatabaseError(f"{where} gaf een fout: {text}.")


@contextlib.contextmanager
def sqlite_errors(where: object = "De database") -> Iterator[None]:
    """Turn any ``sqlite3`` error raised inside the block into a Dutch DatabaseError."""
    try:
        yield
    except sqlite3.Error as error:
        raise dutch_error(error, where) from error


def connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """A connection to ``path`` (read-only: the file must exist and is never written)."""
    # isolation_level=None: this module issues BEGIN/COMMIT itself, so Python's sqlite3 never
    # opens a transaction behind our back (and never commits one we did not ask for).
    try:
        if read_only:
            return sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro",
                uri=True,
                timeout=READ_TIMEOUT_SECONDS,
                check_same_thread=False,
                isolation_level=None,
            )
        return sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_SECONDS, check_same_thread=False, isolation_level=None
        )
    except sqlite3.OperationalError:
        raise DatabaseError(f"{path} kan niet worden geopend (bestaat de map?).") from None


def apply_pragmas(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA foreign_keys = ON")


# The page cache of a connection during a large write (an import), in KiB. SQLite's default
# of 2 MB is a few thousand rows' worth of pages: an import of 100,000 milestones then writes
# and reads back the same pages over and over (every link it adds updates its milestone's
# row). 16 MB costs that much memory for the write's duration only.
LARGE_WRITE_CACHE_KIB = 16 * 1024


@contextlib.contextmanager
def large_write_cache(conn: sqlite3.Connection) -> Iterator[None]:
    """A larger page cache for the block (open it outside the write's transaction: the cache
    is made small again only after the write has ended)."""
    before = int(conn.execute("PRAGMA cache_size").fetchone()[0])
    conn.execute(f"PRAGMA cache_size = -{LARGE_WRITE_CACHE_KIB}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {before}")


def check_readable(conn: sqlite3.Connection, where: object) -> int:
    """Return the schema version, refusing (and closing) foreign and newer files."""
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.OperationalError as error:
        conn.close()
        if "locked" in str(error) or "busy" in str(error):
            raise DatabaseError(f"{where} is bezet; probeer het zo opnieuw.") from None
        if "unable to open" in str(error):
            raise DatabaseError(f"{where} kan niet worden geopend (bestaat de map?).") from None
        raise DatabaseError(f"{where} is geen hecht-tracker-database.") from None
    except sqlite3.DatabaseError:
        conn.close()
        raise DatabaseError(f"{where} is geen hecht-tracker-database.") from None
    if app_id != schema.APPLICATION_ID and (tables or version):
        conn.close()
        raise DatabaseError(f"{where} is geen hecht-tracker-database.")
    if version > schema.SCHEMA_VERSION:
        conn.close()
        raise DatabaseError(
            f"{where} is gemaakt door een nieuwere versie van hecht-tracker "
            f"(schema {version}, deze versie kent {schema.SCHEMA_VERSION}); werk het programma bij."
        )
    return version


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


class Transactions:
    """The transaction helper of one connection, after sqlite-utils' ``Database.atomic``.

    The outermost block is ``BEGIN IMMEDIATE`` … ``COMMIT``; a nested block is a savepoint, so
    a failing inner step undoes only itself when the caller catches its error. Rollbacks
    happen only while a transaction is still open (an error may already have ended it), and a
    COMMIT that fails (a deferred foreign key, a full disk) is rolled back, never left open.
    ``on_begin`` runs after each outermost BEGIN, ``on_end`` after its COMMIT or ROLLBACK;
    ``before_begin`` before that BEGIN and ``before_commit`` as the last step inside.
    """

    def __init__(
        self,
        conn: sqlite3.Connection,
        where: object,
        *,
        on_begin: Callable[[], None] | None = None,
        on_end: Callable[[], None] | None = None,
        before_begin: Callable[[], None] | None = None,
        before_commit: Callable[[], None] | None = None,
    ) -> None:
        self.conn = conn
        self.before_begin = before_begin
        self.before_commit = before_commit
        self.where = where
        self.on_begin = on_begin
        self.on_end = on_end
        self._names = itertools.count(1)  # savepoint names, unique on this connection

    @contextlib.contextmanager
    def __call__(self) -> Iterator[None]:
        if self.conn.in_transaction:
            with self._savepoint():
                yield
            return
        if self.before_begin is not None:
            self.before_begin()
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise dutch_error(error, self.where) from None
        try:
            if self.on_begin is not None:
                self.on_begin()
            try:
                yield
                if self.before_commit is not None:
                    self.before_commit()
            except BaseException:
                self._rollback()
                raise
            try:
                self.conn.execute("COMMIT")
            except sqlite3.Error as error:
                self._rollback()
                raise dutch_error(error, self.where) from error
            except BaseException:
                self._rollback()
                raise
        except sqlite3.Error as error:
            raise dutch_error(error, self.where) from error
        finally:
            if self.on_end is not None:
                self.on_end()

    @contextlib.contextmanager
    def _savepoint(self) -> Iterator[None]:
        name = f"step_{next(self._names)}"
        self.conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            # An error such as RAISE(ROLLBACK) may have ended the whole transaction, savepoints
            # included; cleaning up then would hide the real error behind "no such savepoint".
            if self.conn.in_transaction:
                self.conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                self.conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        self.conn.execute(f"RELEASE SAVEPOINT {name}")

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")


def migrate(conn: sqlite3.Connection, target: int, after: Callable[[], None]) -> bool:
    """Run the missing migration steps up to ``target``; the caller holds a transaction.

    ``after`` runs once the schema is current (to fill what new columns derive from existing
    rows). Returns whether anything ran: another process may have migrated first.
    """
    version = schema_version(conn)  # read under the write lock
    if version >= target:
        return False
    for number in range(version, target):
        for statement in statements(schema.MIGRATIONS[number]):
            conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {target}")
    if target == schema.SCHEMA_VERSION:
        after()
    return True


def unused_path(path: Path) -> Path:
    """``path``, or ``name-2.ext``, ``name-3.ext`` … when it exists: a backup never overwrites one."""
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.name.removesuffix('.bak.sqlite')}-{number}.bak.sqlite")
    return candidate


def statements(script: str) -> list[str]:
    """Split a migration script into statements (triggers hold ';' inside BEGIN … END)."""
    found, current = [], ""
    for line in script.strip().splitlines():
        current += line + "\n"
        if sqlite3.complete_statement(current):
            found.append(current.strip())
            current = ""
    return found
