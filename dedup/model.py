"""The shared vocabulary of dedup: plain dataclasses that every room passes around.

Nothing here reads or compares documents; this module imports nothing from the rest of the
package. The copy rule's parameters live here because three rooms must agree on them: the
copy stage (dedup.copy), the persistent indexes' LSH bands (dedup.index) and the CI gate.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
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


# Defaults, each in words a reader can check (the benchmark prints them):
DEFAULT_THRESHOLD = 0.5  # Jaccard: half of the two texts' 5-word sequences in common
DEFAULT_CONTAINMENT = 0.8  # four fifths of the shorter text's 5-word sequences in the longer
# About three sentences of 5-word shingles; a shorter shared passage is a quote, not a copy.
MIN_CONTAINED_SHINGLES = 40
# The smallest part of its original a shortened copy may keep and still be found: the LSH
# must propose pairs down to the Jaccard such a copy has (see `CopyRule.candidate_threshold`).
SHORTEST_COPY_SHARE = 1 / 3
# A story cluster lists the pairs that connect it (a maximum spanning tree) and, for each of
# its reports, its LINKS_SHOWN strongest pairs and its weakest at the link probability or
# above: which reports it is closest to, that more than one holds it, and how loosely. Not
# every pair: their number grows as the square of a story (800 near-identical short texts
# made one story of 298,000 pairs at 0.5 or above, explained in 27 s, a report of 580 MB).
LINKS_SHOWN = 3


@dataclass(frozen=True, slots=True)
class CopyRule:
    """When a candidate pair is a copy: either measure clears its threshold (dedup.copy.verify)."""

    threshold: float = DEFAULT_THRESHOLD
    containment: float = DEFAULT_CONTAINMENT
    min_contained: int = MIN_CONTAINED_SHINGLES

    def __post_init__(self) -> None:
        for name, value in (("threshold", self.threshold), ("containment", self.containment)):
            if not 0.0 < value <= 1.0:
                raise ValueError(f"--{name} {value} is out of range: use a number above 0 and at most 1")

    def candidate_threshold(self) -> float:
        """The Jaccard the LSH must reach down to: the lower of the threshold and the Jaccard
        of a shortened copy that keeps SHORTEST_COPY_SHARE of its original at the containment
        threshold, c*s / (1 + s - c*s) for containment c and share s."""
        c, s = self.containment, SHORTEST_COPY_SHARE
        return min(self.threshold, c * s / (1 + s - c * s))


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
        return self.with_text("")

    def with_text(self, text: str) -> Article:
        """The same metadata with another text (`dataclasses.replace` re-checks every field
        and costs several times more, once per document of a scan)."""
        return Article(self.id, text, self.title, self.source, self.date, self.url, self.lang, self.agencies, self.origin)


class UserProblem(Exception):
    """Something the user can fix (a damaged index, an unreadable decisions file): its
    message names the input and the fix; the command line prints it and exits 2."""


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
class PassedOver(InputError):
    """A file in a folder that dedup itself wrote (a saved scan, a decisions file, an exported
    comparison: its schema says so). It is not an article, and not an error either: a scan
    passes it over and says so once."""


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why two reports were judged one story: the probability and what they share."""

    score: float  # the story probability: P(the two tell one event | their evidence), 0 to 1
    signals: dict[str, float]  # the pair model's inputs: content words, names, numbers, dates, ...
    shared: dict[str, tuple[str, ...]]  # names, numbers, dates, quoted words, word and title stems both share
    days_apart: int | None = None  # between the publication dates, when both are known
    # Each input's part in the log-odds (coefficient times value), the model's own account
    # of why; the constant part is under "baseline".
    contributions: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Pair:
    """Two documents judged related, with the evidence for it."""

    a: str
    b: str
    relation: Relation
    similarity: float  # Jaccard of the two shingle sets
    containment: float  # share of the smaller shingle set found in the larger one
    evidence: Evidence | None = None  # for story pairs


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
    # Pages whose own text, without their site's furniture, is too short to judge (ids, in
    # input order), and how many furniture sentences each site was found to print.
    stubs: list[str] = field(default_factory=list)
    furniture: dict[str, int] = field(default_factory=dict)
    passed_over: list[str] = field(default_factory=list)  # files dedup wrote, found among the inputs

    @property
    def stub_ids(self) -> frozenset[str]:
        return frozenset(self.stubs)


# --- compare: the fact-level comparison of two reports ---------------------------------


@dataclass(frozen=True, slots=True)
class StoryFeatures:
    """What one document gives the story stage (dedup.story.features): its language, weighted
    stems, names, numbers, dates, quotes and lead; what the persistent indexes store for
    story checks."""

    lang: str
    stems: dict[str, int]
    names: frozenset[str]
    numbers: frozenset[str]
    dates: frozenset[str]  # "MM-DD"
    title: frozenset[str]
    day: int | None  # publication day as a proleptic Gregorian ordinal
    quotes: frozenset[str] = frozenset()  # quoted words as pairs of neighbouring stems
    weekdays: frozenset[str] = frozenset()  # "monday" .. "sunday", whatever the language
    lead: frozenset[str] = frozenset()  # the content stems of the lead (dedup.story.features.LEAD_SENTENCES)
    # Numbers with what they count, "value unit" ("14 peopl", "6.1 magnitud", "50 minut"),
    # durations in minutes ("120 duration") and clock times ("04:12 time"): two reports of
    # one event agree on them, two events of one kind differ.
    quantities: frozenset[str] = frozenset()
    # The days the lead names ("thursday", "12-30"): when the event happened, as against the
    # dates a report gives for its background.
    lead_when: frozenset[str] = frozenset()
    # The names the lead gives: who the event is about ("rahman" in one title fight of
    # Klitschko's, "thompson" in another).
    lead_names: frozenset[str] = frozenset()
    lead_numbers: frozenset[str] = frozenset()  # the numbers the lead gives: the event's toll, score, size
    # The title and the lead as text (dedup.story.features.summary): what the sentence
    # encoder reads when story mode weighs meaning too (`--semantic`). Empty in records an
    # index wrote before it was kept.
    summary: str = ""


@dataclass(frozen=True, slots=True)
class Finding:
    document: Article  # the incoming document
    other: Article  # what it duplicates, copies or retells
    other_indexed: bool  # True: in the index; False: another incoming document
    relation: Relation
    similarity: float
    containment: float
    score: float | None = None  # story probability, for story findings
    accepted_as: str | None = None  # the baseline decision that accepts it
    other_stub: bool = False  # the other document is a stub (see the module's docstring)

    @property
    def fingerprint(self) -> str:
        """Stable across runs and machines: the two ids, in order, and the relation."""
        first, second = sorted((self.document.id, self.other.id))
        digest = hashlib.sha256(f"dedup-pair/v1\0{first}\0{second}\0{self.relation.value}".encode("utf-8"))
        return digest.hexdigest()[:32]


@dataclass(slots=True)
class CheckResult:
    mode: str
    fail_on: Relation
    index: str
    documents: list[Article]
    findings: list[Finding]
    errors: list[InputError]
    settings: dict[str, object] = field(default_factory=dict)
    stubs: list[str] = field(default_factory=list)  # incoming pages too short to judge, in input order

    @property
    def stub_ids(self) -> frozenset[str]:
        return frozenset(self.stubs)

    def fails(self, finding: Finding) -> bool:
        """Whether a finding fails the check: not accepted, and at least as tight as fail_on."""
        return finding.accepted_as is None and finding.relation.looseness <= self.fail_on.looseness

    @property
    def failing(self) -> list[Finding]:
        return [finding for finding in self.findings if self.fails(finding)]


class RowKind(str, Enum):
    """What an aligned row of two reports holds."""

    SHARED = "shared"  # the same words after normalisation
    PARAPHRASE = "paraphrase"  # the same fact in other words
    CONFLICT = "conflict"  # the same fact with a different number, date or name
    LEFT_ONLY = "left_only"
    RIGHT_ONLY = "right_only"
    HEADING = "heading"  # a heading or one-line teaser of one report: shown, not a fact

    def mirrored(self) -> RowKind:
        return {RowKind.LEFT_ONLY: RowKind.RIGHT_ONLY, RowKind.RIGHT_ONLY: RowKind.LEFT_ONLY}.get(self, self)


@dataclass(frozen=True, slots=True)
class DiffSegment:
    """A run of words in a word-level diff: `equal` (same words), `equivalent` (different
    surface, same normalised meaning or stem: "Jänner"/"Januar"), `moved` (words the other
    side has elsewhere: one side's text is empty), `left` or `right` (only there). An
    `equivalent` run may also have one side empty when its counterpart stands elsewhere."""

    op: str
    left: str
    right: str

    def mirrored(self) -> DiffSegment:
        op = {"left": "right", "right": "left"}.get(self.op, self.op)
        return DiffSegment(op, self.right, self.left)


@dataclass(frozen=True, slots=True)
class AlignedRow:
    kind: RowKind
    left: tuple[int, ...]  # sentence indices in the left report
    right: tuple[int, ...]
    left_text: str
    right_text: str
    similarity: float
    diff: tuple[DiffSegment, ...] = ()  # for paraphrase and conflict rows
    conflicts: tuple[str, ...] = ()  # "number: 50 minute ≠ 40 minute", for conflict rows

    def mirrored(self) -> AlignedRow:
        return AlignedRow(
            self.kind.mirrored(), self.right, self.left, self.right_text, self.left_text, self.similarity,
            tuple(segment.mirrored() for segment in self.diff),
            tuple(_mirror_conflict(conflict) for conflict in self.conflicts),
        )


def _mirror_conflict(conflict: str) -> str:
    kind, _, values = conflict.partition(": ")
    left, _, right = values.partition(" ≠ ")
    return f"{kind}: {right} ≠ {left}"


class AtomStatus(str, Enum):
    SHARED = "shared"
    LEFT_ONLY = "left_only"
    RIGHT_ONLY = "right_only"
    CONFLICT = "conflict"

    def mirrored(self) -> AtomStatus:
        return {AtomStatus.LEFT_ONLY: AtomStatus.RIGHT_ONLY, AtomStatus.RIGHT_ONLY: AtomStatus.LEFT_ONLY}.get(self, self)


@dataclass(frozen=True, slots=True)
class Atom:
    """A checkable fact: a quote, number, date, person, organisation, place or agency."""

    type: str
    value: str  # normalised: "50 minute", "--01-10", "jen psaki"
    left: tuple[str, ...]  # surface forms in the left report
    right: tuple[str, ...]
    status: AtomStatus

    def mirrored(self) -> Atom:
        return Atom(self.type, self.value, self.right, self.left, self.status.mirrored())


LANGUAGE_NAMES = {"de": "German", "en": "English"}


@dataclass(slots=True)
class FactDiff:
    """What `dedup.compare(a, b)` returns."""

    left: Article  # metadata and text of each report
    right: Article
    left_sentences: list[str]
    right_sentences: list[str]
    rows: list[AlignedRow]
    atoms: list[Atom]

    @property
    def summary(self) -> dict[str, int]:
        counts = {kind.value: 0 for kind in RowKind}
        for row in self.rows:
            counts[row.kind.value] += 1
        return counts

    @property
    def languages(self) -> tuple[str | None, str | None]:
        return self.left.lang, self.right.lang

    @property
    def language_note(self) -> str | None:
        """What a reader must know before reading a comparison of two languages, else None."""
        left, right = self.languages
        if left is None or right is None or left == right:
            return None
        return (f"The reports are in different languages ({LANGUAGE_NAMES.get(left, left)} and "
                f"{LANGUAGE_NAMES.get(right, right)}): sentences are paired by meaning, and shown without a word diff.")

    def mirrored(self) -> FactDiff:
        return FactDiff(
            self.right, self.left, self.right_sentences, self.left_sentences,
            [row.mirrored() for row in self.rows], [atom.mirrored() for atom in self.atoms],
        )
