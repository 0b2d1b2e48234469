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


def average_linkage(count: int, left: Sequence[int], right: Sequence[int], weight: Sequence[float], cut: float) -> list[list[int]]:
    """Groups of 0..count-1 by average linkage over a sparse graph, cut at `cut`.

    Two groups merge while the average weight over all their cross pairs is at least `cut`,
    the highest average first. A pair without an edge weighs 0 (no evidence either way), so
    a group grows only when the newcomer is linked to most of it: a chain of single strong
    links, A-B, B-C, C-D, cannot pull A and D together. An edge of -inf forbids its two
    ends from ever sharing a group. Returns groups of two or more, each sorted.
    """
    edges: list[dict[int, float]] = [{} for _ in range(count)]
    for a, b, w in zip(left, right, weight, strict=True):
        # An edge of weight 0 is no edge (most story candidates: pairs beyond the day window).
        if a != b and w != 0:
            edges[a][b] = edges[b][a] = edges[a].get(b, 0.0) + float(w)
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
    return sorted((sorted(group) for group in members if len(group) > 1), key=lambda group: group[0])
