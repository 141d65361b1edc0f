"""Errors the tracker raises, each carrying one Dutch sentence for the person at the keyboard."""

from __future__ import annotations


class TrackerError(Exception):
    """Something went wrong; the message is Dutch and ready to show as it is."""

    exit_code = 1


class ValidationError(TrackerError):
    """The input was refused; nothing was written.

    ``field`` names the field at fault when there is one, and ``detail`` is the message
    without the field in front, so a form can show it next to that field.
    """

    exit_code = 2

    def __init__(
        self, message: str, *, field: str | None = None, detail: str | None = None
    ) -> None:
        super().__init__(message)
        self.field = field
        self.detail = detail if detail is not None else message


class NotFoundError(ValidationError):
    """An id or uid that does not exist."""


class DatabaseError(TrackerError):
    """The file is not a tracker database, or is newer than this program."""


class ConflictError(TrackerError):
    """A write based on a version of a record that someone else has changed since."""


class DamagedRecordError(DatabaseError):
    """A stored record whose values fail their limits (written by hand or an older version).

    Lists leave it out and report it; asking for that one record raises this error.
    """

    def __init__(self, entity: str, record_id: object, problem: str) -> None:
        super().__init__(
            f"{entity.capitalize()} {record_id} in de database is beschadigd "
            f"({problem.rstrip('.')}); "
            "herstel de waarde met 'update' of zet een reservekopie terug."
        )
        self.entity = entity
        self.record_id = record_id
