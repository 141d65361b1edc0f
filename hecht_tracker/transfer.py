"""Import and export of records as CSV or JSON, with the ``--json`` field names as columns.

An import is all or nothing: every row is parsed and written inside one transaction, and the
first bad row stops it with a message naming the row as a spreadsheet shows it (the header is
row 1) and the column. Read-only fields in the file (id, sequence, timestamps) are ignored, so
an export can be edited and imported again; a row whose ``uid`` exists updates that record.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hecht_tracker.core.errors import ValidationError
from hecht_tracker.core.fields import FIELDS, parse_fields, to_record
from hecht_tracker.core.model import Action, Benefit, Goal, Milestone

if TYPE_CHECKING:
    import datetime as dt

    from hecht_tracker.storage.store import Store

KINDS = {"milestones": "milestone", "actions": "action", "benefits": "benefit", "goals": "goal"}
MODELS: dict[str, type[Any]] = {
    "milestone": Milestone,
    "action": Action,
    "benefit": Benefit,
    "goal": Goal,
}
# Fields an export carries that an import does not write.
READ_ONLY = frozenset(
    {
        "id",
        "sequence",
        "created",
        "updated",
        "published",
        "published_bodies",
        "papers_published",
        "measurements",
    }
)
LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class SourceRow:
    """One record from a file, with the name a person uses to find it ("rij 3", "item 2")."""

    where: str
    values: Mapping[str, Any]


def read_rows(path: Path) -> list[SourceRow]:
    """Read a CSV (comma or semicolon, UTF-8 with or without BOM) or a JSON list of objects."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ValidationError(f"Bestand {path} bestaat niet.") from None
    except UnicodeDecodeError:
        raise ValidationError(f"{path} is geen UTF-8-tekstbestand.") from None
    if path.suffix.lower() == ".json" or text.lstrip().startswith(("[", "{")):
        return _json_rows(text, path)
    return _csv_rows(text)


def _json_rows(text: str, path: Path) -> list[SourceRow]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValidationError(f"{path} is geen geldige JSON (regel {error.lineno}).") from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ValidationError(
            "Een JSON-import is een lijst van objecten met de velden van het datamodel."
        )
    return [SourceRow(f"item {number}", item) for number, item in enumerate(data, start=1)]


def _csv_rows(text: str) -> list[SourceRow]:
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    if not reader.fieldnames:
        raise ValidationError("Het CSV-bestand is leeg.")
    rows = []
    for number, row in enumerate(reader, start=2):
        if None in row:
            raise ValidationError(f"Rij {number}: meer cellen dan kolommen in de kopregel.")
        if any(value.strip() for value in row.values() if value):
            rows.append(SourceRow(f"rij {number}", row))
    return rows


def check_columns(entity: str, rows: list[SourceRow]) -> None:
    """Refuse unknown columns before anything is written (the header is row 1)."""
    known = set(FIELDS[entity]) | READ_ONLY
    for row in rows:
        unknown = [name for name in row.values if name not in known]
        if unknown:
            place = "rij 1 (kopregel)" if row.where.startswith("rij") else row.where
            raise ValidationError(f"{place.capitalize()}: onbekende kolom '{unknown[0]}'.")


def import_file(
    store: Store,
    entity: str,
    rows: list[SourceRow],
    today: dt.date,
    progress: Iterator[SourceRow] | None = None,
) -> tuple[int, int]:
    """Import ``rows`` in one transaction; ``progress`` may wrap them (a progress bar).

    Returns (added, updated). Any error rolls everything back.
    """
    check_columns(entity, rows)
    specs = FIELDS[entity]
    # Values of these types do not depend on the database, and a file repeats them on row
    # after row ("vergadering", "2027-01-15"): each distinct one is parsed once.
    repeatable = {name for name, spec in specs.items() if spec.type in ("enum", "date", "time")}
    known: dict[tuple[str, Any], Any] = {}

    def parse(values: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        rest: dict[str, Any] = {}
        for name, raw in values.items():
            if name in repeatable and isinstance(raw, str):
                key = (name, raw)
                if key not in known:
                    known[key] = parse_fields(entity, {name: raw}, today, store, column_names=True)[
                        name
                    ]
                result[name] = known[key]
            else:
                rest[name] = raw
        if rest:
            result.update(parse_fields(entity, rest, today, store, column_names=True))
        return {name: result[name] for name in values}  # in the file's column order

    def parsed() -> Iterator[tuple[str, dict[str, Any]]]:
        for row in progress if progress is not None else iter(rows):
            if (
                str(row.values.get("id") or "").strip()
                and not str(row.values.get("uid") or "").strip()
            ):
                raise ValidationError(
                    f"{row.where.capitalize()}: heeft een id maar geen uid. Records worden op uid "
                    "bijgewerkt; vul de uid in, of laat het id weg voor een nieuw record."
                )
            writable = {k: v for k, v in row.values.items() if k not in READ_ONLY}
            try:
                yield row.where, parse(writable)
            except ValidationError as error:
                raise ValidationError(f"{row.where.capitalize()}, {error}") from None

    return store.import_records(entity, parsed())


def export_records(store: Store, entity: str, fmt: str) -> str:
    """All records of ``entity`` as CSV or JSON text (JSON: the ``--json`` field names)."""
    readers: dict[str, Callable[[], Sequence[Any]]] = {
        "milestone": store.milestones,
        "action": store.actions,
        "benefit": store.benefits,
        "goal": store.goals,
    }
    records = [to_record(record) for record in readers[entity]()]
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    model_fields = {f.name for f in dataclasses.fields(MODELS[entity])}
    extra = [
        name for name in ("sequence", "published", "created", "updated") if name in model_fields
    ]
    columns = ["id", *FIELDS[entity], *extra]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({k: _csv_cell(record.get(k)) for k in columns})
    return buffer.getvalue()


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(item) for item in value)
    return str(value)
