"""The process around a command: standard streams that cannot crash it, signals that
unwind it, and the one-line failure message."""

from __future__ import annotations

import contextlib
import os
import signal
import sys

from dedup.model import UserProblem


class Stopped(BaseException):
    """SIGINT (Ctrl-C) or SIGTERM (a CI job cancelled, a container stopped) arrived."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def guarded_process():
    """The process around a command: standard streams that cannot crash it, and signals
    that unwind it; all as they were again afterwards (tests call `main` in-process)."""
    saved_streams = sys.stdout, sys.stderr
    saved_signals = {}
    if sys.stderr is None:  # `2>&-`: the messages are lost, the exit code still says it
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 -- lives as long as the run
    _tolerant_streams()
    sys.stdout = _GuardedStdout(sys.stdout)
    try:
        for signum in (signal.SIGINT, signal.SIGTERM):
            saved_signals[signum] = signal.signal(signum, _stop)
    except ValueError:  # not the main thread (dedup embedded in another program): leave them be
        pass
    try:
        yield
    finally:
        for signum, handler in saved_signals.items():
            signal.signal(signum, handler)
        sys.stdout, sys.stderr = saved_streams


def _stop(signum, frame):
    """The signals unwind the run instead of ending the process where it stands: the
    half-written output file is removed, the index transaction rolled back, workers
    stopped; the old output and the index stay as they were. (Not KeyboardInterrupt:
    click answers that with a blank line on stderr.)"""
    raise Stopped(signum)


class _GuardedStdout:
    """Standard output, with the ways it can fail under a redirection turned into one
    line: closed (`>&-`), or its disk full (`> /dev/full`)."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        if self._stream is None:
            raise UserProblem("standard output is closed: write the report to a file with -o FILE, or redirect it")
        with self._failures_as_one_line():
            return self._stream.write(text)

    def flush(self) -> None:
        if self._stream is not None:
            with self._failures_as_one_line():
                self._stream.flush()

    @staticmethod
    @contextlib.contextmanager
    def _failures_as_one_line():
        try:
            yield
        except BrokenPipeError:
            raise  # the reader went away: main's own case
        except OSError as error:
            raise UserProblem(f"cannot write to standard output ({error.strerror}): free space, "
                              "or write the report elsewhere with -o FILE") from None

    def isatty(self) -> bool:
        return self._stream is not None and self._stream.isatty()

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def _tolerant_streams() -> None:
    """Under PYTHONIOENCODING=ascii (or a C locale) an umlaut in a headline must not end
    the run: characters the stream cannot encode are written as \\u escapes."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="backslashreplace")
            except (ValueError, OSError):
                pass


def fail(message: str) -> None:
    from dedup.io.safe_text import one_line  # noqa: PLC0415

    sys.stderr.write(f"dedup: {one_line(message)}\n")
    sys.stderr.flush()


