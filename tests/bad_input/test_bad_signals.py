"""Signals: Ctrl-C (SIGINT) and SIGTERM (a cancelled CI job, a stopped container) at any
point of a run, and a reader that goes away (SIGPIPE, in test_output_files.py).

A stopped run says so in one line, exits 130 or 143 as a shell would report, leaves the
old output file whole with no temporary beside it, and an index as it was before the run.
SIGKILL, which nothing can catch, is in test_index_faults.py.

The contract each case is held to is in contract.py."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest
from conftest import REPO_ROOT, _child_env

from bad_input.contract import assert_clean_stderr

EXIT_CODES = {signal.SIGINT: (130, "interrupted"), signal.SIGTERM: (143, "terminated")}


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory, articles):
    """Large enough that a scan of it runs for a few seconds on one core."""
    path = tmp_path_factory.mktemp("signals") / "big.jsonl"
    articles.write_jsonl(path, [{"id": f"big{n}", "text": articles.text(20_000 + n, sentences=40)} for n in range(3000)])
    return path


def _start(*args, cwd):
    return subprocess.Popen([sys.executable, "-m", "dedup", *map(str, args)], cwd=cwd, env=_child_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _stop_when(process, ready, signum) -> tuple[int, str]:
    deadline = time.monotonic() + 60
    while process.poll() is None and not ready() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert process.poll() is None, "the run finished before the signal: make the corpus larger"
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    return process.returncode, stderr


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["sigint", "sigterm"])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_stopped_scan_keeps_the_old_report_and_leaves_no_temporary(big_corpus, tmp_path, signum, jobs):
    report = tmp_path / "report.json"
    report.write_text("the last good report\n", encoding="utf-8")
    process = _start("scan", big_corpus, "--format", "json", "-o", report, "--jobs", jobs, cwd=tmp_path)
    started = time.monotonic()

    code, stderr = _stop_when(process, lambda: time.monotonic() - started > 1.5, signum)

    assert (code, stderr) == (EXIT_CODES[signum][0], f"dedup: {EXIT_CODES[signum][1]}\n")
    assert report.read_text(encoding="utf-8") == "the last good report\n"
    assert [path.name for path in tmp_path.iterdir()] == ["report.json"]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["sigint", "sigterm"])
def test_a_stopped_index_add_leaves_the_index_as_it_was(big_corpus, tmp_path, samples_dir, signum):
    index = tmp_path / "index.db"
    assert subprocess.run([sys.executable, "-m", "dedup", "index", "add", samples_dir, "--index", index, "-q"],
                          env=_child_env(), cwd=REPO_ROOT, capture_output=True).returncode == 0
    wal = tmp_path / "index.db-wal"
    process = _start("index", "add", big_corpus, "--index", index, "--jobs", "1", cwd=tmp_path)

    # Stopped while the add's one transaction is being written (its pages spill into the log).
    code, stderr = _stop_when(process, lambda: wal.exists() and wal.stat().st_size > 500_000, signum)

    assert code == EXIT_CODES[signum][0]
    assert_clean_stderr(stderr)
    info = subprocess.run([sys.executable, "-m", "dedup", "index", "info", "--index", index, "--format", "json"],
                          env=_child_env(), cwd=REPO_ROOT, capture_output=True, text=True)
    assert json.loads(info.stdout)["documents"] == 11
