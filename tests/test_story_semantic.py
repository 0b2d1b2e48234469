"""Story mode with --semantic: reports grouped by meaning too, across wording and across
German and English (dedup.story.meaning, neighbours, neutral; dedup.text.transliterate).

The cross-language case is the seeds' own event: an English report of the Biden–Putin
call of 30 December 2021 (tests/data/crosslang, written for these tests) must join the two
German seed reports, and the German report of the video summit of 7 December (same topic,
same people, another event) must stay apart. The encoder is the shipped one (no download);
its vectors of a few summaries take a second or two.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import APA, DW, REPO_ROOT, SUMMIT

import dedup
from dedup.index.stored import story_from_record, story_record
from dedup.io.writers import write_json
from dedup.model import Article, StoryFeatures
from dedup.pipeline import ScanConfig
from dedup.story import meaning, neighbours, pair_model
from dedup.story.features import SUMMARY_CHARACTERS, story_features, summary
from dedup.story.finder import find_stories
from dedup.story.neighbours import exact_neighbours, neighbour_pairs
from dedup.story.signals import SignalSpace
from dedup.text.page import clean_article
from dedup.text.transliterate import name_key

ENGLISH = REPO_ROOT / "tests" / "data" / "crosslang" / "en-2021-12-30-biden-putin-call.txt"


def _corpus(samples_dir: Path) -> list[str]:
    return [str(samples_dir / DW), str(samples_dir / APA), str(samples_dir / SUMMIT), str(ENGLISH)]


def _members(report: dict, member_suffix: str) -> set[str]:
    """The members of the cluster holding the document whose id ends with `member_suffix`."""
    for cluster in report["clusters"]:
        if any(member.endswith(member_suffix) for member in cluster["members"]):
            return {Path(member).name for member in cluster["members"]}
    return set()


@pytest.fixture(scope="module")
def semantic_report(samples_dir):
    return json.loads(write_json(dedup.scan(_corpus(samples_dir), ScanConfig(mode="story", jobs=1, semantic=True))))


# --- The command ----------------------------------------------------------------------------


def test_the_english_report_joins_the_german_seeds_and_the_summit_stays_apart(run_dedup, samples_dir):
    run = run_dedup("scan", *_corpus(samples_dir), "--mode", "story", "--semantic", "--format", "json")
    assert run.code == 0, run.stderr
    report = run.json()
    assert _members(report, ENGLISH.name) == {Path(DW).name, Path(APA).name, ENGLISH.name}
    assert _members(report, Path(SUMMIT).name) == set()
    assert report["settings"]["semantic"]["encoder"].startswith("use-multilingual-v3/")


def test_without_semantic_the_english_report_stays_alone_and_no_encoder_runs(samples_dir, monkeypatch):
    def refuse(*arguments, **options):
        raise AssertionError("story mode without --semantic must not encode")

    monkeypatch.setattr(meaning, "document_vectors", refuse)
    monkeypatch.setattr("dedup.story.finder.document_vectors", refuse)
    report = json.loads(write_json(dedup.scan(_corpus(samples_dir), ScanConfig(mode="story", jobs=1))))
    assert _members(report, Path(DW).name) == {Path(DW).name, Path(APA).name}
    assert _members(report, ENGLISH.name) == set()
    assert "semantic" not in report["settings"]
    pair = report["clusters"][0]["pairs"][0]
    assert list(pair["evidence"]["signals"]) == list(pair_model.FEATURES)  # the word model, as before


def test_semantic_is_for_story_mode(dedup_cli, samples_dir):
    run = dedup_cli("scan", str(samples_dir), "--semantic")
    assert run.code == 2
    assert "--semantic" in run.stderr and "--mode story" in run.stderr
    with pytest.raises(ValueError, match="story mode"):
        ScanConfig(mode="copy", semantic=True)


# --- Which model judges a pair ------------------------------------------------------------


def test_pairs_across_languages_are_judged_by_the_neutral_model(semantic_report):
    pairs = [pair for cluster in semantic_report["clusters"] for pair in cluster["pairs"]]
    across = [pair for pair in pairs if ENGLISH.name in (Path(pair["a"]).name, Path(pair["b"]).name)]
    within = [pair for pair in pairs if pair not in across]
    assert len(across) == 2 and len(within) == 1
    for pair in across:
        assert list(pair["evidence"]["signals"]) == list(pair_model.NEUTRAL_FEATURES)
        assert not set(pair["evidence"]["signals"]) & {"stems_shared", "title", "lead", "quotes"}
        assert "uschakow = ushakov" in pair["evidence"]["shared"]["names"]
    assert list(within[0]["evidence"]["signals"]) == list(pair_model.SEMANTIC_FEATURES)


def test_the_story_stage_tells_the_model_of_each_pair(samples_dir):
    texts = [Article(id=path, text=Path(path).read_text(encoding="utf-8")) for path in _corpus(samples_dir)]
    features = [story_features(clean_article(article)) for article in texts]
    vectors = meaning.document_vectors(features)
    links = find_stories(features, dedup.pipeline.MinHashParams(), vectors=vectors)
    for left, right, model in zip(links.left.tolist(), links.right.tolist(), links.model_of.tolist(), strict=True):
        across = features[left].lang != features[right].lang
        assert meaning.MODELS[model] is (pair_model.NEUTRAL if across else pair_model.SEMANTIC)
    english = [feature.lang for feature in features].index("en")
    assert any(english in (left, right) for left, right in zip(links.left.tolist(), links.right.tolist(), strict=True))


def test_across_languages_meaning_alone_makes_no_story():
    """Two reports in two languages with identical vectors but no shared name, number, date,
    weekday or time: meaning alone tells the topic, not the event."""
    german = StoryFeatures(lang="de", stems={"wahl": 2}, names=frozenset({"wien"}), numbers=frozenset({"17"}),
                           dates=frozenset(), title=frozenset(), day=None)
    english = StoryFeatures(lang="en", stems={"elect": 2}, names=frozenset({"ashgabat"}), numbers=frozenset(),
                            dates=frozenset(), title=frozenset(), day=None)
    sharing = StoryFeatures(lang="en", stems={"elect": 2}, names=frozenset({"vienna"}), numbers=frozenset({"17"}),
                            dates=frozenset(), title=frozenset(), day=None)
    features = [german, english, sharing]
    vectors = np.ones((3, 4), dtype=np.float32) / 2  # cosine 1 between any two
    left, right = np.array([0, 0]), np.array([1, 2])
    days = np.full(3, np.nan)
    probabilities, model_of = meaning.meaning_probabilities(SignalSpace(features), features, vectors, left, right, days)
    assert model_of.tolist() == [1, 1]  # NEUTRAL for both
    assert probabilities[0] == 0.0
    assert 0.0 < probabilities[1] < 1.0  # "17" is a shared fact: now the model judges


def test_the_inputs_an_explanation_reads_again_give_each_pairs_probability():
    # Scores let the model inputs go; an explanation measures those of the pairs it shows
    # again (meaning_inputs), in one language and across two, and they give the same chance.
    def report(lang, stems, names, numbers):
        return StoryFeatures(lang=lang, stems=stems, names=frozenset(names), numbers=frozenset(numbers),
                             dates=frozenset(), title=frozenset(), day=None)

    features = [report("de", {"wahl": 2, "wien": 1}, {"wien"}, {"17"}), report("en", {"elect": 2}, {"vienna"}, {"17"}),
                report("en", {"elect": 3, "vienna": 1}, {"vienna"}, {"17", "4"}), report("de", {"wahl": 1}, {"wien"}, {"4"})]
    vectors = np.array([[1, 0, 0], [0.8, 0.6, 0], [0.6, 0.8, 0], [1, 0, 0]], dtype=np.float32)
    left, right = np.array([0, 0, 1, 0]), np.array([1, 2, 2, 3])
    days, space = np.full(4, np.nan), SignalSpace(features)
    probabilities, model_of = meaning.meaning_probabilities(space, features, vectors, left, right, days)
    inputs = meaning.meaning_inputs(space, features, vectors, left, right, days, model_of)
    assert model_of.tolist() == [1, 1, 0, 0]
    for k in range(len(left)):
        model = meaning.MODELS[model_of[k]]
        assert model.probability(meaning.model_inputs(inputs[k:k + 1], model))[0] == pytest.approx(probabilities[k], rel=1e-12)
    again = meaning.meaning_inputs(space, features, vectors, left[2:], right[2:], days, model_of[2:])
    assert np.array_equal(again, inputs[2:])


def test_a_cosine_across_languages_is_read_on_the_one_language_scale():
    assert meaning.one_language_cosine(np.array([0.59])) == pytest.approx(meaning.ACROSS_INTERCEPT + meaning.ACROSS_SLOPE * 0.59)
    assert meaning.one_language_cosine(np.array([0.5]))[0] > 0.5


def test_both_engines_give_one_report_with_semantic(local_ray, samples_dir):
    local = json.loads(write_json(dedup.scan(_corpus(samples_dir), ScanConfig(mode="all", jobs=2, semantic=True))))
    on_ray = json.loads(write_json(dedup.scan(_corpus(samples_dir), ScanConfig(mode="all", jobs=2, semantic=True,
                                                                                  engine="ray"))))
    on_ray["settings"].pop("engine")
    assert local["clusters"] and on_ray == local


# --- Transliteration keys -------------------------------------------------------------------


@pytest.mark.parametrize(("german", "english"), [
    ("uschakow", "ushakov"), ("wladimir", "vladimir"), ("selenskyj", "zelensky"), ("selenskyj", "zelenskyy"),
    ("jelzin", "yeltsin"), ("chodorkowski", "khodorkovsky"), ("tschernobyl", "chernobyl"), ("schukow", "zhukov"),
    ("gorbatschow", "gorbachev"), ("chruschtschow", "khrushchev"), ("lawrow", "lavrov"), ("nawalny", "navalny"),
    ("lukaschenko", "lukashenko"), ("tichanowskaja", "tikhanovskaya"), ("kiew", "kyiv"), ("müller", "mueller"),
    ("juri_uschakow", "yuri_ushakov"), ("alexej_nawalny", "alexei_navalny"), ("minnichanow", "minnikhanov"),
])
def test_the_german_and_the_english_spelling_of_a_name_meet(german, english):
    assert name_key(german) == name_key(english)


@pytest.mark.parametrize("name", ["psaki", "biden", "jen_psaki", "baden-württemberg", "o'neill", "x"])
def test_a_name_spelt_alike_meets_itself_and_keeps_its_parts(name):
    assert name_key(name) == name_key(name.upper().casefold())
    assert name_key(name).count("_") == name.count("_") and name_key(name).count("-") == name.count("-")


@pytest.mark.parametrize(("first", "second"), [("putin", "biden"), ("uschakow", "lawrow"), ("moskau", "moscow"),
                                               ("merkel", "scholz")])
def test_different_names_and_translated_ones_stay_apart(first, second):
    # "Moskau"/"Moscow" is a translation, not a transliteration: the vectors carry it.
    assert name_key(first) != name_key(second)


# --- Nearest neighbours ---------------------------------------------------------------------


def _brute_force(vectors: np.ndarray, languages: list[str], same: int, other: int, min_same: float,
                 min_other: float) -> list[tuple[int, int]]:
    """Every pair where one is among the other's k nearest in a language, from the full matrix."""
    products = vectors @ vectors.T
    found = set()
    for query in range(len(vectors)):
        for language in set(languages):
            ours = language == languages[query]
            candidates = [j for j in range(len(vectors)) if languages[j] == language and j != query]
            ranked = sorted(candidates, key=lambda j: (-products[query, j], j))[:same if ours else other]
            found |= {tuple(sorted((query, j))) for j in ranked if products[query, j] >= (min_same if ours else min_other)}
    return sorted(found)


@pytest.mark.parametrize("documents", [1, 2, 7, 60, 301])
def test_the_neighbour_candidates_equal_brute_force(documents):
    generator = np.random.default_rng(documents)
    vectors = generator.normal(size=(documents, 24)).astype(np.float32)
    vectors[documents // 2:documents // 2 + 3] = vectors[0]  # three of one summary: ties to break
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    languages = generator.choice(["de", "en", "fr"], size=documents, p=[0.6, 0.3, 0.1]).tolist()
    left, right = neighbour_pairs(vectors, languages, 4, 2, 0.05, -1.0)
    assert list(zip(left.tolist(), right.tolist(), strict=True)) == _brute_force(vectors, languages, 4, 2, 0.05, -1.0)


def test_blocks_of_query_rows_do_not_change_the_neighbours(monkeypatch):
    vectors = np.random.default_rng(3).normal(size=(200, 16)).astype(np.float32)
    whole = exact_neighbours(vectors, vectors, 5, np.arange(200))
    monkeypatch.setattr(neighbours, "_BLOCK_VALUES", 7 * 200)  # seven query rows per block
    blocked = exact_neighbours(vectors, vectors, 5, np.arange(200))
    assert np.array_equal(whole[0], blocked[0]) and np.array_equal(whole[1], blocked[1])


def test_the_approximate_index_finds_the_exact_neighbours_of_a_small_corpus(monkeypatch):
    pytest.importorskip("usearch", reason="usearch is optional: the approximate index only serves corpora beyond EXACT_LIMIT")
    vectors = np.random.default_rng(5).normal(size=(300, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    languages = ["de"] * 200 + ["en"] * 100
    exact = neighbour_pairs(vectors, languages, 5, 3, 0.0, 0.0)
    monkeypatch.setattr(neighbours, "EXACT_LIMIT", 0)
    approximate = neighbour_pairs(vectors, languages, 5, 3, 0.0, 0.0)
    pairs = [set(zip(left.tolist(), right.tolist(), strict=True)) for left, right in (exact, approximate)]
    assert len(pairs[0] & pairs[1]) >= 0.98 * len(pairs[0])


# --- The summary and the index record -----------------------------------------------------------


def test_the_summary_is_the_title_and_the_first_sentences():
    text = "First sentence here. " + "Second one follows. " * 60
    found = summary("A title", text)
    heading, lead = found.split("\n")
    assert heading == "A title" and lead.startswith("First sentence here. Second one follows.")
    assert len(lead) <= SUMMARY_CHARACTERS and lead.endswith(".")
    assert summary("First sentence here.", text).startswith("First sentence here. Second")  # no title twice
    assert len(summary(None, "x" * 5_000)) == SUMMARY_CHARACTERS


def test_a_scan_reads_summaries_only_for_meaning_and_an_index_keeps_them(samples_dir, tmp_path):
    # The summary is what --semantic encodes: a scan without it does not read it (it costs a
    # few percent of the story evidence); an index keeps it for a later check with it.
    from dedup.engines.local import LocalEngine
    from dedup.gate.indexing import add_to_index
    from dedup.index.open import open_index
    from dedup.pipeline import learn_furniture, own_fingerprints, read_pages

    def summaries(config):
        pages = list(read_pages([str(samples_dir / DW), str(samples_dir / APA)], config, [], engine=LocalEngine(1)))
        found = own_fingerprints(pages, learn_furniture(pages), config, [], engine=LocalEngine(1))
        return [document.story.summary for document in found]

    assert summaries(ScanConfig(mode="story", jobs=1)) == ["", ""]
    with_meaning = summaries(ScanConfig(mode="story", jobs=1, semantic=True))
    assert len(set(with_meaning)) == 2 and all(len(text) > 100 for text in with_meaning)
    index = open_index(str(tmp_path / "index.sqlite"), None, create=True)
    try:
        add_to_index([str(samples_dir / DW), str(samples_dir / APA)], index, ScanConfig(mode="story", jobs=1))
        assert sorted(document.story.summary for document in index.stories()) == sorted(with_meaning)
    finally:
        index.close()


def test_the_summary_is_kept_in_index_records_and_old_records_still_load():
    title, _, text = ENGLISH.read_text(encoding="utf-8").partition("\n")
    features = story_features(Article(id="a", text=text, title=title))
    assert features.summary.startswith(f"{title}\nWashington - US President Joe Biden warned")
    assert story_from_record(story_record(features)) == features
    old = json.loads(story_record(features))
    del old["summary"]
    assert story_from_record(json.dumps(old)).summary == ""
