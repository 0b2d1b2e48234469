"""Vectors of texts already encoded, kept on disk so a second scan of a corpus (or a check
of documents a scan has seen) does not encode them again.

One SQLite file per encoder in the user's cache folder (the folder of story mode's tables:
DEDUP_CACHE_DIR, else $XDG_CACHE_HOME/dedup or ~/.cache/dedup; DEDUP_CACHE_DIR= turns it
off). A row is the 16-byte BLAKE2 digest of the text and its vector as float16 (1 KB for
512 dimensions; float16 keeps cosines to about 1e-3, far finer than any decision drawn on
them). A cache that cannot be opened or written costs only the time: the vectors are then
computed and not kept.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from dedup.caching import cache_folder
from dedup.semantic.encoder import Encoder

# Texts encoded per call: the encoder's batches are smaller; this bounds the rows held
# between two writes to the cache.
CHUNK = 2_048


def cached_vectors(encoder: Encoder, texts: Sequence[str]) -> np.ndarray:
    """The encoder's vectors of `texts` (float32, one row each), from the cache where known."""
    vectors = np.zeros((len(texts), encoder.dimensions), dtype=np.float32)
    keys = [hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest() for text in texts]
    store = _open(encoder)
    known = _read(store, keys, encoder.dimensions) if store else {}
    missing = [index for index, key in enumerate(keys) if key not in known]
    for index, key in enumerate(keys):
        if key in known:
            vectors[index] = known[key]
    for start in range(0, len(missing), CHUNK):
        chunk = missing[start:start + CHUNK]
        computed = encoder.encode([texts[index] for index in chunk])
        vectors[chunk] = computed
        if store:
            _write(store, [keys[index] for index in chunk], computed)
    if store:
        store.close()
    return vectors


def _path(encoder: Encoder) -> Path | None:
    folder = cache_folder()
    if folder is None:
        return None
    digest = hashlib.blake2b(encoder.name.encode("utf-8"), digest_size=8).hexdigest()
    return folder / f"vectors-{digest}.sqlite"


def _open(encoder: Encoder) -> sqlite3.Connection | None:
    path = _path(encoder)
    if path is None:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        store = sqlite3.connect(path, timeout=5)
        store.execute("CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vector BLOB NOT NULL)")
        return store
    except (OSError, sqlite3.Error):  # unwritable folder, a damaged or foreign file: no cache
        return None


def _read(store: sqlite3.Connection, keys: list[bytes], dimensions: int) -> dict[bytes, np.ndarray]:
    found: dict[bytes, np.ndarray] = {}
    unique = list(dict.fromkeys(keys))
    try:
        for start in range(0, len(unique), 500):  # SQLite's bound-parameter limit
            part = unique[start:start + 500]
            rows = store.execute(f"SELECT key, vector FROM vectors WHERE key IN ({','.join('?' * len(part))})", part)
            for key, blob in rows:
                if isinstance(blob, bytes) and len(blob) == 2 * dimensions:  # a row of another shape is ignored
                    found[key] = np.frombuffer(blob, dtype=np.float16).astype(np.float32)
    except sqlite3.Error:
        return {}
    return found


def _write(store: sqlite3.Connection, keys: list[bytes], vectors: np.ndarray) -> None:
    try:
        with store:
            store.executemany("INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)",
                              [(key, vector.astype(np.float16).tobytes()) for key, vector in zip(keys, vectors, strict=True)])
    except sqlite3.Error:
        pass  # a full disk or a locked file: the vectors were computed, only not kept
