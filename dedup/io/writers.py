"""Scan results for programs: JSON (schema dedup.scan/1), JSON Lines, CSV and Markdown.

The JSON object is the contract other tools read (see ARCHITECTURE.md): fields may be
added, never renamed or removed without a new schema number.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable
from urllib.parse import urlsplit

from dedup.io.read_csv import SCAN_CSV_HEADER
from dedup.io.safe_text import json_text, one_line
from dedup.model import (
    LINKS_SHOWN,
    Article,
    Cluster,
    InputError,
    Pair,
    Relation,
    ScanResult,
)

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
        "passed_over": result.passed_over,
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
    writer.writerow(SCAN_CSV_HEADER.split(","))  # how a scan of a folder knows the file for dedup's own
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
    """The summary first, then one table row per cluster: its score under the column that
    names it (copies: Jaccard and containment; stories: the same-event probability) and
    every member as "id — title · outlet · date"."""
    # The first line marks the file as dedup's, so a scan of a folder it is saved in passes it over.
    lines = [f"<!-- {SCAN_SCHEMA}: written by dedup scan -->",
             f"# dedup scan: {len(result.documents)} documents, {len(result.clusters)} clusters", ""]
    lines.append(_markdown_escape(summary_line(result) + errors_sentence(result, "under Errors below")))
    if result.clusters:
        lines += ["", "| cluster | relation | size | similarity | same event | members |", "|---|---|---|---|---|---|"]
        for cluster in result.clusters:
            members = "<br>".join(_markdown_escape(_markdown_member(result, member)) for member in cluster.members)
            lines.append(
                f"| {cluster.id} | {cluster.relation.value} | {len(cluster.members)} | "
                f"{copy_scores(cluster) or '—'} | {story_scores(cluster) or '—'} | {members} |"
            )
        stories = any(cluster.relation is Relation.STORY for cluster in result.clusters)
        lines += ["", score_legend(result, stories)]
    if explain:
        for cluster in result.clusters:
            story = [pair for pair in cluster.pairs if pair.evidence is not None]
            if story:
                lines += ["", f"## Why {cluster.id} is one story", ""]
                if note := shown_pairs_note(cluster):
                    lines += [f"{note[0].upper()}{note[1:]}.", ""]
                # Evidence lines are indented under their pair: a nested list.
                lines += [("  - " if line.startswith("  ") else "- ") + _markdown_escape(line.strip())
                          for pair in story for line in explanation_lines(pair)]
    if result.errors:
        lines += ["", "## Errors", ""]
        lines += [f"- {_markdown_escape(one_line(str(error)))}" for error in result.errors]
    return "\n".join(lines) + "\n"


def score_legend(result: ScanResult, stories: bool) -> str:
    """What the scores of a report mean, for a reader who has not read the README."""
    unit, _, size = str(result.settings.get("shingles", "word:5")).partition(":")
    sequences = f"{size}-{'character' if unit == 'char' else 'word'} sequences" if size.isdigit() else "word sequences"
    legend = (f"Jaccard: the share of {sequences} two texts have in common; containment: the share of the "
              f"shorter text's {sequences} found in the longer.")
    return legend + (" P: the probability that two reports tell the same event." if stories else "")


def _markdown_member(result: ScanResult, member: str) -> str:
    """"id — title · outlet · date", with what the article has of them."""
    article = result.documents[member]
    details = [part for part in (one_line(article.title, 80), outlet(article), short_date(article)) if part]
    label = one_line(member) + (" — " + " · ".join(details) if details else "")
    return f"{label} (stub)" if result.stubs and member in result.stub_ids else label


def nothing_found(result: ScanResult) -> str:
    return "No duplicates or copies found." if result.mode == "copy" else "No duplicates, copies or stories found."


def summary_line(result: ScanResult) -> str:
    """One line for people: how many documents, how many of them in clusters of each relation, stubs."""
    grouped = sum(len(cluster.members) for cluster in result.clusters)
    text = f"{_count(len(result.documents), 'document')} scanned: "
    if result.clusters:
        relations = Counter(cluster.relation for cluster in result.clusters)
        kinds = ", ".join(f"{relations[relation]:,} {relation.value}" for relation in Relation if relations[relation])
        text += f"{grouped:,} of them in {_count(len(result.clusters), 'cluster')} ({kinds})."
    else:
        text += nothing_found(result)[0].lower() + nothing_found(result)[1:]
    if result.stubs:
        sites = len(result.furniture)
        text += (f" {_count(len(result.stubs), 'page')} marked (stub): too short to judge once "
                 f"{'its site' if sites == 1 else 'their sites'}' furniture was taken out.")
    return text


def errors_sentence(result: ScanResult, listed: str) -> str:
    """" 3 inputs could not be read (listed …)." or ""."""
    if not result.errors:
        return ""
    return f" {_count(len(result.errors), 'input')} could not be read (listed {listed})."


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" if number == 1 else f"{number:,} {noun}s"


def outlet(article: Article) -> str:
    """Where an article appeared: its source, else its URL's host (without "www.")."""
    if article.source and article.source.strip():
        return one_line(article.source)
    if not article.url:
        return ""
    try:
        host = urlsplit(article.url.strip()).hostname or ""
    except ValueError:  # "http://[oops": no host to show
        return ""
    return one_line(host.removeprefix("www."))


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}(?=$|[T ])")


def short_date(article: Article) -> str:
    """The publication day ("2021-01-11" of "2021-01-11T10:03:00+01:00"), or the date as given."""
    if not article.date:
        return ""
    day = _ISO_DAY.match(article.date.strip())
    return day.group(0) if day else one_line(article.date, 16)


def copy_scores(cluster: Cluster) -> str:
    """"Jaccard 0.74–0.93, containment 0.90–1.00" over the copy and duplicate pairs holding a
    cluster together; "" for a cluster of story pairs alone."""
    pairs = [pair for pair in cluster.pairs if pair.relation is not Relation.STORY]
    if cluster.relation is Relation.STORY or not pairs:
        return ""
    return (f"Jaccard {_range(pair.similarity for pair in pairs)}, "
            f"containment {_range(pair.containment for pair in pairs)}")


def story_scores(cluster: Cluster) -> str:
    """"P 0.77–1.00": the same-event probabilities of a cluster's story pairs; "" if it has none."""
    probabilities = score_range(cluster)
    return f"P {probabilities}" if probabilities else ""


def score_range(cluster: Cluster) -> str:
    """"0.97" or "0.62–0.99": the story probabilities of a cluster's story pairs; "" if it has none."""
    return _range(pair.evidence.score for pair in cluster.pairs if pair.evidence is not None)


def _range(values: Iterable[float]) -> str:
    values = list(values)
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


def shown_pairs_note(cluster: Cluster) -> str:
    """Which of a story's pairs its explanation lists (dedup.model.LINKS_SHOWN), said when
    that may be fewer than all its linked pairs; "" for a story small enough to list them all."""
    if len(cluster.members) <= LINKS_SHOWN + 1:
        return ""
    return f"the pairs that connect it, and each report's {LINKS_SHOWN} strongest and its weakest link"


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
    return _range(pair.similarity for pair in cluster.pairs)


def _markdown_escape(text: str) -> str:
    return "".join("\\" + char if char in "\\`*_[]<>|#" else char for char in text)
