"""Fit the story pair model (dedup/story/pair_model.py) on labelled news corpora.

Training pairs are the story candidates (dedup.story.candidates) of basil, ecbplus and pac
(train and dev splits, each scanned alone), labelled 1 when gold puts both documents in one
event. Each corpus weighs the same in the fit, whatever its number of pairs, so the model
is not ecbplus's alone. The fit is an L2-penalised logistic regression (Newton's method;
PENALTY is the penalty on each coefficient, the intercept is free), the shape of
scikit-learn's LogisticRegression.

It prints, for each corpus, the grouping the model gives (average linkage at probability
LINK_PROBABILITY, as `dedup scan` groups) when fitted on all three corpora and when fitted
on the other two only (leave one corpus out: how it does on a corpus it has not seen), and
the coefficients to copy into pair_model.py.

With --semantic it fits the two models of `dedup scan --semantic` instead, on the
candidates that scan makes (LSH and each document's nearest neighbours by the vectors of
their summaries, dedup.story.neighbours): SEMANTIC (every word feature and the cosine) and
NEUTRAL (only what a translation keeps: names through their transliteration key,
numbers, times, dates, weekdays, years, days and the cosine, dedup.story.neutral), the
model for two reports in different languages. NEUTRAL is fitted on the same English pairs
with the word features left out: there is no labelled German-English corpus to fit it on,
and these features are the evidence a translated report keeps. It also prints how many of
the same-event pairs each candidate generator proposes.

    python benchmarks/fit_story_model.py [--data ../shared/data] [--semantic]
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(REPO_ROOT / "benchmarks"))

from grouping import DEFAULT_DATA, agreement, markdown_table, read_articles  # noqa: E402

from dedup.cluster import average_linkage  # noqa: E402
from dedup.minhash import MinHashParams  # noqa: E402
from dedup.story import pair_model  # noqa: E402
from dedup.story.candidates import story_candidates  # noqa: E402
from dedup.story.features import story_features  # noqa: E402
from dedup.story.finder import LINK_PROBABILITY, publication_days, union_pairs  # noqa: E402
from dedup.story.meaning import cosines, document_vectors, one_language_cosine, shares_an_event_fact  # noqa: E402
from dedup.story.neighbours import MIN_COSINE_OTHER_LANGUAGE, OTHER_LANGUAGE, neighbour_pairs  # noqa: E402
from dedup.story.neutral import NeutralSpace  # noqa: E402
from dedup.story.signals import SignalSpace  # noqa: E402
from dedup.text.page import clean_article  # noqa: E402

CORPORA = ("basil", "ecbplus", "pac")
PENALTY = 1.0


@dataclass
class CorpusPairs:
    name: str
    labels: list[str]  # gold event per document
    left: np.ndarray
    right: np.ndarray
    features: np.ndarray
    same: np.ndarray  # 1 when gold groups the pair
    names: tuple[str, ...] = pair_model.FEATURES  # the model's inputs, the columns of `features`


def corpus_pairs(name: str, data: Path) -> CorpusPairs:
    articles, gold = read_articles(data / name / "articles.jsonl")
    features = [story_features(clean_article(article)) for article in articles]
    space = SignalSpace(features)
    left, right = story_candidates(space, MinHashParams())
    days = np.array([np.nan if feature.day is None else feature.day for feature in features], dtype=np.float64)
    near = ~(np.abs(days[left] - days[right]) > pair_model.DAY_WINDOW)
    left, right = left[near], right[near]
    labels = [gold[article.id] for article in articles]
    same = np.array([labels[a] == labels[b] for a, b in zip(left.tolist(), right.tolist(), strict=True)], dtype=np.float64)
    return CorpusPairs(name, labels, left, right, pair_model.pair_features(space, left, right, days), same)


def semantic_corpus_pairs(name: str, data: Path) -> tuple[CorpusPairs, CorpusPairs, dict[str, float]]:
    """The corpus's candidate pairs as `dedup scan --semantic` makes them, with SEMANTIC's
    inputs; the pairs it would propose if every two documents were in different languages,
    with NEUTRAL's inputs; and the share of gold's same-event pairs each candidate generator
    proposes.

    Across languages the candidates are each document's OTHER_LANGUAGE nearest neighbours
    (LSH's salient words hardly ever meet across languages), down to the cross-language
    floor on the one-language scale (dedup.story.meaning.one_language_cosine), since these
    cosines are of one language."""
    articles, gold = read_articles(data / name / "articles.jsonl")
    features = [story_features(clean_article(article)) for article in articles]
    space = SignalSpace(features)
    vectors = document_vectors(features, jobs=2)
    languages = [feature.lang for feature in features]
    days = publication_days(features)
    labels = [gold[article.id] for article in articles]
    lsh = story_candidates(space, MinHashParams())
    near = neighbour_pairs(vectors, languages)
    left, right = _within_days(*union_pairs(*lsh, *near), days)
    within = pair_model.semantic_features(space, left, right, days, cosines(vectors, left, right))
    floor = float(one_language_cosine(np.array(MIN_COSINE_OTHER_LANGUAGE)))
    as_if_across = neighbour_pairs(vectors, languages, same_language=OTHER_LANGUAGE, min_same=floor)
    across_left, across_right = _within_days(*as_if_across, days)
    across = pair_model.neutral_features(space, NeutralSpace(features), across_left, across_right, days,
                                         cosines(vectors, across_left, across_right))
    events: dict[str, int] = {}
    for label in labels:
        events[label] = events.get(label, 0) + 1
    gold_pairs = sum(size * (size - 1) // 2 for size in events.values())
    recall = {"lsh": _same(labels, *lsh).sum() / gold_pairs, "neighbours": _same(labels, *near).sum() / gold_pairs,
              "both": _same(labels, left, right).sum() / gold_pairs,
              "across": _same(labels, across_left, across_right).sum() / gold_pairs}
    return (CorpusPairs(name, labels, left, right, within, _same(labels, left, right), pair_model.SEMANTIC_FEATURES),
            CorpusPairs(name, labels, across_left, across_right, across, _same(labels, across_left, across_right),
                        pair_model.NEUTRAL_FEATURES), recall)


def _within_days(left: np.ndarray, right: np.ndarray, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    near = ~(np.abs(days[left] - days[right]) > pair_model.DAY_WINDOW)
    return left[near], right[near]


def _same(labels: list[str], left: np.ndarray, right: np.ndarray) -> np.ndarray:
    return np.array([labels[a] == labels[b] for a, b in zip(left.tolist(), right.tolist(), strict=True)], dtype=np.float64)


def fit(corpora: list[CorpusPairs]) -> tuple[float, np.ndarray]:
    """(intercept, coefficients) of the penalised logistic regression, each corpus weighted equally."""
    features = np.vstack([corpus.features for corpus in corpora])
    labels = np.concatenate([corpus.same for corpus in corpora])
    weights = np.concatenate([np.full(len(corpus.same), 1 / len(corpus.same)) for corpus in corpora])
    weights *= len(labels) / weights.sum()
    design = np.column_stack([np.ones(len(labels)), features])
    penalty = np.full(design.shape[1], PENALTY)
    penalty[0] = 0.0
    beta = np.zeros(design.shape[1])
    for _ in range(100):
        p = 1 / (1 + np.exp(-design @ beta))
        gradient = design.T @ (weights * (p - labels)) + penalty * beta
        hessian = (design * (weights * p * (1 - p))[:, None]).T @ design + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return float(beta[0]), beta[1:]


def grouping(corpus: CorpusPairs, intercept: float, coefficients: np.ndarray):
    probability = 1 / (1 + np.exp(-(intercept + corpus.features @ coefficients)))
    if corpus.names == pair_model.NEUTRAL_FEATURES:  # as the scan judges pairs across languages
        probability = np.where(shares_an_event_fact(corpus.features), probability, 0.0)
    groups = average_linkage(len(corpus.labels), corpus.left, corpus.right, probability, LINK_PROBABILITY)
    predicted = [f"alone:{index}" for index in range(len(corpus.labels))]
    for number, group in enumerate(groups):
        for member in group:
            predicted[member] = f"g{number}"
    return agreement(corpus.labels, predicted)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--semantic", action="store_true", help="fit the two models of dedup scan --semantic")
    arguments = parser.parse_args()
    names = [name for name in CORPORA if (arguments.data / name).exists()]
    if not arguments.semantic:
        report([corpus_pairs(name, arguments.data) for name in names], "Story pair model", "")
        return
    within, across, recalls = [], [], []
    for name in names:
        semantic, neutral, recall = semantic_corpus_pairs(name, arguments.data)
        within.append(semantic)
        across.append(neutral)
        recalls.append([name, f"{recall['lsh']:.3f}", f"{recall['neighbours']:.3f}", f"{recall['both']:.3f}",
                        f"{recall['across']:.3f}"])
    print("## Candidates: share of gold's same-event pairs proposed (within the day window: either, as if across)\n")
    print(markdown_table(["corpus", "LSH (salient words)", "nearest by meaning", "either", "as if across languages"],
                         recalls))
    print()
    report(within, "Story pair model with meaning, one language (SEMANTIC)", "SEMANTIC_")
    print()
    report(across, "Story pair model across languages, word features left out (NEUTRAL)", "NEUTRAL_")


def report(corpora: list[CorpusPairs], title: str, prefix: str) -> None:
    """Fit on all corpora and on each two, print the groupings and the coefficients."""
    feature_names = corpora[0].names
    intercept, coefficients = fit(corpora)
    rows = []
    for corpus in corpora:
        others = [other for other in corpora if other is not corpus]
        held_out = grouping(corpus, *fit(others)) if others else None
        whole = grouping(corpus, intercept, coefficients)
        rows.append([corpus.name, len(corpus.same), int(corpus.same.sum()), f"{whole.precision:.3f}", f"{whole.recall:.3f}",
                     f"{whole.ari:.3f}", *([f"{held_out.precision:.3f}", f"{held_out.recall:.3f}", f"{held_out.ari:.3f}"]
                                           if held_out else ["–"] * 3)])
    print(f"## {title}: grouping at probability", LINK_PROBABILITY, "\n")
    print(markdown_table(["corpus", "candidate pairs", "same event", "P (all)", "R (all)", "ARI (all)",
                          "P (other two)", "R (other two)", "ARI (other two)"], rows))
    print("\n## Coefficients (fitted on all corpora)\n")
    print(f"{prefix}INTERCEPT = {intercept:.3f}")
    print(f"{prefix}COEFFICIENTS = {{")
    for name, value in zip(feature_names, coefficients.tolist(), strict=True):
        print(f'    "{name}": {value:.3f},')
    print("}")


if __name__ == "__main__":
    main()
