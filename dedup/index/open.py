"""Open a persistent index by its location: a file path (SQLite) or redis://HOST:PORT/DB."""

from __future__ import annotations

from dedup.text.shingles import ShingleSpec


def wanted_params(shingles: str | None, num_perm: int | None, seed: int | None) -> dict[str, str]:
    """The parameters a user gave on the command line, in the index's record form."""
    wanted = {}
    if shingles is not None:
        wanted["shingles"] = str(ShingleSpec.parse(shingles))
    if num_perm is not None:
        wanted["num_perm"] = str(num_perm)
    if seed is not None:
        wanted["seed"] = str(seed)
    return wanted


def open_index(location: str, wanted: dict[str, str] | None, create: bool):
    """A SqliteIndex or RedisIndex; both answer the same questions."""
    if location.startswith("redis://"):
        from dedup.index.redis import RedisIndex  # noqa: PLC0415 -- the redis client is an optional extra

        return RedisIndex.open(location, wanted or {}, create)
    from dedup.index.sqlite import SqliteIndex  # noqa: PLC0415

    return SqliteIndex.open(location, wanted or {}, create)
