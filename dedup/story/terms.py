"""The terms of each story signal, every document's as column numbers, collected as the
documents arrive.

A story scan's signal matrices (dedup.story.signals) number every distinct term of a
source (a stem, a name, a number, "01-10") and weigh it by its rarity in the document's
language. Numbering and looking up are work on strings, seconds for ten thousand
reports, and need no other document: a scan hands each batch of story evidence to a
TermTable as its workers deliver it (dedup.pipeline), while they still read the rest,
and the story stage reads out only the rows of the documents it judges.

What `weighted_counts` returns numbers the columns by first appearance in the rows read,
in the order each document gives its terms (`document_terms`): a signal's matrices are a
function of those documents and their order alone, the same whatever else the table was
fed, so a pair's floating-point sums never depend on the corpus around it.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Sequence
from itertools import islice

import numpy as np
import scipy.sparse as sp

from dedup.story.features import StoryFeatures
from dedup.story.reference import number_rarity, stem_rarities, word_rarities
from dedup.text.shingles import sorted_unique

# The term sources of the signals (dedup.story.signals.SIGNALS; some signals weigh one
# source several ways: stems_shared and rare_stems read the stems, names_shared the names).
SOURCES = ("stems", "names", "numbers", "dates", "weekdays", "years", "title", "quotes", "lead", "quantities", "units",
           "lead_when", "lead_numbers")


def unit_of(quantity: str) -> str:
    """What a quantity counts: "14 peopl" -> "peopl", "120 duration" -> "duration"."""
    return quantity.partition(" ")[2]


def is_year(number: str) -> bool:
    """A number a report would give as a year (1900-2099): the event's when, at its coarsest."""
    return len(number) == 4 and number.isdigit() and number[:2] in ("19", "20")


def document_terms(feature: StoryFeatures, source: str) -> Sequence[str]:
    """A document's terms of a source, each once, in an order of the document alone: the
    stems in the order the text gives them (a dict keeps its insertion order), the rest
    sorted, so the order of floating-point sums never depends on set order."""
    if source == "stems":
        return list(feature.stems)
    if source == "units":
        return sorted({unit_of(quantity) for quantity in feature.quantities})
    if source == "years":
        return [term for term in sorted(feature.numbers) if is_year(term)]
    return sorted(getattr(feature, source))


def _rarities_of(source: str) -> Callable[[list[str], str], list[float]]:
    """How to look up the rarities of a source's terms in a language (1 for the sources that count)."""
    if source in ("stems", "title", "lead"):
        return stem_rarities
    if source == "names":
        return word_rarities
    if source == "numbers":
        return lambda terms, lang: [number_rarity(term, lang) for term in terms]
    return lambda terms, lang: [1.0] * len(terms)


class _SourceTerms:
    """One source's terms of every document fed: their columns one after another, numbered as they came."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.column_of: dict[str, int] = {}
        self.vocabulary: list[str] = []
        self.columns = array("q")
        self.lengths = array("q")  # how many terms each document has
        self.counts = array("d")  # each stem's count in its text (the stems only)
        # Per language, each column's rarity; NaN where no document of the language has the term.
        self.rarity: dict[str, np.ndarray] = {}

    def add(self, features: Sequence[StoryFeatures]) -> None:
        column_of, first_entry, known = self.column_of, len(self.columns), len(self.column_of)
        for feature in features:
            terms = document_terms(feature, self.source)
            # setdefault takes len(column_of) before it adds: a new term gets the next column.
            self.columns.extend([column_of.setdefault(term, len(column_of)) for term in terms])
            self.lengths.append(len(terms))
            if self.source == "stems":
                self.counts.extend(feature.stems.values())
        # The new terms are the dict's last ones, read from its end.
        self.vocabulary += reversed(list(islice(reversed(column_of), len(column_of) - known)))
        languages = _entries_by_language([feature.lang for feature in features],
                                         np.frombuffer(self.lengths, dtype=np.int64)[len(self.lengths) - len(features):])
        self._look_up_rarities(np.frombuffer(self.columns, dtype=np.int64)[first_entry:], languages)

    def _look_up_rarities(self, columns: np.ndarray, languages: list[tuple[str, np.ndarray]]) -> None:
        """The rarity of each term a batch gives in a language, for the terms not looked up
        in that language before: once per term and language."""
        for lang, entries in languages:
            table = self.rarity.get(lang, np.zeros(0))
            if len(table) < len(self.vocabulary):
                table = self.rarity[lang] = np.concatenate([table, np.full(len(self.vocabulary) - len(table), np.nan)])
            used = sorted_unique(columns[entries])  # np.unique: see dedup.text.shingles
            new = used[np.isnan(table[used])]
            table[new] = _rarities_of(self.source)([self.vocabulary[column] for column in new.tolist()], lang)

    def weighted_counts(self, rows: np.ndarray, langs: Sequence[str]) -> tuple[sp.csr_matrix, sp.csr_matrix, list[str]]:
        lengths = np.frombuffer(self.lengths, dtype=np.int64)
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        chosen_lengths = lengths[rows]
        pointer = np.concatenate(([0], np.cumsum(chosen_lengths))).astype(np.int64)
        # The entries of the chosen rows, one row after another.
        entries = np.repeat(starts[rows] - pointer[:-1], chosen_lengths) + np.arange(pointer[-1])
        columns = np.frombuffer(self.columns, dtype=np.int64)[entries]
        # Columns renumbered by their first appearance in these rows (ufunc.at keeps the least position).
        first = np.full(len(self.vocabulary), len(columns), dtype=np.int64)
        np.minimum.at(first, columns, np.arange(len(columns)))
        present = np.flatnonzero(first < len(columns))
        in_order = present[np.argsort(first[present], kind="stable")]
        renumbered = np.empty(len(self.vocabulary), dtype=np.int64)
        renumbered[in_order] = np.arange(len(in_order))
        indices = renumbered[columns]
        rarities = np.empty(len(columns))
        for lang, where in _entries_by_language([langs[row] for row in rows.tolist()], chosen_lengths):
            rarities[where] = self.rarity[lang][columns[where]]
        counts = np.frombuffer(self.counts, dtype=np.float64)[entries] if self.source == "stems" else np.ones(len(columns))
        shape = (len(rows), len(in_order))
        count_matrix = sp.csr_matrix((counts, indices, pointer), shape=shape)
        rarity_matrix = sp.csr_matrix((rarities, indices.copy(), pointer.copy()), shape=shape)
        # A term occurs once in a row, so both matrices sort the same way.
        count_matrix.sort_indices()
        rarity_matrix.sort_indices()
        return count_matrix, rarity_matrix, [self.vocabulary[column] for column in in_order.tolist()]


def _entries_by_language(langs: Sequence[str], lengths: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """For each language that has entries, in sorted order: which entries are its, given each
    document's language and number of entries (as numbers, not an array of strings, whose
    comparisons cost a Python call an entry)."""
    names, codes = np.unique(np.asarray(langs, dtype=str), return_inverse=True)
    entry_codes = np.repeat(codes.reshape(-1), lengths)
    counts = np.bincount(entry_codes, minlength=len(names))
    return [(str(names[code]), entry_codes == code) for code in np.flatnonzero(counts).tolist()]


class TermTable:
    """Every fed document's terms of each source (SOURCES, or those asked for), numbered."""

    def __init__(self, features: Iterable[StoryFeatures] = (), sources: Sequence[str] = SOURCES) -> None:
        self.langs: list[str] = []
        self._sources = {source: _SourceTerms(source) for source in sources}
        self.add(list(features))

    def __len__(self) -> int:
        return len(self.langs)

    def add(self, features: Sequence[StoryFeatures]) -> None:
        """Feed the next documents (numbered after those fed before)."""
        self.langs += [feature.lang for feature in features]
        for terms in self._sources.values():
            terms.add(features)

    def weighted_counts(self, source: str, rows: np.ndarray) -> tuple[sp.csr_matrix, sp.csr_matrix, list[str]]:
        """(counts, rarities, vocabulary) of the documents at `rows`, in that order: two
        matrices of one sparsity pattern, a row per document, the columns numbered by first
        appearance in these rows (see the module's docstring)."""
        return self._sources[source].weighted_counts(np.asarray(rows, dtype=np.int64), self.langs)
