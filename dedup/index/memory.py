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
        pairs: set[tuple[int, int]] = set()
        for table, counts in zip(self._lsh.hashtables, self._lsh.get_counts(), strict=True):
            for bucket, count in counts.items():
                if count < 2:
                    continue
                members = sorted(table.get(bucket))
                for position, first in enumerate(members):
                    pairs.update((first, second) for second in members[position + 1 :])
        return pairs

    def query(self, signature: np.ndarray) -> list[int]:
        """The indexed documents that share a bucket with a signature (for checks of new documents)."""
        return self._lsh.query(lean_minhash(signature, self.params))
