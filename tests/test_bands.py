"""LSH bands in bulk (dedup.index.bands) propose exactly the pairs datasketch's MinHashLSH
proposes for the same signatures, bands and rows."""

from __future__ import annotations

import numpy as np
import pytest

from dedup.index.bands import bucket_keys, pairs_sharing_a_key, unique_pairs
from dedup.index.memory import MemoryIndex
from dedup.minhash import MinHashParams, signatures
from dedup.model import CopyRule


def _corpus(seed: int, documents: int = 300) -> list[np.ndarray]:
    """Shingle sets: random ones, and edited copies of some of them at varied overlaps."""
    rng = np.random.default_rng(seed)
    sets = [np.unique(rng.integers(0, 2**63, size=rng.integers(20, 200), dtype=np.uint64)) for _ in range(documents)]
    for copy in range(documents // 3):
        original = sets[int(rng.integers(0, len(sets)))]
        kept = original[rng.random(len(original)) < rng.uniform(0.2, 1.0)]
        sets.append(np.unique(np.concatenate([kept, rng.integers(0, 2**63, size=int(rng.integers(0, 40)), dtype=np.uint64)])))
    return sets


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_bulk_bands_propose_the_pairs_minhash_lsh_proposes(seed):
    params = MinHashParams()
    sigs = signatures(_corpus(seed), params)
    index = MemoryIndex(CopyRule().candidate_threshold(), params)
    for position, signature in enumerate(sigs):
        index.insert(position, signature)
    expected_left, expected_right = index.candidate_arrays()
    bands, rows = index.bands
    left, right = pairs_sharing_a_key(bucket_keys(sigs, bands, rows), np.arange(len(sigs)))
    assert len(expected_left) > 50  # the planted copies make candidates: the comparison means something
    assert np.array_equal(left, expected_left) and np.array_equal(right, expected_right)


def test_positions_name_the_documents_and_pairs_come_once_in_order():
    keys = np.array([[5, 1], [5, 2], [7, 1], [5, 2]])
    left, right = pairs_sharing_a_key(keys, np.array([40, 10, 30, 20]))
    assert list(zip(left.tolist(), right.tolist())) == [(10, 20), (10, 40), (20, 40), (30, 40)]
    assert [len(side) for side in pairs_sharing_a_key(np.zeros((0, 3)), np.zeros(0))] == [0, 0]
    left, right = unique_pairs(np.array([[3, 1], [1, 3], [2, 2]]))
    assert (left.tolist(), right.tolist()) == ([1], [3])


@pytest.mark.parametrize("seed", range(6))
def test_pairs_merged_into_integers_are_the_pairs_of_the_buckets(seed):
    # Pairs are merged into one integer each; positions too large for that take the path
    # of row pairs: both give every pair of a shared key once, sorted.
    rng = np.random.default_rng(seed)
    keys = rng.integers(0, 8, size=(60, 3))
    positions = rng.integers(0, 40, size=60)  # repeated positions: a document with one key twice is no pair
    expected = set()
    for a in range(60):
        for b in range(60):
            if positions[a] != positions[b] and set(keys[a].tolist()) & set(keys[b].tolist()):
                expected.add((min(positions[a], positions[b]), max(positions[a], positions[b])))
    for shift in (0, 2**40):
        left, right = pairs_sharing_a_key(keys, positions + shift)
        assert list(zip((left - shift).tolist(), (right - shift).tolist(), strict=True)) == sorted(expected)


@pytest.mark.parametrize("seed", range(4))
def test_pairs_gathered_a_few_at_a_time_are_the_pairs_gathered_at_once(seed, monkeypatch):
    # A dense corpus proposes each pair in many bands: duplicates are dropped as the pairs
    # add up, in blocks of buckets, and the pairs are the same.
    from dedup.index import bands

    rng = np.random.default_rng(seed)
    keys = rng.integers(0, 5, size=(80, 6))
    positions = np.arange(80)
    at_once = pairs_sharing_a_key(keys, positions)
    monkeypatch.setattr(bands, "_CROWDED", int(rng.integers(2, 6)))
    monkeypatch.setattr(bands, "_PAIRS_AT_ONCE", int(rng.integers(1, 50)))
    a_few = pairs_sharing_a_key(keys, positions)
    assert len(at_once[0]) > 1000
    assert np.array_equal(a_few[0], at_once[0]) and np.array_equal(a_few[1], at_once[1])


def test_story_candidates_in_bulk_are_those_of_minhash_lsh(samples_dir):
    # The story stage bands salient-word signatures in bulk at CANDIDATE_JACCARD; the pairs
    # are those datasketch's MinHashLSH proposes at that threshold, before the same estimate filter.
    from dedup.io.inputs import read_inputs
    from dedup.model import Article
    from dedup.story.candidates import CANDIDATE_JACCARD, salient_sets, story_candidates
    from dedup.story.features import story_features
    from dedup.story.signals import SignalSpace

    articles = []
    for item in read_inputs([str(samples_dir)]):
        articles += [entry for entry in (item.load() if hasattr(item, "load") else [item]) if isinstance(entry, Article)]
    space = SignalSpace([story_features(article) for article in articles])
    params = MinHashParams()
    rows_of = signatures(salient_sets(space), params)
    index = MemoryIndex(CANDIDATE_JACCARD, params)
    for position, signature in enumerate(rows_of):
        index.insert(position, signature)
    expected_left, expected_right = index.candidate_arrays()
    keep = np.mean(rows_of[expected_left] == rows_of[expected_right], axis=1) >= CANDIDATE_JACCARD
    left, right = story_candidates(space, params)
    assert len(articles) >= 5 and keep.sum() > 0
    assert np.array_equal(left, expected_left[keep]) and np.array_equal(right, expected_right[keep])


def test_story_candidates_checked_in_blocks_on_threads_are_the_same(samples_dir, monkeypatch):
    # A scan checks the proposed pairs' signatures in blocks on threads: blocks of a few
    # pairs on two threads keep the pairs that one block keeps.
    from dedup.io.inputs import read_inputs
    from dedup.model import Article
    from dedup.story import candidates
    from dedup.story.features import story_features
    from dedup.story.signals import SignalSpace

    articles = []
    for item in read_inputs([str(samples_dir)]):
        articles += [entry for entry in (item.load() if hasattr(item, "load") else [item]) if isinstance(entry, Article)]
    space = SignalSpace([story_features(article) for article in articles])
    left, right = candidates.story_candidates(space, MinHashParams())
    monkeypatch.setattr(candidates, "_PAIRS_PER_STEP", 3)
    threaded_left, threaded_right = candidates.story_candidates(space, MinHashParams(), jobs=2)
    assert len(left) > 3
    assert np.array_equal(left, threaded_left) and np.array_equal(right, threaded_right)
