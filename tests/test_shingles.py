import subprocess
import sys

import numpy as np
import pytest

from dedup.text.shingles import (
    ShingleSpec,
    ShingleSpecError,
    document_shingles,
    sorted_unique,
)


def test_spec_parsing():
    assert ShingleSpec.parse("word:5") == ShingleSpec("word", 5)
    assert str(ShingleSpec.parse("char:9")) == "char:9"
    for bad in ("word", "word:x", "token:3", "char:0", "word:65", ""):
        with pytest.raises(ShingleSpecError):
            ShingleSpec.parse(bad)


def test_word_shingles_count_distinct_windows():
    text = "a b c d e f g a b c d e"
    assert len(document_shingles(text, ShingleSpec("word", 5))) == 7  # 8 windows, one repeated


def test_a_text_shorter_than_one_shingle_still_has_one():
    assert len(document_shingles("zwei Wörter", ShingleSpec("word", 5))) == 1


def test_char_shingles_ignore_case_and_punctuation():
    spec = ShingleSpec("char", 4)
    assert np.array_equal(document_shingles("Hallo, Welt!", spec), document_shingles("hallo welt", spec))


def test_word_order_matters():
    spec = ShingleSpec("word", 2)
    assert not np.array_equal(document_shingles("a b", spec), document_shingles("b a", spec))


def test_hashes_are_stable_across_processes():
    """A stored index stays valid only if another process hashes the same text alike."""
    code = "from dedup.text.shingles import *; print(list(document_shingles('Biden warnt Putin vor dem Einmarsch', ShingleSpec())))"
    outputs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout for _ in range(2)}
    assert len(outputs) == 1
    assert outputs.pop().strip() == str(list(document_shingles("Biden warnt Putin vor dem Einmarsch", ShingleSpec())))


def test_sorted_unique_equals_numpy_unique():
    values = np.random.default_rng(3).integers(0, 50, size=500).astype(np.uint64)
    assert np.array_equal(sorted_unique(values), np.unique(values))
    assert sorted_unique(np.array([], dtype=np.uint64)).size == 0
