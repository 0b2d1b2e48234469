"""Environment: standard streams closed or narrow, terminals that cannot show a character.

The contract each case is held to is in contract.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import REPO_ROOT

from bad_input.contract import assert_clean_stderr, says_a_fix


def test_closed_standard_input_is_one_line(run_dedup, tmp_path):
    completed = subprocess.run([sys.executable, "-m", "dedup", "scan", "-"], stdin=subprocess.DEVNULL, capture_output=True,
                               text=True, cwd=tmp_path, timeout=60, preexec_fn=lambda: os.close(0))
    assert completed.returncode == 2, completed.stderr
    assert_clean_stderr(completed.stderr)
    assert "standard input is closed" in completed.stderr


def test_an_ascii_only_terminal_gets_escapes_not_a_crash(run_dedup, samples_dir):
    run = run_dedup("compare", *sorted((samples_dir / "seeds").iterdir()), env_extra={"PYTHONIOENCODING": "ascii"})
    assert run.code == 0, run.stderr
    assert "\\u" in run.stdout


# --- standard streams, terminals and settings (issue 14) -----------------------------------


def _shell(command: str, cwd) -> subprocess.CompletedProcess:
    """A real shell, for the redirections a user writes (`>&-`, `> /dev/full`)."""
    return subprocess.run(["bash", "-c", command], capture_output=True, text=True, cwd=cwd, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})


DEDUP = f"{sys.executable} -m dedup"


@pytest.mark.parametrize("command", ["scan samples", "compare samples/seeds/*.txt", "scan samples --format json"])
def test_closed_standard_output_is_one_line_not_a_silent_success(command):
    done = _shell(f"{DEDUP} {command} >&-", REPO_ROOT)

    assert done.returncode == 2
    assert_clean_stderr(done.stderr)
    assert "standard output is closed" in done.stderr and says_a_fix(done.stderr)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
@pytest.mark.parametrize("command", ["scan samples", "compare samples/seeds/*.txt --format json"])
def test_a_full_disk_under_standard_output_is_one_line(command):
    done = _shell(f"{DEDUP} {command} > /dev/full", REPO_ROOT)

    assert done.returncode == 2
    assert_clean_stderr(done.stderr)
    assert len(done.stderr.splitlines()) == 1 and "No space left" in done.stderr and "-o" in done.stderr


def test_closed_standard_error_loses_only_the_messages(tmp_path):
    done = _shell(f"{DEDUP} scan {REPO_ROOT}/samples nowhere.txt --format json 2>&-", tmp_path)

    assert done.returncode == 0 and json.loads(done.stdout)["errors"][0]["input"] == "nowhere.txt"


@pytest.mark.parametrize(
    "environment",
    [
        pytest.param({"COLUMNS": "5"}, id="columns-5"),
        pytest.param({"COLUMNS": "abc"}, id="columns-not-a-number"),
        pytest.param({"TERM": "dumb", "NO_COLOR": "1"}, id="term-dumb-no-color"),
        pytest.param({"LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": ""}, id="c-locale"),
    ],
)
def test_odd_terminals_still_get_the_comparison(run_dedup, samples_dir, environment):
    compare = run_dedup("compare", *sorted((samples_dir / "seeds").iterdir()), env_extra=environment)

    assert compare.code == 0 and compare.stderr == "", compare.stderr
    assert "Biden" in compare.stdout


@pytest.mark.parametrize(
    "environment",
    [
        pytest.param({"HOME": "/nonexistent-home-of-dedup-tests", "XDG_CACHE_HOME": "/proc/no-cache-here",
                      "DEDUP_CACHE_DIR": ""}, id="no-home"),
        pytest.param({"DEDUP_CACHE_DIR": "/etc/hostname"}, id="cache-dir-is-a-file"),
        pytest.param({"TMPDIR": "/nonexistent-tmp"}, id="no-tmpdir"),
    ],
)
def test_no_writable_cache_or_temporary_folder_still_scans(run_dedup, samples_dir, tmp_path, environment):
    """The rarity tables are cached on disk (dedup.story.table_cache); without a place for
    them the scan computes them, no more."""
    scan = run_dedup("scan", samples_dir, "--mode", "all", "--format", "json", "-o", tmp_path / "scan.json",
                     env_extra=environment)

    assert scan.code == 0 and "dedup:" not in scan.stderr, scan.stderr
    assert json.loads((tmp_path / "scan.json").read_text(encoding="utf-8"))["clusters"]
