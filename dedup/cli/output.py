"""Where a command's report goes: standard output (through a pager when it is tall), or
an --output file written atomically; and the Rich consoles on stdout and stderr."""

from __future__ import annotations

import errno
import io
import sys
from collections.abc import Callable

from dedup.cli.common import MIN_WIDTH, UsageFailure
from dedup.io import output_file


def render_like(console, draw: Callable) -> str:
    """What `draw` prints on `console`, with its width and colours, as a string."""
    from rich.console import Console  # noqa: PLC0415

    target = Console(file=io.StringIO(), width=console.width, color_system=console.color_system,
                     force_terminal=console.color_system is not None, no_color=console.no_color, highlight=False)
    draw(target)
    return target.file.getvalue()


def page_or_print(text: str, chosen, plain: Callable[[], str], screen_lines: int | None = None) -> None:
    """`text` through the pager `chosen` when it is taller than the terminal, else to stdout;
    a pager that cannot show colours gets `plain()` instead."""
    from dedup.io.pager import needs_paging, page  # noqa: PLC0415

    if screen_lines is None:
        screen_lines = stdout_console().height
    if chosen is None or not needs_paging(text, screen_lines):
        deliver(text, None)
        return
    page(text if chosen.colour else plain(), chosen, getattr(sys.stdout, "encoding", None) or "utf-8")


def deliver(text: str, output: str | None) -> None:
    """The report to standard output, or atomically to the --output file."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_atomically(output, text)


def render_to_string(draw: Callable, width: int = 120) -> str:
    """What a Rich drawing prints, as plain text of the given width (for --output files)."""
    from rich.console import Console  # noqa: PLC0415

    console = Console(record=True, width=width, file=io.StringIO(), color_system=None, highlight=False)
    draw(console)
    return console.export_text()


def write_atomically(path: str, text: str) -> None:
    """Write through dedup.io.output_file: a failed run leaves the old file whole, a device
    or symlink is written through, the mode is the old file's or the umask's."""
    try:
        output_file.write_text(path, text)
    except OSError as error:
        fix = "free space, or choose" if error.errno in (errno.ENOSPC, errno.EDQUOT) else "choose"
        raise UsageFailure(f"cannot write {path}: {error.strerror}; {fix} a writable --output path") from None


def stdout_console(width: int | None = None):
    """A Rich console on stdout whose reader may go away (`dedup scan … | head -1`): Rich
    would exit 1 there; dedup treats it as done (see `main`)."""
    from rich.console import Console  # noqa: PLC0415

    class _StdoutConsole(Console):
        def on_broken_pipe(self) -> None:
            raise BrokenPipeError

    console = _StdoutConsole(highlight=False, width=width)
    if console.width < MIN_WIDTH:  # COLUMNS=5, a squeezed pane: a narrow table beats letters in a column
        console.width = MIN_WIDTH
    return console


def stderr_console():
    from rich.console import Console  # noqa: PLC0415

    # soft_wrap: an error message stays on one line whatever the terminal's width.
    return Console(stderr=True, highlight=False, soft_wrap=True)


