"""Reports and decisions files are written as a user expects a file to be written: a
device or a symlink is written through, not replaced; the mode is the umask's or the old
file's; a reader that goes away (`| head -1`) is no failure."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from dedup.io.output_file import write_text

SEEDS = Path(__file__).resolve().parent.parent / "samples" / "seeds"


def test_a_new_file_gets_the_umasks_mode(tmp_path):
    old = os.umask(0o022)
    try:
        write_text(str(tmp_path / "report.json"), "{}\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "report.json").stat().st_mode) == 0o644


def test_a_replaced_file_keeps_its_mode(tmp_path):
    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_text(str(target), "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path):
    real = tmp_path / "real.md"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    write_text(str(link), "new")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new"


def test_a_fifo_is_written_through_not_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    write_text(str(fifo), "through the pipe")
    reader.join(timeout=10)
    assert received == ["through the pipe"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_compare_to_dev_null_leaves_dev_null_a_device(run_dedup):
    run = run_dedup("compare", *sorted(SEEDS.iterdir()), "-o", os.devnull)
    assert run.code == 0, run.stderr
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


@pytest.mark.parametrize("command", [["scan", "samples"], ["compare", *sorted(str(path) for path in SEEDS.iterdir())]])
def test_a_reader_that_goes_away_is_no_failure(command):
    """`dedup scan samples | head -1` under `set -o pipefail` must not fail the step."""
    repository = SEEDS.parent.parent
    pipeline = subprocess.run(["bash", "-o", "pipefail", "-c",
                               " ".join([f"'{sys.executable}'", "-m", "dedup", *(f"'{part}'" for part in command)]) + " | head -1"],
                              cwd=repository, capture_output=True, text=True, timeout=120)
    assert pipeline.returncode == 0, pipeline.stderr
    assert "Traceback" not in pipeline.stderr
