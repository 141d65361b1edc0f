"""Table layout beside the rows the views build: which columns give way first on a narrow
screen, and the columns a table adds to a record kind's own."""

from __future__ import annotations

# Per entity, per column of views.COLUMNS (+ extras): 0 never gives way, higher goes first.
PRIORITIES: dict[str, tuple[int, ...]] = {
    "milestone": (0, 0, 2, 0, 0, 0, 1, 3),
    "action": (0, 2, 0, 1, 0, 0, 3),
    "benefit": (0, 0, 1, 0, 2),
    "goal": (0, 2, 0, 1, 0, 0),
    "journal": (0, 0, 1, 2, 0, 3),
}
EXTRA_COLUMNS: dict[str, tuple[str, ...]] = {"action": ("verzet",)}
