"""A page's words and sentences, read once: what both passes of a scan need of its text.

A scan learns each site's furniture from the sentences of its pages, then judges every
page on its own words, without the furniture (dedup.text.furniture). Both come from one
reading here: the page is cut into sentences, the sentences are normalised
(`normalise_words`) and their case-folded words hashed, all pages of a batch at once
(dedup.text.span_hashes). A sentence's key is the hash of its sequence of word hashes,
so a site's furniture is recognised by its words, whatever the punctuation or spacing
around them; and a page's own words are its words less those of its furniture
sentences, with no second reading of the text.

Sentences here are units for counting, not for reading: split at line breaks and at
. ! ? before a capital, the same split on every page of a site, which is all the count needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from dedup.arrays import Segments
from dedup.text.normalise import normalise_words
from dedup.text.span_hashes import code_points, sequence_hashes, span_hashes, word_spans

# A sentence's end (. ! ? and closing quotes or brackets, kept as a group so the split
# hands them back) and the space after it, before a capital. The pattern starts with the
# punctuation, not a look-behind, so the regex engine skips ahead to it.
_SENTENCE_END = re.compile(r"([.!?][\"'”“»«)]*)\s+(?=[\"'„“»«(]?[A-ZÄÖÜ0-9])")
# The key of a sentence without words: such a sentence is never furniture (it has
# nothing to take out), and this key is never counted.
NO_WORDS = 0


def sentences(text: str) -> list[str]:
    """The text's sentences in order, split at line breaks and at . ! ? before a capital.
    Only whitespace is dropped between them."""
    return [piece for line in text.split("\n") for piece in line_sentences(line)]


def line_sentences(line: str) -> list[str]:
    """The sentences of one line (see `sentences`)."""
    parts = _SENTENCE_END.split(line)  # text, end, text, end, ..., text
    parts.append("")
    pieces = [(text + end).strip() for text, end in zip(parts[0::2], parts[1::2], strict=True)]
    return [piece for piece in pieces if piece]


@dataclass(frozen=True, slots=True)
class PageWords:
    """A page's words, hashed, in order, and its sentences among them: sentence i holds
    words[starts[i]:starts[i + 1]], and its key is keys[i] (NO_WORDS if it has none)."""

    words: np.ndarray  # uint64
    starts: np.ndarray  # int64, one more than there are sentences
    keys: np.ndarray  # uint64


# Texts read together: enough that NumPy's cost per call is spread thin, few enough that
# the arrays of their characters stay in the processor's cache (on insm_de_press 64 texts
# take 18% less time than 256).
TEXTS_AT_ONCE = 64


@dataclass(frozen=True, slots=True)
class BatchWords:
    """The PageWords of a batch of pages, each of their arrays laid end to end (cheap to
    send to another process, see dedup.arrays)."""

    words: Segments
    starts: Segments
    keys: Segments

    @classmethod
    def of(cls, pages: list[PageWords]) -> BatchWords:
        return cls(Segments.of(page.words for page in pages), Segments.of((page.starts for page in pages), np.int64),
                   Segments.of(page.keys for page in pages))

    def page(self, index: int) -> PageWords:
        return PageWords(self.words[index], self.starts[index], self.keys[index])


def read_words(texts: list[str]) -> list[PageWords]:
    """Every text's words and sentences (see the module docstring), TEXTS_AT_ONCE at a time."""
    return [page for start in range(0, len(texts), TEXTS_AT_ONCE) for page in _read_together(texts[start:start + TEXTS_AT_ONCE])]


def _read_together(texts: list[str]) -> list[PageWords]:
    split = [sentences(text) for text in texts]
    # Each sentence on a line of its own, so the lines of the normalised text are its sentences.
    folded = [_normalised_lines(pieces).casefold() for pieces in split]
    codes = code_points("\0".join(folded))  # NUL is no word character: no word runs across two texts
    word_starts, word_stops = word_spans(codes)
    hashes = span_hashes(codes, word_starts, word_stops)

    text_starts = np.cumsum([0] + [len(text) + 1 for text in folded[:-1]]).astype(np.int64)
    sentence_counts = np.fromiter(map(len, split), dtype=np.int64, count=len(split))
    first_sentence = np.concatenate(([0], np.cumsum(sentence_counts)[:-1])).astype(np.int64)
    # A word's sentence: the line breaks before it, counted from its text's first sentence.
    breaks = np.flatnonzero(codes == ord("\n"))
    text_of_word = np.searchsorted(text_starts, word_starts, side="right") - 1
    breaks_before_text = np.searchsorted(breaks, text_starts)
    sentence_of_word = (np.searchsorted(breaks, word_starts) - breaks_before_text[text_of_word]
                        + first_sentence[text_of_word])
    words_per_sentence = np.bincount(sentence_of_word, minlength=int(sentence_counts.sum()))
    sentence_bounds = np.concatenate(([0], np.cumsum(words_per_sentence))).astype(np.int64)
    keys = sequence_hashes(hashes, sentence_bounds[:-1], sentence_bounds[1:])
    keys[words_per_sentence == 0] = NO_WORDS

    first_word = np.searchsorted(word_starts, text_starts)
    pages = []
    for number, count in enumerate(sentence_counts.tolist()):
        first = int(first_sentence[number])
        bounds = sentence_bounds[first:first + count + 1]
        start = int(first_word[number])
        stop = int(first_word[number + 1]) if number + 1 < len(texts) else len(hashes)
        pages.append(PageWords(hashes[start:stop], bounds - start, keys[first:first + count]))
    return pages


def sentence_key(sentence: str) -> int:
    """The key of one sentence, as `read_words` gives it."""
    folded = normalise_words(sentence).casefold()
    codes = code_points(folded)
    starts, stops = word_spans(codes)
    if len(starts) == 0:
        return NO_WORDS
    hashes = span_hashes(codes, starts, stops)
    return int(sequence_hashes(hashes, np.array([0]), np.array([len(hashes)]))[0])


def _normalised_lines(pieces: list[str]) -> str:
    """The pieces' words normalised (`normalise_words`, which keeps every line), one piece per line."""
    return normalise_words("\n".join(pieces))
