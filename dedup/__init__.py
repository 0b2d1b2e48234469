"""dedup: find duplicate and same-story news articles, and compare reports fact by fact.

The engine is a library first: `dedup.scan(paths_or_articles, ScanConfig(...))` returns a
`ScanResult` of plain dataclasses (see `dedup.model`); the CLI only renders it.
Heavy modules load on first use, so `import dedup` and `dedup --help` stay instant.
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["scan", "ScanConfig", "__version__"]


def __getattr__(name: str):
    if name in ("scan", "ScanConfig"):
        from dedup import pipeline  # noqa: PLC0415

        return getattr(pipeline, name)
    raise AttributeError(f"module 'dedup' has no attribute {name!r}")
