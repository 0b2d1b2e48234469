"""Our vectorised signatures must equal datasketch's MinHash bit for bit."""

import numpy as np
import pytest
from datasketch import MinHash

from dedup.index.memory import MemoryIndex
from dedup.minhash import MinHashParams, signatures
from dedup.text.shingles import ShingleSpec, document_shingles


def _datasketch_signature(shingles: np.ndarray, params: MinHashParams) -> np.ndarray:
    """What datasketch computes when fed the same 64-bit shingle hashes one by one."""
    if params.scheme == "affine32":
        inputs = [int(value) for value in (shingles ^ (shingles >> np.uint64(32))) & np.uint64(0xFFFFFFFF)]
    else:
        inputs = [int(value) for value in shingles]
    minhash = MinHash(num_perm=params.num_perm, seed=params.seed, scheme=params.scheme, hashfunc=lambda value: value)
    minhash.update_batch(inputs)
    return minhash.hashvalues


@pytest.mark.parametrize("scheme", ["affine32", "affine64"])
@pytest.mark.parametrize("num_perm,seed", [(128, 1), (64, 7)])
def test_signatures_equal_datasketch_update_batch(scheme, num_perm, seed):
    params = MinHashParams(num_perm=num_perm, seed=seed, scheme=scheme)
    rng = np.random.default_rng(seed)
    sets = [np.unique(rng.integers(0, 2**64 - 1, size=size, dtype=np.uint64)) for size in (1, 3, 250, 17, 1000)]
    ours = signatures(sets, params)
    for shingles, row in zip(sets, ours):
        assert np.array_equal(row, _datasketch_signature(shingles, params))


def test_an_empty_set_gets_the_empty_minhash_signature():
    params = MinHashParams()
    row = signatures([np.array([], dtype=np.uint64)], params)[0]
    assert np.array_equal(row, MinHash(num_perm=128, seed=1).hashvalues)


def test_signature_agreement_estimates_jaccard():
    spec, params = ShingleSpec(), MinHashParams(num_perm=256)
    words = [f"wort{i}" for i in range(400)]
    a = document_shingles(" ".join(words), spec)
    b = document_shingles(" ".join(words[:300] + [f"anders{i}" for i in range(100)]), spec)
    true_jaccard = len(np.intersect1d(a, b)) / len(np.union1d(a, b))
    rows = signatures([a, b], params)
    estimate = float(np.mean(rows[0] == rows[1]))
    assert abs(estimate - true_jaccard) < 0.1


def test_memory_index_proposes_similar_and_not_unrelated_documents():
    spec, params = ShingleSpec(), MinHashParams()
    base = " ".join(f"wort{i}" for i in range(300))
    near = base.replace("wort150", "anders")
    other = " ".join(f"fremd{i}" for i in range(300))
    rows = signatures([document_shingles(text, spec) for text in (base, near, other)], params)
    index = MemoryIndex(threshold=0.5, params=params)
    for key, row in enumerate(rows):
        index.insert(key, row)
    assert index.candidate_pairs() == {(0, 1)}
    assert sorted(index.query(rows[1])) == [0, 1]
