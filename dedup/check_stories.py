"""Story findings for `dedup check`: incoming reports that retell an indexed or another
incoming report.

The story verifier needs word statistics and a background of unrelated reports; here
they come from the whole index plus the batch, so the scores mean what they mean in a
scan of the same corpus. Candidates and scores are those of `dedup.story`; a pair is a
finding when its score reaches the link score and the two are within the day window.
Unlike a scan, a check reports pairs, not clusters: each is a decision for a person.
"""

from __future__ import annotations

import numpy as np

from dedup.check import Finding
from dedup.model import Relation
from dedup.pipeline import Fingerprint, ScanConfig
from dedup.story.candidates import story_candidates
from dedup.story.finder import DAY_WINDOW, LINK_SCORE
from dedup.story.score import StoryScorer
from dedup.story.signals import SignalSpace
from dedup.verify import overlap


def story_findings(incoming: list[Fingerprint], index, config: ScanConfig, copy_findings: list[Finding]) -> list[Finding]:
    stored = index.stories()
    features = [item.story for item in incoming] + [document.story for document in stored]
    if len(incoming) == 0 or len(features) < 2:
        return []
    space = SignalSpace(features)
    left, right = story_candidates(space, config.minhash)
    involves_new = left < len(incoming)  # left < right, so a pair with an incoming document has it on the left
    left, right = left[involves_new], right[involves_new]
    days = np.array([np.nan if feature.day is None else feature.day for feature in features], dtype=np.float64)
    near = ~(np.abs(days[left] - days[right]) > DAY_WINDOW)
    left, right = left[near], right[near]
    scores = StoryScorer(space, config.minhash.seed).scores(left, right)
    already = {frozenset((finding.document.id, finding.other.id)) for finding in copy_findings}
    articles = [item.article for item in incoming] + [document.article for document in stored]
    linked = [(a, b, score) for a, b, score in zip(left.tolist(), right.tolist(), scores.tolist(), strict=True)
              if score >= LINK_SCORE and articles[a].id != articles[b].id and frozenset((articles[a].id, articles[b].id)) not in already]
    # Shingles of the indexed partners, for the word-sequence overlap each finding reports.
    shingles = [item.shingles for item in incoming] + [None] * len(stored)
    fetched = index.documents(stored[b - len(incoming)].position for _, b, _ in linked if b >= len(incoming))
    for _, b, _ in linked:
        if b >= len(incoming):
            shingles[b] = fetched[stored[b - len(incoming)].position].shingles
    findings = []
    for a, b, score in linked:
        similarity, containment = overlap(shingles[a], shingles[b])
        findings.append(Finding(articles[a], articles[b], b >= len(incoming), Relation.STORY, similarity, containment, round(score, 2)))
    return findings
