"""The `dedup` command. It parses options, calls the library, and renders the result.

Exit codes, for people and CI alike:
    0  the command ran (inputs that could not be read are listed, the rest was scanned)
    1  `dedup check` only: findings at or above --fail-on (see dedup.cli_gate)
    2  usage error, or nothing could be read at all
    3  an internal error (a bug: the message asks for a report)
  130  interrupted (Ctrl-C); 143 terminated (SIGTERM)

Every failure is one line on stderr naming the input and the fix; never a traceback.
`dedup scan` imports neither textual nor the HTML extractor unless it needs them.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import io
import os
import signal
import sys
from collections.abc import Callable

import click

from dedup import __version__
from dedup.io import output_file
from dedup.model import UserProblem

EXIT_OK = 0
# NumPy seeds its generator with 0 .. 2**32 - 1.
MAX_SEED = 2**32 - 1
# More worker processes than this only queue behind each other: a typo ("--jobs 100000")
# must not fork a machine to a halt.
MAX_JOBS = 256
# Narrower than this, no table of two reports side by side can be read.
MIN_WIDTH = 40

FOLLOW_SYMLINKS_HELP = ("In folders, follow links to files and folders outside the folder too "
                        "[default: only links that stay inside it].")

EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143  # 128 + SIGTERM, as a shell reports a process the signal ended
FORMATS = ("table", "json", "jsonl", "csv", "markdown")
# Errors listed on stderr before the rest are only counted (all are in --format json).
ERRORS_SHOWN = 20


class UsageFailure(Exception):
    """A mistake in how the command was called; becomes a one-line message and exit 2."""


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="dedup")
def main_group() -> None:
    """Find duplicate and same-story news articles, and compare reports fact by fact."""


@main_group.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--mode", type=click.Choice(["copy", "story", "all"]), default="copy", show_default=True,
              help="copy: duplicates and copies (re-published, edited or shortened text); story: independent "
                   "reports of the same event; all: both.")
@click.option("--explain", is_flag=True,
              help="Show why each story pair was grouped: its score and the names, numbers, dates and words both share.")
@click.option("--shingles", default="word:5", show_default=True, metavar="UNIT:N",
              help="Shingles compared: word:N (N-word sequences) or char:N (N characters).")
@click.option("--num-perm", type=click.IntRange(2, 1024), default=128, show_default=True, help="MinHash permutations.")
@click.option("--seed", type=click.IntRange(0, MAX_SEED), default=1, show_default=True, help="MinHash seed.")
@click.option("--threshold", type=float, default=0.5, show_default=True,
              help="Jaccard similarity of shingle sets from which two texts are copies.")
@click.option("--containment", type=float, default=0.8, show_default=True,
              help="Share of the shorter text's shingles inside the longer one from which it is a (shortened) copy.")
@click.option("--jobs", "-j", type=click.IntRange(1, MAX_JOBS), default=None, help="Worker processes [default: all cores].")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the report to FILE instead of standard output.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary; errors are still reported.")
@click.option("--no-pager", is_flag=True,
              help="Print a long table or Markdown report straight to the terminal instead of through "
                   "$DEDUP_PAGER, $PAGER or less.")
@click.option("--id-field", default="id", show_default=True, help="JSONL/CSV field holding the document id.")
@click.option("--text-field", default="text", show_default=True, help="JSONL/CSV field holding the text.")
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of text, JSONL and CSV files.")
@click.option("--follow-symlinks", is_flag=True, help=FOLLOW_SYMLINKS_HELP)
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="Where the work runs: this machine's cores, or a Ray cluster (pip install 'dedup[ray]').")
@click.option("--ray-address", default=None, metavar="ADDRESS",
              help="The Ray cluster for --engine ray [default: RAY_ADDRESS, else a local Ray for the run].")
def scan(paths, mode, explain, shingles, num_perm, seed, threshold, containment, jobs, output_format, output, quiet,
         no_pager, id_field, text_field, encoding, follow_symlinks, engine, ray_address) -> None:
    """Group a corpus into clusters of duplicates, copies and stories.

    PATH is a directory (searched for .txt, .md, .html, .json, .jsonl and .csv files),
    a JSONL or CSV file, a single document, or - for JSON Lines on standard input.

    The summary comes first; with --output the file gets the report and standard error
    the summary. A report taller than the terminal goes through a pager (--no-pager).
    """
    from dedup.pipeline import scan as run_scan  # noqa: PLC0415 -- keeps `dedup --help` instant

    if explain and mode == "copy":
        raise UsageFailure("--explain shows why reports were grouped as one story: add --mode story or --mode all")
    if ray_address and engine != "ray":
        raise UsageFailure("--ray-address is for --engine ray: add --engine ray, or leave the address out")
    config = scan_config(mode, shingles, num_perm, seed, threshold, containment, jobs, id_field, text_field, encoding,
                         follow_symlinks, engine, ray_address)
    stderr = stderr_console()
    show_progress = not quiet and sys.stderr.isatty()
    with ProgressDisplay(stderr, show_progress) as progress:
        result = run_scan(paths, config, progress=progress)
    if result.errors:
        from dedup.io.table import error_lines  # noqa: PLC0415

        stderr.print(error_lines(result, ERRORS_SHOWN))
    if result.passed_over and not quiet:
        from rich.text import Text  # noqa: PLC0415

        stderr.print(Text(_passed_over_line(result.passed_over), style="dim"))
    if not result.documents:
        raise UsageFailure("no documents could be read from " + ", ".join(paths) + ": check the paths and formats above")
    _emit(result, output_format, output, quiet, explain, pager=not no_pager)


def _passed_over_line(paths: list[str], named: int = 3) -> str:
    """Said once per scan: the files dedup wrote that were found among the inputs."""
    from dedup.io.safe_text import one_line  # noqa: PLC0415

    shown = ", ".join(one_line(path) for path in paths[:named]) + (f" and {len(paths) - named} more" if len(paths) > named else "")
    return f"dedup: passed over {len(paths)} file(s) that dedup wrote (a saved scan, decisions, a comparison): {shown}"


COMPARE_FORMATS = ("table", "json", "markdown", "html")


@main_group.command("compare")
@click.argument("left", metavar="A")
@click.argument("right", metavar="B")
@click.option("--format", "output_format", type=click.Choice(COMPARE_FORMATS), default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the comparison to FILE instead of standard output.")
@click.option("--width", type=click.IntRange(min=MIN_WIDTH), default=None,
              help="Width of the table in columns [default: the terminal's, 120 in a file].")
@click.option("--id-field", default="id", show_default=True, help="JSONL/CSV field holding the document id.")
@click.option("--text-field", default="text", show_default=True, help="JSONL/CSV field holding the text.")
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of text, JSONL and CSV files.")
def compare_command(left, right, output_format, output, width, id_field, text_field, encoding) -> None:
    """Compare two reports fact by fact: shared, paraphrased, conflicting and one-sided sentences.

    A and B are each a document file (.txt, .md, .html, .json) or FILE.jsonl#ID /
    FILE.csv#ID for the record with that id.
    """
    from dedup.facts.compare import compare  # noqa: PLC0415 -- only `dedup compare` pays for it
    from dedup.io.decoding import check_encoding_name  # noqa: PLC0415
    from dedup.io.records import FieldMap  # noqa: PLC0415

    try:
        encoding = check_encoding_name(encoding)
    except ValueError as error:
        raise UsageFailure(str(error)) from None
    fields = FieldMap(id_field=id_field, text_field=text_field)
    diff = compare(_read_one(left, fields, encoding), _read_one(right, fields, encoding))
    _emit_compare(diff, output_format, output, width)


@main_group.command("review")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--decisions", type=click.Path(dir_okay=False), default=None,
              help="Decisions file to read and write [default: one per corpus in the user's state folder, "
                   "named at the top of the screen; never in the corpus].")
def review_command(paths, decisions) -> None:
    """Review a corpus in the terminal: its clusters, and any two reports side by side.

    PATH is a corpus (as for `dedup scan`), or a saved `dedup scan --format json` report
    followed by the corpus it was made from. Decisions (d duplicate, y same story,
    x different, i ignore; u undoes) are saved at once to the decisions file, which
    `dedup check --baseline FILE` reads. Nothing is written into the corpus.
    """
    if decisions and not os.path.isdir(os.path.dirname(os.path.abspath(decisions))):
        raise UsageFailure(f"--decisions {decisions}: its folder does not exist: create it or choose another file")
    for path in paths:
        if path != "-" and not os.path.exists(path):
            raise UsageFailure(f"{path}: no such file or directory: give a corpus directory or file")
        if path == "-":
            raise UsageFailure("dedup review reads files, not standard input (the terminal is for the review): give a path")
    from tui.app import ReviewApp  # noqa: PLC0415 -- only `dedup review` loads Textual
    from tui.corpus import split_paths  # noqa: PLC0415

    split_paths(list(paths))  # a report without its corpus is refused before the screen opens

    app = ReviewApp(list(paths), decisions)
    app.run()
    if app.problem:
        raise UsageFailure(app.problem)


def _read_one(spec: str, fields, encoding: str):
    """The one article `spec` names: a document file, or FILE#ID for one record of a corpus file."""
    from dedup.io.inputs import read_inputs  # noqa: PLC0415
    from dedup.model import Article, InputError  # noqa: PLC0415

    path, wanted = spec, None
    if not os.path.exists(spec) and "#" in spec:
        path, _, wanted = spec.rpartition("#")
    if os.path.isdir(path):
        raise UsageFailure(f"{path}: is a directory; name one document file, or FILE.jsonl#ID for one record")
    articles, errors = [], []
    for item in read_inputs([path], fields, encoding):
        loaded = item.load() if hasattr(item, "load") else [item]
        articles += [entry for entry in loaded if isinstance(entry, Article)]
        errors += [entry for entry in loaded if isinstance(entry, InputError)]
    if wanted is not None:
        found = [article for article in articles if article.id in (wanted, spec)]
        if found:
            return found[0]
        if errors and not articles:
            raise UsageFailure(str(errors[0]))
        unreadable = f", {len(errors)} unreadable" if errors else ""
        raise UsageFailure(f"{path}: no record with id {wanted!r} ({len(articles)} records read{unreadable}): "
                           f"check the id, or name its field with --id-field")
    if errors:
        raise UsageFailure(str(errors[0]))
    if len(articles) != 1:
        raise UsageFailure(f"{path}: holds {len(articles)} articles; pick one as {path}#ID")
    return articles[0]


def _emit_compare(diff, output_format: str, output: str | None, width: int | None) -> None:
    from dedup.io import compare_render  # noqa: PLC0415

    if output_format == "table":
        if output is None:
            compare_render.render_compare(diff, stdout_console(width=width))
            return
        deliver(render_to_string(lambda console: compare_render.render_compare(diff, console), width or 120), output)
        return
    render = {"json": compare_render.write_compare_json, "markdown": compare_render.write_compare_markdown,
              "html": compare_render.write_compare_html}[output_format]
    deliver(render(diff), output)


def scan_config(mode, shingles, num_perm, seed, threshold, containment, jobs, id_field, text_field, encoding,
                follow_symlinks=False, engine="local", ray_address=None):
    from dedup.io.decoding import check_encoding_name  # noqa: PLC0415
    from dedup.io.records import FieldMap  # noqa: PLC0415
    from dedup.minhash import MinHashParams  # noqa: PLC0415
    from dedup.pipeline import ScanConfig  # noqa: PLC0415
    from dedup.text.shingles import ShingleSpec  # noqa: PLC0415
    from dedup.verify import CopyRule  # noqa: PLC0415

    try:
        return ScanConfig(
            mode=mode,
            shingles=ShingleSpec.parse(shingles),
            minhash=MinHashParams(num_perm=num_perm, seed=seed),
            rule=CopyRule(threshold=threshold, containment=containment),
            jobs=jobs,
            fields=FieldMap(id_field=id_field, text_field=text_field),
            encoding=check_encoding_name(encoding),
            follow_symlinks=follow_symlinks,
            engine=engine,
            ray_address=ray_address,
        )
    except ValueError as error:
        raise UsageFailure(str(error)) from None


def _emit(result, output_format: str, output: str | None, quiet: bool, explain: bool, pager: bool = True) -> None:
    """The scan's report: to the --output file (and its summary to stderr), or to stdout,
    through a pager when it is a table or Markdown taller than the terminal."""
    from dedup.io import writers  # noqa: PLC0415
    from dedup.io.table import render_table, summary  # noqa: PLC0415

    def draw(console, with_summary: bool) -> None:
        render_table(result, console, with_summary=with_summary, explain=explain)

    render = {"json": writers.write_json, "jsonl": writers.write_jsonl, "csv": writers.write_csv,
              "markdown": lambda scanned: writers.write_markdown(scanned, explain),
              "table": lambda scanned: render_to_string(lambda console: draw(console, False))}[output_format]
    if output is not None:
        report = render(result)
        _write_atomically(output, report if report.endswith("\n") else report + "\n")
        if not quiet:
            stderr_console().print(summary(result))
        return
    if output_format not in ("table", "markdown"):
        deliver(render(result), None)
        return
    from dedup.io.pager import find_pager  # noqa: PLC0415

    chosen = find_pager(sys.stdout) if pager else None
    if output_format == "markdown":
        _page_or_print(render(result), chosen, lambda: render(result))
        return
    console = stdout_console()
    if chosen is None:
        draw(console, not quiet)
        return
    coloured = _render_like(console, lambda target: draw(target, not quiet))
    _page_or_print(coloured, chosen, lambda: render_to_string(lambda target: draw(target, not quiet), console.width),
                   console.height)


def _render_like(console, draw: Callable) -> str:
    """What `draw` prints on `console`, with its width and colours, as a string."""
    from rich.console import Console  # noqa: PLC0415

    target = Console(file=io.StringIO(), width=console.width, color_system=console.color_system,
                     force_terminal=console.color_system is not None, no_color=console.no_color, highlight=False)
    draw(target)
    return target.file.getvalue()


def _page_or_print(text: str, chosen, plain: Callable[[], str], screen_lines: int | None = None) -> None:
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
        _write_atomically(output, text)


def render_to_string(draw: Callable, width: int = 120) -> str:
    """What a Rich drawing prints, as plain text of the given width (for --output files)."""
    from rich.console import Console  # noqa: PLC0415

    console = Console(record=True, width=width, file=io.StringIO(), color_system=None, highlight=False)
    draw(console)
    return console.export_text()


def _write_atomically(path: str, text: str) -> None:
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


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    with _guarded_process():
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
        _fail(f"{error.format_message()} (see '{command} --help')")
        return EXIT_USAGE
    except click.ClickException as error:
        _fail(error.format_message())
        return EXIT_USAGE
    except UsageFailure as failure:
        _fail(str(failure))
        return EXIT_USAGE
    except UserProblem as problem:
        _fail(str(problem))
        return EXIT_USAGE
    except (KeyboardInterrupt, click.exceptions.Abort):
        _fail("interrupted")
        return EXIT_INTERRUPTED
    except Stopped as stopped:
        if stopped.signum == signal.SIGTERM:
            _fail("terminated")
            return EXIT_TERMINATED
        _fail("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader of our output went away (`dedup scan … | head`): not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as error:  # noqa: BLE001 -- the promise is: never a traceback
        _fail(f"internal error ({type(error).__name__}: {error}); please report it with the command you ran")
        return EXIT_INTERNAL


class Stopped(BaseException):
    """SIGINT (Ctrl-C) or SIGTERM (a CI job cancelled, a container stopped) arrived."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def _guarded_process():
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


def _fail(message: str) -> None:
    from dedup.io.safe_text import one_line  # noqa: PLC0415

    sys.stderr.write(f"dedup: {one_line(message)}\n")
    sys.stderr.flush()


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


# The CI gate's commands (`dedup index`, `dedup check`) live in their own module; importing
# it registers them on main_group, which must exist first.
importlib.import_module("dedup.cli_gate")
