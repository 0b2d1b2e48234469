"""The progress display of a long command on stderr: a line per stage."""

from __future__ import annotations


class ProgressDisplay:
    """A Rich progress display on stderr while a scan runs, or nothing: a line per stage,
    with a bar against the stage's total when one is known (the reading's in bytes). When a
    stage starts, the ones before it are shown complete and their clocks stop, so no bar is
    left pulsing behind the work."""

    LABELS = {"read": "reading and cleaning", "fingerprint": "fingerprinting", "compare": "verifying copies",
              "stories": "scoring stories"}

    def __init__(self, console, enabled: bool) -> None:
        self.console = console
        self.enabled = enabled
        self.progress = None
        self.lines: dict[str, _StageLine] = {}

    def __enter__(self):
        if not self.enabled:
            return None
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: PLC0415

        self.progress = Progress(
            TextColumn("{task.description:<22}"), BarColumn(), TextColumn("{task.fields[count]}"), TimeElapsedColumn(),
            console=self.console, transient=True,
        )
        self.progress.start()
        return self.report

    def report(self, stage: str, done: int, total: int | None) -> None:
        # "read_bytes" is the reading's bar; "read" the documents it has found, beside it.
        name = "read" if stage == "read_bytes" else stage
        line = self.lines.get(name)
        if line is None:
            self._finish()
            line = self.lines[name] = _StageLine(self.progress.add_task(self.LABELS.get(name, name), total=total, count=""))
        if stage == "read":
            line.documents = done
        if stage == "read_bytes" or not line.in_bytes:
            line.done, line.total, line.in_bytes = done, total, line.in_bytes or stage == "read_bytes"
        self._show(line)

    def _show(self, line: _StageLine) -> None:
        bar_total = None if line.total is None else max(line.total, 1)
        self.progress.update(line.task, completed=line.done, total=bar_total, count=line.count())

    def _finish(self) -> None:
        """Every stage so far shown complete, its clock stopped."""
        for line in self.lines.values():
            if not line.finished:
                line.finished = True
                if line.total is None or line.total < line.done:
                    line.total = line.done
                line.done = line.total
                self._show(line)
                self.progress.stop_task(line.task)

    def __exit__(self, *exc_info) -> None:
        if self.progress is not None:
            self._finish()
            self.progress.stop()


class _StageLine:
    """One stage's line of the progress display: how far it is, of how much."""

    def __init__(self, task: int) -> None:
        self.task = task
        self.done = 0
        self.total: int | None = None
        self.in_bytes = False  # done and total count bytes of input, not items
        self.documents: int | None = None  # found in the bytes read so far
        self.finished = False

    def count(self) -> str:
        if not self.in_bytes:
            return f"{self.done:,}" if self.total is None else f"{self.done:,}/{self.total:,}"
        from rich.filesize import decimal  # noqa: PLC0415

        shown = decimal(self.done) if self.total is None else f"{decimal(self.done)}/{decimal(self.total)}"
        return shown if self.documents is None else f"{shown}, {self.documents:,} documents"


