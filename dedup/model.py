"""The shared vocabulary of dedup: plain dataclasses that every room passes around.

Nothing here computes anything; this module imports nothing from the rest of the package.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum


class Relation(str, Enum):
    """How two documents are related, from the tightest to the loosest."""

    DUPLICATE = "duplicate"  # identical after normalisation
    COPY = "copy"  # re-published or lightly edited text, or a shortened part of it
    STORY = "story"  # an independent report of the same event

    @property
    def looseness(self) -> int:
        return _LOOSENESS[self]

    @classmethod
    def loosest(cls, relations) -> Relation:
        return max(relations, key=lambda relation: relation.looseness)


_LOOSENESS = {Relation.DUPLICATE: 0, Relation.COPY: 1, Relation.STORY: 2}


@dataclass(frozen=True, slots=True)
class Article:
    """One document of a corpus, with whatever metadata its input carried or its text revealed."""

    id: str
    text: str
    title: str | None = None
    source: str | None = None
    date: str | None = None  # ISO 8601, possibly partial ("2021-12")
    url: str | None = None
    lang: str | None = None
    agencies: tuple[str, ...] = ()  # credits such as ("dpa", "afp")
    origin: str = ""  # where it was read: "corpus.jsonl:12", "samples/a.txt"

    def without_text(self) -> Article:
        """The metadata alone; scans keep these so memory does not grow with the corpus text."""
        return replace(self, text="")


@dataclass(frozen=True, slots=True)
class InputError:
    """A record or file that could not be read; the scan lists it and goes on with the rest."""

    input: str
    message: str
    line: int | None = None

    @classmethod
    def at(cls, origin: str, message: str) -> InputError:
        """An error at an Article's origin ("corpus.jsonl:12" names a file and a line)."""
        where, separator, line = origin.rpartition(":")
        if separator and where and line.isdigit():
            return cls(where, message, int(line))
        return cls(origin, message)

    def __str__(self) -> str:
        where = self.input if self.line is None else f"{self.input}:{self.line}"
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class Pair:
    """Two documents judged related, with the evidence for it."""

    a: str
    b: str
    relation: Relation
    similarity: float  # Jaccard of the two shingle sets
    containment: float  # share of the smaller shingle set found in the larger one


@dataclass(slots=True)
class Cluster:
    """Documents held together by verified pairs; its relation is the loosest among them."""

    id: str
    relation: Relation
    members: list[str]
    pairs: list[Pair] = field(default_factory=list)


@dataclass(slots=True)
class ScanResult:
    """What `dedup.scan` returns: the clusters of two or more, every document's metadata, the errors."""

    mode: str
    documents: dict[str, Article]  # id -> metadata (text dropped), in input order
    clusters: list[Cluster]
    errors: list[InputError]
    candidate_pairs: int = 0  # pairs the LSH proposed, before verification
    settings: dict[str, object] = field(default_factory=dict)  # what produced it, for reports
