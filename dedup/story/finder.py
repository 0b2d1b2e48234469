"""The story stage of a scan: candidates from LSH, a probability for each candidate pair
from the pair model, groups by average linkage.

Copies and duplicates are folded first: a group of copies is one text, represented by its
first member, so wire copy on forty sites counts once rather than turning into a
forty-member "story". Reports more than DAY_WINDOW days apart (when both dates are known)
are never grouped.

With `semantic` (`dedup scan --semantic`) each representative also gets a vector of its
summary (dedup.story.meaning), its nearest neighbours by meaning join the candidates, in
its own language and in the others (dedup.story.neighbours), and the pairs are judged by
the models that read the cosine too (pair_model.SEMANTIC, and pair_model.NEUTRAL for two
languages).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

import numpy as np

from dedup.cluster import UnionFind, average_linkage
from dedup.index.bands import unique_pairs
from dedup.minhash import MinHashParams
from dedup.model import LINKS_SHOWN, Evidence, Pair, Relation
from dedup.parallel import alongside, thread_map
from dedup.story import pair_model
from dedup.story.candidates import (
    CandidatePairs,
    banded_candidates,
    local_candidate_pairs,
    salient_signatures,
)
from dedup.story.features import StoryFeatures
from dedup.story.meaning import (
    MODELS,
    document_vectors,
    meaning_inputs,
    meaning_probabilities,
    model_inputs,
)
from dedup.story.neighbours import neighbour_pairs
from dedup.story.neutral import shared_names
from dedup.story.pair_model import pair_features, within_day_window
from dedup.story.signals import SignalSpace, StemSpace
from dedup.story.terms import TermTable

# Two reports join one story when the pair model finds it more likely than not that they
# tell one event, on average over the group they join (see dedup.cluster.average_linkage:
# a missing link counts 0, so a chain of single links cannot merge two events). One fixed
# cut for every corpus: the probability is calibrated, not ranked within the corpus.
LINK_PROBABILITY = 0.5
# Pairs measured per thread task: a few hundred MB of temporary rows at most.
PAIRS_PER_TASK = 50_000
# Shared names, numbers and words listed per kind in an explanation.
EVIDENCE_SHOWN = 8
# Pairs read at a time while a spanning tree is looked for.
_PAIRS_READ = 10_000


@dataclass(slots=True)
class StoryLinks:
    """Candidate pairs between representatives with their probabilities, and the groups they form."""

    features: Sequence[StoryFeatures]
    space: SignalSpace
    left: np.ndarray
    right: np.ndarray
    probabilities: np.ndarray  # 0 for pairs outside the day window
    days: np.ndarray  # each document's publication day, NaN when unknown
    groups: list[list[int]]
    candidates: int
    # With vectors (--semantic): each document's summary vector, and which of
    # dedup.story.meaning.MODELS judged each pair. None: pair_model.WORDS judged them all.
    vectors: np.ndarray | None = None
    model_of: np.ndarray | None = None


# Steps of the story stage, for progress reports: signals, candidates, probabilities, groups, evidence.
STEPS = 5
Step = Callable[[int], None]


def publication_days(features: Sequence[StoryFeatures]) -> np.ndarray:
    return np.array([np.nan if feature.day is None else feature.day for feature in features], dtype=np.float64)


def pair_probabilities(space: SignalSpace, features: Sequence[StoryFeatures], left: np.ndarray, right: np.ndarray,
                       jobs: int = 1) -> np.ndarray:
    """The probability of each pair (left[k], right[k]); 0 beyond the day window. Blocks of
    pairs are measured on `jobs` threads (each row is computed on its own, so the result does
    not depend on the blocks) and their inputs let go: millions of candidates (a dense
    corpus) would hold a GB of them, and only the pairs shown are explained (`pair_inputs`)."""
    days = publication_days(features)
    near = within_day_window(days, left, right)
    log_odds = np.zeros(len(near), dtype=np.float64)

    def measure(start: int) -> None:
        rows = near[start:start + PAIRS_PER_TASK]
        log_odds[start:start + len(rows)] = pair_model.log_odds(pair_features(space, left[rows], right[rows], days))

    thread_map(measure, range(0, len(near), PAIRS_PER_TASK), jobs)
    probabilities = np.zeros(len(left), dtype=np.float64)
    probabilities[near] = 1 / (1 + np.exp(-log_odds))  # pair_model.probability, on every pair at once as before
    return probabilities


def pair_inputs(links: StoryLinks, rows: np.ndarray) -> np.ndarray:
    """The inputs of the model that judged each candidate pair at `rows` (over
    dedup.story.meaning.INPUT_COLUMNS when meaning judged), measured again, as they were
    when its probability was (a row does not depend on the rows measured with it); for pairs
    inside the day window, the only ones a story shows."""
    left, right = links.left[rows], links.right[rows]
    if links.vectors is None or links.model_of is None:
        return pair_features(links.space, left, right, links.days)
    return meaning_inputs(links.space, links.features, links.vectors, left, right, links.days, links.model_of[rows])


def find_stories(features: Sequence[StoryFeatures], params: MinHashParams, step: Step = lambda done: None,
                 jobs: int = 1, candidate_pairs: CandidatePairs = local_candidate_pairs,
                 vectors: np.ndarray | None = None, terms: TermTable | None = None,
                 rows: Sequence[int] | None = None) -> StoryLinks:
    """Candidates, their probabilities and the groups of `features`; with `vectors` (one
    summary vector per document, dedup.story.meaning) by meaning too. `terms` holds their
    terms already (at `rows`) when a scan numbered them as they came."""
    if terms is None:
        terms, rows = TermTable(features), range(len(features))
    # Candidates read the stems alone. Banding their salient signatures is NumPy's work,
    # which lets go of the interpreter: it runs on threads while this one reads the other signals.
    stems = StemSpace(features, terms, rows)
    salient = salient_signatures(stems, params)
    with alongside(banded_candidates, *salient, params, candidate_pairs, jobs, jobs=jobs) as candidates:
        space = SignalSpace(features, terms, rows, stems)
        step(1)
        left, right = candidates()
    model_of = None
    if vectors is not None:
        left, right = union_pairs(left, right, *neighbour_pairs(vectors, [feature.lang for feature in features]))
    step(2)
    days = publication_days(features)
    if vectors is None:
        probabilities = pair_probabilities(space, features, left, right, jobs)
    else:
        probabilities, model_of = meaning_probabilities(space, features, vectors, left, right, days, jobs)
    step(3)
    groups = average_linkage(space.size, left, right, probabilities, LINK_PROBABILITY)
    step(4)
    return StoryLinks(features, space, left, right, probabilities, days, groups, len(left), vectors, model_of)


def union_pairs(left: np.ndarray, right: np.ndarray, more_left: np.ndarray,
            more_right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The pairs of both lists (each left < right), once each, sorted."""
    return unique_pairs(np.stack([np.concatenate([left, more_left]), np.concatenate([right, more_right])], axis=1))


def story_pairs(
    ids: Sequence[str],
    copy_pairs: Sequence[Pair],
    features: Sequence[StoryFeatures],
    params: MinHashParams,
    with_copy_groups: bool,
    step: Step = lambda done: None,
    stubs: Collection[str] = frozenset(),
    jobs: int = 1,
    *,
    overlaps: Callable[[np.ndarray, np.ndarray], list[tuple[float, float]]],
    candidate_pairs: CandidatePairs = local_candidate_pairs,
    semantic: bool = False,
    encoded: Callable[[int, int], None] = lambda done, total: None,
    terms: TermTable | None = None,
) -> tuple[list[Pair], int]:
    """The pairs that hold the story clusters together, and the number of story candidates.

    Returned are the story pairs (with their evidence) and the copy pairs inside story
    clusters; with `with_copy_groups` also the copy pairs of groups no other report joins.
    `dedup.cluster.build_clusters` turns them into clusters. A stub (a page too short to
    judge once its site's furniture is gone) joins no story by itself: a copy group is
    judged by its first member that is not a stub, and a group of stubs only is not judged.
    With `semantic` the representatives' summaries are encoded first (`encoded` hears how
    many of how many), then the stage's steps run (`step` hears 0 to STEPS). `terms`, when
    given, holds the terms of `features` (row i is features[i]'s; dedup.story.terms).
    """
    position = {doc_id: index for index, doc_id in enumerate(ids)}
    copies = UnionFind(len(ids))
    for pair in copy_pairs:
        copies.union(position[pair.a], position[pair.b])
    judged = [ids[index] not in stubs for index in range(len(ids))]
    representatives = sorted(_first_members(copies, judged).values())
    chosen_features = [features[index] for index in representatives]
    vectors = document_vectors(chosen_features, jobs, encoded) if semantic else None
    step(0)
    links = find_stories(chosen_features, params, step, jobs, candidate_pairs, vectors, terms,
                         None if terms is None else representatives)
    roots = [copies.find(index) for index in range(len(ids))]
    story_roots = {roots[representatives[member]] for group in links.groups for member in group}
    left, right, rows = _holding_edges(links)
    evidence = explain(links, rows)
    chosen = np.asarray(representatives, dtype=np.int64)
    documents_left, documents_right = chosen[left], chosen[right]
    found: list[Pair] = []
    for a, b, (jaccard, containment), pair_evidence in zip(documents_left.tolist(), documents_right.tolist(),
                                                          overlaps(documents_left, documents_right), evidence, strict=True):
        found.append(Pair(ids[a], ids[b], Relation.STORY, jaccard, containment, pair_evidence))
    found += [pair for pair in copy_pairs if with_copy_groups or roots[position[pair.a]] in story_roots]
    step(5)
    return found, links.candidates


def _first_members(copies: UnionFind, judged: Sequence[bool]) -> dict[int, int]:
    """Each copy group's root -> its first member in input order that may be judged (its
    representative); groups with no such member have none."""
    first: dict[int, int] = {}
    for index, may_judge in enumerate(judged):
        if may_judge:
            first.setdefault(copies.find(index), index)
    return first


def _holding_edges(links: StoryLinks) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pairs to show for the groups (see dedup.model.LINKS_SHOWN): the strongest pairs
    that connect each group (a maximum spanning tree, since average linkage may admit a
    report that no single pair links strongly), and each member's LINKS_SHOWN strongest
    and its weakest pair at LINK_PROBABILITY or above inside its group, so a cluster's range
    of probabilities is that of all its pairs at or above it. Ties go to the pair of the
    lower (left, right) as the stronger."""
    group_of = np.full(links.space.size, -1)
    for number, group in enumerate(links.groups):
        group_of[group] = number
    inside = (group_of[links.left] >= 0) & (group_of[links.left] == group_of[links.right]) & (links.probabilities > 0)
    left, right, scores = links.left[inside], links.right[inside], links.probabilities[inside]
    order = np.lexsort((right, left, -scores))
    # Each pair's rank among its members' pairs, strongest first: its place among them in `order`.
    ends = np.stack([left[order], right[order]], axis=1).ravel()
    by_member = np.argsort(ends, kind="stable")
    ranks = np.empty(len(ends), dtype=np.int64)
    ranks[by_member] = np.arange(len(ends)) - np.searchsorted(ends[by_member], ends[by_member])
    linking = np.repeat(scores[order] >= LINK_PROBABILITY, 2)  # the pairs at or above come first in `order`
    weakest = ranks == np.bincount(ends[linking], minlength=links.space.size)[ends] - 1
    shown_for = linking & ((ranks < LINKS_SHOWN) | weakest)  # shown for either end of its pair
    connecting = _spanning_tree(left[order], right[order], links.space.size, sum(len(group) - 1 for group in links.groups))
    chosen = np.sort(order[shown_for.reshape(-1, 2).any(axis=1) | connecting])
    return left[chosen], right[chosen], inside.nonzero()[0][chosen]


def _spanning_tree(left: np.ndarray, right: np.ndarray, size: int, edges: int) -> np.ndarray:
    """Which of the pairs, taken in their order, join two parts not yet joined (Kruskal's
    spanning forest), read until the `edges` a forest of the groups needs are found: a
    dense group is joined by its first pairs, long before its last."""
    connected = UnionFind(size)
    joins = np.zeros(len(left), dtype=bool)
    for start in range(0, len(left), _PAIRS_READ):
        for position, (a, b) in enumerate(zip(left[start:start + _PAIRS_READ].tolist(),
                                              right[start:start + _PAIRS_READ].tolist(), strict=True), start):
            if edges and connected.find(a) != connected.find(b):
                connected.union(a, b)
                joins[position] = True
                edges -= 1
        if not edges:
            break
    return joins


def explain(links: StoryLinks, rows: np.ndarray) -> list[Evidence]:
    """The probability of each candidate pair in `rows` and the evidence behind it."""
    evidence = []
    for row, inputs in zip(rows.tolist(), pair_inputs(links, rows), strict=True):
        a, b = int(links.left[row]), int(links.right[row])
        model = pair_model.WORDS if links.model_of is None else MODELS[links.model_of[row]]
        inputs = inputs if links.model_of is None else model_inputs(inputs, model)
        evidence.append(pair_evidence(links.space, links.features, a, b, float(links.probabilities[row]), inputs, model))
    return evidence


def pair_evidence(space: SignalSpace, features: Sequence[StoryFeatures], a: int, b: int, chance: float, inputs: np.ndarray,
                  model: pair_model.PairModel = pair_model.WORDS) -> Evidence:
    """What documents a and b share, with the probability and inputs of the model that judged them."""
    across = features[a].lang != features[b].lang and model is not pair_model.WORDS
    shared = {
        # Across languages names meet through their transliteration key: "uschakow = ushakov".
        "names": (shared_names(features[a], features[b], EVIDENCE_SHOWN) if across
                  else space.shared_terms("names", a, b, EVIDENCE_SHOWN)),
        "numbers": space.shared_terms("numbers", a, b, EVIDENCE_SHOWN),
        "dates": sorted(features[a].dates & features[b].dates),
        "weekdays": sorted(features[a].weekdays & features[b].weekdays),
        "quoted words": [pair.replace("_", " ") for pair in sorted(features[a].quotes & features[b].quotes)][:EVIDENCE_SHOWN],
        "word stems": space.shared_terms("stems", a, b, EVIDENCE_SHOWN),
        "title stems": space.shared_terms("title", a, b, EVIDENCE_SHOWN),
    }
    days = (features[a].day, features[b].day)
    return Evidence(
        score=round(chance, 3),
        signals={name: round(float(value), 4) for name, value in zip(model.features, inputs.tolist(), strict=True)},
        shared={kind: tuple(values) for kind, values in shared.items()},
        days_apart=abs(days[0] - days[1]) if None not in days else None,
        contributions={name: rounded for name, value in model.contributions(inputs).items()
                       if (rounded := round(value, 2)) != 0 or name == "baseline"},
    )
