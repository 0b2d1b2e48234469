"""Story findings for `dedup check`: incoming reports that retell an indexed or another
incoming report.

Candidates and probabilities are those of a scan (dedup.story): the pair model reads the
two documents and shipped word statistics only, so a pair gets the same probability here
as in `dedup scan` or `dedup review`, however large the index grows. A pair is a finding
when its probability reaches the scan's link probability and the two are within the day
window. Unlike a scan, a check reports pairs, not clusters: each is a decision for a person.
Stubs, incoming or indexed, are too short to judge and make no story finding.

With `semantic` (`dedup check --semantic`) a check weighs meaning as `dedup scan
--semantic` does: nearest neighbours by the summary vectors are candidates too, and the
models that read the cosine judge. Indexed documents are encoded from the summaries the
index stores (title and lead); the vectors are cached on disk per text, so only the first
check on a machine pays for the index's.

What is read of the index: without `semantic`, only the story evidence of the indexed
documents that a scan of the union could pair with an incoming one and score (same story
band key, within the day window; see `_stored_candidates` and dedup.index.sqlite), so its
cost follows the batch and the reports near its days, not the size of the archive. With
`semantic`, every indexed document's story evidence (all summaries are neighbours to rank).
"""

from __future__ import annotations

from collections.abc import Collection

from dedup.model import Finding, Relation
from dedup.parallel import available_cores
from dedup.pipeline import Fingerprint, ScanConfig
from dedup.story.candidates import salient_band_keys, story_candidates
from dedup.story.finder import (
    LINK_PROBABILITY,
    pair_probabilities,
    publication_days,
    union_pairs,
)
from dedup.story.meaning import document_vectors, meaning_probabilities
from dedup.story.neighbours import neighbour_pairs
from dedup.story.pair_model import DAY_WINDOW
from dedup.story.signals import SignalSpace
from dedup.text.shingles import overlap


def story_findings(incoming: list[Fingerprint], index, config: ScanConfig, copy_findings: list[Finding],
                   stubs: Collection[str] = frozenset()) -> list[Finding]:
    incoming = [item for item in incoming if item.article.id not in stubs]
    stored = [document for document in _stored_candidates(incoming, index, config) if not document.stub]
    features = [item.story for item in incoming] + [document.story for document in stored]
    if len(incoming) == 0 or len(features) < 2:
        return []
    space = SignalSpace(features)
    jobs = config.jobs or available_cores()
    left, right = story_candidates(space, config.minhash)
    vectors = document_vectors(features, jobs) if config.semantic else None
    if vectors is not None:
        left, right = union_pairs(left, right, *neighbour_pairs(vectors, [feature.lang for feature in features]))
    involves_new = left < len(incoming)  # left < right, so a pair with an incoming document has it on the left
    left, right = left[involves_new], right[involves_new]
    if vectors is None:
        probabilities = pair_probabilities(space, features, left, right, jobs)
    else:
        probabilities, _ = meaning_probabilities(space, features, vectors, left, right, publication_days(features), jobs)
    already = {frozenset((finding.document.id, finding.other.id)) for finding in copy_findings}
    articles = [item.article for item in incoming] + [document.article for document in stored]
    linked = [(a, b, chance) for a, b, chance in zip(left.tolist(), right.tolist(), probabilities.tolist(), strict=True)
              if chance >= LINK_PROBABILITY and articles[a].id != articles[b].id
              and frozenset((articles[a].id, articles[b].id)) not in already]
    # Shingles of the indexed partners, for the word-sequence overlap each finding reports.
    shingles = [item.shingles for item in incoming] + [None] * len(stored)
    fetched = index.documents(stored[b - len(incoming)].position for _, b, _ in linked if b >= len(incoming))
    for _, b, _ in linked:
        if b >= len(incoming):
            shingles[b] = fetched[stored[b - len(incoming)].position].shingles
    findings = []
    for a, b, chance in linked:
        similarity, containment = overlap(shingles[a], shingles[b])
        indexed = b >= len(incoming)
        # Within the batch, the later document is the one reported (as for copies): it retells the earlier.
        document, other = (articles[a], articles[b]) if indexed else (articles[b], articles[a])
        findings.append(Finding(document, other, indexed, Relation.STORY, similarity, containment, round(chance, 3)))
    return findings


def _stored_candidates(incoming: list[Fingerprint], index, config: ScanConfig) -> list:
    """The indexed documents a story finding could name, looked up in the index: those that
    share a story band key with an incoming document (a pair that shares none is no
    candidate in a scan either, dedup.story.candidates) and were published at most
    DAY_WINDOW days from it, or on an unknown day (a pair further apart is never one story:
    the pair model gives it 0, pair_model.within_day_window). The rest of the index is not
    read. A check by meaning compares the summaries of all of them (nearest neighbours,
    which no band key names), so it reads every indexed document's story evidence."""
    if config.semantic:
        return index.stories()
    keys = salient_band_keys([item.story for item in incoming], config.minhash)
    days = [item.story.day for item in incoming]
    windows = [None if day is None else (day - DAY_WINDOW, day + DAY_WINDOW) for day in days]
    return index.stories(index.story_candidates(keys, windows))
