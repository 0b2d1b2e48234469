"""How `dedup check` grows with the index it checks against: SQLite and Redis, copy and story mode.

Indexes of 10,000 and 100,000 documents (by default; --sizes) are built with `dedup index
add` from the synthetic corpus grown from ../shared/data/insm_de_press
(benchmarks/synthetic.py: insm articles with their sentences shuffled and a quarter of
their words replaced, and planted copies), the larger by adding the rest of its documents
to the smaller (the corpus of N documents is the first N of any larger). Against each, the
same 1,000 real insm articles (the corpus's last 1,000) are checked with `dedup check
--mode copy` and `--mode story`, each as a user runs it (a subprocess, start-up and all).
Then 1,000 more real articles are added to the largest, to show what adding costs.

An index ten times larger is an archive ten times longer: by default each PERIOD
documents of the synthetic corpus are dated PERIOD_WEEKS weeks before the PERIOD before
them (the first PERIOD keep their base's dates, those of the incoming articles), as a
site that publishes PERIOD reports a year builds up its archive. The synthetic documents
are siblings of real ones, reports of the same events (their names, numbers and date), so
without this the index ten times larger holds ten times more reports of each incoming
event in the same days, and a check's findings, and the work of scoring them, grow ten
times by construction; `--same-period` measures that too (every document keeps its base's
date).

The table gives, per backend, index size and step: seconds, milliseconds per checked or
added document, findings, and the index's size on disk (the SQLite file with its WAL, or
the memory Redis uses). A check has two times: the whole command, and the time inside it
after Python has started and imported dedup (`work`), which start-up (a second or more,
the same for any index) cannot hide growth in; each is the median of CHECK_ROUNDS = 3
runs. Last, for each backend and mode, the
growth of the check's time from the smallest index to the largest, both ways, against
the target: at most 1.5 times for an index 10 times larger. Checking is a question about
the incoming documents; a check that reads the whole index grows with it.

    python benchmarks/index.py                    # SQLite, and Redis if redis-server is installed
    python benchmarks/index.py --no-redis --sizes 10000 100000 --same-period
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # harness.py and synthetic.py, beside this file
from harness import markdown_table  # noqa: E402
from synthetic import DEFAULT_WORK_DIR, synthetic_corpus  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "data" / "insm_de_press" / "articles.jsonl"
BATCH = 1000  # documents checked, and then added
PERIOD = 10_000  # synthetic documents a year, in the archive a larger index is
PERIOD_WEEKS = 52  # a year in whole weeks: weekdays stay where they were
TARGET_GROWTH = 1.5  # check time against the largest index / against the smallest, at most
# Each check is run this many times and its median kept: a copy check's work is half a
# second, and one timing of it moved the growth from 1.3 to 1.6 between runs on one day.
CHECK_ROUNDS = 3
MODES = ("copy", "story")


# A check as `python -m dedup` runs it, that also says how long it took after start-up:
# everything a check imports is imported first (as it would be, later), then the clock runs.
_TIMED_CHECK = """
import sys, time
from dedup.cli import main
import dedup.gate.check, dedup.gate.stories, dedup.index.sqlite, datasketch
try:
    import dedup.index.redis, redis
except ImportError:  # the redis client is an optional extra
    pass
start = time.perf_counter()
code = main(sys.argv[1:])
print(f"{WORK_MARK}{time.perf_counter() - start:.6f}", file=sys.stderr)
sys.exit(code)
"""
WORK_MARK = "dedup-benchmark-work-seconds: "


def dedup(*args: str | Path, timed: bool = False) -> tuple[float, subprocess.CompletedProcess]:
    """Run a dedup command as a user does; its wall time, and what it printed."""
    start = time.perf_counter()
    launch = ["-c", _TIMED_CHECK.replace("{WORK_MARK}", WORK_MARK)] if timed else ["-m", "dedup"]
    completed = subprocess.run([sys.executable, *launch, *map(str, args)], capture_output=True, cwd=REPO_ROOT)
    seconds = time.perf_counter() - start
    if completed.returncode not in (0, 1):
        sys.exit(f"dedup {' '.join(map(str, args))} failed: {completed.stderr.decode().strip()}")
    return seconds, completed


def work_seconds(completed: subprocess.CompletedProcess) -> float:
    """The time a `timed` command spent after start-up, from its last line on stderr."""
    for line in reversed(completed.stderr.decode().splitlines()):
        if line.startswith(WORK_MARK):
            return float(line[len(WORK_MARK):])
    sys.exit(f"the timed check printed no {WORK_MARK!r} line: {completed.stderr.decode().strip()}")


def real_batches(corpus: Path, directory: Path) -> dict[str, Path]:
    """The last BATCH real articles to check, and the BATCH before them to add."""
    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    paths = {"check": directory / "check.jsonl", "add": directory / "add.jsonl"}
    paths["check"].write_text("".join(lines[-BATCH:]), encoding="utf-8")
    paths["add"].write_text("".join(lines[-2 * BATCH:-BATCH]), encoding="utf-8")
    return paths


def start_redis(directory: Path) -> tuple[subprocess.Popen, int] | None:
    server = shutil.which("redis-server")
    if server is None:
        return None
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(directory), "--save", "",
                                "--appendonly", "no", "--databases", "32"], stdout=subprocess.DEVNULL)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return process, port
        except OSError:
            time.sleep(0.05)
    return None


def size_of(location: str) -> int:
    """The SQLite file with its WAL, or the memory Redis uses (one index per server at a time)."""
    if location.startswith("redis://"):
        import redis  # noqa: PLC0415

        return int(redis.Redis.from_url(location).info("memory")["used_memory"])
    return sum(Path(name).stat().st_size for name in (location, location + "-wal") if Path(name).exists())


def dated_slices(corpus: Path, sizes: list[int], same_period: bool, directory: Path) -> list[Path]:
    """The corpus's documents from one size to the next (the first slice up to the smallest),
    each as a file to add; unless `same_period`, the document at line i dated
    (i // PERIOD) * PERIOD_WEEKS weeks before its base (see the module's docstring)."""
    paths, bounds = [], [0, *sizes]
    with corpus.open(encoding="utf-8") as lines:
        for number, (first, last) in enumerate(itertools.pairwise(bounds)):
            path = directory / f"slice-{number}.jsonl"
            with path.open("w", encoding="utf-8") as out:
                for line_number, line in zip(range(first, last), lines):
                    if not same_period and line_number >= PERIOD:
                        record = json.loads(line)
                        record["date"] = earlier(record.get("date"), line_number // PERIOD * PERIOD_WEEKS)
                        line = json.dumps(record, ensure_ascii=False) + "\n"
                    out.write(line)
            paths.append(path)
    return paths


def earlier(date: object, weeks: int) -> object:
    """An ISO date (YYYY-MM-DD...) moved `weeks` back; anything else as it was."""
    try:
        day = datetime.date.fromisoformat(str(date)[:10])
    except ValueError:
        return date
    return (day - datetime.timedelta(weeks=weeks)).isoformat()


def measure(backend: str, location: str, sizes: list[int], slices: list[Path], batches: dict[str, Path],
            rows: list[list[str]], times: dict[tuple[str, str, int], tuple[float, float]]) -> None:
    def row(size: int, step: str, seconds: float, documents: int, work: float | None = None, findings: str = "",
            stored: str = "") -> None:
        shown_work = ["", ""] if work is None else [f"{work:.1f}", f"{work / documents * 1000:.1f}"]
        rows.append([backend, f"{size:,}", step, f"{seconds:.1f}", f"{seconds / documents * 1000:.1f}", *shown_work,
                     findings, stored])
        print(" | ".join(rows[-1]), file=sys.stderr, flush=True)  # as it comes: a long run that fails keeps them

    for size, added in zip(sizes, slices, strict=True):
        before = sum(1 for _ in added.open(encoding="utf-8"))
        print(f"{backend}: adding {before:,} synthetic documents, to {size:,} ...", file=sys.stderr, flush=True)
        seconds, _ = dedup("index", "add", added, "--index", location, "--quiet")
        row(size, f"build: add {before:,}", seconds, before, stored=f"{size_of(location) / 2**20:,.0f} MiB")
        for mode in MODES:
            print(f"{backend}: checking {BATCH:,} against {size:,}, --mode {mode} ...", file=sys.stderr, flush=True)
            runs = [dedup("check", batches["check"], "--against", location, "--mode", mode, "--format", "json",
                          timed=True) for _ in range(CHECK_ROUNDS)]
            report = json.loads(runs[0][1].stdout)
            seconds = statistics.median(seconds for seconds, _ in runs)
            work = statistics.median(work_seconds(completed) for _, completed in runs)
            times[(backend, mode, size)] = (seconds, work)
            row(size, f"check {BATCH:,} --mode {mode}", seconds, BATCH, work, f"{len(report['findings']):,}")
    seconds, _ = dedup("index", "add", batches["add"], "--index", location, "--quiet")
    row(sizes[-1], f"add {BATCH:,} real", seconds, BATCH, stored=f"{size_of(location) / 2**20:,.0f} MiB")


def growth_rows(times: dict[tuple[str, str, int], tuple[float, float]], sizes: list[int]) -> list[list[str]]:
    """Per backend and mode: the check's time against the smallest and the largest index and
    its growth, for the whole command and for its work after start-up (start-up is the same for
    any index, so it makes the whole command look flatter); the verdict holds both to the target."""
    smallest, largest = min(sizes), max(sizes)
    rows = []
    for backend in sorted({key[0] for key in times}):
        for mode in MODES:
            small, large = times.get((backend, mode, smallest)), times.get((backend, mode, largest))
            if small is None or large is None:
                continue
            whole, work = large[0] / small[0], large[1] / small[1]
            verdict = "PASS" if max(whole, work) <= TARGET_GROWTH else "FAIL"
            rows.append([backend, mode, f"{small[0]:.1f}", f"{large[0]:.1f}", f"{whole:.2f}x", f"{small[1]:.1f}",
                         f"{large[1]:.1f}", f"{work:.2f}x", f"<= {TARGET_GROWTH}x", verdict])
    return rows


def _load(averages: tuple[float, float, float]) -> str:
    return ", ".join(f"{value:.2f}" for value in averages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--no-redis", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--same-period", action="store_true",
                        help="date every synthetic document as its base: the larger index retells the same events more often")
    parser.add_argument("--work-dir", type=Path, default=DEFAULT_WORK_DIR, help="where synthetic corpora are kept (default: %(default)s)")
    arguments = parser.parse_args()
    if not arguments.corpus.exists():
        print(f"{arguments.corpus} not found: benchmark skipped")
        return
    sizes = sorted(set(arguments.sizes))
    load_before = os.getloadavg()  # other work on the machine: the times are only comparable within a run
    rows: list[list[str]] = []
    times: dict[tuple[str, str, int], tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as temporary:
        directory = Path(temporary)
        batches = real_batches(arguments.corpus, directory)
        corpus, _ = synthetic_corpus(max(sizes), arguments.corpus, arguments.work_dir,
                                     lambda message: print(message, file=sys.stderr, flush=True))
        slices = dated_slices(corpus, sizes, arguments.same_period, directory)
        if not arguments.no_sqlite:
            measure("sqlite", str(directory / "index.sqlite"), sizes, slices, batches, rows, times)
        redis_server = None if arguments.no_redis else start_redis(directory)
        if redis_server:
            process, port = redis_server
            try:
                measure("redis", f"redis://127.0.0.1:{port}/0", sizes, slices, batches, rows, times)
            finally:
                process.terminate()
                process.wait()
        elif not arguments.no_redis:
            print("redis-server not installed: Redis rows skipped (apt-get install redis-server)")
    archive = ("every synthetic document dated as its base (--same-period)" if arguments.same_period else
               f"an archive: each {PERIOD:,} synthetic documents dated {PERIOD_WEEKS} weeks before the {PERIOD:,} before them")
    print(f"Index: {archive}.")
    print(f"Load before the run (1, 5, 15 minutes): {_load(load_before)}; after: {_load(os.getloadavg())} "
          f"on {os.cpu_count()} cores\n")
    print(markdown_table(["backend", "index", "step", "seconds", "ms per document", "work seconds", "work ms per document",
                          "findings", "index size"], rows))
    print(f"\nTime of a check of {BATCH:,} documents against the largest index over the smallest "
          f"({max(sizes):,} / {min(sizes):,} documents):\n")
    print(markdown_table(["backend", "mode", "seconds, smallest", "seconds, largest", "growth", "work, smallest",
                          "work, largest", "work growth", "target", "verdict"], growth_rows(times, sizes)))
    print("\nseconds: the whole command (starting Python, reading and fingerprinting the documents, the index work); "
          "work: the same command after start-up and imports. The verdict holds both to the target. "
          "Redis size is the memory the server uses (INFO used_memory).")


if __name__ == "__main__":
    main()
