"""A bordered panel that shows the highlighted record's details."""

from __future__ import annotations

from textual.widgets import Static


class DetailPanel(Static):
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
    """
