"""Clusters: connected components over verified pairs, by union-find.

A cluster lists the pairs that hold it together; its relation is the loosest among them
(a duplicate of a copy is in a copy cluster). Clusters are numbered by size, largest
first, then by the input position of their first member, so the same corpus always
gives the same ids.
"""

from __future__ import annotations

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
