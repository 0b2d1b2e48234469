"""Fingerprints: what a scan keeps of each document once its text has been read.

A batch of documents goes in (articles, or files and lines still to be read); out come, for each,
its metadata without text, an exact-duplicate key, its sorted shingle hashes and its
MinHash signature. This is the per-document work of a scan, and the unit that runs in
a worker process: everything here is a plain function of its inputs.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from dedup.io.inputs import Pending
from dedup.minhash import MinHashParams, signatures
from dedup.model import Article, InputError
from dedup.story.features import StoryFeatures, story_features
from dedup.text.furniture import own_text, sentence_keys, site_of
from dedup.text.normalise import normalise
from dedup.text.page import clean_article
from dedup.text.shingles import ShingleSpec, shingle_hashes
from dedup.text.tokens import words

_NO_WORDS = "no words in the text after cleaning: check that the text field holds the article"


@dataclass(frozen=True, slots=True)
class FingerprintSettings:
    shingles: ShingleSpec = ShingleSpec()
    minhash: MinHashParams = MinHashParams()
    story: bool = False  # also read the story evidence (dedup.story.features)
    clean: bool = True  # False for text that is already clean (a page's own text, see read_batch)


@dataclass(slots=True)
class FingerprintBatch:
    """Results in input order: `documents[i]` is an Article (metadata) or an InputError.

    `keys`, `shingles` and `signatures` hold one entry per Article, in the same order;
    so does `story` when the settings ask for story evidence, else it is empty.
    """

    documents: list[Article | InputError]
    keys: list[bytes]
    shingles: list[np.ndarray]
    signatures: np.ndarray
    story: list[StoryFeatures]


def exact_key(tokens: list[str]) -> bytes:
    """Equal for texts that are identical after normalisation (same words in the same order)."""
    return hashlib.blake2b(" ".join(tokens).encode("utf-8"), digest_size=16).digest()


def fingerprint_batch(items: Sequence[Article | Pending], settings: FingerprintSettings) -> FingerprintBatch:
    documents: list[Article | InputError] = []
    keys: list[bytes] = []
    shingle_sets: list[np.ndarray] = []
    story: list[StoryFeatures] = []
    for item in items:
        for loaded in (item,) if isinstance(item, Article) else item.load():
            if isinstance(loaded, InputError):
                documents.append(loaded)
                continue
            article = clean_article(loaded) if settings.clean else loaded
            tokens = words(normalise(article.text))
            if not tokens:
                documents.append(InputError.at(article.origin or article.id, _NO_WORDS))
                continue
            documents.append(article.without_text())
            keys.append(exact_key(tokens))
            shingle_sets.append(shingle_hashes(tokens, settings.shingles))
            if settings.story:
                story.append(story_features(article))
    return FingerprintBatch(documents, keys, shingle_sets, signatures(shingle_sets, settings.minhash), story)



@dataclass(slots=True)
class PageBatch:
    """The first pass of a scan that learns site furniture (dedup.text.furniture): each
    page read and cleaned, in input order. `documents[i]` is an Article (metadata) or an
    InputError; `texts` (the cleaned text, zlib-compressed), `page_keys` (a hash of that
    text, see `page_key`) and `sentences` (its sentence keys, empty for a page without a
    site) hold one entry per Article."""

    documents: list[Article | InputError]
    texts: list[bytes]
    page_keys: list[bytes]
    sentences: list[np.ndarray]


def page_key(text: str) -> bytes:
    """Equal for pages whose cleaned text is the same, furniture and all: what an index
    compares to tell a page added again from another text under the same id (the exact key
    of a page's own text changes when its site's furniture grows)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16, person=b"dedup-page").digest()


def read_batch(items: Sequence[Article | Pending]) -> PageBatch:
    documents: list[Article | InputError] = []
    texts: list[bytes] = []
    page_keys: list[bytes] = []
    keys: list[np.ndarray] = []
    for item in items:
        for loaded in (item,) if isinstance(item, Article | InputError) else item.load():
            if isinstance(loaded, InputError):
                documents.append(loaded)
                continue
            article = clean_article(loaded)  # a text without words is found out by the second pass
            documents.append(article.without_text())
            texts.append(zlib.compress(article.text.encode("utf-8"), 1))
            page_keys.append(page_key(article.text))
            known = site_of(article.source, article.url) is not None
            keys.append(sentence_keys(article.text) if known else np.zeros(0, dtype=np.uint64))
    return PageBatch(documents, texts, page_keys, keys)


@dataclass(slots=True)
class OwnBatch:
    """Pages to fingerprint on their own text (the second pass): each page's metadata,
    compressed cleaned text and sentence keys, and the furniture of the sites among them."""

    articles: list[Article]
    texts: list[bytes]
    sentences: list[np.ndarray]
    furniture: dict[str, frozenset[int]]


def own_fingerprint_batch(batch: OwnBatch, settings: FingerprintSettings) -> tuple[FingerprintBatch, list[bool]]:
    """The pages fingerprinted without their site's furniture, and which are stubs."""
    articles: list[Article] = []
    stubs: list[bool] = []
    for article, text, keys in zip(batch.articles, batch.texts, batch.sentences, strict=True):
        furniture = batch.furniture.get(site_of(article.source, article.url) or "", frozenset())
        own = own_text(zlib.decompress(text).decode("utf-8"), furniture, keys.tolist() if furniture else None)
        articles.append(replace(article, text=own.text))
        stubs.append(own.stub)
    return fingerprint_batch(articles, replace(settings, clean=False)), stubs
