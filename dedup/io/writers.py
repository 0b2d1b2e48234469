"""Scan results for programs: JSON (schema dedup.scan/1), JSON Lines, CSV and Markdown.

The JSON object is the contract other tools read (see ARCHITECTURE.md): fields may be
added, never renamed or removed without a new schema number.
"""

from __future__ import annotations

import csv
import io

from dedup.io.safe_text import json_text, one_line
from dedup.model import Cluster, InputError, Pair, ScanResult

SCAN_SCHEMA = "dedup.scan/1"
_DIGITS = 4  # similarities to four decimals: finer differences are noise in a 128-value sketch


def scan_to_dict(result: ScanResult) -> dict:
    return {
        "schema": SCAN_SCHEMA,
        "mode": result.mode,
        "documents": len(result.documents),
        "clusters": [_cluster_to_dict(cluster) for cluster in result.clusters],
        "errors": [_error_to_dict(error) for error in result.errors],
        "candidate_pairs": result.candidate_pairs,
        "stubs": result.stubs,
        "furniture": result.furniture,
        "settings": result.settings,
    }


def _cluster_to_dict(cluster: Cluster) -> dict:
    return {
        "id": cluster.id,
        "relation": cluster.relation.value,
        "members": cluster.members,
        "pairs": [_pair_to_dict(pair) for pair in cluster.pairs],
    }


def _pair_to_dict(pair: Pair) -> dict:
    fields = {
        "a": pair.a,
        "b": pair.b,
        "relation": pair.relation.value,
        "similarity": round(pair.similarity, _DIGITS),
        "containment": round(pair.containment, _DIGITS),
    }
    if pair.evidence is not None:
        fields["score"] = pair.evidence.score
        fields["evidence"] = {
            "signals": pair.evidence.signals,
            "contributions": pair.evidence.contributions,
            "shared": {kind: list(values) for kind, values in pair.evidence.shared.items()},
            "days_apart": pair.evidence.days_apart,
        }
    return fields


def _error_to_dict(error: InputError) -> dict:
    return {"input": error.input, "line": error.line, "message": error.message}


def write_json(result: ScanResult) -> str:
    return json_text(scan_to_dict(result), indent=2) + "\n"


def write_jsonl(result: ScanResult) -> str:
    """A header line, then one line per cluster, then one per error; each says its `type`."""
    document = scan_to_dict(result)
    header = {key: value for key, value in document.items() if key not in ("clusters", "errors")}
    lines = [{"type": "scan", **header}]
    lines += [{"type": "cluster", **cluster} for cluster in document["clusters"]]
    lines += [{"type": "error", **error} for error in document["errors"]]
    return "".join(json_text(line) + "\n" for line in lines)


def write_csv(result: ScanResult) -> str:
    """One row per cluster member, so a spreadsheet can sort and filter by cluster."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["cluster", "relation", "size", "id", "title", "source", "date"])
    for cluster in result.clusters:
        for member in cluster.members:
            article = result.documents[member]
            writer.writerow(
                [cluster.id, cluster.relation.value, len(cluster.members), _spreadsheet_safe(member),
                 _spreadsheet_safe(article.title), _spreadsheet_safe(article.source), _spreadsheet_safe(article.date)]
            )
    return buffer.getvalue()


def _spreadsheet_safe(value: str | None) -> str:
    """Untrusted text that a spreadsheet will not run as a formula (OWASP CSV injection)."""
    text = one_line(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def write_markdown(result: ScanResult, explain: bool = False) -> str:
    lines = [f"# dedup scan: {len(result.documents)} documents, {len(result.clusters)} clusters", ""]
    if result.clusters:
        lines += ["| cluster | relation | size | similarity | same event | members |", "|---|---|---|---|---|---|"]
        for cluster in result.clusters:
            members = "<br>".join(_markdown_escape(member_label(result, member, 80)) for member in cluster.members)
            lines.append(
                f"| {cluster.id} | {cluster.relation.value} | {len(cluster.members)} | "
                f"{similarity_range(cluster)} | {score_range(cluster)} | {members} |"
            )
    else:
        lines.append(nothing_found(result))
    if explain:
        for cluster in result.clusters:
            story = [pair for pair in cluster.pairs if pair.evidence is not None]
            if story:
                lines += ["", f"## Why {cluster.id} is one story", ""]
                # Evidence lines are indented under their pair: a nested list.
                lines += [("  - " if line.startswith("  ") else "- ") + _markdown_escape(line.strip())
                          for pair in story for line in explanation_lines(pair)]
    if result.errors:
        lines += ["", "## Errors", ""]
        lines += [f"- {_markdown_escape(one_line(str(error)))}" for error in result.errors]
    return "\n".join(lines) + "\n"


def member_label(result: ScanResult, member: str, title_limit: int) -> str:
    """"id — title" (the title shortened), or the id alone, with "(stub)" for a page too
    short to judge once its site's furniture is out; printable either way."""
    title = one_line(result.documents[member].title, title_limit)
    label = f"{one_line(member)} — {title}" if title else one_line(member)
    return f"{label} (stub)" if result.stubs and member in result.stub_ids else label


def nothing_found(result: ScanResult) -> str:
    return "No duplicates or copies found." if result.mode == "copy" else "No duplicates, copies or stories found."


def score_range(cluster: Cluster) -> str:
    """"0.97" or "0.62–0.99": the story probabilities of a cluster's story pairs; "" if it has none."""
    values = [pair.evidence.score for pair in cluster.pairs if pair.evidence is not None]
    if not values:
        return ""
    low, high = min(values), max(values)
    return f"{low:.2f}" if round(low, 2) == round(high, 2) else f"{low:.2f}–{high:.2f}"


# Inputs listed in an explanation, the heaviest first.
EXPLAINED_INPUTS = 6
# The pair model's inputs as a reader knows them.
_SIGNAL_LABELS = {
    "stems_shared": "shared words", "stems_z": "word overlap beyond chance", "rare_stems": "shared rare words",
    "lead": "leads", "title": "titles", "quotes": "quotes", "shorter": "shorter report's length",
    "longer": "longer report's length", "names_shared": "shared names", "names_contained": "names in common",
    "lead_names_both": "both leads name someone", "lead_names_found": "lead names found in the other",
    "numbers_both": "both give numbers", "numbers": "shared numbers", "units_conflict": "quantities that differ",
    "lead_numbers_both": "both leads give numbers", "lead_numbers_shared": "a number of the leads",
    "dates_both": "both give dates", "dates_shared": "a shared date", "weekdays_both": "both give weekdays",
    "weekdays_shared": "a shared weekday", "lead_when_both": "both leads give a day", "lead_when_shared": "the leads' day",
    "years_both": "both give years", "years_shared": "a shared year", "latest_year_same": "the same latest year",
    "dated": "both dated", "published_same_day": "published within a day",
}


def explanation_lines(pair: Pair) -> list[str]:
    """A story pair's evidence in plain lines: the probability, what weighed most for and
    against it (in log-odds, the model's own units), and what the two share."""
    evidence = pair.evidence
    if evidence is None:
        return []
    days = "" if evidence.days_apart is None else f"; published {evidence.days_apart} day(s) apart"
    lines = [f"{one_line(pair.a)} ↔ {one_line(pair.b)}: same event, probability {evidence.score:.2f}{days}"]
    weights = sorted(((value, name) for name, value in evidence.contributions.items() if name != "baseline"),
                     key=lambda item: -abs(item[0]))
    if weights:
        baseline = evidence.contributions.get("baseline")
        start = "" if baseline is None else f"from {baseline:+.1f} for two reports of their length sharing nothing; "
        lines.append(f"  weighed (log-odds, {start}heaviest first): " + ", ".join(
            f"{_SIGNAL_LABELS.get(name, name)} {value:+.1f}" for value, name in weights[:EXPLAINED_INPUTS]))
    for kind, values in evidence.shared.items():
        if values:
            lines.append(f"  shared {kind}: " + ", ".join(one_line(value) for value in values))
    return lines


def similarity_range(cluster: Cluster) -> str:
    """"0.81" or "0.74–0.93": the Jaccard similarities of the pairs holding a cluster together."""
    values = [pair.similarity for pair in cluster.pairs]
    low, high = min(values), max(values)
    return f"{low:.2f}" if round(low, 2) == round(high, 2) else f"{low:.2f}–{high:.2f}"


def _markdown_escape(text: str) -> str:
    return "".join("\\" + char if char in "\\`*_[]<>|#" else char for char in text)
