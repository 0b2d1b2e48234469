"""Speed and size of the persistent index: `dedup index add` and `dedup check`, SQLite and Redis.

On ../shared/data/insm_de_press (13,518 German press articles) split in input order:
  base   all but the last 2,000 articles, the index a team would already have;
  add    the next 1,000, added to it (`dedup index add`);
  check  the last 1,000, checked against it (`dedup check --mode copy`, then `--mode story`).
Each step runs as a user would run it (a subprocess of `python -m dedup`); the table gives
wall time, documents per second and the index's size: the SQLite file (with its WAL), or
for Redis the RDB dump written by SAVE.

Each row on the index says what it has learnt of page furniture (stubs, furniture
sentences); each check row, how many incoming pages are stubs and how many findings they
have (a stub is matched only by its own text, so a paywall teaser is no copy of the others).

Adding costs time in proportion to what is added, not to the index: the same 1,000
documents are also added to an index of only 1,000 documents, and the two times compared.

    python benchmarks/index.py                # SQLite, and Redis if redis-server is installed
    python benchmarks/index.py --no-redis
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
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "data" / "insm_de_press" / "articles.jsonl"
HELD_BACK = 2000  # the add and check batches, taken from the end of the corpus
BATCH = 1000


def dedup(*args: str | Path) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    completed = subprocess.run([sys.executable, "-m", "dedup", *map(str, args)], capture_output=True, cwd=REPO_ROOT)
    seconds = time.perf_counter() - start
    if completed.returncode not in (0, 1):
        sys.exit(f"dedup {' '.join(map(str, args))} failed: {completed.stderr.decode().strip()}")
    return seconds, completed


def split(corpus: Path, directory: Path) -> dict[str, Path]:
    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    parts = {"base": lines[:-HELD_BACK], "small": lines[:BATCH], "add": lines[-HELD_BACK:-BATCH], "check": lines[-BATCH:]}
    paths = {}
    for name, part in parts.items():
        paths[name] = directory / f"{name}.jsonl"
        paths[name].write_text("".join(part), encoding="utf-8")
    return paths


def start_redis(directory: Path) -> tuple[subprocess.Popen, int] | None:
    server = shutil.which("redis-server")
    if server is None:
        return None
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(directory), "--save", "",
                                "--appendonly", "no"], stdout=subprocess.DEVNULL)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return process, port
        except OSError:
            time.sleep(0.05)
    return None


def size_of(location: str, directory: Path) -> int:
    if location.startswith("redis://"):
        import redis  # noqa: PLC0415

        redis.Redis.from_url(location).save()
        return (directory / "dump.rdb").stat().st_size
    return sum(Path(name).stat().st_size for name in (location, location + "-wal") if Path(name).exists())


def _furniture(location: str) -> str:
    """What the index has learnt of page furniture (dedup.text.furniture): stubs and sentences."""
    _, completed = dedup("index", "info", "--index", location, "--format", "json")
    info = json.loads(completed.stdout)
    return (f"{info['stubs']:,} stubs, {info['furniture_sentences']:,} furniture sentences of "
            f"{info['sites_with_furniture']} sites")


def measure(backend: str, base_location: str, small_location: str, parts: dict[str, Path], directory: Path) -> list[list[str]]:
    rows = []

    def row(step: str, seconds: float, documents: int, size: str = "") -> None:
        rows.append([backend, step, f"{documents:,}", f"{seconds:.1f}", f"{documents / seconds:,.0f}", size])

    base_count = sum(1 for _ in parts["base"].open(encoding="utf-8"))
    seconds, _ = dedup("index", "add", parts["base"], "--index", base_location, "--quiet")
    row(f"build base index ({_furniture(base_location)})", seconds, base_count, f"{size_of(base_location, directory) / 2**20:.1f} MiB")
    seconds, _ = dedup("index", "add", parts["add"], "--index", base_location, "--quiet")
    row(f"add {BATCH:,} to {base_count:,} ({_furniture(base_location)})", seconds, BATCH,
        f"{size_of(base_location, directory) / 2**20:.1f} MiB")
    for mode in ("copy", "story"):
        seconds, completed = dedup("check", parts["check"], "--against", base_location, "--mode", mode, "--format", "json")
        report = json.loads(completed.stdout)
        of_stubs = [finding for finding in report["findings"] if finding["document_stub"]]
        most = max(Counter(finding["document"] for finding in of_stubs).values(), default=0)
        row(f"check {BATCH:,} --mode {mode} ({len(report['findings'])} findings; {len(report['stubs'])} incoming stubs, "
            f"{len(of_stubs)} findings of them, at most {most} per stub)", seconds, BATCH)
    dedup("index", "add", parts["small"], "--index", small_location, "--quiet")
    seconds, _ = dedup("index", "add", parts["add"], "--index", small_location, "--quiet")
    row(f"add {BATCH:,} to {BATCH:,} (for comparison)", seconds, BATCH)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--no-redis", action="store_true")
    arguments = parser.parse_args()
    if not arguments.corpus.exists():
        print(f"{arguments.corpus} not found: benchmark skipped")
        return
    rows = []
    with tempfile.TemporaryDirectory() as temporary:
        directory = Path(temporary)
        parts = split(arguments.corpus, directory)
        rows += measure("sqlite", str(directory / "base.index"), str(directory / "small.index"), parts, directory)
        redis_server = None if arguments.no_redis else start_redis(directory)
        if redis_server:
            process, port = redis_server
            try:
                rows += measure("redis", f"redis://127.0.0.1:{port}/0", f"redis://127.0.0.1:{port}/1", parts, directory)
            finally:
                process.terminate()
                process.wait()
        elif not arguments.no_redis:
            print("redis-server not installed: Redis rows skipped (apt-get install redis-server)")
    header = ["backend", "step", "documents", "seconds", "docs/s", "index size"]
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    for line in [header, ["-" * width for width in widths], *rows]:
        print("| " + " | ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)) + " |")
    print("\nTimes are whole commands: starting Python, reading and fingerprinting the batch, and the index work. "
          "Redis size is its RDB dump after SAVE.")


if __name__ == "__main__":
    main()
