"""What a form is made of and what its save may answer, apart from the form's screen: a
screen describes its forms with these without loading the form's widgets, which are loaded
when a form opens (see :mod:`hecht_tracker.tui.screens.form`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hecht_tracker.core.errors import ValidationError

# What a field shows under itself while typing: (text, understood). False marks an error.
Hint = Callable[[str], tuple[str, bool]]


@dataclass(frozen=True)
class FormField:
    """One field of a form: a text input; a select when ``options`` is given (a list of
    checkboxes with ``multiple``); several lines with ``multiline``."""

    name: str
    label: str
    value: Any = ""
    options: tuple[tuple[str, Any], ...] | None = None
    allow_blank: bool = True
    blank_label: str = "(leeg)"
    placeholder: str = ""
    multiple: bool = False
    multiline: bool = False
    hint: Hint | None = None
    suggestions: tuple[str, ...] = ()
    max_length: int = 0


class FieldError(ValidationError):
    """A refused value that belongs to one field, so the form can point at it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class NeedsConfirmation(ValidationError):
    """The save asks a yes/no question first (``key`` remembers the yes for the retry)."""

    def __init__(self, key: str, question: str, yes: str = "Ja, opslaan") -> None:
        super().__init__(question)
        self.key = key
        self.question = question
        self.yes = yes


class ChangedUnderneath(ValidationError):
    """The record changed in the database since the form opened: both versions, per field."""

    def __init__(self, rows: Sequence[tuple[str, str, str]]) -> None:
        super().__init__("Dit record is intussen door iemand anders gewijzigd.")
        self.rows = list(rows)  # (field label, now in the database, what the form holds)


# save(values, confirmed): ``confirmed`` holds the keys of questions already answered yes.
SaveCallback = Callable[[Mapping[str, Any], frozenset[str]], Any]
