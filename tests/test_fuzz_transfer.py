"""Property tests of import and export: whatever text the tracker accepts survives a CSV or JSON
round trip unchanged, and the spreadsheet escaping is undone exactly."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hecht_tracker.core import limits
from hecht_tracker.core.errors import ValidationError
from hecht_tracker.core.fields import parse_fields
from hecht_tracker.storage.store import Store
from hecht_tracker.transfer import (
    escape_cell,
    export_records,
    import_file,
    read_rows,
    unescape_cell,
)

TODAY = dt.date(2026, 11, 23)
SINGLE_LINE = ("title", "location")
MULTILINE = ("decision", "description", "notes", "health_reason")
TEXT_FIELDS = SINGLE_LINE + MULTILINE
# Pieces that stress CSV and spreadsheets: separators, quotes, formula signs.
tricky = st.sampled_from([*list(",;\"'=+-@ "), "''=", "'s-", "é", "€", "\xa0", "\u200b"])
printable = st.text(st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")), max_size=5)
line = st.lists(st.one_of(tricky, printable), max_size=10).map("".join)
lines = st.lists(
    st.one_of(tricky, printable, st.sampled_from(["\t", "\r", "\n", "\r\n"])), max_size=12
).map("".join)
field_text = st.one_of(line, lines, st.text(max_size=10))


@given(st.text())
def test_unescaping_an_escaped_cell_gives_the_text_back(text: str) -> None:
    assert unescape_cell(escape_cell(text)) == text
    assert not escape_cell(text).startswith(("=", "+", "-", "@", "\t", "\r"))


def accepted(values: dict[str, str]) -> dict[str, Any]:
    """The typed values when the tracker accepts them, else the example is skipped."""
    try:
        typed = parse_fields("milestone", values, TODAY)
    except ValidationError:
        assume(False)
        raise
    assume(typed["title"])  # a record needs a title; the store says so itself
    return typed


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(
    st.lists(
        st.fixed_dictionaries(
            {**{name: line for name in SINGLE_LINE}, **{name: lines for name in MULTILINE}}
        ),
        min_size=1,
        max_size=4,
    ),
    st.sampled_from(["csv", "json"]),
)
def test_what_the_tracker_accepts_survives_export_and_import(
    records: list[dict[str, str]], fmt: str
) -> None:
    source, target = Store.memory(), Store.memory()
    typed = []
    for number, values in enumerate(records):
        fields = accepted({**values, "date": "10-12-2026", "body": "DB", "uid": f"fuzz-{number}"})
        typed.append(fields)
        source.add("milestone", fields)
    text = export_records(source, "milestone", fmt)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"mijlpalen.{fmt}"
        path.write_bytes(text.encode("utf-8"))
        rows = read_rows(path)
    added, updated = import_file(target, "milestone", rows, TODAY)
    assert (added, updated) == (len(records), 0)
    for before, after in zip(typed, target.milestones(), strict=True):
        for name in TEXT_FIELDS:
            assert getattr(after, name) == before[name], name


@given(field_text)
def test_the_limits_either_accept_text_or_say_why_in_one_line(text: str) -> None:
    for name in ("title", "description"):
        try:
            limits.check_field(name, text)
        except ValidationError as error:
            assert "\n" not in str(error) and len(str(error)) < 200
