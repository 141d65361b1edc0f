"""The editable fields of each entity: how text typed by a person becomes a typed value, and
how a record becomes JSON/CSV. The CLI options, the import columns and the TUI forms all read
these specs, so a field is described once.
"""

from __future__ import annotations

import builtins
import dataclasses
import datetime as dt
from collections.abc import Mapping
from enum import Enum
from typing import Any, Literal, Protocol

from hecht_tracker.core import dates, kinds, limits
from hecht_tracker.core.errors import ValidationError
from hecht_tracker.core.model import (
    ActionKind,
    BenefitCategory,
    BenefitStatus,
    Health,
    Kind,
    LabelledEnum,
    Status,
    Visibility,
)


class RecordLookup(Protocol):
    """What parsing a reference asks of the store: does an id exist, which id has a uid."""

    def id_exists(self, entity: str, record_id: int) -> bool: ...

    def id_for_uid(self, entity: str, uid: str) -> int | None: ...


FieldType = Literal["text", "date", "time", "int", "enum", "ref", "refs"]


@dataclasses.dataclass(frozen=True)
class FieldSpec:
    name: str
    type: FieldType = "text"
    label: str = ""
    enum: builtins.type[LabelledEnum] | None = None
    target: str | None = None  # entity a ref points to
    past: bool = False  # a date of something done: without a year, the last such date
    required: bool = False  # may not be emptied

    @property
    def option(self) -> str:
        """The CLI option: the field name with hyphens; ``goal_id``/``goal_ids`` become ``--goal``."""
        if self.type == "refs" and self.name.endswith("_ids"):
            return "--" + self.name.removesuffix("_ids").replace("_", "-")
        if self.type == "ref":
            return "--" + self.name.removesuffix("_id").replace("_", "-")
        return "--" + self.name.replace("_", "-")


def _specs(*specs: FieldSpec) -> dict[str, FieldSpec]:
    return {spec.name: spec for spec in specs}


_COMMON_UID = FieldSpec("uid", label="uid")

FIELDS: dict[str, dict[str, FieldSpec]] = {
    "milestone": _specs(
        _COMMON_UID,
        FieldSpec("title", label="titel"),
        FieldSpec("date", "date", "datum", required=True),
        FieldSpec("start_time", "time", "begintijd"),
        FieldSpec("end_time", "time", "eindtijd"),
        FieldSpec("location", label="locatie"),
        FieldSpec("body", label="orgaan", required=True),
        FieldSpec("kind", "enum", "soort", Kind, required=True),
        FieldSpec("status", "enum", "status", Status, required=True),
        FieldSpec("health", "enum", "koers", Health),
        FieldSpec("health_reason", label="reden koers"),
        FieldSpec("decision", label="besluit"),
        FieldSpec("documents_due", "date", "stukken uiterlijk"),
        FieldSpec("documents_sent", "date", "stukken verstuurd", past=True),
        FieldSpec("baseline_date", "date", "oorspronkelijke datum"),
        FieldSpec("visibility", "enum", "zichtbaarheid", Visibility),
        FieldSpec("description", label="omschrijving"),
        FieldSpec("notes", label="interne notities"),
        FieldSpec("programme_id", "ref", "programma", target="programme"),
        FieldSpec("goal_ids", "refs", "doelen", target="goal"),
        FieldSpec("depends_on", "refs", "hangt af van", target="milestone"),
    ),
    "action": _specs(
        _COMMON_UID,
        FieldSpec("title", label="titel"),
        FieldSpec("kind", "enum", "soort", ActionKind, required=True),
        FieldSpec("owner", label="eigenaar"),
        FieldSpec("due_date", "date", "deadline"),
        FieldSpec("done_date", "date", "afgerond op", past=True),
        FieldSpec("status", "enum", "status", Status, required=True),
        FieldSpec("description", label="omschrijving"),
        FieldSpec("programme_id", "ref", "programma", target="programme"),
        FieldSpec("goal_id", "ref", "doel", target="goal"),
        FieldSpec("milestone_id", "ref", "mijlpaal", target="milestone"),
    ),
    "benefit": _specs(
        _COMMON_UID,
        FieldSpec("title", label="titel"),
        FieldSpec("category", "enum", "categorie", BenefitCategory, required=True),
        FieldSpec("status", "enum", "status", BenefitStatus, required=True),
        FieldSpec("owner", label="eigenaar"),
        FieldSpec("indicator", label="indicator"),
        FieldSpec("baseline", label="nulmeting"),
        FieldSpec("target", label="streefwaarde"),
        FieldSpec("realisation_date", "date", "realisatiedatum"),
        FieldSpec("evidence", label="onderbouwing"),
        FieldSpec("description", label="omschrijving"),
        FieldSpec("programme_id", "ref", "programma", target="programme"),
    ),
    "goal": _specs(
        _COMMON_UID,
        FieldSpec("title", label="titel"),
        FieldSpec("number", "int", "nummer", required=True),
        FieldSpec("horizon", label="horizon"),
        FieldSpec("description", label="omschrijving"),
        FieldSpec("health", "enum", "koers", Health),
        FieldSpec("health_reason", label="reden koers"),
        FieldSpec("programme_id", "ref", "programma", target="programme"),
    ),
}

# A benefit's measurement is not a record of its own; its date is a date of something done, so
# "1-11" typed on 23-11-2026 means 1 november 2026, in the CLI and the TUI alike.
MEASUREMENT_DATE = FieldSpec("date", "date", "datum", past=True, required=True)


def parse_value(
    spec: FieldSpec, raw: Any, today: dt.date, store: RecordLookup | None = None
) -> Any:
    """Turn what a person typed (or a JSON value) into the field's type; empty clears it."""
    if spec.type == "refs":
        return _parse_refs(spec, raw, store)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if spec.required:
            raise ValidationError(f"De {spec.label} mag niet leeg zijn.")
        return "" if spec.type == "text" else None
    if spec.type == "text":
        return str(raw).strip() if spec.name in ("title", "uid", "body") else str(raw)
    if spec.type == "date":
        return (
            raw if isinstance(raw, dt.date) else dates.parse_date(str(raw), today, past=spec.past)
        )
    if spec.type == "time":
        return raw if isinstance(raw, dt.time) else dates.parse_time(str(raw))
    if spec.type == "enum":
        assert spec.enum is not None
        return raw if isinstance(raw, spec.enum) else spec.enum.parse(str(raw))
    if spec.type == "int":
        return _parse_int(raw)
    return _parse_ref(spec, raw, store)


def parse_measurement_date(raw: Any, today: dt.date) -> dt.date:
    """The date of a measurement as typed; without a year, the last such date up to today."""
    parsed: dt.date = parse_value(MEASUREMENT_DATE, raw, today)
    return parsed


def _parse_int(raw: Any) -> int:
    if isinstance(raw, bool):
        raise ValidationError(f"'{raw}' is geen geheel getal.")
    if isinstance(raw, int):
        return raw
    text = str(raw).strip()
    if len(text) > 30 or not (text.lstrip("-").isascii() and text.lstrip("-").isdigit()):
        raise ValidationError(f"'{limits.clip(raw)}' is geen geheel getal.")
    return int(text)


def _parse_ref(spec: FieldSpec, raw: Any, store: RecordLookup | None) -> int:
    """An id, or a uid (so data exported elsewhere re-imports with its links intact)."""
    assert spec.target is not None
    text = str(raw).strip()
    if (isinstance(raw, int) and not isinstance(raw, bool)) or (text.isascii() and text.isdigit()):
        record_id = int(text)
        if store is not None and not (
            0 < record_id <= limits.MAX_ID and store.id_exists(spec.target, record_id)
        ):
            raise ValidationError(
                f"{kinds.noun(spec.target).capitalize()} {record_id} bestaat niet."
            )
        return record_id
    if store is not None:
        found = store.id_for_uid(spec.target, text)
        if found is not None:
            return found
    raise ValidationError(f"Onbekende {kinds.noun(spec.target)}: '{limits.clip(raw)}'.")


def _parse_refs(spec: FieldSpec, raw: Any, store: RecordLookup | None) -> tuple[int, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        items: list[Any] = [part for part in raw.replace(";", ",").split(",") if part.strip()]
    elif isinstance(raw, (list, tuple)):
        items = [item for item in raw if str(item).strip()]
    else:
        items = [raw]
    return tuple(dict.fromkeys(_parse_ref(spec, item, store) for item in items))


def parse_fields(
    entity: str,
    raw: Mapping[str, Any],
    today: dt.date,
    store: RecordLookup | None = None,
    *,
    column_names: bool = False,
) -> dict[str, Any]:
    """Parse a mapping of field name → raw value; errors name the field (or the column)."""
    specs = FIELDS[entity]
    result: dict[str, Any] = {}
    for name, value in raw.items():
        spec = specs.get(name)
        if spec is None:
            raise ValidationError(f"Onbekend veld '{name}'.")
        try:
            raw_value = limits.check_raw(value, spec.type)
            result[name] = limits.check_field(name, parse_value(spec, raw_value, today, store))
        except ValidationError as error:
            where = f"kolom '{name}'" if column_names else spec.option
            raise ValidationError(f"{where}: {error}", field=name, detail=str(error)) from None
    return result


# --- records out ----------------------------------------------------------------------------


def json_value(value: Any) -> Any:
    """A domain value as JSON: ISO dates, ``HH:MM`` times, stored enum keys, lists."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [json_value(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_record(value)
    return value


def to_record(obj: Any) -> dict[str, Any]:
    """Every field of a domain object, JSON-ready, under the data model's names."""
    record = {f.name: json_value(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    record.pop("documents_due_is_default", None)
    # The write version is bookkeeping for concurrent edits, not part of the data model's
    # exchange format (exports stay importable elsewhere and the JSON stays as it was).
    record.pop("version", None)
    return record
