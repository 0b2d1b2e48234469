"""Scan results for people: the summary first, then each cluster with its members.

A cluster's heading names its relation and the score that holds it together, labelled:
Jaccard and containment for copies and duplicates, the same-event probability for
stories (their reports share few word sequences, so a Jaccard says nothing of them).
Each member is one line of id, title, outlet and date, in columns shared by the whole
report; a member whose id is too long for its column, or a terminal too narrow for the
columns, takes a second line. An id that is a long hash is shortened to its first
characters (as git shortens commit hashes, longer where two would look alike) when the
article has a title to recognise it by.

All article-derived strings reach Rich as `Text` objects (never markup) after `one_line`,
so a headline cannot style the terminal or inject escapes. Where the report goes
(terminal, pager, file) is dedup.cli's business, never this module's.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from rich.cells import cell_len
from rich.console import Console, Group
from rich.text import Text

from dedup.io.safe_text import one_line
from dedup.io.writers import (
    copy_scores,
    errors_sentence,
    explanation_lines,
    nothing_found,
    outlet,
    score_range,
    short_date,
    shown_pairs_note,
    summary_line,
)
from dedup.model import Cluster, Relation, ScanResult

# A cluster of hundreds (a paywall page scraped a hundred times) would fill the screen;
# the table shows this many members and says how many more the JSON output lists.
MEMBERS_SHOWN = 8
_RELATION_STYLES = {Relation.DUPLICATE: "bold red", Relation.COPY: "yellow", Relation.STORY: "cyan"}
INDENT = 2  # members stand under their cluster's heading
GAP = 2  # between columns
# Narrower than this a title says too little: the member's details go on a line of their own.
TITLE_MIN = 24
OUTLET_MAX = 16
DATE_MAX = 16
# An explanation wraps at the terminal's edge, but keeps at least this many columns.
MIN_TEXT = 20
# The id column is as wide as this share of the ids shown.
USUAL_IDS = 0.8
# A shortened hash id keeps at least this many characters (git shows 7 of a commit's 40).
SHORT_ID = 8
# Hash-like ids: hexadecimal digests, UUIDs, and Base64 digests ("OsKzSEDSUSG7hdwQ5cpaSizyygk=").
_HEX_ID = re.compile(r"[0-9a-fA-F]{16,}|[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")
_BASE64_ID = re.compile(r"[A-Za-z0-9+/_-]{16,}={0,2}")


def render_table(result: ScanResult, console: Console, with_summary: bool = True, explain: bool = False) -> None:
    if with_summary:
        console.print(summary(result))
    elif not result.clusters:
        console.print(Text(nothing_found(result)))
    if not result.clusters:
        return
    columns = MemberColumns(result, console.width)
    if columns.shortened:
        console.print(Text(f"Hash ids shortened to {columns.short_length} characters; --format json or csv "
                           "gives them whole.", style="dim"))
    for number, cluster in enumerate(result.clusters):
        # A blank line under the summary; between clusters only when explanations follow them.
        if (number == 0 and (with_summary or columns.shortened)) or explain:
            console.print()
        console.print(heading(cluster))
        for member in cluster.members[:MEMBERS_SHOWN]:
            for line in columns.lines(member):
                console.print(line)
        if len(cluster.members) > MEMBERS_SHOWN:
            console.print(Text(" " * INDENT + f"… and {len(cluster.members) - MEMBERS_SHOWN} more "
                               "(--format json lists all)", style="dim"))
        if explain:
            lines = [line for pair in cluster.pairs for line in explanation_lines(pair)]
            if lines:
                note = shown_pairs_note(cluster)
                console.print(Text(" " * INDENT + f"Why {cluster.id} is one story" + (f" ({note}):" if note else ":"),
                                   style="bold"))
                for line in lines:
                    # A long line wraps under its own start, not at the margin.
                    indent = 2 * INDENT + len(line) - len(line.lstrip(" "))
                    room = max(MIN_TEXT, console.width - indent)
                    for wrapped in Text(line.lstrip(" ")).wrap(console, room, overflow="fold"):
                        wrapped.rstrip()
                        console.print(Text(" " * indent) + wrapped)


def heading(cluster: Cluster) -> Text:
    """"c1  story  14 documents  same-event probability P 0.51–1.00"."""
    text = Text(cluster.id, style="bold")
    text.append("  ")
    text.append(cluster.relation.value, style=_RELATION_STYLES[cluster.relation])
    text.append(f"  {len(cluster.members):,} documents")
    if cluster.relation is Relation.STORY:
        probabilities = score_range(cluster)
        score = f"same-event probability P {probabilities}" if probabilities else ""
    else:
        score = copy_scores(cluster)
    if score:
        text.append(f"  {score}", style="dim")
    text.overflow = "fold"
    return text


@dataclass(frozen=True, slots=True)
class _Member:
    id: str  # as shown: printable, maybe shortened
    title: str
    outlet: str
    date: str
    stub: bool


class MemberColumns:
    """The columns of the member lines, sized once for the whole report and `width`."""

    def __init__(self, result: ScanResult, width: int) -> None:
        shown = [member for cluster in result.clusters for member in cluster.members[:MEMBERS_SHOWN]]
        self.short_length = short_id_length(result.documents)
        self.shortened = False  # some id is shown by its first characters
        self.members: dict[str, _Member] = {}
        stubs = result.stub_ids
        for member in shown:
            article = result.documents[member]
            title = one_line(article.title)
            shortened = bool(title) and looks_like_hash(member)
            self.shortened = self.shortened or shortened
            self.members[member] = _Member(member[:self.short_length] if shortened else one_line(member), title,
                                           outlet(article), short_date(article), member in stubs)
        details = self.members.values()
        self.outlet_width = min(OUTLET_MAX, max((cell_len(member.outlet) for member in details), default=0))
        self.date_width = min(DATE_MAX, max((cell_len(member.date) for member in details), default=0))
        tail = sum(GAP + column for column in (self.outlet_width, self.date_width) if column)
        id_widths = sorted(cell_len(member.id) for member in details if member.title)
        # Wide enough for most ids: the few longer ones take a line of their own rather than
        # narrowing every title.
        usual_id = id_widths[math.ceil(len(id_widths) * USUAL_IDS) - 1] if id_widths else 0
        id_room = width - INDENT - GAP - TITLE_MIN - tail
        # Aligned columns when the titles keep TITLE_MIN beside the ids; else each member's
        # details on a line below its id.
        self.aligned = id_room >= min(usual_id, SHORT_ID)
        self.id_width = min(usual_id, id_room) if self.aligned else 0
        self.title_width = width - INDENT - (self.id_width + GAP if self.id_width else 0) - tail

    def lines(self, member_id: str) -> list[Text]:
        """The member's line, or two: its id (whole, folded if need be), then its details."""
        member = self.members[member_id]
        own_line = Text(" " * INDENT + member.id, style="dim", overflow="fold")
        if not self.aligned:  # a narrow terminal: the details wrap below the id
            below = Text(" " * 2 * INDENT + " · ".join(part for part in (member.title, member.outlet, member.date) if part))
            if member.stub:
                below.append(" (stub)", style="yellow")
            return [own_line, below] if below.plain.strip() else [own_line]
        if not member.title:  # the id stands in for the title, in both columns
            span = self.id_width + GAP + self.title_width if self.id_width else self.title_width
            if cell_len(member.id) <= span:
                return [self._line(_labelled_cell(member.id, member.stub, span, "dim"), member)]
            below = self._line(_labelled_cell("", member.stub, span), member)
            return [own_line, below] if below.plain.strip() else [own_line]
        title = _labelled_cell(member.title, member.stub, self.title_width)
        if cell_len(member.id) <= self.id_width:
            return [self._line(_cell(member.id, self.id_width, "dim") + Text(" " * GAP) + title, member)]
        # An id too long for its column: on a line of its own, the details aligned below.
        return [own_line, self._line(Text(" " * (self.id_width + GAP if self.id_width else 0)) + title, member)]

    def _line(self, start: Text, member: _Member) -> Text:
        line = Text(" " * INDENT) + start
        for value, width, style in ((member.outlet, self.outlet_width, "green"), (member.date, self.date_width, "dim")):
            if width:
                line += Text(" " * GAP) + _cell(value, width, style)
        line.rstrip()
        line.no_wrap, line.overflow = True, "ellipsis"  # sized to fit: a wider character never wraps it
        return line


def _cell(value: str, width: int, style: str = "") -> Text:
    """`value` cut to `width` cells (with an ellipsis) and padded to them."""
    cell = Text(value, style=style)
    cell.truncate(width, overflow="ellipsis", pad=True)
    return cell


def _labelled_cell(value: str, stub: bool, width: int, style: str = "") -> Text:
    """A title (or id) cell; a stub's keeps its "(stub)" visible however short the title is cut."""
    if not stub:
        return _cell(value, width, style)
    marker = " (stub)" if value else "(stub)"
    cell = _cell(value, max(0, width - len(marker)), style)
    cell.rstrip()
    cell.append(marker, style="yellow")
    cell.truncate(width, overflow="ellipsis", pad=True)
    return cell


def looks_like_hash(doc_id: str) -> bool:
    """An id made by a hash function: hexadecimal, a UUID, or Base64 whose characters change
    between capitals, small letters and digits at least every third character, as random
    ones do ("OsKzSEDSUSG7hdwQ5cpaSizyygk="; 99.9% of SHA-1 digests). Slugs and paths
    ("2021-01-05-trump-impeachment", "wire/dpa-original.txt") and names written in words
    ("SpiegelArticle2021", "BundestagDebatteZurRente") are none of these."""
    if _HEX_ID.fullmatch(doc_id):
        return True
    if not _BASE64_ID.fullmatch(doc_id):
        return False
    kinds = ["d" if char.isdigit() else "u" if char.isupper() else "l" for char in doc_id if char.isalnum()]
    changes = sum(1 for left, right in zip(kinds, kinds[1:]) if left != right)
    return {"u", "l"} <= set(kinds) and changes * 3 >= len(kinds) - 1


def short_id_length(documents) -> int:
    """The shortest length, at least SHORT_ID, at which every hash id of the scan keeps a
    prefix of its own: a shortened id still names one document."""
    hashes = [doc_id for doc_id in documents if looks_like_hash(doc_id)]
    longest = max(map(len, hashes), default=SHORT_ID)
    length = SHORT_ID
    while length < longest and max(Counter(doc_id[:length] for doc_id in hashes).values()) > 1:
        length += 1
    return length


def summary(result: ScanResult) -> Text:
    text = Text(summary_line(result))
    text.append(errors_sentence(result, "on standard error"), style="yellow")
    return text


def error_lines(result: ScanResult, limit: int) -> Group:
    """The first `limit` errors, one line each, and a count of the rest."""
    lines = [Text(f"dedup: {one_line(str(error))}", style="yellow") for error in result.errors[:limit]]
    if len(result.errors) > limit:
        lines.append(Text(f"dedup: … and {len(result.errors) - limit} more errors (all are listed by --format json)", style="yellow"))
    return Group(*lines)
