"""The comparison screen: two reports in aligned rows that scroll together, the legend with
counts, the atoms in a sidebar, and navigation from difference to difference.

Rows come from `dedup.compare` (computed in a worker); the cells are the same Rich Text
the `dedup compare` table prints, so article text is never read as markup.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, LoadingIndicator, Static

from dedup.io.compare_render import (
    ATOM_STYLES,
    ATOM_SYMBOLS,
    KIND_STYLES,
    KIND_SYMBOLS,
    article_header,
    atoms_sorted,
    display_value,
    legend,
    row_cells,
)
from dedup.io.safe_text import one_line
from dedup.model import Article, FactDiff, RowKind, UserProblem

FILTERS = ("all", "differences", "unique", "conflicts")
# Below this many columns the atoms sidebar is hidden until asked for (`a`).
NARROW = 100
_SHOWN_BY_FILTER = {
    "all": set(RowKind),
    "differences": {RowKind.PARAPHRASE, RowKind.CONFLICT, RowKind.LEFT_ONLY, RowKind.RIGHT_ONLY},
    "unique": {RowKind.LEFT_ONLY, RowKind.RIGHT_ONLY},
    "conflicts": {RowKind.CONFLICT},
}
_DIFFERENCES = _SHOWN_BY_FILTER["differences"]
_UNIQUE = _SHOWN_BY_FILTER["unique"]


class RowView(Horizontal):
    """One aligned row: the kind's symbol, the left text, the right text."""

    def __init__(self, number: int, kind: RowKind | None, left: Text, right: Text) -> None:
        super().__init__(classes="row " + (kind.value if kind else "fold"))
        self.number = number
        self.kind = kind
        self._cells = (Text(KIND_SYMBOLS[kind], style=KIND_STYLES[kind]) if kind else Text("⋯", style="dim"), left, right)

    def compose(self) -> ComposeResult:
        symbol, left, right = self._cells
        yield Static(symbol, classes="symbol")
        yield Static(left, classes="side left")
        yield Static(right, classes="side right")


class CompareScreen(Screen):
    BINDINGS = [
        Binding("n", "next('difference')", "Next diff", show=True),
        Binding("N", "previous('difference')", "Prev diff", show=False),
        Binding("right_square_bracket", "next('unique')", "Unique", show=True),
        Binding("left_square_bracket", "previous('unique')", "Prev unique", show=False),
        Binding("f", "cycle_filter", "Filter", show=True),
        Binding("z", "toggle_fold", "Fold", show=True),
        Binding("s", "swap", "Swap", show=False),
        Binding("a", "toggle_atoms", "Atoms", show=True),
        Binding("e", "export('markdown')", "Export", show=True),
        Binding("d", "decide('duplicate')", "Duplicate", show=False),
        Binding("y", "decide('same_story')", "Same story", show=False),
        Binding("x", "decide('different')", "Different", show=False),
        Binding("i", "decide('ignore')", "Ignore", show=False),
        Binding("u", "undo", "Undo", show=False),
        Binding("question_mark", "app.help", "Help", show=True),
        Binding("q", "back", "Back", show=True),
        Binding("escape", "back", "Back", show=False),
    ]

    def __init__(self, left: Article, right: Article) -> None:
        super().__init__()
        self.left, self.right = left, right
        self.diff: FactDiff | None = None
        self.filter = "all"
        self.folded = True
        self.current = -1  # index into the shown rows of the row the cursor is on
        self.atoms_shown: bool | None = None  # None: shown when the screen is wide enough

    def compose(self) -> ComposeResult:
        with Horizontal(id="headers"):
            yield Static(article_header(self.left, "◀"), classes="header left")
            yield Static(article_header(self.right, "▶"), classes="header right")
        yield Static(Text("comparing…", style="dim"), id="legend")
        with Horizontal(id="body"):
            yield LoadingIndicator(id="loading")
            yield VerticalScroll(id="rows")
            yield VerticalScroll(id="atoms")
        yield Footer(show_command_palette=False)  # room for the keys at 80 columns; Ctrl+P still opens it

    def on_mount(self) -> None:
        self.query_one("#rows").display = False
        self._place_atoms()
        self.compare_reports()

    @work(thread=True, exclusive=True)
    def compare_reports(self) -> None:
        from dedup.facts.compare import (
            compare,  # the comparer loads its tables on first use
        )

        try:
            diff = compare(self.left, self.right)
        except UserProblem as problem:  # a report over compare's size limit
            self.app.call_from_thread(self.refuse, str(problem))
            return
        self.app.call_from_thread(self.show, diff)

    def refuse(self, message: str) -> None:
        """Say why there is no comparison (as text: the message quotes an id) and go back."""
        self.query_one("#loading").display = False
        self.app.notify(one_line(message), severity="error", markup=False)
        self.dismiss()

    def show(self, diff: FactDiff) -> None:
        self.diff = diff
        self.query_one("#loading").display = False
        self.query_one("#rows").display = True
        self._render_rows()
        self._render_atoms()
        self.query_one("#rows").focus()

    # --- drawing ----------------------------------------------------------------------

    def _render_rows(self) -> None:
        if self.diff is None:
            return
        headers = self.query_one("#headers")
        left_header, right_header = headers.query(".header")
        left_header.update(article_header(self.diff.left, "◀"))
        right_header.update(article_header(self.diff.right, "▶"))
        status = legend(self.diff)
        if self.diff.language_note:  # said first: the rows read differently across languages
            status = Text(self.diff.language_note + "\n", style="bold") + status
        status.append(f"\nfilter: {self.filter}   shared runs {'folded' if self.folded else 'open'}", style="dim")
        self.query_one("#legend", Static).update(status)
        rows = self.query_one("#rows", VerticalScroll)
        rows.remove_children()
        views = []
        wanted = _SHOWN_BY_FILTER[self.filter]
        shown = [(number, row) for number, row in enumerate(self.diff.rows) if row.kind in wanted]
        position = 0
        while position < len(shown):
            number, row = shown[position]
            run_end = position
            while run_end < len(shown) and shown[run_end][1].kind is RowKind.SHARED:
                run_end += 1
            if self.folded and run_end - position >= 2:
                count = run_end - position
                views.append(RowView(number, None, Text(f"{count} shared rows (z unfolds)", style="dim italic"), Text("")))
                position = run_end
                continue
            left, right = row_cells(row)
            views.append(RowView(number, row.kind, left, right))
            position += 1
        if not views:
            views.append(RowView(0, None, Text(f"no {self.filter} rows", style="dim"), Text("")))
        rows.mount_all(views)
        self.current = -1

    def _render_atoms(self) -> None:
        sidebar = self.query_one("#atoms", VerticalScroll)
        sidebar.remove_children()
        text = Text("Atoms\n", style="bold")
        last_type = None
        for atom in atoms_sorted(self.diff):
            if atom.type != last_type:
                text.append(f"{atom.type}\n", style="bold dim")
                last_type = atom.type
            style = ATOM_STYLES[atom.status]
            text.append(f" {ATOM_SYMBOLS[atom.status]} ", style=style)
            text.append(one_line(display_value(atom), 60) + "\n", style=style)
        text.append("\n= both  ◀ left  ▶ right  ! conflict", style="dim")
        sidebar.mount(Static(text))

    def row_views(self) -> list[RowView]:
        return list(self.query(RowView))

    # --- navigation -------------------------------------------------------------------

    def _move(self, step: int, kinds: set[RowKind], what: str) -> None:
        views = self.row_views()
        position = self.current + step
        while 0 <= position < len(views):
            if views[position].kind in kinds:
                self._select(views, position)
                return
            position += step
        self.notify(f"no {'next' if step > 0 else 'previous'} {what}", severity="warning", timeout=2)

    def _select(self, views: list[RowView], position: int) -> None:
        if 0 <= self.current < len(views):
            views[self.current].remove_class("current")
        self.current = position
        views[position].add_class("current")
        self.query_one("#rows", VerticalScroll).scroll_to_widget(views[position], animate=False, top=True)

    def action_next(self, what: str) -> None:
        self._move(1, _DIFFERENCES if what == "difference" else _UNIQUE, what)

    def action_previous(self, what: str) -> None:
        self._move(-1, _DIFFERENCES if what == "difference" else _UNIQUE, what)

    def action_cycle_filter(self) -> None:
        self.filter = FILTERS[(FILTERS.index(self.filter) + 1) % len(FILTERS)]
        self._render_rows()

    def action_toggle_fold(self) -> None:
        self.folded = not self.folded
        self._render_rows()

    def action_swap(self) -> None:
        if self.diff is not None:
            self.diff = self.diff.mirrored()
            self.left, self.right = self.right, self.left
            self._render_rows()
            self._render_atoms()

    def action_export(self, output_format: str) -> None:
        if self.diff is not None:
            self.app.export_comparison(self.diff, output_format)

    def action_decide(self, decision: str) -> None:
        self.app.record_decision((self.left.id, self.right.id), decision, None, then=self._decided)

    def _decided(self) -> None:
        """Back to the clusters, where the next undecided pair waits (see ClustersScreen)."""
        self.app.pop_screen()
        move_on = getattr(self.app.screen, "after_pair_decision", None)
        if move_on is not None:
            move_on()

    def action_undo(self) -> None:
        self.app.undo_decision()

    def on_resize(self) -> None:
        self._place_atoms()

    def _place_atoms(self) -> None:
        """The atoms sidebar takes a third of an 80-column screen: there it waits for `a`."""
        shown = self.atoms_shown if self.atoms_shown is not None else self.size.width >= NARROW
        self.query_one("#atoms").display = shown

    def action_toggle_atoms(self) -> None:
        self.atoms_shown = not self.query_one("#atoms").display
        self._place_atoms()

    def action_back(self) -> None:
        self.app.pop_screen()
