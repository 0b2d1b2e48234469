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

from collections.abc import Callable

import numpy as np

from dedup.model import CopyRule, Pair, Relation
from dedup.text.shingles import overlap

# Candidate pairs verified between two progress reports.
REPORT_EVERY = 5000


def judge_copy(id_a: str, id_b: str, shingles_a: np.ndarray, shingles_b: np.ndarray, rule: CopyRule) -> Pair | None:
    """A copy Pair if the two shingle sets pass the rule, else None."""
    jaccard, containment = overlap(shingles_a, shingles_b)
    long_enough = min(len(shingles_a), len(shingles_b)) >= rule.min_contained
    if jaccard >= rule.threshold or (long_enough and containment >= rule.containment):
        return Pair(id_a, id_b, Relation.COPY, jaccard, containment)
    return None


def verify_pairs(ids: list[str], shingles: list[np.ndarray], left: list[int], right: list[int], rule: CopyRule,
                 report: Callable[[int, int], None] = lambda done, total: None) -> list[Pair]:
    """The pairs the copy rule confirms, in the order given."""
    found = []
    total = len(left)
    for done, (earlier, later) in enumerate(zip(left, right, strict=True), start=1):
        pair = judge_copy(ids[earlier], ids[later], shingles[earlier], shingles[later], rule)
        if pair is not None:
            found.append(pair)
        if done % REPORT_EVERY == 0 or done == total:
            report(done, total)
    return found
