"""The `dedup` command. It parses options, calls the library, and renders the result.

Exit codes, for people and CI alike:
    0  the command ran (inputs that could not be read are listed, the rest was scanned)
    1  `dedup check` only: findings at or above --fail-on (see dedup.cli.gate)
    2  usage error, or nothing could be read at all
    3  an internal error (a bug: the message asks for a report)
  130  interrupted (Ctrl-C); 143 terminated (SIGTERM)

Every failure is one line on stderr naming the input and the fix; never a traceback.
`dedup scan` imports neither textual nor the HTML extractor unless it needs them.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys

import click

from dedup import __version__
from dedup.cli.common import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_TERMINATED,
    EXIT_USAGE,
    UsageFailure,
)
from dedup.cli.compare import compare_command
from dedup.cli.gate import check_command, index_group
from dedup.cli.process import Stopped, fail, guarded_process
from dedup.cli.review import review_command
from dedup.cli.scan import scan
from dedup.model import UserProblem


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="dedup")
def main_group() -> None:
    """Find duplicate and same-story news articles, and compare reports fact by fact."""


for command in (scan, compare_command, review_command, index_group, check_command):
    main_group.add_command(command)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    with guarded_process():
        return _main(argv)


def _main(argv: list[str] | None) -> int:
    try:
        # Outside standalone mode click returns the code of a click.exceptions.Exit (raised
        # by --help and by `dedup check` on findings) instead of raising it.
        code = main_group.main(args=argv, prog_name="dedup", standalone_mode=False)
        code = code if isinstance(code, int) else EXIT_OK
        try:
            sys.stdout.flush()  # a full disk under `> report.txt` shows here, as one line
        except BrokenPipeError:
            # The reader went away after the command had its verdict (`dedup check … | head`):
            # the verdict stands, as a CI job reads it from the exit code.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return code
    except click.exceptions.Exit as done:  # --help, --version
        return done.exit_code
    except click.exceptions.NoArgsIsHelpError as error:  # `dedup` alone: the help, as it is
        sys.stdout.write(error.ctx.get_help() + "\n")
        return EXIT_USAGE
    except click.UsageError as error:
        command = error.ctx.command_path if error.ctx else "dedup"
        fail(f"{error.format_message()} (see '{command} --help')")
        return EXIT_USAGE
    except click.ClickException as error:
        fail(error.format_message())
        return EXIT_USAGE
    except UsageFailure as failure:
        fail(str(failure))
        return EXIT_USAGE
    except UserProblem as problem:
        fail(str(problem))
        return EXIT_USAGE
    except (KeyboardInterrupt, click.exceptions.Abort):
        fail("interrupted")
        return EXIT_INTERRUPTED
    except Stopped as stopped:
        if stopped.signum == signal.SIGTERM:
            fail("terminated")
            return EXIT_TERMINATED
        fail("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader of our output went away (`dedup scan … | head`): not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as error:  # noqa: BLE001 -- the promise is: never a traceback
        fail(f"internal error ({type(error).__name__}: {error}); please report it with the command you ran")
        return EXIT_INTERNAL


def run() -> None:
    code = main()
    try:
        sys.stdout.flush()
    except (OSError, ValueError, AttributeError):
        # What a full or vanished output still holds must not surface at exit as Python's
        # "Exception ignored" (and exit 120): the one line has been said.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    sys.exit(code)
