"""The story signals of a corpus, each as a sparse matrix whose row dot products are the
pair similarities, so any set of pairs is scored in a few vectorised steps.

- stems: cosine of sublinear tf-idf vectors ((1 + log tf) * idf), the classic measure of
  shared content weighted by rarity;
- names, dates, title: rarity-weighted overlap of two sets, the idf of what they share
  over the geometric mean of each one's total idf, sum(idf shared) / sqrt(sum A * sum B).
  Row i holds sqrt(idf_t / sum A) for each member t, so a dot product is that overlap.
- numbers: the summed idf of the numbers both give, not divided by how many each gives.
  Most reports give few numbers, and many only a common one (a year, "Windows 10"); as a
  share, one shared "10" would count as full agreement. (Measured: normalised numbers
  cost ecbplus precision 0.969 -> 0.959 and pac 0.860 -> 0.839 at equal ARI.)

idf is ln((1 + N) / (1 + df)) + 1, the smoothed form of scikit-learn: a word in every
document still counts a little, so a corpus of two or three reports still has weights.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse as sp

from dedup.story.features import StoryFeatures

SIGNALS = ("stems", "names", "numbers", "dates", "title")
# Pairs scored per vectorised step: bounds the temporary rows to a few tens of MB.
_PAIR_CHUNK = 20_000


class SignalSpace:
    def __init__(self, features: Sequence[StoryFeatures]) -> None:
        self.size = len(features)
        self.vocabulary: dict[str, list[str]] = {}
        self.matrices: dict[str, sp.csr_matrix] = {}
        self.idf: dict[str, np.ndarray] = {}
        self._ranks: dict[str, np.ndarray] = {}
        for signal in SIGNALS:
            terms = [_terms(feature, signal) for feature in features]
            counts, vocabulary = _count_matrix(terms)
            idf = _idf(counts)
            self.vocabulary[signal] = vocabulary
            self.idf[signal] = idf
            self.matrices[signal] = _ROWS[signal](counts, idf)
        # A document without a title, or naming no date or weekday, lacks that signal: it
        # neither counts for a pair nor against it. The others are always defined.
        self.present = {signal: np.diff(self.matrices[signal].indptr) > 0 for signal in SIGNALS}
        self.present.update({signal: np.ones(self.size, bool) for signal in ("stems", "names", "numbers")})

    def pair_similarity(self, signal: str, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """The signal's similarity of documents left[k] and right[k], for every k."""
        matrix = self.matrices[signal]
        out = np.empty(len(left), dtype=np.float64)
        for start in range(0, len(left), _PAIR_CHUNK):
            stop = start + _PAIR_CHUNK
            products = matrix[left[start:stop]].multiply(matrix[right[start:stop]])
            out[start:stop] = np.asarray(products.sum(axis=1)).ravel()
        return out

    def cross_similarity(self, signal: str, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
        """Dense similarities of every document in `rows` to every one in `columns`."""
        matrix = self.matrices[signal]
        return (matrix[rows] @ matrix[columns].T).toarray()

    def shared_terms(self, signal: str, left: int, right: int, limit: int) -> list[str]:
        """What two documents share in a signal, the rarest first, then alphabetically (for explanations)."""
        matrix = self.matrices[signal]
        row = matrix.indptr
        shared = np.intersect1d(
            matrix.indices[row[left] : row[left + 1]], matrix.indices[row[right] : row[right + 1]], assume_unique=True
        )
        vocabulary = self.vocabulary[signal]
        ranked = shared[np.argsort(self._rank(signal)[shared], kind="stable")[:limit]]
        return [vocabulary[column] for column in ranked.tolist()]

    def _rank(self, signal: str) -> np.ndarray:
        """Each column's place when ordered rarest first, then alphabetically; computed once."""
        if signal not in self._ranks:
            order = sorted(range(len(self.vocabulary[signal])), key=lambda column: (-self.idf[signal][column], self.vocabulary[signal][column]))
            rank = np.empty(len(order), dtype=np.int64)
            rank[order] = np.arange(len(order))
            self._ranks[signal] = rank
        return self._ranks[signal]


def _terms(feature: StoryFeatures, signal: str) -> Iterable[tuple[str, int]]:
    if signal == "stems":
        return feature.stems.items()
    # Sorted, so the columns, and the order of floating-point sums, never depend on set order.
    return ((term, 1) for term in sorted(getattr(feature, signal)))


def _count_matrix(documents: list[Iterable[tuple[str, int]]]) -> tuple[sp.csr_matrix, list[str]]:
    columns: dict[str, int] = {}
    indptr = [0]
    indices: list[int] = []
    values: list[int] = []
    for terms in documents:
        for term, count in terms:
            indices.append(columns.setdefault(term, len(columns)))
            values.append(count)
        indptr.append(len(indices))
    matrix = sp.csr_matrix(
        (np.asarray(values, dtype=np.float64), np.asarray(indices, dtype=np.int64), np.asarray(indptr, dtype=np.int64)),
        shape=(len(documents), len(columns)),
    )
    matrix.sort_indices()
    return matrix, list(columns)


def _idf(counts: sp.csr_matrix) -> np.ndarray:
    document_frequency = np.bincount(counts.indices, minlength=counts.shape[1])
    return np.log((1 + counts.shape[0]) / (1 + document_frequency)) + 1


def _cosine_rows(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    weights = counts.copy()
    weights.data = (1 + np.log(weights.data)) * idf[weights.indices]
    return _scale_rows(weights, np.sqrt(_row_sums(weights.multiply(weights).tocsr())))


def _overlap_rows(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    weights = counts.copy()
    weights.data = idf[weights.indices]
    root = weights.copy()
    root.data = np.sqrt(root.data)
    return _scale_rows(root, np.sqrt(_row_sums(weights)))


def _shared_rarity_rows(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """Rows of sqrt(idf), so a dot product is the summed idf of what two documents share."""
    weights = counts.tocsr(copy=True)
    weights.data = np.sqrt(idf[weights.indices])
    return weights


_ROWS = {"stems": _cosine_rows, "names": _overlap_rows, "numbers": _shared_rarity_rows, "dates": _overlap_rows,
         "title": _overlap_rows}


def _row_sums(matrix: sp.csr_matrix) -> np.ndarray:
    return np.asarray(matrix.sum(axis=1)).ravel()


def _scale_rows(matrix: sp.csr_matrix, norms: np.ndarray) -> sp.csr_matrix:
    norms = np.where(norms > 0, norms, 1.0)
    scaled = matrix.tocsr(copy=True)
    scaled.data /= np.repeat(norms, np.diff(scaled.indptr))
    return scaled
