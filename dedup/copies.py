"""The copy stage of a scan: exact-duplicate keys and LSH buckets, filled as fingerprints
arrive, then the candidates verified on their shingle sets.

Documents are added while the worker processes are still fingerprinting later batches,
so indexing costs no extra wall time; verification waits for the whole corpus, because
a document's candidates may come after it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dedup.index.memory import MemoryIndex
from dedup.minhash import MinHashParams
from dedup.model import Pair, Relation
from dedup.verify import CopyRule, judge_copy


class CopyFinder:
    def __init__(self, rule: CopyRule, params: MinHashParams) -> None:
        self.rule = rule
        self.index = MemoryIndex(rule.candidate_threshold(), params)
        self.ids: list[str] = []
        self.shingles: list[np.ndarray] = []
        self.duplicates: list[Pair] = []
        self._first_with_key: dict[bytes, int] = {}
        self.candidates = 0

    def add(self, doc_id: str, key: bytes, shingles: np.ndarray, signature: np.ndarray) -> None:
        """Take one document. Of several with one exact key only the first is indexed: the
        others are its duplicates, and would only repeat its candidates."""
        position = len(self.ids)
        self.ids.append(doc_id)
        self.shingles.append(shingles)
        first = self._first_with_key.setdefault(key, position)
        if first != position:
            self.duplicates.append(Pair(self.ids[first], doc_id, Relation.DUPLICATE, 1.0, 1.0))
        else:
            self.index.insert(position, signature)

    def pairs(self, report: Callable[[int, int], None] = lambda done, total: None) -> list[Pair]:
        """The duplicates, and every LSH candidate that the copy rule confirms."""
        found = list(self.duplicates)
        left, right = self.index.candidate_arrays()
        candidates = list(zip(left.tolist(), right.tolist(), strict=True))
        self.candidates = len(candidates)
        for done, (earlier, later) in enumerate(candidates, start=1):
            pair = judge_copy(self.ids[earlier], self.ids[later], self.shingles[earlier], self.shingles[later], self.rule)
            if pair is not None:
                found.append(pair)
            if done % 5000 == 0 or done == len(candidates):
                report(done, len(candidates))
        return found
