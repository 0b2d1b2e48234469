"""The story signals of a set of documents, each as a sparse matrix whose row dot products
are pair similarities, so any set of pairs is measured in a few vectorised steps.

Every weight is a function of one document and of shipped knowledge (the rarity of a
word in its language, dedup.story.reference), never of the other documents scanned: a
pair measures the same in a corpus of two and in a corpus of a million.

- stems: cosine of vectors of (1 + ln tf) * rarity, tf-idf with the reference rarity as
  the idf;
- stems_shared, names_shared, numbers, title: the summed rarity of what both give, not
  divided by how many each gives (most reports give few numbers, and as a share one shared
  "10" would be full agreement). Rows of sqrt(rarity);
- rare_stems: how many stems of at least RARE_STEM rarity both give;
- lead: rarity-weighted overlap of the two leads' stems, the rarity of what they share over
  the geometric mean of each one's total, sum(shared) / sqrt(sum A * sum B). Row i holds
  sqrt(rarity_t / sum A) for each member t, so a dot product is that overlap;
- names, dates, weekdays, years, quotes, quantities, units, lead_when, lead_numbers: how
  many of each both give (names: which names, "01-10", "thursday", "2021", quoted stem
  pairs, "14 peopl", the units those count, the lead's days and numbers).
Two more are not dot products of one matrix: the share of one report's lead names that the
other names anywhere (`found_share`), and how many units both count with a value in common
(`units_agreeing`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import scipy.sparse as sp

from dedup.story.features import StoryFeatures
from dedup.story.terms import TermTable, is_year, unit_of

SIGNALS = ("stems", "stems_shared", "rare_stems", "names", "names_shared", "numbers", "dates", "weekdays", "years", "title",
           "quotes", "lead", "quantities", "units", "lead_when", "lead_numbers")
# A stem this rare (in fewer than one report in 2,500: "uschakow" is 4.7, "telefonat" 2.6)
# is an event's own word rather than the topic's.
RARE_STEM = 3.4
# Pairs measured per vectorised step: bounds the temporary rows to a few tens of MB.
_PAIR_CHUNK = 20_000


class SignalSpace:
    """The signals of `features`; their terms read from `terms` at `rows` when a scan fed
    them to a TermTable as they came (rows[i] is features[i]'s), else numbered here."""

    def __init__(self, features: Sequence[StoryFeatures], terms: TermTable | None = None,
                 rows: Sequence[int] | None = None, stems: StemSpace | None = None) -> None:
        """`stems`, when given, is the StemSpace of the same features, terms and rows: its
        stems are not read again (a scan bands story candidates from it meanwhile)."""
        if terms is None:
            terms, rows = TermTable(features), range(len(features))
        rows = np.asarray(rows, dtype=np.int64)
        self.size = len(features)
        self.vocabulary: dict[str, list[str]] = {}
        self.matrices: dict[str, sp.csr_matrix] = {}
        self.rarity: dict[str, sp.csr_matrix] = {}  # per document and term, for rankings
        built: dict[str, tuple[sp.csr_matrix, sp.csr_matrix, list[str]]] = {}
        if stems is not None:
            built["stems"] = stems.counts, stems.rarity, stems.vocabulary["stems"]
        for signal in SIGNALS:
            source = _SOURCE.get(signal, signal)
            if source not in built:
                built[source] = terms.weighted_counts(source, rows)
            counts, rarity, vocabulary = built[source]
            self.vocabulary[signal] = vocabulary
            self.rarity[signal] = rarity
            if signal == "stems" and stems is not None:
                self.matrices[signal] = stems.matrices["stems"]
            else:
                self.matrices[signal] = _ROWS[signal](counts, rarity)
        # Its lead names, as shares of their rarity, over the names' columns.
        self.matrices["lead_names"] = _lead_name_rows(features, self.rarity["names"], self.vocabulary["names"])
        # Which unit each quantity column counts, as a (quantities x units) 0/1 matrix.
        unit_columns = {unit: column for column, unit in enumerate(self.vocabulary["units"])}
        quantity_units = [unit_columns[unit_of(quantity)] for quantity in self.vocabulary["quantities"]]
        self.quantity_unit = sp.csr_matrix(
            (np.ones(len(quantity_units)), (np.arange(len(quantity_units)), np.asarray(quantity_units, dtype=np.int64))),
            shape=(len(quantity_units), len(unit_columns)),
        )
        # Each document's summed name rarity, for the names' containment (shared / own).
        self.name_totals = _row_sums(self.rarity["names"])
        self.chance_spread = _chance_spread(self.matrices["stems"], self.rarity["stems"])
        # The latest year a report gives (0 if none): news looks back, so the latest year
        # it names is, more often than not, the year of its event.
        self.latest_year = np.array([max((int(term) for term in feature.numbers if is_year(term)), default=0)
                                     for feature in features])
        # Where each row starts in a rarity matrix, as Python numbers (shared_terms, per pair).
        self._row_starts: dict[str, list[int]] = {}
        # How many of each kind a document gives: a signal both documents lack says nothing.
        self.counts = {signal: np.diff(matrix.indptr) for signal, matrix in self.matrices.items()}

    def pair_similarity(self, signal: str, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """The signal's similarity of documents left[k] and right[k], for every k."""
        return row_products(self.matrices[signal], self.matrices[signal], left, right)

    def units_agreeing(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """For each pair, how many units both count with at least one value in common."""
        quantities = self.matrices["quantities"]
        out = np.empty(len(left), dtype=np.float64)
        for start in range(0, len(left), _PAIR_CHUNK):
            stop = start + _PAIR_CHUNK
            shared = quantities[left[start:stop]].multiply(quantities[right[start:stop]]).tocsr()
            out[start:stop] = np.diff((shared @ self.quantity_unit).tocsr().indptr)
        return out

    def found_share(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """For each pair, the share of left's lead names (by rarity) that right names anywhere."""
        return row_products(self.matrices["lead_names"], self.matrices["names"], left, right)

    def shared_terms(self, signal: str, left: int, right: int, limit: int) -> list[str]:
        """What two documents share in a signal, the rarest first, then alphabetically (for explanations)."""
        matrix = self.rarity[signal]
        row = self._row_starts.get(signal)
        if row is None:
            row = self._row_starts[signal] = matrix.indptr.tolist()
        # Each row's columns are sorted: right's columns are looked up among left's.
        left_columns, right_columns = matrix.indices[row[left] : row[left + 1]], matrix.indices[row[right] : row[right + 1]]
        places = left_columns.searchsorted(right_columns)
        found = places < len(left_columns)
        found[found] = left_columns[places[found]] == right_columns[found]
        where_left = places[found]
        shared = left_columns[where_left]
        rarity = matrix.data[row[left] : row[left + 1]][where_left]
        if 0 < limit < len(rarity):
            # Only the terms at least as rare as the limit-th rarest can be listed: those are
            # ranked (ties at that rarity included, and ordered by term as before).
            kept = -rarity <= np.partition(-rarity, limit - 1)[limit - 1]
            shared, rarity = shared[kept], rarity[kept]
        vocabulary = self.vocabulary[signal]
        ranked = sorted(zip((-rarity).tolist(), (vocabulary[column] for column in shared.tolist()), strict=True))
        return [term for _, term in ranked[:limit]]


class StemSpace:
    """The stems signal of SignalSpace alone (its rows, weighed the same way): all that
    the salient terms of story candidates read (dedup.story.candidates), at a fraction of
    the cost of every signal."""

    def __init__(self, features: Sequence[StoryFeatures], terms: TermTable | None = None,
                 rows: Sequence[int] | None = None) -> None:
        if terms is None:
            terms, rows = TermTable(features, sources=("stems",)), range(len(features))
        self.size = len(features)
        self.counts, self.rarity, vocabulary = terms.weighted_counts("stems", np.asarray(rows, dtype=np.int64))
        self.vocabulary = {"stems": vocabulary}
        self.matrices = {"stems": _ROWS["stems"](self.counts, self.rarity)}


# Signals read from the same terms of a document: built once, weighed several ways.
_SOURCE = {"stems_shared": "stems", "rare_stems": "stems", "names_shared": "names"}


def _cosine_rows(counts: sp.csr_matrix, rarity: sp.csr_matrix) -> sp.csr_matrix:
    weights = counts.copy()
    weights.data = (1 + np.log(weights.data)) * rarity.data
    return _scale_rows(weights, np.sqrt(_row_sums(weights.multiply(weights).tocsr())))


def _overlap_rows(counts: sp.csr_matrix, rarity: sp.csr_matrix) -> sp.csr_matrix:
    root = rarity.copy()
    root.data = np.sqrt(root.data)
    return _scale_rows(root, np.sqrt(_row_sums(rarity)))


def _shared_rarity_rows(counts: sp.csr_matrix, rarity: sp.csr_matrix) -> sp.csr_matrix:
    """Rows of sqrt(rarity), so a dot product is the summed rarity of what two documents share."""
    root = rarity.copy()
    root.data = np.sqrt(root.data)
    return root


def _chance_spread(cosine_rows: sp.csr_matrix, rarity: sp.csr_matrix) -> np.ndarray:
    """How far a document's content-word cosine with unrelated reports would spread by
    chance: the standard deviation of its overlap with a typical report, which uses each
    of its words with the chance that the word's rarity states (10^-rarity).
    A report in everyday words meets anything halfway; one full of rare names meets little
    by chance, so the same cosine says more. The reference's answer to "what does this
    document share with the rest of the news", which story mode once read from the scanned
    corpus as each document's background."""
    chance = np.power(10.0, -rarity.data)  # the chance that a report uses the word
    spread = cosine_rows.copy()
    spread.data = (spread.data * rarity.data) ** 2 * chance
    return np.sqrt(_row_sums(spread))


def _lead_name_rows(features: Sequence[StoryFeatures], rarity: sp.csr_matrix, vocabulary: list[str]) -> sp.csr_matrix:
    """Rows over the names' columns holding each lead name's share of the lead names' rarity."""
    leads = rarity.copy()
    # Which entries are lead names: (row, column) as one number, looked up all at once.
    column_of = {name: column for column, name in enumerate(vocabulary)}
    width = max(len(vocabulary), 1)
    lead_entries = np.fromiter((row * width + column_of[name] for row, feature in enumerate(features)
                                for name in feature.lead_names if name in column_of), dtype=np.int64)
    entry_rows = np.repeat(np.arange(len(features), dtype=np.int64), np.diff(leads.indptr))
    chosen = np.isin(entry_rows * width + leads.indices, lead_entries)
    values = np.where(chosen, leads.data, 0.0)
    for row in range(len(features)):
        start, stop = leads.indptr[row], leads.indptr[row + 1]
        leads.data[start:stop] = values[start:stop] / max(values[start:stop].sum(), 1e-12)
    leads.eliminate_zeros()
    return leads


def _rare_rows(counts: sp.csr_matrix, rarity: sp.csr_matrix) -> sp.csr_matrix:
    rare = rarity.copy()
    rare.data = (rare.data >= RARE_STEM).astype(np.float64)
    rare.eliminate_zeros()
    return rare


def _count_rows(counts: sp.csr_matrix, rarity: sp.csr_matrix) -> sp.csr_matrix:
    ones = counts.copy()
    ones.data = np.ones_like(ones.data)
    return ones


_ROWS: dict[str, Callable[[sp.csr_matrix, sp.csr_matrix], sp.csr_matrix]] = {
    "stems": _cosine_rows,
    "stems_shared": _shared_rarity_rows,
    "rare_stems": _rare_rows,
    "names": _count_rows,
    "names_shared": _shared_rarity_rows,
    "numbers": _shared_rarity_rows,
    "dates": _count_rows,
    "weekdays": _count_rows,
    "years": _count_rows,
    "title": _shared_rarity_rows,
    "quotes": _count_rows,
    "lead": _overlap_rows,
    "quantities": _count_rows,
    "units": _count_rows,
    "lead_when": _count_rows,
    "lead_numbers": _count_rows,
}


def row_products(rows: sp.csr_matrix, columns: sp.csr_matrix, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """rows[left[k]] · columns[right[k]] for every k, a chunk of pairs at a time."""
    out = np.empty(len(left), dtype=np.float64)
    for start in range(0, len(left), _PAIR_CHUNK):
        stop = start + _PAIR_CHUNK
        out[start:stop] = np.asarray(rows[left[start:stop]].multiply(columns[right[start:stop]]).sum(axis=1)).ravel()
    return out


def _row_sums(matrix: sp.csr_matrix) -> np.ndarray:
    return np.asarray(matrix.sum(axis=1)).ravel()


def _scale_rows(matrix: sp.csr_matrix, norms: np.ndarray) -> sp.csr_matrix:
    norms = np.where(norms > 0, norms, 1.0)
    scaled = matrix.tocsr(copy=True)
    scaled.data /= np.repeat(norms, np.diff(scaled.indptr))
    return scaled
