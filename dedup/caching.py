"""Where dedup keeps what it can recompute: story mode's derived tables and the vectors of
texts already encoded. DEDUP_CACHE_DIR sets the folder; DEDUP_CACHE_DIR= (empty) turns
caching off; otherwise $XDG_CACHE_HOME/dedup, or ~/.cache/dedup."""

from __future__ import annotations

import os
from pathlib import Path


def cache_folder() -> Path | None:
    """The folder for cached files, or None when caching is off."""
    configured = os.environ.get("DEDUP_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "dedup"
