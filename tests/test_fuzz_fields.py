"""Property test of the one field parser behind CLI options, import columns and TUI forms:
any text for any field is either refused with a ValidationError naming that field, or becomes
a value inside that field's limits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hecht_tracker.core import limits
from hecht_tracker.core.errors import ValidationError
from hecht_tracker.core.fields import FIELDS, parse_fields
from hecht_tracker.storage.store import Store

TODAY = dt.date(2026, 11, 23)
EVERY_FIELD = [(entity, name) for entity, specs in FIELDS.items() for name in specs]
raw_values = st.one_of(
    st.text(max_size=40),
    st.integers(),
    st.floats(allow_nan=True),
    st.booleans(),
    st.none(),
    st.lists(st.one_of(st.integers(), st.text(max_size=5)), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    opened = Store.memory(seed=True)
    yield opened
    opened.close()


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(EVERY_FIELD), raw_values)
def test_any_value_for_any_field_is_refused_by_name_or_within_limits(
    store: Store, field: tuple[str, str], raw: object
) -> None:
    entity, name = field
    try:
        parsed = parse_fields(entity, {name: raw}, TODAY, store)
    except ValidationError as error:
        assert error.field == name
        assert "\n" not in str(error) and len(str(error)) < 300
        return
    limits.check_field(name, parsed[name])
