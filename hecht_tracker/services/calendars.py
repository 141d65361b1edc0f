"""The calendars of the database, from events made once and kept.

Serialising an event is most of the cost of a calendar, and an event only changes when the
milestone's public view or its publication stamps do, which the store already tracks (the
public hash behind SEQUENCE). So every event is kept in the database beside the *source* it was
made from: the public hash, SEQUENCE, the stamps, the first committed date, and a fingerprint
of the code that writes events. One query reads the index of all milestones with which of
their kept events are current; only events whose source no longer matches are made again, a
batch of milestones at a time (each with the ones in its routes), and written back batch by
batch. A file is the header, the VTIMEZONE and the events, read back from the database a batch
at a time as the file is written, so neither the milestones nor the events of a large database
are ever held whole; when nothing changed an export is a query and a stream of kept bytes.

Kept events are derived data: a write that cannot get the lock (another process is writing)
skips keeping them and the calendars are still right (the events made are then held in
memory). A reader that cannot write at all (the feed opens the database read-only) passes a
per-process ``memory`` for what it made itself. Because a source covers everything an event
shows, an event made from a newer state than its index row (a write landing between the two
reads) is only ever filed under the older source, which never comes back: a stale event is
never served. A kept event read back under another source than the index named (another
process made it anew meanwhile) makes the calendars be read again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import os
from collections.abc import Callable, Iterable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, TypeVar

from hecht_tracker.core.errors import DatabaseError
from hecht_tracker.render import ics

if TYPE_CHECKING:
    from hecht_tracker.core.model import Settings
    from hecht_tracker.storage.store import Store

# (milestone id, variant, source) → bytes, for a process that cannot keep events in the database.
EventMemory = MutableMapping[tuple[int, str, str], bytes]
_T = TypeVar("_T")

_ATTEMPTS = 3  # a milestone deleted or changed while the calendars are made: read again
# Milestones whose events are made at a time, and events read back from the database at a
# time: a large database is never held whole, neither its milestones nor its events.
BATCH = 2000
# Events made and kept now stay in memory up to this many bytes as well: a small database's
# files are then written without reading its events back, a large one's still in bounded memory.
_HELD_BYTES = 32 << 20


class _Stale(Exception):
    """A kept event changed after the index was read (another process wrote): read again."""


class _Events:
    """Where each event of the calendars is: held in this process (made now, or remembered),
    or kept in the database and read back a batch at a time as a file is written."""

    def __init__(
        self,
        store: Store,
        sources: dict[int, str],
        held: dict[ics.EventKey, bytes],
        same_as_intern: set[int],
        batch: int,
    ) -> None:
        self.store = store
        self.sources = sources
        self.held = held
        # Milestones whose board event is kept as a reference to their intern event.
        self.same_as_intern = same_as_intern
        self.batch = batch

    def _kept_key(self, key: ics.EventKey) -> ics.EventKey:
        if key[1] == ics.BOARD and key[0] in self.same_as_intern:
            return (key[0], ics.INTERN)
        return key

    def in_order(self, keys: Sequence[ics.EventKey]) -> Iterator[bytes]:
        """The bytes of the events ``keys``, in that order."""
        for start in range(0, len(keys), self.batch):
            chunk = keys[start : start + self.batch]
            wanted = {self._kept_key(key) for key in chunk if key not in self.held}
            found = self.store.calendar_event_contents(sorted(wanted)) if wanted else {}
            for key in chunk:
                content = self.held.get(key)
                if content is None:
                    source, content = found.get(self._kept_key(key), ("", b""))
                    if source != self.sources[key[0]] or not content:
                        raise _Stale
                yield content


@dataclass(frozen=True)
class _Calendars:
    """What the calendar files are put together from: their plans and the events."""

    plans: list[ics.CalendarPlan]
    settings: Settings
    events: _Events
    modified: dt.datetime
    state: str  # a digest of everything the files are made from (see _state)

    def parts(self, plan: ics.CalendarPlan) -> Iterator[bytes]:
        """The file of ``plan`` in pieces, to write it without holding it whole."""
        return ics.file_parts(plan, self.settings, self.events.in_order(plan.events))

    def file(self, plan: ics.CalendarPlan) -> ics.CalendarFile:
        # Written into a buffer part by part: b"".join would first hold every part at once.
        buffer = io.BytesIO()
        for part in self.parts(plan):
            buffer.write(part)
        content = buffer.getvalue()
        return ics.CalendarFile(plan.name, plan.title, plan.description, content, self.modified)


def calendar_files(
    store: Store, *, keep: bool = True, memory: EventMemory | None = None, batch: int = BATCH
) -> list[ics.CalendarFile]:
    """Every calendar (``alle``, one per body, ``intern``), reusing kept events.

    ``keep``: write the events made now back to the database. ``memory``: reuse and remember
    events in this mapping too (it is pruned to the current ones). ``batch``: how many
    milestones are made, and events read back, at a time.
    """
    return _with_calendars(
        store, keep, memory, batch, lambda found: [found.file(plan) for plan in found.plans]
    )


def calendar_names(store: Store) -> list[str]:
    """The file names of every calendar, in calendar order, from the index alone: no event
    is made or read."""
    entries, _, _ = store.calendar_events(ics.renderer_fingerprint())
    return [plan.name for plan in ics.plan_calendars(entries, store.settings())]


def _with_calendars(
    store: Store,
    keep: bool,
    memory: EventMemory | None,
    batch: int,
    use: Callable[[_Calendars], _T],
) -> _T:
    """``use`` the calendars, read again when the database changed under them."""
    for _ in range(_ATTEMPTS):
        found = _read_or_make(store, keep, memory, batch)
        if found is None:
            continue
        try:
            return use(found)
        except _Stale:
            continue
    raise DatabaseError(
        "De database verandert te snel om de agenda's te maken; probeer het zo opnieuw."
    )


def _read_or_make(
    store: Store,
    keep: bool,
    memory: EventMemory | None,
    batch: int,
    damaged: frozenset[int] = frozenset(),
) -> _Calendars | None:
    entries, kept, index = store.calendar_events(ics.renderer_fingerprint())
    # A damaged milestone (reported when read) is left out; the rest still goes out.
    entries = [entry for entry in entries if entry.id not in damaged]
    settings = store.settings()
    plans = ics.plan_calendars(entries, settings)
    # A board event kept empty reads exactly as the milestone's intern event (no internal step
    # in its route): it is that one, if that one is current too.
    same_as_intern = set()
    for key in [key for key, length in kept.items() if not length]:
        if kept.get((key[0], ics.INTERN)):
            same_as_intern.add(key[0])
        else:
            del kept[key]
    sources = {entry.id: entry.source for entry in entries}
    # What this process holds: events the database lacks, and some of those it just kept.
    held: dict[ics.EventKey, bytes] = {}
    lacking: set[ics.EventKey] = set()  # held, and not in the database
    room = _HELD_BYTES
    missing: dict[int, list[str]] = {}
    for plan in plans:
        for key in plan.events:
            if key in kept or key in held:
                continue
            content = None if memory is None else memory.get((*key, sources[key[0]]))
            if content is not None:
                held[key] = content
                lacking.add(key)
            elif key[1] not in missing.setdefault(key[0], []):
                missing[key[0]].append(key[1])
    goals = store.goals() if missing else []
    changed = sorted(missing)
    for start in range(0, len(changed), batch):
        ids = changed[start : start + batch]
        # The milestones and those in their routes (a route names its neighbours).
        milestones = store.milestones_around(ids)
        present = {m.id for m in milestones}
        absent = {milestone_id for milestone_id in ids if milestone_id not in present}
        if absent:
            unreadable = _damaged(store, absent)
            if unreadable and len(damaged) < len(entries) + len(damaged):
                return _read_or_make(store, keep, memory, batch, damaged | unreadable)
            return None
        wanted = [
            (milestone_id, variant) for milestone_id in ids for variant in missing[milestone_id]
        ]
        made = ics.render_events(wanted, milestones, goals, settings)
        del milestones
        if keep:
            keep = _keep(store, made, sources, same_as_intern)
        if not keep:  # not written to the database (read-only, or busy): held here instead
            held.update(made)
            lacking.update(made)
        elif room > 0:
            held.update(made)
            room -= sum(map(len, made.values()))
    if memory is not None:
        memory.clear()
        memory.update({(*key, sources[key[0]]): held[key] for key in lacking})
    changes = store.journal(entity="setting")
    modified = ics.last_modified(entries, changes[-1].at if changes else None)
    events = _Events(store, sources, held, same_as_intern, batch)
    return _Calendars(plans, settings, events, modified, _state(index, settings))


def _damaged(store: Store, ids: set[int]) -> frozenset[int]:
    """Those of ``ids`` that exist but cannot be read whole (not deleted in between)."""
    from hecht_tracker.core.errors import DamagedRecordError, TrackerError

    found = set()
    for milestone_id in ids:
        try:
            store.milestone(milestone_id)
        except DamagedRecordError:
            found.add(milestone_id)
        except TrackerError:  # gone since the index was read: read again
            continue
    return frozenset(found)


def _keep(
    store: Store,
    made: dict[ics.EventKey, bytes],
    sources: dict[int, str],
    same_as_intern: set[int],
) -> bool:
    """Write the events ``made`` to the database; False when it cannot be written now."""
    rows = []
    same = set()
    for (milestone_id, variant), content in made.items():
        if variant == ics.BOARD and made.get((milestone_id, ics.INTERN)) == content:
            content = b""  # the same bytes as its intern event: not kept twice
            same.add(milestone_id)
        rows.append((milestone_id, variant, sources[milestone_id], content))
    try:
        store.keep_calendar_events(rows)
    except DatabaseError as error:  # busy: the calendars are right, only not kept this time
        import logging  # only here: an export that keeps its events never needs it

        logging.getLogger(__name__).info("Agenda-items niet bewaard: %s", error)
        return False
    same_as_intern |= same
    return True


def build_calendars(store: Store) -> dict[str, bytes]:
    """File name (``alle.ics``, ``ab.ics``, ``db.ics``, …, ``intern.ics``) → ICS bytes."""
    return {f.name: f.content for f in calendar_files(store)}


def export_calendars(store: Store, out_dir: Path, *, batch: int = BATCH) -> list[Path]:
    """Write every calendar into ``out_dir`` and return the paths, in calendar order.

    Each file is replaced atomically (temporary file + rename), so a web server publishing the
    folder never serves half a calendar. A file whose bytes did not change is left untouched,
    keeping its modification time for the web server's Last-Modified. Files of bodies that no
    longer have public milestones are not removed. A file is written as it is put together,
    never held whole, and so are the events: ``batch`` milestones are made at a time.

    The files written are noted with the state of the database they were made from (a digest
    of the calendar index, the settings and the code) and their size and modification time.
    When the state is the same and no file was touched since, nothing changed: one query over
    the index tells, and neither the kept events nor the files are read.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    folder = str(out_dir.resolve())
    noted = store.calendar_files_written(folder)
    if noted:
        state = _state(store.calendar_index_digest(ics.renderer_fingerprint()), store.settings())
        if all(
            note[0] == state and _untouched(out_dir / name, note) for name, note in noted.items()
        ):
            return [out_dir / name for name in sorted(noted, key=_calendar_order)]

    def write(calendars: _Calendars) -> list[tuple[str, str, int, int]]:
        notes = []
        for plan in calendars.plans:
            path = out_dir / plan.name
            _write_if_changed(path, calendars.parts(plan))
            stat = path.stat()
            notes.append((plan.name, calendars.state, stat.st_size, stat.st_mtime_ns))
        return notes

    notes = _with_calendars(store, True, None, batch, write)
    # Busy or read-only: not noted, so the next export reads the events again.
    with contextlib.suppress(DatabaseError):
        store.note_calendar_files(folder, notes)
    return [out_dir / name for name, *_ in notes]


def _state(index_digest: str, settings: Settings) -> str:
    """Everything the calendar files are made from: the index (each milestone's place and the
    source of its events), the organisation (in the calendar names), the time zone and the
    code."""
    from hecht_tracker.core.dates import TIMEZONE

    digest = hashlib.sha256(ics.vtimezone_ics(TIMEZONE))
    digest.update(f"{index_digest}|{ics.renderer_fingerprint()}|{settings.organisation}".encode())
    return digest.hexdigest()


def _untouched(path: Path, note: tuple[str, int, int]) -> bool:
    """Whether ``path`` still has the size and modification time noted when it was written."""
    try:
        stat = path.stat()
    except OSError:
        return False
    return (stat.st_size, stat.st_mtime_ns) == (note[1], note[2])


def _calendar_order(name: str) -> tuple[bool, bool, str]:
    """``alle.ics`` first, ``intern.ics`` last, the bodies' calendars by name between."""
    return (name != f"{ics.ALL_NAME}.ics", name == f"{ics.INTERNAL_NAME}.ics", name)


_CHUNK = 1 << 20


def _write_if_changed(path: Path, parts: Iterable[bytes]) -> None:
    """Write the file ``parts`` make up to ``path`` atomically, unless it already holds
    exactly those bytes.

    The file there is compared as the parts come; only from the first difference is a
    temporary file written, starting with the bytes of the old file that were the same, and
    renamed over ``path`` at the end (so a web server never serves half a calendar).
    """
    try:
        old: IO[bytes] | None = path.open("rb")
    except OSError:
        old = None
    same = 0  # bytes so far that the old file holds too
    new: _TemporaryFile | None = None
    try:
        for part in parts:
            if new is None:
                if old is not None and old.read(len(part)) == part:
                    same += len(part)
                    continue
                new = _TemporaryFile(path, old, same)
            new.write(part)
        if new is None:
            if old is not None and not old.read(1):
                return  # the same bytes: the file keeps its modification time
            new = _TemporaryFile(path, old, same)
        new.replace()
    except BaseException:
        if new is not None:
            new.discard()
        raise
    finally:
        if old is not None:
            old.close()


class _TemporaryFile:
    """A file written beside ``path`` that replaces it when it is whole, beginning with the
    first ``same`` bytes of ``old`` (what the new file shares with the old one)."""

    def __init__(self, path: Path, old: IO[bytes] | None, same: int) -> None:
        import tempfile  # only when a file changed

        self.path = path
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        self.name = Path(name)
        self.file = os.fdopen(handle, "wb", buffering=_CHUNK)
        try:
            if same and old is not None:
                old.seek(0)
                while same:
                    chunk = old.read(min(same, _CHUNK))
                    if not chunk:
                        raise OSError(f"{path} is korter geworden tijdens het schrijven")
                    self.file.write(chunk)
                    same -= len(chunk)
        except BaseException:
            self.discard()
            raise

    def write(self, part: bytes) -> None:
        self.file.write(part)

    def replace(self) -> None:
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.name, 0o666 & ~umask)  # readable by a web server, like a normal file
        os.replace(self.name, self.path)

    def discard(self) -> None:
        self.file.close()
        self.name.unlink(missing_ok=True)
