"""Shingles: the overlapping k-word or k-character sequences whose sets are compared.

A shingle is represented by a 64-bit hash, computed for all shingles of a document at
once with NumPy: every word of the text is hashed in one vectorised pass over its
characters (dedup.text.span_hashes), then the k hashes of a window are folded into one
with a polynomial `h = h * M + next` over the k offsets, so the Python loop runs k times
per document, never once per word or shingle. A final avalanche mix (MurmurHash3's
fmix64) spreads the polynomial's structure across all bits.

The hashes are stable across processes and runs (fixed constants, not Python's salted
`hash`), so a stored index stays valid.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from dedup.text.span_hashes import mix64, word_hashes
from dedup.text.tokens import words

__all__ = ["ShingleSpec", "ShingleSpecError", "WordHashes", "document_shingles", "mix64", "overlap",
           "shingle_hashes", "sorted_unique", "text_word_hashes"]

_UNITS = ("word", "char")
# An odd 64-bit multiplier (the golden ratio's fraction, as in Fibonacci hashing).
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)


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


def text_word_hashes(normalised_texts: list[str]) -> list[np.ndarray]:
    """For each text that has been through `normalise`, the hash of each of its case-folded
    words in order: the words of `dedup.text.tokens.words`, all texts hashed at once."""
    return word_hashes([text.casefold() for text in normalised_texts])


def shingle_hashes(normalised_text: str, spec: ShingleSpec) -> np.ndarray:
    """The sorted, unique 64-bit hashes of a document's shingles (see `batch_shingles`)."""
    return batch_shingles(text_word_hashes([normalised_text]), spec, [normalised_text])[0]


def batch_shingles(hashed_words: list[np.ndarray], spec: ShingleSpec,
                   normalised_texts: list[str] | None = None) -> list[np.ndarray]:
    """For each document, the sorted, unique 64-bit hashes of its shingles, from its
    `text_word_hashes`; character shingles read the normalised texts instead. A document
    shorter than one shingle yields a single shingle of all it has, so short texts still
    compare.
    """
    if spec.unit == "char":
        if normalised_texts is None:
            raise ValueError("character shingles need the normalised texts")
        return [sorted_unique(_window_hashes(_characters(text), spec.size)) for text in normalised_texts]
    return _batch_windows(hashed_words, spec.size)


def _characters(normalised_text: str) -> np.ndarray:
    """The code points of the text's words joined by single spaces: what character shingles read."""
    joined = " ".join(words(normalised_text))
    return np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(np.uint64)


def _batch_windows(sequences: list[np.ndarray], size: int) -> list[np.ndarray]:
    """`sorted_unique(_window_hashes(s, size))` for every sequence, with NumPy calls per
    batch rather than per document (a document's few thousand values cost less than the
    calls themselves): windows are folded over all sequences laid end to end, and those
    that would run into the next sequence are dropped."""
    counts = np.fromiter(map(len, sequences), dtype=np.int64, count=len(sequences))
    if len(sequences) == 0:
        return []
    flat = np.concatenate(sequences) if len(sequences) else np.zeros(0, dtype=np.uint64)
    ends = np.cumsum(counts)
    windows = max(len(flat) - size + 1, 0)
    folded = np.zeros(windows, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(size):  # k iterations, each over every window at once
            folded = folded * _MULTIPLIER + flat[offset:offset + windows]
    # A window starting at p belongs to its sequence if it ends inside it.
    owner = np.repeat(np.arange(len(sequences)), counts)[:windows]
    whole = np.flatnonzero(np.arange(windows) + size <= ends[owner])
    per_sequence = np.bincount(owner[whole], minlength=len(sequences))
    hashes = mix64(folded[whole])
    pieces = np.split(hashes, np.cumsum(per_sequence)[:-1])
    for number in np.flatnonzero((counts > 0) & (counts < size)).tolist():
        pieces[number] = _window_hashes(sequences[number], size)  # shorter than a shingle: one of all it has
    return [_sorted_unique_in_place(piece) for piece in pieces]


def _sorted_unique_in_place(values: np.ndarray) -> np.ndarray:
    values.sort()
    if values.size < 2:
        return values
    keep = np.empty(values.size, dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values if keep.all() else values[keep]


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique for a 1-d array, by a sort and a neighbour comparison (several times faster;
    NumPy 2.3 and later hash the values first, which costs ten times a sort on millions)."""
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


def document_shingles(normalised_text: str, spec: ShingleSpec) -> np.ndarray:
    """Shortcut: the shingle hashes of a normalised text."""
    return shingle_hashes(normalised_text, spec)


def overlap(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(Jaccard, containment) of two sorted arrays of unique shingle hashes."""
    if len(a) == 0 or len(b) == 0:
        return 0.0, 0.0
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return shared / (len(a) + len(b) - shared), shared / min(len(a), len(b))
