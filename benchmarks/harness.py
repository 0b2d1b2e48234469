"""What the benchmarks share: waiting for a measured child process to end, and printing a
Markdown table."""

from __future__ import annotations

import os
import select
import time
from collections.abc import Callable


def exit_signal(pid: int) -> Callable[[float], bool]:
    """A function that waits up to some seconds for the child to end and says whether it has.

    A pidfd becomes readable the moment the process ends, so the wall time is exact and
    not rounded up to the next sample; without pidfds (before Linux 5.3) it polls.
    """
    try:
        pidfd = os.pidfd_open(pid)
    except (AttributeError, OSError):

        def poll(seconds: float) -> bool:
            if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
                return True
            time.sleep(seconds)
            return False

        return poll

    def wait(seconds: float) -> bool:
        if select.select([pidfd], [], [], seconds)[0]:
            os.close(pidfd)
            return True
        return False

    return wait


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(row[column]) for row in [header, *rows]) for column in range(len(header))]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths)) + " |"

    return "\n".join([line(header), "|" + "|".join("-" * (width + 2) for width in widths) + "|", *map(line, rows)])
