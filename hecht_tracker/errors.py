"""Errors the tracker raises, each carrying one Dutch sentence for the person at the keyboard."""

from __future__ import annotations


class TrackerError(Exception):
    """Something went wrong; the message is Dutch and ready to show as it is."""

    exit_code = 1


class ValidationError(TrackerError):
    """The input was refused; nothing was written."""

    exit_code = 2


class NotFoundError(ValidationError):
    """An id or uid that does not exist."""


class DatabaseError(TrackerError):
    """The file is not a tracker database, or is newer than this program."""
