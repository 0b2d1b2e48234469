"""Fingerprints: what a scan keeps of each document once its text has been read.

A batch of documents goes in (articles, or files and lines still to be read); out come, for each,
its metadata without text, an exact-duplicate key, its sorted shingle hashes and its
MinHash signature. This is the per-document work of a scan, and the unit that runs in
a worker process: everything here is a plain function of its inputs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dedup.io.inputs import Pending
from dedup.minhash import MinHashParams, signatures
from dedup.model import Article, InputError
from dedup.story.features import StoryFeatures, story_features
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
            article = clean_article(loaded)
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

