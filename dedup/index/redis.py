"""A shared index in Redis (`--index redis://HOST:PORT/DB`), for a team's CI runners.

LSH buckets live in datasketch's Redis storage (MinHashLSH with a Redis storage config,
keys under "dedup:lsh"). Documents, their exact keys and the parameters live in plain
Redis structures under "dedup:", and so does the page furniture learnt per site
(`dedup.text.furniture`): "dedup:site-pages:SITE" (a set of the articles counted) and
"dedup:site-sentences:SITE" (a hash: sentence key -> pages that carry it), with
"dedup:sites" listing the sites. Story postings (why band keys and days: see
`dedup.index.sqlite`) are "dedup:story:KEY", a sorted set of the documents with that story
band key scored by publication day (UNDATED for none; "story_undated" in dedup:meta counts
those documents, so a lookup asks for them only when there are any). Needs the optional
`redis` client: pip install 'dedup[redis]'.

Checks ask in pipelines, not a round trip per document: a copy check reads datasketch's
buckets for CANDIDATE_BATCH documents at a time (the keys its `query` would read, one by
one) and its candidates' records in one more; a story check asks for every band key and
window of days of its batch in one pipeline, and reads its candidates' story evidence
(without shingles) in one more.

All or nothing, as with SQLite: an add writes its buckets first, then the documents, the
id map, the furniture counts and the new document count in one MULTI/EXEC transaction. Readers only trust
positions below that count, so a run that is killed before its transaction leaves the
index answering as before (its stray bucket entries point past the count and are
ignored; a later add that reuses those positions only gets extra candidates, which
verification drops). A new index's parameters are written in its first add's
transaction, so a first add that fails leaves no index. One writer at a time: adds take
a Redis lock, and one that waits longer than WRITER_WAIT_SECONDS gives up with a message.

Anyone can edit a Redis database, so the parameters are checked on opening and every
document as it is read (see `dedup.index.stored`); a damaged one is an `IndexProblem`.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from urllib.parse import urlparse

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
from dedup.minhash import lean_minhash
from dedup.text.furniture import MIN_PAGES

PREFIX = "dedup:"
_FIELDS = ("id", "key", "shingles", "metadata", "story", "stub")
_STORY_FIELDS = ("id", "key", "metadata", "story", "stub")  # what a story check reads of its candidates
_NO_SHINGLES = np.zeros(0, dtype=np.uint64)
_SITES = PREFIX + "sites"
# Sentences or articles asked about, or counted, per command.
_CHUNK = 1000
# How a damaged index is got rid of before it is built again (see `stored.damaged`).
_REMOVE = "delete its dedup:* keys"
# What unpickling a value that pickle did not write can raise.
# Signatures whose buckets are read in one pipeline: 42 commands each, so a few
# thousand commands and their replies per round trip.
CANDIDATE_BATCH = 100
_UNPICKLING_ERRORS = (pickle.UnpicklingError, ValueError, TypeError, EOFError, ImportError, AttributeError, IndexError,
                      KeyError, OverflowError)
# How long an add waits for another add to the same database before it gives up.
WRITER_WAIT_SECONDS = 60.0


class RedisIndex:
    def __init__(self, url: str, client, params: IndexParams, wanted: dict[str, str], made: bool) -> None:
        self.location = url
        self._redis = client
        self.params = params
        self._wanted = wanted
        self._made = made  # the database holds the index's parameters (else the first add writes them)
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
        except (redis.RedisError, ValueError) as error:
            raise IndexProblem(f"{url}: cannot reach Redis ({error}): start redis-server or fix the URL") from None
        with _talking(url):
            meta = _text_map(client.hgetall(PREFIX + "meta"))
            if not meta:
                if client.exists(PREFIX + "ids", PREFIX + "doc:0"):
                    raise damaged(url, f"documents without the parameters in {PREFIX}meta", _REMOVE)
                if not create:
                    raise IndexProblem(f"{url}: no dedup index in this Redis database: build one with "
                                       f"`dedup index add CORPUS --index {url}`")
                return cls(url, client, new_params(wanted), wanted, made=False)
            params = params_from_meta(url, meta, wanted, _REMOVE)
            _count_from(url, meta.get("count"))
        return cls(url, client, params, wanted, made=True)

    @property
    def count(self) -> int:
        if not self._made:
            return 0
        with _talking(self.location):
            return _count_from(self.location, _text(self._redis.hget(PREFIX + "meta", "count")))

    def info(self) -> dict[str, object]:
        with _talking(self.location):
            memory = int(self._redis.info("memory").get("used_memory", 0))
            stubs = _text(self._redis.hget(PREFIX + "meta", "stubs"))
            sites = sentences = 0
            for site in self._redis.smembers(_SITES):
                learnt = sum(page_count(pages) >= MIN_PAGES for pages in self._redis.hvals(_sentences_key(site)))
                sites += learnt > 0
                sentences += learnt
        return {
            "index": self.location,
            "backend": "redis",
            "schema_version": SCHEMA_VERSION,
            "documents": self.count,
            "stubs": 0 if stubs is None else _stub_count(stubs),
            "sites_with_furniture": sites,
            "furniture_sentences": sentences,
            "bytes_in_memory": memory,
            **self.params.to_record(),
        }

    def known_keys(self, ids: Sequence[str]) -> dict[str, bytes]:
        if not ids or not self._made:
            return {}
        with _talking(self.location):
            positions = self._redis.hmget(PREFIX + "ids", list(ids))
            found = {doc_id: _position(position) for doc_id, position in zip(ids, positions, strict=True) if position is not None}
            pipe = self._redis.pipeline(transaction=False)
            for position in found.values():
                pipe.hget(f"{PREFIX}doc:{position}", "page_key")
            keys = pipe.execute()
        if None in keys:
            raise damaged(self.location, f"{PREFIX}ids names a document that is not there", _REMOVE)
        return dict(zip(found, keys, strict=True))

    def furniture(self, asked: Mapping[str, tuple[Iterable[int], Iterable[int]]]) -> StoredFurniture:
        """For each site asked about with (article keys, sentence keys): the articles it has
        counted, and the pages of the site that carry each of the sentences."""
        found: StoredFurniture = {}
        if not self._made:
            return found
        with _talking(self.location):
            for site, (articles, sentences) in asked.items():
                articles, sentences = list(articles), [signed(key) for key in sentences]
                pipe = self._redis.pipeline(transaction=False)
                for start in range(0, len(articles), _CHUNK):
                    pipe.smismember(_pages_key(site), articles[start:start + _CHUNK])
                for start in range(0, len(sentences), _CHUNK):
                    pipe.hmget(_sentences_key(site), sentences[start:start + _CHUNK])
                replies = pipe.execute()
                chunks = -(-len(articles) // _CHUNK)
                members = [flag for reply in replies[:chunks] for flag in reply]
                counts = [count for reply in replies[chunks:] for count in reply]
                counted = {article for article, member in zip(articles, members, strict=True) if member}
                known = {unsigned(key): page_count(count) for key, count in zip(sentences, counts, strict=True) if count is not None}
                if counted or known:
                    found[site] = (counted, known)
        return found

    def exact(self, keys: Sequence[bytes]) -> dict[bytes, list[int]]:
        if not self._made:
            return {}
        unique = list(set(keys))
        with _talking(self.location):
            pipe = self._redis.pipeline(transaction=False)
            for key in unique:
                pipe.smembers(PREFIX + "key:" + key.hex())
            found = pipe.execute()
            count = self.count
            return {key: sorted(p for p in map(_position, members) if p < count)
                    for key, members in zip(unique, found, strict=True) if members}

    def candidates(self, signatures: np.ndarray) -> list[set[int]]:
        """For each signature, the indexed documents that share an LSH bucket with it: the
        buckets of datasketch's MinHashLSH read for CANDIDATE_BATCH signatures in one
        pipeline (its `query` makes a round trip per band, 42 per document)."""
        if not self._made:
            return [set() for _ in signatures]
        count = self.count
        found = []
        with _talking(self.location):
            for start in range(0, len(signatures), CANDIDATE_BATCH):
                batch = signatures[start:start + CANDIDATE_BATCH]
                found += [self._positions(keys, count) for keys in self._bucket_members(batch)]
        return found

    def _bucket_members(self, signatures: np.ndarray) -> list[set[bytes]]:
        """The stored (pickled) keys in the buckets of each signature, read as MinHashLSH.query reads them."""
        lsh, minhash = self._lsh, self.params.minhash
        pipe = self._redis.pipeline(transaction=False)
        for signature in signatures:
            values = lean_minhash(signature, minhash).hashvalues
            for (start, end), table in zip(lsh.hashranges, lsh.hashtables, strict=True):
                table._get_items(pipe, table.redis_key(lsh._H(values[start:end])))
        replies = pipe.execute()
        bands = len(lsh.hashtables)
        return [set().union(*replies[number * bands:(number + 1) * bands]) for number in range(len(signatures))]

    def _positions(self, keys: set[bytes], count: int) -> set[int]:
        try:
            positions = [pickle.loads(key) for key in keys] if self._lsh.prepickle else list(keys)
        except _UNPICKLING_ERRORS as error:  # datasketch keeps our positions pickled in its buckets
            raise DamagedRecord(f"the LSH buckets under {PREFIX}lsh hold a value dedup does not write "
                                f"({type(error).__name__})") from None
        if not all(type(position) is int for position in positions):
            raise DamagedRecord(f"the LSH buckets under {PREFIX}lsh hold a value dedup does not write")
        return {position for position in positions if position < count}

    def documents(self, positions: Iterable[int]) -> dict[int, StoredDocument]:
        if not self._made:
            return {}
        wanted = sorted(set(positions))
        found = {}
        with _talking(self.location):
            pipe = self._redis.pipeline(transaction=False)
            for position in wanted:
                pipe.hmget(f"{PREFIX}doc:{position}", _FIELDS)
            for position, (doc_id, key, shingles, metadata, story, stub) in zip(wanted, pipe.execute(), strict=True):
                # Callers ask only for positions below the count, which an add writes last.
                if doc_id is None or key is None or metadata is None:
                    raise DamagedRecord(f"document {position} is missing or incomplete")
                try:
                    found[position] = StoredDocument(position, article_from_record(metadata), key,
                                                     shingles_from_blob(shingles), story_from_record(story), _stub(stub))
                except DamagedRecord as error:
                    raise DamagedRecord(f"document {doc_id.decode('utf-8', 'replace')!r}: {error}") from None
        return found

    def story_candidates(self, keys: Sequence[np.ndarray], windows: Sequence[DayWindow]) -> set[int]:
        """The indexed documents that share a story band key (dedup.story.candidates) with an
        incoming document (`keys`, one row each) and were published within its window of days
        (`windows`, None: any day), or on no known day: one ZRANGE BYSCORE per band key and
        window, all in one pipeline."""
        if not self._made:
            return set()
        with _talking(self.location):
            count, undated = self._redis.hmget(PREFIX + "meta", ["count", "story_undated"])
            count = _count_from(self.location, _text(count))
            undated = 0 if undated is None else _stub_count(_text(undated), "undated story count")
            pipe = self._redis.pipeline(transaction=False)
            # The document the count names last is there: an add writes the count last, so
            # an index whose count runs past its documents is damaged, though a check that
            # reads only candidates would not come across the gap.
            pipe.exists(f"{PREFIX}doc:{count - 1}")
            for key, spans in windows_by_key(keys, windows).items():
                for window in spans:
                    pipe.zrangebyscore(_story_key(key), *(("-inf", "+inf") if window is None else window))
                if undated and spans != [None]:
                    pipe.zrangebyscore(_story_key(key), UNDATED, UNDATED)
            last_there, *replies = pipe.execute()
            if count and not last_there:
                raise DamagedRecord(f"document {count - 1} is missing or incomplete")
            found: set[int] = set()
            for members in replies:
                found.update(position for position in map(_position, members) if position < count)
        return found

    def stories(self, positions: Iterable[int] | None = None) -> list[StoredDocument]:
        """The documents that have story evidence, shingles left out: all of them, or those
        at `positions` (a check's story candidates), in one pipeline."""
        if not self._made:
            return []
        wanted = sorted(set(range(self.count) if positions is None else positions))
        found = []
        with _talking(self.location):
            pipe = self._redis.pipeline(transaction=False)
            for position in wanted:
                pipe.hmget(f"{PREFIX}doc:{position}", _STORY_FIELDS)
            for position, (doc_id, key, metadata, story, stub) in zip(wanted, pipe.execute(), strict=True):
                if doc_id is None or key is None or metadata is None:
                    raise DamagedRecord(f"document {position} is missing or incomplete")
                if story is None:
                    continue
                try:
                    found.append(StoredDocument(position, article_from_record(metadata), key, _NO_SHINGLES,
                                                story_from_record(story), _stub(stub)))
                except DamagedRecord as error:
                    raise DamagedRecord(f"document {doc_id.decode('utf-8', 'replace')!r}: {error}") from None
        return found

    def add(self, documents: Iterable[NewDocument], furniture: FurnitureAdditions | None = None) -> int:
        with _talking(self.location, adding=True):
            lock = self._redis.lock(PREFIX + "writer", timeout=3600, blocking_timeout=WRITER_WAIT_SECONDS)
            if not lock.acquire():
                raise IndexProblem(f"{self.location}: being written by another dedup process (waited "
                                   f"{WRITER_WAIT_SECONDS:g} s): retry when it finishes")
            try:
                return self._add(documents, furniture or {})
            finally:
                lock.release()

    def _add(self, documents: Iterable[NewDocument], furniture: FurnitureAdditions) -> int:
        made = self._made
        if not made:
            self._take_over()
        start = self.count
        transaction = self._redis.pipeline(transaction=True)
        added = stubs = undated = 0
        with self._lsh.insertion_session() as session:
            for document in documents:
                position = start + added
                session.insert(position, lean_minhash(document.signature, self.params.minhash), check_duplication=False)
                record = {"id": document.article.id, "key": document.key, "page_key": document.page_key,
                          "shingles": np.ascontiguousarray(document.shingles, dtype=np.uint64).tobytes(),
                          "metadata": article_record(document.article), "stub": int(document.stub)}
                if document.story is not None:
                    record["story"] = story_record(document.story)
                transaction.hset(f"{PREFIX}doc:{position}", mapping=record)
                transaction.hset(PREFIX + "ids", document.article.id, position)
                transaction.sadd(PREFIX + "key:" + document.key.hex(), position)
                if document.story_keys is not None and len(document.story_keys):
                    day = document.story_day
                    for key in document.story_keys.view(np.int64).tolist():
                        transaction.zadd(_story_key(key), {position: day})
                    undated += day == UNDATED
                added += 1
                stubs += document.stub
        for site, (articles, gained) in furniture.items():
            articles = list(articles)
            for begin in range(0, len(articles), _CHUNK):
                transaction.sadd(_pages_key(site), *articles[begin:begin + _CHUNK])
            for sentence, pages in gained.items():
                transaction.hincrby(_sentences_key(site), signed(sentence), pages)
            transaction.sadd(_SITES, site)
        if stubs:
            transaction.hincrby(PREFIX + "meta", "stubs", stubs)
        if undated:
            transaction.hincrby(PREFIX + "meta", "story_undated", undated)
        if not self._made:
            if not added:
                return 0  # an index of nothing is not made
            transaction.hset(PREFIX + "meta", mapping={"schema_version": str(SCHEMA_VERSION), **self.params.to_record()})
        transaction.hset(PREFIX + "meta", "count", start + added)
        transaction.execute()
        self._made = True
        return added

    def _take_over(self) -> None:
        """Under the lock: an index another add made since this one opened the database is
        used if its parameters are ours."""
        meta = _text_map(self._redis.hgetall(PREFIX + "meta"))
        if meta:
            params = params_from_meta(self.location, meta, self._wanted, _REMOVE)
            if params != self.params:
                raise IndexProblem(f"{self.location}: another dedup process made this index meanwhile, with "
                                   f"{params.mismatch(self.params.to_record())}: run the add again")
            self._made = True

    def close(self) -> None:
        self._redis.close()


@contextmanager
def _talking(url: str, adding: bool = False) -> Iterator[None]:
    """Redis errors and damaged records as one line naming the index."""
    import redis  # noqa: PLC0415

    try:
        yield
    except DamagedRecord as error:
        raise damaged(url, str(error), _REMOVE) from None
    except (redis.exceptions.OutOfMemoryError, redis.exceptions.ExecAbortError) as error:
        # Redis's full disk: refused before the transaction, so the count, and the index, stay as they were
        outcome = "nothing was added" if adding else "the index is unchanged"
        raise IndexProblem(f"{url}: Redis is out of memory ({_brief(error)}), {outcome}: raise its maxmemory or free "
                           "memory, and run the command again") from None
    except redis.exceptions.ResponseError as error:
        # WRONGTYPE and the like: a key of ours holds something dedup does not write
        raise damaged(url, _brief(error), _REMOVE) from None
    except redis.exceptions.LockError as error:
        raise IndexProblem(f"{url}: lost the writer's lock ({_brief(error)}): run the add again") from None
    except redis.RedisError as error:
        raise IndexProblem(f"{url}: lost the connection to Redis ({_brief(error)}): check the server and run the "
                           "command again") from None


def _pages_key(site: str | bytes) -> bytes:
    return (PREFIX + "site-pages:").encode() + (site if isinstance(site, bytes) else site.encode("utf-8", "surrogatepass"))


def _sentences_key(site: str | bytes) -> bytes:
    return (PREFIX + "site-sentences:").encode() + (site if isinstance(site, bytes) else site.encode("utf-8", "surrogatepass"))


def _stub_count(value: object, what: str = "stub count") -> int:
    """A count dedup:meta keeps (stubs, undated story documents), checked."""
    if not (isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 20):
        raise DamagedRecord(f"its {what} in {PREFIX}meta is {str(value)[:40]!r}, not a number")
    return int(value)


def _stub(value: object) -> bool:
    if value not in (b"0", b"1", None):  # None: a document written without the flag counts as no stub
        raise DamagedRecord(f"a stub flag {str(value)[:40]!r} that is neither 0 nor 1")
    return value == b"1"


def _brief(error: Exception) -> str:
    """Redis's own words, without the pipeline command (and its binary arguments) they quote."""
    text = str(error)
    _, found, cause = text.partition(" of pipeline caused error: ")
    text = cause if found else text
    return text if len(text) <= 100 else text[:97] + "..."


def _text(value: object) -> object:
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            raise DamagedRecord("a value in its parameters that is not UTF-8 text") from None
    return value


def _text_map(raw: dict) -> dict[str, object]:
    return {_text(name): _text(value) for name, value in raw.items()}


def _count_from(url: str, value: object) -> int:
    if not (isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 20):
        shown = "missing" if value is None else f"{str(value)[:40]!r}"
        raise damaged(url, f"its document count in {PREFIX}meta is {shown}, not a number", _REMOVE)
    return int(value)


def _story_key(key: int) -> str:
    """The documents with this story band key, scored by their publication day (UNDATED: none)."""
    return f"{PREFIX}story:{key}"


def _position(value: bytes) -> int:
    if not (value.isascii() and value.isdigit() and len(value) <= 20):
        raise DamagedRecord(f"a document position {value[:40].decode('utf-8', 'replace')!r} that is not a number")
    return int(value)


def _datasketch_lsh(url: str, params: IndexParams):
    from datasketch import MinHashLSH  # noqa: PLC0415

    parsed = urlparse(url)
    database = int((parsed.path or "/0").lstrip("/") or 0)
    connection = {"host": parsed.hostname or "localhost", "port": parsed.port or 6379, "db": database}
    if parsed.password:
        connection["password"] = parsed.password
    storage = {"type": "redis", "basename": (PREFIX + "lsh").encode(), "redis": connection}
    return MinHashLSH(num_perm=params.minhash.num_perm, params=(params.bands, params.rows), storage_config=storage)

