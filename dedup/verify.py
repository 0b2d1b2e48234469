"""The verifier: decide on the actual shingle sets whether a candidate pair is a copy.

Two measures, both exact (the sets are compared, not their MinHash estimates):
- Jaccard, |A ∩ B| / |A ∪ B|: how much of the two texts together they share. Re-published
  and lightly edited copies score high; an edit that changes one word in twenty breaks at
  most a quarter of the 5-word shingles, so such copies stay above one half.
- containment, |A ∩ B| / min(|A|, |B|): how much of the shorter text stands in the longer.
  A copy cut to its first paragraphs keeps nearly all its shingles inside the original,
  while its Jaccard falls with its length.

A pair is a copy when either measure clears its threshold. Containment alone decides only
when the shorter text has at least `min_contained` shingles: below that, what two texts
share is a quotation or a boilerplate line, not a copy of an article.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dedup.model import Pair, Relation

# Defaults, each in words a reader can check (the benchmark prints them):
DEFAULT_THRESHOLD = 0.5  # Jaccard: half of the two texts' 5-word sequences in common
DEFAULT_CONTAINMENT = 0.8  # four fifths of the shorter text's 5-word sequences in the longer
# About three sentences of 5-word shingles; a shorter shared passage is a quote, not a copy.
MIN_CONTAINED_SHINGLES = 40
# The smallest part of its original a shortened copy may keep and still be found: the LSH
# must propose pairs down to the Jaccard such a copy has (see `CopyRule.candidate_threshold`).
SHORTEST_COPY_SHARE = 1 / 3


@dataclass(frozen=True, slots=True)
class CopyRule:
    threshold: float = DEFAULT_THRESHOLD
    containment: float = DEFAULT_CONTAINMENT
    min_contained: int = MIN_CONTAINED_SHINGLES

    def __post_init__(self) -> None:
        for name, value in (("threshold", self.threshold), ("containment", self.containment)):
            if not 0.0 < value <= 1.0:
                raise ValueError(f"--{name} {value} is out of range: use a number above 0 and at most 1")

    def candidate_threshold(self) -> float:
        """The Jaccard the LSH must reach down to: the lower of the threshold and the Jaccard
        of a shortened copy that keeps SHORTEST_COPY_SHARE of its original at the containment
        threshold, c*s / (1 + s - c*s) for containment c and share s."""
        c, s = self.containment, SHORTEST_COPY_SHARE
        return min(self.threshold, c * s / (1 + s - c * s))


def overlap(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(Jaccard, containment) of two sorted arrays of unique shingle hashes."""
    if len(a) == 0 or len(b) == 0:
        return 0.0, 0.0
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return shared / (len(a) + len(b) - shared), shared / min(len(a), len(b))


def judge_copy(id_a: str, id_b: str, shingles_a: np.ndarray, shingles_b: np.ndarray, rule: CopyRule) -> Pair | None:
    """A copy Pair if the two shingle sets pass the rule, else None."""
    jaccard, containment = overlap(shingles_a, shingles_b)
    long_enough = min(len(shingles_a), len(shingles_b)) >= rule.min_contained
    if jaccard >= rule.threshold or (long_enough and containment >= rule.containment):
        return Pair(id_a, id_b, Relation.COPY, jaccard, containment)
    return None
