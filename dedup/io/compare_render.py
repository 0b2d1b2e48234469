"""A FactDiff for people and programs: JSON (schema dedup.compare/1), a Rich side-by-side
table, Markdown and one self-contained HTML page.

Article text is untrusted. Every renderer passes it through `printable` first; the Rich
renderer hands it over as `Text` objects (never markup), Markdown escapes its
punctuation and HTML escapes it with `html.escape`. This module never computes a
comparison: it only shows one (dedup.facts.compare makes them).
"""

from __future__ import annotations

import html
import re
from collections import Counter

from rich.console import Console
from rich.table import Table
from rich.text import Text

from dedup.io.safe_text import json_text, one_line, printable
from dedup.model import (
    AlignedRow,
    Article,
    Atom,
    AtomStatus,
    DiffSegment,
    FactDiff,
    RowKind,
)

COMPARE_SCHEMA = "dedup.compare/1"
_DIGITS = 4
# The order in which the atoms section lists the types (dedup.facts.atoms.ATOM_TYPES).
ATOM_TYPE_ORDER = ("quote", "number", "date", "person", "organisation", "place", "agency")

KIND_SYMBOLS = {RowKind.SHARED: "=", RowKind.PARAPHRASE: "≈", RowKind.CONFLICT: "!",
                RowKind.LEFT_ONLY: "◀", RowKind.RIGHT_ONLY: "▶", RowKind.HEADING: "#"}
KIND_LABELS = {RowKind.SHARED: "shared", RowKind.PARAPHRASE: "paraphrase", RowKind.CONFLICT: "conflict",
               RowKind.LEFT_ONLY: "left only", RowKind.RIGHT_ONLY: "right only", RowKind.HEADING: "heading"}
KIND_STYLES = {RowKind.SHARED: "green", RowKind.PARAPHRASE: "yellow", RowKind.CONFLICT: "bold red",
                RowKind.LEFT_ONLY: "cyan", RowKind.RIGHT_ONLY: "magenta", RowKind.HEADING: "bold"}
ATOM_SYMBOLS = {AtomStatus.SHARED: "=", AtomStatus.LEFT_ONLY: "◀", AtomStatus.RIGHT_ONLY: "▶",
                AtomStatus.CONFLICT: "!"}
ATOM_LABELS = {AtomStatus.SHARED: "both", AtomStatus.LEFT_ONLY: "left", AtomStatus.RIGHT_ONLY: "right",
               AtomStatus.CONFLICT: "conflict"}
ATOM_STYLES = {AtomStatus.SHARED: "green", AtomStatus.LEFT_ONLY: "cyan", AtomStatus.RIGHT_ONLY: "magenta",
                AtomStatus.CONFLICT: "bold red"}
_DIFF_ROWS = (RowKind.PARAPHRASE, RowKind.CONFLICT)
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")
_WORD_CHARACTER = re.compile(r"\w")
# Word highlights: words only one report has on that side's colour (the colours of the
# one-sided rows), the same word in another spelling or form in italics. No strikethrough.
WORD_STYLES = {"left": "black on cyan", "right": "black on magenta", "equivalent": "italic"}



def display_value(atom) -> str:
    """What a person reads as the atom's value: the report's own words ("10. Jänner", "50
    Minuten", "Jen Psaki"), the left report's first; for a conflict, each side's. The
    normalised key ("--01-10", "50 minute") is for matching and stays in JSON."""
    if atom.status is AtomStatus.CONFLICT:
        return f"{', '.join(atom.left)} ≠ {', '.join(atom.right)}"
    return (atom.left or atom.right or ("",))[0]


def _flat(text: str | None) -> str:
    """Printable text on one line, inner spacing kept (diff segments meet at their spaces)."""
    return printable(_LINE_BREAKS.sub(" ", text or ""))


def atoms_sorted(diff: FactDiff) -> list[Atom]:
    def order(atom: Atom) -> tuple[int, str]:
        known = atom.type in ATOM_TYPE_ORDER
        return (ATOM_TYPE_ORDER.index(atom.type) if known else len(ATOM_TYPE_ORDER), atom.type)

    return sorted(diff.atoms, key=order)  # stable: values keep the comparer's order


def atom_counts(diff: FactDiff) -> dict[str, int]:
    counts = Counter(atom.status.value for atom in diff.atoms)
    return {status.value: counts[status.value] for status in AtomStatus}


# --- JSON ------------------------------------------------------------------------------------


def compare_to_dict(diff: FactDiff) -> dict:
    return {
        "schema": COMPARE_SCHEMA,
        "left": _article_to_dict(diff.left),
        "right": _article_to_dict(diff.right),
        "rows": [_row_to_dict(row) for row in diff.rows],
        "atoms": [_atom_to_dict(atom) for atom in diff.atoms],
        "summary": {**diff.summary, "atoms": atom_counts(diff)},
        "languages": {"left": diff.left.lang, "right": diff.right.lang, "differ": diff.language_note is not None},
    }


def _article_to_dict(article: Article) -> dict:
    return {"id": article.id, "source": article.source, "title": article.title, "date": article.date,
            "agencies": list(article.agencies), "url": article.url}


def _row_to_dict(row: AlignedRow) -> dict:
    return {
        "kind": row.kind.value,
        "left": list(row.left),
        "right": list(row.right),
        "left_text": row.left_text,
        "right_text": row.right_text,
        "similarity": round(row.similarity, _DIGITS),
        "diff": [{"op": segment.op, "left": segment.left, "right": segment.right} for segment in row.diff],
        "conflicts": list(row.conflicts),
    }


def _atom_to_dict(atom: Atom) -> dict:
    return {"type": atom.type, "key": atom.value, "value": display_value(atom), "left": list(atom.left),
            "right": list(atom.right), "status": atom.status.value}


def write_compare_json(diff: FactDiff) -> str:
    return json_text(compare_to_dict(diff), indent=2) + "\n"


# --- Rich, for the terminal --------------------------------------------------------------------


def render_compare(diff: FactDiff, console: Console) -> None:
    """Both reports side by side, then their atoms, then a legend; fits `console.width`."""
    if diff.language_note:
        console.print(Text(diff.language_note, style="bold"))
    console.print(_rows_table(diff))
    if diff.atoms:
        console.print(_atoms_table(diff))
    console.print(legend(diff))


def _rows_table(diff: FactDiff) -> Table:
    table = Table(show_lines=True, expand=True)
    table.add_column(article_header(diff.left, "◀"), ratio=1, overflow="fold")
    table.add_column(Text(""), width=1, no_wrap=True, justify="center")
    table.add_column(article_header(diff.right, "▶"), ratio=1, overflow="fold")
    for row in diff.rows:
        left, right = row_cells(row)
        table.add_row(left, Text(KIND_SYMBOLS[row.kind], style=KIND_STYLES[row.kind]), right)
    return table


def article_header(article: Article, symbol: str) -> Text:
    """The title in bold (the id when there is none), then id, source, date and agencies dimmed."""
    title = one_line(article.title)
    header = Text(f"{symbol} {title or one_line(article.id)}", style="bold")
    details = [one_line(article.id)] if title else []
    details += [one_line(value) for value in (article.source, article.date) if value]
    if article.agencies:
        details.append(", ".join(one_line(agency) for agency in article.agencies))
    if details:
        header.append("\n" + " · ".join(details), style="dim")
    return header


def row_cells(row: AlignedRow) -> tuple[Text, Text]:
    style = KIND_STYLES[row.kind]
    if row.kind is RowKind.LEFT_ONLY:
        return Text(_flat(row.left_text), style=style), Text("")
    if row.kind is RowKind.RIGHT_ONLY:
        return Text(""), Text(_flat(row.right_text), style=style)
    if row.kind is RowKind.HEADING:
        return Text(_flat(row.left_text), style=style), Text(_flat(row.right_text), style=style)
    if row.kind not in _DIFF_ROWS or not row.diff:
        return Text(_flat(row.left_text), style="green"), Text(_flat(row.right_text), style="green")
    left, right = _diff_text(row.diff, "left"), _diff_text(row.diff, "right")
    for conflict in row.conflicts:
        left.append(f"\n! {one_line(conflict)}", style="bold red")
    return left, right


def word_runs(segments: tuple[DiffSegment, ...], side: str) -> list[tuple[str, str]]:
    """One side of a word diff as (text, mark) runs, the one rule every format follows:
    mark `only` for words only this side has (punctuation alone, a lone comma, stays plain
    unless it stands between two marked runs), `equivalent` for the same word in another
    spelling or form, "" for words both sides have, moved or not. The text is printable and
    on one line."""
    runs: list[tuple[str, str]] = []
    for segment in segments:
        words = _flat(getattr(segment, side))
        if not words:
            continue
        if segment.op == "equivalent":
            mark = "equivalent"
        elif segment.op == side and _WORD_CHARACTER.search(words):
            mark = "only"
        else:
            mark = ""
        if runs and runs[-1][1] == mark:
            runs[-1] = (runs[-1][0] + words, mark)
        elif mark == "only" and len(runs) >= 2 and runs[-2][1] == "only" and not _WORD_CHARACTER.search(runs[-1][0]):
            # Punctuation between two marked runs ("6.1", "Telefonat. Biden") is marked with them.
            punctuation = runs.pop()[0]
            runs[-1] = (runs[-1][0] + punctuation + words, mark)
        else:
            runs.append((words, mark))
    return runs


def _split_space(text: str) -> tuple[str, str, str]:
    """Leading spaces, the rest, trailing spaces: marks cover words, not the gaps around them."""
    core = text.strip()
    if not core:
        return text, "", ""
    start = len(text) - len(text.lstrip())
    return text[:start], core, text[start + len(core):]


def _diff_text(segments: tuple[DiffSegment, ...], side: str) -> Text:
    """One side of a word diff: its own words on the side's background colour, equivalent
    words in italics, the words both sides have plain."""
    text = Text()
    for words, mark in word_runs(segments, side):
        style = WORD_STYLES[side] if mark == "only" else WORD_STYLES.get(mark, "")
        lead, core, trail = _split_space(words) if style else (words, "", "")
        text.append(lead)
        text.append(core, style=style)
        text.append(trail)
    return text


def _atoms_table(diff: FactDiff) -> Table:
    table = Table(title="Atoms", title_justify="left", expand=True)
    table.add_column("type", no_wrap=True)
    table.add_column("", width=1, no_wrap=True)
    table.add_column("value", ratio=2, overflow="fold")
    table.add_column("◀ left", ratio=3, overflow="fold")
    table.add_column("▶ right", ratio=3, overflow="fold")
    atoms = atoms_sorted(diff)
    for position, atom in enumerate(atoms):
        first_of_type = position == 0 or atoms[position - 1].type != atom.type
        last_of_type = position == len(atoms) - 1 or atoms[position + 1].type != atom.type
        style = ATOM_STYLES[atom.status]
        table.add_row(
            Text(one_line(atom.type) if first_of_type else "", style="bold"),
            Text(ATOM_SYMBOLS[atom.status], style=style),
            Text(one_line(display_value(atom), 60), style=style),
            Text(" | ".join(one_line(form) for form in atom.left)),
            Text(" | ".join(one_line(form) for form in atom.right)),
            end_section=last_of_type,
        )
    return table


def legend(diff: FactDiff) -> Text:
    """Three lines: the rows per kind, the atoms per status, each with its symbol, then the
    word marks."""
    text = Text("rows:  ")
    for kind, count in diff.summary.items():
        kind = RowKind(kind)
        text.append(KIND_SYMBOLS[kind], style=KIND_STYLES[kind])
        text.append(f" {KIND_LABELS[kind]} {count}   ")
    text.rstrip()
    text.append("\natoms: ")
    for status, count in atom_counts(diff).items():
        status = AtomStatus(status)
        text.append(ATOM_SYMBOLS[status], style=ATOM_STYLES[status])
        text.append(f" {ATOM_LABELS[status]} {count}   ")
    text.rstrip()
    if diff.language_note:  # no word diff across languages: no word marks to explain
        return text
    text.append("\nwords: ")
    text.append("only left", style=WORD_STYLES["left"])
    text.append("  ")
    text.append("only right", style=WORD_STYLES["right"])
    text.append("  ")
    text.append("same word, other form", style=WORD_STYLES["equivalent"])
    text.append("  plain: in both")
    return text


# --- Markdown --------------------------------------------------------------------------------


def markdown_escape(text: str | None) -> str:
    """Printable, one-line text with Markdown's punctuation escaped (safe in a table cell)."""
    return "".join("\\" + char if char in "\\`*_[]<>|#~&!" else char for char in _flat(text))


def _markdown_mark(text: str, mark: str) -> str:
    """`mark`text`mark` with the spaces outside the marks, where Markdown wants them."""
    lead, core, trail = _split_space(text)
    if not core:
        return markdown_escape(text)
    return f"{markdown_escape(lead)}{mark}{markdown_escape(core)}{mark}{markdown_escape(trail)}"


# Markdown has no colour: words only this column's report has are bold (each side in its own
# column, so bold needs no side), equivalent wording is italic. Never strikethrough: it reads "wrong".
_MARKDOWN_MARKS = {"only": "**", "equivalent": "_"}
_MARKDOWN_WORDS_LEGEND = ("Words: **bold** only in that column's report, _italics_ the same word in another "
                          "spelling or form (Jänner/Januar), plain in both reports (perhaps in another order).")


def _markdown_side(row: AlignedRow, side: str) -> str:
    if row.kind not in _DIFF_ROWS or not row.diff:
        return markdown_escape(row.left_text if side == "left" else row.right_text)
    return "".join(_markdown_mark(words, _MARKDOWN_MARKS[mark]) if mark else markdown_escape(words)
                   for words, mark in word_runs(row.diff, side))


def _markdown_article(label: str, article: Article) -> str:
    details = [markdown_escape(value) for value in (article.id, article.source, article.date) if value]
    if article.agencies:
        details.append(markdown_escape(", ".join(article.agencies)))
    title = markdown_escape(article.title) or "(untitled)"
    return f"- **{label}:** {title} ({' · '.join(details)})"


def write_compare_markdown(diff: FactDiff) -> str:
    lines = [f"<!-- {COMPARE_SCHEMA}: written by dedup compare -->", "# dedup compare", "",
             _markdown_article("◀ left", diff.left), _markdown_article("▶ right", diff.right),
             *(["", f"**{markdown_escape(diff.language_note)}**"] if diff.language_note else []),
             "", "Legend: " + " · ".join(f"{KIND_SYMBOLS[RowKind(kind)]} {KIND_LABELS[RowKind(kind)]} ({count})"
                                         for kind, count in diff.summary.items()),
             *(["", _MARKDOWN_WORDS_LEGEND] if not diff.language_note else []), "",
             "| kind | left | right |", "|---|---|---|"]
    for row in diff.rows:
        kind = f"{KIND_SYMBOLS[row.kind]} {KIND_LABELS[row.kind]}"
        kind += "".join(f"<br>{markdown_escape(conflict)}" for conflict in row.conflicts)
        lines.append(f"| {kind} | {_markdown_side(row, 'left')} | {_markdown_side(row, 'right')} |")
    if diff.atoms:
        lines += ["", "## Atoms", "", "| type | status | value | left | right |", "|---|---|---|---|---|"]
        for atom in atoms_sorted(diff):
            lines.append(
                f"| {markdown_escape(atom.type)} | {ATOM_SYMBOLS[atom.status]} {ATOM_LABELS[atom.status]} | "
                f"{markdown_escape(display_value(atom))} | {'<br>'.join(map(markdown_escape, atom.left))} | "
                f"{'<br>'.join(map(markdown_escape, atom.right))} |"
            )
    counts = atom_counts(diff)
    lines += ["", "Atoms: " + " · ".join(f"{ATOM_SYMBOLS[AtomStatus(status)]} {ATOM_LABELS[AtomStatus(status)]} ({count})"
                                         for status, count in counts.items())]
    return "\n".join(lines) + "\n"


# --- HTML ------------------------------------------------------------------------------------

_HTML_STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #222; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
td, th { border: 1px solid #ddd; padding: .4rem .6rem; vertical-align: top; text-align: left; }
td.left, td.right, th.left, th.right { width: 48%; }
td.kind { text-align: center; font-weight: bold; width: 2rem; }
tr.shared td { background: #f1f8f1; color: #555; }
tr.paraphrase td.kind { background: #fff4c2; }
tr.conflict td { background: #fdecec; } tr.conflict td.kind { color: #b00; }
tr.left_only td.left, tr.left_only td.kind { background: #e6f7fb; }
tr.heading td { font-weight: bold; background: #f4f4f4; }
span[class^="kind-"] { padding: .1em .5em; border-radius: .3em; }
span.kind-shared { background: #f1f8f1; } span.kind-paraphrase { background: #fff4c2; }
span.kind-conflict { background: #fdecec; } span.kind-left_only { background: #e6f7fb; }
span.kind-right_only { background: #f7e9f7; } span.kind-heading { background: #f4f4f4; font-weight: bold; }
tr.right_only td.right, tr.right_only td.kind { background: #f7e9f7; }
mark.only-left { background: #b3e5f2; color: inherit; padding: 0 .1em; border-radius: .2em; }
mark.only-right { background: #f0c6f0; color: inherit; padding: 0 .1em; border-radius: .2em; }
span.equivalent { font-style: italic; border-bottom: 1px dotted #777; }
ul.conflicts { margin: .2rem 0 0 0; color: #b00; }
.meta { color: #666; font-size: .9em; }
p.languages { font-weight: bold; }
.status-shared { color: #2a7a2a; } .status-left_only { color: #0a7d95; }
.status-right_only { color: #8e2a8e; } .status-conflict { color: #b00; font-weight: bold; }
""".strip()


_HTML_WORDS_LEGEND = ('Words: <mark class="only-left">only in the left report</mark>, '
                      '<mark class="only-right">only in the right report</mark>, '
                      '<span class="equivalent">the same word in another spelling or form</span> (Jänner/Januar); '
                      "plain words are in both reports, perhaps in another order.")


def _h(text: str | None) -> str:
    return html.escape(_flat(text))


def _html_side(row: AlignedRow, side: str) -> str:
    if row.kind not in _DIFF_ROWS or not row.diff:
        return _h(row.left_text if side == "left" else row.right_text)
    opening = {"only": f'<mark class="only-{side}">', "equivalent": '<span class="equivalent">'}
    closing = {"only": "</mark>", "equivalent": "</span>"}
    parts = []
    for words, mark in word_runs(row.diff, side):
        lead, core, trail = _split_space(words)
        if mark and core:
            parts.append(f"{html.escape(lead)}{opening[mark]}{html.escape(core)}{closing[mark]}{html.escape(trail)}")
        else:
            parts.append(html.escape(words))
    return "".join(parts)


def _html_article(symbol: str, article: Article) -> str:
    details = " · ".join(_h(value) for value in (article.id, article.source, article.date,
                                                 ", ".join(article.agencies)) if value)
    return f'{symbol} {_h(article.title) or "(untitled)"}<div class="meta">{details}</div>'


def _html_rows(diff: FactDiff) -> list[str]:
    lines = ['<table class="rows">',
             f'<tr><th class="left">{_html_article("◀", diff.left)}</th><th></th>'
             f'<th class="right">{_html_article("▶", diff.right)}</th></tr>']
    for row in diff.rows:
        conflicts = ""
        if row.conflicts:
            items = "".join(f"<li>{_h(conflict)}</li>" for conflict in row.conflicts)
            conflicts = f'<ul class="conflicts">{items}</ul>'
        lines.append(
            f'<tr class="{row.kind.value}"><td class="left">{_html_side(row, "left")}{conflicts}</td>'
            f'<td class="kind" title="{KIND_LABELS[row.kind]}">{html.escape(KIND_SYMBOLS[row.kind])}</td>'
            f'<td class="right">{_html_side(row, "right")}</td></tr>'
        )
    lines.append("</table>")
    return lines


def _html_atoms(diff: FactDiff) -> list[str]:
    lines = ["<h2>Atoms</h2>", '<table class="atoms">',
             "<tr><th>type</th><th>status</th><th>value</th><th>◀ left</th><th>▶ right</th></tr>"]
    for atom in atoms_sorted(diff):
        status = atom.status.value
        lines.append(
            f'<tr><td>{_h(atom.type)}</td><td class="status-{status}">{ATOM_SYMBOLS[atom.status]} '
            f"{ATOM_LABELS[atom.status]}</td><td>{_h(display_value(atom))}</td>"
            f"<td>{'<br>'.join(map(_h, atom.left))}</td><td>{'<br>'.join(map(_h, atom.right))}</td></tr>"
        )
    lines.append("</table>")
    return lines


def write_compare_html(diff: FactDiff) -> str:
    kinds = " · ".join(f'<span class="kind-{RowKind(kind).value}">{KIND_SYMBOLS[RowKind(kind)]} '
                       f"{KIND_LABELS[RowKind(kind)]} ({count})</span>" for kind, count in diff.summary.items())
    atoms = " · ".join(f'<span class="status-{status}">{ATOM_SYMBOLS[AtomStatus(status)]} '
                       f"{ATOM_LABELS[AtomStatus(status)]} ({count})</span>" for status, count in atom_counts(diff).items())
    title = f"dedup compare: {_h(diff.left.title or diff.left.id)} ↔ {_h(diff.right.title or diff.right.id)}"
    lines = ["<!DOCTYPE html>", '<html lang="de">', "<head>", '<meta charset="utf-8">',
             f'<meta name="generator" content="{COMPARE_SCHEMA}">', f"<title>{title}</title>",
             f"<style>\n{_HTML_STYLE}\n</style>", "</head>", "<body>", "<h1>dedup compare</h1>",
             *([f'<p class="languages">{_h(diff.language_note)}</p>'] if diff.language_note else []),
             f'<p class="legend">Rows: {kinds}<br>Atoms: {atoms}{"" if diff.language_note else "<br>" + _HTML_WORDS_LEGEND}</p>']
    lines += _html_rows(diff)
    if diff.atoms:
        lines += _html_atoms(diff)
    lines += ["</body>", "</html>"]
    return "\n".join(lines) + "\n"
