"""The line at the top: today, the ISO week and the next board moment with days to go."""

from __future__ import annotations

from textual.widgets import Static


class StatusHeader(Static):
    """One or two lines of headline; the screen writes them."""

    DEFAULT_CSS = """
    StatusHeader {
        height: auto;
        background: $panel;
        color: $text;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    StatusHeader.-compact {
        height: 1;
    }
    """
