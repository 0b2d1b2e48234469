"""`dedup index add` as a library call: read, fingerprint and add a corpus to an index.

Documents stream from the worker processes into the index's one transaction, so memory
stays flat and an interrupted run leaves the index as it was. A document whose id is
already indexed is skipped when its text is the same (a corpus can be added again), and
refused when it differs: an id names one text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from dedup.model import InputError
from dedup.pipeline import Fingerprint, ScanConfig, fingerprints

# Documents whose ids are looked up in the index at once.
_LOOKUP = 500


@dataclass(slots=True)
class AddReport:
    read: int = 0
    added: int = 0
    already: int = 0
    errors: list[InputError] = field(default_factory=list)


def add_to_index(inputs: Iterable, index, config: ScanConfig, report: Callable[[int], None] = lambda done: None) -> AddReport:
    tally = AddReport()
    stream = fingerprints(inputs, config, tally.errors, report)
    tally.added = index.add((item.article, item.key, item.shingles, item.signature, item.story) for item in _new(stream, index, tally))
    return tally


def _new(stream: Iterator[Fingerprint], index, tally: AddReport) -> Iterator[Fingerprint]:
    while chunk := list(islice(stream, _LOOKUP)):
        tally.read += len(chunk)
        known = index.known_keys([item.article.id for item in chunk])
        for item in chunk:
            if item.article.id not in known:
                yield item
            elif known[item.article.id] == item.key:
                tally.already += 1
            else:
                tally.errors.append(InputError.at(item.article.origin or item.article.id,
                                                  f"id {item.article.id!r} is already in the index with another text: "
                                                  "give the new text its own id"))
