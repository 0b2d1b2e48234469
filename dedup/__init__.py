"""dedup: find duplicate and same-story news articles, and compare reports fact by fact.

The engine is a library first: `dedup.scan(paths_or_articles, ScanConfig(...))` returns a
`ScanResult` and `dedup.compare(article_a, article_b)` a `FactDiff`, plain dataclasses
(see `dedup.model`); the CLI and the TUI only render them.
Heavy modules load on first use, so `import dedup` and `dedup --help` stay instant.
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["scan", "ScanConfig", "compare", "__version__"]


def __getattr__(name: str):
    if name == "scan":
        from dedup.engines import scan  # noqa: PLC0415

        return scan
    if name == "ScanConfig":
        from dedup.pipeline import ScanConfig  # noqa: PLC0415

        return ScanConfig
    if name == "compare":
        from dedup.facts.compare import compare  # noqa: PLC0415

        return compare
    raise AttributeError(f"module 'dedup' has no attribute {name!r}")
