"""Run a function over batches on all cores, results in input order.

`ordered_map` uses worker processes, memory bounded: at most `2 * jobs` batches are in
flight, so a corpus streams through a scan instead of being read whole. A run of one or
two batches stays in this process: starting workers would cost more than it saves.

`thread_map` uses threads, for work done inside numpy and scipy, which release the GIL
while they compute: no pickling, and the threads share the arrays they read. `alongside`
runs one such function on a thread while this one does other work.
"""

from __future__ import annotations

import ctypes
import gc
import os
import platform
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

Batch = TypeVar("Batch")
Result = TypeVar("Result")


def keep_freed_memory() -> None:
    """Let this process (and the workers it forks) reuse the memory it frees.

    glibc hands a freed block larger than its mmap threshold back to the kernel at once; a
    scan frees megabytes of NumPy temporaries for every batch, and taking them back costs a
    page fault per 4 KiB: on insm_de_press a fifth of the copy scan's CPU time went to the
    kernel. Raising the threshold and the trim threshold keeps such blocks in the heap for
    the next batch (RSS grew by 1%). Threads share this process's one heap: glibc gives
    each thread a heap of its own, which keeps what it frees up to the same threshold, and
    the story stage's NumPy threads then raised a story scan's peak from 1.33 to 1.60 GB on
    insm_de_press (its threads make few, large blocks, so they hardly wait for the one
    heap's lock; --semantic, whose encoder uses threads too, ran no slower). Only where
    glibc's `mallopt` exists; elsewhere nothing."""
    if sys.platform != "linux" or platform.libc_ver()[0] != "glibc":
        return
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(_M_MMAP_THRESHOLD, 64 * 1024 * 1024)
        libc.mallopt(_M_TRIM_THRESHOLD, 256 * 1024 * 1024)
        libc.mallopt(_M_TOP_PAD, 64 * 1024 * 1024)  # and grows the heap in steps of 64 MiB, not 128 KiB
        libc.mallopt(_M_ARENA_MAX, 1)
    except (OSError, AttributeError):
        pass


# mallopt's parameter numbers, from glibc's malloc.h.
_M_TRIM_THRESHOLD = -1
_M_TOP_PAD = -2
_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def ordered_map(function: Callable[[Batch], Result], batches: Iterable[Batch], jobs: int) -> Iterator[Result]:
    batches = iter(batches)
    head = [batch for batch in (next(batches, None), next(batches, None)) if batch is not None]
    if jobs <= 1 or len(head) < 2:
        for batch in head:
            yield function(batch)
        for batch in batches:
            yield function(batch)
        return
    # Workers fork from this process and share its memory until they write to it; Python's
    # garbage collector would write to every object it visits (a scan's pages, gigabytes
    # on a large corpus) and copy them into each worker. Frozen objects it leaves alone.
    gc.freeze()
    with ProcessPoolExecutor(max_workers=jobs, initializer=_quiet_worker) as pool:
        try:
            pending = deque(pool.submit(function, batch) for batch in head)
            for batch in batches:
                pending.append(pool.submit(function, batch))
                while len(pending) > 2 * jobs:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        except BaseException:
            # Interrupted, terminated or failed: drop the queued batches, so the way out
            # waits only for the few already running.
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        finally:
            gc.unfreeze()


def _quiet_worker() -> None:
    """Workers leave signals to the main process, which stops them: Ctrl-C in a terminal
    reaches the whole process group, and a traceback from every worker would bury the
    one line that says "interrupted"."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def thread_map(function: Callable[[Batch], Result], batches: Iterable[Batch], jobs: int) -> list[Result]:
    batches = list(batches)
    if jobs <= 1 or len(batches) < 2:
        return [function(batch) for batch in batches]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(function, batches))


@contextmanager
def alongside(function: Callable[..., Result], *arguments: object, jobs: int) -> Iterator[Callable[[], Result]]:
    """function(*arguments) on a thread of its own while the with-block runs; the block gets
    a call that waits for its result. With one job it runs in this thread, when called."""
    if jobs <= 1:
        yield lambda: function(*arguments)
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        yield pool.submit(function, *arguments).result
