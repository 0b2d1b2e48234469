"""The local engine: a process pool on this machine (dedup.parallel), and the LSH and
verification stages in this process."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import numpy as np

from dedup.copy.verify import verify_pairs
from dedup.index.bands import bucket_keys, pairs_sharing_a_key
from dedup.model import CopyRule, Pair
from dedup.parallel import available_cores, ordered_map
from dedup.text.shingles import overlap


class LocalEngine:
    name = "local"

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = jobs or available_cores()

    def map_ordered(self, function: Callable, batches: Iterable) -> Iterator:
        return ordered_map(function, batches, self.jobs)

    def map_keeping(self, function: Callable, batches: Iterable) -> Iterator[tuple[object, list]]:
        return ordered_map(function, batches, self.jobs)  # the items come here too: their handles are themselves

    def overlaps(self, shingles: list[np.ndarray], left: np.ndarray, right: np.ndarray) -> list[tuple[float, float]]:
        return [overlap(shingles[a], shingles[b]) for a, b in zip(left.tolist(), right.tolist(), strict=True)]

    def candidate_pairs(self, positions: np.ndarray, signatures: np.ndarray, bands: int, rows: int) -> tuple[np.ndarray, np.ndarray]:
        return pairs_sharing_a_key(bucket_keys(signatures, bands, rows), positions)

    def verify(self, ids: list[str], shingles: list[np.ndarray], left: np.ndarray, right: np.ndarray, rule: CopyRule,
               report: Callable[[int, int], None] = lambda done, total: None) -> list[Pair]:
        return verify_pairs(ids, shingles, left.tolist(), right.tolist(), rule, report)

    def close(self) -> None:
        pass
