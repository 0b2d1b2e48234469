"""Blocking: which sentence pairs of two reports the aligner looks at at all.

Scoring every pair costs the product of the two reports' lengths: two 1 MB reports hold
some 6,500 sentences each, 43 million pairs, about an hour. Two sentences that state one
fact share content stems (dedup.text.language.content_stems), and mostly rare ones: names,
places, the specific verb. So each sentence is paired only with the sentences of the other
report that share the most with it:

    shared(a, b) = the IDF weights of the content stems a and b both hold, summed
    (IDF as the matcher takes it, over the sentences of both reports, in thousandths
    so that sums are exact and ties are ties); a stem held by more than COMMON_STEM_SENTENCES
    sentences of each report counts for nothing ("said", "people" in two long reports).
    For each sentence, the `per_sentence` sentences of the other report with the largest
    shared weight above 0 (ties to the earlier sentence) are its candidates.

A pair is looked at when either of its sentences has the other among its candidates.
Sentences without a content stem ("Ja.", "So what?") share the empty stem with each other.
That bounds the pairs at `per_sentence` x (sentences of both reports): linear in the
reports' length, whatever words they share. The shared weights come from a sparse matrix
product, block by block; a stem it counts is in at most COMMON_STEM_SENTENCES sentences of
one report, so the work is at most COMMON_STEM_SENTENCES x (the stems of all sentences):
linear as well.

What it gives up, and when:
- A pair that shares no content stem is never looked at. Its stem overlap is 0, so it
  could only reach the aligner's threshold (PARAPHRASE_THRESHOLD, 0.276) by a character
  cosine of at least 0.552; in MSRP and STSb-de (11,325 labelled sentence pairs), none of
  the 7,210 pairs scoring at or above the threshold shares no stem.
- While one report has at most `per_sentence` sentences, every sentence of the other has
  all the sentences it shares a stem with among its candidates: every pair sharing a stem
  is looked at. Beyond that a pair is left out only when each of its sentences shares
  more with `per_sentence` others. benchmarks/compare_scaling.py measures what that costs
  against looking at every pair sharing a stem.

Everything is symmetric in the two reports: comparing B with A looks at the mirrored pairs.
Stem sets in, index pairs out; nothing here knows what a score is.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse as sp

from dedup.semantic.products import dot_products

# A sentence's candidates: the sentences of the other report that share most with it.
# 40 keeps 98.6 % of the two-sided rows that looking at every stem-sharing pair aligns in
# the two 1 MB reports of benchmarks/compare_scaling.py (99.7 % at 400 KB, all of them up
# to 200 KB), and puts any report of up to 40 sentences (about 6 KB of news) in the exact
# regime.
CANDIDATES_PER_SENTENCE = 40
# With the sentence encoder, a sentence's nearest sentences of the other report by meaning
# are candidates too. A fact stated once is rarely stated in more than a few sentences of
# the other report; 5 keeps the search linear while leaving the aligner a choice.
SEMANTIC_CANDIDATES_PER_SENTENCE = 5
# A stem in more sentences than this in each report tells no two of them apart.
COMMON_STEM_SENTENCES = 400
# The empty stem: what sentences without content stems share.
_NO_STEMS = ""
# Entries of the shared-weight matrix computed at once (memory: 16 bytes each).
_BLOCK_ENTRIES = 4_000_000


def candidate_pairs(left: Sequence[Iterable[str]], right: Sequence[Iterable[str]],
                    per_sentence: int = CANDIDATES_PER_SENTENCE) -> set[tuple[int, int]]:
    """The (left index, right index) pairs worth looking at, given each sentence's content stems."""
    left_keys = [frozenset(stems) or frozenset((_NO_STEMS,)) for stems in left]
    right_keys = [frozenset(stems) or frozenset((_NO_STEMS,)) for stems in right]
    if not left_keys or not right_keys:
        return set()
    held_left = Counter(key for keys in left_keys for key in keys)
    held_right = Counter(key for keys in right_keys for key in keys)
    size = len(left_keys) + len(right_keys)
    columns: dict[str, int] = {}
    weights: list[int] = []
    common = max(COMMON_STEM_SENTENCES, per_sentence)
    for key in sorted(held_left.keys() & held_right.keys()):  # only stems both reports hold can be shared
        if held_left[key] <= common or held_right[key] <= common:
            columns[key] = len(columns)
            weights.append(round(1000 * (math.log((size + 1) / (held_left[key] + held_right[key] + 1)) + 1)))
    left_matrix = _incidence(left_keys, columns)
    right_matrix = _incidence(right_keys, columns)
    weight = sp.diags(np.asarray(weights, dtype=np.int64), dtype=np.int64) if weights else sp.csr_matrix((0, 0), dtype=np.int64)
    pairs = set(_best(left_matrix @ weight, right_matrix, per_sentence))
    pairs.update((i, j) for j, i in _best(right_matrix @ weight, left_matrix, per_sentence))
    return pairs


def _incidence(keys: Sequence[frozenset[str]], columns: dict[str, int]) -> sp.csr_matrix:
    """Sentences x stems, 1 where the sentence holds the stem."""
    rows, cols = [], []
    for row, sentence_keys in enumerate(keys):
        for key in sentence_keys:
            column = columns.get(key)
            if column is not None:
                rows.append(row)
                cols.append(column)
    data = np.ones(len(rows), dtype=np.int64)
    return sp.csr_matrix((data, (rows, cols)), shape=(len(keys), len(columns)), dtype=np.int64)


def _best(weighted: sp.csr_matrix, other: sp.csr_matrix, per_sentence: int):
    """(row, other row) for each row's `per_sentence` other rows of the largest shared
    weight, ties to the lower other row; block by block of rows."""
    other_transposed = other.T.tocsc()
    rows_at_once = max(1, _BLOCK_ENTRIES // max(1, other.shape[0]))
    for first in range(0, weighted.shape[0], rows_at_once):
        shared = (weighted[first:first + rows_at_once] @ other_transposed).tocoo()
        if not shared.nnz:
            continue
        order = np.lexsort((shared.col, -shared.data, shared.row))
        rows = shared.row[order]
        rank = np.arange(len(rows)) - np.searchsorted(rows, rows, side="left")
        chosen = order[rank < per_sentence]
        yield from zip((shared.row[chosen] + first).tolist(), shared.col[chosen].tolist())


def nearest_by_meaning(left: np.ndarray, right: np.ndarray, per_sentence: int = SEMANTIC_CANDIDATES_PER_SENTENCE,
                       floor: float = 0.0) -> set[tuple[int, int]]:
    """The (left index, right index) pairs where either sentence is among the other's
    `per_sentence` nearest by the encoder's cosine (rows of unit vectors), at `floor` or
    above: the pairs stem blocking cannot see, a paraphrase in other words or a translation.
    Ties go to the lower index; block by block of rows, so memory stays bounded."""
    pairs: set[tuple[int, int]] = set()
    if not len(left) or not len(right):
        return pairs
    for one, other, mirrored in ((left, right, False), (right, left, True)):
        rows_at_once = max(1, _BLOCK_ENTRIES // len(other))
        keep = min(per_sentence, len(other))
        for first in range(0, len(one), rows_at_once):
            cosines = dot_products(one[first:first + rows_at_once], other)  # the same in any block
            # Stable order on (-cosine, index): ties to the lower index, the same on any machine.
            best = np.argsort(-cosines, axis=1, kind="stable")[:, :keep]
            for offset, columns in enumerate(best.tolist()):
                row = first + offset
                for column in columns:
                    if cosines[offset, column] >= floor:
                        pairs.add((column, row) if mirrored else (row, column))
    return pairs
