"""End-to-end benchmark of `dedup scan --mode copy` against the documented datasketch way.

What it measures, on the INSM German press corpus (../shared/data/insm_de_press:
`articles.jsonl`, 13,518 articles, and `pairs_same_url_silver.jsonl`, 268 pairs of ids
that share a URL, i.e. one article scraped through two feeds):

* ours: `python -m dedup scan articles.jsonl --mode copy --format json --output FILE --quiet`,
  run as a subprocess, exactly as a user would run it;
* the peer: this same file run with `--peer`, doing what datasketch's documentation shows
  and nothing clever (see `peer_scan`);
* the fastest peer: the same job with rensa's MinHash in Rust (`--rensa-peer`, see
  `rensa_peer_scan`; `pip install rensa`, or the `bench` extra), the same shingles,
  threshold and exact verification, clusters by union-find;

and, for each, the share of the silver pairs whose two ids end up in one cluster, the
number of clusters, the wall time of the whole process, documents per second, and the
peak memory of the whole process tree. Then the speed ratio (peer wall time / ours,
target at least 8x) and the memory ratio (our peak / the peer's, target at most 0.5);
against rensa, at least 2x its speed, at most half its peak memory, and as many silver
pairs found. All three run one after the other in the same run, on the same machine.
Last, what our scan learnt of the sites' page furniture (dedup/text/furniture.py): the
stubs by source, the furniture sentences of the top sites, and the largest clusters with
their sources and distinct titles (a cluster of many titles from one site would be held
together by a template).

Run it from anywhere:

    python benchmarks/copies.py                   # ours and both peers (datasketch's takes minutes)
    python benchmarks/copies.py --skip-peer       # ours and rensa (--skip-rensa: ours alone)
    python benchmarks/copies.py --jobs 1 --corpus /path/to/insm_de_press

Without the corpus folder it prints one line and exits 0, so machines without the data
skip it. It exits 1 only if a scan fails; a missed target prints FAIL but is not an error
(timings depend on the machine).

Memory: every POLL_SECONDS (50 ms) the process and all its descendants (our scan forks
worker processes) are found through the parent ids in /proc/*/stat, and their memory is
summed: Pss from /proc/PID/smaps_rollup, which splits pages shared by forked workers among
them instead of counting them once per process as RSS would, or VmRSS from
/proc/PID/status where smaps_rollup cannot be read. The peak of that sum is reported.
Reading smaps_rollup walks a process's page tables (about 16 ms for 1.3 GB), so samples
are spaced further apart when they get expensive, keeping the sampler under
SAMPLER_CPU_SHARE (5%) of one core: on 2 cores, a sampler at 50 ms took some 16% of a
core from our scan. A peak shorter than the gap between two samples can be missed; as a
cross-check, the max RSS of the largest single process of the tree comes from the kernel
(`wait4`). Wall time runs from starting the process to its exit, seen at once through a
pidfd rather than at the next sample.

The peer's constants (datasketch's documented example values, also those of the corpus
README's quick check): PEER_NUM_PERM = 128 permutations, LSH threshold PEER_THRESHOLD = 0.5,
shingles are word 5-grams (PEER_SHINGLE_WORDS) of the lowercased text split by `\\w+`;
candidates are verified by the exact Jaccard of the shingle sets, at the same threshold.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # harness.py, beside this file
from harness import Run, markdown_table, measure  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "data" / "insm_de_press"
ARTICLES_FILE = "articles.jsonl"
SILVER_PAIRS_FILE = "pairs_same_url_silver.jsonl"

# The peer: datasketch's documented example values.
PEER_NUM_PERM = 128  # permutations per MinHash
PEER_THRESHOLD = 0.5  # MinHashLSH threshold, and the exact-Jaccard bar for a verified pair
PEER_SHINGLE_WORDS = 5  # shingles are word 5-grams
WORD = re.compile(r"\w+")

TARGET_SILVER_SHARE = 0.98  # ours: share of silver pairs found in one cluster, at least
TARGET_SPEEDUP = 8.0  # the datasketch peer's wall time / ours, at least
TARGET_MEMORY_RATIO = 0.5  # our peak memory / the datasketch peer's, at most
TARGET_RENSA_SPEEDUP = 2.0  # the rensa peer's wall time / ours, at least
TARGET_RENSA_MEMORY_RATIO = 0.5  # our peak memory / the rensa peer's, at most

MIB = 1024 * 1024


# --- The peer: the documented datasketch way -------------------------------------------


def word_shingles(text: str) -> set[str]:
    """The set of word 5-grams of the lowercased text, each joined with spaces."""
    words = WORD.findall(text.lower())
    n = PEER_SHINGLE_WORDS
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 0.0  # two texts too short for a single shingle are not evidence of a copy
    return len(a & b) / len(a | b)


def shingled_records(articles_path: str) -> Iterator[tuple[str, set[str]]]:
    """(id, word shingles) of each record of a JSONL file, streamed."""
    with open(articles_path, encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                record = json.loads(line)
                yield record["id"], word_shingles(record["text"])


def peer_scan(articles_path: str, output_path: str) -> None:
    """MinHash per document with one `update` per shingle, `MinHashLSH` insert then query,
    candidates verified by the exact Jaccard of the kept shingle sets, as the datasketch
    documentation recommends when exact results matter; verified pairs are joined into
    clusters by union-find. The records are streamed: only ids, sets and MinHashes stay."""
    from datasketch import MinHash, MinHashLSH  # noqa: PLC0415 -- only the peer needs it

    lsh = MinHashLSH(threshold=PEER_THRESHOLD, num_perm=PEER_NUM_PERM)
    ids: list[str] = []
    shingle_sets: list[set[str]] = []
    minhashes: list[MinHash] = []
    for doc_id, shingles in shingled_records(articles_path):
        minhash = MinHash(num_perm=PEER_NUM_PERM)
        for shingle in shingles:
            minhash.update(shingle.encode("utf8"))
        lsh.insert(doc_id, minhash)
        ids.append(doc_id)
        shingle_sets.append(shingles)
        minhashes.append(minhash)

    position_of = {doc_id: position for position, doc_id in enumerate(ids)}
    candidates = 0
    pairs: list[tuple[str, str]] = []
    for position, minhash in enumerate(minhashes):
        for other_id in lsh.query(minhash):
            other = position_of[other_id]
            if other <= position:  # the document itself, or a pair already checked from its other side
                continue
            candidates += 1
            if jaccard(shingle_sets[position], shingle_sets[other]) >= PEER_THRESHOLD:
                pairs.append((ids[position], other_id))

    write_peer_output(output_path, ids, pairs, {
        "library": "datasketch MinHash/MinHashLSH",
        "shingles": f"word:{PEER_SHINGLE_WORDS}",
        "num_perm": PEER_NUM_PERM,
        "threshold": PEER_THRESHOLD,
        "lsh_bands": lsh.b,
        "lsh_rows": lsh.r,
        "verify": f"exact Jaccard >= {PEER_THRESHOLD}",
        "candidate_pairs": candidates,
        "verified_pairs": len(pairs),
    })


# --- The fast peer: rensa, MinHash in Rust ------------------------------------------------

# rensa's RMinHashLSH takes the band count, which must divide num_perm. datasketch picks
# 25 bands x 5 rows for PEER_THRESHOLD at PEER_NUM_PERM (S-curve midpoint (1/25)^(1/5) =
# 0.53); of the divisors of 128, 32 x 4 (midpoint 0.42) is the nearest that loses no recall
# (16 x 8 would put it at 0.71, above the threshold).
RENSA_BANDS = 32
RENSA_SEED = 42  # rensa's documented example seed; any fixed seed does


def rensa_peer_scan(articles_path: str, output_path: str) -> None:
    """The same job with rensa (https://github.com/beowolx/rensa, MIT): the same shingles,
    one `RMinHash` per document fed with them, `RMinHashLSH` insert then query, candidates
    verified by the exact Jaccard of the kept shingle sets at the same threshold, clusters
    by union-find. As in `peer_scan`, records are streamed and only ids, sets and sketches stay."""
    from rensa import RMinHash, RMinHashLSH  # noqa: PLC0415 -- only this peer needs it (pip install rensa)

    lsh = RMinHashLSH(threshold=PEER_THRESHOLD, num_perm=PEER_NUM_PERM, num_bands=RENSA_BANDS)
    ids: list[str] = []
    shingle_sets: list[set[str]] = []
    minhashes: list[RMinHash] = []
    for doc_id, shingles in shingled_records(articles_path):
        minhash = RMinHash(num_perm=PEER_NUM_PERM, seed=RENSA_SEED)
        minhash.update(list(shingles))
        lsh.insert(len(ids), minhash)  # rensa's keys are integers: the position
        ids.append(doc_id)
        shingle_sets.append(shingles)
        minhashes.append(minhash)

    candidates = 0
    pairs: list[tuple[str, str]] = []
    for position, minhash in enumerate(minhashes):
        for other in lsh.query(minhash):
            if other <= position:  # the document itself, or a pair already checked from its other side
                continue
            candidates += 1
            if jaccard(shingle_sets[position], shingle_sets[other]) >= PEER_THRESHOLD:
                pairs.append((ids[position], ids[other]))
    write_peer_output(output_path, ids, pairs, {
        "library": "rensa RMinHash/RMinHashLSH",
        "shingles": f"word:{PEER_SHINGLE_WORDS}",
        "num_perm": PEER_NUM_PERM,
        "threshold": PEER_THRESHOLD,
        "lsh_bands": RENSA_BANDS,
        "lsh_rows": PEER_NUM_PERM // RENSA_BANDS,
        "verify": f"exact Jaccard >= {PEER_THRESHOLD}",
        "candidate_pairs": candidates,
        "verified_pairs": len(pairs),
    })


def write_peer_output(output_path: str, ids: list[str], pairs: list[tuple[str, str]], settings: dict[str, object]) -> None:
    """A peer's clusters in the shape of our scan's JSON report, for the same scoring."""
    output = {
        "schema": "benchmarks.copies.peer/1",
        "mode": "copy",
        "documents": len(ids),
        "clusters": [
            {"id": f"c{number}", "relation": "copy", "members": members}
            for number, members in enumerate(union_find_clusters(ids, pairs), start=1)
        ],
        "errors": [],
        "settings": settings,
    }
    with open(output_path, "w", encoding="utf-8") as file:
        json.dump(output, file)


def union_find_clusters(ids: list[str], pairs: list[tuple[str, str]]) -> list[list[str]]:
    """Groups of two or more ids joined by the pairs, members and groups in input order."""
    parent = {doc_id: doc_id for doc_id in ids}

    def root(doc_id: str) -> str:
        while parent[doc_id] != doc_id:
            parent[doc_id] = parent[parent[doc_id]]  # path halving keeps the trees flat
            doc_id = parent[doc_id]
        return doc_id

    for a, b in pairs:
        parent[root(a)] = root(b)
    groups: dict[str, list[str]] = {}
    for doc_id in ids:
        groups.setdefault(root(doc_id), []).append(doc_id)
    return [members for members in groups.values() if len(members) > 1]


@dataclass
class Score:
    """How a scan's clusters do on the silver pairs."""

    documents: int
    silver_found: int
    silver_total: int
    clusters: int
    clusters_by_relation: Counter[str] = field(default_factory=Counter)
    settings: dict[str, object] = field(default_factory=dict)
    stubs: list[str] = field(default_factory=list)
    furniture: dict[str, int] = field(default_factory=dict)
    largest: list[list[str]] = field(default_factory=list)  # the members of the largest clusters

    @property
    def silver_share(self) -> float:
        return self.silver_found / self.silver_total if self.silver_total else 0.0


def read_silver_pairs(path: Path) -> list[tuple[str, str]]:
    with open(path, encoding="utf-8") as lines:
        pairs = [json.loads(line) for line in lines if line.strip()]
    return [(pair["a"], pair["b"]) for pair in pairs]


def count_records(path: Path) -> int:
    """Non-empty lines of a JSONL file; reading it also warms the page cache for both scans."""
    with open(path, "rb") as lines:
        return sum(1 for line in lines if line.strip())


def score(output_path: Path, silver_pairs: list[tuple[str, str]]) -> Score:
    with open(output_path, encoding="utf-8") as file:
        output = json.load(file)
    cluster_of = {member: number for number, cluster in enumerate(output["clusters"]) for member in cluster["members"]}
    found = sum(1 for a, b in silver_pairs if a in cluster_of and cluster_of[a] == cluster_of.get(b))
    by_relation = Counter(cluster["relation"] for cluster in output["clusters"])
    largest = sorted((cluster["members"] for cluster in output["clusters"]), key=len, reverse=True)[:LARGEST_SHOWN]
    return Score(output["documents"], found, len(silver_pairs), len(output["clusters"]), by_relation, output.get("settings", {}),
                 output.get("stubs", []), output.get("furniture", {}), largest)


# Site furniture (dedup/text/furniture.py): the sites with most furniture sentences shown,
# and the largest copy clusters, each with its sources and distinct titles, so a cluster
# held together by a template (many sources' titles, one site) shows at a glance.
FURNITURE_SITES_SHOWN = 10
LARGEST_SHOWN = 5


def print_furniture(result: Score, articles: Path) -> None:
    meta = {}
    with open(articles, encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                record = json.loads(line)
                meta[str(record.get("id"))] = (record.get("source") or "?", record.get("title") or "")
    stub_sources = Counter(meta.get(stub, ("?", ""))[0] for stub in result.stubs)
    print(f"\nstubs (pages too short to judge once their site's furniture is out): {len(result.stubs):,}; "
          f"by source: {', '.join(f'{source} {count}' for source, count in stub_sources.most_common(FURNITURE_SITES_SHOWN))}")
    print(f"sites with furniture: {len(result.furniture)}; furniture sentences learnt, top {FURNITURE_SITES_SHOWN}:\n")
    print(markdown_table(["site", "furniture sentences"],
                         [[site, str(count)] for site, count in list(result.furniture.items())[:FURNITURE_SITES_SHOWN]]))
    print(f"\nlargest {LARGEST_SHOWN} clusters (a cluster of many different titles from one site would be a template's):\n")
    rows = []
    for members in result.largest:
        sources = Counter(meta.get(member, ("?", ""))[0] for member in members)
        titles = {meta.get(member, ("?", ""))[1] for member in members}
        rows.append([str(len(members)), ", ".join(f"{source} {count}" for source, count in sources.most_common(3)), str(len(titles))])
    print(markdown_table(["members", "sources", "distinct titles"], rows))


# --- Where our memory goes --------------------------------------------------------------


def print_memory(articles: Path, jobs: int | None) -> None:
    """What a copy scan holds once every page is read (dedup.pipeline.read_pages, run here
    in-process): the arrays by kind, against the input's size. The scan's peak is these,
    the workers' share of the interpreter and NumPy, and the batches in flight."""
    from dedup.engines.local import LocalEngine  # noqa: PLC0415 -- this checkout's dedup
    from dedup.pipeline import ScanConfig, read_pages  # noqa: PLC0415

    pages = list(read_pages([str(articles)], ScanConfig(mode="copy"), [], engine=LocalEngine(jobs), hold_words=True,
                            compress=False))
    held = {id(page.held[0]): page.held[0] for page in pages if isinstance(page.held, tuple)}
    rows = [
        ("shingle sets (8 bytes a shingle; kept for exact verification)", sum(page.shingles.nbytes for page in pages)),
        ("signatures (128 x 4 bytes a page)", sum(page.signature.nbytes for page in pages)),
        ("words held for the second pass (8 bytes a word, sentence bounds)",
         sum(words.words.values.nbytes + words.starts.values.nbytes for words in held.values())),
        ("sentence keys (8 bytes a sentence; the furniture count reads them)", sum(page.sentences.nbytes for page in pages)),
    ]
    size = articles.stat().st_size
    print(f"\nwhere a copy scan's memory goes, {len(pages):,} pages read (input {size / MIB:,.0f} MiB):\n")
    print(markdown_table(["held after the first pass", "MiB", "of the input"],
                         [[name, f"{total / MIB:,.1f}", f"{total / size:.0%}"] for name, total in rows]))


# --- Running both and reporting --------------------------------------------------------


def our_command(articles: Path, output: Path, jobs: int | None) -> list[str]:
    command = [sys.executable, "-m", "dedup", "scan", str(articles), "--mode", "copy", "--format", "json", "--output", str(output), "--quiet"]
    return command + (["--jobs", str(jobs)] if jobs else [])


def peer_command(articles: Path, output: Path, peer: str = "--peer") -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), peer, str(articles), str(output)]


def run_and_score(name: str, command: list[str], output: Path, silver_pairs: list[tuple[str, str]]) -> tuple[Run, Score]:
    print(f"running {name} ...", file=sys.stderr, flush=True)
    # cwd is the repository root, so `-m dedup` finds this checkout's package.
    run = measure(command, cwd=REPO_ROOT)
    if run.exit_code != 0 or not output.exists():
        tail = "\n".join(run.stderr.strip().splitlines()[-20:])
        sys.exit(f"{name} failed with exit code {run.exit_code}:\n{tail}")
    return run, score(output, silver_pairs)


def table_row(name: str, run: Run, result: Score, documents: int) -> list[str]:
    relations = ", ".join(f"{relation} {count}" for relation, count in sorted(result.clusters_by_relation.items()))
    return [
        name,
        f"{result.silver_share:.3f} ({result.silver_found}/{result.silver_total})",
        f"{result.clusters} ({relations})" if relations else "0",
        f"{run.wall_seconds:.1f}",
        f"{documents / run.wall_seconds:,.0f}",
        f"{run.peak_tree_bytes / MIB:,.0f}",
        f"{run.largest_process_max_rss_bytes / MIB:,.0f}",
    ]


def verdict(passed: bool) -> str:
    return "PASS" if passed else "FAIL"


# What each of our constants means; the values are printed above, from the scan's own report.
OUR_CONSTANTS = """our constants (dedup/model.py CopyRule, dedup/minhash.py):
  shingles word:5          sets of 5-word sequences of the normalised, case-folded text
  num_perm 128, seed 1     MinHash permutations (datasketch's affine32 scheme)
  threshold 0.5            copy if the exact Jaccard of the two shingle sets is at least this
  containment 0.8          or if this share of the shorter text's shingles is in the longer one,
  min_contained_shingles   and the shorter text has at least this many shingles (about three sentences)
  shortest_copy_share 1/3  the shortest shortened copy the LSH must still propose: a third of its original
  lsh_threshold            c*s/(1+s-c*s) for containment c and share s: the Jaccard such a copy has;
                           datasketch picks lsh_bands x lsh_rows for it"""


def report(documents: int, ours: tuple[Run, Score], peer: tuple[Run, Score] | None,
           rensa: tuple[Run, Score] | None, jobs: int | None) -> None:
    header = ["implementation", "silver pairs in one cluster", "clusters", "wall s", "docs/s", "peak MiB (tree, Pss)", "max RSS MiB (largest process)"]
    rows = [table_row(f"dedup scan (--jobs {jobs})" if jobs else "dedup scan (all cores)", *ours, documents)]
    if peer:
        rows.append(table_row("datasketch, documented way", *peer, documents))
    if rensa:
        rows.append(table_row("rensa (Rust MinHash)", *rensa, documents))
    print(f"corpus: {documents:,} documents")
    print()
    print(markdown_table(header, rows))
    print()

    our_run, our_score = ours
    print(f"silver share (ours):              {our_score.silver_share:.3f}   target >= {TARGET_SILVER_SHARE}   {verdict(our_score.silver_share >= TARGET_SILVER_SHARE)}")
    if peer:
        peer_run, _ = peer
        speedup = peer_run.wall_seconds / our_run.wall_seconds
        memory_ratio = our_run.peak_tree_bytes / peer_run.peak_tree_bytes
        print(f"speed ratio (peer time / ours):   {speedup:.2f}x   target >= {TARGET_SPEEDUP:g}x   {verdict(speedup >= TARGET_SPEEDUP)}")
        print(f"memory ratio (ours / peer peak):  {memory_ratio:.2f}   target <= {TARGET_MEMORY_RATIO}   {verdict(memory_ratio <= TARGET_MEMORY_RATIO)}")
    else:
        print("speed and memory ratios:          not measured (--skip-peer)")
    if rensa:
        rensa_run, rensa_score = rensa
        speedup = rensa_run.wall_seconds / our_run.wall_seconds
        memory_ratio = our_run.peak_tree_bytes / rensa_run.peak_tree_bytes
        print(f"vs rensa, speed (its time / ours): {speedup:.2f}x   target >= {TARGET_RENSA_SPEEDUP:g}x   {verdict(speedup >= TARGET_RENSA_SPEEDUP)}")
        print(f"vs rensa, memory (ours / its peak): {memory_ratio:.2f}   target <= {TARGET_RENSA_MEMORY_RATIO}   {verdict(memory_ratio <= TARGET_RENSA_MEMORY_RATIO)}")
        same_recall = our_score.silver_found >= rensa_score.silver_found
        print(f"vs rensa, silver pairs: ours {our_score.silver_found}, rensa {rensa_score.silver_found}   at least as many   {verdict(same_recall)}")
    else:
        print("vs rensa:                         not measured (--skip-rensa, or rensa not installed: pip install rensa)")
    print()
    samples = f"ours {our_run.samples}" + (f", peer {peer[0].samples}" if peer else "") + (f", rensa {rensa[0].samples}" if rensa else "")
    print(f"memory samples: {samples}")
    print(f"settings, ours: {json.dumps(our_score.settings)}")
    if peer:
        print(f"settings, peer: {json.dumps(peer[1].settings)}")
    if rensa:
        print(f"settings, rensa: {json.dumps(rensa[1].settings)}")
    print()
    print(OUR_CONSTANTS)
    for name, result in (("ours", our_score), ("peer", peer[1] if peer else None), ("rensa", rensa[1] if rensa else None)):
        if result and result.documents != documents:
            print(f"note: {name} scanned {result.documents:,} documents, the corpus has {documents:,}")


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help=f"folder with {ARTICLES_FILE} and {SILVER_PAIRS_FILE} (default: %(default)s)")
    parser.add_argument("--jobs", type=int, help="worker processes for dedup scan (default: its own, all cores)")
    parser.add_argument("--skip-peer", action="store_true", help="skip the datasketch peer (it takes minutes)")
    parser.add_argument("--skip-rensa", action="store_true", help="skip the rensa peer")
    parser.add_argument("--peer", nargs=2, metavar=("ARTICLES_JSONL", "OUTPUT_JSON"), help="internal: run the peer scan in this process and write its JSON")
    parser.add_argument("--rensa-peer", nargs=2, metavar=("ARTICLES_JSONL", "OUTPUT_JSON"), help="internal: run the rensa peer in this process")
    return parser.parse_args()


def main() -> None:
    arguments = parse_arguments()
    if arguments.peer:
        peer_scan(*arguments.peer)
        return
    if arguments.rensa_peer:
        rensa_peer_scan(*arguments.rensa_peer)
        return
    corpus = arguments.corpus.resolve()
    articles, silver_path = corpus / ARTICLES_FILE, corpus / SILVER_PAIRS_FILE
    if not (articles.is_file() and silver_path.is_file()):
        print(f"skipped: no {ARTICLES_FILE} and {SILVER_PAIRS_FILE} in {corpus}")
        return
    silver_pairs = read_silver_pairs(silver_path)
    documents = count_records(articles)
    with tempfile.TemporaryDirectory(prefix="dedup-bench-") as scratch:
        our_output, peer_output, rensa_output = Path(scratch, "ours.json"), Path(scratch, "peer.json"), Path(scratch, "rensa.json")
        ours = run_and_score("dedup scan", our_command(articles, our_output, arguments.jobs), our_output, silver_pairs)
        rensa = None
        if not arguments.skip_rensa and importlib.util.find_spec("rensa"):
            rensa = run_and_score("the rensa peer", peer_command(articles, rensa_output, "--rensa-peer"), rensa_output, silver_pairs)
        peer = None if arguments.skip_peer else run_and_score("the datasketch peer", peer_command(articles, peer_output), peer_output, silver_pairs)
    report(documents, ours, peer, rensa, arguments.jobs)
    print_furniture(ours[1], articles)
    print_memory(articles, arguments.jobs)


if __name__ == "__main__":
    main()
