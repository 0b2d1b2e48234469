"""The one tokenizer: the words that shingles, exact-duplicate keys and the verifiers count.

A word is a run of Unicode letters and digits, case-folded, so "Biden," and "biden" are
one word and punctuation never decides whether two texts are the same. Fingerprints find
the same words without this regex, for a whole batch of texts at once
(dedup.text.span_hashes.word_spans; tests/test_hashing_in_bulk.py holds the two equal).
"""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+")


def words(normalised_text: str) -> list[str]:
    """The case-folded words of a text that has been through `normalise`."""
    return _WORD.findall(normalised_text.casefold())
