"""The scan pipeline behind `dedup.scan`: group a corpus into clusters of duplicates,
copies and stories.

The stages, each a function of its inputs (as in datatrove's minhash pipeline):
    read and clean (dedup.io, dedup.copy.fingerprint.read_batch, on the engine's workers)
    -> learn each site's furniture from its pages (dedup.text.furniture)
    -> fingerprint each page's own text (dedup.copy.fingerprint, on the engine's workers)
    -> exact keys and LSH buckets, then verification (dedup.copy.finder, by the engine)
    -> in story and all modes: story candidates (banded by the engine), scores and
       linkage (dedup.story); with `semantic`, summary vectors, their nearest neighbours as
       candidates too and the models that read them (dedup.story.meaning), on this process
    -> cluster (dedup.cluster)
Who runs the batch work is an `Engine` (dedup.engines: local processes or Ray), which
`dedup.scan` opens and hands to `run_scan`. The library returns a `ScanResult`; the CLI
only renders it.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Protocol

import numpy as np

from dedup.cluster import build_clusters
from dedup.copy.finder import CopyFinder, PairSource
from dedup.copy.fingerprint import (
    WORDLESS,
    FingerprintSettings,
    OwnBatch,
    ReadSettings,
    own_fingerprint_batch,
    read_batch,
)
from dedup.io.inputs import (
    Pending,
    document_count,
    document_size,
    input_size,
    read_inputs,
)
from dedup.io.records import FieldMap
from dedup.minhash import MinHashParams
from dedup.model import (
    LINKS_SHOWN,
    SHORTEST_COPY_SHARE,
    Article,
    CopyRule,
    InputError,
    PassedOver,
    ScanResult,
)
from dedup.parallel import available_cores
from dedup.story.features import StoryFeatures
from dedup.text.furniture import SiteFurniture, article_key, site_of
from dedup.text.shingles import ShingleSpec

# copy: duplicates and copies; story: independent reports of one event (with the copies
# of those reports); all: both, including groups of copies no other report joins.
MODES = ("copy", "story", "all")
# Where the batch work may run: dedup.engines opens them by these names.
ENGINES = ("local", "ray")
# Documents per worker task: large enough that process hand-offs cost little, small
# enough that both cores stay busy on a corpus of a few thousand documents.
BATCH_SIZE = 256
# The input size up to which a scan holds the pages' words (a copy scan) or plain texts (a
# story scan) between its two passes (dedup.copy.fingerprint.read_batch): 1 GiB of text
# costs about that much memory, and compressing it would cost more time than anything
# else the first pass does. A larger corpus holds its texts compressed, a third as large.
KEEP_TEXTS_PLAIN = 1 << 30
# Story evidence handed to the term table at a time (dedup.story.terms): small enough that
# this process keeps up with the workers, large enough to look rarities up in bulk.
TERM_BATCH = 512

# A progress report: (stage, items done, items in all or None while unknown). The stages of
# a scan, in order: "read_bytes" (bytes of the input read and cleaned, of all the inputs'
# bytes when they can be known) with "read" (the documents among them, in all unknown),
# "fingerprint", "compare" (candidate pairs verified) and, for stories, "stories" (steps).
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
    follow_symlinks: bool = False  # inside folders, follow links out of the folder too
    engine: str = "local"  # where the batch work runs: dedup.engines (local or ray)
    ray_address: str | None = None  # the Ray cluster to join (else RAY_ADDRESS, else a local Ray)
    # Story mode weighs meaning too: sentence vectors of each report's title and lead find
    # retellings in other words and in the other language (dedup.story.meaning). Off by
    # default: encoding costs time (about 250 summaries a second on two cores, once per
    # text: the vectors are cached) and the encoder's 150-400 MB.
    semantic: bool = False

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown mode {self.mode!r}: use {' or '.join(MODES)}")
        if self.jobs is not None and self.jobs < 1:
            raise ValueError(f"--jobs {self.jobs} must be at least 1")
        if self.engine not in ENGINES:
            raise ValueError(f"unknown engine {self.engine!r}: use {' or '.join(ENGINES)}")
        if self.semantic and self.mode == "copy":
            raise ValueError("--semantic weighs the meaning of reports in story mode: use mode story or all")


class Engine(PairSource, Protocol):
    """Who runs the plan (dedup.engines): besides the copy stage's LSH and verification
    (dedup.copy.finder.PairSource), maps of batch functions over batches."""

    name: str

    def map_ordered(self, function: Callable, batches: Iterable) -> Iterator:
        """`function` over every batch, results in the order of the batches."""

    def map_keeping(self, function: Callable, batches: Iterable) -> Iterator[tuple[object, list]]:
        """`function` over every batch, in order; it returns (result, items). The result comes
        back here; the items may stay where they were made (Ray's object store), and come
        back as handles that the engine's `verify` and `overlaps` take in their place."""

    def overlaps(self, shingles: list, left: np.ndarray, right: np.ndarray) -> list[tuple[float, float]]:
        """(Jaccard, containment) of each pair (left[k], right[k]) of shingle sets or handles."""

    def close(self) -> None:
        """Give back what the engine started."""


def run_scan(inputs: Iterable[str | os.PathLike | Article], config: ScanConfig, report: Progress, engine: Engine) -> ScanResult:
    """The scan of paths (directories, JSONL, CSV, files, "-") or Article objects, its batch
    work run by `engine`. `dedup.scan` opens the engine the config names and calls this."""
    documents: dict[str, Article] = {}
    errors: list[InputError] = []
    finder = CopyFinder(config.rule, config.minhash, engine)
    features: list[StoryFeatures] = []
    read_total = _input_size(inputs, config)
    passed_over: list[str] = []
    # What waits between the two passes for the pages whose site has furniture: a copy scan
    # needs their words, a story scan their texts; a corpus larger than KEEP_TEXTS_PLAIN
    # holds compressed texts instead, in far less memory.
    small = read_total is not None and read_total <= KEEP_TEXTS_PLAIN
    site_furniture = SiteFurniture()
    pages = []
    for page in read_pages(inputs, config, errors, lambda done: report("read", done, None),
                           lambda done: report("read_bytes", done, read_total), passed_over, engine=engine,
                           hold_words=small and config.mode == "copy", compress=not small):
        # Counted as the pages come, while the workers read the next ones (learn_furniture's count).
        site_furniture.add(page.site, article_key(page.article.title, page.key), page.sentences.tolist())
        pages.append(page)
    report("fingerprint", 0, len(pages))
    stubs: set[str] = set()
    fingerprinted = own_fingerprints(pages, site_furniture, config, errors,
                                     lambda done, total=len(pages): report("fingerprint", done, total), engine=engine)
    del pages  # the generator holds them until the last batch is out; then what they held goes
    # A story scan numbers the terms of the story evidence as it comes, while the workers
    # fingerprint the next pages, rather than all at once after them (dedup.story.terms).
    terms = _term_table() if config.mode != "copy" else None
    for document in fingerprinted:
        article = document.article
        documents[article.id] = article
        finder.add(article.id, document.key, document.shingles, document.signature)
        if document.story is not None:
            features.append(document.story)
            if terms is not None and len(features) - len(terms) == TERM_BATCH:
                terms.add(features[len(terms):])
        if document.stub:
            stubs.add(article.id)
    if terms is not None:
        terms.add(features[len(terms):])
    pairs = finder.pairs(lambda done, total: report("compare", done, total))
    candidates = finder.candidates
    settings = _copy_settings(config, finder)
    if config.mode != "copy":
        # The story stage's modules load SciPy: imported here, so a copy scan starts without it.
        from dedup.story import finder as finder_module  # noqa: PLC0415
        from dedup.story.finder import story_pairs  # noqa: PLC0415

        pairs, story_candidates = story_pairs(
            finder.ids, pairs, features, config.minhash, config.mode == "all",
            lambda done: report("stories", done, finder_module.STEPS), stubs=stubs, jobs=config.jobs or available_cores(),
            candidate_pairs=engine.candidate_pairs,
            overlaps=lambda left, right: engine.overlaps(finder.shingles, left, right),
            semantic=config.semantic, encoded=lambda done, total: report("meaning", done, total), terms=terms,
        )
        candidates += story_candidates
        settings |= _story_settings()
        if config.semantic:  # recorded only when on, as the engine is: a report without it is a scan without it
            settings["semantic"] = _semantic_settings(config.jobs or available_cores())
    if engine.name != "local":
        settings["engine"] = engine.name
    return ScanResult(
        mode=config.mode,
        documents=documents,
        clusters=build_clusters(finder.ids, pairs),
        errors=errors,
        candidate_pairs=candidates,
        settings=settings,
        stubs=[doc_id for doc_id in documents if doc_id in stubs],
        furniture=site_furniture.by_site(),
        passed_over=passed_over,
    )


def _term_table():
    from dedup.story.terms import TermTable  # noqa: PLC0415 -- SciPy: see run_scan

    return TermTable()


def _copy_settings(config: ScanConfig, finder: CopyFinder) -> dict[str, object]:
    bands, rows = finder.bands
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
    from dedup.story import candidates as candidates_module  # noqa: PLC0415 -- see run_scan
    from dedup.story import finder as finder_module  # noqa: PLC0415
    from dedup.story import pair_model  # noqa: PLC0415

    return {
        "story_salient_terms": candidates_module.SALIENT_TERMS,
        "story_shared_salient": candidates_module.SHARED_SALIENT,
        "story_candidate_jaccard": round(candidates_module.CANDIDATE_JACCARD, 4),
        "story_link_probability": finder_module.LINK_PROBABILITY,
        "story_strongest_pairs_shown": LINKS_SHOWN,  # a story lists these per report, its weakest and a spanning tree
        "story_day_window": pair_model.DAY_WINDOW,
        "story_model": {"intercept": pair_model.INTERCEPT, "coefficients": dict(pair_model.COEFFICIENTS)},
    }


def _semantic_settings(jobs: int) -> dict[str, object]:
    from dedup.semantic.encoder import shared_encoder  # noqa: PLC0415 -- the story stage's, loaded already
    from dedup.story import features as features_module  # noqa: PLC0415
    from dedup.story import meaning as meaning_module  # noqa: PLC0415
    from dedup.story import neighbours as neighbours_module  # noqa: PLC0415
    from dedup.story import pair_model  # noqa: PLC0415

    return {
        "encoder": shared_encoder(jobs).name,
        "summary_characters": features_module.SUMMARY_CHARACTERS,
        "neighbours_same_language": neighbours_module.SAME_LANGUAGE,
        "neighbours_other_language": neighbours_module.OTHER_LANGUAGE,
        "neighbours_min_cosine_same_language": neighbours_module.MIN_COSINE_SAME_LANGUAGE,
        "neighbours_min_cosine_other_language": neighbours_module.MIN_COSINE_OTHER_LANGUAGE,
        "cosine_across_languages": {"intercept": meaning_module.ACROSS_INTERCEPT, "slope": meaning_module.ACROSS_SLOPE},
        "model": {"intercept": pair_model.SEMANTIC_INTERCEPT, "coefficients": dict(pair_model.SEMANTIC_COEFFICIENTS)},
        "model_across_languages": {"intercept": pair_model.NEUTRAL_INTERCEPT,
                                   "coefficients": dict(pair_model.NEUTRAL_COEFFICIENTS)},
    }


def _input_size(inputs: Iterable[str | os.PathLike | Article], config: ScanConfig) -> int | None:
    """The bytes a scan will read, for its progress; None for inputs that can be iterated once only."""
    if not isinstance(inputs, list | tuple):
        return None
    total = input_size([os.fspath(item) for item in inputs if not isinstance(item, Article)], config.follow_symlinks)
    if total is None:
        return None
    return total + sum(document_size(item) for item in inputs if isinstance(item, Article))


def _documents(inputs: Iterable[str | os.PathLike | Article], config: ScanConfig) -> Iterator[Article | Pending | InputError]:
    paths: list[str] = []
    for item in inputs:
        if isinstance(item, Article):
            yield item
        else:
            paths.append(os.fspath(item))
    yield from read_inputs(paths, config.fields, config.encoding, config.follow_symlinks)


def _batches(items: Iterator[Article | Pending | InputError], errors: list[InputError]) -> Iterator[list[Article | Pending]]:
    """Group documents into worker batches; errors met while reading go straight to `errors`."""
    batch: list[Article | Pending] = []
    documents = 0  # in the batch: a Parquet item holds many rows (dedup.io.inputs.document_count)
    for item in items:
        if isinstance(item, InputError) and not isinstance(item, PassedOver):
            errors.append(item)
            continue
        batch.append(item)  # a PassedOver too: read_pages says so with the rest, in input order
        documents += document_count(item)
        if documents >= BATCH_SIZE:
            yield batch
            batch, documents = [], 0
    if batch:
        yield batch


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """One document as the later stages see it: metadata, exact key, shingles, signature,
    and its story evidence when the mode needs it."""

    article: Article
    key: bytes  # exact key of its own text
    shingles: np.ndarray  # or, from the Ray engine, a handle to them (see Engine.map_keeping)
    signature: np.ndarray
    story: StoryFeatures | None
    page_key: bytes = b""  # of its whole cleaned page (dedup.copy.fingerprint.page_key)
    stub: bool = False  # too short to judge once its site's furniture is out


def _first_of_each_id(documents: list[Article | InputError], first_origin: dict[str, str],
                      errors: list[InputError], passed_over: list[str]) -> Iterator[tuple[int, Article]]:
    """(position among the batch's articles, article) for each article whose id no earlier
    document had; read errors and repeated ids go to `errors`, files dedup wrote to
    `passed_over`."""
    position = -1
    for document in documents:
        if isinstance(document, PassedOver):
            passed_over.append(document.input)
            continue
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
        yield position, document


@dataclass(frozen=True, slots=True)
class Page:
    """A page after the first pass of a scan (dedup.copy.fingerprint.read_batch): metadata,
    the hash of its cleaned text (`page_key`), its sentence keys when it has a site, the
    fingerprint of all its words (exact key, b"" for a page without words; signature;
    shingle set, or an engine's handle to it), and what it holds for the second pass."""

    article: Article
    key: bytes
    sentences: np.ndarray
    words_key: bytes
    signature: np.ndarray
    shingles: object
    held: object
    compressed: bool

    @property
    def site(self) -> str | None:
        return site_of(self.article.source, self.article.url)


def read_pages(inputs: Iterable[str | os.PathLike | Article], config: ScanConfig, errors: list[InputError],
               report: Callable[[int], None] = lambda done: None,
               bytes_read: Callable[[int], None] | None = None, passed_over: list[str] | None = None,
               *, engine: Engine, hold_words: bool = False, compress: bool = True) -> Iterator[Page]:
    """Every readable page of the inputs, read, cleaned and fingerprinted whole by the
    engine's workers (local processes or Ray tasks), in input order. Unreadable inputs and
    repeated ids go to `errors`, files dedup wrote to `passed_over`; `report` hears the
    count so far, and `bytes_read` how many bytes of input those documents took. Each page
    holds its words for the second pass (`hold_words`, a copy scan) or its text, compressed
    with `compress`."""
    first_origin: dict[str, str] = {}
    passed_over = [] if passed_over is None else passed_over
    batches = _batches(_documents(inputs, config), errors)
    # Workers return batches in the order they were handed out: the sizes queue the same way.
    sizes: deque[int] = deque()
    if bytes_read is not None:
        batches = _measured(batches, sizes)
    done_bytes = 0
    settings = ReadSettings(_fingerprint_settings(config), hold_words, compress)
    for batch, shingles in engine.map_keeping(partial(read_batch, settings=settings), batches):
        for position, document in _first_of_each_id(batch.documents, first_origin, errors, passed_over):
            held = (batch.words, position) if batch.words is not None else batch.texts[position]
            yield Page(document, batch.page_keys[position], batch.sentences[position], batch.keys[position],
                       batch.signatures[position], shingles[position], held, batch.compressed)
        if bytes_read is not None:
            done_bytes += sizes.popleft()
            bytes_read(done_bytes)
        report(len(first_origin) + len(errors))


def _fingerprint_settings(config: ScanConfig, summaries: bool = False) -> FingerprintSettings:
    return FingerprintSettings(config.shingles, config.minhash, story=config.mode != "copy",
                               summaries=summaries or config.semantic)


def _measured(batches: Iterator[list[Article | Pending]], sizes: deque[int]) -> Iterator[list[Article | Pending]]:
    for batch in batches:
        sizes.append(sum(map(document_size, batch)))
        yield batch


def learn_furniture(pages: Sequence[Page], index=None) -> SiteFurniture:
    """The furniture of each site, learnt from its pages (dedup.text.furniture), and with a
    persistent `index`, from the pages of the same sites it holds as well. A page counts
    once per article it tells: by its title, or untitled by its text."""
    site_furniture = SiteFurniture()
    if index is not None:
        asked: dict[str, tuple[set[int], set[int]]] = {}
        for page in pages:
            if page.site is not None:
                articles, sentences = asked.setdefault(page.site, (set(), set()))
                articles.add(article_key(page.article.title, page.key))
                sentences.update(page.sentences.tolist())
        for site, (articles, counts) in index.furniture(asked).items():
            site_furniture.remember(site, articles, counts)
    for page in pages:
        site_furniture.add(page.site, article_key(page.article.title, page.key), page.sentences.tolist())
    return site_furniture


def own_fingerprints(pages: Sequence[Page], site_furniture: SiteFurniture, config: ScanConfig, errors: list[InputError],
                     report: Callable[[int], None] = lambda done: None, *, engine: Engine,
                     summaries: bool = False) -> Iterator[Fingerprint]:
    """Each page's fingerprint on its own text, in input order; a page without words is left
    out, with an error noted. A page that carries none of its site's furniture keeps the
    fingerprint of the first pass; the others, and in a story scan every page (for its story
    evidence), go to the engine's workers (`own_fingerprint_batch`). A generator, so an
    index add writes each batch as it comes. The story evidence holds each page's summary
    with `summaries` or a semantic config (dedup.story.features.summary)."""
    settings = _fingerprint_settings(config, summaries)
    chunks: list[tuple[Sequence[Page], list[int]]] = []
    batches = []
    for start in range(0, len(pages), BATCH_SIZE):
        chunk = pages[start:start + BATCH_SIZE]
        work = [number for number, page in enumerate(chunk)
                if page.words_key and (settings.story or _has_furniture(page, site_furniture))]
        chunks.append((chunk, work))
        if work:
            sites = {chunk[number].site for number in work} - {None}
            held = [chunk[number].held for number in work]
            # A page held as words has its sentence keys among them; one held as text sends its own.
            sentences = [None if isinstance(kept, tuple) else chunk[number].sentences for kept, number in zip(held, work, strict=True)]
            batches.append(OwnBatch([chunk[number].article for number in work], held, chunk[work[0]].compressed,
                                    sentences, {site: site_furniture.of(site) for site in sites}))
    results = engine.map_keeping(partial(own_fingerprint_batch, settings=settings), batches)
    done = 0
    for chunk, work in chunks:
        own: dict[int, tuple[bool, tuple | None, StoryFeatures | None]] = {}
        if work:
            prints, shingles = next(results)
            again = dict(zip(prints.reprinted, zip(prints.keys, prints.signatures, shingles, strict=True), strict=True))
            for position, number in enumerate(work):
                story = prints.story[position] if prints.story else None
                own[number] = (prints.stubs[position], again.get(position), story)
        for number, page in enumerate(chunk):
            if not page.words_key:
                errors.append(InputError.at(page.article.origin or page.article.id, WORDLESS))
                continue
            stub, reprint, story = own.get(number, (False, None, None))
            key, signature, shingle_set = reprint or (page.words_key, page.signature, page.shingles)
            yield Fingerprint(page.article, key, shingle_set, signature, story, page.key, stub)
        done += len(chunk)
        report(done)


def _has_furniture(page: Page, site_furniture: SiteFurniture) -> bool:
    furniture = site_furniture.of(page.site)
    return bool(furniture) and not furniture.isdisjoint(page.sentences.tolist())
