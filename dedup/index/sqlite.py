"""The default persistent index: one SQLite file.

Why SQLite: one file to keep next to a corpus or cache in CI, transactions, and readers
that go on while a writer adds (write-ahead logging). `dedup index add` writes a whole run
in one transaction, so a run that is killed leaves the index exactly as it was, and a
full disk or any other failure rolls the run back: an add is all or nothing. A new index
is made in its first add's transaction, so a first add refused or killed before it
commits leaves no index (at most an empty file, which the next add takes over).

One writer at a time: a second `dedup index add` waits up to WRITER_WAIT_SECONDS for the
first to finish, then gives up with a one-line message; readers go on meanwhile.

What could go wrong with the file (damaged, truncated, not an index, a full disk, another
writer) is an `IndexProblem` with one line naming the file and the fix: opening checks the
tables, the parameters and that the file is as long as SQLite says, each record is checked
as it is read, and every SQLite error is translated where it happens (`_problem`). Nothing
reads the whole file on opening (as SQLite's quick_check would): a copy check of a few
documents reads only the pages it needs, however large the index.

Tables: `meta` (schema version and parameters), `documents` (one row per document: id,
exact key of its own text, key of its whole page, signature, shingle hashes, metadata and
story evidence as JSON, stub flag), `buckets` (one row per document and LSH band; see
`dedup.index.stored.bucket_keys`), `story_buckets` (the story postings: one row per
document and story band key, with its publication day), and the page furniture learnt per
site (`dedup.text.furniture`): `site_pages` (the articles counted per site) and
`site_sentences` (per site and sentence, the pages that carry it). Adding N documents
writes N rows, N * bands bucket rows, N * story bands story rows and a row per new
sentence through B-tree indexes: time grows with N (and only logarithmically with the index).

Story postings. A scan makes two reports story candidates when their salient-set MinHash
signatures share an LSH band (dedup.story.candidates: at CANDIDATE_JACCARD, 64 bands of
one row for 128 permutations), then keeps those whose MinHash estimate clears the threshold, and
scores only pairs at most DAY_WINDOW days apart (or with a day unknown): a pair further
apart is never one story. So a document is posted under exactly the band keys a scan
bands it by, with its day, and a check asks for the keys of its incoming reports within
each one's window of days: the answer holds every indexed report a scan of the union
could pair with an incoming one and score, and the check then applies the scan's own
filter and model to them (dedup.gate.stories), so a pair gets the same decision in both.
Band keys rather than postings of the salient stems themselves: a stem posting list
holds every report that shares one word (a city, a party), most of the index for the
commonest; a band key is shared only where the signatures agree on a whole band, and it
is the scan's own proposal, so the lookup is exactly the scan's LSH, not a superset to thin.
The primary key (bucket, day, pos) makes each (key, window) one range search, so what a
check reads follows the reports near its own days, not the size of the archive.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from functools import lru_cache
from itertools import islice

import numpy as np

from dedup.index.stored import (
    SCHEMA_VERSION,
    UNDATED,
    DamagedRecord,
    DayWindow,
    FurnitureAdditions,
    IndexParams,
    IndexProblem,
    NewDocument,
    StoredDocument,
    StoredFurniture,
    article_from_record,
    article_record,
    bucket_keys,
    damaged,
    new_params,
    page_count,
    params_from_meta,
    shingles_from_blob,
    signed,
    story_from_record,
    story_record,
    unsigned,
    windows_by_key,
)
from dedup.text.furniture import MIN_PAGES

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
    story TEXT,
    page_key BLOB NOT NULL,
    stub INTEGER NOT NULL
);
CREATE INDEX documents_by_key ON documents (exact_key);
CREATE TABLE buckets (bucket INTEGER NOT NULL, pos INTEGER NOT NULL, PRIMARY KEY (bucket, pos)) WITHOUT ROWID;
CREATE TABLE story_buckets (bucket INTEGER NOT NULL, day INTEGER NOT NULL, pos INTEGER NOT NULL,
                            PRIMARY KEY (bucket, day, pos)) WITHOUT ROWID;
CREATE TABLE site_pages (site TEXT NOT NULL, article INTEGER NOT NULL, PRIMARY KEY (site, article)) WITHOUT ROWID;
CREATE TABLE site_sentences (site TEXT NOT NULL, sentence INTEGER NOT NULL, pages INTEGER NOT NULL,
                             PRIMARY KEY (site, sentence)) WITHOUT ROWID;
"""
_TABLES = frozenset({"meta", "documents", "buckets", "story_buckets", "site_pages", "site_sentences"})
# How a damaged index is got rid of before it is built again (see `stored.damaged`).
_REMOVE = "delete the file"
# How long an add waits for another process's add to finish before it gives up. Long
# enough for CI jobs that add to one cache at once to take turns; a writer that hangs
# longer than this is more likely stuck than busy.
WRITER_WAIT_SECONDS = 60.0
# SQLite's own wait for a lock inside one statement: readers are only held up by rare
# moments (recovery of a killed writer's log), and a waiting writer asks again in a loop,
# so Ctrl-C is answered within this time.
_LOCK_WAIT_SECONDS = 1.0
# SQLite's primary result codes (the low byte of sqlite3.Error.sqlite_errorcode).
_ERROR, _PERM, _BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN = 1, 3, 5, 6, 8, 10, 11, 13, 14
_MISMATCH, _AUTH, _FORMAT, _RANGE, _NOTADB = 20, 23, 24, 25, 26


def _connect(path: str) -> sqlite3.Connection:
    """A connection that runs each statement on its own unless told BEGIN (autocommit)."""
    return sqlite3.connect(path, timeout=_LOCK_WAIT_SECONDS, isolation_level=None)


class SqliteIndex:
    def __init__(self, path: str, connection: sqlite3.Connection | None, params: IndexParams, wanted: dict[str, str],
                 made: bool) -> None:
        self.location = path
        self._db = connection  # None until the first add makes the file
        self.params = params
        self._wanted = wanted
        self._made = made  # the file holds the index's tables (else the first add makes them)

    @classmethod
    def open(cls, path: str, wanted: dict[str, str], create: bool) -> SqliteIndex:
        """Open the index at `path`, refusing one whose parameters differ from those `wanted`;
        with `create`, one that is missing is made (with `wanted` and defaults) by the first add."""
        exists = os.path.exists(path)
        if not exists and not create:
            raise IndexProblem(f"{path}: no index there: build one with `dedup index add CORPUS --index {path}`")
        if exists and os.path.isdir(path):
            raise IndexProblem(f"{path}: is a directory: give the index file's path, e.g. {os.path.join(path, 'dedup.index')}")
        directory = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(directory):
            raise IndexProblem(f"{path}: the directory {directory} does not exist: create it or give another --index path")
        if not exists:
            return cls(path, None, new_params(wanted), wanted, made=False)
        connection = None
        try:
            connection = _connect(path)
            connection.execute("BEGIN")  # one snapshot for every check
            tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not tables:
                connection.execute("COMMIT")
                if not create:
                    raise IndexProblem(f"{path}: an empty file, no index yet (a first `dedup index add` leaves one while it "
                                       f"runs, or if it was interrupted): build the index with "
                                       f"`dedup index add CORPUS --index {path}`")
                return cls(path, connection, new_params(wanted), wanted, made=False)
            params = _read_params(path, connection, tables, wanted)
            connection.execute("COMMIT")
            return cls(path, connection, params, wanted, made=True)
        except (sqlite3.Error, IndexProblem) as error:
            if connection is not None:
                connection.close()
            if isinstance(error, IndexProblem):
                raise
            raise _problem(path, error) from None

    # --- reading ----------------------------------------------------------------------

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """Whatever goes wrong reading the file becomes an IndexProblem naming it."""
        try:
            yield
        except DamagedRecord as error:
            raise damaged(self.location, str(error), _REMOVE) from None
        except sqlite3.Error as error:
            raise _problem(self.location, error) from None

    @property
    def count(self) -> int:
        if not self._made:
            return 0
        with self._reading():
            return self._db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]

    def info(self) -> dict[str, object]:
        size = sum(os.path.getsize(name) for name in (self.location, self.location + "-wal") if os.path.exists(name))
        buckets = stubs = sites = sentences = 0
        if self._made:
            with self._reading():
                buckets = self._db.execute("SELECT COUNT(*) FROM buckets").fetchone()[0]
                stubs = self._db.execute("SELECT COUNT(*) FROM documents WHERE stub").fetchone()[0]
                sites, sentences = self._db.execute("SELECT COUNT(DISTINCT site), COUNT(*) FROM site_sentences "
                                                    "WHERE pages >= ?", (MIN_PAGES,)).fetchone()
        return {
            "index": self.location,
            "backend": "sqlite",
            "schema_version": SCHEMA_VERSION,
            "documents": self.count,
            "stubs": stubs,
            "sites_with_furniture": sites,
            "furniture_sentences": sentences,
            "bucket_rows": buckets,
            "bytes_on_disk": size,
            **self.params.to_record(),
        }

    def known_keys(self, ids: Sequence[str]) -> dict[str, bytes]:
        """id -> page key (`dedup.copy.fingerprint.page_key`), for those of `ids` already in the index."""
        found: dict[str, bytes] = {}
        if not self._made:
            return found
        with self._reading():
            for chunk in _chunks(list(ids)):
                marks = ",".join("?" * len(chunk))
                found.update(self._db.execute(f"SELECT id, page_key FROM documents WHERE id IN ({marks})", chunk))
        return found

    def furniture(self, asked: Mapping[str, tuple[Iterable[int], Iterable[int]]]) -> StoredFurniture:
        """For each site asked about with (article keys, sentence keys): the articles it has
        counted, and the pages of the site that carry each of the sentences."""
        found: StoredFurniture = {}
        if not self._made:
            return found
        with self._reading():
            for site, (articles, sentences) in asked.items():
                counted: set[int] = set()
                for chunk in _chunks(list(articles)):
                    marks = ",".join("?" * len(chunk))
                    counted.update(article for (article,) in self._db.execute(
                        f"SELECT article FROM site_pages WHERE site = ? AND article IN ({marks})", [site, *chunk]))
                counts: dict[int, int] = {}
                for chunk in _chunks([signed(key) for key in sentences]):
                    marks = ",".join("?" * len(chunk))
                    for sentence, pages in self._db.execute(
                            f"SELECT sentence, pages FROM site_sentences WHERE site = ? AND sentence IN ({marks})", [site, *chunk]):
                        counts[unsigned(sentence)] = page_count(pages)
                if counted or counts:
                    found[site] = (counted, counts)
        return found

    def exact(self, keys: Sequence[bytes]) -> dict[bytes, list[int]]:
        """exact key -> positions of the indexed documents with that key."""
        found: dict[bytes, list[int]] = defaultdict(list)
        if not self._made:
            return found
        with self._reading():
            for chunk in _chunks(list(set(keys))):
                marks = ",".join("?" * len(chunk))
                for key, position in self._db.execute(f"SELECT exact_key, pos FROM documents WHERE exact_key IN ({marks})", chunk):
                    found[key].append(position)
        return found

    def candidates(self, signatures: np.ndarray) -> list[set[int]]:
        """For each signature, the indexed documents that share an LSH bucket with it."""
        if not self._made:
            return [set() for _ in signatures]
        keys = bucket_keys(signatures, self.params.bands, self.params.rows)
        members: dict[int, list[int]] = defaultdict(list)
        with self._reading():
            for chunk in _chunks(np.unique(keys).tolist()):
                marks = ",".join("?" * len(chunk))
                for bucket, position in self._db.execute(f"SELECT bucket, pos FROM buckets WHERE bucket IN ({marks})", chunk):
                    members[bucket].append(position)
        return [{position for key in row.tolist() for position in members.get(key, ())} for row in keys]

    def documents(self, positions: Iterable[int]) -> dict[int, StoredDocument]:
        found: dict[int, StoredDocument] = {}
        if not self._made:
            return found
        minhash = self.params.minhash
        signature_bytes = minhash.num_perm * np.dtype(minhash.dtype).itemsize
        with self._reading():
            for chunk in _chunks(sorted(set(positions))):
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute("SELECT pos, id, exact_key, length(signature), shingles, metadata, story, stub "
                                        f"FROM documents WHERE pos IN ({marks})", chunk)
                for position, doc_id, key, signature_length, shingles, metadata, story, stub in rows:
                    try:
                        if signature_length != signature_bytes:
                            raise DamagedRecord(f"a signature of {signature_length} bytes, not {signature_bytes}")
                        found[position] = StoredDocument(position, article_from_record(metadata), _key(key),
                                                         shingles_from_blob(shingles), story_from_record(story), _stub(stub))
                    except DamagedRecord as error:
                        raise DamagedRecord(f"document {doc_id!r}: {error}") from None
        return found

    def story_candidates(self, keys: Sequence[np.ndarray], windows: Sequence[DayWindow]) -> set[int]:
        """The indexed documents that share a story band key (dedup.story.candidates) with an
        incoming document (`keys`, one row each) and were published within its window of days
        (`windows`, None: any day), or on no known day. One range search of the posting
        table's key per band key and window (see the module's docstring)."""
        if not self._made:
            return set()
        by_window: dict[DayWindow, list[int]] = defaultdict(list)
        dated: list[int] = []  # keys asked for within windows: undated postings are asked for apart
        for key, spans in windows_by_key(keys, windows).items():
            for window in spans:
                by_window[window].append(key)
            if spans != [None]:
                dated.append(key)
        found: set[int] = set()
        with self._reading():
            for window, wanted in [*by_window.items(), ((UNDATED, UNDATED), dated)]:
                days = () if window is None else window
                within = "" if window is None else " AND day BETWEEN ? AND ?"
                for chunk in _chunks(sorted(wanted)):
                    found.update(position for (position,) in self._db.execute(
                        f"SELECT pos FROM story_buckets WHERE bucket IN ({','.join('?' * len(chunk))}){within}",
                        [*chunk, *days]))
        return found

    def stories(self, positions: Iterable[int] | None = None) -> list[StoredDocument]:
        """The documents that have story evidence, shingles left out: all of them, or those
        at `positions` (a check's story candidates)."""
        if not self._made:
            return []
        found = []
        with self._reading():
            if positions is None:
                rows = self._db.execute("SELECT pos, id, exact_key, metadata, story, stub FROM documents "
                                        "WHERE story IS NOT NULL ORDER BY pos")
            else:
                rows = (row for chunk in _chunks(sorted(set(positions))) for row in self._db.execute(
                    "SELECT pos, id, exact_key, metadata, story, stub FROM documents WHERE story IS NOT NULL AND "
                    f"pos IN ({','.join('?' * len(chunk))}) ORDER BY pos", chunk))
            for position, doc_id, key, metadata, story, stub in rows:
                try:
                    found.append(StoredDocument(position, article_from_record(metadata), _key(key), _NO_SHINGLES,
                                                story_from_record(story), _stub(stub)))
                except DamagedRecord as error:
                    raise DamagedRecord(f"document {doc_id!r}: {error}") from None
        return found

    # --- writing ----------------------------------------------------------------------

    def add(self, documents: Iterable[NewDocument], furniture: FurnitureAdditions | None = None) -> int:
        """Add documents, and what their pages add to their sites' furniture counts, in one
        transaction; returns how many documents were added. Nothing is visible to readers, or
        kept, until the whole run commits; a run that fails (a full disk, Ctrl-C) is rolled back."""
        made = self._made
        try:
            if self._db is None:
                self._db = _connect(self.location)
            self._begin_writing()
        except sqlite3.Error as error:
            raise _problem(self.location, error, adding=True) from None
        try:
            if not self._made:
                self._make()
            next_position = self._db.execute("SELECT COALESCE(MAX(pos), -1) + 1 FROM documents").fetchone()[0]
            added = 0
            remaining = iter(documents)
            while chunk := list(islice(remaining, 500)):
                rows, signatures = [], []
                for document in chunk:
                    rows.append((next_position + added, document.article.id, document.key, document.signature.tobytes(),
                                 np.ascontiguousarray(document.shingles, dtype=np.uint64).tobytes(),
                                 article_record(document.article), story_record(document.story), document.page_key,
                                 int(document.stub)))
                    signatures.append(document.signature)
                    added += 1
                self._db.executemany("INSERT INTO documents (pos, id, exact_key, signature, shingles, metadata, story, page_key, "
                                     "stub) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
                keys = bucket_keys(np.asarray(signatures), self.params.bands, self.params.rows)
                positions = np.repeat([row[0] for row in rows], self.params.bands)
                self._db.executemany("INSERT OR IGNORE INTO buckets (bucket, pos) VALUES (?, ?)",
                                     zip(keys.ravel().tolist(), positions.tolist(), strict=True))
                self._db.executemany("INSERT OR IGNORE INTO story_buckets (bucket, day, pos) VALUES (?, ?, ?)",
                                     ((key, document.story_day, row[0]) for document, row in zip(chunk, rows, strict=True)
                                      if document.story_keys is not None
                                      for key in document.story_keys.view(np.int64).tolist()))
            self._add_furniture(furniture or {})
            if added == 0 and not made:
                self._db.execute("ROLLBACK")  # an index of nothing is not made
                self._made = False
            else:
                self._db.execute("COMMIT")
            return added
        except BaseException as error:
            self._made = made
            self._roll_back()
            if isinstance(error, sqlite3.Error):
                raise _problem(self.location, error, adding=True) from None
            raise

    def _add_furniture(self, furniture: FurnitureAdditions) -> None:
        """In the add's transaction: count the new articles of each site and the pages their
        sentences gained."""
        for site, (articles, gained) in furniture.items():
            self._db.executemany("INSERT OR IGNORE INTO site_pages (site, article) VALUES (?, ?)",
                                 ((site, article) for article in articles))
            self._db.executemany("INSERT INTO site_sentences (site, sentence, pages) VALUES (?, ?, ?) "
                                 "ON CONFLICT (site, sentence) DO UPDATE SET pages = pages + excluded.pages",
                                 ((site, signed(sentence), pages) for sentence, pages in gained.items()))

    def _begin_writing(self) -> None:
        """Take the write lock, waiting for another writer up to WRITER_WAIT_SECONDS."""
        deadline = time.monotonic() + WRITER_WAIT_SECONDS
        try:
            while True:
                # SQLite waits in C, where Ctrl-C is not seen: ask again every second or less.
                wait = min(_LOCK_WAIT_SECONDS, max(deadline - time.monotonic(), 0))
                self._db.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
                try:
                    # Kept in the file once set: readers go on while a writer adds. Switching a
                    # new file to it needs a moment's lock too, hence inside the loop.
                    self._db.execute("PRAGMA journal_mode=WAL")
                    self._db.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as error:
                    if _code(error) not in (_BUSY, _LOCKED) or time.monotonic() >= deadline:
                        raise
        finally:
            self._db.execute(f"PRAGMA busy_timeout = {int(_LOCK_WAIT_SECONDS * 1000)}")

    def _make(self) -> None:
        """In the add's transaction: make the tables of a new index, or take over the index
        that another add made since this one opened the file."""
        tables = {name for (name,) in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if tables:
            params = _read_params(self.location, self._db, tables, self._wanted)
            if params != self.params:
                raise IndexProblem(f"{self.location}: another dedup process made this index meanwhile, with "
                                   f"{params.mismatch(self.params.to_record())}: run the add again")
        else:
            for statement in filter(str.strip, _SCHEMA.split(";")):
                self._db.execute(statement)  # not executescript, which would commit first
            self._db.executemany("INSERT INTO meta (name, value) VALUES (?, ?)",
                                 [("schema_version", str(SCHEMA_VERSION)), *self.params.to_record().items()])
        self._made = True

    def _roll_back(self) -> None:
        # SQLite has already rolled back after some errors (a full disk); a second failure
        # must not hide the first.
        try:
            if self._db is not None and self._db.in_transaction:
                self._db.execute("ROLLBACK")
        except sqlite3.Error:
            pass

    def close(self) -> None:
        if self._db is not None:
            self._db.close()


def _read_params(path: str, connection: sqlite3.Connection, tables: set[str], wanted: dict[str, str]) -> IndexParams:
    """The parameters of the index in `connection`'s current transaction, after the cheap
    checks that it is whole: its tables, its length, its parameters."""
    if not tables & _TABLES:
        raise IndexProblem(f"{path}: an SQLite file, but not a dedup index: give another --index path")
    if missing := sorted(_TABLES - tables):
        raise damaged(path, f"table {', '.join(missing)} missing", _REMOVE)
    _check_length(path, connection)
    meta = dict(connection.execute("SELECT name, value FROM meta"))
    params = params_from_meta(path, meta, wanted, _REMOVE)
    # Its schema is this dedup's (checked just above), so each table has this schema's
    # columns; one altered by hand would fail only the command that reads that column.
    for table, columns in _columns().items():
        found = tuple(name for _, name, *_ in connection.execute(f"PRAGMA table_info({table})"))
        if found != columns:
            raise damaged(path, f"table {table} has the columns ({', '.join(found)}), not ({', '.join(columns)})", _REMOVE)
    return params


@lru_cache(maxsize=1)
def _columns() -> dict[str, tuple[str, ...]]:
    """Each table's columns as _SCHEMA makes them (read from an index of nothing in memory)."""
    with closing(sqlite3.connect(":memory:")) as connection:
        connection.executescript(_SCHEMA)
        return {table: tuple(name for _, name, *_ in connection.execute(f"PRAGMA table_info({table})"))
                for table in sorted(_TABLES)}


def _check_length(path: str, connection: sqlite3.Connection) -> None:
    """A file cut short (a copy that stopped, a full disk while copying) is refused now,
    not when a check happens to read a missing page. Pages past the end of the file may
    live in the write-ahead log, so this holds only while the log is empty."""
    log = path + "-wal"
    if os.path.exists(log) and os.path.getsize(log) > 0:
        return
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    size = os.path.getsize(path)
    if size < pages * page_size:
        raise damaged(path, f"the file is cut short: {size:,} of {pages * page_size:,} bytes", _REMOVE)


def _stub(value: object) -> bool:
    if value not in (0, 1) or type(value) is not int:
        raise DamagedRecord(f"a stub flag {value!r} that is neither 0 nor 1")
    return bool(value)


def _key(key: object) -> bytes:
    if not isinstance(key, bytes):
        raise DamagedRecord("an exact key that is not bytes")
    return key


def _code(error: sqlite3.Error) -> int:
    return (getattr(error, "sqlite_errorcode", None) or _ERROR) & 0xFF


def _problem(path: str, error: sqlite3.Error, adding: bool = False) -> IndexProblem:
    """An SQLite error as the one line a user can act on."""
    code = _code(error)
    if code == _FULL:
        outcome = "nothing was added" if adding else "the index is unchanged"
        return IndexProblem(f"{path}: the disk is full ({error}), {outcome}: free space on {_file_system(path)} and run "
                            f"{'the add' if adding else 'the command'} again")
    if code in (_BUSY, _LOCKED) and adding:
        return IndexProblem(f"{path}: being written by another dedup process (waited {WRITER_WAIT_SECONDS:g} s): "
                            "retry when it finishes")
    if code in (_BUSY, _LOCKED):
        return IndexProblem(f"{path}: held by another dedup process ({error}): retry when it finishes")
    if code == _READONLY:
        return IndexProblem(f"{path}: cannot write the index ({error}): check the permissions of the file and its directory")
    if code in (_PERM, _AUTH, _CANTOPEN):
        return IndexProblem(f"{path}: cannot open the index ({error}): check the path and its permissions")
    if code == _IOERR:
        return IndexProblem(f"{path}: cannot read or write the index ({error}): check the disk and free space on "
                            f"{_file_system(path)}")
    if code == _NOTADB:
        return IndexProblem(f"{path}: damaged index, or not an index at all (not an SQLite file): check the path; if it is "
                            f"the index, {_REMOVE} and rebuild it with `dedup index add CORPUS --index {path}`")
    if code in (_ERROR, _CORRUPT, _MISMATCH, _FORMAT, _RANGE):  # _ERROR: a table or column gone
        return damaged(path, str(error), _REMOVE)
    return IndexProblem(f"{path}: SQLite failed ({error}): try again; if it fails again, {_REMOVE} and rebuild it with "
                        f"`dedup index add CORPUS --index {path}`")


def _file_system(path: str) -> str:
    """The mount point of the file system that holds `path`: where space must be freed."""
    place = os.path.dirname(os.path.abspath(path))
    while not os.path.ismount(place):
        place = os.path.dirname(place)
    return place


def _chunks(values: list) -> Iterator[list]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]
