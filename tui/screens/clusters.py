"""The clusters screen: every cluster of the corpus in a sortable, filterable table, the
members of the highlighted one below it, and decisions on whole clusters."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from dedup.io.safe_text import one_line
from dedup.io.writers import score_range, similarity_range
from dedup.model import Cluster
from tui.corpus import Corpus

DECISION_KEYS = {"d": "duplicate", "y": "same_story", "x": "different", "i": "ignore"}
# Sort orders the `o` key cycles through: (label, key function, largest first).
SORTS = (
    ("size", lambda c: len(c.members), True),
    ("relation", lambda c: c.relation.looseness, False),
    ("id", lambda c: int(c.id[1:]) if c.id[1:].isdigit() else 0, False),
)


class ClustersScreen(Screen):
    BINDINGS = [
        Binding("enter", "compare", "Compare", show=True),
        Binding("space", "mark", "Mark member", show=True),
        Binding("slash", "filter", "Filter", show=True),
        Binding("o", "sort", "Sort", show=True),
        Binding("d", "decide('duplicate')", "Duplicate", show=True),
        Binding("y", "decide('same_story')", "Same story", show=True),
        Binding("x", "decide('different')", "Different", show=True),
        Binding("i", "decide('ignore')", "Ignore", show=False),
        Binding("tab", "focus_next", "Switch table", show=False),
        Binding("question_mark", "app.help", "Help", show=True),
        Binding("q", "app.quit", "Quit", show=True),
    ]

    def __init__(self, corpus: Corpus) -> None:
        super().__init__()
        self.corpus = corpus
        self.sort_index = 0
        self.marked: list[str] = []
        self.shown: list[Cluster] = list(corpus.clusters)

    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="title")
        yield Input(placeholder="filter: id, title or source (Enter to apply, Esc to leave)", id="filter")
        with Vertical(id="tables"):
            yield DataTable(id="clusters", cursor_type="row", zebra_stripes=True)
            yield Static("", id="members-title")
            yield DataTable(id="members", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        clusters = self.query_one("#clusters", DataTable)
        clusters.add_columns("Cluster", "Relation", "Size", "Sources", "Dates", "Score", "Decision")
        members = self.query_one("#members", DataTable)
        members.add_columns("", "Id", "Title", "Source", "Date")
        self.query_one("#filter", Input).display = False
        self._fill()
        clusters.focus()

    def _title(self) -> Text:
        count = len(self.corpus.clusters)
        text = Text(f"dedup review · {len(self.corpus.articles):,} documents · {count} clusters", style="bold")
        text.append(f"   decisions: {one_line(self.corpus.decisions_path)}", style="dim")
        return text

    # --- the tables -------------------------------------------------------------------

    def _fill(self) -> None:
        table = self.query_one("#clusters", DataTable)
        table.clear()
        label, key, reverse = SORTS[self.sort_index]
        self.shown.sort(key=key, reverse=reverse)
        for cluster in self.shown:
            table.add_row(*self._cluster_cells(cluster), key=cluster.id)
        table.border_title = f"clusters, by {label}"
        if not self.shown:
            self.query_one("#members-title", Static).update(Text("no clusters" if not self.corpus.clusters else "no cluster matches the filter", style="dim"))
        self._fill_members()

    def _cluster_cells(self, cluster: Cluster) -> list[Text]:
        articles = [self.corpus.articles.get(member) for member in cluster.members]
        sources = sorted({one_line(article.source) for article in articles if article and article.source})
        dates = sorted({article.date[:10] for article in articles if article and article.date})
        decision = self._decision(cluster.members)
        style = {"copy": "yellow", "duplicate": "bold red", "story": "cyan"}[cluster.relation.value]
        story = score_range(cluster)
        score = f"P {story}" if story else f"J {similarity_range(cluster)}"  # story probability, or copy Jaccard
        return [
            Text(cluster.id),
            Text(cluster.relation.value, style=style),
            Text(str(len(cluster.members)), justify="right"),
            Text(one_line(", ".join(sources), 30) or "–"),
            Text(f"{dates[0]} – {dates[-1]}" if len(dates) > 1 else (dates[0] if dates else "–")),
            Text(score),
            Text(decision or "", style="bold"),
        ]

    def _decision(self, members: list[str]) -> str | None:
        decisions = self.corpus.decisions
        found = {decisions.about(a, b) for position, a in enumerate(members) for b in members[position + 1 :]}
        found.discard(None)
        if not found:
            return None
        latest = max(found, key=lambda decision: decision.at)
        return latest.decision.replace("_", " ")

    def current_cluster(self) -> Cluster | None:
        table = self.query_one("#clusters", DataTable)
        if not self.shown or table.cursor_row is None or table.cursor_row >= len(self.shown):
            return None
        return self.shown[table.cursor_row]

    def _fill_members(self) -> None:
        cluster = self.current_cluster()
        table = self.query_one("#members", DataTable)
        table.clear()
        if cluster is None:
            return
        self.marked = [member for member in self.marked if member in cluster.members]
        title = Text(f"{cluster.id}: {len(cluster.members)} members", style="bold")
        title.append("   Space marks two to compare; Enter compares (the first two by default)", style="dim")
        self.query_one("#members-title", Static).update(title)
        for member in cluster.members:
            article = self.corpus.articles.get(member)
            table.add_row(
                Text("✓" if member in self.marked else " ", style="bold green"),
                Text(one_line(member, 48)),
                self._member_title(member, article),
                Text(one_line(article.source if article else "", 20)),
                Text((article.date or "")[:10] if article else ""),
                key=member,
            )

    def _member_title(self, member: str, article) -> Text:
        """The title, with a dim "stub" mark for a page too short to judge once its site's
        furniture is out."""
        title = Text(one_line(article.title if article else "", 60))
        if member in self.corpus.stubs:
            title.append(" (stub)", style="dim italic")
        return title

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "clusters":
            self._fill_members()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter, on a cluster or on one of its members, compares (see action_compare)."""
        self.action_compare()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        labels = {"Size": 0, "Relation": 1, "Cluster": 2}
        if event.data_table.id == "clusters" and str(event.label) in labels:
            self.sort_index = labels[str(event.label)]
            self._fill()

    # --- actions ----------------------------------------------------------------------

    def action_sort(self) -> None:
        self.sort_index = (self.sort_index + 1) % len(SORTS)
        self._fill()
        self.notify(f"sorted by {SORTS[self.sort_index][0]}")

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.apply_filter(event.value)
        self.query_one("#clusters", DataTable).focus()

    def key_escape(self) -> None:
        box = self.query_one("#filter", Input)
        if box.has_focus:
            box.display = False
            self.query_one("#clusters", DataTable).focus()

    def apply_filter(self, text: str) -> None:
        needle = text.strip().casefold()
        self.shown = [cluster for cluster in self.corpus.clusters if not needle or self._matches(cluster, needle)]
        self._fill()

    def _matches(self, cluster: Cluster, needle: str) -> bool:
        for member in cluster.members:
            article = self.corpus.articles.get(member)
            fields = [member, cluster.id, cluster.relation.value] + ([article.title or "", article.source or ""] if article else [])
            if any(needle in field.casefold() for field in fields):
                return True
        return False

    def action_mark(self) -> None:
        cluster = self.current_cluster()
        table = self.query_one("#members", DataTable)
        if cluster is None or not cluster.members:
            return
        member = cluster.members[min(table.cursor_row or 0, len(cluster.members) - 1)]
        if member in self.marked:
            self.marked.remove(member)
        else:
            self.marked = (self.marked + [member])[-2:]
        row = table.cursor_row
        self._fill_members()
        table.move_cursor(row=row)

    def action_compare(self) -> None:
        cluster = self.current_cluster()
        if cluster is None:
            return
        pair = self.marked if len(self.marked) == 2 else cluster.members[:2]
        self.app.open_comparison(pair[0], pair[1])

    def action_decide(self, decision: str) -> None:
        cluster = self.current_cluster()
        if cluster is None:
            return
        self.app.record_decision(tuple(cluster.members), decision, cluster.relation.value)
        row = self.query_one("#clusters", DataTable).cursor_row
        self._fill()
        self.query_one("#clusters", DataTable).move_cursor(row=row)
