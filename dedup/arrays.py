"""Many small arrays kept as one: how a batch of pages' words or shingle sets crosses
between processes.

Pickling a list of a few hundred small NumPy arrays costs microseconds per array;
pickling one array of all of them and their bounds costs one copy. A scan sends every
page's shingles and words between worker processes and this one, so the difference is a
tenth of a copy scan's time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np


class Segments(Sequence):
    """A sequence of 1-d arrays stored end to end in `values`; item i is
    values[bounds[i]:bounds[i + 1]], a view."""

    __slots__ = ("values", "bounds")

    def __init__(self, values: np.ndarray, bounds: np.ndarray) -> None:
        self.values = values
        self.bounds = bounds

    @classmethod
    def of(cls, arrays: Iterable[np.ndarray], dtype: type = np.uint64) -> Segments:
        arrays = list(arrays)
        lengths = np.fromiter(map(len, arrays), dtype=np.int64, count=len(arrays))
        values = np.concatenate(arrays).astype(dtype, copy=False) if arrays else np.zeros(0, dtype=dtype)
        return cls(values, np.concatenate(([0], np.cumsum(lengths))).astype(np.int64))

    def __len__(self) -> int:
        return len(self.bounds) - 1

    def __getitem__(self, index):  # an int: slices of Segments are not needed
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self.values[self.bounds[index]:self.bounds[index + 1]]

    def __reduce__(self):
        return Segments, (self.values, self.bounds)

    def lengths(self) -> np.ndarray:
        return np.diff(self.bounds)

