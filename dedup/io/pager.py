"""A long report for people through a pager, when standard output is a terminal, as git does it.

The pager is $DEDUP_PAGER, else $PAGER, else `less`; an empty value or `cat` means none,
as for git. `less` gets LESS=FRX unless the user set LESS (F: quit at once when the report
fits on one screen; R: show colours; X: leave the report on the screen after quitting),
and `lv` gets LV=-c. Colours go to `less` only when its options let it show them (click
decides so too); any other pager gets plain text.

This module only decides whether and how to page, and does it: the caller asks it only
for a report for people going to standard output, never for an --output file or a
machine format (JSON, CSV), and it never pages a pipe, a file, a dumb terminal, or a
report that fits the screen.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
from dataclasses import dataclass, field

# Terminals on which a pager cannot draw its screen (click's list).
_DUMB_TERMINALS = ("dumb", "emacs")


@dataclass(frozen=True, slots=True)
class Pager:
    argv: list[str]
    environment: dict[str, str] = field(default_factory=dict)
    colour: bool = False  # the pager shows ANSI colours rather than their codes


def find_pager(stream) -> Pager | None:
    """The pager to page `stream`'s output through, or None to write it directly."""
    if not _isatty(stream):
        return None
    chosen = os.environ.get("DEDUP_PAGER", os.environ.get("PAGER"))
    if chosen is None and os.environ.get("TERM") in _DUMB_TERMINALS:
        return None
    command = "less" if chosen is None else chosen.strip()
    try:
        argv = shlex.split(command)
    except ValueError:  # unbalanced quotes: no pager rather than a failed report
        return None
    if not argv or argv == ["cat"]:
        return None
    program = shutil.which(argv[0])
    if program is None:
        return None
    environment = dict(os.environ)
    environment.setdefault("LESS", "FRX")
    environment.setdefault("LV", "-c")
    name = os.path.basename(program)
    colour = name == "less" and _less_shows_colours(environment["LESS"], argv[1:])
    return Pager([program, *argv[1:]], environment, colour)


def needs_paging(text: str, screen_lines: int) -> bool:
    """True when `text` is taller than the screen, less the line the shell's prompt takes."""
    return text.count("\n") >= screen_lines


def page(text: str, pager: Pager, encoding: str = "utf-8") -> None:
    """Show `text` in `pager` and wait until the reader quits it. Quitting before the end
    is no error. Ctrl-C belongs to the pager meanwhile (less uses it to stop a search),
    as under git and click; SIGTERM ends the pager with the run."""
    process = subprocess.Popen(pager.argv, stdin=subprocess.PIPE, env=pager.environment)
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: signals are not ours to change
        previous = None
    try:
        try:
            process.stdin.write(text.encode(encoding, "backslashreplace"))
            process.stdin.close()
        except BrokenPipeError:  # the reader quit before the end
            pass
        process.wait()
    except BaseException:
        process.terminate()
        process.wait()
        raise
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


def _isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def _less_shows_colours(less_options: str, arguments: list[str]) -> bool:
    """True when LESS ("FRX", "-R -S") or the command line asks less for raw control
    characters: -R, -r or --raw-control-chars."""
    try:
        options = shlex.split(less_options)
    except ValueError:
        options = less_options.split()
    flags = options + [argument for argument in arguments if argument.startswith("-")]
    for flag in flags:
        if flag.startswith("--"):
            if flag.lower() == "--raw-control-chars":
                return True
        elif "r" in flag.lstrip("-").lower():
            return True
    return False
