"""A check against a Redis index asks in a few pipelines, not a round trip per document
or per band: its round trips stay nearly the same for a batch twenty times larger."""

from __future__ import annotations

import itertools

import pytest

from dedup.gate.check import check
from dedup.gate.indexing import add_to_index
from dedup.index import redis as redis_index
from dedup.index.open import open_index
from dedup.model import Relation
from dedup.pipeline import ScanConfig


def _batch(articles, path, seeds) -> str:
    return str(articles.write_jsonl(path, [{"id": f"new-{seed}", "title": articles.title(seed), "text": articles.text(seed),
                                            "date": "2024-03-05"} for seed in seeds]))


@pytest.mark.parametrize("mode", ["copy", "story"])
def test_round_trips_do_not_grow_with_the_batch(redis_url, tmp_path, articles, monkeypatch, mode):
    import redis
    from redis.connection import AbstractConnection

    url = f"{redis_url}/14"
    redis.Redis.from_url(url).flushdb()
    indexed = articles.write_jsonl(tmp_path / "indexed.jsonl", [
        {"id": f"old-{seed}", "title": articles.title(seed), "text": articles.text(seed), "date": "2024-03-04"}
        for seed in range(60)])
    small = _batch(articles, tmp_path / "small.jsonl", range(50, 60))  # ten reprints of indexed reports
    large = _batch(articles, tmp_path / "large.jsonl", itertools.chain(range(50, 60), range(1000, 1190)))
    config = ScanConfig(mode=mode, jobs=1)
    trips = []
    sent = AbstractConnection.send_packed_command

    def counted(connection, command, check_health=True):
        trips[-1] += 1
        return sent(connection, command, check_health)

    index = open_index(url, None, create=True)
    try:
        add_to_index([indexed], index, config)
        monkeypatch.setattr(AbstractConnection, "send_packed_command", counted)
        for batch in (small, large):
            trips.append(0)
            result = check([batch], index, config, Relation.STORY)
            assert result.findings
    finally:
        index.close()
    # Copies: the exact keys, the band buckets (CANDIDATE_BATCH documents a pipeline) and the
    # candidates' records; stories: the story band keys and the candidates' records.
    assert trips[1] <= trips[0] + len(range(200)) // redis_index.CANDIDATE_BATCH, trips
    assert 0 < trips[0] < 20, trips
