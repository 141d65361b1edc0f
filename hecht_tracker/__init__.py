"""hecht-tracker: keeps Hecht's strategy Gezond Vooruit! on track."""

from __future__ import annotations

__version__ = "0.1.0"
