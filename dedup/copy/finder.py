"""The copy stage of a scan: exact-duplicate keys, LSH bands, then the candidates verified
on their shingle sets.

Documents are added as fingerprints arrive; the LSH bands of all of them are grouped at
once (dedup.index.bands), because a document's candidates may come after it. Where the
grouping and the verification run is the engine's choice (dedup.engines): in this
process, or across a Ray cluster. The bands and rows are those datasketch's `MinHashLSH`
chooses for the rule's candidate threshold, and the candidate pairs are the ones it
would propose.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import numpy as np

from dedup.index.bands import lsh_bands
from dedup.minhash import MinHashParams
from dedup.model import CopyRule, Pair, Relation


class PairSource(Protocol):
    """What the copy stage needs from an engine (dedup.engines: local or Ray)."""

    def candidate_pairs(self, positions: np.ndarray, signatures: np.ndarray, bands: int, rows: int) -> tuple[np.ndarray, np.ndarray]:
        """The pairs (left < right, sorted, once) of `positions` whose signatures share an LSH band."""

    def verify(self, ids: list[str], shingles: list[np.ndarray], left: np.ndarray, right: np.ndarray, rule: CopyRule,
               report: Callable[[int, int], None]) -> list[Pair]:
        """The candidate pairs (positions into `ids` and `shingles`) that the copy rule confirms, in candidate order."""


class CopyFinder:
    def __init__(self, rule: CopyRule, params: MinHashParams, engine: PairSource) -> None:
        self.rule = rule
        self.engine = engine
        self.bands: tuple[int, int] = lsh_bands(rule.candidate_threshold(), params.num_perm)
        self.ids: list[str] = []
        self.shingles: list[np.ndarray] = []
        self.duplicates: list[Pair] = []
        self._first_with_key: dict[bytes, int] = {}
        self._indexed: list[int] = []  # positions of the first document of each exact key
        self._signatures: list[np.ndarray] = []
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
            self._indexed.append(position)
            self._signatures.append(signature)

    def pairs(self, report: Callable[[int, int], None] = lambda done, total: None) -> list[Pair]:
        """The duplicates, and every LSH candidate that the copy rule confirms."""
        bands, rows = self.bands
        signatures = np.asarray(self._signatures) if self._signatures else np.zeros((0, bands * rows), dtype=np.uint32)
        left, right = self.engine.candidate_pairs(np.asarray(self._indexed, dtype=np.int64), signatures, bands, rows)
        self.candidates = len(left)
        return list(self.duplicates) + self.engine.verify(self.ids, self.shingles, left, right, self.rule, report)
