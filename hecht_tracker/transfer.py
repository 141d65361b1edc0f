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


# An import file larger than this is refused before it is read: it would hold more records
# than a programme has; split it instead. 100,000 milestones as JSON are about 37 MB.
MAX_IMPORT_BYTES = 48 * 1024 * 1024
# How many distinct parsed values an import remembers (see import_file).
KNOWN_VALUES = 20_000
_UNPARSED = object()


def read_rows(path: Path) -> list[SourceRow]:
    """Read a CSV (comma or semicolon, UTF-8 with or without BOM) or a JSON list of objects."""
    text = _read_text(path)
    if path.suffix.lower() == ".json" or text.lstrip().startswith(("[", "{")):
        return _json_rows(text, path)
    return _csv_rows(text)


def _read_text(path: Path) -> str:
    """The file as text, refusing what is not a regular UTF-8 file of a sane size."""
    try:
        info = path.stat()
        if path.is_dir():
            raise ValidationError(f"{path} is een map, geen bestand.")
        if not path.is_file():
            raise ValidationError(f"{path} is geen gewoon bestand.")
        if info.st_size > MAX_IMPORT_BYTES:
            raise ValidationError(
                f"{path} is {info.st_size / 1024 / 1024:.1f} MB; een import is hoogstens "
                f"{MAX_IMPORT_BYTES // 1024 // 1024} MB. Splits het bestand."
            )
        with path.open("rb") as file:
            data = file.read(MAX_IMPORT_BYTES + 1)
    except FileNotFoundError:
        raise ValidationError(f"Bestand {path} bestaat niet.") from None
    except PermissionError:
        raise ValidationError(f"{path}: geen toegang.") from None
    except OSError as error:  # a device, a special file, a disk error
        raise ValidationError(
            f"{path} is niet te lezen ({error.strerror or error}).".replace(" (None)", "")
        ) from None
    if len(data) > MAX_IMPORT_BYTES:  # grew while being read
        raise ValidationError(
            f"{path} is groter dan {MAX_IMPORT_BYTES // 1024 // 1024} MB. Splits het bestand."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ValidationError(
            f"{path} is geen UTF-8-tekstbestand (ongeldige tekens op regel {line}); "
            "sla het op als UTF-8 (CSV UTF-8 in Excel)."
        ) from None


def _json_rows(text: str, path: Path) -> list[SourceRow]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValidationError(f"{path} is geen geldige JSON (regel {error.lineno}).") from None
    except RecursionError:  # the parser's own depth guard
        raise ValidationError(
            f"{path} is te diep genest; een import is een lijst van objecten."
        ) from None
    except ValueError:  # e.g. an integer of thousands of digits
        raise ValidationError(f"{path} bevat een waarde die niet te lezen is.") from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ValidationError(
            "Een JSON-import is een lijst van objecten met de velden van het datamodel."
        )
    return [SourceRow(f"item {number}", item) for number, item in enumerate(data, start=1)]


def _csv_rows(text: str) -> list[SourceRow]:
    # The delimiter is read from the header line alone (column names hold neither ',' nor
    # ';'). Sniffing the data too guesses wrong on cells full of apostrophes or semicolons,
    # such as escaped formulas, and then splits rows in the wrong places.
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    # A cell may be as long as the file; its field's own limit then gives the clear message.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_IMPORT_BYTES))
    reader = csv.DictReader(io.StringIO(text), dialect=csv.excel, delimiter=delimiter)
    rows = []
    number = 1
    try:
        if not reader.fieldnames:
            raise ValidationError("Het CSV-bestand is leeg.")
        duplicate = _first_duplicate(reader.fieldnames)
        if duplicate is not None:
            raise ValidationError(f"Rij 1 (kopregel): kolom '{duplicate}' staat er twee keer in.")
        for number, row in enumerate(reader, start=2):
            if None in row:
                raise ValidationError(f"Rij {number}: meer cellen dan kolommen in de kopregel.")
            if any(value.strip() for value in row.values() if value):
                values = {k: unescape_cell(v) if v else v for k, v in row.items()}
                rows.append(SourceRow(f"rij {number}", values))
    except csv.Error as error:
        raise ValidationError(
            f"Rij {number}: het CSV-bestand is hier onleesbaar ({error})."
        ) from None
    return rows


def _first_duplicate(names: Sequence[str]) -> str | None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            return name
        seen.add(name)
    return None


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
    # after row ("vergadering", "2027-01-15", "Gouda, Bleulandweg 2a"): each distinct one is
    # parsed once. The memory is emptied when full, so unique titles cannot make it grow
    # with the file; uids are unique by rule and never remembered.
    repeatable = {
        name
        for name, spec in specs.items()
        if spec.type in ("enum", "date", "time", "text") and name != "uid"
    }
    known: dict[tuple[str, str], Any] = {}

    def parse(values: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        rest: dict[str, Any] = {}
        fresh = []
        for name, raw in values.items():
            if name in repeatable and type(raw) is str:
                value = known.get((name, raw), _UNPARSED)
                if value is not _UNPARSED:
                    result[name] = value
                    continue
                fresh.append(name)
            rest[name] = raw
        if rest:
            parsed = parse_fields(entity, rest, today, store, column_names=True)
            result.update(parsed)
            if len(known) + len(fresh) > KNOWN_VALUES:
                known.clear()
            for name in fresh:
                known[name, values[name]] = parsed[name]
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
    # Python's writer leaves a lone carriage return unquoted when lines end in "\n", which
    # breaks the row for every reader: such a row is written with every cell quoted.
    quoted = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writeheader()
    for record in records:
        row = {k: _csv_cell(record.get(k)) for k in columns}
        (quoted if any("\r" in cell for cell in row.values()) else writer).writerow(row)
    return buffer.getvalue()


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(item) for item in value)
    return escape_cell(str(value))


# Spreadsheet safety (OWASP, "CSV injection"): a cell that starts with one of these is read
# by Excel and LibreOffice as a formula. The export puts an apostrophe in front, which a
# spreadsheet shows as text; the import takes it off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(text: str) -> str:
    """The text as a CSV cell a spreadsheet will not run.

    Rule: when the text, after any apostrophes it starts with, begins with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return, one apostrophe is put in front. So ``=1+1``
    becomes ``'=1+1`` and a title that really is ``'=1+1`` becomes ``''=1+1``; text such as
    ``'s-Hertogenbosch`` or ``'t Hofje`` stays as it is. :func:`unescape_cell` undoes exactly
    this, so an export imports back unchanged.
    """
    return "'" + text if text.lstrip("'").startswith(FORMULA_STARTS) else text


def unescape_cell(text: str) -> str:
    """Take off the apostrophe :func:`escape_cell` added (and only that one)."""
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS):
        return text[1:]
    return text
