"""The evidence a translation keeps: what a German and an English report of one event
still share when they share almost no words. The pair model for two reports in different
languages (dedup.story.pair_model.NEUTRAL, with `--semantic`) reads this and nothing else.

Kept:
- names, compared through their transliteration key (dedup.text.transliterate:
  "Uschakow" = "Ushakov", "Selenskyj" = "Zelensky"), weighed by their rarity;
- numbers, dates, weekdays, years, the lead's days and numbers: dedup.story.features
  already writes them in one form for both languages ("10. Jänner" = "January 10" =
  "01-10", "Donnerstag" = "thursday", "4.000" = "4,000"), so dedup.story.signals measures
  them as it does for two reports of one language;
- clock times and durations ("04:12 time", "50 duration"), the quantities whose unit is
  not a word;
- the publication days, and the cosine of the two summaries' vectors (dedup.semantic);
- the reports' lengths in content words, against which shared names and numbers are weighed
  (a translation keeps them: German has 0.96 times the distinct content words of English).
Left out: every word stem (content words, title, lead, quotes) and the quantities counted
by a word ("14 peopl" / "14 menschen"): a translation changes them all.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import scipy.sparse as sp

from dedup.model import StoryFeatures
from dedup.story.reference import word_rarity
from dedup.story.signals import row_products
from dedup.text.transliterate import name_key

# The units of dedup.story.features' quantities that are not words of a language.
NEUTRAL_UNITS = ("duration", "time")


class NeutralSpace:
    """Each document's names under their keys and its clock times and durations, as sparse
    rows whose dot products measure a pair (as dedup.story.signals.SignalSpace does)."""

    def __init__(self, features: Sequence[StoryFeatures]) -> None:
        keys = [_keyed_names(feature) for feature in features]
        columns: dict[str, int] = {}
        self.names = _rows([{columns.setdefault(key, len(columns)): rarity for key, rarity in doc.items()}
                            for doc in keys], len(columns))
        # sqrt(rarity), so a dot product is the summed rarity of the keys both give (the
        # geometric mean of the two documents' readings where their languages differ).
        self.names_root = self.names.sqrt()
        self.name_totals = np.asarray(self.names.sum(axis=1)).ravel()
        lead_rows = []
        for feature, doc in zip(features, keys, strict=True):
            lead = {_key(name) for name in feature.lead_names}
            shares = {columns[key]: rarity for key, rarity in doc.items() if key in lead}
            total = sum(shares.values())
            lead_rows.append({column: rarity / total for column, rarity in shares.items()} if total else {})
        # Each lead name key's share of the lead's name rarity, over the same columns.
        self.lead_names = _rows(lead_rows, len(columns))
        self.names_present = self.names.copy()
        self.names_present.data[:] = 1.0
        time_columns: dict[str, int] = {}
        self.times = _rows([{time_columns.setdefault(term, len(time_columns)): 1.0
                             for term in sorted(feature.quantities) if term.partition(" ")[2] in NEUTRAL_UNITS}
                            for feature in features], len(time_columns))
        self.time_counts = np.diff(self.times.indptr)

    def names_shared(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        return row_products(self.names_root, self.names_root, left, right)

    def found_share(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """For each pair, the share of left's lead names (by rarity) that right names anywhere."""
        return row_products(self.lead_names, self.names_present, left, right)

    def times_shared(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        return row_products(self.times, self.times, left, right)


# A corpus repeats its names: each is keyed once per process (2^16 names, a few MB).
@lru_cache(maxsize=1 << 16)
def _key(name: str) -> str:
    return name_key(name)


def _keyed_names(feature: StoryFeatures) -> dict[str, float]:
    """key -> rarity of the rarest of the document's names under that key."""
    keyed: dict[str, float] = {}
    for name in sorted(feature.names):
        key = _key(name)
        keyed[key] = max(keyed.get(key, 0.0), word_rarity(name, feature.lang))
    return keyed


def _rows(rows: list[dict[int, float]], width: int) -> sp.csr_matrix:
    indptr = np.cumsum([0] + [len(row) for row in rows])
    indices = np.fromiter((column for row in rows for column in row), np.int64, int(indptr[-1]))
    data = np.fromiter((value for row in rows for value in row.values()), np.float64, int(indptr[-1]))
    matrix = sp.csr_matrix((data, indices, indptr), shape=(len(rows), width))
    matrix.sort_indices()
    return matrix


def shared_names(first: StoryFeatures, second: StoryFeatures, limit: int) -> list[str]:
    """The names two documents share under their keys, for an explanation: the rarest
    first, each as both spell it ("uschakow = ushakov") or once where they agree."""
    spelled: dict[str, str] = {}
    for name in sorted(second.names):
        spelled.setdefault(_key(name), name)
    found = []
    for name in sorted(first.names):
        other = spelled.get(_key(name))
        if other is not None:
            found.append((-word_rarity(name, first.lang), name if name == other else f"{name} = {other}"))
    return [shown for _, shown in sorted(found)[:limit]]
