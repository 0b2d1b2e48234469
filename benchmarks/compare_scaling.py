"""How the time of `dedup.compare(a, b)` grows with the length of the two reports.

Issue 14: comparing two reports of about 1 MB did not finish (25 KB 2.1 s, 50 KB 5.2 s,
100 KB 16.9 s: the time tripled as the size doubled). The comparer now scores only the
sentence pairs that blocking proposes (dedup/facts/blocking.py), so its time should about
double as the reports double. This prints, for each size:

    size       the target size of each report (25 KB ... 1 MB; 1 KB = 1024 bytes of UTF-8)
    sentences  the sentences of the left and the right report
    pairs      candidate pairs (what blocking proposes; every pair where there is no blocking),
               exact scores (calls of SentenceMatcher.similarity: the candidates the cheap
               bounds could not rule out) and all pairs (left sentences × right sentences)
    wall s     wall-clock seconds of one `compare(left, right)`
    cpu s      CPU seconds of this process for it (steadier than wall time on a busy machine)
    ×/2        the growth per doubling of the size: (cpu / previous cpu) ** (1 / doublings),
               where doublings = log2(size / previous size); 2.0 is linear, 4.0 quadratic
    rows, atoms  what the comparison found, for a sanity check
    max RSS    the process's peak resident memory so far

The reports: every article of basil, pac and ecbplus in ../shared/data (English news; each
corpus groups articles by the event they report), dealt in turn to the left and the right
report within each event, so the two reports tell the same events in different words, as
two long reports compared in earnest do. Each report is cut at the last paragraph break
before the size. The texts are read from the data folder and never copied. One small
comparison runs first, so the tables the comparer loads once per process (place names,
word frequencies: about 2 s) are not counted in the first size.

    python benchmarks/compare_scaling.py
    python benchmarks/compare_scaling.py --data /path/to/shared/data --sizes 25,50,100
    python benchmarks/compare_scaling.py --exhaustive-up-to 100   # also score every pair up to 100 KB
                                                                  # and say whether the rows are the same

Without the data folder it prints one line and exits 0.

With --exhaustive-up-to, the sizes up to that many KB are compared a second time looking
at every sentence pair (`align(..., exhaustive=True)`), and the table is followed by
whether the rows and atoms are the same.

Constants (printed at the end from the modules themselves): blocking's candidates per
sentence and common-stem limit, the frequent-gram share of the score's bound, the
paraphrase threshold, the largest report compare reads.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Self

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))  # so that `python benchmarks/compare_scaling.py` finds dedup

from dedup.facts import align as align_module
from dedup.facts import compare as compare_module
from dedup.facts import matcher as matcher_module
from dedup.model import Article

DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data"
CORPORA = ("basil", "pac", "ecbplus")
DEFAULT_SIZES_KB = (25, 50, 100, 200, 400, 1024)
KB = 1024


def read_events(data: Path) -> list[list[str]]:
    """The article texts of each event, corpus by corpus, in file order."""
    events: dict[tuple[str, str], list[str]] = defaultdict(list)
    for corpus in CORPORA:
        with open(data / corpus / "articles.jsonl", encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                events[(corpus, str(record.get("cluster")))].append(record["text"].strip())
    return list(events.values())


def report_pair(events: list[list[str]], size: int) -> tuple[str, str]:
    """Two reports of about `size` bytes each: the articles of each event dealt in turn."""
    sides: tuple[list[str], list[str]] = ([], [])
    for articles in events:
        for position, text in enumerate(articles):
            sides[position % 2].append(text)
    return _cut("\n\n".join(sides[0]), size), _cut("\n\n".join(sides[1]), size)


def _cut(text: str, size: int) -> str:
    """The text up to the last paragraph break within `size` bytes."""
    head = text.encode("utf-8")[:size].decode("utf-8", "ignore")
    if len(head) < len(text):
        head = head[: max(head.rfind("\n\n"), 0)] or head
    return head


class PairCounter:
    """Counts the candidate pairs (by wrapping blocking as the aligner calls it) and the
    exact scores (by wrapping SentenceMatcher.similarity) of the comparisons in its block."""

    def __init__(self) -> None:
        self.candidates: int | None = None  # None: the aligner does not block (every pair)
        self.scores = 0
        self.similarity = matcher_module.SentenceMatcher.similarity
        self.blocking = getattr(align_module, "candidate_pairs", None)

    def __enter__(self) -> Self:
        similarity, blocking = self.similarity, self.blocking

        def counted_similarity(matcher, a, b):
            self.scores += 1
            return similarity(matcher, a, b)

        def counted_blocking(*args, **kwargs):
            pairs = blocking(*args, **kwargs)
            self.candidates = (self.candidates or 0) + len(pairs)
            return pairs

        matcher_module.SentenceMatcher.similarity = counted_similarity
        if blocking is not None:
            align_module.candidate_pairs = counted_blocking
        return self

    def __exit__(self, *exc) -> None:
        matcher_module.SentenceMatcher.similarity = self.similarity
        if self.blocking is not None:
            align_module.candidate_pairs = self.blocking


def timed_compare(left: str, right: str, exhaustive: bool = False):
    original_align = align_module.align
    if exhaustive:
        compare_module.align = lambda *args: original_align(*args, exhaustive=True)
    try:
        with PairCounter() as counter:
            wall, cpu = time.perf_counter(), time.process_time()
            diff = compare_module.compare(Article("left", left, origin="left"), Article("right", right, origin="right"))
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        compare_module.align = original_align
    all_pairs = len(diff.left_sentences) * len(diff.right_sentences)
    candidates = all_pairs if counter.candidates is None or exhaustive else counter.candidates
    return diff, candidates, counter.scores, wall, cpu


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES_KB)), help="report sizes in KB, comma-separated")
    parser.add_argument("--exhaustive-up-to", type=int, default=0, metavar="KB",
                        help="for sizes up to KB, also score every pair and say whether the rows are the same")
    parser.add_argument("--stop-after", type=float, default=600.0, metavar="SECONDS",
                        help="skip the larger sizes once one size took longer than this")
    args = parser.parse_args(argv)
    if not all((args.data / corpus / "articles.jsonl").is_file() for corpus in CORPORA):
        print(f"compare scaling benchmark: no {', '.join(CORPORA)} under {args.data}; nothing measured")
        return 0
    sizes = [int(size) for size in args.sizes.split(",")]
    events = read_events(args.data)
    compare_module.compare(Article("warm-up", events[0][0]), Article("warm-up", events[0][1]))

    print(f"compare scaling benchmark (data: {args.data}; reports from {', '.join(CORPORA)})\n")
    print("| size | bytes left / right | sentences | candidate pairs | exact scores | all pairs | wall s | cpu s | ×/2 (cpu) "
          "| rows | atoms | max RSS MB |")
    print("|-----:|-------------------:|----------:|----------------:|-------------:|----------:|-------:|------:|----------:"
          "|-----:|------:|-----------:|")
    previous: tuple[int, float] | None = None
    checks = []
    for size_kb in sizes:
        left, right = report_pair(events, size_kb * KB)
        diff, candidates, scored, wall, cpu = timed_compare(left, right)
        sentences = (len(diff.left_sentences), len(diff.right_sentences))
        growth = ""
        if previous is not None and cpu > 0 and previous[1] > 0:
            growth = f"{(cpu / previous[1]) ** (1 / math.log2(size_kb / previous[0])):.2f}"
        size_label = f"{size_kb // KB} MB" if size_kb % KB == 0 else f"{size_kb} KB"
        print(f"| {size_label} | {len(left.encode()):,} / {len(right.encode()):,} | {sentences[0]:,} / {sentences[1]:,} "
              f"| {candidates:,} | {scored:,} | {sentences[0] * sentences[1]:,} | {wall:.2f} | {cpu:.2f} | {growth} "
              f"| {len(diff.rows):,} | {len(diff.atoms):,} | {max_rss_mb():,.0f} |", flush=True)
        if size_kb <= args.exhaustive_up_to:
            full, _, full_scored, full_wall, _ = timed_compare(left, right, exhaustive=True)
            checks.append((size_label, full.rows == diff.rows and full.atoms == diff.atoms, full_scored, full_wall))
        previous = (size_kb, cpu)
        if wall > args.stop_after:
            print(f"(stopped: {size_label} took more than {args.stop_after:.0f} s)")
            break
    if checks:
        print("\nBlocked against exhaustive (every pair scored):")
        for size_label, same, full_scored, full_wall in checks:
            print(f"  {size_label}: rows and atoms {'identical' if same else 'DIFFERENT'}; exhaustive took "
                  f"{full_scored:,} exact scores and {full_wall:.2f} s")
    blocking = sys.modules.get("dedup.facts.blocking")
    print("\nConstants:")
    if blocking is not None:
        print(f"  CANDIDATES_PER_SENTENCE = {blocking.CANDIDATES_PER_SENTENCE} (dedup/facts/blocking.py): a sentence is looked at "
              "with the sentences of the other report that share the most IDF-weighted content stems with it, at most this many")
        print(f"  COMMON_STEM_SENTENCES = {blocking.COMMON_STEM_SENTENCES} (dedup/facts/blocking.py): a stem in more sentences "
              "than this in each report is shared by too many to count")
    frequent = getattr(matcher_module, "FREQUENT_GRAM_SHARE", None)
    if frequent is not None:
        print(f"  FREQUENT_GRAM_SHARE = {frequent} (dedup/facts/matcher.py): character grams in more than this share of the "
              "sentences enter the cosine's bound by their norm alone")
    print(f"  PARAPHRASE_THRESHOLD = {matcher_module.PARAPHRASE_THRESHOLD} (dedup/facts/matcher.py)")
    limit = getattr(compare_module, "MAX_REPORT_BYTES", None)
    if limit is not None:
        print(f"  MAX_REPORT_BYTES = {limit:,} (dedup/facts/compare.py): a longer report is refused with a one-line message")
    print("  1 KB = 1,024 bytes of UTF-8; times of one run each, after a warm-up comparison")
    return 0


if __name__ == "__main__":
    sys.exit(main())
