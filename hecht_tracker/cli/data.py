"""Database-wide commands: init, journal, settings, import, export."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
