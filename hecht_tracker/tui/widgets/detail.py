"""A bordered panel that shows the highlighted record's details, scrollable with the keys
once focused (tab) and beside the table on a wide screen."""

from __future__ import annotations

from textual.widgets import Static


class DetailPanel(Static, can_focus=True):
    """Details of one record; the screen sets its content, the panel only shows it."""

    DEFAULT_CSS = """
    DetailPanel {
        height: auto;
        max-height: 45%;
        min-height: 6;
        border: round $primary 60%;
        border-title-color: $text-primary;
        padding: 0 1;
        overflow-y: auto;
    }
    DetailPanel:focus {
        border: round $primary;
    }
    """

    BINDINGS = [  # noqa: RUF012 - Textual reads this class attribute
        ("up", "scroll_up", "omhoog"),
        ("down", "scroll_down", "omlaag"),
    ]
