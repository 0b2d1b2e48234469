"""Clusters: connected components over verified pairs, by union-find.

A cluster lists the pairs that hold it together; its relation is the loosest among them
(a duplicate of a copy is in a copy cluster). Clusters are numbered by size, largest
first, then by the input position of their first member, so the same corpus always
gives the same ids.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np

from dedup.model import Cluster, Pair, Relation


class UnionFind:
    """Disjoint sets over 0..n-1 with path halving and union by size."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))
        self.size = [1] * size

    def find(self, item: int) -> int:
        parent = self.parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, a: int, b: int) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return
        if self.size[root_a] < self.size[root_b]:
            root_a, root_b = root_b, root_a
        self.parent[root_b] = root_a
        self.size[root_a] += self.size[root_b]


def build_clusters(doc_ids: Sequence[str], pairs: Iterable[Pair]) -> list[Cluster]:
    """Clusters of two or more documents; `doc_ids` gives the input order."""
    position = {doc_id: index for index, doc_id in enumerate(doc_ids)}
    pairs = list(pairs)
    components = UnionFind(len(doc_ids))
    for pair in pairs:
        components.union(position[pair.a], position[pair.b])
    members: dict[int, list[int]] = defaultdict(list)
    for index in range(len(doc_ids)):
        members[components.find(index)].append(index)
    pairs_by_root: dict[int, list[Pair]] = defaultdict(list)
    for pair in pairs:
        pairs_by_root[components.find(position[pair.a])].append(pair)
    groups = sorted((group for group in members.values() if len(group) > 1), key=lambda group: (-len(group), group[0]))
    clusters = []
    for number, group in enumerate(groups, start=1):
        root = components.find(group[0])
        held_by = sorted(pairs_by_root[root], key=lambda pair: (position[pair.a], position[pair.b]))
        clusters.append(
            Cluster(
                id=f"c{number}",
                relation=Relation.loosest(pair.relation for pair in held_by),
                members=[doc_ids[index] for index in group],
                pairs=held_by,
            )
        )
    return clusters


# A connected part of the story graph with at least DENSE_SHARE of its possible pairs linked
# is grouped on matrices (`_dense_average_linkage`) when it has DENSE_FEWEST to DENSE_MOST
# members: the same merges in the same order as on the graph, but a merge costs a few array
# operations over the part instead of a Python step for every neighbour of the merged
# group. In a dense part those steps grow as the square of its size: 3,000 near-identical
# short texts made 4.4 million pairs, and average linkage on the graph took 90 s and GBs.
# The bounds are costs, not results (both ways give the same groups, tested): a matrix of
# DENSE_MOST^2 sums and flags takes 150 MB, and below DENSE_FEWEST members or DENSE_SHARE
# of the pairs the graph is as quick.
DENSE_SHARE = 0.125
DENSE_FEWEST = 48
DENSE_MOST = 4096


def average_linkage(count: int, left: Sequence[int], right: Sequence[int], weight: Sequence[float], cut: float) -> list[list[int]]:
    """Groups of 0..count-1 by average linkage over a sparse graph, cut at `cut`.

    Two groups merge while the average weight over all their cross pairs is at least `cut`,
    the highest average first (of equal averages, the pair of the lowest numbers). A pair
    without an edge weighs 0 (no evidence either way), so a group grows only when the
    newcomer is linked to most of it: a chain of single strong links, A-B, B-C, C-D, cannot
    pull A and D together. An edge of -inf forbids its two ends from ever sharing a group,
    and so does an edge of NaN (no average with it reaches the cut).
    Returns groups of two or more, each sorted.
    """
    left, right = np.asarray(left, dtype=np.int64).reshape(-1), np.asarray(right, dtype=np.int64).reshape(-1)
    # NaN as -inf: on the graph both are never merged on and stay so in every sum they
    # join; the matrices' argmax would take a NaN for the highest average.
    weight = np.nan_to_num(np.asarray(weight, dtype=np.float64).reshape(-1), nan=-np.inf, posinf=np.inf, neginf=-np.inf)
    # An edge of weight 0 is no edge (most story candidates: pairs beyond the day window).
    linked = (left != right) & (weight != 0)
    left, right, weight = left[linked], right[linked], weight[linked]
    groups: list[list[int]] = []
    on_graph = np.ones(len(left), dtype=bool)
    # Groups never span two connected parts (a missing pair weighs 0, below a positive cut),
    # so a dense part may be grouped on its own.
    for members, edges in _dense_parts(count, left, right) if cut > 0 else ():
        local = np.searchsorted(members, left[edges]), np.searchsorted(members, right[edges])
        groups += [members[group].tolist() for group in _dense_average_linkage(len(members), *local, weight[edges], cut)]
        on_graph[edges] = False
    groups += _graph_average_linkage(count, left[on_graph].tolist(), right[on_graph].tolist(), weight[on_graph].tolist(), cut)
    return sorted(groups, key=lambda group: group[0])


def _dense_parts(count: int, left: np.ndarray, right: np.ndarray) -> Iterable[tuple[np.ndarray, np.ndarray]]:
    """(members, the positions of their edges) of each connected part dense enough to be
    grouped on matrices (see DENSE_SHARE)."""
    if len(left) < DENSE_SHARE * DENSE_FEWEST * (DENSE_FEWEST - 1) / 2:
        return
    from scipy.sparse import coo_matrix  # noqa: PLC0415 -- the story stage's; a copy scan starts without SciPy
    from scipy.sparse.csgraph import connected_components  # noqa: PLC0415

    graph = coo_matrix((np.ones(len(left), dtype=bool), (left, right)), shape=(count, count))
    _, part = connected_components(graph, directed=False)
    sizes = np.bincount(part)
    edge_counts = np.bincount(part[left], minlength=len(sizes))
    dense = (sizes >= DENSE_FEWEST) & (sizes <= DENSE_MOST) & (edge_counts >= DENSE_SHARE * sizes * (sizes - 1) / 2)
    if not dense.any():
        return
    # Members and edges sorted by part once, rather than the whole graph read once per part.
    nodes_by_part = np.argsort(part, kind="stable")
    edges_by_part = np.argsort(part[left], kind="stable")
    node_starts = np.concatenate(([0], np.cumsum(sizes)))
    edge_starts = np.concatenate(([0], np.cumsum(edge_counts)))
    for number in np.flatnonzero(dense).tolist():
        # Both in ascending order: members as numbered, edges as given (the order sums are added in).
        yield nodes_by_part[node_starts[number]:node_starts[number + 1]], edges_by_part[edge_starts[number]:edge_starts[number + 1]]


def _graph_average_linkage(count: int, left: list[int], right: list[int], weight: list[float], cut: float) -> list[list[int]]:
    """average_linkage on a graph of dicts, for pairs of two different ends and a weight other than 0."""
    edges: list[dict[int, float]] = [{} for _ in range(count)]
    for a, b, w in zip(left, right, weight, strict=True):
        edges[a][b] = edges[b][a] = edges[a].get(b, 0.0) + w
    members = [[index] for index in range(count)]
    version = [0] * count
    heap = [(-w, a, b, 0, 0) for a in range(count) for b, w in edges[a].items() if a < b and w >= cut]
    heapq.heapify(heap)
    while heap:
        _, a, b, version_a, version_b = heapq.heappop(heap)
        if version[a] != version_a or version[b] != version_b:
            continue  # one of the two has merged since: its averages were pushed again
        keep, drop = (a, b) if len(edges[a]) >= len(edges[b]) else (b, a)
        for other, w in edges[drop].items():
            if other != keep:
                total = edges[keep].get(other, 0.0) + w
                edges[keep][other] = edges[other][keep] = total
                del edges[other][drop]
        edges[drop] = {}
        del edges[keep][drop]
        members[keep] += members[drop]
        members[drop] = []
        version[keep] += 1
        version[drop] += 1
        for other, total in edges[keep].items():
            average = total / (len(members[keep]) * len(members[other]))
            if average >= cut:
                first, second = min(keep, other), max(keep, other)
                heapq.heappush(heap, (-average, first, second, version[first], version[second]))
    return [sorted(group) for group in members if len(group) > 1]


def _dense_average_linkage(count: int, left: np.ndarray, right: np.ndarray, weight: np.ndarray, cut: float) -> list[list[int]]:
    """`_graph_average_linkage` on matrices, for a positive cut: the same sums in the same
    order, the same averages, the same merges (of equal averages, the pair of the lowest
    numbers; the group with more neighbours keeps its number). Each group keeps its best
    partner (highest average, then lowest number); a merge recomputes the rows that lose theirs."""
    sums = np.zeros((count, count))
    np.add.at(sums, (np.minimum(left, right), np.maximum(left, right)), weight)  # in input order, as the graph adds
    upper = np.triu(sums, 1)
    sums = upper + upper.T
    linked = np.zeros((count, count), dtype=bool)
    linked[left, right] = linked[right, left] = True
    neighbours = linked.sum(axis=1)
    sizes = np.ones(count, dtype=np.int64)  # a merged-away group keeps 1, over sums of 0
    members = [[index] for index in range(count)]
    alive = np.ones(count, dtype=bool)  # a group not merged into another
    # A pair without an edge sums 0: its average 0 is below the cut, as is a group with itself.
    best_partner = np.argmax(sums, axis=1)
    best_average = sums[np.arange(count), best_partner]
    while True:
        average = best_average.max(initial=-np.inf)
        if not average >= cut:
            break
        rows = np.flatnonzero(best_average == average)
        firsts, seconds = np.minimum(rows, best_partner[rows]), np.maximum(rows, best_partner[rows])
        chosen = np.lexsort((seconds, firsts))[0]
        a, b = int(firsts[chosen]), int(seconds[chosen])
        keep, drop = (a, b) if neighbours[a] >= neighbours[b] else (b, a)
        # Neighbours of both now have one neighbour fewer: the two are one.
        neighbours -= linked[:, keep] & linked[:, drop]
        sums[keep] += sums[drop]
        linked[keep] |= linked[drop]
        for matrix in (sums, linked):
            matrix[keep, [keep, drop]] = 0
            matrix[:, keep] = matrix[keep]
            matrix[drop] = 0
            matrix[:, drop] = 0
        neighbours[keep] = np.count_nonzero(linked[keep])
        neighbours[drop] = 0
        sizes[keep] += sizes[drop]
        sizes[drop] = 1
        members[keep] += members[drop]
        members[drop] = []
        alive[drop] = False
        best_average[drop] = -np.inf
        with_keep = sums[keep] / (sizes[keep] * sizes)
        # The others keep their best partner unless the merged group now beats it, or it was one of the two.
        better = alive & ((with_keep > best_average) | ((with_keep == best_average) & (keep < best_partner)))
        lost = np.flatnonzero(alive & ((best_partner == keep) | (best_partner == drop)))
        best_partner[better] = keep
        best_average[better] = with_keep[better]
        if len(lost):
            averages = sums[lost] / (sizes[lost, None] * sizes[None, :])
            best_partner[lost] = np.argmax(averages, axis=1)
            best_average[lost] = averages[np.arange(len(lost)), best_partner[lost]]
        best_partner[keep] = np.argmax(with_keep)
        best_average[keep] = with_keep[best_partner[keep]]
    return [sorted(group) for group in members if len(group) > 1]
