"""LSH bands in bulk: every band of every signature as one 64-bit key, and the candidate
pairs (documents that share a key) of a whole batch, with NumPy instead of one
`MinHashLSH.insert` per document.

Band i of a signature (its rows i*r .. i*r+r-1) is folded into one signed 64-bit integer
with the band number mixed in, so one integer column holds every band: two documents
share a key when they agree on a whole band (a different band's equal values give a
different key). A 2^-64 chance of a false match only adds a candidate, which
verification drops. The persistent indexes store these keys (dedup.index.sqlite), and the
Ray engine groups documents by them across a cluster (dedup.engines.ray); the candidate
pairs are those of datasketch's `MinHashLSH` with the same bands and rows (tested).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from dedup.text.shingles import sorted_unique
from dedup.text.span_hashes import mix64

_BAND_SALT = np.uint64(0x9E3779B97F4A7C15)
# A corpus of 3,000 near-identical texts puts them all in one bucket of each of 42 bands,
# which propose every pair 42 times (190 million, 1.5 GB had they been gathered at once).
# So the pairs of buckets of at least _CROWDED members are made unique as they come, in
# blocks of _PAIRS_AT_ONCE (64 MB); a sparse corpus's small buckets repeat few pairs and
# are sorted once at the end, which costs least.
_CROWDED = 64
_PAIRS_AT_ONCE = 8_000_000


@lru_cache(maxsize=16)
def lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) for a Jaccard threshold: datasketch's own choice, as
    `MinHashLSH(threshold, num_perm)` makes it (tested equal), without importing it.

    datasketch weighs false positives and negatives equally: for each b bands of r rows
    (b*r <= num_perm) it integrates the chance a pair is proposed, 1 - (1 - s^r)^b, over
    s below the threshold (false positives) and its complement above it (false
    negatives), and keeps the first (b, r) of least sum, b and r ascending. Both
    integrands are polynomials of degree r*b <= num_perm, which Gauss-Legendre quadrature
    with num_perm/2 + 1 nodes integrates exactly, so all candidates are weighed at once."""
    nodes, weights = np.polynomial.legendre.leggauss(num_perm // 2 + 1)
    bands, rows = zip(*[(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)], strict=True)
    bands_, rows_ = np.array(bands, dtype=float)[:, None], np.array(rows, dtype=float)[:, None]

    def proposed(low: float, high: float) -> tuple[np.ndarray, np.ndarray]:
        s = (high - low) / 2 * nodes + (high + low) / 2  # the nodes moved from [-1, 1] to [low, high]
        return 1 - (1 - s[None, :] ** rows_) ** bands_, (high - low) / 2 * weights

    below, below_weights = proposed(0.0, threshold)
    above, above_weights = proposed(threshold, 1.0)
    error = 0.5 * (below @ below_weights) + 0.5 * ((1 - above) @ above_weights)
    best = int(np.argmin(error))  # the first of least error, as datasketch's strict `<` keeps it
    return bands[best], rows[best]


def bucket_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """Shape (documents, bands): each band of each signature as one signed 64-bit key."""
    with np.errstate(over="ignore"):
        values = signatures[:, : bands * rows].astype(np.uint64).reshape(len(signatures), bands, rows)
        keys = mix64(np.arange(1, bands + 1, dtype=np.uint64) * _BAND_SALT)[None, :].repeat(len(signatures), axis=0)
        for row in range(rows):
            keys = mix64(keys ^ values[:, :, row])
    return keys.view(np.int64)


def pairs_sharing_a_key(keys: np.ndarray, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair (left < right) of `positions` whose rows share a key, once, sorted.

    `keys` has one row per document (its band keys, or any keys), `positions` names the
    documents (numbers from 0). Sorting the flattened (key, position) pairs puts each bucket's members
    next to each other, in ascending position; buckets of the same size are expanded
    together, each pair as one integer (left * span + right), so that one sort of
    integers finds the pairs proposed by several buckets."""
    keys = np.asarray(keys, dtype=np.int64)
    positions = np.asarray(positions, dtype=np.int64)
    flat_keys = keys.ravel()
    flat_positions = np.repeat(positions, keys.shape[1] if keys.ndim == 2 else 1)
    order = np.lexsort((flat_positions, flat_keys))
    flat_keys, flat_positions = flat_keys[order], flat_positions[order]
    starts = np.flatnonzero(np.concatenate(([True], flat_keys[1:] != flat_keys[:-1]))) if len(flat_keys) else np.zeros(0, int)
    sizes = np.diff(np.append(starts, len(flat_keys)))
    span = int(positions.max()) + 1 if len(positions) else 1
    if span > 2**31:
        return _pairs_of_buckets(flat_positions, starts, sizes)  # too large to merge in 63 bits
    gathered: list[np.ndarray] = []  # the pairs of buckets of fewer than _CROWDED members, sorted at the end
    found = np.zeros(0, dtype=np.int64)  # sorted and unique: what blocks of crowded buckets gave
    runs: list[np.ndarray] = []  # each sorted and unique: blocks that repeated few pairs
    pending: list[np.ndarray] = []
    pending_pairs = 0
    for size in np.unique(sizes[sizes >= 2]).tolist():
        first, second = np.triu_indices(size, k=1)
        bucket_starts = starts[sizes == size]
        if size < _CROWDED:
            members = flat_positions[bucket_starts[:, None] + np.arange(size)[None, :]]  # (buckets, size)
            gathered.append((members[:, first] * span + members[:, second]).ravel())
            continue
        # Crowded buckets a block at a time, made unique once they add up to _PAIRS_AT_ONCE:
        # in a dense corpus most bands propose the same pairs again, and a block that
        # repeats a third of its pairs is made unique with all found so far.
        step = max(1, _PAIRS_AT_ONCE // len(first))
        for block in range(0, len(bucket_starts), step):
            members = flat_positions[bucket_starts[block:block + step, None] + np.arange(size)[None, :]]
            pending.append((members[:, first] * span + members[:, second]).ravel())
            pending_pairs += pending[-1].size
            if pending_pairs >= _PAIRS_AT_ONCE:
                unique = sorted_unique(np.concatenate(pending))
                if 3 * len(unique) <= 2 * pending_pairs:
                    found = sorted_unique(np.concatenate([found, unique]))
                else:
                    runs.append(unique)
                pending, pending_pairs = [], 0
    found = sorted_unique(np.concatenate([found, *runs, *pending, *gathered]))
    left, right = found // span, found % span
    keep = left != right  # a position that holds one key twice is no pair
    return left[keep], right[keep]


def _pairs_of_buckets(flat_positions: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    found = []
    for size in np.unique(sizes[sizes >= 2]).tolist():
        first, second = np.triu_indices(size, k=1)
        members = flat_positions[starts[sizes == size][:, None] + np.arange(size)[None, :]]
        found.append(np.stack([members[:, first].ravel(), members[:, second].ravel()], axis=1))
    return unique_pairs(np.concatenate(found) if found else np.zeros((0, 2), dtype=np.int64))


def unique_pairs(pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(left, right) with left < right, each pair once, sorted; `pairs` is (n, 2)."""
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    left, right = np.minimum(pairs[:, 0], pairs[:, 1]), np.maximum(pairs[:, 0], pairs[:, 1])
    keep = left != right
    left, right = left[keep], right[keep]
    if not len(left):
        return left, right
    # Each pair as one integer, left * span + right: sorting integers is many times faster
    # than np.unique(axis=0) on rows, and orders the pairs the same way.
    span = int(right.max()) + 1
    if span <= 2**31:
        merged = sorted_unique(left * span + right)  # np.unique hashes first: ten times slower here
        return merged // span, merged % span
    merged = np.unique(np.stack([left, right], axis=1), axis=0)  # positions too large to pair up in 63 bits
    return merged[:, 0], merged[:, 1]
