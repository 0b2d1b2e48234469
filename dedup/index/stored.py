"""What a persistent index keeps, whatever stores it: its parameters, its documents, and
the LSH bucket keys of their signatures.

An index is only sound for signatures made the same way, so it records the shingles and
MinHash parameters it was built with and its schema version; opening it with other
parameters, or an index from a newer dedup, is refused with `IndexProblem` rather than
answered wrongly.

Bucket keys: band i of a signature (its rows i*r .. i*r+r-1) is folded into one signed
64-bit integer with the band number mixed in, so one integer column holds every band.
Two documents share a key when they agree on the whole band (a different band's equal
values give a different key); a 2^-64 chance of a false match only adds a candidate,
which verification drops.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

import numpy as np

from dedup.minhash import MinHashParams
from dedup.model import Article, UserProblem
from dedup.story.features import StoryFeatures
from dedup.text.shingles import ShingleSpec, mix64
from dedup.verify import CopyRule

# 2: story evidence for the pair model (weekdays, quantities, the lead's days, names and
# numbers); an index of schema 1 holds too little of it and is rebuilt.
SCHEMA_VERSION = 2


class IndexProblem(UserProblem):
    """An index that cannot be used as asked: missing, corrupt, newer, other parameters,
    unreachable. The message names the index and the fix."""


@dataclass(frozen=True, slots=True)
class IndexParams:
    shingles: ShingleSpec
    minhash: MinHashParams
    bands: int
    rows: int

    @classmethod
    def for_copies(cls, shingles: ShingleSpec, minhash: MinHashParams, rule: CopyRule = CopyRule()) -> IndexParams:
        """The bands a batch scan would use for this copy rule (datasketch's optimum)."""
        from datasketch.lsh import _optimal_param  # noqa: PLC0415 -- datasketch's own choice of (b, r)

        bands, rows = _optimal_param(rule.candidate_threshold(), minhash.num_perm, 0.5, 0.5)
        return cls(shingles, minhash, bands, rows)

    def to_record(self) -> dict[str, str]:
        return {
            "shingles": str(self.shingles),
            "num_perm": str(self.minhash.num_perm),
            "seed": str(self.minhash.seed),
            "scheme": self.minhash.scheme,
            "bands": str(self.bands),
            "rows": str(self.rows),
        }

    @classmethod
    def from_record(cls, record: dict[str, str]) -> IndexParams:
        minhash = MinHashParams(int(record["num_perm"]), int(record["seed"]), record["scheme"])
        return cls(ShingleSpec.parse(record["shingles"]), minhash, int(record["bands"]), int(record["rows"]))

    def mismatch(self, wanted: dict[str, str]) -> str | None:
        """How the parameters a user asked for (name -> value, as in `to_record`) differ, or None."""
        ours = self.to_record()
        different = [f"{name} {ours[name]} (asked for {value})" for name, value in wanted.items() if ours[name] != value]
        return ", ".join(different) or None


def new_params(wanted: dict[str, str]) -> IndexParams:
    """The parameters of a new index: those asked for, the scan's defaults for the rest."""
    shingles = ShingleSpec.parse(wanted.get("shingles", str(ShingleSpec())))
    defaults = MinHashParams()
    minhash = MinHashParams(int(wanted.get("num_perm", defaults.num_perm)), int(wanted.get("seed", defaults.seed)))
    return IndexParams.for_copies(shingles, minhash)


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """A document as an index returns it: its metadata and what checks compare."""

    position: int
    article: Article  # without text
    key: bytes
    shingles: np.ndarray
    story: StoryFeatures | None


_BAND_SALT = np.uint64(0x9E3779B97F4A7C15)


def bucket_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """Shape (documents, bands): each band of each signature as one signed 64-bit key."""
    with np.errstate(over="ignore"):
        values = signatures[:, : bands * rows].astype(np.uint64).reshape(len(signatures), bands, rows)
        keys = mix64(np.arange(1, bands + 1, dtype=np.uint64) * _BAND_SALT)[None, :].repeat(len(signatures), axis=0)
        for row in range(rows):
            keys = mix64(keys ^ values[:, :, row])
    return keys.view(np.int64)


def article_record(article: Article) -> str:
    """An article's metadata (no text) as JSON."""
    fields = asdict(article.without_text())
    fields.pop("text")
    fields["agencies"] = list(article.agencies)
    return json.dumps(fields, ensure_ascii=False)


def article_from_record(record: str) -> Article:
    fields = json.loads(record)
    fields["agencies"] = tuple(fields.get("agencies", ()))
    return Article(text="", **fields)


# StoryFeatures fields kept as sorted lists in the JSON record (stems is a dict, day an int).
_STORY_SETS = ("names", "numbers", "dates", "title", "quotes", "weekdays", "lead", "quantities", "lead_when",
               "lead_names", "lead_numbers")


def story_record(features: StoryFeatures | None) -> str | None:
    if features is None:
        return None
    fields = {"lang": features.lang, "stems": features.stems, "day": features.day}
    fields |= {name: sorted(getattr(features, name)) for name in _STORY_SETS}
    return json.dumps(fields, ensure_ascii=False)


def story_from_record(record: str | None) -> StoryFeatures | None:
    if record is None:
        return None
    fields = json.loads(record)
    return StoryFeatures(lang=fields["lang"], stems=fields["stems"], day=fields["day"],
                         **{name: frozenset(fields.get(name, ())) for name in _STORY_SETS})
