"""Run a function over batches on all cores, results in input order.

`ordered_map` uses worker processes, memory bounded: at most `2 * jobs` batches are in
flight, so a corpus streams through a scan instead of being read whole. A run of one or
two batches stays in this process: starting workers would cost more than it saves.

`thread_map` uses threads, for work done inside numpy and scipy, which release the GIL
while they compute: no pickling, and the threads share the arrays they read.
"""

from __future__ import annotations

import gc
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import TypeVar

Batch = TypeVar("Batch")
Result = TypeVar("Result")


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
