"""The record kinds the tracker knows, in one registry: key, Dutch noun, plural, article, list
columns and fields.

Everything that names a kind of record to a person (an error, a form title, a journal line, a
help text) asks here, so "mijlpaal" is spelt in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from hecht_tracker.core.fields import FieldSpec
    from hecht_tracker.core.model import LabelledEnum


@dataclass(frozen=True)
class RecordKind:
    key: str  # the stored entity name: "milestone"
    noun: str  # "mijlpaal"
    plural: str  # "mijlpalen"
    article: Literal["de", "het"]
    columns: tuple[str, ...] = ()  # the Dutch list columns, CLI and TUI alike
    editable: bool = True  # has fields a person edits (a record, not a setting)
    new_noun: str = ""  # what a new one is called when the noun alone says too little

    @property
    def fields(self) -> Mapping[str, FieldSpec]:
        """The editable fields of this kind (empty for settings and the database)."""
        from hecht_tracker.core.fields import FIELDS

        return FIELDS.get(self.key, {})

    @property
    def enums(self) -> dict[str, type[LabelledEnum]]:
        """Field name → the enum its values come from."""
        return {name: spec.enum for name, spec in self.fields.items() if spec.enum is not None}

    @property
    def the(self) -> str:
        """The noun with its article: "de mijlpaal", "het doel"."""
        return f"{self.article} {self.noun}"

    @property
    def new_title(self) -> str:
        """A form title for a new record: "Nieuwe mijlpaal", but "Nieuw doel"."""
        return f"{'Nieuw' if self.article == 'het' else 'Nieuwe'} {self.new_noun or self.noun}"


KINDS: dict[str, RecordKind] = {
    kind.key: kind
    for kind in (
        RecordKind(
            "milestone",
            "mijlpaal",
            "mijlpalen",
            "de",
            ("id", "datum", "tijd", "orgaan", "titel", "status", "koers", "stukken"),
        ),
        RecordKind(
            "action",
            "actie",
            "acties",
            "de",
            ("id", "soort", "titel", "eigenaar", "deadline", "status"),
            new_noun="actie of afspraak",  # one form makes both
        ),
        RecordKind(
            "benefit",
            "baat",
            "baten",
            "de",
            ("id", "titel", "categorie", "status", "laatste meting"),
        ),
        RecordKind("goal", "doel", "doelen", "het", ("id", "nr", "titel", "horizon", "koers")),
        RecordKind("programme", "programma", "programma's", "het", ("id", "naam", "periode")),
        RecordKind("setting", "instelling", "instellingen", "de", editable=False),
        RecordKind("database", "database", "databases", "de", editable=False),
        # A journal row noting a calendar export (so undo knows what subscribers may hold).
        RecordKind("calendar", "kalenderexport", "kalenderexports", "de", editable=False),
    )
}

# The kinds a person adds, edits and lists in the CLI and the TUI.
RECORDS = ("milestone", "action", "benefit", "goal")


def get(key: str) -> RecordKind:
    return KINDS[key]


def noun(key: str) -> str:
    """The Dutch noun of a kind ("mijlpaal"); an unknown key is shown as it is."""
    kind = KINDS.get(key)
    return key if kind is None else kind.noun


def plural(key: str) -> str:
    kind = KINDS.get(key)
    return key if kind is None else kind.plural


def article(key: str) -> str:
    kind = KINDS.get(key)
    return "de" if kind is None else kind.article
