"""A disk cache for the reference tables story mode derives from shipped word lists.

Turning wordfreq's German list (600,000 words) into stem rarities means stemming every
word: about two seconds per language in each process that scans, a tenth of a scan of
10,000 reports. The result depends only on the installed versions of wordfreq and the
stemmer, the shipped news table and the reference's constants, so it is kept in the
user's cache folder under a key made of all of them: a new version of any one is a new
file, never a stale table.

The files are plain arrays (numpy's .npz without pickles), so a file someone else wrote
cannot run code; one that cannot be read is rebuilt. A cache that cannot be written (a
read-only home, a full disk) costs only the time: tables are then built in memory.
DEDUP_CACHE_DIR sets the folder; DEDUP_CACHE_DIR= (empty) turns the cache off.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from dedup.caching import cache_folder

Table = dict[str, float]
_SEPARATOR = "\n"  # never inside a word of the lists: they are split on whitespace


def cached_table(name: str, version: str, build: Callable[[], Table]) -> Table:
    """The table `build` makes, read from the cache when a file of this name and version exists."""
    folder = cache_folder()
    if folder is None:
        return build()
    digest = hashlib.blake2b(version.encode("utf-8"), digest_size=8).hexdigest()
    path = folder / f"{name}-{digest}.npz"
    table = _read(path)
    if table is None:
        table = build()
        _write(path, table)
    return table


def _read(path: Path) -> Table | None:
    try:
        with np.load(path, allow_pickle=False) as stored:
            values = stored["values"]
            keys = stored["keys"].tobytes().decode("utf-8").split(_SEPARATOR) if values.size else []
            if len(keys) != len(values):
                return None
            return dict(zip(keys, values.tolist(), strict=True))
    except (OSError, ValueError, KeyError, EOFError, UnicodeDecodeError, zipfile.BadZipFile):  # missing, truncated or foreign: rebuild
        return None


def _write(path: Path, table: Table) -> None:
    if any(_SEPARATOR in key for key in table):
        return
    keys = np.frombuffer(_SEPARATOR.join(table).encode("utf-8"), dtype=np.uint8)
    values = np.fromiter(table.values(), np.float64, len(table))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written beside the target and renamed into place, so a reader in another process
        # never sees half a file.
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.stem, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(descriptor, "wb") as handle:
            np.savez(handle, keys=keys, values=values)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
