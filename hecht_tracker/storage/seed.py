"""The seeded default: Hecht's data from the source documents, kept as TOML a person can edit.

The files live in ``db/seed/`` in the source tree and ship inside the package as
``hecht_tracker/seed_data/`` (see pyproject), so a plain ``pip install .`` seeds from any folder.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from hecht_tracker.core.errors import ValidationError
from hecht_tracker.core.model import (
    ActionKind,
    BenefitCategory,
    BenefitStatus,
    Health,
    Kind,
    Status,
    Visibility,
)

# Finds the id of a record by entity and uid (the store's lookup); seed never imports the store.
Lookup = Callable[[str, str], int | None]

# Entities in the order they are created, so references always point backwards.
SEED_ORDER = ("programme", "goal", "milestone", "action", "benefit")

_ENUMS: dict[str, dict[str, Any]] = {
    "goal": {"health": Health},
    "milestone": {"kind": Kind, "status": Status, "health": Health, "visibility": Visibility},
    "action": {"kind": ActionKind, "status": Status},
    "benefit": {"category": BenefitCategory, "status": BenefitStatus},
}
# seed key -> (column, entity it refers to, many)
_REFERENCES: dict[str, tuple[str, str, bool]] = {
    "programme": ("programme_id", "programme", False),
    "goal": ("goal_id", "goal", False),
    "milestone": ("milestone_id", "milestone", False),
    "goals": ("goal_ids", "goal", True),
    "depends_on": ("depends_on", "milestone", True),
}


def seed_folder() -> Path:
    """Where the seed files are: inside the installed package, else the source tree's db/seed."""
    packaged = resources.files("hecht_tracker") / "seed_data"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "db" / "seed"


def load_seed(folder: Path) -> dict[str, list[dict[str, Any]]]:
    """Read every ``*.toml`` in ``folder`` (alphabetically) into one mapping of lists."""
    data: dict[str, list[dict[str, Any]]] = {}
    files = sorted(folder.glob("*.toml"))
    if not files:
        raise ValidationError(f"Geen standaardgegevens gevonden in {folder}.")
    for file in files:
        with file.open("rb") as handle:
            for key, rows in tomllib.load(handle).items():
                data.setdefault(key, []).extend(rows)
    return data


def load_default_seed() -> dict[str, list[dict[str, Any]]]:
    return load_seed(seed_folder())


def resolve_seed(
    lookup: Lookup, data: Mapping[str, list[dict[str, Any]]]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (entity, typed values) in creation order, turning uid references into ids.

    A generator on purpose: each record is inserted before the next is resolved, so a
    reference to an earlier record of the same kind (``depends_on``) finds its id.
    """
    for entity in SEED_ORDER:
        for raw in data.get(entity, []):
            values: dict[str, Any] = {}
            for key, value in raw.items():
                if key in _REFERENCES and not (entity == "programme" and key == "programme"):
                    column, target, many = _REFERENCES[key]
                    uids = value if many else [value]
                    ids = [_id_for(lookup, target, uid) for uid in uids]
                    values[column] = tuple(ids) if many else ids[0]
                elif key in _ENUMS.get(entity, {}):
                    values[key] = _ENUMS[entity][key].parse(value)
                else:
                    values[key] = value
            yield entity, values


def _id_for(lookup: Lookup, entity: str, uid: str) -> int:
    found = lookup(entity, uid)
    if found is None:
        raise ValidationError(f"Standaardgegevens verwijzen naar onbekende {entity} '{uid}'.")
    return found
