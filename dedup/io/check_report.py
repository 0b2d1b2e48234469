"""Reports of `dedup check` for people and CI systems: a table, JSON (schema dedup.check/1),
SARIF 2.1.0 (GitHub code scanning), JUnit XML, and GitHub Actions workflow commands.

Where a finding points: the incoming document's origin, "corpus.jsonl:12" (a file and a
line) or "incoming/a.txt" (line 1). Every finding carries a fingerprint built from the two
ids and the relation, so a code-scanning service recognises the same pair run after run.
"""

from __future__ import annotations

from xml.etree import ElementTree

from rich.console import Console
from rich.table import Table
from rich.text import Text

from dedup import __version__
from dedup.check import CheckResult, Finding
from dedup.io.safe_text import json_text, one_line
from dedup.model import Article, InputError, Relation

CHECK_SCHEMA = "dedup.check/1"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_INFORMATION_URI = "https://github.com/dedup-news/dedup"
_RULES = {
    Relation.DUPLICATE: "the same text (after normalisation) as a document already present",
    Relation.COPY: "a copy (re-published, lightly edited or shortened) of a document already present",
    Relation.STORY: "an independent report of an event a document already present reports",
}


_VERBS = {Relation.DUPLICATE: "is a duplicate of", Relation.COPY: "is a copy of", Relation.STORY: "reports the same event as"}


def location(article: Article) -> tuple[str, int]:
    """(file, line) where an incoming document was read."""
    where = InputError.at(article.origin or article.id, "")  # the one parser of "file:line" origins
    return where.input, where.line or 1


def message(finding: Finding) -> str:
    where = "in the index" if finding.other_indexed else "in this batch"
    measure = f"same-event probability {finding.score:.2f}" if finding.score is not None else f"Jaccard {finding.similarity:.2f}, containment {finding.containment:.2f}"
    other = _stub_label(one_line(finding.other.id), finding.other_stub)
    text = f"{one_line(finding.document.id)} {_VERBS[finding.relation]} {other} ({where}; {measure})"
    if finding.accepted_as:
        text += f"; accepted in the baseline as {finding.accepted_as}"
    return text


# --- JSON --------------------------------------------------------------------------------


def write_json(result: CheckResult) -> str:
    document = {
        "schema": CHECK_SCHEMA,
        "mode": result.mode,
        "fail_on": result.fail_on.value,
        "index": result.index,
        "documents": len(result.documents),
        "failed": bool(result.failing),
        "findings": [
            {"document": f.document.id, "origin": f.document.origin, "other": f.other.id, "other_in_index": f.other_indexed,
             "relation": f.relation.value, "similarity": round(f.similarity, 4), "containment": round(f.containment, 4),
             "score": f.score, "accepted_as": f.accepted_as, "fails": result.fails(f), "fingerprint": f.fingerprint,
             "document_stub": f.document.id in result.stub_ids, "other_stub": f.other_stub}
            for f in result.findings
        ],
        "stubs": result.stubs,
        "errors": [{"input": e.input, "line": e.line, "message": e.message} for e in result.errors],
        "settings": result.settings,
    }
    return json_text(document, indent=2) + "\n"


# --- SARIF -------------------------------------------------------------------------------


def write_sarif(result: CheckResult) -> str:
    rules = [
        {"id": f"dedup/{relation.value}", "name": relation.value.capitalize(),
         "shortDescription": {"text": f"Incoming document is {_RULES[relation]}"},
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
            "properties": {"other": finding.other.id, "similarity": round(finding.similarity, 4),
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


def write_junit(result: CheckResult) -> str:
    """One test case per incoming document; a failure for each finding that fails the check."""
    by_document: dict[str, list[Finding]] = {}
    for finding in result.findings:
        by_document.setdefault(finding.document.id, []).append(finding)
    failing_documents = sum(1 for findings in by_document.values() if any(result.fails(f) for f in findings))
    suites = ElementTree.Element("testsuites", name="dedup check", tests=str(len(result.documents)), failures=str(failing_documents))
    suite = ElementTree.SubElement(suites, "testsuite", name=f"dedup check --mode {result.mode}", tests=str(len(result.documents)),
                                   failures=str(failing_documents), errors=str(len(result.errors)))
    for article in result.documents:
        case = ElementTree.SubElement(suite, "testcase", classname="dedup.check", name=one_line(article.id),
                                     file=one_line(location(article)[0]))
        notes = []
        for finding in by_document.get(article.id, []):
            if result.fails(finding):
                failure = ElementTree.SubElement(case, "failure", type=finding.relation.value, message=message(finding))
                failure.text = message(finding)
            else:
                notes.append(message(finding))
        if article.id in result.stub_ids:
            notes.insert(0, f"{one_line(article.id)} is a stub: {STUB_MEANING}")
        if notes:
            ElementTree.SubElement(case, "system-out").text = "\n".join(notes)
    for error in result.errors:
        case = ElementTree.SubElement(suite, "testcase", classname="dedup.check", name=one_line(error.input))
        ElementTree.SubElement(case, "error", message=one_line(str(error)))
    ElementTree.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suites, encoding="unicode") + "\n"


# --- GitHub Actions ----------------------------------------------------------------------


def write_github(result: CheckResult) -> str:
    """Workflow commands: an error annotation per failing finding, a notice for the rest."""
    lines = []
    for finding in result.findings:
        uri, line = location(finding.document)
        command = "error" if result.fails(finding) else "notice"
        properties = f"file={_property(one_line(uri))},line={line},title={_property('dedup: ' + finding.relation.value)}"
        lines.append(f"::{command} {properties}::{_data(message(finding))}")
    for error in result.errors:
        lines.append(f"::warning title={_property('dedup: unreadable input')}::{_data(one_line(str(error)))}")
    if result.stubs:
        lines.append(f"::notice title={_property('dedup: stubs')}::{_data(stub_line(result))}")
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


# --- table -------------------------------------------------------------------------------


def summary_line(result: CheckResult) -> str:
    failing = len(result.failing)
    accepted = sum(1 for f in result.findings if f.accepted_as)
    verdict = f"FAILED: {failing} finding(s) at or above --fail-on {result.fail_on.value}" if failing else "passed"
    stubs = f" ({len(result.stubs)} of them stubs)" if result.stubs else ""
    return (f"dedup check {verdict}; {len(result.documents)} document(s){stubs} checked against {one_line(result.index)}, "
            f"{len(result.findings)} finding(s), {accepted} accepted by the baseline")


STUB_MEANING = "too short to judge once its site's page furniture is out; matched as a copy only by its own text, never as a story"
_STUBS_NAMED = 10


def stub_line(result: CheckResult) -> str:
    """One line on the incoming stubs: how many, and the first few."""
    named = ", ".join(one_line(doc_id) for doc_id in result.stubs[:_STUBS_NAMED])
    more = f" and {len(result.stubs) - _STUBS_NAMED} more" if len(result.stubs) > _STUBS_NAMED else ""
    return (f"{len(result.stubs)} incoming page(s) are stubs, too short to judge once their site's page furniture is out "
            f"(matched as copies only by their own text, never as stories): {named}{more}")


def _stub_label(label: str, stub: bool) -> str:
    return f"{label} (stub)" if stub else label


def render_table(result: CheckResult, console: Console) -> None:
    if result.findings:
        table = Table(title="Findings", title_justify="left", show_lines=False)
        for column in ("", "Incoming", "Relation", "Of", "Where", "Measure", "Baseline"):
            table.add_column(column, overflow="fold")
        for finding in result.findings:
            fails = result.fails(finding)
            measure = f"P {finding.score:.2f}" if finding.score is not None else f"J {finding.similarity:.2f} C {finding.containment:.2f}"
            table.add_row(
                Text("✗" if fails else "·", style="bold red" if fails else "dim"),
                Text(_stub_label(one_line(finding.document.origin or finding.document.id), finding.document.id in result.stub_ids)),
                Text(finding.relation.value),
                Text(_stub_label(one_line(finding.other.id), finding.other_stub)),
                Text("index" if finding.other_indexed else "batch"),
                Text(measure),
                Text(finding.accepted_as or ""),
            )
        console.print(table)
    if result.stubs:
        console.print(Text(stub_line(result), style="dim"))
    console.print(Text(summary_line(result), style="bold red" if result.failing else "green"))
