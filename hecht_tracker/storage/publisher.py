"""What calendar subscribers last saw: SEQUENCE, LAST-MODIFIED and the public hash per milestone.

After every write the public view (:func:`hecht_tracker.core.publication.public_view`) of each
milestone the write may have changed is hashed again; when the hash differs from the stored one
the milestone's SEQUENCE rises by one and LAST-MODIFIED becomes now. The first hash of a new
milestone leaves SEQUENCE at 0.

The work is incremental. A milestone's view holds its own public fields, the brief (uid, body,
title, date) of the milestones it depends on and of its followers, the titles of its goals and
some settings. So a write to milestone X re-hashes X and its dependencies and followers, both
before and after the write (:meth:`Publisher.touch` is called before, :meth:`Publisher.flush`
looks again after); a changed goal re-hashes its milestones; a changed setting re-hashes all.
:func:`republish_all` is the from-scratch recompute, used by migrations and seeding (and by
tests, to prove the incremental path agrees with it).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping

from hecht_tracker.core import limits, publication, rules
from hecht_tracker.core.errors import ValidationError
from hecht_tracker.core.model import Goal, Kind, Milestone, Settings, Visibility
from hecht_tracker.storage.repository import Repository


class Publisher:
    """Collects the milestones a write touches and re-publishes them when it is done."""

    def __init__(self, repo: Repository, settings: Callable[[], Settings]) -> None:
        self.repo = repo
        self.settings = settings
        self.touched: set[int] = set()
        self.everything = False
        # The milestones the write itself changes, and what the default documents-due date of
        # each was made from before it: only those whose date, body or kind then changed (or
        # that are new) need the holiday calendar; a neighbour's default cannot have moved.
        self.written: set[int] = set()
        self.before: dict[int, DefaultInputs] = {}

    def reset(self) -> None:
        self.touched = set()
        self.everything = False
        self.written = set()
        self.before = {}

    def touch(
        self, ids: Iterable[int], *, inserted: bool = False, defaults_made: bool = False
    ) -> None:
        """Call before writing milestones ``ids``: they and their current neighbours count.

        Milestones just ``inserted`` are touched after their insert: nothing of them is
        remembered as "before", so their default documents-due date is made, unless they were
        inserted with it (``defaults_made``, as an import does with :func:`due_default`).
        """
        if self.everything:
            return
        ids = set(ids)
        if ids:
            if not inserted:
                self.before.update(_default_inputs(self.repo, ids - self.written))
            if not defaults_made:
                self.written |= ids
            self.touched |= ids | self.repo.neighbours(ids)

    def touch_goal(self, goal_id: int) -> None:
        self.touch(self.repo.milestones_of_goal(goal_id))

    def touch_all(self) -> None:
        self.everything = True

    def flush(self) -> None:
        """Re-publish what the write touched (with the neighbours it has now)."""
        if self.everything:
            republish_all(self.repo, self.settings())
        elif self.touched:
            ids = self.touched | self.repo.neighbours(self.touched)
            publish(self.repo, self.settings(), ids, moved=self._moved_defaults())
        self.reset()

    def _moved_defaults(self) -> set[int]:
        """Milestones written whose date, body or kind is not what it was (or that are new)."""
        now = _default_inputs(self.repo, self.written)
        return {i for i in self.written if self.before.get(i) != now.get(i)}


def republish_all(repo: Repository, settings: Settings) -> None:
    """Re-publish every milestone from scratch."""
    publish(repo, settings, None)


# Milestones re-published together: the views of this many (with their neighbours) are read,
# hashed and written at a time, so publishing a 100,000-row import holds a few thousand
# milestones in memory, not all of them. A milestone's view reads only other milestones'
# briefs, which publishing never changes, so the order of the chunks does not matter.
PUBLISH_CHUNK = 2000


def publish(
    repo: Repository,
    settings: Settings,
    ids: set[int] | None,
    *,
    moved: set[int] | None = None,
) -> None:
    """Refresh derived columns and SEQUENCE of milestones ``ids`` (None: all of them).

    The default documents-due dates are made again for the milestones in ``moved`` (None:
    for all of ``ids``); the others keep theirs.
    """
    _refresh_documents_due_defaults(repo, settings, ids if moved is None else moved)
    if ids is None:
        around = {m.id: m for m in repo.milestones()}
        targets = list(around.values())
        followed: dict[int, list[int]] = {}
        for milestone in targets:
            for dep_id in milestone.depends_on:
                followed.setdefault(dep_id, []).append(milestone.id)
        goals = {g.id: g for g in repo.goals()}
        _publish_targets(repo, settings, targets, around, followed, goals, every=True)
        return
    ordered = sorted(ids)
    for start in range(0, len(ordered), PUBLISH_CHUNK):
        chunk = ordered[start : start + PUBLISH_CHUNK]
        followed = repo.followers(chunk)
        wanted = set(chunk) | {f for found in followed.values() for f in found}
        around = repo.milestones_by_ids(wanted)
        targets = [around[i] for i in chunk if i in around]
        # The briefs of what the targets depend on are in their views too.
        missing = {d for m in targets for d in m.depends_on if d not in around}
        if missing:
            around.update(repo.milestones_by_ids(missing))
        goals = repo.goals_by_ids({g for m in targets for g in m.goal_ids})
        _publish_targets(repo, settings, targets, around, followed, goals, every=False)


def _publish_targets(
    repo: Repository,
    settings: Settings,
    targets: list[Milestone],
    around: Mapping[int, Milestone],
    followed: Mapping[int, list[int]],
    goals: Mapping[int, Goal],
    *,
    every: bool,
) -> None:
    """Hash the views of ``targets`` and write what changed (``every``: all milestones)."""
    if not targets:
        return
    stored = _stored_hashes(repo, None if every else [m.id for m in targets])
    now = repo.now()
    changes: list[tuple[object, ...]] = []
    bodies_text: dict[tuple[str, ...], str] = {}  # few distinct lists: each written once
    for milestone in targets:
        bodies = milestone.published_bodies
        if milestone.visibility == Visibility.PUBLIC and milestone.body not in bodies:
            bodies = (*bodies, milestone.body)
        papers = milestone.papers_published or milestone.documents_due is not None
        followers = sorted(
            (around[f] for f in followed.get(milestone.id, ()) if f in around),
            key=_date_order,
        )
        view = publication.public_view(milestone, around, goals, settings, followed_by=followers)
        digest = publication.public_hash(view)
        previous = stored.get(milestone.id, "")
        if (
            digest == previous
            and bodies == milestone.published_bodies
            and papers == milestone.papers_published
        ):
            continue
        shown = bodies_text.get(bodies)
        if shown is None:
            shown = bodies_text[bodies] = json.dumps(list(bodies))
        # The first publication leaves SEQUENCE at 0; every later change raises it.
        rises = int(bool(previous) and digest != previous)
        changes.append((shown, int(papers), digest, rises, now, milestone.id))
    # One statement per changed milestone, however many of its columns change.
    repo.conn.executemany(
        "UPDATE milestone SET published_bodies = ?1, papers_published = ?2, "
        "public_hash = ?3, sequence = sequence + ?4, "
        "published = iif(?4, ?5, published) WHERE id = ?6",
        changes,
    )


def _date_order(milestone: Milestone) -> tuple[object, int]:
    return (milestone.date, milestone.id)


def _stored_hashes(repo: Repository, ids: list[int] | None) -> dict[int, str]:
    if ids is None:
        return dict(repo.conn.execute("SELECT id, public_hash FROM milestone"))
    return dict(
        repo.conn.execute(
            "SELECT id, public_hash FROM milestone WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(ids),),
        )
    )


DefaultInputs = tuple[str, str, str]  # date, body, kind: what a default documents-due uses


def _default_inputs(repo: Repository, ids: Iterable[int]) -> dict[int, DefaultInputs]:
    rows = repo.conn.execute(
        "SELECT id, date, body, kind FROM milestone WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(ids)),),
    )
    return {record_id: (date, body, kind) for record_id, date, body, kind in rows}


def _refresh_documents_due_defaults(
    repo: Repository,
    settings: Settings,
    ids: set[int] | None,
) -> None:
    """Recompute each meeting's default documents-due date (date, body or settings moved)."""
    sql = "SELECT id, date, body, kind, documents_due_default FROM milestone"
    if ids is None:
        _refresh_defaults_of(repo, settings, repo.conn.execute(sql).fetchall())
        return
    ordered = sorted(ids)
    sql += " WHERE id IN (SELECT value FROM json_each(?))"
    for start in range(0, len(ordered), PUBLISH_CHUNK):
        chunk = json.dumps(ordered[start : start + PUBLISH_CHUNK])
        _refresh_defaults_of(repo, settings, repo.conn.execute(sql, (chunk,)).fetchall())


def _refresh_defaults_of(
    repo: Repository, settings: Settings, rows: list[tuple[int, str, str, str, str | None]]
) -> None:
    changed = []
    for record_id, date, body, kind, stored in rows:
        try:
            text = due_default(
                limits.check_date(dt.date.fromisoformat(date)), body, Kind(kind), settings
            )
        except (ValueError, TypeError, ValidationError):
            continue  # a damaged row: reported when it is read, never a reason to fail a write
        if text != stored:
            changed.append((text, record_id))
    repo.conn.executemany("UPDATE milestone SET documents_due_default = ? WHERE id = ?", changed)


def due_default(date: dt.date, body: str, kind: Kind, settings: Settings) -> str | None:
    """What a milestone's ``documents_due_default`` column holds: its default documents-due
    date (:func:`hecht_tracker.core.rules.documents_due_for`) as ISO text, or None."""
    default = rules.documents_due_for(date, body, kind, settings)
    return None if default is None else default.isoformat()
