"""What the review app works on: the corpus's articles (with their texts), its clusters,
and the decisions file beside it.

A corpus is read once, with the same readers as `dedup scan`; its clusters come from a
story-and-copy scan of those articles, or from a saved `dedup scan --format json` report
given among the paths (then the other paths are the corpus it was made from). The review
writes nothing into the corpus: decisions go to a file in the user's state folder (or
--decisions FILE), comparisons where the export dialog is told.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass

import platformdirs

from dedup.engines import scan
from dedup.gate.decisions import Decisions
from dedup.io.decoding import ReadFailure, parse_json
from dedup.io.inputs import read_inputs
from dedup.io.records import FieldMap
from dedup.model import (
    Article,
    Cluster,
    Evidence,
    InputError,
    Pair,
    Relation,
    UserProblem,
)
from dedup.pipeline import ScanConfig
from dedup.text.page import clean_article

# Versions before 0.3 kept the review's decisions in the corpus folder; a file left there
# stays in use, so no decision is lost.
OLD_DECISIONS = (os.path.join(".dedup", "decisions.json"), "dedup-decisions.json")


@dataclass(slots=True)
class Corpus:
    articles: dict[str, Article]  # id -> article with its text
    clusters: list[Cluster]
    errors: list[InputError]
    decisions_path: str
    decisions: Decisions
    stubs: frozenset[str] = frozenset()  # pages too short to judge once their site's furniture is out


def default_decisions_path(paths: list[str]) -> str:
    """Outside the corpus, so a review never changes what the next scan reads: a file per
    corpus in the user's state folder (platformdirs: ~/.local/state/dedup/reviews on Linux,
    honouring XDG_STATE_HOME), named after the corpus folder and a hash of its full path.
    Decisions an older version left in the corpus itself are kept in use."""
    folder = corpus_folder(paths)
    for old in OLD_DECISIONS:
        if os.path.isfile(os.path.join(folder, old)):
            return os.path.join(folder, old)
    corpus = sorted(os.path.realpath(path) for path in _corpus_paths(paths))
    digest = hashlib.blake2b("\0".join(corpus).encode("utf-8", "surrogatepass"), digest_size=4).hexdigest()
    name = re.sub(r"[^\w.-]+", "_", os.path.basename(os.path.realpath(folder)) or "corpus")[:40]
    return str(platformdirs.user_state_path("dedup") / "reviews" / f"{name}-{digest}.json")


def make_state_folder(path: str) -> None:
    """Create the folder of the default decisions file (the user's state folder) if missing;
    a --decisions FILE in a missing folder stays an error, as every other output file is."""
    reviews = platformdirs.user_state_path("dedup") / "reviews"
    if os.path.dirname(os.path.abspath(path)) == str(reviews):
        os.makedirs(reviews, exist_ok=True)


def shown_path(path: str) -> str:
    """A path as the header shows it: under the home folder as ~/…"""
    home = os.path.expanduser("~")
    absolute = os.path.abspath(path)
    return "~" + absolute[len(home):] if home not in ("", "/") and absolute.startswith(home + os.sep) else path


def _corpus_paths(paths: list[str]) -> list[str]:
    return [path for path in paths if not _is_scan_report(path)] or paths


def corpus_folder(paths: list[str]) -> str:
    """The directory given, or the one holding the corpus file."""
    first = _corpus_paths(paths)[0]
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


def load_corpus(paths: list[str], decisions_path: str | None = None, progress=lambda text: None,
                semantic: bool = False) -> Corpus:
    """The corpus at `paths`, its clusters (from a saved report among them, else from a scan
    for copies and stories, by meaning too with `semantic`) and its decisions."""
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
        scanned = scan(list(articles.values()), ScanConfig(mode="all", semantic=semantic))
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
