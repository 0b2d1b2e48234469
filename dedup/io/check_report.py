"""Reports of `dedup check` for people and CI systems: a table (`check_table`), JSON (schema
dedup.check/1), SARIF 2.1.0 (GitHub code scanning), JUnit XML, and GitHub Actions workflow
commands with a step summary (`check_github`).

Where a finding points: the incoming document's origin, "corpus.jsonl:12" (a file and a
line) or "incoming/a.txt" (line 1). SARIF keeps one result per pair, each with a
fingerprint built from the two ids and the relation, so a code-scanning service recognises
the same pair run after run; the other formats speak of incoming documents, each with its
matches (see `check_groups`). JSON may gain fields; it never renames or drops one.
"""

from __future__ import annotations

from xml.etree import ElementTree

from dedup import __version__
from dedup.io.check_github import append_step_summary, write_github
from dedup.io.check_groups import (
    STUB_MEANING,
    Tally,
    by_origin,
    entries,
    location,
    message,
    stub_line,
    summary_line,
)
from dedup.io.check_table import render_table
from dedup.io.safe_text import json_text, one_line
from dedup.model import CheckResult, Relation

__all__ = ["CHECK_SCHEMA", "SARIF_SCHEMA", "STUB_MEANING", "append_step_summary", "location", "message", "render_table",
           "stub_line", "summary_line", "write_github", "write_json", "write_junit", "write_sarif"]

CHECK_SCHEMA = "dedup.check/1"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_INFORMATION_URI = "https://github.com/dedup-news/dedup"
_RULES = {
    Relation.DUPLICATE: "the same text (after normalisation) as a document already present",
    Relation.COPY: "a copy (re-published, lightly edited or shortened) of a document already present",
    Relation.STORY: "an independent report of an event a document already present reports",
}
# What a reviewer reads when a code-scanning alert is opened: what was measured, and what to do.
_RULE_HELP = {
    Relation.DUPLICATE: "The incoming document's text, once normalised (case, punctuation, spacing, the site's page "
                        "furniture), is identical to another document's.",
    Relation.COPY: "The two texts share most of their word sequences: the message gives the share of their text "
                   "both hold (Jaccard) and the share of the shorter text found inside the other (containment). "
                   "Re-published, lightly edited and shortened versions of one article are copies.",
    Relation.STORY: "The two documents report the same event in their own words: the message gives the probability "
                    "that they tell one event, from what they share (names, places, dates, numbers, quotations).",
}
_RULE_FIX = ("Remove the incoming document, or if both belong in the corpus, record the pair as accepted in the "
             "baseline (`dedup review`, or `dedup check --baseline FILE --update-baseline`).")


# --- JSON --------------------------------------------------------------------------------


def write_json(result: CheckResult) -> str:
    tally = Tally.of(result)
    document = {
        "schema": CHECK_SCHEMA,
        "mode": result.mode,
        "fail_on": result.fail_on.value,
        "index": result.index,
        "documents": len(result.documents),
        "failed": bool(result.failing),
        "documents_failing": tally.failing_documents,
        "findings_failing": tally.failing_findings,
        "findings_accepted": tally.accepted,
        "findings": [
            {"document": f.document.id, "origin": f.document.origin, "other": f.other.id, "other_in_index": f.other_indexed,
             "relation": f.relation.value, "similarity": round(f.similarity, 4), "containment": round(f.containment, 4),
             "score": f.score, "accepted_as": f.accepted_as, "fails": result.fails(f), "fingerprint": f.fingerprint,
             "document_stub": f.document.id in result.stub_ids, "other_stub": f.other_stub,
             "title": f.document.title, "other_title": f.other.title,
             "other_origin": None if f.other_indexed else f.other.origin}
            for f in result.findings
        ],
        "stubs": result.stubs,
        "errors": [{"input": e.input, "line": e.line, "message": e.message} for e in result.errors],
        "settings": result.settings,
    }
    return json_text(document, indent=2) + "\n"


# --- SARIF -------------------------------------------------------------------------------


def write_sarif(result: CheckResult) -> str:
    """One result per pair (so `partialFingerprints` stay what code scanning has on record)."""
    rules = [
        {"id": f"dedup/{relation.value}", "name": relation.value.capitalize(),
         "shortDescription": {"text": f"Incoming document is {_RULES[relation]}"},
         "fullDescription": {"text": f"An incoming document is {_RULES[relation]}. {_RULE_HELP[relation]}"},
         "help": {"text": f"{_RULE_HELP[relation]} {_RULE_FIX}",
                  "markdown": f"**{relation.value.capitalize()}**: {_RULE_HELP[relation]}\n\n{_RULE_FIX}"},
         "helpUri": _INFORMATION_URI,
         "defaultConfiguration": {"level": "error" if relation.looseness <= result.fail_on.looseness else "warning"}}
        for relation in Relation
    ]
    results = []
    for finding in result.findings:
        uri, line = location(finding.document)
        entry = {
            "ruleId": f"dedup/{finding.relation.value}",
            "ruleIndex": list(Relation).index(finding.relation),
            "level": "error" if result.fails(finding) else "warning",
            "message": {"text": message(finding)},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri.replace("\\", "/")}, "region": {"startLine": line}}}],
            "partialFingerprints": {"dedupPair/v1": finding.fingerprint},
            "properties": {"other": finding.other.id, "otherTitle": finding.other.title, "similarity": round(finding.similarity, 4),
                           "containment": round(finding.containment, 4), "score": finding.score},
        }
        if finding.accepted_as:
            entry["suppressions"] = [{"kind": "external", "justification": f"baseline decision: {finding.accepted_as}"}]
        results.append(entry)
    sarif = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "dedup", "version": __version__, "informationUri": _INFORMATION_URI, "rules": rules}},
                  "results": results, "properties": {"stubs": result.stubs}}],
    }
    return json_text(sarif, indent=2) + "\n"


# --- JUnit -------------------------------------------------------------------------------


def write_junit(result: CheckResult, show_accepted: bool = False) -> str:
    """One test case per incoming document; a failing one has one failure that lists its
    matches. `failures` counts failing documents, as the summary line does."""
    tally = Tally.of(result)
    by_document = {entry.document.id: entry for entry in entries(result)}
    suites = ElementTree.Element("testsuites", name="dedup check", tests=str(len(result.documents)),
                                 failures=str(tally.failing_documents), errors=str(len(result.errors)))
    suite = ElementTree.SubElement(suites, "testsuite", name=f"dedup check --mode {result.mode}", tests=str(len(result.documents)),
                                   failures=str(tally.failing_documents), errors=str(len(result.errors)))
    properties = ElementTree.SubElement(suite, "properties")
    for name, value in (("findings", tally.findings), ("findings_failing", tally.failing_findings),
                        ("findings_accepted", tally.accepted), ("fail_on", result.fail_on.value)):
        ElementTree.SubElement(properties, "property", name=name, value=str(value))
    for article in by_origin(result.documents):
        case = ElementTree.SubElement(suite, "testcase", classname="dedup.check", name=one_line(article.id),
                                     file=one_line(location(article)[0]))
        entry = by_document.get(article.id)
        listed = entry.listed(show_accepted) if entry else ()
        if entry and entry.fails:
            tightest = entry.failing[0]
            more = f" and {len(entry.failing) - 1} more" if len(entry.failing) > 1 else ""
            failure = ElementTree.SubElement(case, "failure", type=tightest.relation.value,
                                             message=f"{len(entry.failing)} match(es) at or above --fail-on "
                                                     f"{result.fail_on.value}: {message(tightest)}{more}")
            failure.text = "\n".join(message(finding) for finding in entry.failing)
        notes = [message(finding) for finding in listed if not result.fails(finding)]
        if article.id in result.stub_ids:
            notes.insert(0, f"{one_line(article.id)} is a stub: {STUB_MEANING}")
        if notes:
            ElementTree.SubElement(case, "system-out").text = "\n".join(notes)
    for error in result.errors:
        case = ElementTree.SubElement(suite, "testcase", classname="dedup.check", name=one_line(error.input))
        ElementTree.SubElement(case, "error", message=one_line(str(error)))
    ElementTree.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suites, encoding="unicode") + "\n"
