"""The fast canonical writer writes exactly what ``json.dumps(indent=2)`` wrote: every map file
saved before it was added re-saves byte-identically, so nobody's git history sees a change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.canonical import canonical_json, standard_json
from models.document import FORMAT, SCHEMA_VERSION
from models.fileformat import in_file_order
from models.generate import generate_buying_group, generate_chain, generate_funnel
from models.storage import dumps_map
from models.templates import load_template, template_names

ROOT = Path(__file__).resolve().parents[1]

# text with the characters the shortcut must not be fooled by: quotes, backslashes, brackets,
# commas, line breaks, separators and characters beyond ASCII
TEXT = st.text(alphabet=st.sampled_from('ab"\\{}[],: \n\t\u2028é€😀\x00\x1f'), max_size=8)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | TEXT
)
JSON = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(TEXT, children, max_size=4)
        | st.lists(st.dictionaries(TEXT, SCALARS, max_size=3), max_size=4)  # like nodes and edges
        | st.dictionaries(TEXT, st.lists(SCALARS, max_size=3), max_size=4)
    ),  # like the layout
    max_leaves=30,
)


def _outcome(write, value):
    try:
        return write(value)
    except (ValueError, TypeError) as error:  # a value JSON cannot hold: the same refusal
        return f"{type(error).__name__}: {error}"


@settings(max_examples=400, deadline=None)
@given(JSON)
def test_same_text_as_the_standard_encoder_for_any_json(value):
    assert _outcome(canonical_json, value) == _outcome(standard_json, value)


@pytest.mark.parametrize(
    "value",
    [
        {1: "a"},  # a key that is not text (written as text by both)
        [{"a": 1}, {}],  # an empty object among objects
        {"a": [1], "b": []},
        {"a": (1, 2)},  # a tuple is a list
        {"a": [float("nan")]},  # refused by both
        {"a": {1, 2}},  # not JSON: refused by both
        [[{"a": 1}]],
    ],
)
def test_same_text_for_unusual_values(value):
    assert _outcome(canonical_json, value) == _outcome(standard_json, value)


def _old_dumps_map(doc) -> str:
    """models.storage.dumps_map as it was written before the fast writer."""
    data = doc.model_dump(mode="json", exclude_defaults=True)
    data.pop("format", None)
    data.pop("schema_version", None)
    in_file_order(data)
    ordered = {"format": FORMAT, "schema_version": SCHEMA_VERSION, **data}
    return json.dumps(ordered, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


@pytest.mark.parametrize(
    "doc",
    [
        *(load_template(name) for name in template_names()),
        generate_funnel(300, 450, seed=3, recycle_share=0.1),
        generate_buying_group(4, 400, seed=2),
        generate_chain(50),
    ],
)
def test_maps_are_written_byte_identically_to_before(doc):
    assert dumps_map(doc) == _old_dumps_map(doc)


def test_shipped_and_fixture_files_are_already_in_the_fast_writers_form():
    files = [*ROOT.glob("resources/templates/*.json"), *ROOT.glob("tests/fixtures/**/*.json")]
    checked = 0
    for path in files:
        try:
            value = json.loads(path.read_text("utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue  # the hostile fixtures
        assert canonical_json(value) == standard_json(value), path
        checked += 1
    assert checked >= 4
