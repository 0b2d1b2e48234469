"""Story mode: independent reports of one event are grouped, and only those.

The sample corpus holds the two seed reports of the Biden–Putin call of 30 December 2021
(German, DW and APA), a German report of the earlier video summit of 7 December (same
topic, another event), two English reports of one (fictional) earthquake and a report of
another earthquake in the same country, plus the wire copies of the copy-mode tests.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from conftest import APA, DW, OTHER_QUAKE, QUAKE_A, QUAKE_B, SUMMIT
from hypothesis import given
from hypothesis import strategies as st

import dedup
from dedup.cluster import average_linkage
from dedup.model import Article, Relation
from dedup.pipeline import ScanConfig
from dedup.story import features as features_module
from dedup.story.features import story_features


@pytest.fixture(scope="module")
def story_scan(samples_dir):
    return dedup.scan([samples_dir], ScanConfig(mode="story", jobs=1))


def _cluster_of(result, member):
    return next((cluster for cluster in result.clusters if member in cluster.members), None)


def test_seeds_are_one_story_in_story_mode_and_apart_in_copy_mode(run_dedup, samples_dir):
    story = run_dedup("scan", samples_dir, "--mode", "story", "--format", "json")
    assert story.code == 0, story.stderr
    seed_clusters = [cluster for cluster in story.json()["clusters"] if DW in cluster["members"]]
    assert len(seed_clusters) == 1
    assert seed_clusters[0]["relation"] == "story"
    assert set(seed_clusters[0]["members"]) == {DW, APA}

    copy = run_dedup("scan", samples_dir, "--mode", "copy", "--format", "json")
    assert copy.code == 0, copy.stderr
    assert not any(DW in cluster["members"] and APA in cluster["members"] for cluster in copy.json()["clusters"])


def test_english_reports_of_one_earthquake_are_one_story(story_scan):
    cluster = _cluster_of(story_scan, QUAKE_A)
    assert cluster is not None and {QUAKE_A, QUAKE_B} <= set(cluster.members)
    pair = next(pair for pair in cluster.pairs if {pair.a, pair.b} == {QUAKE_A, QUAKE_B})
    assert pair.evidence.score >= 0.99


@pytest.mark.xfail(strict=True, reason="known limit of the pair model: the fictional country's name is unknown to "
                   "every reference and counts as very rare; the weekday, magnitude and time that tell the two "
                   "quakes apart weigh less (see README, How stories are found)")
def test_another_quake_in_the_same_country_is_another_story(story_scan):
    assert _cluster_of(story_scan, OTHER_QUAKE) is None


def test_the_video_summit_is_not_the_phone_call(story_scan):
    assert SUMMIT not in _cluster_of(story_scan, DW).members
    assert _cluster_of(story_scan, SUMMIT) is None


def test_the_video_summit_stays_apart_without_publication_dates(samples_dir):
    """No time window can help: the content, and the group criterion, must keep it out."""
    undated = []
    for name in (DW, APA, SUMMIT, QUAKE_A, QUAKE_B, OTHER_QUAKE):
        lines = (samples_dir / name).read_text(encoding="utf-8").splitlines()
        text = "\n".join(line for line in lines if "Dezember 2021" not in line and "12.2021" not in line)
        undated.append(Article(id=name, text=text))
    result = dedup.scan(undated, ScanConfig(mode="story", jobs=1))
    assert all(article.date is None or len(article.date) < 10 for article in result.documents.values())  # no day known
    assert _cluster_of(result, SUMMIT) is None
    assert set(_cluster_of(result, DW).members) == {DW, APA}


def test_reports_outside_the_day_window_are_never_one_story(samples_dir):
    def quake(name: str, date: str) -> Article:
        return Article(id=name, text=(samples_dir / name).read_text(encoding="utf-8"), date=date)

    near = dedup.scan([quake(QUAKE_A, "2026-03-03"), quake(QUAKE_B, "2026-03-04"), quake(OTHER_QUAKE, "2026-03-20")],
                      ScanConfig(mode="story", jobs=1))
    assert [set(cluster.members) for cluster in near.clusters] == [{QUAKE_A, QUAKE_B}]
    far = dedup.scan([quake(QUAKE_A, "2026-03-03"), quake(QUAKE_B, "2026-03-13")], ScanConfig(mode="story", jobs=1))
    assert far.clusters == []


def test_mode_all_reports_copies_and_stories_with_their_relations(samples_dir):
    result = dedup.scan([samples_dir], ScanConfig(mode="all", jobs=1))
    relations = {frozenset(cluster.members): cluster.relation for cluster in result.clusters}
    assert relations[frozenset({DW, APA})] is Relation.STORY
    copies = [members for members, relation in relations.items() if relation is Relation.COPY]
    assert len(copies) == 1 and "wire/dpa-original.txt" in next(iter(copies))


def test_story_mode_leaves_out_copy_groups_no_other_report_joins(story_scan):
    assert all(cluster.relation is Relation.STORY for cluster in story_scan.clusters)
    assert _cluster_of(story_scan, "wire/dpa-original.txt") is None


def test_copies_of_a_report_come_along_into_its_story(samples_dir, tmp_path):
    corpus = tmp_path / "corpus"
    for name in (DW, APA):
        (corpus / name).parent.mkdir(parents=True, exist_ok=True)
        (corpus / name).write_bytes((samples_dir / name).read_bytes())
    (corpus / "republished-apa.txt").write_bytes((samples_dir / APA).read_bytes())
    result = dedup.scan([corpus], ScanConfig(mode="story", jobs=1))
    assert len(result.clusters) == 1
    cluster = result.clusters[0]
    assert set(cluster.members) == {DW, APA, "republished-apa.txt"}
    assert cluster.relation is Relation.STORY
    assert {pair.relation for pair in cluster.pairs} == {Relation.STORY, Relation.DUPLICATE}


@pytest.mark.xfail(strict=True, reason="known limit of the pair model: forty articles made from one small template "
                   "vocabulary share more rare words than unrelated news ever does; a pair's probability does not "
                   "look at the rest of the corpus, so it cannot learn that these words are this corpus's everyday ones")
def test_a_retold_report_is_found_among_generated_articles(articles):
    """Two reports of one generated event: the same subjects, places and amounts in other
    sentences. Among forty unrelated articles they form one story, and are no copies."""
    original, retold = articles.text(1001, sentences=10), articles.retold(1001, sentences=10)
    corpus = [Article(id=f"doc{seed}", text=articles.text(seed, sentences=10)) for seed in range(40)]
    corpus += [Article(id="original", text=original), Article(id="retold", text=retold)]
    result = dedup.scan(corpus, ScanConfig(mode="story", jobs=1))
    assert set(_cluster_of(result, "original").members) == {"original", "retold"}
    assert _cluster_of(result, "original").pairs[0].similarity < 0.1
    assert max(len(cluster.members) for cluster in result.clusters) == 2


def test_explain_shows_the_score_and_the_shared_evidence(run_dedup, samples_dir):
    table = run_dedup("scan", samples_dir, "--mode", "story", "--explain")
    assert table.code == 0, table.stderr
    assert "Why c" in table.stdout and "one story" in table.stdout
    assert "same event, probability 1.00" in table.stdout
    assert "weighed (log-odds, from " in table.stdout
    assert "shared numbers: 50, 10" in table.stdout
    assert "shared dates: 01-10" in table.stdout
    assert "shared quoted words: entschloss antwort, kolossal fehl" in table.stdout  # "kolossaler/kolossalen Fehler"

    document = run_dedup("scan", samples_dir, "--mode", "story", "--format", "json").json()
    pair = next(pair for cluster in document["clusters"] for pair in cluster["pairs"] if {pair["a"], pair["b"]} == {DW, APA})
    assert pair["relation"] == "story"
    assert pair["score"] >= document["settings"]["story_link_probability"]
    assert pair["similarity"] < 0.1  # word 5-gram Jaccard: no copy
    assert "50" in pair["evidence"]["shared"]["numbers"]
    assert "01-10" in pair["evidence"]["shared"]["dates"]
    model = document["settings"]["story_model"]
    assert set(pair["evidence"]["signals"]) == set(model["coefficients"])
    # The contributions are the model's own account: they add up to the log-odds of the score.
    log_odds = sum(pair["evidence"]["contributions"].values())
    assert abs(1 / (1 + math.exp(-log_odds)) - pair["score"]) < 0.01

    markdown = run_dedup("scan", samples_dir, "--mode", "story", "--format", "markdown", "--explain")
    assert "## Why c1 is one story" in markdown.stdout


def test_explain_without_story_mode_is_a_usage_error(dedup_cli, samples_dir):
    run = dedup_cli("scan", samples_dir, "--explain")
    assert run.code == 2
    assert run.stderr_lines == ["dedup: --explain shows why reports were grouped as one story: add --mode story or --mode all"]


def test_story_results_do_not_depend_on_the_hash_seed(run_dedup, samples_dir):
    runs = [run_dedup("scan", samples_dir, "--mode", "all", "--format", "json", env_extra={"PYTHONHASHSEED": seed})
            for seed in ("1", "2")]
    assert runs[0].code == runs[1].code == 0
    assert runs[0].stdout == runs[1].stdout


# --- the evidence each document gives ----------------------------------------------------


def _features(text: str, lang: str | None = None):
    return story_features(Article(id="x", text=text, lang=lang))


def test_dates_in_german_austrian_and_english_are_one_value():
    german = _features("Die Gespräche beginnen am 10. Januar in Genf.")
    austrian = _features("Die Gespräche beginnen am 10. Jänner in Genf.")
    english = _features("The talks begin on January 10 in Geneva.")
    assert german.dates == austrian.dates == {"01-10"}
    assert "01-10" in english.dates


def test_weekdays_are_one_value_in_either_language():
    assert _features("Das Gespräch fand am Donnerstag statt.").weekdays == {"thursday"}
    assert _features("The call took place on Thursday.").weekdays == {"thursday"}


def test_the_lead_says_when_the_event_happened():
    report = _features("Biden und Putin sprachen am Donnerstag. Es ging um die Ukraine. Am Montag folgen Gespräche.")
    assert report.lead_when == {"thursday"}
    assert report.weekdays == {"thursday", "monday"}


def test_quantities_keep_what_they_count_and_clock_times():
    quake = _features("A magnitude 6.1 earthquake struck at 4:12 a.m., killing 14 people 23 kilometres away.", "en")
    assert {"6.1 magnitud", "14 peopl", "23 kilometr", "04:12 time"} <= quake.quantities
    call = _features("Das Telefonat um 17.20 Uhr dauerte 50 Minuten, die Zahl 17.20 nicht.", "de")
    assert {"17:20 time", "50 minut", "50 duration"} <= call.quantities


def test_numbers_match_across_spellings_and_languages():
    assert "50" in _features("Nach dem 50-minütigen Gespräch sagte er nichts.").numbers
    assert "50" in _features("Sie sprachen 50 Minuten lang.").numbers
    assert _features("Es kamen 4.000 Menschen.", "de").numbers == _features("There were 4,000 people.", "en").numbers


def test_language_is_detected_per_document_and_stems_follow_it():
    german = _features("Die Regierung hat am Montag neue Sanktionen gegen Russland beschlossen, sagte der Sprecher.")
    english = _features("The government said on Monday that it had agreed new sanctions against Russia.")
    assert (german.lang, english.lang) == ("de", "en")
    assert "sanktion" in german.stems and "sanction" in english.stems


def test_names_are_capitalised_words_inside_sentences():
    english = _features("Spokeswoman Jen Psaki said they were ready. Moscow replied. Psaki left.", "en")
    assert {"jen", "psaki", "jen_psaki"} <= english.names
    assert "moscow" not in english.names  # a sentence start says nothing about the word


def test_german_names_are_runs_of_capitals_not_every_noun():
    german = _features("Laut Sprecherin Jen Psaki sei man bereit. Die Regierung reagierte, sagte Psaki.", "de")
    assert {"jen_psaki", "psaki"} <= german.names
    assert "regierung" not in german.names  # a noun, capitalised as every German noun is


# --- average linkage over a sparse graph ---------------------------------------------------


def test_average_linkage_does_not_chain_weak_groups_together():
    # Weights are story probabilities in a scan; the function takes any scale.
    # 0-1, 1-2, 2-3 strong, nothing else: single linkage would make one group of four.
    groups = average_linkage(4, [0, 1, 2], [1, 2, 3], [10.0, 10.0, 10.0], cut=4.0)
    assert groups == [[0, 1], [2, 3]]


def test_average_linkage_merges_a_densely_linked_group():
    pairs = [(0, 1), (0, 2), (1, 2), (2, 3), (0, 3), (1, 3)]
    groups = average_linkage(5, [a for a, _ in pairs], [b for _, b in pairs], [6.0] * len(pairs), cut=4.0)
    assert groups == [[0, 1, 2, 3]]


def test_average_linkage_respects_a_forbidden_pair():
    groups = average_linkage(3, [0, 1, 0], [1, 2, 2], [9.0, 9.0, -math.inf], cut=4.0)
    assert len(groups) == 1 and len(groups[0]) == 2


def test_a_nan_weight_forbids_its_pair_on_matrices_as_on_the_graph():
    # Found by an audit: the matrices' argmax took a NaN for the best average and stopped merging.
    from dedup.cluster import _graph_average_linkage

    left, right = np.triu_indices(60, 1)
    weight = np.full(len(left), 0.9)
    weight[5] = math.nan
    groups = average_linkage(60, left, right, weight, cut=0.5)
    assert groups == _graph_average_linkage(60, left.tolist(), right.tolist(), weight.tolist(), 0.5)
    assert (left[5], right[5]) == (0, 6) and not any({0, 6} <= set(group) for group in groups)
    assert sum(len(group) for group in groups) == 60


def test_average_linkage_cuts_below_the_threshold():
    assert average_linkage(2, [0], [1], [3.9], cut=4.0) == []


@given(st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11), st.sampled_from([0.0, 0.2, 0.5, 0.6, 0.9, 1.0])),
                max_size=60))
def test_a_pair_of_weight_0_is_no_edge(edges):
    # A scan passes every story candidate, most of them of probability 0 (beyond the day
    # window): the groups are those of the pairs that weigh something.
    weighed = [edge for edge in edges if edge[2] != 0]
    groups = average_linkage(12, *([list(column) for column in zip(*edges, strict=True)] or [[], [], []]), cut=0.5)
    assert groups == average_linkage(12, *([list(column) for column in zip(*weighed, strict=True)] or [[], [], []]), cut=0.5)


@given(st.integers(2, 30), st.lists(st.tuples(st.integers(0, 29), st.integers(0, 29),
                                             st.sampled_from([0.3, 0.5, 0.6, 0.9, 1.0, 2.0, -math.inf])), max_size=200),
       st.sampled_from([0.25, 0.5, 1.0]))
def test_average_linkage_on_matrices_merges_as_on_the_graph(count, edges, cut):
    # A dense part of the graph is grouped on matrices: the same sums, averages and merges,
    # ties (few distinct weights here) broken the same way.
    from dedup.cluster import _dense_average_linkage, _graph_average_linkage

    edges = [(a % count, b % count, w) for a, b, w in edges if a % count != b % count]
    left, right, weight = ([edge[column] for edge in edges] for column in range(3))
    on_graph = _graph_average_linkage(count, left, right, weight, cut)
    on_matrices = _dense_average_linkage(count, np.array(left, dtype=np.int64), np.array(right, dtype=np.int64),
                                         np.array(weight, dtype=np.float64), cut)
    assert sorted(on_matrices) == sorted(on_graph)


def test_a_dense_part_among_sparse_ones_is_grouped_as_on_the_graph(monkeypatch):
    from dedup import cluster

    on_matrices = []
    dense_average_linkage = cluster._dense_average_linkage
    monkeypatch.setattr(cluster, "_dense_average_linkage", lambda count, *rest: on_matrices.append(count) or
                        dense_average_linkage(count, *rest))
    rng = np.random.default_rng(5)
    dense = [(a, b, float(rng.choice([0.4, 0.55, 0.7, 0.9]))) for a in range(80) for b in range(a + 1, 80)
             if rng.random() < 0.6]
    sparse = [(a, a + 1, 0.8) for a in range(100, 140, 2)] + [(79, 100, 0.9), (150, 151, 0.0)]
    left, right, weight = (list(column) for column in zip(*(dense + sparse), strict=True))
    groups = average_linkage(160, left, right, weight, cut=0.5)
    assert on_matrices == [82]  # the dense part and the pair linked to it; the other pairs on the graph
    assert groups == sorted(cluster._graph_average_linkage(160, left, right, weight, cut=0.5), key=lambda group: group[0])
    assert sum(len(group) for group in groups) > 40


def test_story_mode_on_jsonl_with_dates_in_fields(samples_dir, tmp_path, dedup_cli):
    records = [
        {"id": "a", "text": (samples_dir / QUAKE_A).read_text(encoding="utf-8"), "date": "2026-03-03"},
        {"id": "b", "text": (samples_dir / QUAKE_B).read_text(encoding="utf-8"), "date": "2026-03-04T08:00:00Z"},
    ]
    path = Path(tmp_path / "quakes.jsonl")
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    run = dedup_cli("scan", path, "--mode", "story", "--format", "json")
    assert run.code == 0
    pair = run.json()["clusters"][0]["pairs"][0]
    assert pair["evidence"]["days_apart"] == 1


def test_rarities_looked_up_in_bulk_are_the_rarities_one_by_one(samples_dir):
    # A story scan looks up every stem and name of its vocabulary at once; each must weigh
    # what it weighs alone (hyphenated stems by their parts, runs of names by their rarest word).
    from dedup.story.reference import (
        stem_rarities,
        stem_rarity,
        word_rarities,
        word_rarity,
    )

    for lang in ("de", "en"):
        features = [story_features(Article(id=path.name, text=path.read_text(encoding="utf-8"), lang=lang))
                    for path in sorted(samples_dir.rglob("*.txt"))]
        stems = sorted({stem for feature in features for stem in feature.stems}) + ["ost-west", "-", "", "zzqx-psaki"]
        names = sorted({name for feature in features for name in feature.names}) + ["jen_psaki", "a-b_c", "_", ""]
        assert any("-" in stem for stem in stems) and any("_" in name for name in names)
        assert stem_rarities(stems, lang) == [stem_rarity(stem, lang) for stem in stems]
        assert word_rarities(names, lang) == [word_rarity(name, lang) for name in names]


# Sentence ends, quotes, spaces and line breaks in every order, with the characters the
# break's look-behind and look-ahead read ("10. Januar" is no break, '. "Wir' is one).
_SENTENCE_PIECES = [".", "!", "?", ":", '"', "'", "(", " ", "  ", "\n", "\n\n", "\t", "\u00a0", "1", "10.", "Der", "the",
                    "Ä", "x", "A"]


@given(st.lists(st.sampled_from(_SENTENCE_PIECES), max_size=16).map("".join))
def test_sentences_split_where_the_break_pattern_splits(text):
    # iter_sentences tries the pattern only after the characters a break can follow.
    assert list(features_module.iter_sentences(text)) == features_module._SENTENCE_BREAK.split(text)


def test_sentences_of_the_samples_split_where_the_break_pattern_splits(samples_dir):
    for path in sorted(samples_dir.rglob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert list(features_module.iter_sentences(text)) == features_module._SENTENCE_BREAK.split(text)


def _tokens_by_sentence(text: str) -> list[list[str]]:
    """The items of the one-pass search, cut at its breaks."""
    sentences: list[list[str]] = [[]]
    for item in features_module._TOKEN_OR_BREAK.findall(text):
        if item[0].isspace():
            sentences.append([])
        else:
            sentences[-1].append(item)
    return sentences


@given(st.lists(st.sampled_from([*_SENTENCE_PIECES, "-", "_", "'", ",", "3,5", "ab'c", "x-y", "²", "٣"]), max_size=16).map("".join))
def test_one_pass_finds_each_sentences_tokens(text):
    # story_features reads tokens and breaks in one pass; they are those of each sentence alone.
    expected = [features_module._TOKEN.findall(sentence) for sentence in features_module._SENTENCE_BREAK.split(text)]
    assert _tokens_by_sentence(text) == expected


def test_story_evidence_is_the_same_when_the_token_caches_fill(samples_dir, monkeypatch):
    # Tokens' kinds and words' stems are remembered per process and emptied when full: a
    # full cache changes the speed, never the evidence.
    articles = [Article(id=path.name, text=path.read_text(encoding="utf-8")) for path in sorted(samples_dir.rglob("*.txt"))]
    expected = [story_features(article) for article in articles]
    monkeypatch.setattr(features_module, "_KNOWN_TOKENS", 3)
    monkeypatch.setattr(features_module, "_token_kinds", {})
    monkeypatch.setattr(features_module, "_word_stems", {})
    found = [story_features(article) for article in articles]
    assert found == expected and [list(item.stems) for item in found] == [list(item.stems) for item in expected]
    assert all(len(kinds) <= 3 for kinds in features_module._token_kinds.values())


def test_a_long_run_of_capitalised_words_is_read_in_pieces():
    # Every tail of a run is a name candidate; a hostile run of thousands of words would cost
    # their square, so it is read in pieces of _LONGEST_RUN words. Shorter runs keep every tail.
    longest = features_module._LONGEST_RUN
    words = [f"Wort{number}" for number in range(3 * longest + 5)]
    found = story_features(Article(id="x", text="Heute " + " ".join(words), lang="en")).names
    assert max(name.count("_") + 1 for name in found) == longest
    assert "_".join(words[:longest]).casefold() in found and "_".join(words[longest - 2:longest]).casefold() in found
    assert "_".join(words[longest - 1:longest + 1]).casefold() not in found  # the pieces do not join
    short = story_features(Article(id="y", text="Heute " + " ".join(words[:5]), lang="en")).names
    assert {"_".join(words[start:5]).casefold() for start in range(4)} <= short


def _links(size, scored_pairs, groups):
    """What `_holding_edges` reads of a story stage: candidate pairs, their probabilities, the groups."""
    from types import SimpleNamespace

    left, right, probabilities = (np.array(column) for column in zip(*scored_pairs, strict=True))
    return SimpleNamespace(space=SimpleNamespace(size=size), left=left, right=right, probabilities=probabilities,
                           groups=groups)


def _shown(links):
    from dedup.story.finder import _holding_edges

    left, right, rows = _holding_edges(links)
    assert left.tolist() == links.left[rows].tolist() and right.tolist() == links.right[rows].tolist()
    return {(a, b): float(links.probabilities[row]) for a, b, row in zip(left.tolist(), right.tolist(), rows.tolist(), strict=True)}


def test_a_small_group_shows_every_pair_above_the_link_probability():
    links = _links(5, [(0, 1, 0.9), (0, 2, 0.8), (1, 2, 0.7), (0, 3, 0.6), (1, 3, 0.55), (2, 3, 0.3), (3, 4, 0.9)],
                   [[0, 1, 2, 3]])
    assert set(_shown(links)) == {(0, 1), (0, 2), (1, 2), (0, 3), (1, 3)}


def test_a_member_no_pair_links_strongly_is_shown_by_its_strongest_pair():
    links = _links(4, [(0, 1, 0.9), (0, 2, 0.9), (1, 2, 0.9), (0, 3, 0.45), (1, 3, 0.4), (2, 3, 0.3)], [[0, 1, 2, 3]])
    assert set(_shown(links)) == {(0, 1), (0, 2), (1, 2), (0, 3)}


def test_a_dense_group_shows_each_members_strongest_and_weakest_pairs_not_every_pair():
    from dedup.model import LINKS_SHOWN
    from dedup.story.finder import UnionFind

    size = 60
    rng = np.random.default_rng(7)
    scored = [(a, b, float(rng.uniform(0.3, 1.0))) for a in range(size) for b in range(a + 1, size)]
    shown = _shown(_links(size, scored, [list(range(size))]))
    assert len(shown) <= size * (LINKS_SHOWN + 1) + size - 1 < len(scored)
    for member in range(size):
        linking = sorted((-score, a, b) for a, b, score in scored if member in (a, b) and score >= 0.5)
        assert {(a, b) for _, a, b in linking[:LINKS_SHOWN] + linking[-1:]} <= set(shown)
    # The range of probabilities shown is that of every pair at 0.5 or above.
    assert min(shown.values()) == min(score for _, _, score in scored if score >= 0.5)
    assert max(shown.values()) == max(score for _, _, score in scored)
    connected = UnionFind(size)
    for a, b in shown:
        connected.union(a, b)
    assert len({connected.find(member) for member in range(size)}) == 1


def test_a_scan_of_near_identical_short_texts_lists_a_few_pairs_per_member():
    # Short texts in a few words, none a copy: every pair is a candidate and one story
    # holds them all. Listing each of its pairs made 800 such texts a 580 MB report.
    from dedup.model import LINKS_SHOWN

    nouns = ["Gesetz", "Partei", "Rente", "Kanzler", "Koalition", "Berlin", "Steuer", "Bericht", "Haushalt", "Wahl"]
    rng = np.random.default_rng(3)
    corpus = [Article(id=f"n{number}", lang="de",
                      text="Der " + " und die ".join(rng.permutation(nouns)[:6].tolist()) + f" am {number % 28 + 1}. März.")
              for number in range(120)]
    result = dedup.scan(corpus, ScanConfig(mode="story"))
    assert result.candidate_pairs > 120 * 40
    assert max(len(cluster.members) for cluster in result.clusters) >= 100
    for cluster in result.clusters:
        assert len(cluster.pairs) <= len(cluster.members) * (LINKS_SHOWN + 1) + len(cluster.members) - 1
