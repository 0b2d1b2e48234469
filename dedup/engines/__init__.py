"""Engines: where a scan's batch work runs. One plan, two engines.

The scan's stages are plain functions over batches (dedup.fingerprint: read and clean,
fingerprint) and over arrays (dedup.index.bands: LSH band keys and the pairs that share
one; dedup.verify: the copy rule). An engine only decides where they run and how batches
move between them:

- `local` (dedup.engines.local): a process pool on this machine, the default.
- `ray` (dedup.engines.ray): the tasks and datasets of an existing Ray cluster, or of a
  local Ray started for the run: `dedup scan --engine ray`.

Both give the same clusters, pair by pair (tested): the functions are the same, and each
engine returns results in input order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Protocol

import numpy as np

from dedup.model import Pair
from dedup.verify import CopyRule

ENGINES = ("local", "ray")


class Engine(Protocol):
    name: str

    def map_ordered(self, function: Callable, batches: Iterable) -> Iterator:
        """`function` over every batch, results in the order of the batches."""

    def candidate_pairs(self, positions: np.ndarray, signatures: np.ndarray, bands: int, rows: int) -> tuple[np.ndarray, np.ndarray]:
        """The pairs (left < right, sorted, once) of `positions` whose signatures share an LSH band."""

    def verify(self, ids: list[str], shingles: list[np.ndarray], left: np.ndarray, right: np.ndarray, rule: CopyRule,
               report: Callable[[int, int], None]) -> list[Pair]:
        """The candidate pairs (positions into `ids` and `shingles`) that the copy rule confirms, in candidate order."""

    def close(self) -> None:
        """Give back what the engine started."""


def open_engine(name: str, jobs: int | None, address: str | None = None) -> Engine:
    """The engine called `name`: `local` with `jobs` processes, or `ray` at `address`."""
    if name == "ray":
        from dedup.engines.ray import RayEngine  # noqa: PLC0415 -- Ray is an optional extra

        return RayEngine.start(address, jobs)
    from dedup.engines.local import LocalEngine  # noqa: PLC0415

    return LocalEngine(jobs)
