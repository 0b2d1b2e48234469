"""What a persistent index keeps, whatever stores it: its parameters, its documents, and
the LSH bucket keys of their signatures.

An index is only sound for signatures made the same way, so it records the shingles and
MinHash parameters it was built with and its schema version; opening it with other
parameters, or an index from a newer dedup, is refused with `IndexProblem` rather than
answered wrongly.

An index is a file or a database that anyone can edit, so nothing read from it is trusted:
its parameters are checked when it is opened (`params_from_meta`) and each record when it
is read (`shingles_from_blob`, `article_from_record`, `story_from_record`). A record that
fails raises `DamagedRecord`, which the stores turn into the one "damaged index" message
(`damaged`) naming the index and the fix, never a KeyError or a traceback.

Bucket keys: band i of a signature (its rows i*r .. i*r+r-1) is folded into one signed
64-bit integer with the band number mixed in, so one integer column holds every band.
Two documents share a key when they agree on the whole band (a different band's equal
values give a different key); a 2^-64 chance of a false match only adds a candidate,
which verification drops.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np

from dedup.index.bands import bucket_keys, lsh_bands  # noqa: F401 -- the stores import bucket_keys from here
from dedup.minhash import SCHEMES, MinHashParams
from dedup.model import Article, CopyRule, StoryFeatures, UserProblem
from dedup.text.shingles import ShingleSpec, ShingleSpecError

# 2: story evidence for the pair model (weekdays, quantities, the lead's days, names and
# numbers); an index of schema 1 holds too little of it and is rebuilt.
# 3: page furniture per site (the pages counted and their sentences), each document's
# page key and stub flag; documents are fingerprinted on their own text.
# 4: words hashed in bulk (dedup.text.span_hashes): every shingle, exact key and sentence
# key differs from schema 3's; each document's story band keys, which story checks look up.
# 5: story postings carry the document's publication day, so a check looks up only the
# reports within its window of days (schema 4's postings have no day).
SCHEMA_VERSION = 5
# The day a story posting records for a document without a publication day: below any
# real day (days count from 1970), so no window of days takes it in by accident; a lookup
# asks for it by name. Exact as a Redis score (a double) too.
UNDATED = -(1 << 40)


class IndexProblem(UserProblem):
    """An index that cannot be used as asked: missing, corrupt, newer, other parameters,
    unreachable. The message names the index and the fix."""


class DamagedRecord(ValueError):
    """A stored value that dedup cannot have written; its message says what is wrong."""


def damaged(location: str, what: str, remove: str) -> IndexProblem:
    """The message for an index changed behind dedup's back: `what` is wrong; `remove` says
    how to get rid of it in its store ("delete the file"), after which it is built again."""
    return IndexProblem(f"{location}: damaged index ({what}): {remove} and rebuild it with "
                        f"`dedup index add CORPUS --index {location}`")


# The names of the parameters an index records (see `IndexParams.to_record`).
PARAM_NAMES = ("shingles", "num_perm", "seed", "scheme", "bands", "rows")
_MAX_SEED = 2**32 - 1  # datasketch seeds NumPy's RandomState, which takes 32 bits


def params_from_meta(location: str, meta: Mapping[str, str], wanted: Mapping[str, str], remove: str) -> IndexParams:
    """The parameters an index records, checked: its schema version, every parameter present
    and in range, and equal to those a user asked for (`wanted`). Raises `IndexProblem`."""
    if "schema_version" not in meta:
        raise damaged(location, "its schema_version is missing", remove)
    version = _whole_number(meta["schema_version"])
    if version is None:
        raise damaged(location, f"its schema_version {_shown(meta['schema_version'])} is not a number", remove)
    if version > SCHEMA_VERSION:
        raise IndexProblem(f"{location}: index schema {version} is newer than this dedup reads ({SCHEMA_VERSION}): upgrade dedup")
    if version < SCHEMA_VERSION:
        raise IndexProblem(f"{location}: index schema {version} is older than this dedup's ({SCHEMA_VERSION}): "
                           f"{remove} and rebuild it with `dedup index add CORPUS --index {location}`")
    if missing := [name for name in PARAM_NAMES if name not in meta]:
        raise damaged(location, f"no {', '.join(missing)} among its parameters", remove)
    if not_text := [name for name in PARAM_NAMES if not isinstance(meta[name], str)]:
        raise damaged(location, f"parameter {', '.join(not_text)} is not text", remove)
    numbers = {}
    for name, low, high in (("num_perm", 2, 1024), ("seed", 0, _MAX_SEED), ("bands", 1, 1024), ("rows", 1, 1024)):
        value = _whole_number(meta[name])
        if value is None or not low <= value <= high:
            raise damaged(location, f"parameter {name} is {_shown(meta[name])}, not a number from {low} to {high}", remove)
        numbers[name] = value
    if numbers["bands"] * numbers["rows"] > numbers["num_perm"]:
        raise damaged(location, f"{numbers['bands']} bands of {numbers['rows']} rows do not fit {numbers['num_perm']} "
                                "permutations", remove)
    if meta["scheme"] not in SCHEMES:
        raise damaged(location, f"parameter scheme is {_shown(meta['scheme'])}, not one of {', '.join(SCHEMES)}", remove)
    try:
        shingles = ShingleSpec.parse(meta["shingles"])
    except ShingleSpecError:
        raise damaged(location, f"parameter shingles is {_shown(meta['shingles'])}, not a shingle size", remove) from None
    params = IndexParams(shingles, MinHashParams(numbers["num_perm"], numbers["seed"], meta["scheme"]),
                         numbers["bands"], numbers["rows"])
    if difference := params.mismatch(wanted):
        raise IndexProblem(f"{location}: built with {difference}: use the index's own parameters (see `dedup index info`) "
                           "or another --index")
    return params


def _shown(value: object) -> str:
    """A stored value in a message: quoted, and short whatever was stored."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _whole_number(text: object) -> int | None:
    # isascii: "²".isdigit() is true, and int() refuses it; the length keeps int() fast
    if isinstance(text, str) and text.isascii() and text.isdigit() and len(text) <= 20:
        return int(text)
    return None


@dataclass(frozen=True, slots=True)
class IndexParams:
    shingles: ShingleSpec
    minhash: MinHashParams
    bands: int
    rows: int

    @classmethod
    def for_copies(cls, shingles: ShingleSpec, minhash: MinHashParams, rule: CopyRule = CopyRule()) -> IndexParams:
        """The bands a batch scan would use for this copy rule (datasketch's optimum)."""
        bands, rows = lsh_bands(rule.candidate_threshold(), minhash.num_perm)
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
    stub: bool = False  # too short to judge once its site's furniture was out, when it was added


@dataclass(frozen=True, slots=True)
class NewDocument:
    """A document for an index to add: fingerprinted on its own text (without its site's
    furniture), with the key of its whole page (`dedup.copy.fingerprint.page_key`)."""

    article: Article
    key: bytes  # exact key of its own text
    page_key: bytes
    shingles: np.ndarray
    signature: np.ndarray
    story: StoryFeatures | None
    stub: bool
    # Its story band keys (dedup.story.candidates.salient_band_keys): how a story check
    # finds it without reading the rest; None for a document that makes no story finding.
    story_keys: np.ndarray | None = None

    @property
    def story_day(self) -> int:
        """The day its story postings record: its publication day, or UNDATED."""
        day = None if self.story is None else self.story.day
        return UNDATED if day is None else day


# What a story lookup asks for each incoming document: its story band keys, and the days
# (first, last) an indexed report may have been published on to be one story with it, or
# None for any day (it has none).
DayWindow = tuple[int, int] | None


def windows_by_key(keys: Sequence[np.ndarray], windows: Sequence[DayWindow]) -> dict[int, list[DayWindow]]:
    """For each story band key asked about, the windows of days to look in: those of the
    incoming documents that have it, overlapping ones merged, None for any day."""
    found: dict[int, list[tuple[int, int]]] = {}
    anyday: set[int] = set()
    for row, window in zip(keys, windows, strict=True):
        for key in row.view(np.int64).tolist():
            if window is None:
                anyday.add(key)
            else:
                found.setdefault(key, []).append(window)
    merged: dict[int, list[DayWindow]] = {key: [None] for key in anyday}
    for key, spans in found.items():
        if key in anyday:
            continue
        spans.sort()
        joined = [spans[0]]
        for first, last in spans[1:]:
            if first <= joined[-1][1] + 1:
                joined[-1] = (joined[-1][0], max(joined[-1][1], last))
            else:
                joined.append((first, last))
        merged[key] = list(joined)
    return merged


# What a store answers about furniture: site -> (the asked-for articles it has counted,
# sentence key -> pages of the site that carry it, for the asked-for sentences it knows).
StoredFurniture = dict[str, tuple[set[int], dict[int, int]]]
# What an add gives it to keep: site -> (articles newly counted, pages each sentence gained).
FurnitureAdditions = Mapping[str, tuple[Iterable[int], Mapping[int, int]]]


def signed(key: int) -> int:
    """An unsigned 64-bit sentence key as the signed integer SQLite and Redis keep."""
    return key - (1 << 64) if key >= 1 << 63 else key


def unsigned(key: int) -> int:
    return key + (1 << 64) if key < 0 else key


def page_count(value: object) -> int:
    """A stored count of pages: a positive whole number, else `DamagedRecord`."""
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    number = value if type(value) is int else _whole_number(value)
    if number is None or number < 1:
        raise DamagedRecord(f"a furniture count {_shown(value)} that is not a number of pages")
    return number


def article_record(article: Article) -> str:
    """An article's metadata (no text) as JSON."""
    fields = asdict(article.without_text())
    fields.pop("text")
    fields["agencies"] = list(article.agencies)
    return json.dumps(fields, ensure_ascii=False)


# The metadata record's fields (Article's, less its text) and the types JSON gives them.
_ARTICLE_FIELDS = {"id": (str,), "title": (str, type(None)), "source": (str, type(None)), "date": (str, type(None)),
                   "url": (str, type(None)), "lang": (str, type(None)), "agencies": (list,), "origin": (str,)}


def article_from_record(record: object) -> Article:
    """An article's metadata from its JSON record; `DamagedRecord` if it is not one."""
    fields = _json_object(record, "metadata")
    if not isinstance(fields.get("id"), str):
        raise DamagedRecord("a metadata record without an id")
    for name, value in fields.items():
        if name not in _ARTICLE_FIELDS:
            raise DamagedRecord(f"the metadata of {_shown(fields['id'])} has a field {_shown(name)} that dedup does not write")
        if not isinstance(value, _ARTICLE_FIELDS[name]):
            raise DamagedRecord(f"the metadata of {_shown(fields['id'])} has a {name} of type {type(value).__name__}")
    if not all(isinstance(agency, str) for agency in fields.get("agencies", ())):
        raise DamagedRecord(f"the metadata of {_shown(fields['id'])} lists agencies that are not names")
    fields["agencies"] = tuple(fields.get("agencies", ()))
    return Article(text="", **fields)


def shingles_from_blob(blob: object) -> np.ndarray:
    """A document's shingle hashes from their stored bytes: 8 bytes each, strictly increasing
    (verification counts shared hashes as if each occurred once)."""
    if not isinstance(blob, bytes):
        raise DamagedRecord("no shingle hashes" if blob is None else f"shingle hashes stored as {type(blob).__name__}")
    if len(blob) % 8:
        raise DamagedRecord(f"shingle hashes of {len(blob)} bytes, not a multiple of 8")
    shingles = np.frombuffer(blob, dtype=np.uint64)
    if len(shingles) > 1 and not (shingles[1:] > shingles[:-1]).all():
        raise DamagedRecord("shingle hashes out of order")
    return shingles


def _json_object(record: object, what: str) -> dict:
    if isinstance(record, bytes):
        try:
            record = record.decode("utf-8")
        except UnicodeDecodeError:
            raise DamagedRecord(f"a {what} record that is not UTF-8 text") from None
    if not isinstance(record, str):
        raise DamagedRecord(f"a {what} record that is not text")
    try:
        fields = json.loads(record)
    except (ValueError, RecursionError):  # RecursionError: nesting deeper than any record of ours
        raise DamagedRecord(f"a {what} record that is not valid JSON") from None
    if not isinstance(fields, dict):
        raise DamagedRecord(f"a {what} record that is not a JSON object")
    return fields


# StoryFeatures fields kept as sorted lists in the JSON record (stems is a dict, day an int).
_STORY_SETS = ("names", "numbers", "dates", "title", "quotes", "weekdays", "lead", "quantities", "lead_when",
               "lead_names", "lead_numbers")


def story_record(features: StoryFeatures | None) -> str | None:
    if features is None:
        return None
    fields = {"lang": features.lang, "stems": features.stems, "day": features.day}
    fields |= {name: sorted(getattr(features, name)) for name in _STORY_SETS}
    if features.summary:  # what `--semantic` encodes; records written before it was kept have none
        fields["summary"] = features.summary
    return json.dumps(fields, ensure_ascii=False)


_INT, _STR = {int}, {str}


def story_from_record(record: object) -> StoryFeatures | None:
    """A document's story evidence from its JSON record (None: it has none); `DamagedRecord`
    if the record is not one that `story_record` writes."""
    if record is None:
        return None
    fields = _json_object(record, "story")
    lang, stems, day = fields.get("lang"), fields.get("stems"), fields.get("day")
    if not isinstance(lang, str) or not isinstance(stems, dict) or not (day is None or type(day) is int):
        raise DamagedRecord("a story record without its language, stems or day")
    if not set(map(type, stems.values())) <= _INT:  # map and set: the check runs in C, at the pace of the parsing
        raise DamagedRecord("a story record whose stem counts are not whole numbers")
    sets = {}
    for name in _STORY_SETS:
        values = fields.get(name, ())
        if not isinstance(values, list) or not set(map(type, values)) <= _STR:
            raise DamagedRecord(f"a story record whose {name} are not a list of words")
        sets[name] = frozenset(values)
    summary = fields.get("summary", "")
    if not isinstance(summary, str):
        raise DamagedRecord("a story record whose summary is not text")
    return StoryFeatures(lang=lang, stems=stems, day=day, summary=summary, **sets)
