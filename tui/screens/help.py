"""The help screen: every key, grouped by screen."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = (
    ("Clusters", (
        ("↑ ↓", "move between clusters"), ("Tab", "switch between clusters and members"),
        ("Enter", "compare two members (marked, else the first undecided pair)"), ("Space", "mark a member to compare"),
        ("Home / End", "first / last cluster (PgUp / PgDn: a page)"),
        ("/", "filter as you type: words of a title, an outlet or an id"), ("o", "sort: size, relation, id (or click a header)"),
        ("Score", "P: probability that two reports tell one event; J: Jaccard of the copies' word sequences"),
        ("Headline", "the title of the member the cluster's pairs weigh most on"),
    )),
    ("Comparison", (
        ("n / N", "next / previous difference"), ("] / [", "next / previous unique fact"),
        ("f", "filter: all, differences, unique, conflicts"), ("z", "fold or open runs of shared rows"),
        ("s", "swap the sides"), ("a", "show or hide the atoms (hidden below 100 columns)"), ("e", "export to Markdown, asking where (HTML and JSON in the command palette)"),
        ("q / Esc", "back to the clusters"),
    )),
    ("Decisions (saved at once to the file named at the top)", (
        ("d", "duplicate"), ("y", "same story"), ("x", "different"), ("i", "ignore"),
        ("", "on a cluster: all its members (asked first when more than two); in a comparison: the pair"),
        ("u", "undo the last change of this session"), ("c", "clear the highlighted cluster's decisions"),
    )),
    ("Everywhere", (("Ctrl+P", "command palette"), ("?", "this help"), ("q", "back, or quit on the clusters screen"))),
)
LEGEND = (("=", "green", "shared"), ("≈", "yellow", "paraphrase"), ("!", "bold red", "conflict"),
          ("◀", "cyan", "left only"), ("▶", "magenta", "right only"))


class HelpScreen(ModalScreen):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(Text("dedup review: keys", style="bold"))
            for title, keys in KEYS:
                table = Table(title=title, title_justify="left", show_header=False, box=None, padding=(0, 2))
                table.add_column(style="bold cyan", no_wrap=True)
                table.add_column()
                for key, what in keys:
                    table.add_row(key, what)
                yield Static(table)
            legend = Text("Rows: ")
            for symbol, style, label in LEGEND:
                legend.append(symbol, style=style)
                legend.append(f" {label}   ")
            yield Static(legend)
            yield Static(Text("Esc, q or ? closes this help.", style="dim"))
