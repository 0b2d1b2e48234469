"""The Ray engine: a scan's batch work on an existing Ray cluster, or on a local Ray
started for the run (`dedup scan --engine ray`, `--ray-address`, else RAY_ADDRESS).

- Reading, cleaning and fingerprinting: the same batch functions as the local engine,
  as Ray tasks on every worker, at most WINDOW_PER_CPU batches per CPU in flight, the
  results taken in input order (so ids, positions and errors come out as on one machine).
- LSH: each document's band keys (dedup.index.bands) are grouped by key in a hash shuffle
  of Ray tasks (map tasks split the rows by key, one reduce task per part finds the pairs
  of its buckets with NumPy), so no process holds every bucket; the pairs are then
  deduplicated. (Ray Data's `groupby().map_groups` did the same through a Python call per
  bucket: 68 s against 0.3 s locally for 10,000 documents, see README, Scaling out.)
- Shingle sets stay where the fingerprinting task made them, in Ray's object store (a
  batch's sets are one object); the driver holds only handles (`Kept`). Verification runs
  candidate pairs in chunks, as tasks that fetch the batches their pairs need, so no set
  passes through the driver; so do the shingle measures of the story pairs.
- Story candidates: the same band-key shuffle over each document's salient-word signature.
- What stays on the driver: the documents' metadata and signatures, the furniture counts
  per site, the verified pairs (the edges), the story evidence (its sparse signal
  matrices), the pair model's scores and the clustering. The edge list is what
  verification kept, a small share of the candidates (515 clusters from 13,518 articles
  on insm_de_press); see README, Scaling out.
"""

from __future__ import annotations

import logging
import os
import socket
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

import numpy as np

from dedup.copy.verify import verify_pairs
from dedup.index.bands import bucket_keys, pairs_sharing_a_key, unique_pairs
from dedup.model import CopyRule, Pair, UserProblem
from dedup.text.shingles import overlap

# Batches in flight per CPU of the cluster: enough to keep every worker busy while the
# driver takes results in order, few enough that results do not pile up in memory.
WINDOW_PER_CPU = 2
# Documents banded per map task of the LSH shuffle, and (band key, position) rows per
# reduce task: a few tens of MB of rows each, whatever the corpus.
DOCUMENTS_PER_MAP = 50_000
ROWS_PER_PART = 2_000_000
# Candidate pairs per verification task.
VERIFY_CHUNK = 20_000
# How long a cluster's address may take to accept a connection.
CONNECT_SECONDS = 5


class RayEngine:
    name = "ray"

    def __init__(self, ray_module, started: bool) -> None:
        self._ray = ray_module
        self._started = started  # this engine started the local Ray, and stops it
        cpus = int(ray_module.cluster_resources().get("CPU", 1))
        self.window = max(2, WINDOW_PER_CPU * cpus)
        self._apply = ray_module.remote(_apply)
        self._apply_keeping = ray_module.remote(num_returns=2)(_apply_keeping)
        self._band_parts = ray_module.remote(_band_parts)
        self._part_pairs = ray_module.remote(_part_pairs)
        self._verify = ray_module.remote(_verify_chunk)
        self._overlaps = ray_module.remote(_overlap_chunk)

    @classmethod
    def start(cls, address: str | None, jobs: int | None) -> RayEngine:
        """Join the cluster at `address` (or RAY_ADDRESS); without either, start a local Ray
        with `jobs` CPUs (all by default). A Ray already running in this process is used."""
        try:
            import ray  # noqa: PLC0415
        except ImportError:
            raise UserProblem("--engine ray needs Ray: pip install 'dedup[ray]'") from None
        if address:  # asked for on the command line: a wrong one is refused even where a Ray runs
            _reachable_or_refused(address)
        if ray.is_initialized():
            _quiet_ray()
            return cls(ray, started=False)
        if not address and os.environ.get("RAY_ADDRESS"):
            address = os.environ["RAY_ADDRESS"]
            _reachable_or_refused(address)
        options = {"include_dashboard": False, "log_to_driver": False, "logging_level": "ERROR"}
        try:
            if address:
                ray.init(address=address, **options)
            else:
                ray.init(num_cpus=jobs, **options)
        except (ConnectionError, RuntimeError, ValueError) as error:
            where = f"the Ray cluster at {address}" if address else "a local Ray"
            raise UserProblem(f"cannot start or reach {where} ({error}): check --ray-address or RAY_ADDRESS, "
                              "or run without --engine ray") from None
        _quiet_ray()
        return cls(ray, started=True)

    def map_ordered(self, function: Callable, batches: Iterable) -> Iterator:
        ray = self._ray
        function_ref = ray.put(function)
        pending: deque = deque()
        for batch in batches:
            pending.append(self._apply.remote(function_ref, batch))
            if len(pending) >= self.window:
                yield ray.get(pending.popleft())
        while pending:
            yield ray.get(pending.popleft())

    def map_keeping(self, function: Callable, batches: Iterable) -> Iterator[tuple[object, list]]:
        ray = self._ray
        function_ref = ray.put(function)
        pending: deque = deque()
        for batch in batches:
            pending.append(self._apply_keeping.remote(function_ref, batch))
            if len(pending) >= self.window:
                yield self._kept(*pending.popleft())
        while pending:
            yield self._kept(*pending.popleft())

    def _kept(self, result_ref, items_ref) -> tuple[object, list[Kept]]:
        result, count = self._ray.get(result_ref)
        return result, [Kept(items_ref, offset) for offset in range(count)]

    def candidate_pairs(self, positions: np.ndarray, signatures: np.ndarray, bands: int, rows: int) -> tuple[np.ndarray, np.ndarray]:
        if len(positions) < 2:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        # A hash shuffle in two rounds of tasks. Each map task bands a chunk of documents and
        # splits its (key, position) rows by key into `parts`; each reduce task takes one
        # part from every map task, so a bucket's members all meet in one task, and finds
        # the pairs of its buckets with NumPy. No process holds every bucket.
        parts = max(self.window, -(-len(positions) * bands // ROWS_PER_PART))
        mapped = []
        for start in range(0, len(positions), DOCUMENTS_PER_MAP):
            split = self._band_parts.options(num_returns=parts).remote(
                positions[start:start + DOCUMENTS_PER_MAP], signatures[start:start + DOCUMENTS_PER_MAP], bands, rows, parts)
            mapped.append(split if parts > 1 else [split])
        reduced = [self._part_pairs.remote(*[split[part] for split in mapped]) for part in range(parts)]
        found = [pairs for pairs in self._ray.get(reduced) if len(pairs)]
        # A pair whose documents share several bands is found in several parts: once here.
        return unique_pairs(np.concatenate(found) if found else np.zeros((0, 2), dtype=np.int64))

    def verify(self, ids: list[str], shingles: list[Kept], left: np.ndarray, right: np.ndarray, rule: CopyRule,
               report: Callable[[int, int], None] = lambda done, total: None) -> list[Pair]:
        total = len(left)
        if not total:
            report(0, 0)
            return []
        tasks = []
        for start in range(0, total, VERIFY_CHUNK):
            needed, refs, where, chunk_left, chunk_right = _chunk(shingles, left[start:start + VERIFY_CHUNK],
                                                                  right[start:start + VERIFY_CHUNK])
            tasks.append(self._verify.remote([ids[position] for position in needed], refs, where, chunk_left, chunk_right, rule))
        found: list[Pair] = []
        for task, start in zip(tasks, range(0, total, VERIFY_CHUNK), strict=True):
            found += self._ray.get(task)
            report(min(total, start + VERIFY_CHUNK), total)
        return found

    def overlaps(self, shingles: list[Kept], left: np.ndarray, right: np.ndarray) -> list[tuple[float, float]]:
        tasks = []
        for start in range(0, len(left), VERIFY_CHUNK):
            _, refs, where, chunk_left, chunk_right = _chunk(shingles, left[start:start + VERIFY_CHUNK],
                                                             right[start:start + VERIFY_CHUNK])
            tasks.append(self._overlaps.remote(refs, where, chunk_left, chunk_right))
        return [measure for task in tasks for measure in self._ray.get(task)]

    def close(self) -> None:
        if self._started:
            self._ray.shutdown()


def _reachable_or_refused(address: str) -> None:
    """An address dedup can use is HOST:PORT of a cluster's head (or "auto", a cluster
    started on this machine); any other form is one line with the form to use. Ray waits
    minutes for a cluster that is not there: a HOST:PORT that refuses a connection within
    CONNECT_SECONDS is refused at once, with the fix."""
    if address == "auto":
        return
    fix = "give HOST:PORT of the cluster's head (ray start --head prints it, port 6379 by default)"
    if address.startswith("ray://"):
        raise UserProblem(f"--ray-address {address}: a Ray Client address needs ray[client], which dedup does not "
                          f"use: {fix}, from a machine of the cluster")
    if "://" in address:
        raise UserProblem(f"--ray-address {address}: not a cluster address (a dashboard URL?): {fix}")
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise UserProblem(f"--ray-address {address}: not HOST:PORT: {fix}")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_SECONDS).close()
    except OSError as error:
        raise UserProblem(f"cannot reach the Ray cluster at {address} ({error.strerror or error}): start it with "
                          "`ray start --head`, or fix --ray-address / RAY_ADDRESS") from None


def _quiet_ray() -> None:
    """Ray's own log lines would cut through the scan's progress display on stderr."""
    logging.getLogger("ray").setLevel(logging.ERROR)


class Kept(NamedTuple):
    """A handle to one document's shingle set: the object of its fingerprinting batch in
    Ray's object store, and its place in that batch."""

    batch: object  # a ray.ObjectRef
    offset: int


def _apply(function: Callable, batch):
    return function(batch)


def _apply_keeping(function: Callable, batch):
    result, items = function(batch)
    return (result, len(items)), items


def _chunk(shingles: list[Kept], left: np.ndarray, right: np.ndarray):
    """What a task over the pairs (left[k], right[k]) needs: the positions it reads, the
    batch objects that hold their sets (in a list, so that the task fetches them itself),
    where each position's set is among them, and the pairs as indices into the positions."""
    needed = np.unique(np.concatenate([left, right])).tolist()
    local = {position: index for index, position in enumerate(needed)}
    refs: list = []
    ref_index: dict = {}
    where = []
    for position in needed:
        kept = shingles[position]
        if kept.batch not in ref_index:
            ref_index[kept.batch] = len(refs)
            refs.append(kept.batch)
        where.append((ref_index[kept.batch], kept.offset))
    return (needed, [refs], where, [local[position] for position in left.tolist()],
            [local[position] for position in right.tolist()])


def _fetched(refs: list, where: list[tuple[int, int]]) -> list[np.ndarray]:
    import ray  # noqa: PLC0415 -- runs on a Ray worker

    batches = ray.get(refs[0])
    return [batches[batch][offset] for batch, offset in where]


def _band_parts(positions: np.ndarray, signatures: np.ndarray, bands: int, rows: int, parts: int):
    """The documents' (band key, position) rows, split by key into `parts` arrays of shape (n, 2)."""
    keys = bucket_keys(signatures, bands, rows).ravel()
    table = np.stack([keys, np.repeat(positions.astype(np.int64), bands)], axis=1)
    part_of = keys.view(np.uint64) % np.uint64(parts)
    split = [table[part_of == part] for part in range(parts)]
    return split if parts > 1 else split[0]


def _part_pairs(*tables: np.ndarray) -> np.ndarray:
    """The candidate pairs of one part's buckets, shape (n, 2)."""
    table = np.concatenate(tables)
    left, right = pairs_sharing_a_key(table[:, 0], table[:, 1])
    return np.stack([left, right], axis=1)


def _verify_chunk(ids: list[str], refs: list, where: list[tuple[int, int]], left: list[int], right: list[int],
                  rule: CopyRule) -> list[Pair]:
    return verify_pairs(ids, _fetched(refs, where), left, right, rule)


def _overlap_chunk(refs: list, where: list[tuple[int, int]], left: list[int], right: list[int]) -> list[tuple[float, float]]:
    shingles = _fetched(refs, where)
    return [overlap(shingles[a], shingles[b]) for a, b in zip(left, right, strict=True)]
