"""The default persistent index: one SQLite file.

Why SQLite: one file to keep next to a corpus or cache in CI, transactions, and readers
that go on while a writer adds (write-ahead logging). `dedup index add` writes a whole run
in one transaction, so a run that is killed leaves the index exactly as it was.

Tables: `meta` (schema version and parameters), `documents` (one row per document: id,
exact key, signature, shingle hashes, metadata and story evidence as JSON) and `buckets`
(one row per document and LSH band; see `dedup.index.stored.bucket_keys`). Adding N
documents writes N rows and N * bands bucket rows through B-tree indexes: time grows
with N (and only logarithmically with the index).
"""

from __future__ import annotations

import os
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

import numpy as np

from dedup.index.stored import (
    SCHEMA_VERSION,
    IndexParams,
    IndexProblem,
    StoredDocument,
    article_from_record,
    article_record,
    bucket_keys,
    new_params,
    story_from_record,
    story_record,
)

_NO_SHINGLES = np.zeros(0, dtype=np.uint64)
# SQLite allows 32,766 parameters per statement; lookups go in chunks well below that.
_CHUNK = 900
_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents (
    pos INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    exact_key BLOB NOT NULL,
    signature BLOB NOT NULL,
    shingles BLOB NOT NULL,
    metadata TEXT NOT NULL,
    story TEXT
);
CREATE INDEX documents_by_key ON documents (exact_key);
CREATE TABLE buckets (bucket INTEGER NOT NULL, pos INTEGER NOT NULL, PRIMARY KEY (bucket, pos)) WITHOUT ROWID;
"""


class SqliteIndex:
    def __init__(self, path: str, connection: sqlite3.Connection, params: IndexParams) -> None:
        self.location = path
        self._db = connection
        self.params = params

    @classmethod
    def open(cls, path: str, wanted: dict[str, str], create: bool) -> SqliteIndex:
        """Open the index at `path`, refusing one whose parameters differ from those `wanted`;
        with `create`, make it (with `wanted` and defaults) if it is missing."""
        exists = os.path.exists(path)
        if not exists and not create:
            raise IndexProblem(f"{path}: no index there: build one with `dedup index add CORPUS --index {path}`")
        if exists and os.path.isdir(path):
            raise IndexProblem(f"{path}: is a directory: give the index file's path, e.g. {os.path.join(path, 'dedup.index')}")
        directory = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(directory):
            raise IndexProblem(f"{path}: the directory {directory} does not exist: create it or give another --index path")
        try:
            connection = sqlite3.connect(path, timeout=30, isolation_level=None)
            if not exists:
                return cls._create(path, connection, new_params(wanted))
            return cls(path, connection, _read_params(path, connection, wanted))
        except sqlite3.OperationalError as error:
            raise IndexProblem(f"{path}: cannot open the index ({error}): check the path and its permissions") from None
        except sqlite3.DatabaseError as error:
            raise IndexProblem(f"{path}: not a dedup index, or a damaged one ({error}): rebuild it with `dedup index add`") from None

    @classmethod
    def _create(cls, path: str, connection: sqlite3.Connection, params: IndexParams) -> SqliteIndex:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("BEGIN IMMEDIATE")
        for statement in filter(str.strip, _SCHEMA.split(";")):
            connection.execute(statement)  # not executescript, which would commit first
        connection.executemany(
            "INSERT INTO meta (name, value) VALUES (?, ?)",
            [("schema_version", str(SCHEMA_VERSION)), *params.to_record().items()],
        )
        connection.execute("COMMIT")
        return cls(path, connection, params)

    # --- reading ----------------------------------------------------------------------

    @property
    def count(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]

    def info(self) -> dict[str, object]:
        size = sum(os.path.getsize(name) for name in (self.location, self.location + "-wal") if os.path.exists(name))
        return {
            "index": self.location,
            "backend": "sqlite",
            "schema_version": SCHEMA_VERSION,
            "documents": self.count,
            "bucket_rows": self._db.execute("SELECT COUNT(*) FROM buckets").fetchone()[0],
            "bytes_on_disk": size,
            **self.params.to_record(),
        }

    def known_keys(self, ids: Sequence[str]) -> dict[str, bytes]:
        """id -> exact key, for those of `ids` already in the index."""
        found: dict[str, bytes] = {}
        for chunk in _chunks(list(ids)):
            marks = ",".join("?" * len(chunk))
            found.update(self._db.execute(f"SELECT id, exact_key FROM documents WHERE id IN ({marks})", chunk))
        return found

    def exact(self, keys: Sequence[bytes]) -> dict[bytes, list[int]]:
        """exact key -> positions of the indexed documents with that key."""
        found: dict[bytes, list[int]] = defaultdict(list)
        for chunk in _chunks(list(set(keys))):
            marks = ",".join("?" * len(chunk))
            for key, position in self._db.execute(f"SELECT exact_key, pos FROM documents WHERE exact_key IN ({marks})", chunk):
                found[key].append(position)
        return found

    def candidates(self, signatures: np.ndarray) -> list[set[int]]:
        """For each signature, the indexed documents that share an LSH bucket with it."""
        keys = bucket_keys(signatures, self.params.bands, self.params.rows)
        members: dict[int, list[int]] = defaultdict(list)
        for chunk in _chunks(np.unique(keys).tolist()):
            marks = ",".join("?" * len(chunk))
            for bucket, position in self._db.execute(f"SELECT bucket, pos FROM buckets WHERE bucket IN ({marks})", chunk):
                members[bucket].append(position)
        return [{position for key in row.tolist() for position in members.get(key, ())} for row in keys]

    def documents(self, positions: Iterable[int]) -> dict[int, StoredDocument]:
        found = {}
        for chunk in _chunks(sorted(set(positions))):
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(f"SELECT pos, exact_key, shingles, metadata, story FROM documents WHERE pos IN ({marks})", chunk)
            for position, key, shingles, metadata, story in rows:
                found[position] = StoredDocument(
                    position, article_from_record(metadata), key, np.frombuffer(shingles, dtype=np.uint64), story_from_record(story)
                )
        return found

    def stories(self) -> list[StoredDocument]:
        """Every document that has story evidence, shingles left out (story checks read them all)."""
        rows = self._db.execute("SELECT pos, exact_key, metadata, story FROM documents WHERE story IS NOT NULL ORDER BY pos")
        return [StoredDocument(position, article_from_record(metadata), key, _NO_SHINGLES, story_from_record(story))
                for position, key, metadata, story in rows]

    # --- writing ----------------------------------------------------------------------

    def add(self, documents: Iterable[tuple]) -> int:
        """Add (article, key, shingles, signature, story) tuples in one transaction; returns how
        many were added. Nothing is visible to readers, or kept, until the whole run commits."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise IndexProblem(f"{self.location}: cannot write ({error}): another `dedup index add` may be running; try again") from None
        try:
            next_position = self._db.execute("SELECT COALESCE(MAX(pos), -1) + 1 FROM documents").fetchone()[0]
            added = 0
            remaining = iter(documents)
            while chunk := list(islice(remaining, 500)):
                rows, signatures = [], []
                for article, key, shingles, signature, story in chunk:
                    rows.append((next_position + added, article.id, key, signature.tobytes(),
                                 np.ascontiguousarray(shingles, dtype=np.uint64).tobytes(), article_record(article), story_record(story)))
                    signatures.append(signature)
                    added += 1
                self._db.executemany(
                    "INSERT INTO documents (pos, id, exact_key, signature, shingles, metadata, story) VALUES (?, ?, ?, ?, ?, ?, ?)", rows
                )
                keys = bucket_keys(np.asarray(signatures), self.params.bands, self.params.rows)
                positions = np.repeat([row[0] for row in rows], self.params.bands)
                self._db.executemany("INSERT OR IGNORE INTO buckets (bucket, pos) VALUES (?, ?)",
                                     zip(keys.ravel().tolist(), positions.tolist(), strict=True))
            self._db.execute("COMMIT")
            return added
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self._db.close()


def _read_params(path: str, connection: sqlite3.Connection, wanted: dict[str, str]) -> IndexParams:
    if connection.execute("PRAGMA quick_check").fetchone()[0] != "ok":
        raise IndexProblem(f"{path}: the index file is damaged (SQLite quick_check failed): rebuild it with `dedup index add`")
    tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not {"meta", "documents", "buckets"} <= tables:
        raise IndexProblem(f"{path}: an SQLite file, but not a dedup index: give another --index path")
    meta = dict(connection.execute("SELECT name, value FROM meta"))
    version = int(meta.get("schema_version", "0"))
    if version > SCHEMA_VERSION:
        raise IndexProblem(f"{path}: index schema {version} is newer than this dedup reads ({SCHEMA_VERSION}): upgrade dedup")
    if version < SCHEMA_VERSION:
        raise IndexProblem(f"{path}: index schema {version} is older than this dedup's ({SCHEMA_VERSION}): rebuild it with `dedup index add`")
    params = IndexParams.from_record(meta)
    if difference := params.mismatch(wanted):
        raise IndexProblem(f"{path}: built with {difference}: use the index's own parameters (see `dedup index info`) or another --index")
    connection.execute("PRAGMA journal_mode=WAL")
    return params


def _chunks(values: list) -> Iterator[list]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]
