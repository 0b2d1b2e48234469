"""Story candidates: MinHash LSH over each document's most telling content words.

Two reports of one event share few word sequences but many rare words: the names, the
place, the event's own vocabulary. So each document is reduced to its SALIENT_TERMS
stems of highest weight ((1 + ln tf) times the stem's rarity in the language, from
dedup.story.reference: a property of the document alone, so whether two documents are
candidates never depends on the rest of the corpus), and LSH proposes the pairs whose
sets share at least SHARED_SALIENT of them. The banding is a proposal with false
positives; a pair goes on only if its MinHash estimate of the Jaccard clears the same
threshold. The verifier decides the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from dedup.index.bands import bucket_keys, lsh_bands, pairs_sharing_a_key
from dedup.minhash import MinHashParams, signatures
from dedup.parallel import thread_map
from dedup.story.features import StoryFeatures
from dedup.story.signals import SignalSpace, StemSpace
from dedup.text.shingles import WordHashes, sorted_unique

# Enough words to describe an event (who, where, what) and few enough that a long report's
# background vocabulary does not crowd them out.
SALIENT_TERMS = 40
# Two reports of one event share at least two of their salient stems (one shared word is
# chance: a city, a party). Two sets of SALIENT_TERMS sharing SHARED_SALIENT have Jaccard
# s / (2k - s) = 2 / 78, about 0.026; LSH proposes pairs down to that.
SHARED_SALIENT = 2
CANDIDATE_JACCARD = SHARED_SALIENT / (2 * SALIENT_TERMS - SHARED_SALIENT)
# Proposed pairs whose signatures are compared at once: two rows of 128 numbers each, some
# tens of MB of temporary rows per block.
_PAIRS_PER_STEP = 50_000

_hashes = WordHashes()


def salient_sets(space: SignalSpace | StemSpace) -> list[np.ndarray]:
    """Each document's salient stems as sorted 64-bit hashes (stable across corpora)."""
    weights = space.matrices["stems"]
    vocabulary = space.vocabulary["stems"]
    # Each stem hashed once, then every entry's hash looked up by its column at once.
    entry_hashes = np.fromiter((_hashes[term] for term in vocabulary), np.uint64, len(vocabulary))[weights.indices]
    sets = []
    for row in range(space.size):
        start, stop = weights.indptr[row], weights.indptr[row + 1]
        hashes = entry_hashes[start:stop]
        # Ties broken by the stem's hash, not by its column (which depends on the corpus).
        top = hashes[np.lexsort((hashes, -weights.data[start:stop]))[:SALIENT_TERMS]]
        sets.append(sorted_unique(top))
    return sets


def salient_band_keys(features: Sequence[StoryFeatures], params: MinHashParams) -> list[np.ndarray]:
    """Each document's story LSH band keys, as `story_candidates` bands them: two
    documents are story candidates only if they share one. A function of each document
    alone, so an index stores them and a check looks its documents' keys up
    (dedup.gate.stories) instead of reading every indexed document. A document without
    salient stems has none."""
    if not features:
        return []
    sets = salient_sets(StemSpace(features))
    bands, rows = lsh_bands(CANDIDATE_JACCARD, params.num_perm)
    keys = bucket_keys(signatures(sets, params), bands, rows)
    return [row if len(terms) else row[:0] for row, terms in zip(keys, sets, strict=True)]


# Who groups band keys into candidate pairs: this process by default, or an engine's
# workers (dedup.engines; the same pairs, see tests/test_bands.py).
CandidatePairs = Callable[[np.ndarray, np.ndarray, int, int], tuple[np.ndarray, np.ndarray]]


def local_candidate_pairs(positions: np.ndarray, signature_rows: np.ndarray, bands: int, rows: int) -> tuple[np.ndarray, np.ndarray]:
    return pairs_sharing_a_key(bucket_keys(signature_rows, bands, rows), positions)


def story_candidates(space: SignalSpace | StemSpace, params: MinHashParams,
                     candidate_pairs: CandidatePairs = local_candidate_pairs, jobs: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """(left, right) document positions of every candidate pair, left < right: the pairs
    datasketch's MinHashLSH at CANDIDATE_JACCARD proposes, banded in bulk."""
    return banded_candidates(*salient_signatures(space, params), params, candidate_pairs, jobs)


def salient_signatures(space: SignalSpace | StemSpace, params: MinHashParams) -> tuple[np.ndarray, np.ndarray]:
    """The MinHash signature of each document's salient stems, and the positions of the
    documents that have any."""
    sets = salient_sets(space)
    positions = np.asarray([position for position, terms in enumerate(sets) if len(terms)], dtype=np.int64)
    return signatures(sets, params), positions


def banded_candidates(signature_rows: np.ndarray, positions: np.ndarray, params: MinHashParams,
                      candidate_pairs: CandidatePairs = local_candidate_pairs, jobs: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """story_candidates from the salient signatures (`salient_signatures`). The pairs the
    bands propose are checked in blocks on `jobs` threads: NumPy lets go of the interpreter."""
    bands, rows = lsh_bands(CANDIDATE_JACCARD, params.num_perm)
    left, right = candidate_pairs(positions, signature_rows[positions], bands, rows)

    def agreeing(start: int) -> np.ndarray:
        stop = start + _PAIRS_PER_STEP
        return np.count_nonzero(signature_rows[left[start:stop]] == signature_rows[right[start:stop]], axis=1)

    agree = np.concatenate([np.zeros(0, dtype=np.int64), *thread_map(agreeing, range(0, len(left), _PAIRS_PER_STEP), jobs)])
    # The share of agreeing permutations, as np.mean gives it (a count over num_perm is exact).
    keep = agree / signature_rows.shape[1] >= CANDIDATE_JACCARD
    return left[keep], right[keep]
