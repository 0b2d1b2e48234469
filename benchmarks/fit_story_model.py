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

    python benchmarks/fit_story_model.py [--data ../shared/data]
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
from dedup.story.finder import LINK_PROBABILITY  # noqa: E402
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
    as_dict = dict(zip(pair_model.FEATURES, coefficients.tolist(), strict=True))
    probability = pair_model.probability(corpus.features, intercept, as_dict)
    groups = average_linkage(len(corpus.labels), corpus.left, corpus.right, probability, LINK_PROBABILITY)
    predicted = [f"alone:{index}" for index in range(len(corpus.labels))]
    for number, group in enumerate(groups):
        for member in group:
            predicted[member] = f"g{number}"
    return agreement(corpus.labels, predicted)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    arguments = parser.parse_args()
    corpora = [corpus_pairs(name, arguments.data) for name in CORPORA if (arguments.data / name).exists()]
    intercept, coefficients = fit(corpora)
    rows = []
    for corpus in corpora:
        others = [other for other in corpora if other is not corpus]
        held_out = grouping(corpus, *fit(others)) if others else None
        whole = grouping(corpus, intercept, coefficients)
        rows.append([corpus.name, len(corpus.same), int(corpus.same.sum()), f"{whole.precision:.3f}", f"{whole.recall:.3f}",
                     f"{whole.ari:.3f}", *([f"{held_out.precision:.3f}", f"{held_out.recall:.3f}", f"{held_out.ari:.3f}"]
                                           if held_out else ["–"] * 3)])
    print("## Story pair model: grouping at probability", LINK_PROBABILITY, "\n")
    print(markdown_table(["corpus", "candidate pairs", "same event", "P (all)", "R (all)", "ARI (all)",
                          "P (other two)", "R (other two)", "ARI (other two)"], rows))
    print("\n## Coefficients (fitted on all corpora)\n")
    print(f"INTERCEPT = {intercept:.3f}")
    print("COEFFICIENTS = {")
    for name, value in zip(pair_model.FEATURES, coefficients.tolist(), strict=True):
        print(f'    "{name}": {value:.3f},')
    print("}")


if __name__ == "__main__":
    main()
