"""Where the time of a story scan goes, and the floor that a faster reader of the story
evidence would hit.

`dedup scan --mode story` of insm_de_press (13,518 German reports), or of a JSONL file
given, runs in this process the way the command runs it, with its workers as children.
For each phase it prints the wall time, this process's CPU and the workers' CPU:
  first pass    reading, cleaning and copy fingerprints, on the workers;
  evidence      the story evidence of every page, on the workers, while this process
                numbers the terms of each batch as it arrives (dedup.story.terms);
  copy pairs    the copy finder's pairs;
  story stage   signals and candidates, probabilities, groups, the evidence of shown pairs;
  report        the JSON report the command writes (--format json).

Then the same scan runs with its story evidence read beforehand: the workers, which fork
from this process, look each page's evidence up instead of reading it. Everything else
is unchanged, and the two scans must give the same clusters. Its time is the floor that
any faster reader of the evidence would meet (compiled code, say), since that reader
could cost nothing at best.

The target (the performance issue): TARGET = 1,000 documents a second on 2 cores. The
machine's speed drifts over the day, by up to 1.8 times in our measurements, so compare
only runs made in the same hour; --rounds alternates the two scans.

    python benchmarks/story_time.py
    python benchmarks/story_time.py --rounds 3
    python benchmarks/story_time.py --data /path/to/data
    python benchmarks/story_time.py path/to/articles.jsonl
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # harness.py, beside this file
from harness import markdown_table, process_tree  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

import dedup  # noqa: E402
import dedup.copy.fingerprint as fingerprint  # noqa: E402
import dedup.pipeline as pipeline  # noqa: E402
from dedup.io.writers import write_json  # noqa: E402
from dedup.model import StoryFeatures  # noqa: E402
from dedup.parallel import available_cores  # noqa: E402
from dedup.pipeline import ScanConfig  # noqa: E402
from dedup.story.terms import TermTable  # noqa: E402

DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data"
TARGET = 1_000
# The progress stage that opens each phase after the first (dedup.pipeline.run_scan's order).
PHASE_STARTS = {"fingerprint": "evidence", "compare": "copy pairs", "stories": "story stage"}
SCANS = {"as it is": "as-is", "evidence read beforehand": "looked-up"}


@dataclass
class Clock:
    """Wall time, this process's CPU (all its threads) and its workers' CPU, so far."""

    wall: float
    own: float
    workers: float

    @classmethod
    def now(cls) -> Clock:
        times = os.times()
        live = process_tree(os.getpid())
        live.pop(os.getpid(), None)
        # Workers that ended were reaped into the children's times; live ones are read in /proc.
        return cls(time.perf_counter(), times.user + times.system,
                   times.children_user + times.children_system + sum(live.values()))


class Timeline:
    """The clock at the start of each phase, and the CPU this process spends numbering terms."""

    def __init__(self) -> None:
        self.marks: list[tuple[str, Clock]] = []
        self.numbering = 0.0

    def mark(self, phase: str) -> None:
        self.marks.append((phase, Clock.now()))

    def progress(self, stage: str, done: int, total: int | None) -> None:
        phase = PHASE_STARTS.get(stage)
        if phase is not None and phase not in (name for name, _ in self.marks):
            self.mark(phase)

    def count_numbering(self) -> None:
        """TermTable.add timed on its thread's CPU clock from now on."""
        add = TermTable.add

        @functools.wraps(add)
        def timed(table, features):
            start = time.thread_time()
            try:
                return add(table, features)
            finally:
                self.numbering += time.thread_time() - start

        TermTable.add = timed


def keep_evidence(evidence: dict[str, StoryFeatures]) -> None:
    """Keep each page's story evidence by id, as the scan's second pass hands it to this process."""
    own_fingerprints = pipeline.own_fingerprints

    @functools.wraps(own_fingerprints)
    def keeping(*arguments, **keywords):
        for document in own_fingerprints(*arguments, **keywords):
            if document.story is not None:
                evidence[document.article.id] = document.story
            yield document

    pipeline.own_fingerprints = keeping


def one_scan(path: Path, how: str, evidence_file: Path) -> None:
    """One story scan and its JSON report, in this process: as it is (keeping the evidence in
    `evidence_file`), or with the evidence looked up there; the timeline goes to stdout as JSON."""
    evidence: dict[str, StoryFeatures] = {}
    if how == "as-is":
        keep_evidence(evidence)
    else:
        with evidence_file.open("rb") as file:
            evidence = pickle.load(file)  # written by the scan as it is, just before
        # The workers fork from this process: they inherit the evidence and this lookup.
        fingerprint.story_features = lambda article, with_summary=True: evidence[article.id]
    timeline = Timeline()
    timeline.count_numbering()
    timeline.mark("first pass")
    result = dedup.scan([str(path)], ScanConfig(mode="story"), timeline.progress)
    timeline.mark("report")
    write_json(result)
    timeline.mark("end")
    if how == "as-is":
        with evidence_file.open("wb") as file:
            pickle.dump(evidence, file, protocol=pickle.HIGHEST_PROTOCOL)
    clusters = sorted([cluster.relation.value, *cluster.members] for cluster in result.clusters)
    print(json.dumps({"documents": len(result.documents), "clusters": clusters, "numbering": timeline.numbering,
                      "marks": [[phase, asdict(clock)] for phase, clock in timeline.marks]}))


def phase_rows(marks: list[list]) -> list[list[str]]:
    clocks = [(phase, Clock(**clock)) for phase, clock in marks]
    rows = [[phase, f"{end.wall - start.wall:.1f}", f"{end.own - start.own:.1f}", f"{end.workers - start.workers:.1f}"]
            for (phase, start), (_, end) in zip(clocks, clocks[1:], strict=False)]
    first, last = clocks[0][1], clocks[-1][1]
    return [*rows, ["whole", f"{last.wall - first.wall:.1f}", f"{last.own - first.own:.1f}",
                    f"{last.workers - first.workers:.1f}"]]


def verdict(per_second: float) -> str:
    return "pass" if per_second >= TARGET else "FAIL"


def wall(run: dict) -> float:
    return run["marks"][-1][1]["wall"] - run["marks"][0][1]["wall"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("articles", nargs="?", type=Path, help="a JSONL corpus (default: insm_de_press)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--rounds", type=int, default=1, help="alternating rounds of the two scans")
    parser.add_argument("--one", choices=sorted(SCANS.values()), help=argparse.SUPPRESS)
    parser.add_argument("--evidence", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    path = arguments.articles or arguments.data / "insm_de_press" / "articles.jsonl"
    if not path.is_file():
        sys.exit(f"{path}: not found; give a JSONL corpus, or --data with insm_de_press/articles.jsonl in it")
    if arguments.one:
        one_scan(path, arguments.one, arguments.evidence)
        return

    runs: dict[str, list[dict]] = {label: [] for label in SCANS}
    with tempfile.TemporaryDirectory() as folder:
        evidence_file = Path(folder) / "evidence.pickle"
        # Each scan in a process of its own, as the command runs: each pays its imports and tables.
        for _ in range(max(arguments.rounds, 1)):
            for label, how in SCANS.items():
                command = [sys.executable, __file__, str(path), "--one", how, "--evidence", str(evidence_file)]
                finished = subprocess.run(command, capture_output=True, text=True, check=False)
                if finished.returncode != 0:
                    sys.exit(f"the {label} scan failed:\n{finished.stderr}")
                runs[label].append(json.loads(finished.stdout.splitlines()[-1]))

    documents = runs["as it is"][0]["documents"]
    print(f"# story scan of {path}: {documents:,} documents, {available_cores()} cores, "
          f"{len(runs['as it is'])} alternating round(s)\n")
    judged = path.parent.name == "insm_de_press"
    summary = []
    for label, measured in runs.items():
        best = min(map(wall, measured))
        summary.append([label, " / ".join(f"{wall(run):.1f}" for run in measured), f"{documents / best:,.0f}",
                        verdict(documents / best) if judged else "target is for insm_de_press",
                        f"{len(measured[0]['clusters']):,}"])
    print(markdown_table(["scan", "scan and JSON report, s", f"docs/s, best (target {TARGET:,})", "verdict",
                          "clusters"], summary))
    reference = runs["as it is"][0]["clusters"]
    same = all(run["clusters"] == reference for measured in runs.values() for run in measured)
    print(f"\nsame clusters in every scan: {'yes' if same else 'NO'}")
    for label, measured in runs.items():
        fastest = min(measured, key=wall)
        print(f"\n## {label}, the fastest round, by phase\n")
        print(markdown_table(["phase", "wall s", "this process CPU s", "workers CPU s"], phase_rows(fastest["marks"])))
        print(f"\nof this process's CPU, numbering terms (TermTable.add): {fastest['numbering']:.1f} s")


if __name__ == "__main__":
    main()
