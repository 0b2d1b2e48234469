"""MinHash signatures for many documents at once, equal to datasketch's bit for bit.

datasketch's MinHash (scheme "affine32", its default since 2.0) pre-mixes each 32-bit
input hash h once with MurmurHash3's fmix32 and applies `num_perm` affine permutations
`a_k * h + b_k mod 2^32` (odd a_k, so each is a bijection); the signature keeps, for every
k, the minimum over the set. The probability that two sets agree on position k is their
Jaccard similarity, which is what the LSH bands of `dedup.index` rely on.

`MinHash.update_batch` hashes its inputs in a Python list comprehension, one call per
shingle. Here the shingle hashes arrive as NumPy arrays (see `dedup.text.shingles`); the
hashes of a whole batch of documents are concatenated and, for each permutation, one
`np.minimum.reduceat` takes the minimum over every document's slice: `num_perm`
vectorised passes per batch, no Python loop per shingle or per document. The permutation
parameters are datasketch's own, so our signatures can be wrapped as `LeanMinHash` and
inserted into `MinHashLSH` (the tests compare against `update_batch`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

SCHEMES = ("affine32", "affine64")
_DTYPES = {"affine32": np.uint32, "affine64": np.uint64}
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35))


@dataclass(frozen=True, slots=True)
class MinHashParams:
    """The parameters that make two signatures comparable; an index records them."""

    num_perm: int = 128
    seed: int = 1
    scheme: str = "affine32"

    def __post_init__(self) -> None:
        if self.scheme not in SCHEMES:
            raise ValueError(f"unknown MinHash scheme {self.scheme!r}: use one of {', '.join(SCHEMES)}")
        if not 2 <= self.num_perm <= 1024:
            raise ValueError(f"--num-perm {self.num_perm} is out of range: use 2 to 1024 (128 suits news)")

    @property
    def dtype(self) -> type[np.unsignedinteger]:
        return _DTYPES[self.scheme]


_WIDTHS = {"affine32": 32, "affine64": 64}


@lru_cache(maxsize=8)
def permutations(params: MinHashParams) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine permutation parameters (a, b) for these parameters: drawn as
    `MinHash._init_permutations` draws them (odd a, any b, from NumPy's RandomState of the
    seed), here so that a scan does not import datasketch and SciPy (tested equal)."""
    width, dtype = _WIDTHS[params.scheme], params.dtype
    generator = np.random.RandomState(params.seed)
    a = generator.randint(0, 1 << (width - 1), params.num_perm, dtype=dtype) * dtype(2) + dtype(1)
    b = generator.randint(0, 1 << width, params.num_perm, dtype=dtype)
    return a, b


def input_hashes(shingles: np.ndarray, params: MinHashParams) -> np.ndarray:
    """The values datasketch's `update` would hold after its fmix pre-mix, for 64-bit shingle hashes."""
    if params.scheme == "affine64":
        from dedup.text.span_hashes import mix64  # noqa: PLC0415 -- same finalizer, 64-bit width

        return mix64(shingles.astype(np.uint64))
    # Fold the 64-bit shingle hash to the 32 bits the affine32 scheme takes as input.
    folded = ((shingles ^ (shingles >> np.uint64(32))) & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    return _fmix32(folded)


def _fmix32(values: np.ndarray) -> np.ndarray:
    first_shift, first, second_shift, second = _FMIX32
    values = values ^ (values >> first_shift)
    values = values * first
    values = values ^ (values >> second_shift)
    values = values * second
    return values ^ (values >> first_shift)


def signatures(shingle_sets: Sequence[np.ndarray], params: MinHashParams) -> np.ndarray:
    """One signature row per shingle set, shape (len(shingle_sets), num_perm).

    An empty set gets the all-maximum signature, as an empty datasketch MinHash has.
    """
    dtype = params.dtype
    result = np.full((len(shingle_sets), params.num_perm), np.iinfo(dtype).max, dtype=dtype)
    filled = [index for index, shingles in enumerate(shingle_sets) if len(shingles)]
    if not filled:
        return result
    hashes = input_hashes(np.concatenate([shingle_sets[index] for index in filled]), params)
    lengths = np.fromiter((len(shingle_sets[index]) for index in filled), dtype=np.int64, count=len(filled))
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    a, b = permutations(params)
    block = np.empty((len(filled), params.num_perm), dtype=dtype)
    permuted = np.empty_like(hashes)  # one buffer for all permutations: no allocation per pass
    for k in range(params.num_perm):
        np.multiply(hashes, a[k], out=permuted)
        np.add(permuted, b[k], out=permuted)
        block[:, k] = np.minimum.reduceat(permuted, starts)
    result[filled] = block
    return result


def lean_minhash(signature: np.ndarray, params: MinHashParams):
    """Wrap a signature row as the datasketch object that `MinHashLSH` indexes."""
    from datasketch import LeanMinHash  # noqa: PLC0415

    return LeanMinHash(seed=params.seed, hashvalues=signature, scheme=params.scheme)
