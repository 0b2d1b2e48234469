"""The story stage of a scan: candidates from LSH, scores against each document's
background, groups by average linkage.

Copies and duplicates are folded first: a group of copies is one text, represented by its
first member, so wire copy on forty sites counts once, neither crowding a background nor
turning into a forty-member "story". Reports more than DAY_WINDOW days apart (when both
dates are known) are never grouped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from dedup.cluster import UnionFind, average_linkage
from dedup.minhash import MinHashParams
from dedup.model import Evidence, Pair, Relation
from dedup.story.candidates import story_candidates
from dedup.story.features import StoryFeatures
from dedup.story.score import StoryScorer
from dedup.story.signals import SIGNALS, SignalSpace
from dedup.verify import overlap

# A link needs evidence this many standard deviations above the documents' background,
# on average over the group it joins (see dedup.cluster.average_linkage). It was 4 when a
# pair's score was the lower of its two directions; the mean of the two (see
# dedup.story.score) stands about half a deviation higher for the same evidence.
LINK_SCORE = 4.5
# Two reports that are each other's best match in the whole corpus link from this score:
# a reciprocated best match is one test per document, not one per candidate, so the same
# false-link rate allows less (measured: pac ARI 0.844 at 4.0 -> 0.859 at 3.5, basil and
# ecbplus unchanged, 10kgnad 673 -> 677 documents in stories; benchmarks/grouping.py).
MUTUAL_BEST_SCORE = 3.5
# Independent reports of one event appear within one news cycle; a week later it is a
# follow-up, which is another event.
DAY_WINDOW = 3
# Shared names, numbers and words listed per kind in an explanation.
EVIDENCE_SHOWN = 8


@dataclass(slots=True)
class StoryLinks:
    """Scored candidate pairs between representatives, and the groups they form."""

    features: Sequence[StoryFeatures]
    space: SignalSpace
    scorer: StoryScorer
    left: np.ndarray
    right: np.ndarray
    scores: np.ndarray  # -inf for pairs outside the day window
    groups: list[list[int]]
    candidates: int


# Steps of the story stage, for progress reports: signals, candidates, scores, groups, evidence.
STEPS = 5
Step = Callable[[int], None]


def find_stories(features: Sequence[StoryFeatures], params: MinHashParams, seed: int = 1, step: Step = lambda done: None) -> StoryLinks:
    space = SignalSpace(features)
    step(1)
    left, right = story_candidates(space, params)
    step(2)
    days = np.array([np.nan if feature.day is None else feature.day for feature in features], dtype=np.float64)
    apart = np.abs(days[left] - days[right]) > DAY_WINDOW  # False when a day is unknown (NaN)
    scorer = StoryScorer(space, seed)
    scores = np.full(len(left), -np.inf)
    scores[~apart] = scorer.scores(left[~apart], right[~apart])
    step(3)
    groups = average_linkage(space.size, left, right, link_weights(space.size, left, right, scores), LINK_SCORE)
    step(4)
    return StoryLinks(features, space, scorer, left, right, scores, groups, len(left))


def link_weights(count: int, left: np.ndarray, right: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """The scores as linkage weights, with reciprocated best matches from MUTUAL_BEST_SCORE
    raised to LINK_SCORE (explanations keep the true score)."""
    finite = np.isfinite(scores)
    best = np.full(count, -np.inf)
    np.maximum.at(best, left[finite], scores[finite])
    np.maximum.at(best, right[finite], scores[finite])
    mutual = finite & (scores == best[left]) & (scores == best[right]) & (scores >= MUTUAL_BEST_SCORE)
    return np.where(mutual, np.maximum(scores, LINK_SCORE), scores)


def story_pairs(
    ids: Sequence[str],
    copy_pairs: Sequence[Pair],
    features: Sequence[StoryFeatures],
    shingles: Sequence[np.ndarray],
    params: MinHashParams,
    with_copy_groups: bool,
    seed: int = 1,
    step: Step = lambda done: None,
) -> tuple[list[Pair], int]:
    """The pairs that hold the story clusters together, and the number of story candidates.

    Returned are the story pairs (with their evidence) and the copy pairs inside story
    clusters; with `with_copy_groups` also the copy pairs of groups no other report joins.
    `dedup.cluster.build_clusters` turns them into clusters.
    """
    position = {doc_id: index for index, doc_id in enumerate(ids)}
    copies = UnionFind(len(ids))
    for pair in copy_pairs:
        copies.union(position[pair.a], position[pair.b])
    representatives = sorted(_first_members(copies, len(ids)).values())
    links = find_stories([features[index] for index in representatives], params, seed, step)
    roots = [copies.find(index) for index in range(len(ids))]
    story_roots = {roots[representatives[member]] for group in links.groups for member in group}
    left, right = _holding_edges(links)
    evidence = explain(links, left, right)
    found: list[Pair] = []
    for pair_left, pair_right, pair_evidence in zip(left.tolist(), right.tolist(), evidence, strict=True):
        a, b = representatives[pair_left], representatives[pair_right]
        jaccard, containment = overlap(shingles[a], shingles[b])
        found.append(Pair(ids[a], ids[b], Relation.STORY, jaccard, containment, pair_evidence))
    found += [pair for pair in copy_pairs if with_copy_groups or roots[position[pair.a]] in story_roots]
    step(5)
    return found, links.candidates


def _first_members(copies: UnionFind, count: int) -> dict[int, int]:
    """Each copy group's root -> its first member in input order (its representative)."""
    first: dict[int, int] = {}
    for index in range(count):
        first.setdefault(copies.find(index), index)
    return first


def _holding_edges(links: StoryLinks) -> tuple[np.ndarray, np.ndarray]:
    """The scored pairs to show for the groups: every pair inside a group at LINK_SCORE or
    above, plus the strongest pairs that connect what is left (a maximum spanning tree),
    since average linkage may admit a report that no single pair links strongly."""
    group_of = np.full(links.space.size, -1)
    for number, group in enumerate(links.groups):
        group_of[group] = number
    inside = (group_of[links.left] >= 0) & (group_of[links.left] == group_of[links.right]) & np.isfinite(links.scores)
    left, right, scores = links.left[inside], links.right[inside], links.scores[inside]
    order = np.lexsort((right, left, -scores))
    connected = UnionFind(links.space.size)
    chosen = []
    for position, (a, b, score) in enumerate(zip(left[order].tolist(), right[order].tolist(), scores[order].tolist(), strict=True)):
        joins = connected.find(a) != connected.find(b)
        if joins or score >= LINK_SCORE:
            chosen.append(order[position])
            connected.union(a, b)
    chosen = np.sort(np.asarray(chosen, dtype=np.int64))
    return left[chosen], right[chosen]


def explain(links: StoryLinks, left: np.ndarray, right: np.ndarray) -> list[Evidence]:
    """The score of each pair (left[k], right[k]) and the evidence behind it."""
    scores = links.scorer.scores(left, right)
    similarities = {signal: links.scorer.signal_z(signal, left, right)[0] for signal in SIGNALS}
    evidence = []
    for k, (a, b) in enumerate(zip(left.tolist(), right.tolist(), strict=True)):
        shared = {
            "names": links.space.shared_terms("names", a, b, EVIDENCE_SHOWN),
            "numbers": links.space.shared_terms("numbers", a, b, EVIDENCE_SHOWN),
            "dates": sorted(links.features[a].dates & links.features[b].dates),
            "quoted words": [pair.replace("_", " ") for pair in sorted(links.features[a].quotes & links.features[b].quotes)][:EVIDENCE_SHOWN],
            "word stems": links.space.shared_terms("stems", a, b, EVIDENCE_SHOWN),
            "title stems": links.space.shared_terms("title", a, b, EVIDENCE_SHOWN),
        }
        days = (links.features[a].day, links.features[b].day)
        evidence.append(
            Evidence(
                score=round(float(scores[k]), 2),
                signals={signal: round(float(values[k]), 4) for signal, values in similarities.items()},
                shared={kind: tuple(values) for kind, values in shared.items()},
                days_apart=abs(days[0] - days[1]) if None not in days else None,
            )
        )
    return evidence
