"""Dot products of sentence vectors that do not depend on how many were computed together.

A float32 matrix product (OpenBLAS's kernels, through NumPy) sums each entry in an order
that depends on the shapes of the product and on where the row lies in it: on some
processors two identical rows get cosines a few units of the last place apart, and a
row's cosines change with the block it was computed in. Ties between identical sentences
then break by chance, and a pair's cosine depends on the corpus around it. Summed in
float64 and rounded to float32, an entry's own rounding lies some 2^-29 of a float32 step
from the exact sum, far below what the rounding to float32 discards, so every block and
every machine gives the same float32 (tested).
"""

from __future__ import annotations

import numpy as np


def dot_products(rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """rows @ columns.T as float32, each entry the same whatever else is in either matrix."""
    wide_rows = np.asarray(rows, dtype=np.float64)
    wide_columns = np.asarray(columns, dtype=np.float64)
    return (wide_rows @ wide_columns.T).astype(np.float32)
