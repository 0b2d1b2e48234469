"""How rare a word, stem or number is in news reports of a language: fixed knowledge
shipped with dedup, never read from the corpus being scanned.

Story mode weighs shared evidence by rarity: two reports that both say "Uschakow" share
more than two that both say "Präsident". Rarity used to come from the scanned corpus
(idf), which made a pair's score depend on what else was scanned: in a corpus focused on
one topic every topical word looks common. Here it comes from two shipped sources, so a
pair gets one score wherever it is scanned:

- the wordfreq package's frequency lists for German and English (the "large" lists, about
  600,000 and 300,000 words from news, books, subtitles, web and Wikipedia text): how often
  a word is written;
- for German, news document frequencies (dedup/story/data/news-de.tsv.gz, built by
  benchmarks/build_reference.py from 13,518 German press reports of 2021): how many
  reports use a stem. General lists take "Putin", "Kreml" or "Sanktionen" for rare words;
  in news they are everyday, and two reports that share them share a topic, not yet an
  event. (English has no such table yet: the script says why.)

Rarity is -log10 of the chance that a report uses the word: about 0 for "the" or "und",
2 for a word in one report of a hundred, 5 for one in 100,000. From a word frequency f it
is the chance that a report of TYPICAL_LENGTH words uses it, 1 - exp(-length * f); where
the news table counts a stem in at least a few reports, the commoner of the two readings
counts. A word neither source knows (a rare name, a new compound) is as rare as the
rarest listed word.

Stems: a stem's frequency is the summed frequency of every listed word with that stem,
so "telefonat", "telefonats" and "telefonate" add up. A hyphenated compound
("us-präsident") is as rare as its rarest part, which the sources know better than the
compound.
"""

from __future__ import annotations

import gzip
import hashlib
import math
from functools import lru_cache
from pathlib import Path

import numpy as np

from dedup.story.table_cache import cached_table
from dedup.text.language import LANGUAGES, stem, stem_all

# Words in a typical news report: a word of frequency f appears in it with chance 1 - exp(-400 f).
TYPICAL_LENGTH = 400
# Word frequency at or below the rarest words of wordfreq's large lists (about 1 in 10^8.5).
RAREST_FREQUENCY = 10**-8.5
NEWS_TABLES = {lang: Path(__file__).parent / "data" / f"news-{lang}.tsv.gz" for lang in LANGUAGES}
# The wordfreq list used per language (wordfreq's own language codes).
_WORDLIST = "large"
# Raise when the way the tables are derived changes, so cached copies are not reused.
_TABLES_FORMAT = "reference-tables-1"


def rarity_of_frequency(frequency: float | None) -> float:
    """-log10 of the chance that a report of TYPICAL_LENGTH words uses a word this frequent."""
    return float(_rarities(np.array([frequency or 0.0]))[0])


def _rarities(frequencies: np.ndarray) -> np.ndarray:
    return -np.log10(-np.expm1(-TYPICAL_LENGTH * np.maximum(frequencies, RAREST_FREQUENCY)))


UNKNOWN_RARITY = rarity_of_frequency(None)


def _language(lang: str) -> str:
    return lang if lang in LANGUAGES else "en"


@lru_cache(maxsize=len(LANGUAGES))
def _word_frequencies(lang: str) -> dict[str, float]:
    from wordfreq import get_frequency_dict  # noqa: PLC0415 -- loaded once, only when story mode runs

    return get_frequency_dict(lang, wordlist=_WORDLIST)


@lru_cache(maxsize=len(LANGUAGES))
def _stem_frequencies(lang: str) -> dict[str, float]:
    words = _word_frequencies(lang)
    totals: dict[str, float] = {}
    for key, frequency in zip(stem_all(list(words), lang), words.values(), strict=True):
        totals[key] = totals.get(key, 0.0) + frequency
    return totals


@lru_cache(maxsize=len(LANGUAGES))
def _news_rarity(lang: str) -> dict[str, float]:
    """Stem -> -log10 of the share of news reports that use it (smoothed), from the shipped table."""
    if not NEWS_TABLES[lang].exists():
        return {}
    with gzip.open(NEWS_TABLES[lang], "rt", encoding="utf-8") as table:
        documents = int(table.readline().split("\t")[1])
        rarity = {}
        for line in table:
            key, count = line.rstrip("\n").split("\t")
            rarity[key] = math.log10((documents + 1) / (int(count) + 1))
    return rarity


@lru_cache(maxsize=len(LANGUAGES))
def _stem_rarities(lang: str) -> dict[str, float]:
    """Stem -> rarity for every stem either source knows, once per process (and per
    installation, through the disk cache)."""
    return cached_table(f"stem-rarity-{lang}", _tables_version(lang), lambda: _build_stem_rarities(lang))


def _build_stem_rarities(lang: str) -> dict[str, float]:
    news = _news_rarity(lang)
    rarities = _rarities_of(_stem_frequencies(lang))
    for key, rarity in news.items():
        rarities[key] = min(rarities.get(key, UNKNOWN_RARITY), rarity)
    return rarities


@lru_cache(maxsize=len(LANGUAGES))
def _word_rarities(lang: str) -> dict[str, float]:
    return cached_table(f"word-rarity-{lang}", _tables_version(lang), lambda: _rarities_of(_word_frequencies(lang)))


def _tables_version(lang: str) -> str:
    """Everything the derived tables depend on: a change in any makes a new cache file."""
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    def installed(package: str) -> str:
        try:
            return version(package)
        except PackageNotFoundError:
            return "none"

    news = NEWS_TABLES[lang]
    news_digest = hashlib.blake2b(news.read_bytes(), digest_size=8).hexdigest() if news.exists() else "none"
    return " ".join([_TABLES_FORMAT, lang, _WORDLIST, str(TYPICAL_LENGTH), repr(RAREST_FREQUENCY), news_digest,
                     *(f"{package}={installed(package)}" for package in ("wordfreq", "snowballstemmer", "PyStemmer"))])


def _rarities_of(frequencies: dict[str, float]) -> dict[str, float]:
    """rarity_of_frequency for a whole table at once."""
    values = np.fromiter(frequencies.values(), dtype=np.float64, count=len(frequencies))
    return dict(zip(frequencies, _rarities(values).tolist(), strict=True))


def stem_rarity(stem_: str, lang: str) -> float:
    """The rarity of a Snowball stem (as dedup.text.language.stem gives it)."""
    lang = _language(lang)
    rarity = _stem_rarities(lang).get(stem_)
    if rarity is not None:
        return rarity
    if "-" in stem_:
        return max((stem_rarity(stem(part, lang), lang) for part in stem_.split("-") if part), default=UNKNOWN_RARITY)
    return UNKNOWN_RARITY


def word_rarity(word: str, lang: str) -> float:
    """The rarity of a case-folded word (names: "psaki"; runs of words as "jen_psaki",
    which are as rare as their rarest word)."""
    table = _word_rarities(_language(lang))
    return max((table.get(part, UNKNOWN_RARITY) for part in word.replace("-", "_").split("_") if part),
               default=UNKNOWN_RARITY)


def stem_rarities(stems: list[str], lang: str) -> list[float]:
    """stem_rarity of each stem: the same values, the table read in one pass (a story scan
    asks for a few hundred thousand)."""
    table = _stem_rarities(_language(lang))
    return [table[stem_] if stem_ in table else stem_rarity(stem_, lang) for stem_ in stems]


def word_rarities(words: list[str], lang: str) -> list[float]:
    """word_rarity of each word: the same values, a single word looked up in the table directly."""
    table = _word_rarities(_language(lang))
    return [table.get(word, UNKNOWN_RARITY) if word and "_" not in word and "-" not in word else word_rarity(word, lang)
            for word in words]


@lru_cache(maxsize=1 << 14)
def number_rarity(value: str, lang: str) -> float:
    """The rarity of a number in canonical form ("50", "4000", "3.5"): wordfreq estimates
    numbers by their digits' shape, so "2021" and "10" are common and "4712" is rare."""
    from wordfreq import word_frequency  # noqa: PLC0415

    return rarity_of_frequency(word_frequency(value, _language(lang)))
