"""The calendars of the database, from events made once and kept.

Serialising an event is most of the cost of a calendar, and an event only changes when the
milestone's public view or its publication stamps do, which the store already tracks (the
public hash behind SEQUENCE). So every event is kept in the database beside the *source* it was
made from: the public hash, SEQUENCE, the stamps, the first committed date, and a fingerprint
of the code that writes events. One query reads the index of all milestones with their kept
events; only events whose source no longer matches are made again (from those milestones and
the ones in their routes, or from all when many changed) and written back in one transaction.
A file is the header, the VTIMEZONE and the events joined, so when nothing changed an export
is a query and a join.

Kept events are derived data: a write that cannot get the lock (another process is writing)
skips keeping them and the calendars are still right. A reader that cannot write at all (the
feed opens the database read-only) passes a per-process ``memory`` for what it made itself.
Because a source covers everything an event shows, an event made from a newer state than its
index row (a write landing between the two reads) is only ever filed under the older source,
which never comes back: a stale event is never served.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
from collections.abc import MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hecht_tracker.core.errors import DatabaseError
from hecht_tracker.render import ics

if TYPE_CHECKING:
    from hecht_tracker.core.model import Settings
    from hecht_tracker.storage.store import Store

# (milestone id, variant, source) → bytes, for a process that cannot keep events in the database.
EventMemory = MutableMapping[tuple[int, str, str], bytes]

_ATTEMPTS = 3  # a milestone deleted between the two reads: read again
_FEW = 10  # under a tenth of the milestones changed: load only those and their routes


@dataclass(frozen=True)
class _Calendars:
    """What the calendar files are put together from: their plans and the events."""

    plans: list[ics.CalendarPlan]
    settings: Settings
    events: dict[ics.EventKey, bytes]
    modified: dt.datetime
    state: str  # a digest of everything the files are made from (see _state)

    def file(self, plan: ics.CalendarPlan) -> ics.CalendarFile:
        content = ics.assemble(plan, self.settings, self.events)
        return ics.CalendarFile(plan.name, plan.title, plan.description, content, self.modified)


def calendar_files(
    store: Store, *, keep: bool = True, memory: EventMemory | None = None
) -> list[ics.CalendarFile]:
    """Every calendar (``alle``, one per body, ``intern``), reusing kept events.

    ``keep``: write the events made now back to the database. ``memory``: reuse and remember
    events in this mapping too (it is pruned to the current ones).
    """
    calendars = _calendars(store, keep, memory)
    return [calendars.file(plan) for plan in calendars.plans]


def _calendars(store: Store, keep: bool, memory: EventMemory | None) -> _Calendars:
    for _ in range(_ATTEMPTS):
        found = _read_or_make(store, keep, memory)
        if found is not None:
            return found
    raise DatabaseError(
        "De database verandert te snel om de agenda's te maken; probeer het zo opnieuw."
    )


def _read_or_make(
    store: Store, keep: bool, memory: EventMemory | None, damaged: frozenset[int] = frozenset()
) -> _Calendars | None:
    entries, events, index = store.calendar_events(ics.renderer_fingerprint())
    # A damaged milestone (reported when read) is left out; the rest still goes out.
    entries = [entry for entry in entries if entry.id not in damaged]
    settings = store.settings()
    plans = ics.plan_calendars(entries, settings)
    # A board event kept empty reads exactly as the milestone's intern event (no internal step
    # in its route): it is that one, if that one is current too.
    for key in [key for key, content in events.items() if not content]:
        same = events.get((key[0], ics.INTERN))
        if same:
            events[key] = same
        else:
            del events[key]
    missing = {key for plan in plans for key in plan.events if key not in events}
    sources = {entry.id: entry.source for entry in entries}
    # What this process holds beyond the database: only events the database lacks.
    remembered: dict[tuple[int, str, str], bytes] = {}
    if memory is not None:
        for key in list(missing):
            content = memory.get((key[0], key[1], sources[key[0]]))
            if content is not None:
                events[key] = remembered[key[0], key[1], sources[key[0]]] = content
                missing.discard(key)
    if missing:
        changed = {milestone_id for milestone_id, _ in missing}
        # A few changed milestones: load them and their route only; many: load everything.
        if len(changed) * _FEW < len(entries):
            milestones = store.milestones_around(changed)
        else:
            milestones = store.milestones()
        present = {m.id for m in milestones}
        absent = {milestone_id for milestone_id, _ in missing if milestone_id not in present}
        if absent:
            unreadable = _damaged(store, absent)
            if unreadable and len(damaged) < len(entries) + len(damaged):
                return _read_or_make(store, keep, memory, damaged | unreadable)
            return None
        made = ics.render_events(sorted(missing), milestones, store.goals(), settings)
        events.update(made)
        if keep:
            _keep(store, made, events, sources)
        for (milestone_id, variant), content in made.items():
            remembered[milestone_id, variant, sources[milestone_id]] = content
    if memory is not None:
        memory.clear()
        memory.update(remembered)
    changes = store.journal(entity="setting")
    modified = ics.last_modified(entries, changes[-1].at if changes else None)
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
    events: dict[ics.EventKey, bytes],
    sources: dict[int, str],
) -> None:
    rows = []
    for (milestone_id, variant), content in made.items():
        if variant == ics.BOARD and events.get((milestone_id, ics.INTERN)) == content:
            content = b""  # the same bytes as its intern event: not kept twice
        rows.append((milestone_id, variant, sources[milestone_id], content))
    try:
        store.keep_calendar_events(rows)
    except DatabaseError as error:  # busy: the calendars are right, only not kept this time
        import logging  # only here: an export that keeps its events never needs it

        logging.getLogger(__name__).info("Agenda-items niet bewaard: %s", error)


def build_calendars(store: Store) -> dict[str, bytes]:
    """File name (``alle.ics``, ``ab.ics``, ``db.ics``, …, ``intern.ics``) → ICS bytes."""
    return {f.name: f.content for f in calendar_files(store)}


def export_calendars(store: Store, out_dir: Path) -> list[Path]:
    """Write every calendar into ``out_dir`` and return the paths, in calendar order.

    Each file is replaced atomically (temporary file + rename), so a web server publishing the
    folder never serves half a calendar. A file whose bytes did not change is left untouched,
    keeping its modification time for the web server's Last-Modified. Files of bodies that no
    longer have public milestones are not removed. One file is held in memory at a time.

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
    calendars = _calendars(store, keep=True, memory=None)
    written = []
    notes = []
    for plan in calendars.plans:
        path = out_dir / plan.name
        content = ics.assemble(plan, calendars.settings, calendars.events)
        if not _same_bytes(path, content):
            _write_atomically(path, content)
        stat = path.stat()
        notes.append((plan.name, calendars.state, stat.st_size, stat.st_mtime_ns))
        written.append(path)
    # Busy or read-only: not noted, so the next export reads the events again.
    with contextlib.suppress(DatabaseError):
        store.note_calendar_files(folder, notes)
    return written


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


def _same_bytes(path: Path, content: bytes) -> bool:
    """Whether the file holds exactly ``content`` (read in chunks, not whole)."""
    try:
        if path.stat().st_size != len(content):  # most changed files differ in length
            return False
        view = memoryview(content)
        with path.open("rb") as file:
            for start in range(0, len(content), _CHUNK):
                if file.read(_CHUNK) != view[start : start + _CHUNK]:
                    return False
        return True
    except OSError:
        return False


def _write_atomically(path: Path, content: bytes) -> None:
    """Write to a temporary file in the same folder, then rename it over ``path``."""
    import tempfile  # only when a file changed

    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # readable by a web server, like a normal file
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
