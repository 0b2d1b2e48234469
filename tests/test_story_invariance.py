"""A pair's story probability is a property of the two reports, not of the corpus around
them: `dedup scan`, `dedup check` and `dedup review` give one pair one probability, and a
corpus focused on one topic is judged as a mixed one is.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import APA, DW, OTHER_QUAKE, QUAKE_A, QUAKE_B, SUMMIT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dedup
from dedup.model import Article
from dedup.pipeline import ScanConfig
from dedup.story.features import story_features
from dedup.story.finder import pair_probabilities
from dedup.story.pair_model import pair_features
from dedup.story.signals import SignalSpace
from dedup.text.page import clean_article

SAMPLES = [DW, APA, SUMMIT, QUAKE_A, QUAKE_B, OTHER_QUAKE]
FIXED_PAIRS = [(DW, APA), (QUAKE_A, QUAKE_B), (QUAKE_A, OTHER_QUAKE), (DW, SUMMIT)]


def _sample_articles(samples_dir: Path) -> dict[str, Article]:
    return {name: clean_article(Article(id=name, text=(samples_dir / name).read_text(encoding="utf-8"))) for name in SAMPLES}


def _probabilities(corpus: list[Article], pairs: list[tuple[str, str]]) -> dict[tuple[str, str], float]:
    """The pair model's probability of each pair, scored inside `corpus`."""
    features = [story_features(article) for article in corpus]
    position = {article.id: index for index, article in enumerate(corpus)}
    space = SignalSpace(features)
    left = np.array([position[a] for a, _ in pairs])
    right = np.array([position[b] for _, b in pairs])
    chances = pair_probabilities(space, features, left, right)
    return dict(zip(pairs, chances.tolist(), strict=True))


@pytest.fixture(scope="module")
def sample_articles(samples_dir) -> dict[str, Article]:
    return _sample_articles(samples_dir)


@pytest.fixture(scope="module")
def alone(sample_articles) -> dict[tuple[str, str], float]:
    """Each fixed pair scored in a corpus of the two documents alone."""
    return {pair: _probabilities([sample_articles[pair[0]], sample_articles[pair[1]]], [pair])[pair] for pair in FIXED_PAIRS}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(unrelated=st.lists(st.integers(min_value=0, max_value=10_000), max_size=30, unique=True),
       keep_samples=st.lists(st.booleans(), min_size=len(SAMPLES), max_size=len(SAMPLES)), shuffle=st.randoms())
def test_a_pairs_probability_does_not_change_with_the_corpus_around_it(sample_articles, alone, articles, unrelated,
                                                                       keep_samples, shuffle):
    """Unrelated generated reports added or removed, other samples in or out, any order:
    every fixed pair's probability stays what it is when the two are scanned alone."""
    wanted = {name for pair in FIXED_PAIRS for name in pair}
    corpus = [article for name, article in sample_articles.items() if name in wanted or keep_samples[SAMPLES.index(name)]]
    corpus += [Article(id=f"generated-{seed}", text=articles.text(seed, sentences=6)) for seed in unrelated]
    shuffle.shuffle(corpus)
    inside = _probabilities(corpus, FIXED_PAIRS)
    for pair in FIXED_PAIRS:
        assert abs(inside[pair] - alone[pair]) <= 0.01, pair


def test_scan_reports_the_seed_probability_whatever_else_is_scanned(run_dedup, samples_dir):
    def seed_probability(*paths: Path) -> float:
        run = run_dedup("scan", *paths, "--mode", "story", "--format", "json")
        assert run.code == 0, run.stderr
        return next(pair["score"] for cluster in run.json()["clusters"] for pair in cluster["pairs"]
                    if {pair["a"].rpartition("/")[2], pair["b"].rpartition("/")[2]} == {Path(DW).name, Path(APA).name})

    assert seed_probability(samples_dir / "seeds") == seed_probability(samples_dir) >= 0.5


def test_review_shows_the_probability_a_scan_reports(run_dedup, samples_dir):
    from tui.corpus import load_corpus

    scanned = run_dedup("scan", samples_dir, "--mode", "all", "--format", "json").json()
    scan_scores = {frozenset((pair["a"], pair["b"])): pair["score"] for cluster in scanned["clusters"]
                   for pair in cluster["pairs"] if "score" in pair}
    corpus = load_corpus([str(samples_dir)])
    review_scores = {frozenset((pair.a, pair.b)): pair.evidence.score for cluster in corpus.clusters
                     for pair in cluster.pairs if pair.evidence is not None}
    assert review_scores == scan_scores
    assert review_scores[frozenset((DW, APA))] >= 0.5


def test_a_saved_scan_keeps_its_probabilities_in_review(run_dedup, samples_dir, tmp_path):
    from tui.corpus import load_corpus

    report = tmp_path / "scan.json"
    assert run_dedup("scan", samples_dir, "--mode", "story", "--format", "json", "-o", report).code == 0
    corpus = load_corpus([str(report), str(samples_dir)])
    seed_pair = next(pair for cluster in corpus.clusters for pair in cluster.pairs if {pair.a, pair.b} == {DW, APA})
    assert seed_pair.evidence is not None and seed_pair.evidence.score >= 0.5


def test_a_focused_german_corpus_keeps_the_call_and_the_video_summit_apart(samples_dir, tmp_path):
    """Only Biden-Putin reports: every report shares the topic's words, so the event's
    evidence (its day, what was said) decides, with publication dates and without."""
    dated = dedup.scan([samples_dir / name for name in (DW, APA, SUMMIT)], ScanConfig(mode="story", jobs=1))
    undated = []
    for name in (DW, APA, SUMMIT):
        lines = (samples_dir / name).read_text(encoding="utf-8").splitlines()
        undated.append(Article(id=name, text="\n".join(line for line in lines if "Dezember 2021" not in line
                                                          and "12.2021" not in line)))
    for result in (dated, dedup.scan(undated, ScanConfig(mode="story", jobs=1))):
        assert [sorted(Path(member).name for member in cluster.members) for cluster in result.clusters] == [
            sorted([Path(DW).name, Path(APA).name])]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(others=st.lists(st.sampled_from([name for name in SAMPLES if name not in (DW, APA)]), unique=True),
       wire=st.booleans())
def test_the_seeds_stay_one_story_in_any_mix_of_the_samples(samples_dir, others, wire):
    paths = [samples_dir / DW, samples_dir / APA, *(samples_dir / name for name in others)]
    if wire:
        paths.append(samples_dir / "wire")
    result = dedup.scan(paths, ScanConfig(mode="story", jobs=1))
    seeds = {Path(DW).name, Path(APA).name}
    assert any(seeds <= {Path(member).name for member in cluster.members} for cluster in result.clusters)
    assert not any(Path(SUMMIT).name in {Path(member).name for member in cluster.members} for cluster in result.clusters)


def test_a_saved_scan_with_odd_story_fields_is_still_reviewed(run_dedup, samples_dir, tmp_path):
    """A hand-edited report (score as text, evidence as a number) loses the probability, not the review."""
    import json

    from tui.corpus import load_corpus

    report = tmp_path / "scan.json"
    assert run_dedup("scan", samples_dir, "--mode", "story", "--format", "json", "-o", report).code == 0
    document = json.loads(report.read_text(encoding="utf-8"))
    for cluster in document["clusters"]:
        for pair in cluster["pairs"]:
            pair["score"], pair["evidence"] = "high", 7
    report.write_text(json.dumps(document), encoding="utf-8")
    corpus = load_corpus([str(report), str(samples_dir)])
    assert corpus.clusters and all(pair.evidence is None for cluster in corpus.clusters for pair in cluster.pairs)


def test_pairs_measured_on_threads_get_what_one_thread_gives(sample_articles, articles, monkeypatch):
    """Blocks of pairs go to threads: the probabilities and inputs are the same numbers."""
    from dedup.minhash import MinHashParams
    from dedup.story import finder
    from dedup.story.candidates import story_candidates

    corpus = list(sample_articles.values()) + [Article(id=f"generated-{seed}", text=articles.text(seed, sentences=8))
                                               for seed in range(60)]
    features = [story_features(article) for article in corpus]
    space = SignalSpace(features)
    left, right = story_candidates(space, MinHashParams())
    assert len(left) > 8
    monkeypatch.setattr(finder, "PAIRS_PER_TASK", 3)
    threaded = pair_probabilities(space, features, left, right, jobs=4)
    single = pair_probabilities(space, features, left, right, jobs=1)
    assert np.array_equal(threaded, single)
    # An explanation measures the inputs of the pairs it shows again: those of all pairs, to the bit.
    days = finder.publication_days(features)
    shown = np.arange(1, len(left), 3)
    assert np.array_equal(pair_features(space, left[shown], right[shown], days), pair_features(space, left, right, days)[shown])


@pytest.mark.parametrize("seed", range(3))
def test_a_pairs_log_odds_do_not_depend_on_the_pairs_scored_with_it(seed):
    # BLAS sums a row of a matrix-vector product in an order that depends on the rows
    # around it; the pair model sums each pair's row on its own, to the last bit.
    from dedup.story.pair_model import FEATURES, log_odds

    rows = np.random.default_rng(seed).normal(size=(5_003, len(FEATURES)))
    together = log_odds(rows)
    for start, size in ((0, 1), (1, 2), (3, 5), (17, 100), (1_000, 4_003)):
        assert np.array_equal(log_odds(rows[start:start + size]), together[start:start + size])
    assert all(log_odds(rows[index]) == together[index] for index in range(0, 5_003, 97))
    assert np.array_equal(log_odds(np.asfortranarray(rows)), together)  # whatever the memory layout
