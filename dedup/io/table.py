"""Scan results for people: a Rich table of clusters and a one-line summary.

All article-derived strings reach Rich as `Text` objects (never markup) after
`printable`, so a headline cannot style the terminal or inject escapes.
"""

from __future__ import annotations

from collections import Counter

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from dedup.io.safe_text import one_line
from dedup.io.writers import explanation_lines, member_label, nothing_found, score_range, similarity_range
from dedup.model import Relation, ScanResult

# A cluster of hundreds (a paywall page scraped a hundred times) would fill the screen;
# the table shows this many members and says how many more the JSON output lists.
MEMBERS_SHOWN = 8
_RELATION_STYLES = {Relation.DUPLICATE: "bold red", Relation.COPY: "yellow", Relation.STORY: "cyan"}


def render_table(result: ScanResult, console: Console, with_summary: bool = True, explain: bool = False) -> None:
    if result.clusters:
        console.print(_cluster_table(result))
    if explain:
        for cluster in result.clusters:
            lines = [line for pair in cluster.pairs for line in explanation_lines(pair)]
            if lines:
                console.print(Text(f"Why {cluster.id} is one story", style="bold"))
                console.print(Text("\n".join(lines)))
    if with_summary:
        console.print(summary(result))


def _cluster_table(result: ScanResult) -> Table:
    table = Table(title="Clusters", title_justify="left", show_lines=True, expand=False)
    table.add_column("Cluster", no_wrap=True)
    table.add_column("Relation", no_wrap=True)
    table.add_column("Size", justify="right")
    table.add_column("Similarity", no_wrap=True)
    stories = result.mode != "copy"
    if stories:
        table.add_column("Same event", no_wrap=True)
    table.add_column("Members (id — title)", overflow="fold")
    for cluster in result.clusters:
        shown = cluster.members[:MEMBERS_SHOWN]
        members = Text("\n".join(member_label(result, member, 70) for member in shown))
        if len(cluster.members) > MEMBERS_SHOWN:
            members.append(f"\n… and {len(cluster.members) - MEMBERS_SHOWN} more", style="dim")
        cells = [
            Text(cluster.id),
            Text(cluster.relation.value, style=_RELATION_STYLES[cluster.relation]),
            Text(str(len(cluster.members))),
            Text(similarity_range(cluster)),
        ]
        if stories:
            cells.append(Text(score_range(cluster)))
        table.add_row(*cells, members)
    return table


def summary(result: ScanResult) -> Text:
    relations = Counter(cluster.relation.value for cluster in result.clusters)
    grouped = sum(len(cluster.members) for cluster in result.clusters)
    text = Text(f"{_count(len(result.documents), 'document')} scanned: ")
    if result.clusters:
        kinds = ", ".join(f"{count} {relation}" for relation, count in sorted(relations.items()))
        text.append(f"{grouped:,} of them in {_count(len(result.clusters), 'cluster')} ({kinds}).")
    else:
        text.append(nothing_found(result)[0].lower() + nothing_found(result)[1:])
    if result.stubs:
        sites = len(result.furniture)
        text.append(f" {_count(len(result.stubs), 'page')} marked (stub): too short to judge once "
                    f"{'its site' if sites == 1 else 'their sites'}' furniture was taken out.")
    if result.errors:
        text.append(f" {_count(len(result.errors), 'input')} could not be read (see above).", style="yellow")
    return text


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" if number == 1 else f"{number:,} {noun}s"


def error_lines(result: ScanResult, limit: int) -> Group:
    """The first `limit` errors, one line each, and a count of the rest."""
    lines = [Text(f"dedup: {one_line(str(error))}", style="yellow") for error in result.errors[:limit]]
    if len(result.errors) > limit:
        lines.append(Text(f"dedup: … and {len(result.errors) - limit} more errors (all are listed by --format json)", style="yellow"))
    return Group(*lines)
