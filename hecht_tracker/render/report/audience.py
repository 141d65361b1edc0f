"""Who a report is for, and what that reader may see.

A report for the board (``bestuur``, the default) is made from values that hold nothing
internal: internal milestones are gone, working notes and health reasons are blank, and journal
rows about either never reach the builder. Filtering the inputs rather than each renderer means
no format can leak what another one hides. The directie version keeps everything, and marks an
internal milestone "(intern)" in its title, so every format shows the mark.

The board's view is made from the public milestones alone: a link to a milestone it does not
hold (an internal one) is dropped, so a reader may leave the internal milestones unread, and
the fields of :data:`BOARD_BLANK` too, which is how the weekly report reads for the board.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from hecht_tracker.core.model import Action, Goal, JournalEntry, Milestone, Visibility
from hecht_tracker.core.status import INTERNAL_FIELDS as CORE_INTERNAL_FIELDS

if TYPE_CHECKING:
    from hecht_tracker.core.snapshot import Snapshot

Audience = Literal["bestuur", "directie"]
AUDIENCES: tuple[Audience, ...] = ("bestuur", "directie")
INTERN = " (intern)"
# The core's working-note fields, and descriptions: they hold the office's own context too.
INTERNAL_FIELDS = CORE_INTERNAL_FIELDS | {"description", "visibility"}
# The text fields, per record kind, that the board's version shows empty (as ``view`` blanks
# them): a reader may leave them unread, and the view blanks them all the same.
BOARD_BLANK: Mapping[str, frozenset[str]] = {
    "milestone": frozenset({"notes", "health_reason", "description"}),
    "action": frozenset({"description"}),
}


@dataclass(frozen=True)
class View:
    """The records a report is built from, as one audience may see them."""

    milestones: tuple[Milestone, ...]
    goals: tuple[Goal, ...]
    actions: tuple[Action, ...]
    journal: tuple[JournalEntry, ...]


def view(
    audience: Audience,
    milestones: Sequence[Milestone],
    goals: Sequence[Goal],
    actions: Sequence[Action],
    journal: Sequence[JournalEntry],
) -> View:
    """The records for ``audience``: see the module docstring for what each may see."""
    if audience == "directie":
        return View(
            tuple(
                replace(m, title=m.title + INTERN) if m.visibility == Visibility.INTERNAL else m
                for m in milestones
            ),
            tuple(goals),
            tuple(actions),
            tuple(journal),
        )
    public = [m for m in milestones if m.visibility != Visibility.INTERNAL]
    shown = {m.id for m in public}
    return View(
        tuple(_public_milestone(m, shown) for m in public),
        tuple(replace(g, health_reason="") if g.health_reason else g for g in goals),
        tuple(_public_action(a, shown) for a in actions),
        tuple(e for e in journal if board_may_read(e, shown)),
    )


# A record with nothing to hide is kept as it is: a large database mostly holds those, and a
# copy of each would cost the report a good part of its time.
def _public_milestone(m: Milestone, shown: set[int]) -> Milestone:
    """``m`` without its notes, health reason, description and links to milestones not
    ``shown``."""
    hidden_links = any(d not in shown for d in m.depends_on)
    if not (m.notes or m.health_reason or m.description or hidden_links):
        return m
    return replace(
        m,
        notes="",
        health_reason="",
        description="",
        depends_on=tuple(d for d in m.depends_on if d in shown),
    )


def _public_action(a: Action, shown: set[int]) -> Action:
    """``a`` without its description and its link to a milestone not ``shown``."""
    hidden_link = a.milestone_id is not None and a.milestone_id not in shown
    if not a.description and not hidden_link:
        return a
    return replace(a, description="", milestone_id=None if hidden_link else a.milestone_id)


def board_may_read(entry: JournalEntry, shown_milestones: set[int]) -> bool:
    """Whether a journal row may reach the board: not about an internal note, nor about a
    milestone it is not shown (an internal one)."""
    if entry.field in INTERNAL_FIELDS:
        return False
    if entry.entity == "milestone" and entry.entity_id not in shown_milestones:
        return False
    return entry.entity != "database"  # the tracker's own rows ("database gevuld")


def for_audience(snapshot: Snapshot, audience: Audience) -> Snapshot:
    """``snapshot`` as ``audience`` may see it (see :func:`view`)."""
    seen = view(audience, snapshot.milestones, snapshot.goals, snapshot.actions, snapshot.journal)
    kept = {m.id for m in seen.milestones}
    return replace(
        snapshot,
        milestones=seen.milestones,
        goals=seen.goals,
        actions=seen.actions,
        journal=seen.journal,
        date_moves={k: v for k, v in snapshot.date_moves.items() if k in kept},
    )
