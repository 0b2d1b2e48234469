"""Engines: where a scan's batch work runs. One plan, two engines.

The scan's stages are plain functions over batches (dedup.copy.fingerprint: read and clean,
fingerprint) and over arrays (dedup.index.bands: LSH band keys and the pairs that share
one; dedup.copy.verify: the copy rule). An engine only decides where they run and how batches
move between them:

- `local` (dedup.engines.local): a process pool on this machine, the default.
- `ray` (dedup.engines.ray): the tasks and object store of an existing Ray cluster, or of a
  local Ray started for the run: `dedup scan --engine ray`.

Both give the same clusters, pair by pair (tested): the functions are the same, and each
engine returns results in input order.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from dedup.engines.local import LocalEngine
from dedup.model import Article, ScanResult
from dedup.pipeline import Engine, Progress, ScanConfig, run_scan


def open_engine(name: str, jobs: int | None, address: str | None = None) -> Engine:
    """The engine called `name`: `local` with `jobs` processes, or `ray` at `address`."""
    if name == "ray":
        from dedup.engines.ray import RayEngine  # noqa: PLC0415 -- Ray is an optional extra

        return RayEngine.start(address, jobs)
    return LocalEngine(jobs)


def scan(inputs: Iterable[str | os.PathLike | Article], config: ScanConfig = ScanConfig(),
         progress: Progress | None = None) -> ScanResult:
    """Scan paths (directories, JSONL, CSV, files, "-") or Article objects on the engine
    `config.engine` names (the local process pool by default). This is `dedup.scan`."""
    engine = open_engine(config.engine, config.jobs, config.ray_address)
    try:
        return run_scan(inputs, config, progress or (lambda stage, done, total: None), engine)
    finally:
        engine.close()
