"""Page furniture learnt per site: the sentences a site prints around many of its articles.

A scraped page holds the article and the site's furniture around it: paywall promotions
("Jetzt weiterlesen. Mit dem passenden SPIEGEL-Abo …"), legal notices ("Der Volltext
dieses … Artikels steht aus rechtlichen Gründen nicht mehr zur Verfügung"), newsletter
boxes, breadcrumbs. No fixed rule can list them, but each is a property of its site, and
the site's own pages show it: a sentence that stands on many pages of one site, pages that
tell different articles, is the site's and not an article's. Copy and story decisions then
read the article's own text, so 136 paywall teasers are not 136 copies of each other.

The rule, with its thresholds:
- A site is a page's `source` (the outlet) or else the host of its URL; pages with neither
  learn nothing, since without a site a wire text reprinted five times would look like
  furniture.
- A sentence is furniture of a site when it stands on at least MIN_PAGES of the site's
  pages that are different articles: pages with one title (or, untitled, one exact text)
  count once, so a site's repeated versions of one article do not turn it into furniture.
- A page that is furniture from end to end keeps its text: it has nothing of its own to
  judge, and is left as it is (another page of the same template is then its copy).
- A page whose own text, once its furniture is gone, has fewer than STUB_SENTENCES
  sentences is a stub: a teaser too short to say which event it tells.

Sentences are those of dedup.text.page_words, which also reads a page's words: a sentence
is known by its words, and a page's own words are its words less its furniture's.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import numpy as np

from dedup.text.page_words import (
    NO_WORDS,
    PageWords,
    line_sentences,
    read_words,
    sentence_key,
    sentences,
)

__all__ = ["MIN_PAGES", "STUB_SENTENCES", "OwnText", "OwnWords", "SiteFurniture", "article_key", "own_text", "own_words",
           "sentence_key", "sentence_keys", "sentences", "site_of"]

# Pages of one site, each a different article, that a sentence must stand on to be the
# site's furniture. Two or three pages sharing a sentence can be one story told twice or a
# quote reprinted; four different articles carrying the same sentence are a template (on
# insm_de_press, four t-online lottery pages share their template and nothing else).
MIN_PAGES = 4
# A page left with fewer sentences of its own than this is a stub (a teaser of one or two
# sentences, the issue's own definition of "too short to judge").
STUB_SENTENCES = 3

_WORD = re.compile(r"\w")


def sentence_keys(text: str) -> np.ndarray:
    """The keys of the text's sentences, in order (dedup.text.page_words)."""
    return read_words([text])[0].keys


def site_of(source: str | None, url: str | None) -> str | None:
    """The site a page belongs to: its source, else its URL's host, else None."""
    if source and source.strip():
        return source.strip().casefold()
    if url:
        host = urlsplit(url if "//" in url else f"//{url}").hostname
        return host.removeprefix("www.") if host else None
    return None


def article_key(title: str | None, page_key: bytes) -> int:
    """The key of the article a page tells, for counting a site's pages: its title, or for
    an untitled page its text (`page_key`, a hash of the cleaned text). Stable across runs
    and machines, so an index can keep the articles it has counted; signed, as SQLite
    keeps integers."""
    if title:
        digest = hashlib.blake2b(title.encode("utf-8", "surrogatepass"), digest_size=8, person=b"dedup-title").digest()
        return int.from_bytes(digest, "little", signed=True)
    return int.from_bytes(page_key[:8], "little", signed=True)


@dataclass(slots=True)
class SiteFurniture:
    """Counts sentences over the pages of each site, then says which are furniture.

    An index keeps the counts of the pages it holds: `remember` starts from them, so a
    check or an incremental add learns from the stored pages and the new ones together,
    and `additions` says what the new pages add, for the index to keep."""

    _pages: dict[str, set[object]] = field(default_factory=lambda: defaultdict(set))
    _counts: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    # What `remember` brought in, so that `additions` is the rest (counting each page once
    # more apart would double the cost of counting, the most of a scan's own work on pages).
    _remembered_pages: dict[str, set[object]] = field(default_factory=lambda: defaultdict(set))
    _remembered_counts: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    _learnt: dict[str, frozenset[int]] | None = None

    def remember(self, site: str, articles: Iterable[object], counts: dict[int, int]) -> None:
        """Start a site from what an index has stored: the articles it has counted, and how
        many of them carry each sentence (only the sentences asked about are needed)."""
        articles = set(articles)
        self._pages[site].update(articles)
        self._counts[site].update(counts)
        self._remembered_pages[site].update(articles)
        self._remembered_counts[site].update(counts)
        self._learnt = None

    def add(self, site: str | None, article_key: object, keys: Iterable[int]) -> None:
        """Count one page: `article_key` names the article it tells (see `article_key`), so
        several pages of one article count once."""
        if site is None or article_key in self._pages[site]:
            return
        keys = set(keys)
        keys.discard(NO_WORDS)  # a sentence without words takes nothing out of a page
        self._pages[site].add(article_key)
        self._counts[site].update(keys)
        self._learnt = None

    def of(self, site: str | None) -> frozenset[int]:
        """The furniture sentences (their keys) of a site."""
        if self._learnt is None:
            self._learnt = {name: frozenset(key for key, pages in counts.items() if pages >= MIN_PAGES)
                            for name, counts in self._counts.items()}
        return self._learnt.get(site, frozenset()) if site is not None else frozenset()

    def by_site(self) -> dict[str, int]:
        """How many furniture sentences each site has, for reports."""
        learnt = {site: len(self.of(site)) for site in self._counts}
        return {site: count for site, count in sorted(learnt.items(), key=lambda item: (-item[1], item[0])) if count}

    def additions(self) -> dict[str, tuple[set[object], Counter[int]]]:
        """site -> (the articles counted since `remember`, the pages each sentence gained)."""
        additions = {}
        for site, pages in self._pages.items():
            new_pages = pages - self._remembered_pages.get(site, set())
            if new_pages:
                additions[site] = (new_pages, self._counts[site] - self._remembered_counts.get(site, Counter()))
        return additions


@dataclass(frozen=True, slots=True)
class OwnText:
    """A page's text without its site's furniture."""

    text: str
    removed: int  # furniture sentences taken out
    stub: bool  # too little of its own left to judge


def own_text(text: str, furniture: frozenset[int], keys: Sequence[int] | None = None) -> OwnText:
    """The page's text with its furniture sentences taken out: the page's text itself when
    it has no furniture, or nothing but furniture (then it is a stub all the same). `keys`
    are its sentence keys (`sentence_keys(text)`) when already known."""
    if not furniture or (keys is not None and furniture.isdisjoint(keys)):
        return OwnText(text, 0, False)
    pending = iter(keys) if keys is not None else None
    kept_lines: list[str] = []
    removed = kept = 0
    for line in text.split("\n"):
        pieces = line_sentences(line)
        own = [piece for piece in pieces if (next(pending) if pending else sentence_key(piece)) not in furniture]
        removed += len(pieces) - len(own)
        kept += sum(1 for piece in own if _WORD.search(piece))
        if own or not pieces:
            kept_lines.append(" ".join(own))
    if removed == 0:
        return OwnText(text, 0, False)
    if kept == 0:
        return OwnText(text, removed, True)
    return OwnText("\n".join(kept_lines).strip(), removed, kept < STUB_SENTENCES)


@dataclass(frozen=True, slots=True)
class OwnWords:
    """A page's words without its site's furniture (the words of its `OwnText`)."""

    words: np.ndarray
    removed: int  # furniture sentences taken out
    stub: bool  # too little of its own left to judge


def own_words(page: PageWords, furniture: frozenset[int]) -> OwnWords:
    """`own_text` on the words the page was read into: the same sentences are taken out,
    and the same pages are stubs."""
    keys = page.keys.tolist()
    if not furniture or furniture.isdisjoint(keys):
        return OwnWords(page.words, 0, False)
    is_furniture = np.fromiter((key in furniture for key in keys), dtype=bool, count=len(keys))
    counts = np.diff(page.starts)
    removed = int(np.count_nonzero(is_furniture))
    kept = int(np.count_nonzero(~is_furniture & (counts > 0)))
    if kept == 0:
        return OwnWords(page.words, removed, True)
    return OwnWords(page.words[np.repeat(~is_furniture, counts)], removed, kept < STUB_SENTENCES)
