"""A shared index in Redis (`--index redis://HOST:PORT/DB`), for a team's CI runners.

LSH buckets live in datasketch's Redis storage (MinHashLSH with a Redis storage config,
keys under "dedup:lsh"). Documents, their exact keys and the parameters live in plain
Redis structures under "dedup:". Needs the optional `redis` client: pip install 'dedup[redis]'.

All or nothing, as with SQLite: an add writes its buckets first, then the documents, the
id map and the new document count in one MULTI/EXEC transaction. Readers only trust
positions below that count, so a run that is killed before its transaction leaves the
index answering as before (its stray bucket entries point past the count and are
ignored; a later add that reuses those positions only gets extra candidates, which
verification drops). One writer at a time: adds take a Redis lock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import urlparse

import numpy as np

from dedup.index.stored import (
    SCHEMA_VERSION,
    IndexParams,
    IndexProblem,
    StoredDocument,
    article_from_record,
    article_record,
    new_params,
    story_from_record,
    story_record,
)
from dedup.minhash import lean_minhash

PREFIX = "dedup:"
_FIELDS = ("id", "key", "shingles", "metadata", "story")


class RedisIndex:
    def __init__(self, url: str, client, params: IndexParams) -> None:
        self.location = url
        self._redis = client
        self.params = params
        self._lsh = _datasketch_lsh(url, params)

    @classmethod
    def open(cls, url: str, wanted: dict[str, str], create: bool) -> RedisIndex:
        try:
            import redis  # noqa: PLC0415
        except ImportError:
            raise IndexProblem(f"{url}: Redis indexes need the redis client: pip install 'dedup[redis]'") from None
        try:
            client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=30)
            client.ping()
            meta = {key.decode(): value.decode() for key, value in client.hgetall(PREFIX + "meta").items()}
        except (redis.RedisError, ValueError) as error:
            raise IndexProblem(f"{url}: cannot reach Redis ({error}): start redis-server or fix the URL") from None
        if not meta:
            if not create:
                raise IndexProblem(f"{url}: no dedup index in this Redis database: build one with `dedup index add CORPUS --index {url}`")
            params = new_params(wanted)
            client.hset(PREFIX + "meta", mapping={"schema_version": str(SCHEMA_VERSION), "count": "0", **params.to_record()})
            return cls(url, client, params)
        version = int(meta.get("schema_version", "0"))
        if version != SCHEMA_VERSION:
            newer = "newer than this dedup reads: upgrade dedup" if version > SCHEMA_VERSION else "older: rebuild it with `dedup index add`"
            raise IndexProblem(f"{url}: index schema {version} is {newer}")
        params = IndexParams.from_record(meta)
        if difference := params.mismatch(wanted):
            raise IndexProblem(f"{url}: built with {difference}: use the index's own parameters (see `dedup index info`) or another --index")
        return cls(url, client, params)

    @property
    def count(self) -> int:
        return int(self._redis.hget(PREFIX + "meta", "count") or 0)

    def info(self) -> dict[str, object]:
        return {
            "index": self.location,
            "backend": "redis",
            "schema_version": SCHEMA_VERSION,
            "documents": self.count,
            "bytes_in_memory": int(self._redis.info("memory").get("used_memory", 0)),
            **self.params.to_record(),
        }

    def known_keys(self, ids: Sequence[str]) -> dict[str, bytes]:
        if not ids:
            return {}
        positions = self._redis.hmget(PREFIX + "ids", list(ids))
        found = {doc_id: int(position) for doc_id, position in zip(ids, positions, strict=True) if position is not None}
        pipe = self._redis.pipeline(transaction=False)
        for position in found.values():
            pipe.hget(f"{PREFIX}doc:{position}", "key")
        return dict(zip(found, pipe.execute(), strict=True))

    def exact(self, keys: Sequence[bytes]) -> dict[bytes, list[int]]:
        unique = list(set(keys))
        pipe = self._redis.pipeline(transaction=False)
        for key in unique:
            pipe.smembers(PREFIX + "key:" + key.hex())
        count = self.count
        return {key: sorted(p for p in map(int, members) if p < count) for key, members in zip(unique, pipe.execute(), strict=True) if members}

    def candidates(self, signatures: np.ndarray) -> list[set[int]]:
        count = self.count
        minhash = self.params.minhash
        return [{position for position in self._lsh.query(lean_minhash(signature, minhash)) if position < count} for signature in signatures]

    def documents(self, positions: Iterable[int]) -> dict[int, StoredDocument]:
        wanted = sorted(set(positions))
        pipe = self._redis.pipeline(transaction=False)
        for position in wanted:
            pipe.hmget(f"{PREFIX}doc:{position}", _FIELDS)
        found = {}
        for position, (doc_id, key, shingles, metadata, story) in zip(wanted, pipe.execute(), strict=True):
            if doc_id is None:
                continue
            found[position] = StoredDocument(position, article_from_record(metadata.decode()), key,
                                             np.frombuffer(shingles, dtype=np.uint64), story_from_record(story.decode() if story else None))
        return found

    def stories(self) -> list[StoredDocument]:
        documents = self.documents(range(self.count))
        return [document for _, document in sorted(documents.items()) if document.story is not None]

    def add(self, documents: Iterable[tuple]) -> int:
        with self._redis.lock(PREFIX + "writer", timeout=3600, blocking_timeout=60):
            start = self.count
            transaction = self._redis.pipeline(transaction=True)
            added = 0
            with self._lsh.insertion_session() as session:
                for article, key, shingles, signature, story in documents:
                    position = start + added
                    session.insert(position, lean_minhash(signature, self.params.minhash), check_duplication=False)
                    record = {"id": article.id, "key": key, "shingles": np.ascontiguousarray(shingles, dtype=np.uint64).tobytes(),
                              "metadata": article_record(article)}
                    if story is not None:
                        record["story"] = story_record(story)
                    transaction.hset(f"{PREFIX}doc:{position}", mapping=record)
                    transaction.hset(PREFIX + "ids", article.id, position)
                    transaction.sadd(PREFIX + "key:" + key.hex(), position)
                    added += 1
            transaction.hset(PREFIX + "meta", "count", start + added)
            transaction.execute()
            return added

    def close(self) -> None:
        self._redis.close()


def _datasketch_lsh(url: str, params: IndexParams):
    from datasketch import MinHashLSH  # noqa: PLC0415

    parsed = urlparse(url)
    database = int((parsed.path or "/0").lstrip("/") or 0)
    connection = {"host": parsed.hostname or "localhost", "port": parsed.port or 6379, "db": database}
    if parsed.password:
        connection["password"] = parsed.password
    storage = {"type": "redis", "basename": (PREFIX + "lsh").encode(), "redis": connection}
    return MinHashLSH(num_perm=params.minhash.num_perm, params=(params.bands, params.rows), storage_config=storage)

