"""`dedup check --format github`: workflow commands that GitHub Actions turns into annotations,
and a Markdown step summary.

GitHub's limits decide the shape. Per step it shows at most 10 error, 10 warning and 10
notice annotations (50 per job), and drops the rest without a word (actions/toolkit,
docs/problem-matchers.md, "Limitations"; the limit applies to workflow commands as well).
A step summary, the Markdown a step appends to the file $GITHUB_STEP_SUMMARY names, may
hold 1 MiB; a larger one is not shown at all ("Adding a job summary" in GitHub's "Workflow
commands for GitHub Actions"; the runner says "upload aborted, supports content up to a
size of 1024k").

So: one annotation per incoming document, not per pair; the most important first (failing
before the rest; duplicate before copy before story; more matches first); at most 10 of a
kind; then a notice with the totals that says how many were left out. The step summary
lists every document, within the 1 MiB.

Ids, titles and file names are untrusted: they are escaped for the workflow-command syntax
(`_data`, `_property`) and for Markdown (`_markdown`), so no id can add an annotation or a
table row.
"""

from __future__ import annotations

import os

from dedup.io.check_groups import (
    STUB_MEANING,
    Entry,
    ShortOrigins,
    by_importance,
    listed_entries,
    location,
    measure,
    message,
    standing,
    stub_label,
    stub_line,
    summary_line,
)
from dedup.io.safe_text import one_line
from dedup.model import CheckResult, UserProblem

ANNOTATIONS_PER_LEVEL = 10  # errors, warnings and notices each, per step
STEP_SUMMARY_LIMIT = 1024 * 1024  # bytes per step
MATCHES_PER_DOCUMENT = 5  # in an annotation or a summary row; JSON lists them all
_SUMMARY_MARGIN = 4096  # room for the closing lines of the summary


# --- annotations ---------------------------------------------------------------------------


def write_github(result: CheckResult, show_accepted: bool = False) -> str:
    """The workflow commands: errors, then warnings (unreadable inputs), then notices, then the totals."""
    ranked = by_importance(listed_entries(result, show_accepted), show_accepted)
    failing = [entry for entry in ranked if entry.fails]
    passing = [entry for entry in ranked if not entry.fails]
    # The totals notice, and the stubs notice if any, count against the 10 notices too.
    notice_room = ANNOTATIONS_PER_LEVEL - 1 - (1 if result.stubs else 0)
    lines = [_annotation("error", entry, result, show_accepted) for entry in failing[:ANNOTATIONS_PER_LEVEL]]
    lines += [f"::warning title={_property('dedup: unreadable input')}::{_data(one_line(str(error)))}"
              for error in result.errors[:ANNOTATIONS_PER_LEVEL]]
    lines += [_annotation("notice", entry, result, show_accepted) for entry in passing[:notice_room]]
    if result.stubs:
        lines.append(f"::notice title={_property('dedup: stubs')}::{_data(stub_line(result))}")
    left_out = _left_out(len(failing) - ANNOTATIONS_PER_LEVEL, len(result.errors) - ANNOTATIONS_PER_LEVEL,
                         len(passing) - notice_room)
    verdict = "dedup check FAILED" if result.failing else "dedup check passed"
    totals = summary_line(result, accepted_hidden=not show_accepted) + left_out
    lines.append(f"::notice title={_property(verdict)}::{_data(totals)}")
    return "\n".join(lines) + "\n"


def _annotation(level: str, entry: Entry, result: CheckResult, show_accepted: bool) -> str:
    uri, line = location(entry.document)
    listed = entry.listed(show_accepted)
    title = f"dedup: {entry.leading(show_accepted).relation.value}" + (f", {len(listed)} matches" if len(listed) > 1 else "")
    text = [message(finding) for finding in listed[:MATCHES_PER_DOCUMENT]]
    if len(listed) > MATCHES_PER_DOCUMENT:
        text.append(f"and {len(listed) - MATCHES_PER_DOCUMENT} more match(es): --format json lists them all")
    if entry.stub:
        text.append(f"{one_line(entry.document.id)} is a stub: {STUB_MEANING}")
    return f"::{level} file={_property(one_line(uri))},line={line},title={_property(title)}::{_data(chr(10).join(text))}"


def _left_out(errors: int, warnings: int, notices: int) -> str:
    parts = [f"{count} {what}" for count, what in ((errors, "failing document(s)"), (warnings, "unreadable input(s)"),
                                                   (notices, "other document(s) with findings")) if count > 0]
    if not parts:
        return ""
    return (f"; left out of the annotations (GitHub shows at most {ANNOTATIONS_PER_LEVEL} errors, {ANNOTATIONS_PER_LEVEL} "
            f"warnings and {ANNOTATIONS_PER_LEVEL} notices per step): " + ", ".join(parts)
            + "; the step summary and --format json list them all")


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


# --- the step summary ------------------------------------------------------------------------


def append_step_summary(path: str | None, result: CheckResult, show_accepted: bool = False) -> None:
    """Append the Markdown summary to `path` ($GITHUB_STEP_SUMMARY); nothing when it is unset."""
    if not path:
        return
    try:
        used = os.path.getsize(path) if os.path.exists(path) else 0
        with open(path, "a", encoding="utf-8") as summary:
            summary.write(step_summary(result, show_accepted, STEP_SUMMARY_LIMIT - used))
    except OSError as error:
        raise UserProblem(f"cannot append the step summary to {one_line(path)} (GITHUB_STEP_SUMMARY): "
                          f"{error.strerror or error}; point GITHUB_STEP_SUMMARY at a writable file, or unset it") from None


def step_summary(result: CheckResult, show_accepted: bool = False, budget: int = STEP_SUMMARY_LIMIT) -> str:
    """Totals, then a table of the incoming documents (failing first, each by file and
    line) with their matches; rows stop before `budget` bytes, saying how many are left out."""
    shown = listed_entries(result, show_accepted)
    shown.sort(key=lambda entry: not entry.fails)  # stable: file-and-line order within each
    verdict = "FAILED" if result.failing else "passed"
    head = [f"### dedup check {verdict}", "", _markdown(summary_line(result, accepted_hidden=not show_accepted)), ""]
    if result.stubs:
        head += [_markdown(stub_line(result)), ""]
    if not shown:
        return "\n".join(head) + "\n"
    origins = ShortOrigins(result.documents)
    rows = ["| | Incoming | Title | Matches |", "| --- | --- | --- | --- |"]
    size = len("\n".join(head + rows).encode("utf-8")) + _SUMMARY_MARGIN
    for number, entry in enumerate(shown):
        row = _summary_row(entry, result, origins, show_accepted)
        size += len(row.encode("utf-8")) + 1
        if size > budget:
            rows += ["", f"{len(shown) - number} more document(s) left out to keep the summary under GitHub's 1 MiB "
                         "per step; --format json lists them all."]
            break
        rows.append(row)
    return "\n".join(head + rows) + "\n\n"


def _summary_row(entry: Entry, result: CheckResult, origins: ShortOrigins, show_accepted: bool) -> str:
    listed = entry.listed(show_accepted)
    matches = []
    for finding in listed[:MATCHES_PER_DOCUMENT]:
        where = "in the index" if finding.other_indexed else f"in this batch ({origins(finding.other)})"
        title = one_line(finding.other.title, 80)
        why_not = standing(finding, result)
        text = (f"{finding.relation.value}: {stub_label(one_line(finding.other.id), finding.other_stub)}"
                f"{' “' + title + '”' if title else ''}, {where}; {measure(finding)}{'; ' + why_not if why_not else ''}")
        matches.append(_markdown(text))
    if len(listed) > MATCHES_PER_DOCUMENT:
        matches.append(f"and {len(listed) - MATCHES_PER_DOCUMENT} more")
    mark = "✗" if entry.fails else "·"
    incoming = _markdown(stub_label(origins(entry.document), entry.stub))
    if not origins.names_id(entry.document):
        incoming += "<br>" + _markdown(one_line(entry.document.id))
    return f"| {mark} | {incoming} | {_markdown(one_line(entry.document.title, 80))} | {'<br>'.join(matches)} |"


def _markdown(text: str) -> str:
    """Text that Markdown shows as it is: no emphasis, link, HTML tag or table cell of its own."""
    return "".join("\\" + char if char in "\\`*_[]<>|#&!~" else char for char in text)
