"""What happens to a persistent index when things go wrong (issue 14): it was edited or
cut short behind dedup's back, `dedup index add` was killed, two adds ran at once, the
disk filled up, the options were refused.

Each fault ends in one line on stderr that names the index and the fix (exit 2), never a
traceback, and an add is all or nothing: afterwards the index holds exactly the documents
it held before the add or those it holds after it.

The SIGKILL test kills a real `python -m dedup index add` of 2,000 generated documents at
20 seeded points spread over the run's length. The full-disk test mounts a 1 MB tmpfs
(root only; skipped elsewhere), and a simulated full database (SQLite's max_page_count)
runs everywhere. The Redis cases use test_check's redis-server fixture.
"""

from __future__ import annotations

import json
import os
import pickle
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO_ROOT, _child_env, run_dedup_process

import dedup.index.redis
import dedup.index.sqlite
from dedup.index.sqlite import SqliteIndex

KILLS = 20
ADDED = 2000  # documents in the add that is killed: enough that kills land while it writes


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, articles):
    """Twenty generated articles to index, a batch with a copy of one of them, and the
    JSONL of ADDED further articles that the fault tests add."""
    root = tmp_path_factory.mktemp("corpus")
    for seed in range(20):
        articles.write(root / "indexed" / f"a{seed:02}.txt", seed=seed, title=articles.title(seed))
    articles.write(root / "batch" / "reprint.txt", text=articles.edited_copy(articles.text(7)), title="Nachdruck")
    articles.write(root / "batch" / "fresh.txt", seed=501)
    articles.write_jsonl(root / "added.jsonl", [{"id": f"add{n}", "text": articles.text(50_000 + n, sentences=6)}
                                                for n in range(ADDED)])
    return root


@pytest.fixture(scope="module")
def base_index(corpus, tmp_path_factory):
    """An SQLite index of the twenty articles; tests work on copies of it."""
    path = tmp_path_factory.mktemp("base") / "base.index"
    done = run_dedup_process("index", "add", corpus / "indexed", "--index", path, "--jobs", "1")
    assert done.code == 0, done.stderr
    return path


BEFORE = {f"a{seed:02}.txt" for seed in range(20)}
AFTER = BEFORE | {f"add{n}" for n in range(ADDED)}


def copy_of(base: Path, path: Path) -> Path:
    shutil.copyfile(base, path)
    return path


def held(path: Path) -> set[str]:
    """The ids the index at `path` holds, after checking that it opens, that each of its
    records reads back whole and that SQLite finds the file sound."""
    index = SqliteIndex.open(str(path), {}, create=False)
    try:
        ids = set(index.known_keys(sorted(AFTER)))
        assert index.count == len(ids)
        assert len(index.documents(range(index.count))) == len(ids)
    finally:
        index.close()
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        connection.close()
    return ids


def assert_one_line(run, *parts: str) -> None:
    assert run.code == 2, run.stderr
    assert run.stderr.count("\n") == 1 and run.stderr.startswith("dedup: "), run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    for part in parts:
        assert part in run.stderr, run.stderr


# --- an index changed behind dedup's back: "damaged index", the file and the fix ------------


def _sql(statement: str):
    def tamper(path: Path) -> None:
        with sqlite3.connect(path) as connection:
            connection.execute(statement)
        connection.close()
    return tamper


def _overwrite(data: bytes):
    def tamper(path: Path) -> None:
        path.write_bytes(data)
    return tamper


def _cut(keep: float):
    """Keep a share (a float) or a number of bytes (an int) of the file."""
    def tamper(path: Path) -> None:
        data = path.read_bytes()
        path.write_bytes(data[: int(len(data) * keep) if isinstance(keep, float) else keep])
    return tamper


META = ("schema_version", "shingles", "num_perm", "seed", "scheme", "bands", "rows")
# name -> (how the file is damaged, whether opening it already tells)
SQLITE_DAMAGE = {
    **{f"meta {name} deleted": (_sql(f"DELETE FROM meta WHERE name = '{name}'"), True) for name in META},
    "num_perm not a number": (_sql("UPDATE meta SET value = 'abc' WHERE name = 'num_perm'"), True),
    "seed negative": (_sql("UPDATE meta SET value = '-1' WHERE name = 'seed'"), True),
    "rows zero": (_sql("UPDATE meta SET value = '0' WHERE name = 'rows'"), True),
    "more bands than permutations": (_sql("UPDATE meta SET value = '999' WHERE name = 'bands'"), True),
    "shingles not a size": (_sql("UPDATE meta SET value = 'word:x' WHERE name = 'shingles'"), True),
    "scheme unknown": (_sql("UPDATE meta SET value = 'affine16' WHERE name = 'scheme'"), True),
    "parameter a blob": (_sql("UPDATE meta SET value = x'00ff' WHERE name = 'seed'"), True),
    "table buckets dropped": (_sql("DROP TABLE buckets"), True),
    "table meta dropped": (_sql("DROP TABLE meta"), True),
    "table documents dropped": (_sql("DROP TABLE documents"), True),
    "table site_sentences dropped": (_sql("DROP TABLE site_sentences"), True),
    "stub flag not 0 or 1": (_sql("UPDATE documents SET stub = 7"), False),
    "column story dropped": (_sql("ALTER TABLE documents DROP COLUMN story"), False),
    "shingle blob of 7 bytes": (_sql("UPDATE documents SET shingles = x'01020304050607'"), False),
    "shingles out of order": (_sql("UPDATE documents SET shingles = x'02000000000000000100000000000000'"), False),
    "signature blob of 7 bytes": (_sql("UPDATE documents SET signature = x'01020304050607'"), False),
    "story not JSON": (_sql("UPDATE documents SET story = '{\"lang\": \"de\", '"), False),
    "story a list": (_sql("UPDATE documents SET story = '[1, 2]'"), False),
    "story without stems": (_sql("UPDATE documents SET story = '{\"lang\": \"de\", \"day\": null}'"), False),
    "story names not words": (_sql("UPDATE documents SET story = json_set(story, '$.names', json('[1, 2]'))"), False),
    "story nested too deep": (_sql("UPDATE documents SET story = '" + "[" * 100_000 + "'"), False),
    "metadata not JSON": (_sql("UPDATE documents SET metadata = 'not json'"), False),
    "metadata of another shape": (_sql("UPDATE documents SET metadata = '{\"headline\": 1}'"), False),
    "metadata title a number": (_sql("UPDATE documents SET metadata = json_set(metadata, '$.title', 7)"), False),
    "exact key text": (_sql("UPDATE documents SET exact_key = 'abc'"), False),
    "truncated to half": (_cut(0.5), True),
    "truncated to two pages": (_cut(8192), True),
    "truncated by a byte": (_cut(-1), True),
    "SQLite header, then noise": (_overwrite(b"SQLite format 3\x00" + random.Random(14).randbytes(3000)), True),
}


@pytest.mark.parametrize("damage", list(SQLITE_DAMAGE))
def test_a_damaged_index_is_one_line_naming_it_and_the_fix(damage, base_index, corpus, tmp_path, dedup_cli):
    tamper, found_on_opening = SQLITE_DAMAGE[damage]
    index = copy_of(base_index, tmp_path / "damaged.index")
    tamper(index)
    fix = f"delete the file and rebuild it with `dedup index add CORPUS --index {index}`"
    # A check reads the candidates' records and every story record: whatever is damaged is met.
    assert_one_line(dedup_cli("check", corpus / "batch", "--against", index, "--mode", "all"),
                    f"dedup: {index}: damaged index", fix)
    if found_on_opening:
        assert_one_line(dedup_cli("index", "info", "--index", index), f"dedup: {index}: damaged index", fix)
        assert_one_line(dedup_cli("index", "add", corpus / "batch", "--index", index, "--jobs", "1"),
                        f"dedup: {index}: damaged index", fix)


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(corpus, tmp_path, dedup_cli):
    # Perhaps not a damaged index at all but the wrong path (a corpus file): never written to.
    index = tmp_path / "notes.txt"
    index.write_text("these are my notes, not an index\n" * 10, encoding="utf-8")
    before = index.read_bytes()
    for run in (dedup_cli("check", corpus / "batch", "--against", index),
                dedup_cli("index", "add", corpus / "batch", "--index", index, "--jobs", "1")):
        assert_one_line(run, f"dedup: {index}: damaged index, or not an index at all (not an SQLite file): check the "
                             f"path; if it is the index, delete the file and rebuild it")
    assert index.read_bytes() == before


def test_another_programs_database_is_refused_and_left_alone(corpus, tmp_path, dedup_cli):
    index = tmp_path / "app.db"
    with sqlite3.connect(index) as connection:
        connection.execute("CREATE TABLE users (name TEXT)")
    connection.close()
    before = index.read_bytes()
    assert_one_line(dedup_cli("index", "add", corpus / "batch", "--index", index, "--jobs", "1"),
                    f"dedup: {index}: an SQLite file, but not a dedup index: give another --index path")
    assert index.read_bytes() == before


def test_an_empty_file_is_no_index_to_check_and_a_new_one_to_add_to(corpus, tmp_path, dedup_cli):
    # A 0-byte file is what an interrupted first add leaves at most: no index yet, not a damaged one.
    index = tmp_path / "empty.index"
    index.touch()
    assert_one_line(dedup_cli("check", corpus / "batch", "--against", index),
                    f"dedup: {index}: an empty file, no index yet", f"`dedup index add CORPUS --index {index}`")
    assert_one_line(dedup_cli("index", "info", "--index", index), "an empty file, no index yet")
    assert dedup_cli("index", "add", corpus / "indexed", "--index", index, "--jobs", "1").code == 0
    assert held(index) == BEFORE


# --- the same for Redis, where the parameters are a hash and each document another -------------


def _redis_build(url: str, corpus: Path, dedup_cli):
    import redis

    client = redis.Redis.from_url(url)
    client.flushdb()
    run = dedup_cli("index", "add", corpus / "indexed", "--index", url, "--jobs", "1")
    assert run.code == 0, run.stderr
    return client


REDIS_DAMAGE = {
    **{f"meta {name} deleted": (lambda client, name=name: client.hdel("dedup:meta", name), True)
       for name in (*META, "count")},
    "num_perm not a number": (lambda client: client.hset("dedup:meta", "num_perm", "abc"), True),
    "count not a number": (lambda client: client.hset("dedup:meta", "count", "many"), True),
    "parameter not UTF-8": (lambda client: client.hset("dedup:meta", "shingles", b"\xff\xfe"), True),
    "meta hash deleted": (lambda client: client.delete("dedup:meta"), True),
    "meta a string": (lambda client: client.delete("dedup:meta") and client.set("dedup:meta", "x"), True),
    "count past the documents": (lambda client: client.hset("dedup:meta", "count", "25"), False),
    "a document deleted": (lambda client: client.delete("dedup:doc:7"), False),
    "shingle blob of 7 bytes": (lambda client: _every_document(client, "shingles", b"\x01" * 7), False),
    "story not JSON": (lambda client: _every_document(client, "story", "{nope"), False),
    "story a list": (lambda client: _every_document(client, "story", "[1, 2]"), False),
    "metadata not JSON": (lambda client: _every_document(client, "metadata", "not json"), False),
    "stub flag not 0 or 1": (lambda client: _every_document(client, "stub", "yes"), False),
    "metadata of another shape": (lambda client: _every_document(client, "metadata", '{"headline": 1}'), False),
    "a document a string": (lambda client: client.delete("dedup:doc:7") and client.set("dedup:doc:7", "x"), False),
    "an LSH bucket not pickled": (lambda client: _every_bucket(client, b"garbage"), False),
    "an LSH bucket holding text": (lambda client: _every_bucket(client, pickle.dumps("a07.txt")), False),
}


def _every_bucket(client, value: bytes) -> None:
    for key in client.scan_iter(match=b"dedup:lsh*"):
        if client.type(key) == b"set":
            client.sadd(key, value)


def _every_document(client, field: str, value) -> None:
    for position in range(20):
        client.hset(f"dedup:doc:{position}", field, value)


@pytest.mark.parametrize("damage", list(REDIS_DAMAGE))
def test_a_damaged_redis_index_is_one_line_naming_it_and_the_fix(damage, redis_url, corpus, dedup_cli):  # noqa: F811
    url = f"{redis_url}/1"
    tamper, found_on_opening = REDIS_DAMAGE[damage]
    tamper(_redis_build(url, corpus, dedup_cli))
    fix = f"delete its dedup:* keys and rebuild it with `dedup index add CORPUS --index {url}`"
    assert_one_line(dedup_cli("check", corpus / "batch", "--against", url, "--mode", "all"),
                    f"dedup: {url}: damaged index (", fix)
    if found_on_opening:
        assert_one_line(dedup_cli("index", "info", "--index", url), f"dedup: {url}: damaged index (", fix)


@pytest.mark.parametrize("damage", ["not a number", "zero", "negative"])
def test_damaged_furniture_counts_are_one_line(damage, index_location, tmp_path, dedup_cli):
    """The per-site counts page furniture is learnt from (dedup.text.furniture) are read
    when a page of the same site comes in; a count dedup cannot have written is damage."""
    pages = [{"id": f"p{n}", "text": f"Teaser number {n} of the day.\nJetzt weiterlesen mit dem Abo.", "title": f"T{n}",
              "source": "Paywall Daily"} for n in range(5)]
    (tmp_path / "indexed.jsonl").write_text("".join(json.dumps(page) + "\n" for page in pages[:4]), encoding="utf-8")
    (tmp_path / "new.jsonl").write_text(json.dumps(pages[4]) + "\n", encoding="utf-8")
    assert dedup_cli("index", "add", tmp_path / "indexed.jsonl", "--index", index_location, "-q").code == 0
    value = {"not a number": "many", "zero": 0, "negative": -3}[damage]
    if index_location.startswith("redis://"):
        import redis  # noqa: PLC0415 -- the optional client, as the Redis index imports it

        client = redis.Redis.from_url(index_location)
        key = b"dedup:site-sentences:paywall daily"
        for sentence in client.hkeys(key):
            client.hset(key, sentence, value)
        fix = f"delete its dedup:* keys and rebuild it with `dedup index add CORPUS --index {index_location}`"
    else:
        _sql(f"UPDATE site_sentences SET pages = {value!r}")(Path(index_location))
        fix = f"delete the file and rebuild it with `dedup index add CORPUS --index {index_location}`"
    assert_one_line(dedup_cli("check", tmp_path / "new.jsonl", "--against", index_location),
                    f"dedup: {index_location}: damaged index (a furniture count", fix)


def test_a_redis_id_map_that_names_no_number_is_damage(redis_url, corpus, dedup_cli):  # noqa: F811
    url = f"{redis_url}/1"
    _redis_build(url, corpus, dedup_cli).hset("dedup:ids", "a03.txt", "three")
    # Adding the corpus again looks its ids up in the id map.
    assert_one_line(dedup_cli("index", "add", corpus / "indexed", "--index", url, "--jobs", "1"),
                    f"dedup: {url}: damaged index (a document position 'three' that is not a number)")


def test_redis_out_of_memory_during_add_is_one_line_and_leaves_the_index_unchanged(redis_url, corpus, dedup_cli):  # noqa: F811
    # Redis's full disk: maxmemory reached, with nothing to evict.
    url = f"{redis_url}/3"
    client = _redis_build(url, corpus, dedup_cli)
    client.config_set("maxmemory", client.info("memory")["used_memory"] + 1_000_000)
    try:
        run = dedup_cli("index", "add", corpus / "added.jsonl", "--index", url, "--jobs", "1")
    finally:
        client.config_set("maxmemory", 0)
    assert_one_line(run, f"dedup: {url}: Redis is out of memory (command not allowed when used memory > 'maxmemory'.), "
                         "nothing was added: raise its maxmemory or free memory, and run the command again")
    assert client.hget("dedup:meta", "count") == b"20"
    client.flushdb()


# --- a killed add: the documents before it or after it, nothing between ---------------------


def _start_add(corpus_file: Path, index: Path) -> subprocess.Popen:
    # Its own session, so the kill reaches any worker processes too.
    return subprocess.Popen([sys.executable, "-m", "dedup", "index", "add", corpus_file, "--index", index, "--jobs", "1"],
                            env=_child_env(), cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:  # not made yet, or removed as the add closed the index
        return 0


def _holds_the_write_lock(index: Path) -> bool:
    """Whether another process is inside a write transaction on the index (an add that has
    begun and not yet committed): SQLite then refuses a second writer at once."""
    probe = sqlite3.connect(index, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:  # database is locked
        return True
    finally:
        probe.close()


def _kill(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:  # it had finished
        pass
    process.wait()


def test_a_killed_add_leaves_the_documents_before_or_after_it(base_index, corpus, tmp_path):
    reference = copy_of(base_index, tmp_path / "reference.index")
    started = time.monotonic()
    assert _start_add(corpus / "added.jsonl", reference).wait() == 0
    duration = time.monotonic() - started
    assert held(reference) == AFTER
    rng = random.Random(14)
    writing, finished = 0, 0
    for run in range(KILLS):
        index = copy_of(base_index, tmp_path / f"killed-{run}.index")
        process = _start_add(corpus / "added.jsonl", index)
        # One point in each twentieth of the run, so start-up, reading, writing and the
        # commit all get their kills.
        time.sleep(duration * (run + rng.random()) / KILLS)
        writing += _holds_the_write_lock(index)
        _kill(process)
        ids = held(index)
        assert ids in (BEFORE, AFTER), f"kill {run}: {len(ids - BEFORE)} of the {ADDED} added documents kept"
        finished += ids == AFTER
    print(f"{KILLS} kills over {duration:.1f} s: {writing} inside the add's transaction, {finished} after it committed")
    assert writing >= KILLS // 4, f"only {writing} kills landed inside the add's transaction: make the corpus larger"
    assert finished < KILLS


def test_a_killed_first_add_leaves_no_index(corpus, tmp_path, dedup_cli):
    index = tmp_path / "first.index"
    wal = Path(f"{index}-wal")
    process = _start_add(corpus / "added.jsonl", index)
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline and _size(wal) < 100_000:
        time.sleep(0.01)
    assert process.poll() is None, "the add finished before it could be killed: make the corpus larger"
    _kill(process)
    # The new index's tables are made in the add's transaction, so none were kept.
    assert_one_line(dedup_cli("check", corpus / "batch", "--against", index), "an empty file, no index yet")
    assert dedup_cli("index", "add", corpus / "indexed", "--index", index, "--jobs", "1").code == 0
    assert held(index) == BEFORE


# --- two writers at once: they take turns, or the second is refused in one line ---------------


@pytest.mark.parametrize("start", ["new index", "existing index"])
def test_two_adds_at_once_take_turns(start, base_index, corpus, tmp_path, articles):
    index = tmp_path / "shared.index"
    if start == "existing index":
        copy_of(base_index, index)
    halves = {}
    for name, seeds in (("left", 100_000), ("right", 200_000)):
        records = [{"id": f"{name}{n}", "text": articles.text(seeds + n, sentences=6)} for n in range(600)]
        halves[name] = articles.write_jsonl(tmp_path / f"{name}.jsonl", records), {record["id"] for record in records}
    processes = {name: subprocess.Popen([sys.executable, "-m", "dedup", "index", "add", path, "--index", index,
                                         "--jobs", "1", "--quiet"], env=_child_env(), cwd=REPO_ROOT,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for name, (path, _) in halves.items()}
    expected = set(BEFORE) if start == "existing index" else set()
    for name, process in processes.items():
        _, stderr = process.communicate(timeout=180)
        stderr = stderr.decode()
        if process.returncode == 0:
            assert stderr == ""
            expected |= halves[name][1]
        else:
            # Allowed, though with a minute's wait these adds take turns.
            assert process.returncode == 2 and stderr == (
                f"dedup: {index}: being written by another dedup process (waited "
                f"{dedup.index.sqlite.WRITER_WAIT_SECONDS:g} s): retry when it finishes\n")
    index_ids = SqliteIndex.open(str(index), {}, create=False)
    try:
        every = sorted(BEFORE | halves["left"][1] | halves["right"][1])
        assert set(index_ids.known_keys(every)) == expected and index_ids.count == len(expected)
    finally:
        index_ids.close()


def test_an_add_that_waits_too_long_for_another_writer_is_refused(base_index, corpus, tmp_path, dedup_cli, monkeypatch):
    monkeypatch.setattr(dedup.index.sqlite, "WRITER_WAIT_SECONDS", 0.5)
    index = copy_of(base_index, tmp_path / "busy.index")
    other_writer = sqlite3.connect(index, isolation_level=None)
    other_writer.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        run = dedup_cli("index", "add", corpus / "batch", "--index", index, "--jobs", "1")
        assert time.monotonic() - started < 5
    finally:
        other_writer.execute("ROLLBACK")
        other_writer.close()
    assert_one_line(run)
    assert run.stderr == f"dedup: {index}: being written by another dedup process (waited 0.5 s): retry when it finishes\n"
    assert held(index) == BEFORE


def test_a_redis_add_that_waits_too_long_for_another_writer_is_refused(redis_url, corpus, dedup_cli, monkeypatch):  # noqa: F811
    monkeypatch.setattr(dedup.index.redis, "WRITER_WAIT_SECONDS", 0.5)
    url = f"{redis_url}/2"
    client = _redis_build(url, corpus, dedup_cli)
    lock = client.lock("dedup:writer", timeout=60)
    assert lock.acquire(blocking=False)
    try:
        run = dedup_cli("index", "add", corpus / "batch", "--index", url, "--jobs", "1")
    finally:
        lock.release()
    assert run.code == 2
    assert run.stderr == f"dedup: {url}: being written by another dedup process (waited 0.5 s): retry when it finishes\n"
    assert client.hget("dedup:meta", "count") == b"20"


# --- a full disk: one line naming the index and where to free space; nothing added -----------


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MB tmpfs, where this machine lets the tests mount one (root in a container)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root; the simulated full database covers the same path")
    place = tmp_path / "small-disk"
    place.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(place)], capture_output=True, text=True,
                             check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip()}); the simulated full database covers the same path")
    yield place
    if subprocess.run(["umount", str(place)], capture_output=True, check=False).returncode != 0:
        subprocess.run(["umount", "-l", str(place)], capture_output=True, check=False)  # lazily, once nothing uses it


def test_a_full_disk_during_add_is_one_line_and_leaves_the_index_unchanged(small_disk, base_index, corpus):
    index = copy_of(base_index, small_disk / "full.index")
    run = run_dedup_process("index", "add", corpus / "added.jsonl", "--index", index, "--jobs", "1")
    assert_one_line(run)
    assert run.stderr == (f"dedup: {index}: the disk is full (database or disk is full), nothing was added: "
                          f"free space on {small_disk} and run the add again\n")
    assert os.listdir(small_disk) == ["full.index"]  # the failed add's log went when it closed the index
    assert held(index) == BEFORE


def test_a_full_database_during_add_is_one_line_and_leaves_the_index_unchanged(base_index, corpus, tmp_path, dedup_cli,
                                                                                 monkeypatch):
    connect = dedup.index.sqlite._connect

    def nearly_full(path: str) -> sqlite3.Connection:
        # SQLite answers a write past max_page_count as it answers ENOSPC: SQLITE_FULL.
        connection = connect(path)
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages + 16}")
        return connection

    monkeypatch.setattr(dedup.index.sqlite, "_connect", nearly_full)
    index = copy_of(base_index, tmp_path / "full.index")
    run = dedup_cli("index", "add", corpus / "added.jsonl", "--index", index, "--jobs", "1")
    assert_one_line(run, f"dedup: {index}: the disk is full (database or disk is full), nothing was added: free space on ",
                    " and run the add again")
    monkeypatch.undo()
    assert held(index) == BEFORE


# --- refused options leave no index file behind -----------------------------------------------


@pytest.mark.parametrize("options", [
    ["--num-perm", "0"], ["--num-perm", "abc"], ["--seed", "-1"], ["--shingles", "char:0"], ["--jobs", "0"],
    ["--encoding", "no-such-codec"], ["--encoding", "base64"],
], ids=" ".join)
def test_refused_options_leave_no_index_file(options, corpus, tmp_path, dedup_cli):
    index = tmp_path / "new.index"
    run = dedup_cli("index", "add", corpus / "indexed", "--index", index, *options)
    assert_one_line(run)
    assert list(tmp_path.iterdir()) == []
