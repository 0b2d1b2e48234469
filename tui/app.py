"""The review application: loads the corpus in a worker, then the clusters screen; a
comparison screen per pair; decisions saved the moment they are made."""

from __future__ import annotations

import os
import re
from collections.abc import Callable

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.widgets import Footer, LoadingIndicator, Static

from dedup.gate.decisions import Decisions
from dedup.io import compare_render, output_file
from dedup.io.safe_text import one_line
from dedup.model import FactDiff, UserProblem
from tui.corpus import Corpus, load_corpus, make_state_folder
from tui.dialogs import ConfirmDialog, SaveDialog
from tui.screens.clusters import ClustersScreen
from tui.screens.compare import CompareScreen
from tui.screens.help import HelpScreen

_EXPORTS = {"markdown": (".md", compare_render.write_compare_markdown), "html": (".html", compare_render.write_compare_html),
            "json": (".json", compare_render.write_compare_json)}


class ReviewApp(App):
    CSS_PATH = "review.tcss"
    TITLE = "dedup review"
    BINDINGS = [Binding("question_mark", "help", "Help"), Binding("q", "quit", "Quit")]

    def __init__(self, paths: list[str], decisions_path: str | None = None, corpus: Corpus | None = None,
                 semantic: bool = False) -> None:
        super().__init__()
        self.paths = paths
        self.decisions_path = decisions_path
        self.corpus = corpus
        self.semantic = semantic  # story mode weighs meaning too (`dedup review --semantic`)
        self.problem: str | None = None
        # The decisions as they were before each change of this session, for undo (u).
        self.history: list[list] = []

    def compose(self) -> ComposeResult:
        yield Static("reading the corpus…", id="status")
        yield LoadingIndicator()
        yield Footer()

    def on_mount(self) -> None:
        if self.corpus is not None:
            self.push_screen(ClustersScreen(self.corpus))
        else:
            self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        try:
            corpus = load_corpus(self.paths, self.decisions_path, lambda text: self.call_from_thread(self._status, text),
                                 semantic=self.semantic)
        except UserProblem as problem:
            self.call_from_thread(self._fail, str(problem))
            return
        except Exception as error:  # noqa: BLE001 -- never a traceback over the user's corpus
            self.call_from_thread(self._fail, f"internal error ({type(error).__name__}: {error}); "
                                              "please report it with the command you ran")
            return
        self.call_from_thread(self._loaded, corpus)

    def _status(self, text: str) -> None:
        self.query_one("#status", Static).update(f"{text}…")

    def _fail(self, message: str) -> None:
        self.problem = message
        self.exit(return_code=2)

    def _loaded(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.push_screen(ClustersScreen(corpus))
        if corpus.errors:
            self.notify(f"{len(corpus.errors)} input(s) could not be read; the rest is shown", severity="warning")

    # --- what the screens ask for -----------------------------------------------------

    def open_comparison(self, left_id: str, right_id: str) -> None:
        self.push_screen(CompareScreen(self.corpus.articles[left_id], self.corpus.articles[right_id]))

    def record_decision(self, members: tuple[str, ...], decision: str, relation: str | None,
                        then: Callable[[], None] = lambda: None) -> None:
        """Record a decision and save it; one that covers more than two documents is asked
        about first. `then` runs once it is saved (the screen moves on)."""
        if len(members) <= 2:
            self._decide(members, decision, relation, then)
            return
        pairs = len(members) * (len(members) - 1) // 2
        question = Text(f"Mark all {len(members)} documents ({pairs} pairs) as ", style="bold")
        question.append(decision.replace("_", " "), style="bold reverse")
        question.append("?")
        decided = len(self.corpus.decisions.pair_decisions(list(members)))
        if decided:
            question.append(f"\nThis replaces the decisions already made on {decided} of these pairs (u undoes it).",
                            style="yellow")

        def answered(yes: bool | None) -> None:
            if yes:
                self._decide(members, decision, relation, then)
            else:
                self.notify("no decision made", timeout=2)

        self.push_screen(ConfirmDialog(question), answered)

    def _decide(self, members: tuple[str, ...], decision: str, relation: str | None, then: Callable[[], None]) -> None:
        decisions: Decisions = self.corpus.decisions
        before = list(decisions.decisions)
        decisions.decide(members, decision, relation, "dedup review")
        if self._save(before):
            what = "pair" if len(members) == 2 else f"{len(members)} documents"
            self.notify(f"{what}: {decision.replace('_', ' ')} (saved; u undoes)")
            then()

    def clear_decisions(self, members: list[str], then: Callable[[], None] = lambda: None) -> None:
        """Take back every decision about these documents alone (u undoes that too)."""
        decisions: Decisions = self.corpus.decisions
        cleared = decisions.within(members)
        if not cleared:
            self.notify("no decisions to clear here", timeout=2)
            return
        before = list(decisions.decisions)
        decisions.withdraw(cleared)
        if self._save(before):
            self.notify(f"{len(cleared)} decision(s) cleared (u undoes)")
            then()

    def undo_decision(self, then: Callable[[], None] = lambda: None) -> None:
        """Put the decisions back as they were before the last change of this session."""
        if not self.history:
            self.notify("nothing to undo in this session", timeout=2)
            return
        decisions: Decisions = self.corpus.decisions
        current = list(decisions.decisions)
        decisions.decisions = self.history.pop()
        if self._save(current, remember=False):
            self.notify("undone (saved)")
            then()
        else:
            self.history.append(decisions.decisions)

    def _save(self, before: list, remember: bool = True) -> bool:
        """Write the decisions file; on failure put the decisions back as `before` and say why."""
        decisions: Decisions = self.corpus.decisions
        try:
            make_state_folder(self.corpus.decisions_path)
            decisions.save(self.corpus.decisions_path)
        except OSError as error:
            problem = f"cannot write {self.corpus.decisions_path}: {error.strerror}"
        except UserProblem as error:
            problem = str(error)
        else:
            if remember:
                self.history.append(before)
            return True
        decisions.decisions = before
        self.notify(one_line(problem), severity="error", markup=False)
        return False

    def export_comparison(self, diff: FactDiff, output_format: str) -> None:
        """Ask where to write the comparison (proposed: the current folder), then write it."""
        suffix, render = _EXPORTS[output_format]
        name = "compare-" + "-".join(re.sub(r"[^\w.-]+", "_", article.id)[-40:] for article in (diff.left, diff.right)) + suffix
        proposed = os.path.join(os.getcwd(), name)

        def chosen(path: str | None) -> None:
            if not path:
                return
            try:
                output_file.write_text(path, render(diff))
            except OSError as error:
                self.notify(one_line(f"cannot write {path}: {error.strerror}"), severity="error", markup=False)
                return
            self.notify(one_line(f"exported to {path}"), markup=False)

        self.push_screen(SaveDialog(f"Export the comparison as {output_format.upper() if output_format != 'markdown' else 'Markdown'} to",
                                    proposed), chosen)

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_quit(self) -> None:
        self.exit(return_code=0)

    def get_system_commands(self, screen):
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "Show every key", self.action_help)
        if isinstance(screen, CompareScreen):
            for name in ("markdown", "html", "json"):
                yield SystemCommand(f"Export comparison as {name.upper() if name != 'markdown' else 'Markdown'}",
                                    f"Write the comparison to a {name} file (asks where)",
                                    lambda name=name: screen.action_export(name))
            for key, label in (("difference", "difference"), ("unique", "unique fact")):
                yield SystemCommand(f"Next {label}", f"Move to the next {label}", lambda key=key: screen.action_next(key))
                yield SystemCommand(f"Previous {label}", f"Move to the previous {label}", lambda key=key: screen.action_previous(key))
            yield SystemCommand("Fold or open shared rows", "Runs of shared rows", screen.action_toggle_fold)
            yield SystemCommand("Show or hide atoms", "The atoms sidebar", screen.action_toggle_atoms)
            yield SystemCommand("Cycle filter", "all, differences, unique, conflicts", screen.action_cycle_filter)
            yield SystemCommand("Swap sides", "Left becomes right", screen.action_swap)
        if isinstance(screen, CompareScreen | ClustersScreen):
            yield SystemCommand("Undo", "Undo the last decision of this session", screen.action_undo)
        if isinstance(screen, ClustersScreen):
            yield SystemCommand("Clear decisions", "Clear the highlighted cluster's decisions", screen.action_clear)
        for decision in ("duplicate", "same_story", "different", "ignore"):
            if isinstance(screen, CompareScreen | ClustersScreen):
                yield SystemCommand(f"Decide: {decision.replace('_', ' ')}", "Record a decision for this pair or cluster",
                                    lambda decision=decision: screen.action_decide(decision))
