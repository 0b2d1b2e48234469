"""`dedup index add` as a library call: read, fingerprint and add a corpus to an index.

As in a scan, pages are read first, then each site's furniture is learnt (from the new
pages and the pages of the same sites the index holds, whose counts it keeps), then each
page is fingerprinted on its own text and added, with what it adds to the furniture
counts, in the index's one transaction: an interrupted run leaves the index as it was.
Pages are held compressed between the two passes, as in a scan.

A document whose id is already indexed is skipped when its page is the same (a corpus can
be added again, and is not counted twice towards its site's furniture), and refused when
it differs: an id names one text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice

from dedup.engines.local import LocalEngine
from dedup.index.stored import NewDocument
from dedup.model import InputError
from dedup.pipeline import (
    Fingerprint,
    Page,
    Progress,
    ScanConfig,
    learn_furniture,
    own_fingerprints,
    read_pages,
)
from dedup.story.candidates import salient_band_keys

# Documents whose ids are looked up in the index at once.
_LOOKUP = 500


@dataclass(slots=True)
class AddReport:
    read: int = 0
    added: int = 0
    already: int = 0
    stubs: int = 0  # added pages too short to judge once their site's furniture is out
    errors: list[InputError] = field(default_factory=list)


def add_to_index(inputs: Iterable, index, config: ScanConfig, progress: Progress | None = None) -> AddReport:
    report = progress or (lambda stage, done, total: None)
    tally = AddReport()
    engine = LocalEngine(config.jobs)  # an index lives on one machine (SQLite, or one Redis server)
    pages = list(read_pages(inputs, config, tally.errors, lambda done: report("read", done, None), engine=engine))
    tally.read = len(pages)
    pages = _new(pages, index, tally)
    site_furniture = learn_furniture(pages, index)
    fingerprinted = own_fingerprints(pages, site_furniture, config, tally.errors,
                                     lambda done: report("fingerprint", done, len(pages)), engine=engine,
                                     summaries=True)  # kept for checks with --semantic
    tally.added = index.add(_new_documents(fingerprinted, config, tally), site_furniture.additions())
    return tally


def _new_documents(fingerprinted: Iterable[Fingerprint], config: ScanConfig, tally: AddReport) -> Iterator[NewDocument]:
    """The documents to add, with their story band keys, computed _LOOKUP at a time (a stub
    makes no story finding, and is found by none)."""
    remaining = iter(fingerprinted)
    while chunk := list(islice(remaining, _LOOKUP)):
        judged = [document for document in chunk if document.story is not None and not document.stub]
        keys = dict(zip(map(id, judged), salient_band_keys([document.story for document in judged], config.minhash),
                        strict=True))
        for document in chunk:
            tally.stubs += document.stub
            yield NewDocument(document.article, document.key, document.page_key, document.shingles, document.signature,
                              document.story, document.stub, keys.get(id(document)))


def _new(pages: Sequence[Page], index, tally: AddReport) -> list[Page]:
    """The pages whose ids the index does not hold yet; pages it holds with the same page
    are counted as already indexed, with another page refused."""
    new: list[Page] = []
    for start in range(0, len(pages), _LOOKUP):
        chunk = pages[start:start + _LOOKUP]
        known = index.known_keys([page.article.id for page in chunk])
        for page in chunk:
            if page.article.id not in known:
                new.append(page)
            elif known[page.article.id] == page.key:
                tally.already += 1
            else:
                tally.errors.append(InputError.at(page.article.origin or page.article.id,
                                                  f"id {page.article.id!r} is already in the index with another text: "
                                                  "give the new text its own id"))
    return new
