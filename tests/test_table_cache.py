"""The disk cache of story mode's reference tables: the same table as a fresh build, and
never a reason for a scan to fail."""

from __future__ import annotations

import os

import pytest

from dedup.story import table_cache
from dedup.story.table_cache import cached_table

TABLE = {"telefonat": 2.6, "uschakow": 4.7, "über": 0.25, "x": 1e-17}


def build_counting(calls: list[int]):
    def build() -> dict[str, float]:
        calls.append(1)
        return dict(TABLE)
    return build


def test_a_cached_table_is_the_table_built(tmp_path, monkeypatch):
    monkeypatch.setenv("DEDUP_CACHE_DIR", str(tmp_path))
    calls: list[int] = []
    assert cached_table("rarity", "v1", build_counting(calls)) == TABLE
    assert cached_table("rarity", "v1", build_counting(calls)) == TABLE
    assert len(calls) == 1
    assert len(list(tmp_path.glob("rarity-*.npz"))) == 1


def test_another_version_is_built_anew(tmp_path, monkeypatch):
    monkeypatch.setenv("DEDUP_CACHE_DIR", str(tmp_path))
    calls: list[int] = []
    cached_table("rarity", "v1", build_counting(calls))
    cached_table("rarity", "v2", build_counting(calls))
    assert len(calls) == 2


@pytest.mark.parametrize("damage", [b"", b"not a zip file", None])
def test_a_damaged_cache_file_is_rebuilt(tmp_path, monkeypatch, damage):
    monkeypatch.setenv("DEDUP_CACHE_DIR", str(tmp_path))
    cached_table("rarity", "v1", build_counting([]))
    (path,) = tmp_path.glob("rarity-*.npz")
    path.write_bytes(damage if damage is not None else path.read_bytes()[: path.stat().st_size // 2])
    calls: list[int] = []
    assert cached_table("rarity", "v1", build_counting(calls)) == TABLE
    assert calls == [1]
    assert cached_table("rarity", "v1", build_counting(calls)) == TABLE and calls == [1]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_an_unwritable_cache_folder_costs_only_time(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    folder.mkdir()
    folder.chmod(0o500)
    monkeypatch.setenv("DEDUP_CACHE_DIR", str(folder))
    assert cached_table("rarity", "v1", build_counting([])) == TABLE
    assert not list(folder.iterdir())


def test_a_cache_folder_that_is_a_file_costs_only_time(tmp_path, monkeypatch):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    monkeypatch.setenv("DEDUP_CACHE_DIR", str(blocker / "dedup"))
    assert cached_table("rarity", "v1", build_counting([])) == TABLE


def test_an_empty_cache_setting_turns_the_cache_off(tmp_path, monkeypatch):
    monkeypatch.setenv("DEDUP_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    calls: list[int] = []
    cached_table("rarity", "v1", build_counting(calls))
    cached_table("rarity", "v1", build_counting(calls))
    assert calls == [1, 1] and not list(tmp_path.rglob("*.npz"))
    assert table_cache.cache_folder() is None  # imported from dedup.caching


def test_the_shipped_reference_reads_the_same_from_the_cache(tmp_path, monkeypatch):
    """Stem and word rarities built fresh and read back are the same numbers."""
    from dedup.story import reference

    monkeypatch.setenv("DEDUP_CACHE_DIR", str(tmp_path))
    fresh = reference._build_stem_rarities("de")
    version = reference._tables_version("de")
    assert cached_table("stem-rarity-de", version, lambda: fresh) == fresh
    assert cached_table("stem-rarity-de", version, dict) == fresh
