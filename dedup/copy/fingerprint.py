"""Fingerprints: what a scan keeps of each document once its text has been read.

A batch of documents goes in (articles, or files and lines still to be read); out come, for
each, its metadata without text, an exact-duplicate key, its sorted shingle hashes and its
MinHash signature. This is the per-document work of a scan, in two passes that run in
worker processes, both plain functions of their inputs:
- `read_batch` reads, cleans and fingerprints every page on all its words, and keys its
  sentences, from which the scan learns each site's furniture (dedup.text.furniture);
- `own_fingerprint_batch` fingerprints again, on its own words, each page that carried
  furniture, and reads the story evidence of every page when a story scan asks for it.
Each page's words are read once, for the whole batch at a time (dedup.text.page_words).
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dedup.arrays import Segments
from dedup.io.inputs import Pending
from dedup.minhash import MinHashParams, signatures
from dedup.model import Article, InputError
from dedup.story.features import StoryFeatures, story_features
from dedup.text.furniture import own_text, own_words, site_of
from dedup.text.normalise import normalise_words
from dedup.text.page import clean_article
from dedup.text.page_words import BatchWords, read_words
from dedup.text.shingles import ShingleSpec, batch_shingles, text_word_hashes

WORDLESS = "no words in the text after cleaning: check that the text field holds the article"


@dataclass(frozen=True, slots=True)
class FingerprintSettings:
    shingles: ShingleSpec = ShingleSpec()
    minhash: MinHashParams = MinHashParams()
    story: bool = False  # also read the story evidence (dedup.story.features)
    # and, in it, the summary that `--semantic` encodes (an index keeps it for later checks)
    summaries: bool = False


def exact_key(hashed_words: np.ndarray) -> bytes:
    """Equal for texts that are identical after normalisation (same words in the same
    order): a digest of the sequence of their word hashes (`text_word_hashes`)."""
    return hashlib.blake2b(hashed_words.astype("<u8").tobytes(), digest_size=16, person=b"dedup-words").digest()


@dataclass(frozen=True, slots=True)
class ReadSettings:
    """What the first pass keeps of each page for the second (see `read_batch`)."""

    fingerprint: FingerprintSettings = FingerprintSettings()
    hold_words: bool = False  # its words (copy mode), else its text (story mode needs the text)
    compress: bool = True  # a held text zlib-compressed


@dataclass(slots=True)
class PageBatch:
    """The first pass of a scan: each page read, cleaned and fingerprinted whole, in input
    order. `documents[i]` is an Article (metadata) or an InputError; the other lists hold
    one entry per Article:
    - `page_keys`: a hash of the cleaned text (see `page_key`);
    - `sentences`: its sentence keys (dedup.text.page_words), empty for a page without a site;
    - `keys`, `signatures` (one row each): the exact key and MinHash signature of the whole
      page's words, b"" and the empty signature for a page without words (its shingles
      travel apart, see `read_batch`);
    - what the second pass needs of a page whose site has furniture: `words`, the words
      of all pages (a copy scan), or `texts`, each page's text (UTF-8, zlib-compressed
      when `compressed`).
    Arrays of all pages travel as one (dedup.arrays.Segments)."""

    documents: list[Article | InputError]
    page_keys: list[bytes]
    sentences: Segments
    keys: list[bytes]
    signatures: np.ndarray
    words: BatchWords | None
    texts: list[bytes] | None
    compressed: bool


def page_key(text: str) -> bytes:
    """Equal for pages whose cleaned text is the same, furniture and all: what an index
    compares to tell a page added again from another text under the same id (the exact key
    of a page's own text changes when its site's furniture grows)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16, person=b"dedup-page").digest()


def read_batch(items: Sequence[Article | Pending], settings: ReadSettings = ReadSettings()) -> tuple[PageBatch, Segments]:
    """The first pass over a batch: pages read and cleaned, their sentences keyed, and each
    fingerprinted on all its words. Most pages have no furniture of their site, and that
    fingerprint is final; the rest are fingerprinted again on their own words by
    `own_fingerprint_batch`, from what is held. Returns the batch and, apart, the pages'
    shingle sets (an engine may keep them where they were made)."""
    documents: list[Article | InputError] = []
    articles: list[Article] = []
    for item in items:
        for loaded in (item,) if isinstance(item, Article | InputError) else item.load():
            if isinstance(loaded, InputError):
                documents.append(loaded)
                continue
            article = clean_article(loaded)  # a text without words is found out by the second pass
            documents.append(article.without_text())
            articles.append(article)
    texts = [article.text for article in articles]
    pages = read_words(texts)
    known_site = [site_of(article.source, article.url) is not None for article in articles]
    shingle_sets = batch_shingles([page.words for page in pages], settings.fingerprint.shingles,
                                  _normalised_for_characters(texts, settings.fingerprint.shingles))
    held_texts = None
    if not settings.hold_words:
        encoded = [text.encode("utf-8", "surrogatepass") for text in texts]
        held_texts = [zlib.compress(text, 1) for text in encoded] if settings.compress else encoded
    batch = PageBatch(
        documents,
        [page_key(text) for text in texts],
        Segments.of(page.keys if known else page.keys[:0] for page, known in zip(pages, known_site, strict=True)),
        [exact_key(page.words) if len(page.words) else b"" for page in pages],
        signatures(shingle_sets, settings.fingerprint.minhash),
        BatchWords.of(pages) if settings.hold_words else None,
        held_texts,
        settings.compress and not settings.hold_words,
    )
    return batch, Segments.of(shingle_sets)


def _normalised_for_characters(texts: list[str], spec: ShingleSpec) -> list[str] | None:
    """The normalised texts that character shingles read; word shingles need only the words."""
    return [normalise_words(text) for text in texts] if spec.unit == "char" else None


@dataclass(slots=True)
class OwnBatch:
    """Pages for the second pass: their metadata, what the first pass held of each (its
    words, or its text, see PageBatch), their sentence keys, and the furniture of their sites."""

    articles: list[Article]
    held: list[tuple[BatchWords, int] | bytes]  # a page's place among its batch's words, or its text
    compressed: bool
    sentences: list[np.ndarray | None]  # of a page held as text
    furniture: dict[str, frozenset[int]]


@dataclass(slots=True)
class OwnPrints:
    """The second pass's results, one entry per page of its OwnBatch in `stubs` (too short
    to judge once the furniture is out) and `story` (the story evidence of its own text,
    when asked). Pages that lost furniture sentences are fingerprinted again: `reprinted`
    names them, `keys` and `signatures` hold their new fingerprints in that order (their
    shingle sets travel apart)."""

    stubs: list[bool]
    reprinted: list[int]
    keys: list[bytes]
    signatures: np.ndarray
    story: list[StoryFeatures]


def own_fingerprint_batch(batch: OwnBatch, settings: FingerprintSettings) -> tuple[OwnPrints, Segments]:
    """The second pass: each page without its site's furniture, fingerprinted again where
    furniture came out, and its story evidence read when the settings ask for it."""
    stubs: list[bool] = []
    reprinted: list[int] = []
    own_words_of: list[np.ndarray] = []
    own_texts: list[str] = []
    story: list[StoryFeatures] = []
    for position, (article, held, keys) in enumerate(zip(batch.articles, batch.held, batch.sentences, strict=True)):
        furniture = batch.furniture.get(site_of(article.source, article.url) or "", frozenset())
        if isinstance(held, tuple):
            words_of_batch, index = held
            own = own_words(words_of_batch.page(index), furniture)
            stubs.append(own.stub)
            if own.removed:
                reprinted.append(position)
                own_words_of.append(own.words)
            continue
        text = (zlib.decompress(held) if batch.compressed else held).decode("utf-8", "surrogatepass")
        own_page = own_text(text, furniture, keys.tolist() if furniture else None)
        stubs.append(own_page.stub)
        if own_page.removed:
            reprinted.append(position)
            own_texts.append(normalise_words(own_page.text))
        if settings.story:
            story.append(story_features(article.with_text(own_page.text), settings.summaries))
    if own_texts:  # a batch holds either words or texts: the same scan made it
        own_words_of = text_word_hashes(own_texts)
    shingle_sets = batch_shingles(own_words_of, settings.shingles, own_texts if settings.shingles.unit == "char" else None)
    prints = OwnPrints(stubs, reprinted, [exact_key(words) for words in own_words_of],
                       signatures(shingle_sets, settings.minhash), story)
    return prints, Segments.of(shingle_sets)
