"""Scaling benchmark of `dedup.scan` (issue 17): the local and the Ray engine, same clusters, growth.

Two tables, each row one scan run in a fresh Python process (see "Measuring" below):

A. Same clusters. The copy scan and the story scan (`--modes`, "all" too if asked) of
   insm_de_press (../shared/data/insm_de_press/articles.jsonl, 13,518 German press
   articles; `--limit N` takes the first N) with each engine (`--engines`): wall time,
   peak memory, documents per second, clusters, and whether the Ray engine gives the
   local engine's result: the same set of clusters (as sets of member ids) and the same
   verified pairs (ids, relation, similarity, containment, story score, compared
   exactly), in the same order or not.

B. Growth. A synthetic corpus grown from insm_de_press (benchmarks/synthetic.py: each
   document a base article with its sentences shuffled and a quarter of its words
   replaced, a tenth of them given a lightly edited, id-labelled copy) at each of
   `--sizes`, scanned in copy mode, and in story mode up to `--story-max` documents
   (`--growth-modes`), with each engine: seconds per stage, documents per second, peak
   memory, clusters, the recall of the planted copies (share of planted copy/original
   pairs in one cluster; "split": both in clusters, but not in one), the copy pairs found
   that were not planted, and whether Ray's clusters equal local's. Story mode clusters
   a copy with its original only when another report tells the same story (groups of
   copies alone are left to copy and all modes), so its recall is lower by design; the
   siblings of one base article share its names, numbers and date, so story mode joins
   them: its clusters are not planted ones.

Stages. `dedup.scan` reports progress as (stage, done, total), the stages in order
"read_bytes"/"read", "fingerprint", "compare" and, in story and all modes, "stories".
The time each is first and last reported splits the scan's wall time:

  start        Ray only: `import ray` and `ray.init` (timed by wrapping `ray.init`)
  read         reading and cleaning the input, to the first "fingerprint" report (which
               the scan sends as reading ends); the local engine's worker pool starts here
  fingerprint  learning each site's furniture, then fingerprinting (first to last report)
  lsh          last "fingerprint" to first "compare" report: the LSH candidate grouping,
               plus the first batch of verification, since verification reports per batch
               (local: 5,000 candidates; Ray: putting the shingle sets in the object store
               and the first 20,000-candidate chunk); compare with the candidates column
  verify       first to last "compare" report: the rest of the verification
  stories      last "compare" to last "stories" report (story and all modes)
  cluster      the rest of the scan: clustering and building the result
  stop         Ray only: `ray.shutdown` (timed by wrapping it)

A stage the scan did not report (no candidates: no "compare") counts as 0 s, its time
in the stage before it.

Measuring. Each scan runs as `python benchmarks/scale.py --child SPEC` (a new process:
no memory or warm caches carried from one scan to the next; the input file is read once
beforehand so the page cache is warm for every scan alike). While it runs, every
POLL_SECONDS the process and all its descendants are found through the parent ids in
/proc and their memory summed. What is counted:
  - the scan process itself, with the engine's driver side (documents' metadata,
    fingerprints, pairs, clusters);
  - local engine: its worker processes (a process pool forked per stage);
  - Ray engine: everything `ray.init` starts from the scan process, all its descendants:
    gcs_server, raylet (which holds the object store, shared memory in /dev/shm mapped
    by the raylet and the workers), the dashboard agent and log monitor, and the worker
    processes the raylet forks. Object store pages count when a process maps them.
The peak of the tree's summed Pss (from /proc/PID/smaps_rollup: a page shared by N
processes, forked workers or the object store, counts 1/N in each, so once in the sum)
is "peak MiB"; the summed RSS at the same moments (shared pages counted once per
process, an upper bound) is "RSS MiB". The table also says in which stage the peak fell
and which processes held it. Sampling a large process costs milliseconds, so samples
are spaced to keep the sampler under SAMPLER_CPU_SHARE of one core: a peak shorter than
the gap between samples can be missed. "wall s" is the whole process (Python start,
imports, the scan, writing the result), "scan s" the `dedup.scan` call, "CPU s" the user
and system time of the process and the descendants it reaped (from `wait4`).

Run it from the repository (the full run takes hours on 2 cores; the 1M-document corpus
is about 4.1 GB and takes some minutes to write, once):

    python benchmarks/scale.py                                       # tables A and B, all sizes
    python benchmarks/scale.py --limit 2000 --sizes 10000            # a quick run
    python benchmarks/scale.py --tables growth --sizes 100000,1000000 --engines local,ray
    python benchmarks/scale.py --tables same --modes copy,story,all
    python benchmarks/scale.py --tables growth --sizes 10000 --growth-modes copy,all

Without the corpus it prints one line and exits 0. It exits 1 if a scan failed.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # synthetic.py, beside this file
import synthetic
from harness import exit_signal, markdown_table, process_memory, process_tree

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data"
ARTICLES = Path("insm_de_press") / "articles.jsonl"
DEFAULT_WORK_DIR = synthetic.DEFAULT_WORK_DIR

DEFAULT_SIZES = "10000,100000,1000000"  # synthetic corpus sizes for table B
# Story mode is run up to this size only: at 1M documents it takes hours on a small machine.
DEFAULT_STORY_MAX = 100_000
ENGINES = ("local", "ray")
MODES = ("copy", "story", "all")

# Memory sampling: every POLL_SECONDS, or further apart when a sample gets expensive
# (smaps_rollup walks a process's page tables), so the sampler takes at most
# SAMPLER_CPU_SHARE of one core from the scan it measures.
POLL_SECONDS = 0.2
SAMPLER_CPU_SHARE = 0.05
# Descendants still running this long after the scan process ended are reported as left
# running (Ray's processes take a moment to exit after `ray.shutdown`).
LEFT_RUNNING_GRACE = 1.0
# Processes listed in the "peak held by" column, largest first.
PEAK_PROCESSES_SHOWN = 4
# Stages named in table A's "longest stages" column, longest first (table B shows all).
LONGEST_STAGES_SHOWN = 3
# Lines of a failed scan's stderr shown.
STDERR_TAIL = 20

MIB = 1024 * 1024
STAGES = ("start", "read", "fingerprint", "lsh", "verify", "stories", "cluster", "stop")


# --- The child: one scan in a fresh process ----------------------------------------------


def child(spec_path: str) -> None:
    """Run the scan the spec describes and write what it found and when, as JSON."""
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    import dedup  # here: timed as part of the process, not of the scan

    first: dict[str, float] = {}
    last: dict[str, float] = {}

    story_steps: dict[int, float] = {}  # the story stage's step (dedup.story.finder.STEPS) -> when it ended

    def progress(stage: str, done: int, total: int | None) -> None:
        now = time.perf_counter()
        first.setdefault(stage, now)
        last[stage] = now
        if stage == "stories":
            story_steps.setdefault(done, now)

    engine_times: dict[str, float] = {}
    started = time.perf_counter()
    if spec["engine"] == "ray":
        time_ray(engine_times)
    config = dedup.ScanConfig(mode=spec["mode"], engine=spec["engine"], jobs=spec["jobs"])
    result = dedup.scan([spec["input"]], config, progress)
    ended = time.perf_counter()

    clusters = [{"relation": getattr(cluster.relation, "value", str(cluster.relation)), "members": list(cluster.members),
                 "pairs": [pair_row(pair) for pair in cluster.pairs]} for cluster in result.clusters]
    output = {
        "documents": len(result.documents),
        "errors": len(result.errors),
        "stubs": len(result.stubs),
        "candidate_pairs": result.candidate_pairs,
        "lsh": [result.settings.get("lsh_bands"), result.settings.get("lsh_rows")],
        "scan_seconds": ended - started,
        "self_cpu_seconds": sum(resource.getrusage(resource.RUSAGE_SELF)[:2]),
        "marks": stage_marks(started, ended, first, last, engine_times),
        "story_steps": [story_steps[step] - story_steps[step - 1] for step in sorted(story_steps) if step - 1 in story_steps],
        "clusters": clusters,
    }
    if spec["planted"]:
        output |= planted_score(result)
    Path(spec["result"]).write_text(json.dumps(output), encoding="utf-8")


def time_ray(engine_times: dict[str, float]) -> None:
    """Import Ray and wrap `ray.init` and `ray.shutdown` so their seconds are known; the
    engine calls them as always (it finds them on the module)."""
    import ray
    import ray.data  # the engine imports it too, before ray.init: timed as start

    init, shutdown = ray.init, ray.shutdown

    def timed_init(*args, **kwargs):
        begun = time.perf_counter()
        try:
            return init(*args, **kwargs)
        finally:
            engine_times["init_end"] = time.perf_counter()
            engine_times["init_seconds"] = engine_times["init_end"] - begun

    def timed_shutdown(*args, **kwargs):
        begun = time.perf_counter()
        try:
            return shutdown(*args, **kwargs)
        finally:
            engine_times["stop_seconds"] = time.perf_counter() - begun

    ray.init, ray.shutdown = timed_init, timed_shutdown


def pair_row(pair) -> list:
    relation = getattr(pair.relation, "value", str(pair.relation))
    score = pair.evidence.score if getattr(pair, "evidence", None) is not None else None
    return [pair.a, pair.b, relation, pair.similarity, pair.containment, score]


def stage_marks(started: float, ended: float, first: dict[str, float], last: dict[str, float],
                engine_times: dict[str, float]) -> list[list]:
    """[stage, begin, end] in perf_counter seconds (one clock for all processes on Linux)."""
    start_end = engine_times.get("init_end", started)
    stop_begin = ended - engine_times.get("stop_seconds", 0.0)
    read_end = first.get("fingerprint", stop_begin)
    fingerprint_end = last.get("fingerprint", read_end)
    compare_last = last.get("compare", None)
    # No "compare" report (no candidates): the time is the LSH's, up to the next stage.
    lsh_end = first.get("compare", first.get("stories", compare_last or stop_begin))
    verify_end = compare_last if compare_last is not None else lsh_end
    stories_end = last.get("stories", verify_end)
    bounds = [started, start_end, read_end, fingerprint_end, lsh_end, verify_end, stories_end, stop_begin, ended]
    return [[name, bounds[index], bounds[index + 1]] for index, name in enumerate(STAGES)]


def planted_score(result) -> dict[str, object]:
    """Recall of the planted copies, and the copy pairs found that were not planted."""
    cluster_of = {member: number for number, cluster in enumerate(result.clusters) for member in cluster.members}
    planted = synthetic.planted_pairs(result.documents)
    found = sum(1 for copy, original in planted if copy in cluster_of and cluster_of[copy] == cluster_of.get(original))
    # Both in clusters, but not in one: the scan saw both as related to others, yet not to each other.
    split = sum(1 for copy, original in planted if copy in cluster_of and original in cluster_of
                and cluster_of[copy] != cluster_of[original])
    planted_keys = {frozenset(pair) for pair in planted}
    unplanted = sum(1 for cluster in result.clusters for pair in cluster.pairs
                    if getattr(pair.relation, "value", pair.relation) in ("duplicate", "copy")
                    and frozenset((pair.a, pair.b)) not in planted_keys)
    sizes = [len(cluster.members) for cluster in result.clusters]
    return {"planted": len(planted), "planted_found": found, "planted_split": split, "unplanted_copy_pairs": unplanted,
            "largest_cluster": max(sizes, default=0)}


# --- Measuring a process tree ------------------------------------------------------------


@dataclass
class Run:
    """One measured child process."""

    wall_seconds: float
    cpu_seconds: float  # user + system of the child and the descendants it reaped (wait4)
    descendants_cpu_seconds: float  # of every descendant, as last sampled
    peak_pss: int  # bytes, the peak of the tree's summed Pss
    peak_rss: int  # bytes, the tree's summed RSS at its peak
    peak_time: float  # perf_counter of the sample with the peak Pss
    peak_holders: list[tuple[str, int]]  # (process name, Pss bytes) at the peak, largest first
    peak_processes: int  # processes in the tree at the peak
    largest_max_rss: int  # bytes, the kernel's max RSS of the largest single process reaped
    samples: int
    exit_code: int
    stderr: str
    left_running: list[str]  # descendants seen that still ran after the child ended


def command_line(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as file:
            return file.read()
    except OSError:
        return b""


def process_name(pid: int, root: int) -> str:
    """What a process of the tree is: the scan process, a worker it forked (same command
    line), a Ray worker by its title ("ray::IDLE", "ray::_apply"), else its program."""
    if pid == root:
        return "scan process"
    command = command_line(pid)
    if command and command == command_line(root):
        return "forked worker"
    try:
        arguments = command.split(b"\0")
        name = arguments[0].decode("utf-8", "replace")
        if not name.startswith("ray::"):
            name = os.path.basename(name.split()[0]) if name else ""
            if name.startswith("python") and len(arguments) > 1:
                script = next((arg.decode("utf-8", "replace") for arg in arguments[1:] if arg.endswith(b".py")), "")
                name = os.path.basename(script) or name
        if name:
            return name
        with open(f"/proc/{pid}/comm", encoding="utf-8") as file:
            return file.read().strip()
    except OSError:
        return "?"


def measure(command: list[str]) -> Run:
    """Run the command, sampling its process tree's memory until it ends."""
    with tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=stderr)
        ended = exit_signal(process.pid)
        peak = (0, 0, started, [])
        samples = 0
        seen: dict[int, float] = {}  # pid -> CPU seconds when last sampled
        while True:
            sampling_started = time.process_time()
            now = time.perf_counter()
            sizes = []
            total_pss = total_rss = 0
            for pid, cpu in process_tree(process.pid).items():
                pss, rss = process_memory(pid)
                total_pss += pss
                total_rss += rss
                sizes.append((pid, pss))
                seen[pid] = cpu
            if total_pss > peak[0]:  # named now: the processes may be gone at the end
                peak = (total_pss, total_rss, now, [(process_name(pid, process.pid), pss) for pid, pss in sizes])
            samples += 1
            cost = time.process_time() - sampling_started  # CPU time: waiting for a core costs nothing
            if ended(max(POLL_SECONDS, cost * (1 / SAMPLER_CPU_SHARE - 1))):
                break
        wall = time.perf_counter() - started
        # wait4: the exit status with the kernel's resource use of the child and the
        # descendants it reaped (ru_maxrss: the largest single process).
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        stderr.seek(0)
        message = stderr.read().decode("utf-8", errors="replace")
    named: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    for name, pss in peak[3]:
        named[name] += pss
        counts[name] += 1
    holders = [(f"{name} x{counts[name]}" if counts[name] > 1 else name, size) for name, size in named.most_common()]
    time.sleep(LEFT_RUNNING_GRACE)
    left = [f"{pid} {process_name(pid, -1)}" for pid in sorted(set(seen) - {process.pid}) if running(pid)]
    descendants = sum(cpu for pid, cpu in seen.items() if pid != process.pid)
    return Run(wall, usage.ru_utime + usage.ru_stime, descendants, peak[0], peak[1], peak[2], holders, len(peak[3]), usage.ru_maxrss * 1024,
               samples, process.returncode, message, left)


def running(pid: int) -> bool:
    """Whether the process exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as file:
            return file.read().rpartition(")")[2].split()[0] != "Z"
    except (OSError, IndexError):
        return False


# --- Running scans -----------------------------------------------------------------------


@dataclass
class Scan:
    """A finished scan: how it was measured and what it found (None if it failed)."""

    corpus: str
    mode: str
    engine: str
    run: Run
    result: dict | None

    def cpu_seconds(self) -> float:
        """The scan process's own CPU time and each descendant's as last sampled (which
        misses at most a sample's gap of each), or wait4's, if more: Ray's processes are
        not all reaped by the scan process."""
        return max(self.run.cpu_seconds, self.result["self_cpu_seconds"] + self.run.descendants_cpu_seconds)

    def stage_seconds(self) -> dict[str, float]:
        return {name: end - begin for name, begin, end in self.result["marks"]}

    def peak_stage(self) -> str:
        for name, begin, end in self.result["marks"]:
            if begin <= self.run.peak_time <= end:
                return name
        first_begin = self.result["marks"][0][1]
        return "import" if self.run.peak_time < first_begin else "exit"


def run_scan(corpus: str, path: Path, mode: str, engine: str, jobs: int | None, planted: bool, work_dir: Path) -> Scan:
    print(f"scanning {corpus}: --mode {mode} --engine {engine} ...", file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory(dir=work_dir, prefix="scan-") as scratch:
        spec_path, result_path = Path(scratch, "spec.json"), Path(scratch, "result.json")
        spec = {"input": str(path), "mode": mode, "engine": engine, "jobs": jobs, "planted": planted, "result": str(result_path)}
        spec_path.write_text(json.dumps(spec), encoding="utf-8")
        run = measure([sys.executable, str(Path(__file__).resolve()), "--child", str(spec_path)])
        result = None
        if run.exit_code == 0 and result_path.exists():
            result = json.loads(result_path.read_text(encoding="utf-8"))
        else:
            tail = "\n".join(run.stderr.strip().splitlines()[-STDERR_TAIL:])
            print(f"  failed with exit code {run.exit_code}:\n{tail}", file=sys.stderr, flush=True)
    if run.left_running:
        print(f"  note: still running after the scan process ended: {', '.join(run.left_running)}", file=sys.stderr)
    return Scan(corpus, mode, engine, run, result)


def warm(path: Path) -> int:
    """Read the file once (so every scan finds it in the page cache); its non-empty lines."""
    with open(path, "rb") as lines:
        return sum(1 for line in lines if line.strip())


def first_articles(articles: Path, limit: int, work_dir: Path) -> Path:
    """A file of the first `limit` records of the corpus, in the work folder."""
    path = work_dir / f"insm-first-{limit}.jsonl"
    work_dir.mkdir(parents=True, exist_ok=True)
    with open(articles, encoding="utf-8") as source, open(path, "w", encoding="utf-8") as target:
        written = 0
        for line in source:
            if written == limit:
                break
            if line.strip():
                target.write(line)
                written += 1
    return path


# --- Comparing engines -------------------------------------------------------------------


def same_as(reference: Scan | None, scan: Scan) -> str:
    """Whether a scan's clusters and pairs equal the reference's (the local engine's)."""
    if reference is None or reference.result is None or scan.result is None:
        return "n/a"
    if reference is scan:
        return "(reference)"
    ours, theirs = reference.result["clusters"], scan.result["clusters"]
    cluster_sets = [{frozenset(cluster["members"]) for cluster in clusters} for clusters in (ours, theirs)]
    pair_lists = [[tuple(pair) for cluster in clusters for pair in cluster["pairs"]] for clusters in (ours, theirs)]
    clusters_same = cluster_sets[0] == cluster_sets[1]
    pairs_same = sorted(pair_lists[0], key=repr) == sorted(pair_lists[1], key=repr)
    if clusters_same and pairs_same:
        ordered = ([cluster["members"] for cluster in ours] == [cluster["members"] for cluster in theirs]
                   and pair_lists[0] == pair_lists[1])
        return "yes" if ordered else "yes (in another order)"
    notes = []
    if not clusters_same:
        notes.append(f"clusters: {len(cluster_sets[0] - cluster_sets[1])} only local, {len(cluster_sets[1] - cluster_sets[0])} only {scan.engine}")
    if not pairs_same:
        keyed = [{(pair[0], pair[1], pair[2]): pair[3:] for pair in pairs} for pairs in pair_lists]
        common = keyed[0].keys() & keyed[1].keys()
        differing = [key for key in common if keyed[0][key] != keyed[1][key]]
        largest = max((abs(keyed[0][key][0] - keyed[1][key][0]) for key in differing), default=0.0)
        notes.append(f"pairs: {len(keyed[0].keys() - common)} only local, {len(keyed[1].keys() - common)} only {scan.engine}, "
                     f"{len(differing)} with other values (similarity off by up to {largest:.2g})")
    return "NO: " + "; ".join(notes)


# --- Reporting ---------------------------------------------------------------------------


def machine() -> list[str]:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    ram = "?"
    try:
        with open("/proc/meminfo", encoding="utf-8") as file:
            for line in file:
                if line.startswith("MemTotal:"):
                    ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as file:
            cpu = next((line.split(":", 1)[1].strip() for line in file if line.startswith("model name")), cpu)
    except OSError:
        pass
    versions = []
    for package in ("dedup", "ray", "numpy"):
        try:
            versions.append(f"{package} {importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{package} not installed")
    return [
        f"machine: {cores} cores usable ({os.cpu_count()} in all), {cpu}, RAM {ram}",
        f"python {platform.python_version()} ({platform.python_implementation()}), {platform.platform()}",
        ", ".join(versions),
    ]


def mib(size: int) -> str:
    return f"{size / MIB:,.0f}"


def holders(run: Run) -> str:
    shown = ", ".join(f"{name} {mib(size)}" for name, size in run.peak_holders[:PEAK_PROCESSES_SHOWN])
    return f"{run.peak_processes} processes; {shown}"


def longest_stages(scan: Scan) -> str:
    seconds = sorted(scan.stage_seconds().items(), key=lambda item: -item[1])[:LONGEST_STAGES_SHOWN]
    return ", ".join(f"{name} {value:.1f}" for name, value in seconds)


def failed_row(scan: Scan, width: int) -> list[str]:
    return [scan.mode, scan.engine, f"FAILED (exit {scan.run.exit_code})", *[""] * (width - 3)]


def table_same(scans: list[Scan]) -> str:
    header = ["mode", "engine", "documents", "wall s", "scan s", "docs/s", "CPU s", "peak MiB", "RSS MiB",
              "peak in stage, held by", "longest stages s", "clusters", "pairs", "candidates", "same as local"]
    rows = []
    for scan in scans:
        if scan.result is None:
            rows.append(failed_row(scan, len(header)))
            continue
        result, run = scan.result, scan.run
        reference = next((other for other in scans if other.mode == scan.mode and other.engine == "local"), None)
        rows.append([
            scan.mode, scan.engine, f"{result['documents']:,}", f"{run.wall_seconds:.1f}", f"{result['scan_seconds']:.1f}",
            f"{result['documents'] / result['scan_seconds']:,.0f}", f"{scan.cpu_seconds():.1f}", mib(run.peak_pss), mib(run.peak_rss),
            f"{scan.peak_stage()}: {holders(run)}", longest_stages(scan), f"{len(result['clusters']):,}",
            f"{sum(len(cluster['pairs']) for cluster in result['clusters']):,}", f"{result['candidate_pairs']:,}",
            same_as(reference, scan),
        ])
    return markdown_table(header, rows)


def table_growth(scans: list[Scan]) -> str:
    header = ["documents", "mode", "engine", *(f"{name} s" for name in STAGES), "scan s", "docs/s", "CPU s", "peak MiB",
              "RSS MiB", "peak in stage, held by", "clusters (largest)", "candidates", "planted recall", "unplanted copy pairs",
              "same as local"]
    rows = []
    for scan in scans:
        if scan.result is None:
            rows.append([scan.corpus, *failed_row(scan, len(header) - 1)])
            continue
        result, run = scan.result, scan.run
        seconds = scan.stage_seconds()
        reference = next((other for other in scans if other.corpus == scan.corpus and other.mode == scan.mode
                          and other.engine == "local"), None)
        recall = result["planted_found"] / result["planted"] if result["planted"] else 0.0
        rows.append([
            f"{result['documents']:,}", scan.mode, scan.engine, *(f"{seconds[name]:.1f}" for name in STAGES),
            f"{result['scan_seconds']:.1f}", f"{result['documents'] / result['scan_seconds']:,.0f}", f"{scan.cpu_seconds():.1f}",
            mib(run.peak_pss), mib(run.peak_rss), f"{scan.peak_stage()}: {holders(run)}",
            f"{len(result['clusters']):,} ({result['largest_cluster']})", f"{result['candidate_pairs']:,}",
            f"{recall:.4f} ({result['planted_found']:,}/{result['planted']:,}, {result['planted_split']:,} split)",
            f"{result['unplanted_copy_pairs']:,}",
            same_as(reference, scan),
        ])
    return markdown_table(header, rows)


# The steps of the story stage, in the order dedup.story.finder reports them.
STORY_STEPS = ("signals", "candidates", "scores", "linkage", "evidence")


def table_story_steps(scans: list[Scan]) -> str:
    """Where the story stage's time goes: signal matrices (global: built on the driver from
    every document's features), candidates (salient-word LSH, banded by the engine), the
    pair model's scores (driver threads), average linkage and the evidence of the kept pairs."""
    rows = []
    for scan in scans:
        steps = (scan.result or {}).get("story_steps") or []
        if len(steps) == len(STORY_STEPS):
            rows.append([f"{scan.result['documents']:,}", scan.mode, scan.engine, *(f"{seconds:.1f}" for seconds in steps),
                         f"{scan.result['candidate_pairs']:,}"])
    return markdown_table(["documents", "mode", "engine", *(f"{name} s" for name in STORY_STEPS), "candidates"], rows) if rows else ""


def notes(scans: list[Scan]) -> list[str]:
    lines = []
    for scan in scans:
        if scan.result is not None and (scan.result["errors"] or scan.result["stubs"]):
            lines.append(f"- {scan.corpus} {scan.mode} {scan.engine}: {scan.result['errors']:,} input errors, "
                         f"{scan.result['stubs']:,} stubs")
        if scan.run.left_running:
            lines.append(f"- {scan.corpus} {scan.mode} {scan.engine}: processes left running: {', '.join(scan.run.left_running)}")
    return lines


# --- Main ---------------------------------------------------------------------------------


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with insm_de_press/ (default: %(default)s)")
    parser.add_argument("--tables", default="same,growth", help="which tables: same (A), growth (B) (default: %(default)s)")
    parser.add_argument("--limit", type=int, help="table A: scan only the first N articles of insm_de_press")
    parser.add_argument("--modes", default="copy,story", help="table A: scan modes (copy, story, all; default: %(default)s)")
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="table B: synthetic corpus sizes (default: %(default)s)")
    parser.add_argument("--growth-modes", default="copy,story",
                        help="table B: scan modes (default: %(default)s; all: copy groups too, see the docstring)")
    parser.add_argument("--story-max", type=int, default=DEFAULT_STORY_MAX,
                        help="table B: story and all modes only up to this many documents (default: %(default)s)")
    parser.add_argument("--engines", default="local,ray", help="engines, local first (default: %(default)s)")
    parser.add_argument("--jobs", type=int, help="worker processes, or Ray CPUs (default: all cores)")
    parser.add_argument("--work-dir", type=Path, default=DEFAULT_WORK_DIR,
                        help="synthetic corpora (kept and reused) and scratch (default: %(default)s)")
    parser.add_argument("--child", metavar="SPEC", help=argparse.SUPPRESS)  # internal: run one scan
    arguments = parser.parse_args()
    for name, allowed in (("tables", ("same", "growth")), ("modes", MODES), ("growth_modes", MODES), ("engines", ENGINES)):
        values = [value.strip() for value in getattr(arguments, name).split(",") if value.strip()]
        unknown = set(values) - set(allowed)
        if unknown or not values:
            parser.error(f"--{name.replace('_', '-')}: use some of {', '.join(allowed)}")
        setattr(arguments, name, values)
    try:
        arguments.sizes = [int(size.replace("_", "")) for size in arguments.sizes.split(",") if size.strip()]
    except ValueError:
        parser.error("--sizes: numbers separated by commas, such as 10000,100000")
    return arguments


def main() -> None:
    arguments = parse_arguments()
    if arguments.child:
        child(arguments.child)
        return
    articles = arguments.data / ARTICLES
    if not articles.is_file():
        print(f"skipped: no {articles}")
        return
    work_dir = arguments.work_dir.resolve()
    work_dir.mkdir(parents=True, exist_ok=True)
    print("\n".join(machine()))
    print(f"engines: {', '.join(arguments.engines)}; jobs: {arguments.jobs or 'all cores'}; work dir: {work_dir}")
    print()
    failed = False

    if "same" in arguments.tables:
        path = first_articles(articles, arguments.limit, work_dir) if arguments.limit else articles
        documents = warm(path)
        scans = [run_scan("insm_de_press", path, mode, engine, arguments.jobs, False, work_dir)
                 for mode in arguments.modes for engine in arguments.engines]
        failed |= any(scan.result is None for scan in scans)
        print(f"## A. Same clusters: insm_de_press, {documents:,} articles" + (f" (the first {arguments.limit:,})" if arguments.limit else ""))
        print()
        print(table_same(scans))
        print()
        print(table_story_steps(scans))
        print()
        print("\n".join(notes(scans)))
        print()

    if "growth" in arguments.tables:
        scans = []
        corpora = []
        for size in arguments.sizes:
            path, meta = synthetic.synthetic_corpus(size, articles, work_dir, lambda message: print(message, file=sys.stderr, flush=True))
            corpora.append((path, meta))
            warm(path)
            modes = [mode for mode in arguments.growth_modes if mode == "copy" or size <= arguments.story_max]
            scans += [run_scan(str(size), path, mode, engine, arguments.jobs, True, work_dir)
                      for mode in modes for engine in arguments.engines]
        failed |= any(scan.result is None for scan in scans)
        print("## B. Growth: synthetic corpora grown from insm_de_press (benchmarks/synthetic.py)")
        print()
        print(table_growth(scans))
        print()
        print(table_story_steps(scans))
        print()
        print("Stages: see the top of benchmarks/scale.py; lsh includes the first batch of verification. "
              "Planted recall: planted copy pairs in one cluster (split: both clustered, but apart). In story mode a "
              "copy and its original are clustered only when some other report tells the same story: story mode "
              "leaves out groups of copies alone (all mode keeps them), so its recall is not the copy finder's. "
              "Unplanted copy pairs: copy or duplicate pairs found between documents not planted as copies "
              "(story pairs are not counted).")
        bands = sorted({tuple(scan.result["lsh"]) for scan in scans if scan.result is not None and scan.result.get("lsh")})
        if bands:
            print(f"LSH: {' or '.join(f'{b} bands of {r} rows' for b, r in bands)}; the Ray engine shuffles one row per "
                  "document and band.")
        print()
        print(markdown_table(["documents", "file", "MiB", "planted copies", "clearing the copy rule by the generator's 5-grams",
                              "planted Jaccard min / median", "generated in s"],
                             [[f"{meta['documents']:,}", path.name, mib(meta["bytes"]), f"{meta['planted_copies']:,}",
                               f"{meta['planted_clearing_rule']:,}",
                               f"{meta['planted_jaccard_min']} / {meta['planted_jaccard_median']}", f"{meta['seconds']}"]
                              for path, meta in corpora]))
        print()
        print("\n".join(notes(scans)))
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
