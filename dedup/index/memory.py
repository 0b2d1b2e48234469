"""The in-memory candidate index: datasketch's MinHashLSH over our signatures.

LSH cuts each signature into b bands of r rows and puts a document in one bucket per
band. Two documents with Jaccard similarity s share at least one bucket with probability
1 - (1 - s^r)^b, an S-curve that rises steeply around (1/b)^(1/r). datasketch chooses
(b, r) for a threshold by minimising the weighted false-positive and false-negative
areas under that curve. The pairs it proposes are candidates only: the verifier decides
on the actual shingle sets.

A batch scan inserts every document once and then reads the buckets that hold two or
more; querying each document as well would compute every band key twice.
"""

from __future__ import annotations

import numpy as np
from datasketch import MinHashLSH

from dedup.minhash import MinHashParams, lean_minhash


class MemoryIndex:
    def __init__(self, threshold: float, params: MinHashParams) -> None:
        self.params = params
        self._lsh = MinHashLSH(threshold=threshold, num_perm=params.num_perm)

    @property
    def bands(self) -> tuple[int, int]:
        """(b, r): the number of bands and the rows in each."""
        return self._lsh.b, self._lsh.r

    def insert(self, key: int, signature: np.ndarray) -> None:
        self._lsh.insert(key, lean_minhash(signature, self.params), check_duplication=False)

    def candidate_pairs(self) -> set[tuple[int, int]]:
        """Every pair (a, b), a < b, of documents that share a bucket in at least one band."""
        left, right = self.candidate_arrays()
        return set(zip(left.tolist(), right.tolist(), strict=True))

    def candidate_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """The candidate pairs as two arrays (left < right), sorted and without repeats: a
        corpus may have millions, too many for Python tuples to sort quickly."""
        pairs_of_two: list[int] = []
        larger: list[np.ndarray] = []
        upper: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # bucket size -> its pair positions
        for table, counts in zip(self._lsh.hashtables, self._lsh.get_counts(), strict=True):
            for bucket, count in counts.items():
                if count == 2:
                    pairs_of_two.extend(table.get(bucket))
                elif count > 2:
                    members = np.fromiter(table.get(bucket), dtype=np.int64, count=count)
                    first, second = upper.get(count) or upper.setdefault(count, np.triu_indices(count, k=1))
                    larger.append(np.stack([members[first], members[second]], axis=1))
        pairs = np.concatenate([np.asarray(pairs_of_two, dtype=np.int64).reshape(-1, 2), *larger])
        left, right = np.minimum(pairs[:, 0], pairs[:, 1]), np.maximum(pairs[:, 0], pairs[:, 1])
        base = int(right.max(initial=0)) + 1
        keys = np.sort(left * base + right)
        keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))] if len(keys) else keys
        return keys // base, keys % base

    def query(self, signature: np.ndarray) -> list[int]:
        """The indexed documents that share a bucket with a signature (for checks of new documents)."""
        return self._lsh.query(lean_minhash(signature, self.params))
