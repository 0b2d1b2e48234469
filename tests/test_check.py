"""The persistent index and the CI gate: `dedup index add|info` and `dedup check`.

Every check test runs twice: against an SQLite file and against a real Redis server
(conftest's `index_location` and `redis_url`).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import REPO_ROOT, _child_env

from dedup.index.stored import SCHEMA_VERSION

SEEDS = ("dw-2021-12-31-biden-warnt-putin.txt", "derstandard-apa-2021-12-30-biden-putin-telefonat.txt")


@pytest.fixture
def corpus(tmp_path, articles):
    """Twenty generated articles for the index, and two incoming batches: one that brings a
    copy of an indexed article, one that brings only new ones."""
    indexed = tmp_path / "indexed"
    for seed in range(20):
        articles.write(indexed / f"a{seed:02}.txt", seed=seed, title=articles.title(seed))
    with_copy = tmp_path / "with-copy"
    articles.write(with_copy / "reprint.txt", text=articles.edited_copy(articles.text(7)), title="Nachdruck")
    articles.write(with_copy / "fresh.txt", seed=501)
    clean = tmp_path / "clean"
    articles.write(clean / "fresh-1.txt", seed=601)
    articles.write(clean / "fresh-2.txt", seed=602)
    return indexed, with_copy, clean


def run(*args, cwd: Path | None = None):
    completed = subprocess.run([sys.executable, "-m", "dedup", *map(str, args)], capture_output=True, env=_child_env(),
                               cwd=cwd or REPO_ROOT, timeout=300)
    return completed.returncode, completed.stdout.decode(), completed.stderr.decode()


@pytest.fixture
def built(index_location, corpus):
    indexed, with_copy, clean = corpus
    code, _, stderr = run("index", "add", indexed, "--index", index_location)
    assert code == 0, stderr
    return index_location, with_copy, clean


def test_a_batch_with_a_copy_fails_and_a_clean_batch_passes(built):
    location, with_copy, clean = built
    code, stdout, stderr = run("check", with_copy, "--against", location, "--format", "json")
    assert code == 1, stderr
    report = json.loads(stdout)
    assert report["schema"] == "dedup.check/1" and report["failed"] is True
    assert [(f["document"], f["other"], f["relation"], f["other_in_index"]) for f in report["findings"]] == [
        ("reprint.txt", "a07.txt", "copy", True)
    ]
    code, stdout, stderr = run("check", clean, "--against", location, "--format", "json")
    assert code == 0, stderr
    assert json.loads(stdout)["findings"] == []


def test_sarif_has_the_schema_rules_locations_and_stable_fingerprints(built, tmp_path):
    location, with_copy, _ = built
    code, stdout, _ = run("check", with_copy, "--against", location, "--format", "sarif")
    assert code == 1
    sarif = json.loads(stdout)
    assert sarif["version"] == "2.1.0" and sarif["$schema"].endswith("sarif-2.1.0.json")
    (run_,) = sarif["runs"]
    assert run_["tool"]["driver"]["name"] == "dedup"
    assert {rule["id"] for rule in run_["tool"]["driver"]["rules"]} == {"dedup/duplicate", "dedup/copy", "dedup/story"}
    (result,) = run_["results"]
    assert result["ruleId"] == "dedup/copy" and result["level"] == "error"
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"].endswith("with-copy/reprint.txt")
    assert physical["region"]["startLine"] == 1
    fingerprint = result["partialFingerprints"]["dedupPair/v1"]
    assert len(fingerprint) == 32
    again = json.loads(run("check", with_copy, "--against", location, "--format", "sarif")[1])
    assert again["runs"][0]["results"][0]["partialFingerprints"]["dedupPair/v1"] == fingerprint


def test_junit_has_a_case_per_document_and_a_failure_for_the_copy(built, tmp_path):
    location, with_copy, _ = built
    report = tmp_path / "junit.xml"
    code, _, stderr = run("check", with_copy, "--against", location, "--format", "junit", "-o", report)
    assert code == 1
    assert "FAILED" in stderr
    suite = ElementTree.parse(report).getroot().find("testsuite")
    assert suite.get("tests") == "2" and suite.get("failures") == "1"
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert set(cases) == {"reprint.txt", "fresh.txt"}
    assert cases["reprint.txt"].find("failure").get("type") == "copy"
    assert cases["fresh.txt"].find("failure") is None


def test_github_annotations_point_at_the_file(built):
    location, with_copy, _ = built
    code, stdout, _ = run("check", with_copy, "--against", location, "--format", "github")
    assert code == 1
    (annotation,) = [line for line in stdout.splitlines() if line.startswith("::error ")]
    assert "reprint.txt,line=1,title=dedup%3A copy::reprint.txt is a copy of a07.txt" in annotation


def test_a_baseline_accepts_recorded_findings(built, tmp_path):
    location, with_copy, _ = built
    baseline = tmp_path / "decisions.json"
    code, _, stderr = run("check", with_copy, "--against", location, "--baseline", baseline, "--update-baseline")
    assert code == 0, stderr
    decisions = json.loads(baseline.read_text(encoding="utf-8"))
    assert decisions["schema"] == "dedup.decisions/1"
    assert [(d["members"], d["decision"]) for d in decisions["decisions"]] == [(["reprint.txt", "a07.txt"], "duplicate")]
    code, stdout, _ = run("check", with_copy, "--against", location, "--baseline", baseline, "--format", "json")
    assert code == 0
    (finding,) = json.loads(stdout)["findings"]
    assert finding["accepted_as"] == "duplicate" and finding["fails"] is False


def test_fail_on_duplicate_lets_copies_pass(built):
    location, with_copy, _ = built
    assert run("check", with_copy, "--against", location, "--fail-on", "duplicate")[0] == 0


def test_adding_the_same_corpus_again_adds_nothing(built, corpus):
    location, *_ = built
    code, _, stderr = run("index", "add", corpus[0], "--index", location)
    assert code == 0
    assert "0 document(s) added" in stderr and "20 already indexed" in stderr
    info = json.loads(run("index", "info", "--index", location, "--format", "json")[1])
    assert info["documents"] == 20 and info["schema_version"] == SCHEMA_VERSION and info["num_perm"] == "128"


def test_copies_within_the_batch_are_found(built, tmp_path, articles):
    location, *_ = built
    batch = tmp_path / "twins"
    articles.write(batch / "one.txt", seed=900)
    articles.write(batch / "two.txt", seed=900)
    code, stdout, _ = run("check", batch, "--against", location, "--format", "json")
    assert code == 1
    (finding,) = json.loads(stdout)["findings"]
    assert finding["relation"] == "duplicate" and finding["other_in_index"] is False


def test_story_mode_finds_a_retelling_of_an_indexed_report(index_location, tmp_path, samples_dir):
    indexed, incoming = tmp_path / "indexed", tmp_path / "incoming"
    indexed.mkdir()
    incoming.mkdir()
    shutil.copy(samples_dir / "seeds" / SEEDS[0], indexed)
    for name in ("en-quake-wire-a.txt", "en-quake-other.txt", "de-videogipfel-2021-12-07.txt"):
        shutil.copy(samples_dir / "stories" / name, indexed)
    shutil.copy(samples_dir / "seeds" / SEEDS[1], incoming)
    assert run("index", "add", indexed, "--index", index_location)[0] == 0
    code, stdout, stderr = run("check", incoming, "--against", index_location, "--mode", "story", "--format", "json")
    assert code == 1, stderr
    (finding,) = json.loads(stdout)["findings"]
    assert (finding["document"], finding["other"], finding["relation"]) == (SEEDS[1], SEEDS[0], "story")
    # The pair's probability is the one a scan of the two gives, however large the index.
    scanned = json.loads(run("scan", samples_dir / "seeds", "--mode", "story", "--format", "json")[1])
    assert finding["score"] == scanned["clusters"][0]["pairs"][0]["score"] >= 0.5
    assert run("check", incoming, "--against", index_location, "--mode", "copy")[0] == 0


# --- what users can get wrong: one line, exit 2 -------------------------------------------


def test_a_corrupt_index_file_is_refused(tmp_path, corpus):
    damaged = tmp_path / "damaged.index"
    damaged.write_bytes(b"SQLite format 3\x00" + os.urandom(3000))
    code, _, stderr = run("check", corpus[2], "--against", damaged)
    assert code == 2
    assert stderr.count("\n") == 1 and f"dedup: {damaged}: " in stderr and "rebuild it" in stderr


def test_a_truncated_index_file_is_refused(tmp_path, corpus):
    index = tmp_path / "whole.index"
    assert run("index", "add", corpus[0], "--index", index)[0] == 0
    data = index.read_bytes()
    truncated = tmp_path / "truncated.index"
    truncated.write_bytes(data[: len(data) // 2])
    code, _, stderr = run("check", corpus[1], "--against", truncated)
    assert code == 2 and stderr.count("\n") == 1 and "rebuild it" in stderr


def test_other_parameters_are_refused(built):
    location, *_ = built
    code, _, stderr = run("index", "add", built[2], "--index", location, "--num-perm", "64")
    assert code == 2
    assert stderr.count("\n") == 1 and "num_perm 128 (asked for 64)" in stderr


def test_an_index_of_an_older_schema_is_refused_with_the_rebuild(built):
    # Schema 5 hashes words in bulk and posts each document's story band keys with its day:
    # an index of schema 3 has neither, and would answer wrongly, so it is rebuilt.
    location, with_copy, _ = built
    if location.startswith("redis://"):
        import redis

        redis.Redis.from_url(location).hset("dedup:meta", "schema_version", "3")
    else:
        import sqlite3

        with sqlite3.connect(location) as connection:
            connection.execute("UPDATE meta SET value = '3' WHERE name = 'schema_version'")
    for command in (("check", with_copy, "--against", location, "--mode", "story"), ("index", "add", with_copy, "--index", location)):
        code, _, stderr = run(*command)
        assert code == 2 and stderr.count("\n") == 1 and "Traceback" not in stderr
        assert f"index schema 3 is older than this dedup's ({SCHEMA_VERSION})" in stderr
        assert f"rebuild it with `dedup index add CORPUS --index {location}`" in stderr
    assert SCHEMA_VERSION == 5


def test_story_postings_of_another_layout_are_a_damaged_index(built, tmp_path, articles):
    # Story postings without their days (as schema 4 wrote them) under schema 5's number:
    # a story check of dated reports says the index is damaged, in one line, rather than
    # answer from them.
    location, *_ = built
    dated = articles.write_jsonl(tmp_path / "dated.jsonl", [{"id": "new", "text": articles.text(7), "date": "2024-03-05"}])
    if location.startswith("redis://"):
        import redis

        client = redis.Redis.from_url(location)
        keys = list(client.scan_iter("dedup:story:*"))
        assert keys
        for key in keys:
            positions = [member for member, _ in client.zrange(key, 0, -1, withscores=True)]
            client.delete(key)
            client.sadd(key, *positions)
    else:
        import sqlite3

        with sqlite3.connect(location) as connection:
            connection.execute("DROP TABLE story_buckets")
            connection.execute("CREATE TABLE story_buckets (bucket INTEGER NOT NULL, pos INTEGER NOT NULL, "
                               "PRIMARY KEY (bucket, pos)) WITHOUT ROWID")
    code, _, stderr = run("check", dated, "--against", location, "--mode", "story")
    assert code == 2 and stderr.count("\n") == 1 and "Traceback" not in stderr
    assert "damaged index" in stderr and "rebuild it" in stderr
    if not location.startswith("redis://"):  # SQLite checks every table's columns when it opens an index
        for command in (("check", dated, "--against", location, "--mode", "copy"), ("index", "info", "--index", location)):
            code, _, stderr = run(*command)
            assert code == 2 and stderr.count("\n") == 1 and "Traceback" not in stderr
            assert "table story_buckets has the columns (bucket, pos), not (bucket, day, pos)" in stderr


def test_an_index_in_a_missing_directory_is_refused(tmp_path, corpus):
    code, _, stderr = run("index", "add", corpus[0], "--index", tmp_path / "no" / "such" / "dir.index")
    assert code == 2 and stderr.count("\n") == 1 and "does not exist: create it" in stderr


def test_a_first_add_that_reads_nothing_leaves_no_index_file(tmp_path):
    index = tmp_path / "new.index"
    code, _, stderr = run("index", "add", tmp_path / "nowhere", "--index", index)
    assert code == 2 and "no documents could be read" in stderr
    assert list(tmp_path.iterdir()) == []


def test_a_missing_index_is_refused(tmp_path, corpus):
    code, _, stderr = run("check", corpus[2], "--against", tmp_path / "nowhere.index")
    assert code == 2 and stderr.count("\n") == 1 and "dedup index add" in stderr


def test_an_unreachable_redis_is_refused(corpus):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # free, so nothing listens there
    code, _, stderr = run("check", corpus[2], "--against", f"redis://127.0.0.1:{port}/0")
    assert code == 2
    assert stderr.count("\n") == 1 and "cannot reach Redis" in stderr


def test_an_unreadable_incoming_record_is_an_input_error_after_the_report(built, tmp_path, articles):
    location, *_ = built
    batch = tmp_path / "batch.jsonl"
    batch.write_text(json.dumps({"id": "ok", "text": articles.text(777)}) + "\n{broken\n", encoding="utf-8")
    code, stdout, stderr = run("check", batch, "--against", location, "--format", "json")
    assert code == 2
    report = json.loads(stdout)
    assert report["documents"] == 1 and report["errors"][0]["line"] == 2
    assert "batch.jsonl:2: malformed JSON" in stderr and "could not be read" in stderr.splitlines()[-1]


def test_a_malformed_baseline_is_refused(built, tmp_path):
    location, with_copy, _ = built
    baseline = tmp_path / "decisions.json"
    baseline.write_text("{not json", encoding="utf-8")
    code, _, stderr = run("check", with_copy, "--against", location, "--baseline", baseline)
    assert code == 2 and stderr.count("\n") == 1 and "decisions.json" in stderr


# --- an interrupted add ----------------------------------------------------------------------


def test_a_killed_add_leaves_the_index_as_it_was(tmp_path, corpus, articles):
    indexed, with_copy, clean = corpus
    index = tmp_path / "kill.index"
    assert run("index", "add", indexed, "--index", index)[0] == 0
    before = [run("check", batch, "--against", index, "--format", "json")[1] for batch in (with_copy, clean)]
    big = tmp_path / "big.jsonl"
    articles.write_jsonl(big, [{"id": f"big{n}", "text": articles.text(10_000 + n, sentences=60)} for n in range(4000)])
    process = subprocess.Popen([sys.executable, "-m", "dedup", "index", "add", big, "--index", index, "--jobs", "1"],
                               env=_child_env(), cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wal = Path(f"{index}-wal")
    deadline = time.monotonic() + 240
    # The add writes one transaction; its pages spill into the write-ahead log as it goes.
    while process.poll() is None and time.monotonic() < deadline and not (wal.exists() and wal.stat().st_size > 2_000_000):
        time.sleep(0.01)
    assert process.poll() is None, "the add finished before it could be killed: make the corpus larger"
    # A reader is not held up by the writer, and does not see its uncommitted documents.
    during = run("check", with_copy, "--against", index, "--format", "json")[1]
    assert process.poll() is None, "the add finished during the check: make the corpus larger"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    info = json.loads(run("index", "info", "--index", index, "--format", "json")[1])
    assert info["documents"] == 20
    after = [run("check", batch, "--against", index, "--format", "json")[1] for batch in (with_copy, clean)]
    assert after == before
    assert during == before[0]
