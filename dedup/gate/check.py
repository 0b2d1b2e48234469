"""The CI gate: incoming documents against a stored index and against each other.

A finding is an incoming document that duplicates, copies or retells (story mode) another
document, in the index or in the same batch. Findings that a baseline of decisions covers
are accepted: they are reported, but do not fail the check. `fail_on` names the loosest
relation that fails: `copy` fails on duplicates and copies, `story` on all three.

Incoming pages are judged on their own text, as in a scan: the furniture of their sites is
learnt from the incoming pages together with the pages of the same sites the index holds
(whose counts it keeps, see `dedup.text.furniture`). An incoming page too short to judge
once its furniture is out is a stub: listed in `stubs`, matched as a copy only through its
own text, and never a story finding (nor is an indexed stub).

Copy checks look only at the LSH candidates of each incoming document, so their cost
follows the batch, not the index. Story checks look up the indexed reports that share a
story band key with an incoming one within its window of days, and read only those
(dedup.gate.stories); `--semantic` story checks read the story evidence of the whole index.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import numpy as np

from dedup.copy.finder import CopyFinder
from dedup.copy.verify import judge_copy
from dedup.engines.local import LocalEngine
from dedup.gate.decisions import Decisions
from dedup.model import CheckResult, Finding, InputError, Relation
from dedup.pipeline import (
    Fingerprint,
    ScanConfig,
    learn_furniture,
    own_fingerprints,
    read_pages,
)

RELATIONS_BY_MODE = {"copy": (Relation.DUPLICATE, Relation.COPY), "story": (Relation.STORY,),
                     "all": (Relation.DUPLICATE, Relation.COPY, Relation.STORY)}


def check(inputs: Iterable, index, config: ScanConfig, fail_on: Relation, baseline: Decisions | None = None) -> CheckResult:
    """Check incoming documents (paths or Articles) against `index` (a persistent index)."""
    errors: list[InputError] = []
    incoming, stubs = _own_fingerprints(inputs, index, config, errors)
    findings: list[Finding] = []
    wanted = RELATIONS_BY_MODE[config.mode]
    if Relation.DUPLICATE in wanted:
        findings += _copies_within(incoming, config, stubs)
        findings += _copies_against(incoming, index, config)
    if Relation.STORY in wanted:
        from dedup.gate.stories import story_findings  # noqa: PLC0415 -- only story checks need SciPy's sparse matrices

        findings += story_findings(incoming, index, config, findings, stubs)
    decisions = baseline or Decisions()
    findings = [_accept(finding, decisions) for finding in findings]
    findings.sort(key=lambda f: (f.relation.looseness, f.document.origin, f.other.id))
    return CheckResult(config.mode, fail_on, index.location, [item.article for item in incoming], findings, errors,
                       {"shingles": str(config.shingles), "num_perm": config.minhash.num_perm, "seed": config.minhash.seed},
                       [item.article.id for item in incoming if item.article.id in stubs])


def _own_fingerprints(inputs: Iterable, index, config: ScanConfig, errors: list[InputError]) -> tuple[list[Fingerprint], set[str]]:
    """The incoming pages fingerprinted on their own text, and the ids of the stubs."""
    engine = LocalEngine(config.jobs)  # a check's batch is small next to its index: one machine
    pages = list(read_pages(inputs, config, errors, engine=engine))
    incoming = list(own_fingerprints(pages, learn_furniture(pages, index), config, errors, engine=engine))
    return incoming, {item.article.id for item in incoming if item.stub}


def _copies_within(incoming: list[Fingerprint], config: ScanConfig, stubs: set[str]) -> list[Finding]:
    """Duplicates and copies among the incoming documents themselves."""
    finder = CopyFinder(config.rule, config.minhash, LocalEngine(config.jobs))
    for item in incoming:
        finder.add(item.article.id, item.key, item.shingles, item.signature)
    by_id = {item.article.id: item.article for item in incoming}
    return [Finding(by_id[pair.b], by_id[pair.a], False, pair.relation, pair.similarity, pair.containment,
                    other_stub=pair.a in stubs) for pair in finder.pairs()]


def _copies_against(incoming: list[Fingerprint], index, config: ScanConfig) -> list[Finding]:
    """Duplicates (same exact key) and copies (verified LSH candidates) in the index."""
    if not incoming:
        return []
    same_key = index.exact([item.key for item in incoming])
    candidates = index.candidates(np.asarray([item.signature for item in incoming]))
    stored = index.documents({position for found in candidates for position in found} | {p for found in same_key.values() for p in found})
    findings = []
    for item, near in zip(incoming, candidates, strict=True):
        duplicates = set(same_key.get(item.key, ()))
        for position in sorted(duplicates | near):
            other = stored[position]
            if other.article.id == item.article.id:
                continue  # the same document, indexed before
            if position in duplicates:
                findings.append(Finding(item.article, other.article, True, Relation.DUPLICATE, 1.0, 1.0, other_stub=other.stub))
                continue
            pair = judge_copy(item.article.id, other.article.id, item.shingles, other.shingles, config.rule)
            if pair is not None:
                findings.append(Finding(item.article, other.article, True, Relation.COPY, pair.similarity, pair.containment,
                                        other_stub=other.stub))
    return findings


def _accept(finding: Finding, decisions: Decisions) -> Finding:
    decision = decisions.about(finding.document.id, finding.other.id)
    return finding if decision is None else replace(finding, accepted_as=decision.decision)
