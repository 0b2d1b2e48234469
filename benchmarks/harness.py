"""What the benchmarks share: running a child process while sampling the memory of its
process tree, waiting for it to end, and printing a Markdown table."""

from __future__ import annotations

import os
import select
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# How often the process tree's memory is sampled: often enough to catch a peak that
# lasts a fraction of a second. Samples of large processes are spaced further, so that
# the sampler itself takes at most SAMPLER_CPU_SHARE of one core from the scan it measures.
POLL_SECONDS = 0.05
SAMPLER_CPU_SHARE = 0.05


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


# --- Measuring a process tree ----------------------------------------------------------


@dataclass
class Run:
    """One measured subprocess: how long, how much memory, how it ended."""

    wall_seconds: float
    peak_tree_bytes: int  # peak of the summed Pss (or RSS) of the process and its descendants
    largest_process_max_rss_bytes: int  # from the kernel, for the largest single process
    exit_code: int
    stderr: str
    samples: int  # memory samples taken


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def processes() -> dict[int, tuple[int, float]]:
    """pid -> (parent pid, user + system CPU seconds so far) for every process in /proc."""
    found: dict[int, tuple[int, float]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", encoding="utf-8", errors="replace") as file:
                stat = file.read()
        except OSError:  # ended since listdir
            continue
        # The name in parentheses may hold spaces; after it come field 3 (state), 4 (ppid),
        # ... 14 (utime) and 15 (stime), in clock ticks.
        fields = stat.rpartition(")")[2].split()
        if len(fields) > 12:
            found[int(name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS)
    return found


def process_tree(root: int) -> dict[int, float]:
    """The root pid and all its descendants alive right now, each with its CPU seconds so far."""
    table = processes()
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in table.items():
        children.setdefault(parent, []).append(pid)
    tree, pending = {}, [root]
    while pending:
        pid = pending.pop()
        tree[pid] = table[pid][1] if pid in table else 0.0
        pending.extend(children.get(pid, ()))
    return tree


def process_memory(pid: int) -> tuple[int, int]:
    """(Pss, RSS) of a process in bytes; VmRSS for both where smaps_rollup cannot be read."""
    values = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as file:
            for line in file:
                key = line.split(":", 1)[0]
                if key in ("Rss", "Pss"):
                    values[key] = int(line.split()[1]) * 1024  # the kernel reports kB
        if len(values) == 2:
            return values["Pss"], values["Rss"]
    except (OSError, ValueError, IndexError):
        pass
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as file:
            for line in file:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1]) * 1024
                    return rss, rss
    except (OSError, ValueError):
        pass
    return 0, 0  # gone, or a zombie


def measure(command: list[str], cwd: Path) -> Run:
    """Run the command, sampling its process tree's memory until it ends."""
    with tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=stderr)
        ended = exit_signal(process.pid)
        peak = samples = 0
        while True:
            sampling_started = time.process_time()
            peak = max(peak, sum(process_memory(pid)[0] for pid in process_tree(process.pid)))
            samples += 1
            cost = time.process_time() - sampling_started  # CPU time: waiting for a core is no cost
            # Sampling a large process (smaps_rollup walks its page tables) takes milliseconds;
            # spacing the samples keeps the sampler from taking CPU from the scan it measures.
            if ended(max(POLL_SECONDS, cost * (1 / SAMPLER_CPU_SHARE - 1))):
                break
        wall = time.perf_counter() - started
        # wait4 rather than Popen.wait: it also returns the kernel's resource usage of this
        # child and its reaped descendants (ru_maxrss: the largest single process).
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so Popen must not wait again
        stderr.seek(0)
        message = stderr.read().decode("utf-8", errors="replace")
    return Run(wall, peak, usage.ru_maxrss * 1024, process.returncode, message, samples)


# --- Scoring ---------------------------------------------------------------------------
