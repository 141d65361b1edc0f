"""Reusable widgets of the terminal interface; each carries its own ``DEFAULT_CSS``."""

from __future__ import annotations

from hecht_tracker.tui.widgets.detail import DetailPanel
from hecht_tracker.tui.widgets.record_table import RecordTable
from hecht_tracker.tui.widgets.status_header import StatusHeader
from hecht_tracker.tui.widgets.timeline import TimelineStrip
from hecht_tracker.tui.widgets.warnings import WarningList

__all__ = ["DetailPanel", "RecordTable", "StatusHeader", "TimelineStrip", "WarningList"]
