import numpy as np
import pytest

from dedup.cluster import UnionFind, build_clusters
from dedup.copy.verify import judge_copy
from dedup.model import CopyRule, Pair, Relation
from dedup.text.shingles import overlap


def _set(*values):
    return np.array(sorted(values), dtype=np.uint64)


def test_overlap_gives_jaccard_and_containment():
    jaccard, containment = overlap(_set(1, 2, 3, 4), _set(3, 4, 5))
    assert jaccard == pytest.approx(2 / 5)
    assert containment == pytest.approx(2 / 3)


def test_copy_by_jaccard():
    pair = judge_copy("a", "b", _set(*range(100)), _set(*range(20, 120)), CopyRule())
    assert pair is not None and pair.relation is Relation.COPY and pair.similarity == pytest.approx(80 / 120)


def test_shortened_copy_by_containment_needs_enough_text():
    long_text, short_text = _set(*range(300)), _set(*range(60))
    assert judge_copy("long", "short", long_text, short_text, CopyRule()) is not None
    tiny = _set(*range(10))  # ten shingles: a quote, not a copy of an article
    assert judge_copy("long", "tiny", long_text, tiny, CopyRule()) is None


def test_unrelated_sets_are_no_copy():
    assert judge_copy("a", "b", _set(*range(100)), _set(*range(90, 190)), CopyRule()) is None


def test_candidate_threshold_reaches_shortened_copies():
    rule = CopyRule(threshold=0.5, containment=0.8)
    assert rule.candidate_threshold() == pytest.approx(0.8 * (1 / 3) / (1 + 1 / 3 - 0.8 / 3))
    with pytest.raises(ValueError):
        CopyRule(threshold=1.5)


def test_union_find_merges_transitively():
    sets = UnionFind(5)
    sets.union(0, 1)
    sets.union(3, 4)
    sets.union(1, 4)
    assert len({sets.find(i) for i in range(5)}) == 2


def test_clusters_are_ordered_and_take_the_loosest_relation():
    ids = ["a", "b", "c", "d", "e", "f"]
    pairs = [
        Pair("e", "f", Relation.DUPLICATE, 1.0, 1.0),
        Pair("a", "b", Relation.DUPLICATE, 1.0, 1.0),
        Pair("b", "c", Relation.COPY, 0.7, 0.9),
    ]
    clusters = build_clusters(ids, pairs)
    assert [(c.id, c.relation, c.members) for c in clusters] == [
        ("c1", Relation.COPY, ["a", "b", "c"]),
        ("c2", Relation.DUPLICATE, ["e", "f"]),
    ]
    assert [(p.a, p.b) for p in clusters[0].pairs] == [("a", "b"), ("b", "c")]


def test_a_document_alone_is_in_no_cluster():
    assert build_clusters(["a", "b"], []) == []
