"""What the review app works on: the corpus's articles (with their texts), its clusters,
and the decisions file beside it.

A corpus is read once, with the same readers as `dedup scan`; its clusters come from a
story-and-copy scan of those articles, or from a saved `dedup scan --format json` report
given among the paths (then the other paths are the corpus it was made from).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from dedup.decisions import Decisions
from dedup.io.decoding import ReadFailure, parse_json
from dedup.io.inputs import read_inputs
from dedup.io.records import FieldMap
from dedup.model import Article, Cluster, Evidence, InputError, Pair, Relation, UserProblem
from dedup.pipeline import ScanConfig, scan
from dedup.text.page import clean_article

# The review's own files (decisions, exported comparisons) live in a hidden folder beside
# the corpus, as .git does: the readers skip hidden folders, so the next scan or check of
# the corpus does not read them as articles.
STATE_FOLDER = ".dedup"
DECISIONS_NAME = "decisions.json"
OLD_DECISIONS_NAME = "dedup-decisions.json"  # where versions before 0.2 kept them


@dataclass(slots=True)
class Corpus:
    articles: dict[str, Article]  # id -> article with its text
    clusters: list[Cluster]
    errors: list[InputError]
    decisions_path: str
    decisions: Decisions
    stubs: frozenset[str] = frozenset()  # pages too short to judge once their site's furniture is out


def default_decisions_path(paths: list[str]) -> str:
    """In the hidden state folder of the corpus: inside the directory given, or beside the
    corpus file; decisions an older version left in the corpus itself are kept in use."""
    folder = corpus_folder(paths)
    old = os.path.join(folder, OLD_DECISIONS_NAME)
    new = os.path.join(folder, STATE_FOLDER, DECISIONS_NAME)
    return old if os.path.isfile(old) and not os.path.exists(new) else new


def make_state_folder(path: str) -> None:
    """Create the hidden state folder `path` is in, if it is one (a --decisions FILE in a
    missing folder stays an error, as every other output file is)."""
    folder = os.path.dirname(path)
    if os.path.basename(folder) == STATE_FOLDER and os.path.isdir(os.path.dirname(folder) or "."):
        os.makedirs(folder, exist_ok=True)


def corpus_folder(paths: list[str]) -> str:
    """The directory given, or the one holding the corpus file."""
    corpus = [path for path in paths if not _is_scan_report(path)] or paths
    first = corpus[0]
    return first if os.path.isdir(first) else os.path.dirname(os.path.abspath(first))


def split_paths(paths: list[str]) -> tuple[list[str], list[str]]:
    """(saved scan reports, corpus paths); a report alone is refused, it holds no texts."""
    reports = [path for path in paths if _is_scan_report(path)]
    corpus_paths = [path for path in paths if path not in reports]
    if not corpus_paths:
        raise UserProblem(f"{reports[0]}: a scan report needs its corpus too: dedup review REPORT.json CORPUS")
    if len(reports) > 1:
        raise UserProblem(f"{reports[1]}: one scan report at a time: give one report and its corpus")
    return reports, corpus_paths


def load_corpus(paths: list[str], decisions_path: str | None = None, progress=lambda text: None) -> Corpus:
    reports, corpus_paths = split_paths(paths)
    progress("reading the corpus")
    articles: dict[str, Article] = {}
    errors: list[InputError] = []
    for item in read_inputs(corpus_paths, FieldMap(), "utf-8"):
        for loaded in (item,) if isinstance(item, InputError | Article) else item.load():
            if isinstance(loaded, InputError):
                errors.append(loaded)
            elif loaded.id not in articles:
                articles[loaded.id] = clean_article(loaded)
    stubs: frozenset[str] = frozenset()
    if reports:
        clusters, stubs = _clusters_from_report(reports[0], articles)
    elif articles:
        progress(f"scanning {len(articles):,} documents for copies and stories")
        scanned = scan(list(articles.values()), ScanConfig(mode="all"))
        clusters, stubs = scanned.clusters, scanned.stub_ids
    else:
        clusters = []
    path = decisions_path or default_decisions_path(paths)
    return Corpus(articles, clusters, errors, path, Decisions.load(path), stubs)


def _is_scan_report(path: str) -> bool:
    if not (path.endswith(".json") and os.path.isfile(path)):
        return False
    try:
        with open(path, encoding="utf-8") as handle:
            return parse_json(handle.read(), "").get("schema") == "dedup.scan/1"
    except (OSError, UnicodeDecodeError, ReadFailure, AttributeError):
        return False


def _clusters_from_report(path: str, articles: dict[str, Article]) -> tuple[list[Cluster], frozenset[str]]:
    with open(path, encoding="utf-8") as handle:
        report = json.load(handle)
    clusters = []
    entries = report.get("clusters", [])
    for number, entry in enumerate(entries if isinstance(entries, list) else [None], start=1):
        try:
            members = [str(member) for member in entry["members"]]
            pairs = [Pair(str(p["a"]), str(p["b"]), Relation(p["relation"]), float(p.get("similarity", 0.0)),
                          float(p.get("containment", 0.0)), _saved_evidence(p)) for p in entry.get("pairs", [])]
            cluster = Cluster(entry["id"], Relation(entry["relation"]), members, pairs)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise UserProblem(f"{path}: cluster {number} is not as dedup scan writes it ({type(error).__name__}: {error}): "
                              "give a report written by `dedup scan --format json`") from None
        missing = [member for member in members if member not in articles]
        if missing:
            raise UserProblem(f"{path}: cluster {cluster.id} names {missing[0]!r}, which the corpus given does not hold: "
                              "give the corpus the report was made from")
        clusters.append(cluster)
    stubs = report.get("stubs")
    return clusters, frozenset(stub for stub in stubs if isinstance(stub, str)) if isinstance(stubs, list) else frozenset()


def _saved_evidence(pair: dict) -> Evidence | None:
    """A story pair's probability and evidence as a saved report gives them, so review shows
    what the scan showed; None for copies, or when the report has no usable score."""
    score = pair.get("score")
    if isinstance(score, bool) or not isinstance(score, int | float):
        return None
    evidence = pair.get("evidence") if isinstance(pair.get("evidence"), dict) else {}
    shared = evidence.get("shared") if isinstance(evidence.get("shared"), dict) else {}
    days = evidence.get("days_apart")
    return Evidence(
        score=float(score),
        signals={str(name): value for name, value in (evidence.get("signals") or {}).items() if isinstance(value, int | float)}
        if isinstance(evidence.get("signals"), dict) else {},
        shared={str(kind): tuple(str(value) for value in values) for kind, values in shared.items() if isinstance(values, list)},
        days_apart=days if isinstance(days, int) and not isinstance(days, bool) else None,
    )
