"""A scan numbers the terms of the story evidence as it arrives (dedup.story.terms); the
signals read from that table for any rows are those computed from the rows' documents alone."""

from __future__ import annotations

import numpy as np
import pytest

from dedup.model import Article
from dedup.story.features import story_features
from dedup.story.signals import SignalSpace, StemSpace
from dedup.story.terms import TermTable


@pytest.fixture(scope="module")
def features(samples_dir):
    texts = [path.read_text(encoding="utf-8") for path in sorted(samples_dir.rglob("*.txt"))]
    # Short ones too: a document with no numbers, quotes or names at all, in either language.
    texts += ["Kurz und gut.", "Short and sweet.", ""]
    return [story_features(Article(id=str(number), text=text, date="2021-12-30")) for number, text in enumerate(texts)]


def _same(space: SignalSpace, other: SignalSpace) -> None:
    assert space.vocabulary == other.vocabulary
    for name, matrix in other.matrices.items():
        mine = space.matrices[name]
        assert mine.shape == matrix.shape, name
        assert np.array_equal(mine.indptr, matrix.indptr) and np.array_equal(mine.indices, matrix.indices), name
        assert np.array_equal(mine.data, matrix.data), name  # the same sums, to the last bit
    for name, matrix in other.rarity.items():
        assert np.array_equal(space.rarity[name].data, matrix.data), name
    assert np.array_equal(space.chance_spread, other.chance_spread)


@pytest.mark.parametrize("batch", [1, 3, 1000])
@pytest.mark.parametrize("every", [1, 2, 3])
def test_rows_read_from_a_table_fed_in_batches_are_the_rows_alone(features, batch, every):
    table = TermTable()
    for start in range(0, len(features), batch):
        table.add(features[start:start + batch])
    assert len(table) == len(features)
    rows = list(range(every - 1, len(features), every))
    chosen = [features[row] for row in rows]
    _same(SignalSpace(chosen, table, rows), SignalSpace(chosen))


def test_signals_built_on_a_given_stem_space_are_the_signals(features):
    # A scan builds the stems first (candidates read them on a thread) and hands them on.
    table = TermTable(features)
    rows = list(range(len(features)))
    _same(SignalSpace(features, table, rows, StemSpace(features, table, rows)), SignalSpace(features))


def test_a_language_without_terms_of_a_kind_reads_as_none(features):
    # German reports without a quote, say, next to English ones that have some: the
    # German rows of the quotes are empty, not an error.
    german = [feature for feature in features if feature.lang == "de" and not feature.quotes]
    english = [feature for feature in features if feature.lang == "en" and feature.quotes]
    assert german and english
    table = TermTable(english + german)
    rows = list(range(len(english), len(english) + len(german)))
    _same(SignalSpace(german, table, rows), SignalSpace(german))


def test_the_table_holds_the_source_of_every_signal():
    # signals.py names which source each signal weighs; terms.py keeps those sources.
    from dedup.story import signals, terms

    assert {signals._SOURCE.get(signal, signal) for signal in signals.SIGNALS} == set(terms.SOURCES)


def test_shared_terms_are_the_rarest_first_then_by_term(features):
    # Only the terms that can make the list are sorted; the list is the full sort's head.
    space = SignalSpace(features)
    for signal in ("stems", "names", "numbers", "title"):
        matrix, vocabulary = space.rarity[signal], space.vocabulary[signal]
        for left in range(space.size):
            for right in range(space.size):
                row_left = dict(zip(matrix[left].indices.tolist(), matrix[left].data.tolist(), strict=True))
                row_right = set(matrix[right].indices.tolist())
                ranked = sorted((-rarity, vocabulary[column]) for column, rarity in row_left.items() if column in row_right)
                for limit in (0, 1, 2, 8, 1000):
                    assert space.shared_terms(signal, left, right, limit) == [term for _, term in ranked[:limit]]
