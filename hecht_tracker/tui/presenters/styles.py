"""Styles by meaning for the rich ``Text`` that presenters build in Python (table cells and the
details), with their colours taken from the running theme.

Markup read by Textual (``Content``) names theme variables directly (``[$text-warning]``); rich
``Text`` cannot, so it names one of these styles and the app puts their colours, read from
its current theme's variables, on its console each time the theme changes. Light and dark
then both get colours the theme made readable on its own background.
"""

from __future__ import annotations

from collections.abc import Mapping

GOOD = "hecht.good"  # on track, papers sent in time
WARN = "hecht.warn"  # at risk, postponed, a conflict to look at, papers still to send
BAD = "hecht.bad"  # too late: a meeting not updated, an overdue action, papers late
SEVERE = "hecht.severe"  # off track
NEXT = "hecht.next"  # the marker of the next board moment

# Style → (attributes, theme variable of its colour). The text-* variables are the tones a
# theme makes readable as text on its background.
_FROM_THEME: dict[str, tuple[str, str]] = {
    GOOD: ("", "text-success"),
    WARN: ("", "text-warning"),
    BAD: ("", "text-error"),
    SEVERE: ("bold ", "text-error"),
    NEXT: ("bold ", "text-accent"),
}


def from_theme(variables: Mapping[str, str]) -> dict[str, str]:
    """Each style with the colour ``variables`` (Textual's theme variables) give it; a
    variable the theme lacks leaves the style without colour rather than failing."""
    styles = {}
    for name, (attributes, variable) in _FROM_THEME.items():
        colour = variables.get(variable, "")
        usable = colour.startswith("#") and len(colour) == 7
        styles[name] = (attributes + (colour if usable else "")).strip() or "none"
    return styles
