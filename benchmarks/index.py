"""How `dedup check` grows with the index it checks against: SQLite and Redis, copy and story mode.

Indexes of 10,000 and 100,000 documents (by default; --sizes) are built with `dedup index
add` from the synthetic corpus grown from ../shared/data/insm_de_press
(benchmarks/synthetic.py: insm articles with their sentences shuffled and a quarter of
their words replaced, and planted copies). Against each, the same 1,000 real insm
articles (the corpus's last 1,000) are checked with `dedup check --mode copy` and
`--mode story`, each as a user runs it (a subprocess of `python -m dedup`, start-up and
all). Then 1,000 more real articles are added, to show what adding costs at that size.

The table gives, per backend, index size and step: seconds, milliseconds per checked or
added document, findings, and the index's size on disk (the SQLite file with its WAL, or
the memory Redis uses). Last, for each backend and mode, the growth of the check's
time from the smallest index to the largest, against the target: at most 1.5 times for
an index 10 times larger. Checking is a question about the incoming documents; a check
that reads the whole index grows with it.

The synthetic documents are siblings of real ones: an incoming report's event is in the
index several times over, and ten times as often in the index ten times larger, so the
story findings grow with the index by construction; what is measured is whether the
work per check grows beyond them.

    python benchmarks/index.py                    # SQLite, and Redis if redis-server is installed
    python benchmarks/index.py --no-redis --sizes 10000 100000
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
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
TARGET_GROWTH = 1.5  # check time against the largest index / against the smallest, at most
MODES = ("copy", "story")


def dedup(*args: str | Path) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    completed = subprocess.run([sys.executable, "-m", "dedup", *map(str, args)], capture_output=True, cwd=REPO_ROOT)
    seconds = time.perf_counter() - start
    if completed.returncode not in (0, 1):
        sys.exit(f"dedup {' '.join(map(str, args))} failed: {completed.stderr.decode().strip()}")
    return seconds, completed


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


def measure(backend: str, location: str, size: int, corpus: Path, batches: dict[str, Path],
            rows: list[list[str]], times: dict[tuple[str, str, int], float]) -> None:
    def row(step: str, seconds: float, documents: int, findings: str = "", stored: str = "") -> None:
        rows.append([backend, f"{size:,}", step, f"{seconds:.1f}", f"{seconds / documents * 1000:.1f}", findings, stored])
        print(" | ".join(rows[-1]), file=sys.stderr, flush=True)  # as it comes: a long run that fails keeps them

    print(f"{backend}: building an index of {size:,} ...", file=sys.stderr, flush=True)
    seconds, _ = dedup("index", "add", corpus, "--index", location, "--quiet")
    row("build", seconds, size, stored=f"{size_of(location) / 2**20:,.0f} MiB")
    for mode in MODES:
        print(f"{backend}: checking {BATCH:,} against {size:,}, --mode {mode} ...", file=sys.stderr, flush=True)
        seconds, completed = dedup("check", batches["check"], "--against", location, "--mode", mode, "--format", "json")
        report = json.loads(completed.stdout)
        times[(backend, mode, size)] = seconds
        row(f"check {BATCH:,} --mode {mode}", seconds, BATCH, f"{len(report['findings']):,}")
    seconds, _ = dedup("index", "add", batches["add"], "--index", location, "--quiet")
    row(f"add {BATCH:,}", seconds, BATCH, stored=f"{size_of(location) / 2**20:,.0f} MiB")
    if location.startswith("redis://"):
        import redis  # noqa: PLC0415

        redis.Redis.from_url(location).flushdb()  # the next index's dump holds only itself


def growth_rows(times: dict[tuple[str, str, int], float], sizes: list[int]) -> list[list[str]]:
    smallest, largest = min(sizes), max(sizes)
    rows = []
    for backend in sorted({key[0] for key in times}):
        for mode in MODES:
            small, large = times.get((backend, mode, smallest)), times.get((backend, mode, largest))
            if small is None or large is None:
                continue
            growth = large / small
            verdict = "PASS" if growth <= TARGET_GROWTH else "FAIL"
            rows.append([backend, mode, f"{small:.1f}", f"{large:.1f}", f"{growth:.2f}x", f"<= {TARGET_GROWTH}x", verdict])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--no-redis", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--work-dir", type=Path, default=DEFAULT_WORK_DIR, help="where synthetic corpora are kept (default: %(default)s)")
    arguments = parser.parse_args()
    if not arguments.corpus.exists():
        print(f"{arguments.corpus} not found: benchmark skipped")
        return
    sizes = sorted(set(arguments.sizes))
    rows: list[list[str]] = []
    times: dict[tuple[str, str, int], float] = {}
    with tempfile.TemporaryDirectory() as temporary:
        directory = Path(temporary)
        batches = real_batches(arguments.corpus, directory)
        corpora = {size: synthetic_corpus(size, arguments.corpus, arguments.work_dir,
                                          lambda message: print(message, file=sys.stderr, flush=True))[0] for size in sizes}
        for size in sizes:
            if not arguments.no_sqlite:
                measure("sqlite", str(directory / f"index-{size}.sqlite"), size, corpora[size], batches, rows, times)
        redis_server = None if arguments.no_redis else start_redis(directory)
        if redis_server:
            process, port = redis_server
            try:
                for number, size in enumerate(sizes):
                    measure("redis", f"redis://127.0.0.1:{port}/{number}", size, corpora[size], batches, rows, times)
            finally:
                process.terminate()
                process.wait()
        elif not arguments.no_redis:
            print("redis-server not installed: Redis rows skipped (apt-get install redis-server)")
    print(markdown_table(["backend", "index", "step", "seconds", "ms per document", "findings", "index size"], rows))
    print(f"\nTime of a check of {BATCH:,} documents against the largest index over the smallest "
          f"({max(sizes):,} / {min(sizes):,} documents):\n")
    print(markdown_table(["backend", "mode", "seconds, smallest", "seconds, largest", "growth", "target", "verdict"],
                         growth_rows(times, sizes)))
    print("\nTimes are whole commands: starting Python, reading and fingerprinting the documents, and the index work. "
          "Redis size is the memory the server uses (INFO used_memory).")


if __name__ == "__main__":
    main()
