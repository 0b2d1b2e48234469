"""The interface every sentence encoder implements, and the one dedup opens by default.

An encoder turns texts into unit vectors whose dot product is their semantic similarity,
in any language it knows: "Biden warned Putin" and "Biden warnte Putin" land close
together. Nothing here downloads anything: the model comes inside an installed package.

Another encoder replaces the default by implementing `Encoder` and being passed where an
encoder is asked for (`dedup.facts.compare.compare(..., encoder=)`, the story stage).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from dedup.model import UserProblem


class Encoder(Protocol):
    # Names the model and its version: part of every cache key, so vectors of two models
    # (or two releases of one) never mix.
    name: str
    dimensions: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """A float32 matrix, one L2-normalised row per text (a zero row for an empty text)."""
        ...


_lock = threading.Lock()
_shared: dict[int, Encoder] = {}


def shared_encoder(threads: int = 1) -> Encoder:
    """The default encoder, loaded once per process (loading takes about a second and
    150 MB); `threads` is how many cores its matrix products may use."""
    with _lock:
        if threads not in _shared:
            from dedup.semantic.use import UniversalSentenceEncoder, missing_package

            try:
                _shared[threads] = UniversalSentenceEncoder(threads)
            except ImportError as error:
                raise UserProblem(missing_package(error)) from None
        return _shared[threads]
