"""The copy scan's bulk hashing equals the plain definitions it replaces: words as `\\w+`
finds them, sentence keys by their words, own words as `own_text` would leave them, LSH
bands and MinHash permutations as datasketch chooses them."""

from __future__ import annotations

import dataclasses
import pickle
import random
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.arrays import Segments
from dedup.index.bands import lsh_bands
from dedup.minhash import MinHashParams, permutations
from dedup.model import Article
from dedup.text import span_hashes
from dedup.text.furniture import own_text, own_words, sentences
from dedup.text.normalise import normalise, normalise_words
from dedup.text.page_words import NO_WORDS, read_words, sentence_key
from dedup.text.shingles import (
    ShingleSpec,
    batch_shingles,
    shingle_hashes,
    sorted_unique,
    text_word_hashes,
)
from dedup.text.tokens import words

# Letters of several scripts, digits, an astral letter and digit, a lone surrogate,
# invisible characters, punctuation and every kind of space.
_ALPHABET = st.sampled_from(list("aZäßΣςЖ文1٣_ .,!?\"„“»«()-–\n\t\u00a0\u00ad\u200b\ufeff\u2028") + ["𝔘", "𝟙", "\udc80", "Jänner"])
_TEXTS = st.lists(_ALPHABET, max_size=60).map("".join)


@given(_TEXTS)
@settings(max_examples=300, deadline=None)
def test_word_spans_are_the_words_the_regular_expression_finds(text):
    codes = span_hashes.code_points(text)
    starts, stops = span_hashes.word_spans(codes)
    assert [text[a:b] for a, b in zip(starts.tolist(), stops.tolist(), strict=True)] == re.findall(r"\w+", text)


@given(_TEXTS)
@settings(max_examples=300, deadline=None)
def test_normalise_words_changes_the_words_as_normalise_does(text):
    assert words(normalise_words(text)) == words(normalise(text))


def test_a_word_hashes_alike_wherever_it_stands_and_unlike_other_words():
    hashed = span_hashes.word_hashes(["bund bundes bund", "x bund"])
    assert hashed[0][0] == hashed[0][2] == hashed[1][1]
    vocabulary = [f"w{number}" for number in range(5000)] + ["ab", "ba", "aab", "aba"]
    assert len(set(span_hashes.word_hashes([" ".join(vocabulary)])[0].tolist())) == len(vocabulary)


def test_long_texts_hash_as_short_ones(monkeypatch):
    rng = np.random.default_rng(1)
    codes = rng.integers(32, 0x3000, size=5000).astype(np.uint32)
    starts = np.sort(rng.integers(0, 4990, 400))
    stops = np.minimum(starts + rng.integers(0, 300, 400), 5000)
    values = rng.integers(0, 2**63, 5000, dtype=np.uint64)
    whole = span_hashes.span_hashes(codes, starts, stops), span_hashes.sequence_hashes(values, starts, stops)
    monkeypatch.setattr(span_hashes, "WINDOW", 64)  # pieces now cross the windows of prefix sums
    windowed = span_hashes.span_hashes(codes, starts, stops), span_hashes.sequence_hashes(values, starts, stops)
    assert all(np.array_equal(a, b) for a, b in zip(whole, windowed, strict=True))


def _random_texts(seed: int, count: int = 40) -> list[str]:
    rng = random.Random(seed)
    vocabulary = ["Berlin", "Kiew", "sagte", "der", "die", "Regierung", "am", "Montag", "10.", "Jänner", "„Frieden“", "Nato"]
    texts = []
    for _ in range(count):
        lines = [" ".join(rng.choice(vocabulary) for _ in range(rng.randint(0, 14))) + rng.choice([".", "!", ""])
                 for _ in range(rng.randint(0, 6))]
        texts.append("\n".join(lines))
    return texts


@pytest.mark.parametrize("spec", [ShingleSpec("word", 5), ShingleSpec("word", 1), ShingleSpec("char", 9)])
def test_shingles_of_a_batch_are_those_of_each_document_alone(spec):
    texts = [normalise(text) for text in _random_texts(2)] + ["", "zwei Wörter"]
    together = batch_shingles(text_word_hashes(texts), spec, texts)
    for text, shingles in zip(texts, together, strict=True):
        hashed = text_word_hashes([text])[0]
        expected = shingle_hashes(text, spec) if len(hashed) or spec.unit == "char" else np.zeros(0, np.uint64)
        assert np.array_equal(shingles, expected)
        assert np.array_equal(shingles, sorted_unique(shingles))


def test_read_words_keys_each_sentence_by_its_words():
    texts = _random_texts(3)
    for text, page in zip(texts, read_words(texts), strict=True):
        pieces = sentences(text)
        assert len(page.keys) == len(pieces) == len(page.starts) - 1
        assert np.array_equal(page.words, text_word_hashes([normalise(text)])[0])
        for number, piece in enumerate(pieces):
            assert page.keys[number] == sentence_key(piece)
            assert (page.keys[number] == NO_WORDS) == (not words(piece))
            assert np.array_equal(page.words[page.starts[number]:page.starts[number + 1]],
                                  text_word_hashes([normalise(piece)])[0])
    assert sentence_key("Alle Rechte vorbehalten.") == sentence_key("alle  rechte\tvorbehalten!")


def test_own_words_are_the_words_of_the_own_text():
    rng = random.Random(4)
    texts = _random_texts(5, count=60)
    pages = read_words(texts)
    every_key = sorted({key for page in pages for key in page.keys.tolist()} - {NO_WORDS})
    for text, page in zip(texts, pages, strict=True):
        furniture = frozenset(rng.sample(every_key, k=min(len(every_key), 6)))
        by_text, by_words = own_text(text, furniture, page.keys.tolist()), own_words(page, furniture)
        assert (by_words.removed, by_words.stub) == (by_text.removed, by_text.stub)
        assert np.array_equal(by_words.words, text_word_hashes([normalise(by_text.text)])[0])


def test_lsh_bands_are_datasketch_s_choice():
    from datasketch.lsh import _optimal_param

    for num_perm in (16, 100, 128, 256):
        for threshold in [0.02, 2 / 78, 0.1, 0.25, 1 / 3, 0.5, 0.73, 0.9, 0.99]:
            assert lsh_bands(threshold, num_perm) == _optimal_param(threshold, num_perm, 0.5, 0.5)


@pytest.mark.parametrize("scheme", ["affine32", "affine64"])
@pytest.mark.parametrize("seed", [1, 42])
def test_minhash_permutations_are_datasketch_s(scheme, seed):
    from datasketch import MinHash

    params = MinHashParams(128, seed, scheme)
    a, b = MinHash(num_perm=128, seed=seed, scheme=scheme).permutations
    ours = permutations(params)
    assert np.array_equal(ours[0], a.astype(params.dtype)) and np.array_equal(ours[1], b.astype(params.dtype))


def test_an_article_with_another_text_keeps_every_other_field():
    article = Article("a", "text", "Title", "Source", "2021-12-30", "https://x.example/a", "de", ("dpa",), "in.jsonl:3")
    assert article.with_text("other") == dataclasses.replace(article, text="other")
    assert article.without_text() == dataclasses.replace(article, text="")


def test_segments_travel_as_one_array():
    arrays = [np.arange(count, dtype=np.uint64) for count in (3, 0, 5)]
    segments = pickle.loads(pickle.dumps(Segments.of(arrays)))
    assert len(segments) == 3 and all(np.array_equal(a, b) for a, b in zip(segments, arrays, strict=True))
    assert np.array_equal(segments[-1], arrays[-1])
    with pytest.raises(IndexError):
        segments[3]


def test_index_candidates_are_those_minhash_lsh_queries_find(redis_url, tmp_path):
    # Redis reads datasketch's buckets in pipelines; the candidates must be its query's,
    # and SQLite's band table must give the same.
    import redis

    from dedup.index.open import open_index
    from dedup.index.stored import NewDocument
    from dedup.minhash import lean_minhash, signatures

    rng = np.random.default_rng(7)
    sets = [np.unique(rng.integers(0, 2**63, size=int(rng.integers(30, 120)), dtype=np.uint64)) for _ in range(60)]
    sets += [np.unique(np.concatenate([s[: len(s) // 2], rng.integers(0, 2**63, size=10, dtype=np.uint64)])) for s in sets[:30]]
    params = MinHashParams()
    rows = signatures(sets, params)
    documents = [NewDocument(Article(f"d{number}", ""), bytes([number % 256]) * 16, b"p" * 16, shingles, row, None, False)
                 for number, (shingles, row) in enumerate(zip(sets, rows, strict=True))]
    url = f"{redis_url}/15"
    redis.Redis.from_url(url).flushdb()
    found = {}
    for location in (url, str(tmp_path / "bands.index")):
        index = open_index(location, None, create=True)
        index.add(documents[:70])
        found[location] = index.candidates(rows[60:])
        if location == url:
            expected = [set(index._lsh.query(lean_minhash(row, params))) for row in rows[60:]]
            assert found[location] == expected
        index.close()
    assert found[url] == found[str(tmp_path / "bands.index")]
    assert sum(map(len, found[url])) > 0
