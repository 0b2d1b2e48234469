"""Stable 64-bit hashes of many pieces of one text at once: its words, its sentences.

Hashing each word in Python (a dictionary lookup or a blake2b call per word) costs more
than everything else a copy scan does with it. Here a text becomes one array of code
points, and the hash of any piece [start, stop) is a polynomial over its characters,

    h = v[start] + v[start+1]·W + … + v[stop-1]·W^(stop-start-1)   (mod 2^64),

where v[c] is a fixed random 64-bit value of code point c and W an odd constant. With the
prefix sums P[i] = Σ_{j<i} v[j]·W^j, one subtraction and one multiplication by W^-start
(W is odd, so it has an inverse modulo 2^64) give every piece's hash, so all words of a
text are hashed by a handful of NumPy passes over its characters, with no loop per word.
The result is independent of where the piece stands, and a final avalanche mix
(MurmurHash3's fmix64) with the piece's length spreads it over all 64 bits.

The constants are fixed, so hashes are equal across processes, runs and machines, and an
index can keep them.
"""

from __future__ import annotations

import re

import numpy as np

# An odd multiplier (a 64-bit prime), and its inverse modulo 2^64.
_W = 0x9FB21C651E98DF25
_W_INVERSE = pow(_W, -1, 2**64)
_CHARACTER_SALT = np.uint64(0xC2B2AE3D27D4EB4F)
_LENGTH_SALT = np.uint64(0x165667B19E3779F9)
_BMP = 0x10000

_FMIX64 = (np.uint64(33), np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53))


def mix64(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finalizer: a bijection that makes every input bit reach every output bit."""
    shift, first, second = _FMIX64
    values = values ^ (values >> shift)
    values = values * first
    values = values ^ (values >> shift)
    values = values * second
    return values ^ (values >> shift)


def _character_values(codes: np.ndarray) -> np.ndarray:
    return mix64(codes.astype(np.uint64) + _CHARACTER_SALT)


# Every character of the Basic Multilingual Plane, its value and whether `\w` matches it,
# computed once; the rare characters beyond it are looked at one by one.
_BMP_VALUES = _character_values(np.arange(_BMP, dtype=np.uint64))
_WORD = re.compile(r"\w")
_BMP_IS_WORD = np.zeros(_BMP, dtype=bool)
_BMP_IS_WORD[[match.start() for match in _WORD.finditer("".join(map(chr, range(0xD800))))]] = True
_BMP_IS_WORD[[0xE000 + match.start() for match in _WORD.finditer("".join(map(chr, range(0xE000, _BMP))))]] = True
# (0xD800-0xDFFF, the surrogates, are no word characters: a lone one is no letter.)


class _Powers:
    """W^i and W^-i modulo 2^64 for i up to the longest text seen, grown by doubling."""

    def __init__(self) -> None:
        self.forward = np.zeros(0, dtype=np.uint64)
        self.inverse = np.zeros(0, dtype=np.uint64)

    def up_to(self, length: int) -> tuple[np.ndarray, np.ndarray]:
        if len(self.forward) < length:
            size = max(length, 2 * len(self.forward), 4096)
            self.forward = _powers(_W, size)
            self.inverse = _powers(_W_INVERSE, size)
        return self.forward[:length], self.inverse[:length]


def _powers(base: int, size: int) -> np.ndarray:
    """base^0 .. base^(size-1) modulo 2^64, by repeated doubling of the filled prefix."""
    powers = np.empty(size, dtype=np.uint64)
    powers[0] = 1
    filled = 1
    while filled < size:
        step = np.uint64(pow(base, filled, 2**64))
        count = min(filled, size - filled)
        np.multiply(powers[:count], step, out=powers[filled:filled + count])
        filled += count
    return powers


_powers_cache = _Powers()


def code_points(text: str) -> np.ndarray:
    """The text's code points; a lone surrogate (text decoded with surrogateescape) is kept as one."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


def is_word_character(codes: np.ndarray) -> np.ndarray:
    """For each code point, whether the regular expression `\\w` matches it."""
    if codes.max(initial=0) < _BMP:
        return _BMP_IS_WORD[codes]
    result = _BMP_IS_WORD[np.minimum(codes, _BMP - 1)]
    beyond = np.flatnonzero(codes >= _BMP)
    result[beyond] = [bool(_WORD.match(chr(code))) for code in codes[beyond].tolist()]
    return result


def span_hashes(codes: np.ndarray, starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """The hash of each piece codes[starts[k]:stops[k]] of a text's code points (see the
    module docstring)."""
    return _hashes(codes, starts, stops, _values_of_characters)


def sequence_hashes(values: np.ndarray, starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """The hash of each piece values[starts[k]:stops[k]] of a sequence of 64-bit hashes
    (a sentence's word hashes, say): the same polynomial, over the values themselves."""
    return _hashes(values, starts, stops, lambda piece: piece.astype(np.uint64, copy=True))


def _values_of_characters(codes: np.ndarray) -> np.ndarray:
    return _BMP_VALUES[codes] if codes.max(initial=0) < _BMP else _character_values(codes)


def _hashes(items: np.ndarray, starts: np.ndarray, stops: np.ndarray, values_of) -> np.ndarray:
    starts, stops = np.asarray(starts, dtype=np.int64), np.asarray(stops, dtype=np.int64)
    if len(items) <= WINDOW:  # the usual case: one window holds them all
        return _mixed(_polynomials(items, starts, stops, values_of), starts, stops)
    raw = np.zeros(len(starts), dtype=np.uint64)
    # The prefix sums are taken over windows of WINDOW items, so the powers of W kept stay
    # small however long a text is; the few pieces that cross a window's edge are summed
    # from their parts, each part's polynomial shifted by W^(its offset).
    window_of_start = starts // WINDOW
    within = (stops - starts <= 0) | (window_of_start == (stops - 1) // WINDOW)
    for window in np.unique(window_of_start[within]).tolist():
        chosen = np.flatnonzero(within & (window_of_start == window))
        offset = window * WINDOW
        raw[chosen] = _polynomials(items[offset:offset + WINDOW], starts[chosen] - offset, stops[chosen] - offset, values_of)
    for k in np.flatnonzero(~within).tolist():
        raw[k] = _long_polynomial(items, int(starts[k]), int(stops[k]), values_of)
    return _mixed(raw, starts, stops)


def _mixed(raw: np.ndarray, starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return mix64(raw ^ ((stops - starts).astype(np.uint64) * _LENGTH_SALT))


# Items per window of prefix sums: 2M, so the powers of W and their inverses take 32 MB.
WINDOW = 1 << 21


def _polynomials(items: np.ndarray, starts: np.ndarray, stops: np.ndarray, values_of) -> np.ndarray:
    """Σ v[j]·W^(j-start) over each piece of `items` (at most WINDOW long), v = values_of(items)."""
    if len(starts) == 0:
        return np.zeros(0, dtype=np.uint64)
    items = items[: int(stops.max())]
    values = values_of(items)
    forward, inverse = _powers_cache.up_to(len(items))
    with np.errstate(over="ignore"):
        np.multiply(values, forward, out=values)
        prefix = np.empty(len(items) + 1, dtype=np.uint64)
        prefix[0] = 0
        np.cumsum(values, out=prefix[1:])
        return (prefix[stops] - prefix[starts]) * inverse[np.minimum(starts, max(len(items) - 1, 0))]


def _long_polynomial(items: np.ndarray, start: int, stop: int, values_of) -> np.uint64:
    """The polynomial of a piece that crosses windows, from its parts of at most WINDOW items."""
    total = 0
    for part in range(start, stop, WINDOW):
        end = min(part + WINDOW, stop)
        value = int(_polynomials(items[part:end], np.array([0]), np.array([end - part]), values_of)[0])
        total = (total + value * pow(_W, part - start, 2**64)) % 2**64
    return np.uint64(total)


def word_spans(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(starts, stops) of the runs of word characters: the words `\\w+` finds."""
    padded = np.zeros(len(codes) + 2, dtype=bool)
    padded[1:-1] = is_word_character(codes)
    edges = np.flatnonzero(padded[1:] != padded[:-1])  # where a run starts, then where it stops
    return edges[0::2], edges[1::2]


def word_hashes(folded_texts: list[str]) -> list[np.ndarray]:
    """For each text, the hash of every word (`\\w+`) of it, in order. Equal words get equal
    hashes, so the texts should be case-folded first (dedup.text.tokens.words does the same).
    All texts are hashed together: NumPy's cost per call, not per character, is what a
    short text would otherwise pay."""
    if not folded_texts:
        return []
    # NUL is no word character, so no word runs from one text into the next.
    codes = code_points("\0".join(folded_texts))
    starts, stops = word_spans(codes)
    hashes = span_hashes(codes, starts, stops)
    text_starts = np.cumsum([0] + [len(text) + 1 for text in folded_texts[:-1]])
    return np.split(hashes, np.searchsorted(starts, text_starts[1:]))
