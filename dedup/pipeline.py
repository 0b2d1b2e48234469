"""The scan pipeline behind `dedup.scan`: group a corpus into clusters of duplicates,
copies and stories.

The stages, each a function of its inputs (as in datatrove's minhash pipeline):
    read (dedup.io) -> fingerprint (dedup.fingerprint, in worker processes)
    -> exact keys and LSH buckets, then verification (dedup.copies)
    -> in story and all modes: story candidates, scores and linkage (dedup.story)
    -> cluster (dedup.cluster)
The library returns a `ScanResult`; the CLI only renders it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial

import numpy as np

from dedup.cluster import build_clusters
from dedup.copies import CopyFinder
from dedup.fingerprint import FingerprintBatch, FingerprintSettings, fingerprint_batch
from dedup.io.inputs import Pending, read_inputs
from dedup.io.records import FieldMap
from dedup.minhash import MinHashParams
from dedup.model import Article, InputError, ScanResult
from dedup.parallel import available_cores, ordered_map
from dedup.story import candidates as candidates_module
from dedup.story import finder as finder_module
from dedup.story import pair_model
from dedup.story.features import StoryFeatures
from dedup.story.finder import story_pairs
from dedup.text.shingles import ShingleSpec
from dedup.verify import SHORTEST_COPY_SHARE, CopyRule

# copy: duplicates and copies; story: independent reports of one event (with the copies
# of those reports); all: both, including groups of copies no other report joins.
MODES = ("copy", "story", "all")
# Documents per worker task: large enough that process hand-offs cost little, small
# enough that both cores stay busy on a corpus of a few thousand documents.
BATCH_SIZE = 256

# A progress report: (stage, items done, items in all or None while unknown).
Progress = Callable[[str, int, "int | None"], None]


@dataclass(frozen=True, slots=True)
class ScanConfig:
    mode: str = "copy"
    shingles: ShingleSpec = ShingleSpec()
    minhash: MinHashParams = MinHashParams()
    rule: CopyRule = CopyRule()
    jobs: int | None = None  # worker processes; None for all cores
    fields: FieldMap = field(default_factory=FieldMap)
    encoding: str = "utf-8"

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown mode {self.mode!r}: use {' or '.join(MODES)}")
        if self.jobs is not None and self.jobs < 1:
            raise ValueError(f"--jobs {self.jobs} must be at least 1")


def scan(inputs: Iterable[str | os.PathLike | Article], config: ScanConfig = ScanConfig(), progress: Progress | None = None) -> ScanResult:
    """Scan paths (directories, JSONL, CSV, files, "-") or Article objects."""
    report = progress or (lambda stage, done, total: None)
    documents: dict[str, Article] = {}
    errors: list[InputError] = []
    finder = CopyFinder(config.rule, config.minhash)
    features: list[StoryFeatures] = []
    for document in fingerprints(inputs, config, errors, lambda done: report("read", done, None)):
        documents[document.article.id] = document.article
        finder.add(document.article.id, document.key, document.shingles, document.signature)
        if document.story is not None:
            features.append(document.story)
    pairs = finder.pairs(lambda done, total: report("compare", done, total))
    candidates = finder.candidates
    settings = _copy_settings(config, finder)
    if config.mode != "copy":
        report("stories", 0, finder_module.STEPS)
        pairs, story_candidates = story_pairs(
            finder.ids, pairs, features, finder.shingles, config.minhash, config.mode == "all",
            lambda done: report("stories", done, finder_module.STEPS),
        )
        candidates += story_candidates
        settings |= _story_settings()
    return ScanResult(
        mode=config.mode,
        documents=documents,
        clusters=build_clusters(finder.ids, pairs),
        errors=errors,
        candidate_pairs=candidates,
        settings=settings,
    )


def _copy_settings(config: ScanConfig, finder: CopyFinder) -> dict[str, object]:
    bands, rows = finder.index.bands
    return {
        "shingles": str(config.shingles),
        "num_perm": config.minhash.num_perm,
        "seed": config.minhash.seed,
        "scheme": config.minhash.scheme,
        "threshold": config.rule.threshold,
        "containment": config.rule.containment,
        "min_contained_shingles": config.rule.min_contained,
        "shortest_copy_share": round(SHORTEST_COPY_SHARE, 4),
        "lsh_threshold": round(config.rule.candidate_threshold(), 4),
        "lsh_bands": bands,
        "lsh_rows": rows,
    }


def _story_settings() -> dict[str, object]:
    return {
        "story_salient_terms": candidates_module.SALIENT_TERMS,
        "story_shared_salient": candidates_module.SHARED_SALIENT,
        "story_candidate_jaccard": round(candidates_module.CANDIDATE_JACCARD, 4),
        "story_link_probability": finder_module.LINK_PROBABILITY,
        "story_day_window": pair_model.DAY_WINDOW,
        "story_model": {"intercept": pair_model.INTERCEPT, "coefficients": dict(pair_model.COEFFICIENTS)},
    }


def _documents(inputs: Iterable[str | os.PathLike | Article], config: ScanConfig) -> Iterator[Article | Pending | InputError]:
    paths: list[str] = []
    for item in inputs:
        if isinstance(item, Article):
            yield item
        else:
            paths.append(os.fspath(item))
    yield from read_inputs(paths, config.fields, config.encoding)


def _fingerprint_batches(items: Iterator[Article | Pending | InputError], config: ScanConfig, errors: list[InputError]) -> Iterator[FingerprintBatch]:
    settings = FingerprintSettings(config.shingles, config.minhash, story=config.mode != "copy")
    jobs = config.jobs or available_cores()
    return ordered_map(partial(fingerprint_batch, settings=settings), _batches(items, errors), jobs)


def _batches(items: Iterator[Article | Pending | InputError], errors: list[InputError]) -> Iterator[list[Article | Pending]]:
    """Group documents into worker batches; errors met while reading go straight to `errors`."""
    batch: list[Article | Pending] = []
    for item in items:
        if isinstance(item, InputError):
            errors.append(item)
            continue
        batch.append(item)
        if len(batch) == BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """One document as the later stages see it: metadata, exact key, shingles, signature,
    and its story evidence when the mode needs it."""

    article: Article
    key: bytes
    shingles: np.ndarray
    signature: np.ndarray
    story: StoryFeatures | None


def fingerprints(
    inputs: Iterable[str | os.PathLike | Article], config: ScanConfig, errors: list[InputError],
    report: Callable[[int], None] = lambda done: None,
) -> Iterator[Fingerprint]:
    """Every readable document of the inputs, fingerprinted in worker processes, in input
    order. Unreadable inputs and repeated ids go to `errors`; `report` hears the count so far."""
    first_origin: dict[str, str] = {}
    for batch in _fingerprint_batches(_documents(inputs, config), config, errors):
        position = -1
        for document in batch.documents:
            if isinstance(document, InputError):
                errors.append(document)
                continue
            position += 1
            if document.id in first_origin:
                errors.append(
                    InputError.at(
                        document.origin or document.id,
                        f"duplicate id {document.id!r} (first read from {first_origin[document.id]}): "
                        "give every record its own id, or map another field with --id-field",
                    )
                )
                continue
            first_origin[document.id] = document.origin
            story = batch.story[position] if batch.story else None
            yield Fingerprint(document, batch.keys[position], batch.shingles[position], batch.signatures[position], story)
        report(len(first_origin) + len(errors))
