"""Shingles: the overlapping k-word or k-character sequences whose sets are compared.

A shingle is represented by a 64-bit hash, computed for all shingles of a document at
once with NumPy: each word is hashed once (a dictionary remembers the words it has
seen), then the k hashes of a window are folded into one with a polynomial
`h = h * M + next` over the k offsets, so the Python loop runs k times per document,
never once per shingle. A final avalanche mix (MurmurHash3's fmix64) spreads the
polynomial's structure across all bits.

The hashes are stable across processes and runs (blake2b, not Python's salted `hash`),
so a stored index stays valid.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from dedup.text.tokens import words

_UNITS = ("word", "char")
# An odd 64-bit multiplier (the golden ratio's fraction, as in Fibonacci hashing).
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_FMIX64 = (np.uint64(33), np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53))


class ShingleSpecError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class ShingleSpec:
    """Which shingles to take: `word:5` (five-word sequences) or `char:9` (nine characters)."""

    unit: str = "word"
    size: int = 5

    @classmethod
    def parse(cls, spec: str) -> ShingleSpec:
        unit, _, size = spec.partition(":")
        # isascii: "²".isdigit() is true, and int() refuses it
        if unit not in _UNITS or not (size.isascii() and size.isdigit()) or not 1 <= int(size) <= 64:
            raise ShingleSpecError(
                f"--shingles {spec!r} is not a shingle size: use word:N or char:N with N from 1 to 64, e.g. word:5"
            )
        return cls(unit, int(size))

    def __str__(self) -> str:
        return f"{self.unit}:{self.size}"


class WordHashes(dict):
    """word -> stable 64-bit hash, computing each word's hash once per process."""

    def __missing__(self, word: str) -> int:
        value = int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")
        self[word] = value
        return value


_word_hashes = WordHashes()


def shingle_hashes(tokens: list[str], spec: ShingleSpec) -> np.ndarray:
    """The sorted, unique 64-bit hashes of a document's shingles.

    `tokens` are the document's words (from `dedup.text.tokens.words`). A document shorter
    than one shingle yields a single shingle of all it has, so short texts still compare.
    """
    if spec.unit == "word":
        values = np.fromiter(map(_word_hashes.__getitem__, tokens), dtype=np.uint64, count=len(tokens))
    else:
        joined = " ".join(tokens)
        values = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    return sorted_unique(_window_hashes(values, spec.size))


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique for a 1-d array, by a sort and a neighbour comparison (several times faster)."""
    ordered = np.sort(values)
    if ordered.size < 2:
        return ordered
    keep = np.empty(ordered.size, dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def _window_hashes(values: np.ndarray, size: int) -> np.ndarray:
    if values.size == 0:
        return values
    size = min(size, values.size)
    count = values.size - size + 1
    folded = np.zeros(count, dtype=np.uint64)
    for offset in range(size):  # k iterations, each over every window at once
        folded = folded * _MULTIPLIER + values[offset : offset + count]
    return mix64(folded)


def mix64(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finalizer: a bijection that makes every input bit reach every output bit."""
    shift, first, second = _FMIX64
    values = values ^ (values >> shift)
    values = values * first
    values = values ^ (values >> shift)
    values = values * second
    return values ^ (values >> shift)


def document_shingles(normalised_text: str, spec: ShingleSpec) -> np.ndarray:
    """Shortcut: the shingle hashes of a normalised text."""
    return shingle_hashes(words(normalised_text), spec)


def overlap(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(Jaccard, containment) of two sorted arrays of unique shingle hashes."""
    if len(a) == 0 or len(b) == 0:
        return 0.0, 0.0
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return shared / (len(a) + len(b) - shared), shared / min(len(a), len(b))
