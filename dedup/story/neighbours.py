"""Story candidates by meaning: each document's nearest neighbours among the sentence
vectors of the others (dedup.semantic), in its own language and in every other one.

LSH over salient words (dedup.story.candidates) proposes reports that share rare words.
Two reports of one event in German and English share almost none, so it never proposes
them; their vectors lie close whatever the language. So with `--semantic` each document
also proposes its SAME_LANGUAGE nearest neighbours in its own language and its
OTHER_LANGUAGE nearest in each other language: searched per language, because a report's
nearest neighbours overall are reports in its own language (a translation scores lower
than a paraphrase), and the other language would never be reached. A neighbour below the
language's floor (MIN_COSINE_SAME_LANGUAGE, MIN_COSINE_OTHER_LANGUAGE) is not proposed.

Whether a pair is proposed depends on the rest of the corpus (a neighbour is "nearest"
among those present), unlike LSH; its probability does not (dedup.story.pair_model).

Up to EXACT_LIMIT documents per language the neighbours are exact (blocked matrix
products and a top-k per row); beyond it an HNSW index finds them approximately when the
usearch package (Apache-2.0) is installed, else the exact search runs on, slower.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dedup.index.bands import unique_pairs
from dedup.semantic.products import dot_products

# Neighbours proposed per document in its own language: about the number of other reports
# one event gets in a news corpus once copies are folded (ecbplus: 11.7 reports per event;
# insm_de_press: 99% of the 1,817 story clusters have at most 10 members).
SAME_LANGUAGE = 10
# Neighbours proposed per document in each other language: as many, for the same reason.
OTHER_LANGUAGE = 10
# Within one language LSH already proposes 96-100% of the same-event pairs (basil, ecbplus,
# pac; benchmarks/fit_story_model.py --semantic); neighbours by meaning add the retellings
# in other words, which lie close. Over all pairs of those corpora, a pair whose summaries'
# cosine is 0.5-0.6 is one event in 1.3% / 20% / 3.8% of cases, from 0.6 up in 48% / 73% /
# 32%. Proposing the pairs from 0.5 on cost pac 0.03 ARI (more weak links for the average
# linkage to add up) and gave the others nothing; from 0.6 on nothing was lost.
MIN_COSINE_SAME_LANGUAGE = 0.6
# Across languages neighbours are the only proposal, so the floor only drops what is hardly
# ever one event: below 0.3 (0.36 on the one-language scale, dedup.story.meaning) lie 0.7% /
# 2.2% / 2.6% of the same-event pairs of basil / ecbplus / pac, and they are 0.007% / 0.04% /
# 0.013% of the pairs there; the lowest German-English pair of one event in
# benchmarks/data/crosslang_insm_en.jsonl has 0.28, the next 0.41.
MIN_COSINE_OTHER_LANGUAGE = 0.3
# Documents of one language up to which neighbours are found exactly. Measured on two
# shared cores with 512-d vectors in topic clusters: exact 3.5 s for 13,518 documents,
# 45 s for 50,000, about 290 s for 100,000 (it grows with the square); usearch's HNSW index
# (built on one thread, so its graph and the candidates are the same every run) 13 s,
# 84 s and 255 s, finding 99.5-99.99% of the exact neighbours. From here on the index
# is no slower and grows as n log n.
EXACT_LIMIT = 100_000
# Products held per block of query rows: 2^23 values, 64 MB as float64, whatever the corpus.
_BLOCK_VALUES = 1 << 23


def neighbour_pairs(vectors: np.ndarray, languages: Sequence[str], same_language: int = SAME_LANGUAGE,
                    other_language: int = OTHER_LANGUAGE, min_same: float = MIN_COSINE_SAME_LANGUAGE,
                    min_other: float = MIN_COSINE_OTHER_LANGUAGE) -> tuple[np.ndarray, np.ndarray]:
    """(left, right) document positions, left < right, of every pair in which one document
    is among the other's nearest neighbours (by the cosine of their unit vectors) in its
    language (at `min_same` or above) or in another (at `min_other` or above); each pair
    once, sorted."""
    codes = np.asarray(_language_codes(languages), dtype=np.int64)
    found: list[np.ndarray] = []
    for language in np.unique(codes).tolist():
        queries = np.flatnonzero(codes == language)
        for other in np.unique(codes).tolist():
            base = np.flatnonzero(codes == other)
            if other == language:
                found.append(_pairs_of(vectors, queries, base, same_language, min_same, same=True))
            else:
                found.append(_pairs_of(vectors, queries, base, other_language, min_other, same=False))
    pairs = np.concatenate(found) if found else np.zeros((0, 2), dtype=np.int64)
    return unique_pairs(pairs)  # (a, b) and (b, a) are one pair


def _language_codes(languages: Sequence[str]) -> list[int]:
    """Each document's language as a small number, in order of first appearance."""
    seen: dict[str, int] = {}
    return [seen.setdefault(language, len(seen)) for language in languages]


def _pairs_of(vectors: np.ndarray, queries: np.ndarray, base: np.ndarray, k: int, min_cosine: float,
              same: bool) -> np.ndarray:
    """(query, neighbour) document positions, shape (n, 2), for each query's k nearest in `base`."""
    if len(queries) == 0 or len(base) == 0 or k <= 0:
        return np.zeros((0, 2), dtype=np.int64)
    # Within one language the queries are the base itself: each leaves itself out.
    itself = np.arange(len(queries)) if same else None
    if len(base) > EXACT_LIMIT and (search := _approximate_search()) is not None:
        neighbours, cosines = search(vectors[base], vectors[queries], k, itself)
    else:
        neighbours, cosines = exact_neighbours(vectors[queries], vectors[base], k, itself)
    rows = np.repeat(queries, neighbours.shape[1])
    found = neighbours.ravel()
    keep = (cosines.ravel() >= min_cosine) & (found >= 0)
    return np.stack([rows[keep], base[found[keep]]], axis=1)


def exact_neighbours(queries: np.ndarray, base: np.ndarray, k: int,
                     itself: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """For each query row, the positions in `base` of its k rows of highest dot product and
    those products, by blocks of query rows (shapes (queries, k'), k' = min(k, rows left));
    among equal products the earlier row comes first. `itself[i]`, when given, is a row of
    `base` that query i leaves out (its own)."""
    k = max(0, min(k, len(base) - (itself is not None)))
    positions = np.empty((len(queries), k), dtype=np.int64)
    products = np.empty((len(queries), k), dtype=np.float32)
    if k == 0:
        return positions, products
    rows = max(1, _BLOCK_VALUES // max(len(base), 1))
    wide_base = np.asarray(base, dtype=np.float64)  # converted once, not per block (dedup.semantic.products)
    for start in range(0, len(queries), rows):
        block = dot_products(queries[start:start + rows], wide_base)
        if itself is not None:
            block[np.arange(len(block)), itself[start:start + rows]] = -np.inf
        if k < block.shape[1]:
            top = np.argpartition(-block, k - 1, axis=1)[:, :k]
            # The k-th value may be shared with columns the partition left out (two documents
            # of one summary): there every column that reaches it competes, the earliest first,
            # so the choice never depends on how the partition fell.
            kth = np.take_along_axis(block, top, axis=1).min(axis=1, keepdims=True)
            for row in np.flatnonzero(np.count_nonzero(block >= kth, axis=1) > k).tolist():
                reaching = np.flatnonzero(block[row] >= kth[row, 0])
                top[row] = reaching[np.lexsort((reaching, -block[row, reaching]))[:k]]
        else:
            top = np.broadcast_to(np.arange(block.shape[1]), block.shape)
        values = np.take_along_axis(block, top, axis=1)
        order = np.lexsort((top, -values), axis=1)  # by product, then by position
        positions[start:start + rows] = np.take_along_axis(top, order, axis=1)
        products[start:start + rows] = np.take_along_axis(values, order, axis=1)
    return positions, products


def _approximate_search():
    """usearch's HNSW search as a function (base, queries, k, itself) -> (positions, cosines)
    like `exact_neighbours` (-1 where fewer were found), or None where usearch is not installed."""
    try:
        from usearch.index import Index  # noqa: PLC0415 -- optional, only for corpora beyond EXACT_LIMIT
    except ImportError:
        return None

    def search(base: np.ndarray, queries: np.ndarray, k: int,
               itself: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        index = Index(ndim=base.shape[1], metric="ip", dtype="f32")
        # One thread builds the graph: with several, the graph depends on their timing, and
        # so would the candidates.
        index.add(np.arange(len(base), dtype=np.uint64), base, threads=1)
        wanted = k + (itself is not None)
        found = index.search(queries, wanted)
        positions = found.keys.astype(np.int64).reshape(len(queries), -1)
        cosines = (1 - found.distances).astype(np.float32).reshape(len(queries), -1)
        positions[np.arange(positions.shape[1]) >= found.counts.reshape(-1, 1)] = -1  # fewer found than asked
        if itself is not None:  # each query's own row out, then its k best
            positions[positions == itself[:, None]] = -1
            order = np.argsort(positions < 0, axis=1, kind="stable")[:, :k]
            positions, cosines = np.take_along_axis(positions, order, axis=1), np.take_along_axis(cosines, order, axis=1)
        return positions, cosines

    return search
