"""Indented JSON written by the C encoder is the standard library's text, to the character."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.io.indented_json import indented_json
from dedup.io.writers import scan_to_dict

_SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True)
            | st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=8))
_KEYS = st.text(max_size=5) | st.integers(-5, 5) | st.floats(allow_nan=False) | st.booleans() | st.none()
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                       | st.dictionaries(_KEYS, inner, max_size=4), max_leaves=30)


@settings(max_examples=400, deadline=None)
@given(_VALUES, st.sampled_from([0, 1, 2, 4]))
def test_indented_json_is_json_dumps_with_indent(value, indent):
    assert indented_json(value, indent) == json.dumps(value, ensure_ascii=False, indent=indent)


def test_special_values_and_empty_containers():
    value = {"a": [], "b": {}, "c": [[], {}, [1.5, math.nan, -math.inf]], 1: {"x": None}, None: True, 2.5: "é\u2028\ud800"}
    assert indented_json(value, 2) == json.dumps(value, ensure_ascii=False, indent=2)
    assert indented_json("text", 2) == '"text"' and indented_json([], 2) == "[]"


def test_a_key_json_cannot_write_is_refused_as_json_refuses_it():
    with pytest.raises(TypeError):
        json.dumps({(1, 2): 3}, indent=2)
    with pytest.raises(TypeError):
        indented_json({(1, 2): 3}, 2)


def test_a_scan_report_is_the_same_text(samples_dir):
    import dedup
    from dedup.pipeline import ScanConfig

    report = scan_to_dict(dedup.scan([str(samples_dir)], ScanConfig(mode="all", jobs=1)))
    assert report["clusters"]  # a report with clusters, pairs and their evidence
    assert indented_json(report, 2) == json.dumps(report, ensure_ascii=False, indent=2)
