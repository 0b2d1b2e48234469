"""A story check reads only the indexed documents that share a story band key with an
incoming one, and finds exactly what reading every indexed document finds."""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest

from dedup.gate import stories
from dedup.gate.check import check
from dedup.gate.indexing import add_to_index
from dedup.index.open import open_index
from dedup.model import Relation
from dedup.pipeline import ScanConfig


@pytest.fixture
def split_samples(tmp_path, samples_dir):
    """The samples less one report of each story, indexed; those reports come in."""
    indexed, incoming = tmp_path / "indexed", tmp_path / "incoming"
    shutil.copytree(samples_dir, indexed)
    incoming.mkdir()
    for name in ("seeds/dw-2021-12-31-biden-warnt-putin.txt", "stories/en-quake-wire-b.txt", "wire/apa-edited.txt"):
        shutil.move(indexed / name, incoming / name.replace("/", "-"))
    return indexed, incoming


@contextmanager
def _index_of(location: str, corpus: Path, config: ScanConfig) -> Iterator:
    """An index at `location` holding `corpus`, closed afterwards."""
    index = open_index(location, None, create=True)
    try:
        add_to_index([str(corpus)], index, config)
        yield index
    finally:
        index.close()


def _findings(result) -> list[tuple[str, str, str, float | None]]:
    return sorted((finding.document.id, finding.other.id, finding.relation.value, finding.score)
                  for finding in result.findings)


def test_the_lookup_finds_what_reading_everything_finds(index_location, split_samples, monkeypatch):
    indexed, incoming = split_samples
    config = ScanConfig(mode="story", jobs=1)
    with _index_of(index_location, indexed, config) as index:
        looked_up = check([str(incoming)], index, config, Relation.STORY)
        read = []
        every = index.stories()
        monkeypatch.setattr(stories, "_stored_candidates", lambda incoming, index, config: read.append(1) or every)
        everything = check([str(incoming)], index, config, Relation.STORY)
    assert read, "the full read was not used"
    assert _findings(looked_up) == _findings(everything)
    assert any(finding.relation is Relation.STORY for finding in looked_up.findings)


def test_the_lookup_reads_only_candidates(index_location, split_samples):
    indexed, incoming = split_samples
    config = ScanConfig(mode="story", jobs=1)
    with _index_of(index_location, indexed, config) as index:
        from dedup.gate.check import (
            _own_fingerprints,  # the incoming reports as a check reads them
        )

        fingerprints, _ = _own_fingerprints([str(incoming / "seeds-dw-2021-12-31-biden-warnt-putin.txt")], index, config, [])
        looked_up = stories._stored_candidates(fingerprints, index, config)
        every = index.stories()
    titles = {document.article.id for document in looked_up}
    assert any("derstandard" in doc_id for doc_id in titles)  # the other report of the same call
    assert len(looked_up) < len(every)


def _made_up(seed: int, words: int) -> str:
    """Sentences of words made up from syllables: a report about something no other shares."""
    rng = random.Random(seed)
    syllables = ["ka", "lor", "mi", "sten", "bu", "rat", "vel", "o", "dris", "pan", "ge", "tul", "fer", "mo", "xa"]
    made = [("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))) for _ in range(words)]
    return " ".join(f"{word.capitalize()}." if number % 8 == 7 else word for number, word in enumerate(made))


def _generated_split(tmp_path, articles, undated: bool = True) -> tuple[Path, Path]:
    """Generated reports for the index (forty events, each told once, ten more told twice,
    forty about other things in words of their own, twelve retold a year before and two of
    no known day) and a batch that retells thirteen of the indexed events in other words,
    with three reports of new events and (`undated`) one of no known day."""
    indexed, incoming = tmp_path / "indexed.jsonl", tmp_path / "incoming.jsonl"
    stored = [{"id": f"event-{seed}", "title": articles.title(seed), "text": articles.text(seed), "date": "2024-03-05"}
              for seed in range(40)]
    stored += [{"id": f"event-{seed}-again", "title": articles.title(seed), "text": articles.retold(seed, 9),
                "date": "2024-03-04"} for seed in range(30, 40)]
    stored += [{"id": f"other-{seed}", "title": _made_up(seed, 4), "text": _made_up(seed + 1000, 120), "date": "2024-03-05"}
               for seed in range(40)]
    # The same events a year before (never one story with this week's) and two reports of no known day.
    stored += [{"id": f"event-{seed}-last-year", "title": articles.title(seed), "text": articles.retold(seed, 7),
                "date": "2023-03-07"} for seed in range(0, 12)]
    stored += [{"id": f"event-{seed}-undated", "title": articles.title(seed), "text": articles.retold(seed, 10)}
               for seed in (3, 6)]
    coming = [{"id": f"retold-{seed}", "title": articles.title(seed), "text": articles.retold(seed), "date": "2024-03-06"}
              for seed in range(0, 40, 3) if seed != 27]
    coming += [{"id": f"new-{seed}", "title": articles.title(seed), "text": articles.text(seed), "date": "2024-03-06"}
               for seed in (900, 901, 902)]
    if undated:  # a report of no known day may be one story with one of any day: it reads them all
        coming.append({"id": "retold-1-undated", "title": articles.title(1), "text": articles.retold(1, 6)})
    return articles.write_jsonl(indexed, stored), articles.write_jsonl(incoming, coming)


@pytest.mark.parametrize("undated", [True, False])
def test_the_lookup_finds_what_reading_everything_finds_on_generated_reports(index_location, tmp_path, articles,
                                                                             monkeypatch, undated):
    indexed, incoming = _generated_split(tmp_path, articles, undated)
    config = ScanConfig(mode="story", jobs=1)
    with _index_of(index_location, indexed, config) as index:
        read = []
        looked_up_stories = index.stories
        monkeypatch.setattr(index, "stories", lambda positions=None: read.append(looked_up_stories(positions)) or read[-1])
        looked_up = check([str(incoming)], index, config, Relation.STORY)
        every = looked_up_stories()
        monkeypatch.setattr(stories, "_stored_candidates", lambda incoming, index, config: every)
        everything = check([str(incoming)], index, config, Relation.STORY)
    assert _findings(looked_up) == _findings(everything)
    found = {(finding.document.id, finding.other.id) for finding in looked_up.findings}
    assert {("retold-0", "event-0"), ("retold-33", "event-33"), ("retold-3", "event-3-undated")} <= found
    assert undated == any(document == "retold-1-undated" for document, _ in found)
    assert len(read) == 1 and len(every) == 104
    read_ids = {document.article.id for document in read[0]}
    assert {"event-3-undated", "event-6-undated"} <= read_ids  # reports of no known day are read
    assert not any(doc_id.startswith("other-") for doc_id in read_ids)  # only candidates are read
    if not undated:  # nor reports too far in time from every incoming one
        assert not any(doc_id.endswith("-last-year") for doc_id in read_ids) and len(read_ids) < 60


def test_the_lookup_reads_each_candidate_once_however_many_incoming_share_it(index_location, tmp_path, articles):
    indexed, incoming = _generated_split(tmp_path, articles)
    config = ScanConfig(mode="story", jobs=1)
    with _index_of(index_location, indexed, config) as index:
        from dedup.gate.check import _own_fingerprints

        fingerprints, _ = _own_fingerprints([str(incoming)], index, config, [])
        once = stories._stored_candidates(fingerprints, index, config)
        twice = stories._stored_candidates(fingerprints + fingerprints, index, config)
    positions = [document.position for document in once]
    assert positions == sorted(set(positions)) == [document.position for document in twice]


def test_a_semantic_check_still_reads_every_summary(index_location, split_samples, monkeypatch):
    # --semantic finds candidates among the nearest summaries of the whole index, which no
    # band key names: it reads every indexed document's story evidence (the lookup is not used).
    indexed, incoming = split_samples
    config = ScanConfig(mode="story", jobs=1)
    with _index_of(index_location, indexed, config) as index:
        monkeypatch.setattr(index, "story_candidates", lambda keys, windows: pytest.fail("a semantic check looked candidates up"))
        read = stories._stored_candidates([], index, replace(config, semantic=True))
        assert len(read) == len(index.stories())


def test_windows_are_merged_per_key_and_any_day_takes_all():
    import numpy as np

    from dedup.index.stored import windows_by_key

    keys = [np.array([1, 2], dtype=np.int64), np.array([2, 3], dtype=np.int64), np.array([2], dtype=np.int64),
            np.array([3], dtype=np.int64), np.array([4], dtype=np.int64)]
    windows = [(10, 16), (14, 20), (30, 36), None, (5, 11)]
    assert windows_by_key(keys, windows) == {1: [(10, 16)], 2: [(10, 20), (30, 36)], 3: [None], 4: [(5, 11)]}
