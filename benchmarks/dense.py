"""Story mode on a dense corpus: many short texts in a few words, none a copy of another.

Every pair of such texts is a story candidate and one story holds most of them, the shape
in which the work of a scan that judges pairs grows as the square of a group: the pairs
it scores, groups, explains and lists. A scan must stay fast and small all the same, and
its report readable (a story lists a spanning tree and each report's strongest pairs,
`dedup.story.finder.LINKS_SHOWN`; a dense part is grouped on matrices,
`dedup.cluster.DENSE_FEWEST`).

The texts are generated, not read: each names NOUNS_PER_TEXT of the twelve NOUNS in a
random order and a day of March ("Der Rente und die Wahl und ... am 3. März."), from
SEED. Each size is scanned as `dedup scan FILE --mode story --format json` in a fresh
process (measured as benchmarks/copies.py measures, harness.measure); the table gives
its wall time, the peak memory of its whole process tree and of its largest process (the
scan's own), the candidate pairs, the largest cluster, the pairs the report lists and the
report's size.

    python benchmarks/dense.py              # 800 and 3,000 texts
    python benchmarks/dense.py 200 800 3000
    cd OTHER-CHECKOUT && python /path/to/benchmarks/dense.py   # another version's dedup:
                                            # `python -m dedup` finds the current folder's first
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import markdown_table, measure  # noqa: E402

NOUNS = ("Gesetz", "Partei", "Rente", "Kanzler", "Koalition", "Berlin", "Steuer", "Bericht", "Haushalt", "Wahl",
         "Bundestag", "Minister")
NOUNS_PER_TEXT = 6
SEED = 1
SIZES = (800, 3000)
MIB = 1 << 20


def dense_corpus(size: int, path: Path) -> None:
    """`size` texts of NOUNS_PER_TEXT nouns each, as JSON Lines with an id and a text."""
    rng = np.random.default_rng(SEED)
    with path.open("w", encoding="utf-8") as corpus:
        for number in range(size):
            nouns = rng.permutation(NOUNS)[:NOUNS_PER_TEXT].tolist()
            text = "Der " + " und die ".join(nouns) + f" am {number % 28 + 1}. März."
            corpus.write(json.dumps({"id": f"n{number}", "text": text}, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=list(SIZES), help="texts per corpus")
    sizes = parser.parse_args(argv).sizes
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            corpus, report = Path(folder) / f"dense-{size}.jsonl", Path(folder) / f"dense-{size}.json"
            dense_corpus(size, corpus)
            run = measure([sys.executable, "-m", "dedup", "scan", str(corpus), "--mode", "story", "--format", "json",
                           "-o", str(report)], Path.cwd())
            if run.exit_code != 0:
                print(f"dedup scan of {size} texts exited with {run.exit_code}: {run.stderr.strip()}", file=sys.stderr)
                return 1
            result = json.loads(report.read_text(encoding="utf-8"))
            largest = max((len(cluster["members"]) for cluster in result["clusters"]), default=0)
            listed = sum(len(cluster["pairs"]) for cluster in result["clusters"])
            rows.append([f"{size:,}", f"{run.wall_seconds:.1f}", f"{run.peak_tree_bytes / MIB:,.0f}",
                         f"{run.largest_process_max_rss_bytes / MIB:,.0f}", f"{result['candidate_pairs']:,}",
                         f"{len(result['clusters']):,}", f"{largest:,}", f"{listed:,}", f"{report.stat().st_size / MIB:.1f}"])
            print(f"{size:,} texts: {run.wall_seconds:.1f} s", file=sys.stderr)
    print(f"Story mode on dense corpora ({NOUNS_PER_TEXT} of {len(NOUNS)} nouns a text, seed {SEED}; "
          f"{os.cpu_count()} cores)\n")
    print(markdown_table(["texts", "scan s", "peak MiB (tree, Pss)", "max RSS MiB (largest process)", "candidate pairs", "clusters", "largest", "pairs listed",
                          "report MiB"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
