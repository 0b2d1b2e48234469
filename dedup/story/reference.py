"""How rare a word, stem or number is in a language: fixed knowledge shipped with dedup,
never read from the corpus being scanned.

Story mode weighs shared evidence by rarity: two reports that both say "Uschakow" share
more than two that both say "Präsident". Rarity used to come from the scanned corpus
(idf), which made a pair's score depend on what else was scanned: in a corpus focused on
one topic every topical word looks common. Here it comes from the wordfreq package's
frequency lists for German and English (news, books, subtitles, web and Wikipedia text,
the "large" lists of about 600,000 and 300,000 words), so a pair gets one score wherever
it is scanned.

Rarity is information content in decimal digits, -log10 of a word's frequency per
token: about 2 for "the" or "und", 5 for "telefonat", 8 for a word seen once in a
hundred million. A word the list does not know (a rare name, a new compound) counts as
rare as the rarest listed word: UNKNOWN_RARITY.

Stems: a stem's frequency is the summed frequency of every listed word with that stem, so
"telefonat", "telefonats" and "telefonate" add up to the frequency of stem "telefonat".
A hyphenated compound ("us-präsident") is as rare as its rarest part, which the list
knows better than the compound.
"""

from __future__ import annotations

import math
from functools import lru_cache

from dedup.text.language import LANGUAGES, stem, stem_all

# About one in 10^8.5 tokens: at or below the rarest words of wordfreq's large lists.
UNKNOWN_RARITY = 8.5
# The wordfreq list used per language (wordfreq's own language codes).
_WORDLIST = "large"


@lru_cache(maxsize=len(LANGUAGES))
def _word_frequencies(lang: str) -> dict[str, float]:
    from wordfreq import get_frequency_dict  # noqa: PLC0415 -- loaded once, only when story mode runs

    return get_frequency_dict(lang if lang in LANGUAGES else "en", wordlist=_WORDLIST)


@lru_cache(maxsize=len(LANGUAGES))
def _stem_frequencies(lang: str) -> dict[str, float]:
    words = _word_frequencies(lang)
    totals: dict[str, float] = {}
    for key, frequency in zip(stem_all(list(words), lang), words.values(), strict=True):
        totals[key] = totals.get(key, 0.0) + frequency
    return totals


def _rarity(frequency: float | None) -> float:
    if not frequency:
        return UNKNOWN_RARITY
    return min(-math.log10(frequency), UNKNOWN_RARITY)


def stem_rarity(stem_: str, lang: str) -> float:
    """The rarity of a Snowball stem (as dedup.text.language.stem gives it)."""
    table = _stem_frequencies(lang)
    if stem_ in table or "-" not in stem_:
        return _rarity(table.get(stem_))
    return max(_rarity(table.get(stem(part, lang))) for part in stem_.split("-") if part)


def word_rarity(word: str, lang: str) -> float:
    """The rarity of a case-folded word (names: "psaki"; runs of words as "jen_psaki",
    which are as rare as their rarest word)."""
    table = _word_frequencies(lang)
    parts = [part for part in word.replace("-", "_").split("_") if part]
    if not parts:
        return UNKNOWN_RARITY
    return max(_rarity(table.get(part)) for part in parts)


@lru_cache(maxsize=1 << 14)
def number_rarity(value: str, lang: str) -> float:
    """The rarity of a number in canonical form ("50", "4000", "3.5"): wordfreq estimates
    numbers by their digits' shape, so "2021" and "10" are common and "4712" is rare."""
    from wordfreq import word_frequency  # noqa: PLC0415

    return _rarity(word_frequency(value, lang if lang in LANGUAGES else "en"))
