"""A story check reads only the indexed documents that share a story band key with an
incoming one, and finds exactly what reading every indexed document finds."""

from __future__ import annotations

import shutil

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


def _findings(result) -> list[tuple[str, str, str, float | None]]:
    return sorted((finding.document.id, finding.other.id, finding.relation.value, finding.score)
                  for finding in result.findings)


def test_the_lookup_finds_what_reading_everything_finds(index_location, split_samples, monkeypatch):
    indexed, incoming = split_samples
    config = ScanConfig(mode="story", jobs=1)
    index = open_index(index_location, None, create=True)
    try:
        add_to_index([str(indexed)], index, config)
        looked_up = check([str(incoming)], index, config, Relation.STORY)
        read = []
        every = index.stories()
        monkeypatch.setattr(stories, "_stored_candidates", lambda incoming, index, config: read.append(1) or every)
        everything = check([str(incoming)], index, config, Relation.STORY)
    finally:
        index.close()
    assert read, "the full read was not used"
    assert _findings(looked_up) == _findings(everything)
    assert any(finding.relation is Relation.STORY for finding in looked_up.findings)


def test_the_lookup_reads_only_candidates(index_location, split_samples):
    indexed, incoming = split_samples
    config = ScanConfig(mode="story", jobs=1)
    index = open_index(index_location, None, create=True)
    try:
        add_to_index([str(indexed)], index, config)
        from dedup.gate.check import (
            _own_fingerprints,  # the incoming reports as a check reads them
        )

        fingerprints, _ = _own_fingerprints([str(incoming / "seeds-dw-2021-12-31-biden-warnt-putin.txt")], index, config, [])
        looked_up = stories._stored_candidates(fingerprints, index, config)
        every = index.stories()
    finally:
        index.close()
    titles = {document.article.id for document in looked_up}
    assert any("derstandard" in doc_id for doc_id in titles)  # the other report of the same call
    assert len(looked_up) < len(every)
