"""What every report of `dedup check` says, before any format: findings grouped by incoming
document, in an order people and CI systems can follow, with plain words for the numbers.

- An entry is one incoming document with its findings, best first (failing, then the
  tightest relation, then the closest match). Entries are sorted by file and line the way
  people count (`x.jsonl:58` before `x.jsonl:484`, `a2.txt` before `a10.txt`).
- The summary line counts incoming documents that fail exactly as JUnit's `failures`
  does, so the verdict, the annotations and the test report agree.
- Accepted findings (a baseline decision covers them) are counted everywhere, listed only
  when asked (`--show-accepted`).

Article ids, titles and origins are untrusted: everything here that is meant to be shown
has been through `one_line`. Nothing here writes or prints; the writers do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dedup.io.safe_text import one_line
from dedup.model import Article, CheckResult, Finding, InputError, Relation

TITLE_LIMIT = 80  # characters of a title in a one-line message; the table fits titles to its width
ORIGIN_LIMIT = 40  # characters of a shortened origin: a long path keeps its end, the file's name

STUB_MEANING = "too short to judge once its site's page furniture is out; matched as a copy only by its own text, never as a story"
_STUBS_NAMED = 10
_VERBS = {Relation.DUPLICATE: "is a duplicate of", Relation.COPY: "is a copy of", Relation.STORY: "reports the same event as"}
_DIGITS = re.compile(r"([0-9]+)")  # ASCII only: int() of a superscript "²" would fail
_SEPARATORS = re.compile(r"[\\/]")


def natural_key(text: str) -> tuple:
    """Sorts "a2.txt" before "a10.txt": runs of digits compare as numbers, the rest caselessly.

    re.split with a group alternates text and digits, starting with text, so two keys
    always hold text against text and a number against a number at each position."""
    parts = _DIGITS.split(text)
    return tuple(int(part) if index % 2 else part.casefold() for index, part in enumerate(parts))


def location(article: Article) -> tuple[str, int]:
    """(file, line) where an incoming document was read; line 1 for a file of its own."""
    where = _parsed_origin(article)
    return where.input, where.line or 1


def _parsed_origin(article: Article) -> InputError:
    return InputError.at(article.origin or article.id, "")  # the one parser of "file:line" origins


def by_origin(documents: list[Article]) -> list[Article]:
    """Documents by file and line, as people count."""
    return sorted(documents, key=_origin_key)


def _origin_key(article: Article) -> tuple:
    where = _parsed_origin(article)
    return natural_key(where.input), where.line or 0, natural_key(article.id)


# --- measures in plain words ----------------------------------------------------------------


def measure(finding: Finding) -> str:
    """The numbers behind a finding, labelled so a reader needs no legend."""
    if finding.relation is Relation.STORY and finding.score is not None:
        return f"same event, probability {finding.score:.2f}"
    if finding.relation is Relation.DUPLICATE:
        return "the same text after normalisation"
    # Jaccard and containment as dedup.copy.verify defines them, over the texts' 5-word sequences
    # (shingles), worded and rounded as `dedup scan` and the review show them.
    return (f"Jaccard {finding.similarity:.2f}, containment {finding.containment:.2f} "
            "(shared word sequences; containment: of the shorter text)")


def standing(finding: Finding, result: CheckResult) -> str:
    """Why a finding does not fail, or "" when it does."""
    if finding.accepted_as:
        return f"accepted in the baseline as {one_line(finding.accepted_as)}"
    if not result.fails(finding):
        return f"below --fail-on {result.fail_on.value}"
    return ""


def stub_label(label: str, stub: bool) -> str:
    return f"{label} (stub)" if stub else label


def quoted_title(article: Article, limit: int = TITLE_LIMIT) -> str:
    title = one_line(article.title, limit)
    return f' "{title}"' if title else ""


def message(finding: Finding) -> str:
    """One finding in one line: who, what, where the other is, and how close."""
    where = "in the index" if finding.other_indexed else f"in this batch at {one_line(finding.other.origin or finding.other.id)}"
    other = stub_label(one_line(finding.other.id), finding.other_stub) + quoted_title(finding.other)
    closeness = measure(finding)
    if finding.relation is Relation.STORY and finding.score is not None:
        closeness = f"probability {finding.score:.2f}"  # "reports the same event as" has said the rest
    text = f"{one_line(finding.document.id)} {_VERBS[finding.relation]} {other} ({where}; {closeness})"
    if finding.accepted_as:
        text += f"; accepted in the baseline as {one_line(finding.accepted_as)}"
    return text


# --- entries: one incoming document and its findings ------------------------------------------


@dataclass(frozen=True, slots=True)
class Entry:
    """An incoming document with its findings, best first."""

    document: Article
    findings: tuple[Finding, ...]
    failing: tuple[Finding, ...]
    stub: bool

    @property
    def fails(self) -> bool:
        return bool(self.failing)

    def listed(self, show_accepted: bool) -> tuple[Finding, ...]:
        """The findings a report lists: accepted ones only when asked."""
        return self.findings if show_accepted else tuple(f for f in self.findings if not f.accepted_as)

    def leading(self, show_accepted: bool) -> Finding:
        """The finding that names the entry: its best failing one, or its best listed one."""
        return (self.failing or self.listed(show_accepted) or self.findings)[0]


def entries(result: CheckResult) -> list[Entry]:
    """Every incoming document that has a finding, by file and line."""
    by_document: dict[str, list[Finding]] = {}
    for finding in result.findings:
        by_document.setdefault(finding.document.id, []).append(finding)
    found = []
    for document_id, findings in by_document.items():
        findings.sort(key=lambda f: _best_first(f, result))
        found.append(Entry(findings[0].document, tuple(findings), tuple(f for f in findings if result.fails(f)),
                           document_id in result.stub_ids))
    found.sort(key=lambda entry: _origin_key(entry.document))
    return found


def _best_first(finding: Finding, result: CheckResult) -> tuple:
    standing_rank = 0 if result.fails(finding) else 2 if finding.accepted_as else 1
    closeness = finding.score if finding.score is not None else finding.similarity
    return standing_rank, finding.relation.looseness, -closeness, -finding.containment, natural_key(finding.other.id)


def listed_entries(result: CheckResult, show_accepted: bool) -> list[Entry]:
    """The entries a report shows: those with a finding that is not accepted, or all."""
    return [entry for entry in entries(result) if entry.listed(show_accepted)]


def by_importance(found: list[Entry], show_accepted: bool) -> list[Entry]:
    """Failing first; then duplicate before copy before story; then more matches first.

    For annotations that a CI platform caps: the ones that are shown must be the ones a
    reviewer most needs. The sort is stable, so ties keep their file-and-line order."""
    return sorted(found, key=lambda entry: (not entry.fails, entry.leading(show_accepted).relation.looseness,
                                            -len(entry.listed(show_accepted))))


# --- where an incoming document was read, shortened -------------------------------------------


class ShortOrigins:
    """Origins as people want to read them: relative to the directory all incoming files
    share ("incoming.jsonl:182" when they come from one directory), and at most
    ORIGIN_LIMIT characters, keeping the end of a long path."""

    def __init__(self, documents: list[Article]) -> None:
        directories = [_SEPARATORS.split(_parsed_origin(article).input)[:-1] for article in documents]
        self._common = _common_prefix(directories)

    def __call__(self, article: Article) -> str:
        where = _parsed_origin(article)
        parts = _SEPARATORS.split(where.input)
        shown = "/".join(parts[self._common:]) if len(parts) > self._common else where.input
        shown = one_line(shown)
        line = f":{where.line}" if where.line is not None else ""
        room = ORIGIN_LIMIT - len(line)
        if len(shown) > room:
            shown = "…" + shown[-(room - 1):]
        return shown + line

    def names_id(self, article: Article) -> bool:
        """Whether the shortened origin already shows the id ("a/b.txt" read from "in/a/b.txt")."""
        shown, document_id = self(article), one_line(article.id)
        return shown == document_id or shown.endswith("/" + document_id)


def _common_prefix(lists: list[list[str]]) -> int:
    if not lists:
        return 0
    shortest = min(len(parts) for parts in lists)
    for position in range(shortest):
        if len({parts[position] for parts in lists}) > 1:
            return position
    return shortest


# --- the summary -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tally:
    """The counts every report states, from one place so they cannot disagree."""

    documents: int
    stubs: int
    findings: int
    failing_findings: int
    failing_documents: int  # what JUnit counts as failures
    accepted: int
    below_fail_on: int  # neither failing nor accepted: looser than --fail-on

    @classmethod
    def of(cls, result: CheckResult) -> Tally:
        failing = result.failing
        accepted = sum(1 for finding in result.findings if finding.accepted_as)
        return cls(len(result.documents), len(result.stubs), len(result.findings), len(failing),
                   len({finding.document.id for finding in failing}), accepted,
                   len(result.findings) - len(failing) - accepted)


def summary_line(result: CheckResult, accepted_hidden: bool = False) -> str:
    """The verdict and the counts, in one line. `accepted_hidden`: the report has left the
    accepted findings out, so the line says how to see them."""
    tally = Tally.of(result)
    verdict = "FAILED" if tally.failing_documents else "passed"
    stubs = f" ({tally.stubs} of them stubs)" if tally.stubs else ""
    below = f", {tally.below_fail_on} below --fail-on" if tally.below_fail_on else ""
    hint = " (--show-accepted lists them)" if accepted_hidden and tally.accepted else ""
    return (f"dedup check {verdict}: {tally.failing_documents} document(s) failing, {tally.failing_findings} finding(s) "
            f"at or above --fail-on {result.fail_on.value}; {tally.documents} document(s){stubs} checked against "
            f"{one_line(result.index)}; {tally.findings} finding(s) in all, {tally.accepted} accepted by the baseline"
            f"{hint}{below}")


def stub_line(result: CheckResult) -> str:
    """One line on the incoming stubs: how many, and the first few."""
    named = ", ".join(one_line(doc_id) for doc_id in result.stubs[:_STUBS_NAMED])
    more = f" and {len(result.stubs) - _STUBS_NAMED} more" if len(result.stubs) > _STUBS_NAMED else ""
    return (f"{len(result.stubs)} incoming page(s) are stubs, too short to judge once their site's page furniture is out "
            f"(matched as copies only by their own text, never as stories): {named}{more}")
