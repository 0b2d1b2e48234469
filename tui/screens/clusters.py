"""The clusters screen: every cluster of the corpus in a sortable, filterable table (its
headline first), the members of the highlighted one below it, and decisions on whole
clusters, with undo.

The tables are laid out for 80 columns and wider: headline, relation with its score, size
and decision come first and always fit; outlets and dates join them from WIDE columns on
(the members table below shows each member's outlet and date in any case), as does the
members' id column.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from dedup.io.safe_text import one_line
from dedup.io.writers import outlet, score_range, similarity_range
from dedup.model import Article, Cluster
from tui.corpus import Corpus, shown_path

# Sort orders the `o` key cycles through: (label, key function, largest first).
SORTS = (
    ("size", lambda c: len(c.members), True),
    ("relation", lambda c: c.relation.looseness, False),
    ("id", lambda c: int(c.id[1:]) if c.id[1:].isdigit() else 0, False),
)
RELATION_STYLES = {"copy": "yellow", "duplicate": "bold red", "story": "cyan"}
# Column widths in characters; the headline (or a member's title) takes what the screen
# leaves, at least TITLE_MIN.
WIDTHS = {"match": 17, "size": 4, "decision": 14, "outlets": 16, "dates": 11}
MEMBER_WIDTHS = {"mark": 1, "outlet": 14, "date": 10, "id": 24}
TITLE_MIN = 20
# From this screen width on, the clusters table shows outlets and dates, the members table ids.
WIDE = 110
# Each column's padding (one cell each side), plus the table's border and scroll bar.
_PADDING, _FRAME = 2, 4
# Words of a member's text that stand in for a missing title.
_HEADLINE_WORDS = 10


class RowTable(DataTable):
    """A table whose Home and End go to the first and last row (DataTable's own go to the
    first and last column, which a row cursor does not use)."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Compare", show=True),
        Binding("home", "first_row", "First", show=False),
        Binding("end", "last_row", "Last", show=False),
    ]

    def action_first_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=0)

    def action_last_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=self.row_count - 1)


class ClustersScreen(Screen):
    BINDINGS = [
        Binding("enter", "compare", "Compare", show=False),  # the tables' own Enter shows in the footer
        Binding("space", "mark", "Mark", show=False),
        Binding("slash", "filter", "Filter", show=True),
        Binding("o", "sort", "Sort", show=False),
        Binding("d", "decide('duplicate')", "Dup.", show=True),
        Binding("y", "decide('same_story')", "Same", show=True),
        Binding("x", "decide('different')", "Diff.", show=True),
        Binding("i", "decide('ignore')", "Ignore", show=False),
        Binding("u", "undo", "Undo", show=True),
        Binding("c", "clear", "Clear", show=False),
        Binding("tab", "app.focus_next", "Switch table", show=False),
        Binding("question_mark", "app.help", "Help", show=True),
        Binding("q", "app.quit", "Quit", show=True),
    ]

    def __init__(self, corpus: Corpus) -> None:
        super().__init__()
        self.corpus = corpus
        self.sort_index = 0
        self.marked: list[str] = []
        self.shown: list[Cluster] = list(corpus.clusters)
        self.filter_text = ""
        self._width = 0  # the screen width the tables were laid out for

    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="title")
        yield Input(placeholder="filter as you type: words of a title, an outlet or an id (Esc leaves)", id="filter")
        with Vertical(id="tables"):
            yield RowTable(id="clusters", cursor_type="row", zebra_stripes=True)
            yield Static("", id="members-title")
            yield RowTable(id="members", cursor_type="row")
        yield Footer(show_command_palette=False)  # room for the keys at 80 columns; Ctrl+P still opens it

    def on_mount(self) -> None:
        self.query_one("#filter", Input).display = False
        self._fill()
        self.query_one("#clusters", DataTable).focus()

    def on_resize(self) -> None:
        if self.size.width != self._width:
            self._fill(keep_cursor=True)

    def _columns(self, widths: dict[str, int], narrow_out: tuple[str, ...]) -> tuple[dict[str, int], int]:
        """The columns shown at this screen width, and what is left for the title column."""
        shown = {name: width for name, width in widths.items() if self.size.width >= WIDE or name not in narrow_out}
        left = self.size.width - sum(shown.values()) - _PADDING * (len(shown) + 1) - _FRAME
        return shown, max(TITLE_MIN, left)

    def _title(self) -> Text:
        count = len(self.corpus.clusters)
        shown = f"{len(self.shown)} of {count} clusters shown" if len(self.shown) != count else _plural(count, "cluster")
        text = Text(f"dedup review · {_plural(len(self.corpus.articles), 'document')} · {shown}", style="bold")
        path = one_line(shown_path(self.corpus.decisions_path))
        text.append(f"\ndecisions: {path}  (dedup check --baseline reads it)", style="dim")
        return text

    # --- the tables -------------------------------------------------------------------

    def _fill(self, keep_cursor: bool = False) -> None:
        table = self.query_one("#clusters", DataTable)
        row = table.cursor_row
        self._width = self.size.width
        columns, headline = self._columns(WIDTHS, ("outlets", "dates"))
        table.clear(columns=True)
        table.add_column("Headline", width=headline, key="headline")
        for name, label in (("match", "Relation · score"), ("size", "Docs"), ("decision", "Decision"), ("outlets", "Outlets"),
                            ("dates", "Dates")):
            if name in columns:
                table.add_column(label, width=columns[name], key=name)
        label, key, reverse = SORTS[self.sort_index]
        self.shown.sort(key=key, reverse=reverse)
        for cluster in self.shown:
            cells = self._cluster_cells(cluster, headline)
            table.add_row(*(cells[name] for name in ("headline", *columns)), key=cluster.id)
        table.border_title = f"clusters by {label} · P same-event probability · J shared word sequences (Jaccard)"
        if keep_cursor and row is not None and self.shown:
            table.move_cursor(row=min(row, len(self.shown) - 1))
        if not self.shown:
            message = "no clusters" if not self.corpus.clusters else "no cluster matches the filter"
            self.query_one("#members-title", Static).update(Text(message, style="dim"))
        self._fill_members()

    def _cluster_cells(self, cluster: Cluster, headline: int) -> dict[str, Text]:
        articles = [self.corpus.articles.get(member) for member in cluster.members]
        sources = sorted({outlet(article) for article in articles if article and outlet(article)})
        dates = sorted({article.date[:10] for article in articles if article and article.date})
        story = score_range(cluster)
        score = f"P {story}" if story else f"J {similarity_range(cluster)}"  # as `dedup scan` shows each relation
        match = Text(f"{cluster.relation.value} ", style=RELATION_STYLES[cluster.relation.value])
        match.append(score)
        return {
            "headline": Text(one_line(self.headline(cluster), headline)),
            "match": match,
            "size": Text(str(len(cluster.members)), justify="right"),
            "decision": self._decision_cell(cluster),
            "outlets": Text(one_line(", ".join(sources), WIDTHS["outlets"]) or "–"),
            "dates": Text(_date_range(dates)),
        }

    def headline(self, cluster: Cluster) -> str:
        """The title of the cluster's most central member (the one its pairs weigh most on),
        or the first words of its text when it has no title."""
        weight = dict.fromkeys(cluster.members, 0.0)
        for pair in cluster.pairs:
            strength = pair.evidence.score if pair.evidence is not None else pair.similarity
            for member in (pair.a, pair.b):
                if member in weight:
                    weight[member] += strength
        central = max(cluster.members, key=lambda member: weight[member])  # max keeps the first of equals
        ordered = [central] + [member for member in cluster.members if member != central]
        for member in ordered:
            article = self.corpus.articles.get(member)
            if article and article.title and article.title.strip():
                return article.title
        article = self.corpus.articles.get(central)
        return " ".join(article.text.split()[:_HEADLINE_WORDS]) + " …" if article and article.text else central

    def _decision_cell(self, cluster: Cluster) -> Text:
        decided, pairs = self.decided_pairs(cluster)
        if not decided:
            return Text("")
        kinds = {decision.decision for decision in decided.values()}
        if len(decided) == pairs:
            return Text(kinds.pop().replace("_", " ") if len(kinds) == 1 else "mixed", style="bold")
        return Text(f"{len(decided)} of {_plural(pairs, 'pair')}", style="bold dim")

    def decided_pairs(self, cluster: Cluster) -> tuple[dict, int]:
        """(pair -> its latest decision, for the decided pairs; the number of pairs)."""
        count = len(cluster.members)
        return self.corpus.decisions.pair_decisions(cluster.members), count * (count - 1) // 2

    def current_cluster(self) -> Cluster | None:
        table = self.query_one("#clusters", DataTable)
        if not self.shown or table.cursor_row is None or table.cursor_row >= len(self.shown):
            return None
        return self.shown[table.cursor_row]

    def _fill_members(self) -> None:
        cluster = self.current_cluster()
        table = self.query_one("#members", DataTable)
        table.clear(columns=True)
        if cluster is None:
            return
        columns, width = self._columns(MEMBER_WIDTHS, ("id",))
        table.add_column("", width=1, key="mark")
        table.add_column("Title", width=width, key="title")
        for name, label in (("outlet", "Outlet"), ("date", "Date"), ("id", "Id")):
            if name in columns:
                table.add_column(label, width=columns[name], key=name)
        self.marked = [member for member in self.marked if member in cluster.members]
        decided, pairs = self.decided_pairs(cluster)
        title = Text(f"{cluster.id}: {len(cluster.members)} members, {len(decided)} of {_plural(pairs, 'pair')} decided",
                     style="bold")
        title.append("   Space marks two; Enter compares them (else the first undecided pair)", style="dim")
        self.query_one("#members-title", Static).update(title)
        for member in cluster.members:
            article = self.corpus.articles.get(member)
            cells = {
                "mark": Text("✓" if member in self.marked else " ", style="bold green"),
                "title": self._member_title(member, article, width),
                "outlet": Text(one_line(outlet(article) if article else "", MEMBER_WIDTHS["outlet"])),
                "date": Text((article.date or "")[:10] if article else ""),
                "id": Text(one_line(member, MEMBER_WIDTHS["id"])),
            }
            table.add_row(*(cells[name] for name in ("mark", "title", *(name for name in columns if name != "mark"))),
                          key=member)

    def _member_title(self, member: str, article: Article | None, width: int) -> Text:
        """The title, with a dim "(stub)" for a page too short to judge once its site's
        furniture is out."""
        stub = member in self.corpus.stubs
        room = width - (7 if stub else 0)
        if article and article.title and article.title.strip():
            title = Text(one_line(article.title, room))
        else:  # untitled: its id, dim, rather than a blank row
            title = Text(one_line(member, room), style="dim italic")
        if stub:
            title.append(" (stub)", style="dim italic")
        return title

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "clusters":
            self._fill_members()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter, on a cluster or on one of its members, compares (see action_compare)."""
        self.action_compare()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        labels = {"size": 0, "match": 1, "headline": 2}
        if event.data_table.id == "clusters" and event.column_key.value in labels:
            self.sort_index = labels[event.column_key.value]
            self._fill()

    # --- filter and sort --------------------------------------------------------------

    def action_sort(self) -> None:
        self.sort_index = (self.sort_index + 1) % len(SORTS)
        self._fill()
        self.notify(f"sorted by {SORTS[self.sort_index][0]}", timeout=2)

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self.apply_filter(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one("#clusters", DataTable).focus()

    def key_escape(self) -> None:
        box = self.query_one("#filter", Input)
        if box.has_focus:
            box.display = bool(box.value)  # an active filter stays in sight
            self.query_one("#clusters", DataTable).focus()

    def apply_filter(self, text: str) -> None:
        self.filter_text = text
        needle = text.strip().casefold()
        self.shown = [cluster for cluster in self.corpus.clusters if not needle or self._matches(cluster, needle)]
        self.query_one("#title", Static).update(self._title())
        self._fill()

    def _matches(self, cluster: Cluster, needle: str) -> bool:
        for member in cluster.members:
            article = self.corpus.articles.get(member)
            fields = [member, cluster.id, cluster.relation.value] + ([article.title or "", article.source or ""] if article else [])
            if any(needle in field.casefold() for field in fields):
                return True
        return False

    # --- comparing --------------------------------------------------------------------

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
        pair = self.marked if len(self.marked) == 2 else self.next_undecided_pair(cluster) or cluster.members[:2]
        self.app.open_comparison(pair[0], pair[1])

    def next_undecided_pair(self, cluster: Cluster) -> list[str] | None:
        """The first pair of members, in member order, that no decision covers."""
        decided, _ = self.decided_pairs(cluster)
        for position, a in enumerate(cluster.members):
            for b in cluster.members[position + 1:]:
                if frozenset((a, b)) not in decided:
                    return [a, b]
        return None

    # --- decisions --------------------------------------------------------------------

    def action_decide(self, decision: str) -> None:
        cluster = self.current_cluster()
        if cluster is not None:
            self.app.record_decision(tuple(cluster.members), decision, cluster.relation.value, then=self.move_on)

    def action_undo(self) -> None:
        self.app.undo_decision(then=self._refresh)

    def action_clear(self) -> None:
        cluster = self.current_cluster()
        if cluster is not None:
            self.app.clear_decisions(cluster.members, then=self._refresh)

    def _refresh(self) -> None:
        self._fill(keep_cursor=True)

    def move_on(self) -> None:
        """After a decision: the cursor goes to the next cluster with an undecided pair."""
        self._fill(keep_cursor=True)
        self._move_to(lambda cluster: self.next_undecided_pair(cluster) is not None)

    def after_pair_decision(self) -> None:
        """Back from a pair decided in the comparison: the next undecided pair of the same
        cluster is marked for Enter, or the cursor moves to the next undecided cluster."""
        self.marked = []
        self._fill(keep_cursor=True)
        cluster = self.current_cluster()
        pair = self.next_undecided_pair(cluster) if cluster else None
        if pair:
            self.marked = pair
            self._fill_members()
            self.notify("Enter compares the next undecided pair of this cluster", timeout=3)
        else:
            self._move_to(lambda candidate: self.next_undecided_pair(candidate) is not None)

    def _move_to(self, wanted: Callable[[Cluster], bool]) -> None:
        table = self.query_one("#clusters", DataTable)
        start = table.cursor_row or 0
        for step in range(len(self.shown)):
            position = (start + step) % len(self.shown)
            if wanted(self.shown[position]):
                table.move_cursor(row=position)
                return
        self.notify("every cluster shown is decided", timeout=3)


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def _date_range(dates: list[str]) -> str:
    """"2021-12-30", or the range of a cluster's dates as compactly as it reads: "12-30–12-31"
    within a year, "2020–2021" across years; "–" without dates."""
    if not dates:
        return "–"
    first, last = dates[0], dates[-1]
    if first == last:
        return first
    if first[:4] == last[:4] and len(first) == len(last) == 10:
        return f"{first[5:]}–{last[5:]}"
    return f"{first[:4]}–{last[:4]}"
