"""Small modal dialogs: a yes/no question before a decision that covers many documents, and
a path to save an exported comparison to. Each dismisses with its answer (a bool, or the
path or None), which the screen that pushed it receives in its callback."""

from __future__ import annotations

import os

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class ConfirmDialog(ModalScreen[bool]):
    """A question answered with y (or Enter) or n (or Esc)."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", show=True),
        Binding("n,escape,q", "answer(False)", "No", show=True),
    ]

    def __init__(self, question: Text) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question)
            yield Static(Text("y or Enter: yes    n or Esc: no", style="dim"))

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class SaveDialog(ModalScreen["str | None"]):
    """A path to write to, proposed and editable; Enter saves, Esc cancels. A path whose
    folder does not exist, or that names a folder, is said so in the dialog; an existing
    file is only replaced after a second Enter."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=True)]

    def __init__(self, title: str, proposed: str) -> None:
        super().__init__()
        self.title_text = title
        self.proposed = proposed
        self._confirmed_overwrite: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.title_text, style="bold"))
            yield Input(value=self.proposed, id="path")
            yield Static(Text("Enter: save    Esc: cancel", style="dim"), id="hint")

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        path = os.path.expanduser(event.value.strip())
        problem = _unwritable(path)
        if problem:
            self._hint(problem, "bold red")
            return
        if os.path.exists(path) and self._confirmed_overwrite != path:
            self._confirmed_overwrite = path
            self._hint("the file exists: Enter again replaces it, or change the name", "bold yellow")
            return
        self.dismiss(path)

    def _hint(self, message: str, style: str) -> None:
        self.query_one("#hint", Static).update(Text(message, style=style))

    def action_cancel(self) -> None:
        self.dismiss(None)


def _unwritable(path: str) -> str | None:
    """Why `path` cannot be a file to write, or None."""
    if not path:
        return "give a file name"
    if os.path.isdir(path):
        return "that is a folder: give a file name in it"
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        return f"the folder {folder} does not exist"
    return None
