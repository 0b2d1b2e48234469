"""`dedup check`'s report for people: the verdict first, then one entry per incoming document
with its matches, best first (failing documents first, each group by file and line), and
the verdict again at the end.

It must stay readable at 80 columns: an entry's heading is cut with an ellipsis rather than
folded, origins are shortened (see `ShortOrigins`), and the matches hang beside a narrow
label. Lines are written one by one, not as a Rich table: no cell padding to
trail them. Article text is untrusted: everything shown goes through `one_line` and into
Rich as `Text`, never as markup.
"""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from dedup.io.check_groups import (
    Entry,
    ShortOrigins,
    listed_entries,
    measure,
    standing,
    stub_label,
    stub_line,
    summary_line,
)
from dedup.io.safe_text import one_line
from dedup.model import CheckResult, Finding

MATCHES_SHOWN = 5  # per incoming document; JSON lists them all
_INDENT = 2 + len("duplicate") + 1  # two spaces, the longest relation's name, a space
_MIN_TEXT_WIDTH = 20  # a squeezed pane still gets words, not letters, per line


def render_table(result: CheckResult, console: Console, show_accepted: bool = False) -> None:
    shown = listed_entries(result, show_accepted)
    shown.sort(key=lambda entry: not entry.fails)  # failing first; stable, so by file and line within each
    accepted_hidden = not show_accepted and any(finding.accepted_as for finding in result.findings)
    verdict = Text(summary_line(result, accepted_hidden), style="bold red" if result.failing else "green")
    _print_hanging(console, Text(""), [verdict])
    if shown:
        origins = ShortOrigins(result.documents)
        for entry in shown:
            console.print()
            _print_entry(entry, result, origins, show_accepted, console)
        console.print()
    if result.stubs:
        _print_hanging(console, Text(""), [Text(stub_line(result), style="dim")])
    if shown:  # a long report ends with its verdict too, where the reader's eye is after scrolling
        _print_hanging(console, Text(""), [verdict])


def _print_entry(entry: Entry, result: CheckResult, origins: ShortOrigins, show_accepted: bool, console: Console) -> None:
    heading = Text()
    heading.append("✗ " if entry.fails else "· ", style="bold red" if entry.fails else "dim")
    heading.append(stub_label(origins(entry.document), entry.stub), style="bold")
    title = one_line(entry.document.title)
    if title:
        heading.append("  " + title)
    console.print(heading, no_wrap=True, overflow="ellipsis")
    if not origins.names_id(entry.document):
        console.print(Text(f"  id {one_line(entry.document.id)}", style="dim"), no_wrap=True, overflow="ellipsis")
    listed = entry.listed(show_accepted)
    for finding in listed[:MATCHES_SHOWN]:
        label = Text(finding.relation.value, style="red" if result.fails(finding) else "dim")
        _print_hanging(console, label, _match(finding, result, origins, _text_width(console, _INDENT)), indent=_INDENT)
    left_out = _left_out(len(listed) - MATCHES_SHOWN, len(entry.findings) - len(listed))
    if left_out:
        _print_hanging(console, Text(""), [Text(left_out, style="dim")], indent=_INDENT)


def _match(finding: Finding, result: CheckResult, origins: ShortOrigins, width: int) -> list[Text]:
    """The other document's title (cut to one line), its id and where it is, how close it is,
    and why it does not fail if it does not."""
    other_id = stub_label(one_line(finding.other.id), finding.other_stub)
    where = "in the index" if finding.other_indexed else f"in this batch ({origins(finding.other)})"
    title = one_line(finding.other.title)
    lines = [Text(title, no_wrap=True, overflow="ellipsis")] if title else []
    lines.append(Text(f"{other_id}, {where}"))
    closeness, why_not = measure(finding), standing(finding, result)
    if not why_not:
        lines.append(Text(closeness))
    elif len(closeness) + 2 + len(why_not) <= width:
        lines.append(Text.assemble(closeness, "; ", (why_not, "dim")))
    else:  # on a line of its own rather than broken in the middle
        lines += [Text(closeness), Text(why_not, style="dim")]
    return lines


def _print_hanging(console: Console, label: Text, paragraphs: list[Text], indent: int = 0) -> None:
    """Paragraphs wrapped at the console's width, all lines indented by `indent` but the
    first, which starts with `label` (two spaces in). Written line by line, so no line
    carries the trailing spaces a Rich table pads its cells with."""
    width = _text_width(console, indent)
    prefix = Text.assemble("  ", label, " " * max(indent - 2 - label.cell_len, 0)) if indent else Text()
    blank = Text(" " * indent)
    for paragraph in paragraphs:
        for line in paragraph.wrap(console, width):
            line.rstrip()
            console.print(Text.assemble(prefix, line), no_wrap=True, overflow="crop")
            prefix = blank


def _text_width(console: Console, indent: int) -> int:
    return max(console.width - indent, _MIN_TEXT_WIDTH)


def _left_out(more: int, accepted: int) -> str:
    parts = []
    if more > 0:
        parts.append(f"and {more} more match(es): --format json lists them all")
    if accepted > 0:
        parts.append(f"{accepted} accepted by the baseline, not listed")
    return "; ".join(parts)
