"""The `dedup` command. It parses options, calls the library, and renders the result.

Exit codes, for people and CI alike:
    0  the command ran (inputs that could not be read are listed, the rest was scanned)
    2  usage error, or nothing could be read at all
    3  an internal error (a bug: the message asks for a report)
  130  interrupted

Every failure is one line on stderr naming the input and the fix; never a traceback.
`dedup scan` imports neither textual nor the HTML extractor unless it needs them.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from collections.abc import Callable

import click

from dedup import __version__
from dedup.model import UserProblem

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130
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
@click.option("--num-perm", type=int, default=128, show_default=True, help="MinHash permutations.")
@click.option("--seed", type=int, default=1, show_default=True, help="MinHash seed.")
@click.option("--threshold", type=float, default=0.5, show_default=True,
              help="Jaccard similarity of shingle sets from which two texts are copies.")
@click.option("--containment", type=float, default=0.8, show_default=True,
              help="Share of the shorter text's shingles inside the longer one from which it is a (shortened) copy.")
@click.option("--jobs", "-j", type=int, default=None, help="Worker processes [default: all cores].")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the report to FILE instead of standard output.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary; errors are still reported.")
@click.option("--id-field", default="id", show_default=True, help="JSONL/CSV field holding the document id.")
@click.option("--text-field", default="text", show_default=True, help="JSONL/CSV field holding the text.")
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of text, JSONL and CSV files.")
def scan(paths, mode, explain, shingles, num_perm, seed, threshold, containment, jobs, output_format, output, quiet,
         id_field, text_field, encoding) -> None:
    """Group a corpus into clusters of duplicates, copies and stories.

    PATH is a directory (searched for .txt, .md, .html, .json, .jsonl and .csv files),
    a JSONL or CSV file, a single document, or - for JSON Lines on standard input.
    """
    from dedup.pipeline import scan as run_scan  # noqa: PLC0415 -- keeps `dedup --help` instant

    if explain and mode == "copy":
        raise UsageFailure("--explain shows why reports were grouped as one story: add --mode story or --mode all")
    config = _scan_config(mode, shingles, num_perm, seed, threshold, containment, jobs, id_field, text_field, encoding)
    stderr = _stderr_console()
    show_progress = not quiet and sys.stderr.isatty()
    with ProgressDisplay(stderr, show_progress) as progress:
        result = run_scan(paths, config, progress=progress)
    if result.errors:
        from dedup.io.table import error_lines  # noqa: PLC0415

        stderr.print(error_lines(result, ERRORS_SHOWN))
    if not result.documents:
        raise UsageFailure("no documents could be read from " + ", ".join(paths) + ": check the paths and formats above")
    _emit(result, output_format, output, quiet, explain)


COMPARE_FORMATS = ("table", "json", "markdown", "html")


@main_group.command("compare")
@click.argument("left", metavar="A")
@click.argument("right", metavar="B")
@click.option("--format", "output_format", type=click.Choice(COMPARE_FORMATS), default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the comparison to FILE instead of standard output.")
@click.option("--width", type=click.IntRange(min=40), default=None,
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
              help="Decisions file to read and write [default: dedup-decisions.json beside the corpus].")
def review_command(paths, decisions) -> None:
    """Review a corpus in the terminal: its clusters, and any two reports side by side.

    PATH is a corpus (as for `dedup scan`), or a saved `dedup scan --format json` report
    followed by the corpus it was made from. Decisions (d duplicate, y same story,
    x different, i ignore) are saved at once to the decisions file.
    """
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


CHECK_FORMATS = ("table", "json", "sarif", "junit", "github")
EXIT_FINDINGS = 1


def _corpus_options(command):
    """The reading options every command that reads a corpus takes."""
    for option in reversed([
        click.option("--jobs", "-j", type=int, default=None, help="Worker processes [default: all cores]."),
        click.option("--id-field", default="id", show_default=True, help="JSONL/CSV field holding the document id."),
        click.option("--text-field", default="text", show_default=True, help="JSONL/CSV field holding the text."),
        click.option("--encoding", default="utf-8", show_default=True, help="Encoding of text, JSONL and CSV files."),
    ]):
        command = option(command)
    return command


@main_group.group("index")
def index_group() -> None:
    """A persistent index of a corpus, for `dedup check` (SQLite file, or redis://HOST:PORT/DB)."""


@index_group.command("add")
@click.argument("paths", nargs=-1, required=True, metavar="CORPUS...")
@click.option("--index", "location", required=True, metavar="PATH|URL", help="Index file (created if missing) or redis://HOST:PORT/DB.")
@click.option("--shingles", default=None, metavar="UNIT:N", help="Shingles, for a new index [default: word:5]; must match an existing one.")
@click.option("--num-perm", type=int, default=None, help="MinHash permutations, for a new index [default: 128].")
@click.option("--seed", type=int, default=None, help="MinHash seed, for a new index [default: 1].")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary.")
@_corpus_options
def index_add(paths, location, shingles, num_perm, seed, quiet, jobs, id_field, text_field, encoding) -> None:
    """Add documents to an index. A run is all or nothing: interrupted, it leaves the index as it was.

    Documents already indexed under the same id and text are skipped, so a corpus can be added again.
    """
    from dedup.index.open import open_index, wanted_params  # noqa: PLC0415
    from dedup.indexing import add_to_index  # noqa: PLC0415

    try:
        wanted = wanted_params(shingles, num_perm, seed)
    except ValueError as error:
        raise UsageFailure(str(error)) from None
    existed = location.startswith("redis://") or os.path.exists(location)
    index = _open_index(open_index, location, wanted, create=True)
    try:
        config = _scan_config("all", str(index.params.shingles), index.params.minhash.num_perm, index.params.minhash.seed,
                              0.5, 0.8, jobs, id_field, text_field, encoding)
        stderr = _stderr_console()
        with ProgressDisplay(stderr, not quiet and sys.stderr.isatty()) as progress:
            tally = add_to_index(paths, index, config, lambda done: progress and progress("read", done, None))
        if tally.errors:
            from dedup.io.table import error_lines  # noqa: PLC0415

            stderr.print(error_lines(_ErrorsOnly(tally.errors), ERRORS_SHOWN))
        if not tally.read:
            if not existed:  # an index file made for nothing would only puzzle
                index.close()
                for leftover in (location, location + "-wal", location + "-shm"):
                    if os.path.exists(leftover):
                        os.remove(leftover)
            raise UsageFailure("no documents could be read from " + ", ".join(paths) + ": check the paths and formats above")
        if not quiet:
            stderr.print(f"{tally.added:,} document(s) added to {location} ({index.count:,} in all); {tally.already:,} already "
                         f"indexed, {len(tally.errors):,} not added (see above)", highlight=False, markup=False)
    finally:
        index.close()


class _ErrorsOnly:
    """What `error_lines` reads of a result: its errors."""

    def __init__(self, errors) -> None:
        self.errors = errors


@index_group.command("info")
@click.option("--index", "location", required=True, metavar="PATH|URL", help="Index file or redis://HOST:PORT/DB.")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True)
def index_info(location, output_format) -> None:
    """Print an index's size, parameters and schema version."""
    import json  # noqa: PLC0415

    from dedup.index.open import open_index  # noqa: PLC0415

    index = _open_index(open_index, location, None, create=False)
    try:
        info = index.info()
    finally:
        index.close()
    if output_format == "json":
        _deliver(json.dumps(info, indent=2) + "\n", None)
        return
    width = max(len(name) for name in info)
    _deliver("".join(f"{name.ljust(width)}  {value}\n" for name, value in info.items()), None)


@main_group.command("check")
@click.argument("paths", nargs=-1, required=True, metavar="NEW...")
@click.option("--against", "location", required=True, metavar="PATH|URL", help="The index to check against (see `dedup index add`).")
@click.option("--mode", type=click.Choice(["copy", "story", "all"]), default="copy", show_default=True,
              help="copy: duplicates and copies; story: retellings of the same event; all: both.")
@click.option("--fail-on", type=click.Choice(["duplicate", "copy", "story"]), default=None,
              help="Fail on findings this tight or tighter (duplicate < copy < story) [default: all the mode finds].")
@click.option("--baseline", type=click.Path(dir_okay=False), default=None,
              help="Decisions file (dedup.decisions/1): pairs it covers are accepted and do not fail.")
@click.option("--update-baseline", is_flag=True, help="Record the current findings as accepted in --baseline, then pass.")
@click.option("--format", "output_format", type=click.Choice(CHECK_FORMATS), default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the report to FILE instead of standard output.")
@click.option("--quiet", "-q", is_flag=True, help="No summary line on stderr when the report goes to a file.")
@_corpus_options
def check_command(paths, location, mode, fail_on, baseline, update_baseline, output_format, output, quiet, jobs, id_field,
                  text_field, encoding) -> None:
    """Check incoming documents against an index and each other; exit 1 on findings.

    Exit codes: 0 nothing at or above --fail-on (or all accepted), 1 findings, 2 usage or input
    error (an incoming document that cannot be read is one, after the report).
    """
    from dedup.check import check  # noqa: PLC0415
    from dedup.decisions import Decisions  # noqa: PLC0415
    from dedup.index.open import open_index  # noqa: PLC0415
    from dedup.model import Relation  # noqa: PLC0415

    if update_baseline and not baseline:
        raise UsageFailure("--update-baseline needs --baseline FILE: name the decisions file to record the findings in")
    decisions = Decisions.load(baseline) if baseline else Decisions()
    index = _open_index(open_index, location, None, create=False)
    try:
        config = _scan_config(mode, str(index.params.shingles), index.params.minhash.num_perm, index.params.minhash.seed,
                              0.5, 0.8, jobs, id_field, text_field, encoding)
        loosest = Relation.STORY if mode != "copy" else Relation.COPY
        result = check(paths, index, config, Relation(fail_on) if fail_on else loosest, decisions)
    finally:
        index.close()
    if result.errors:
        from dedup.io.table import error_lines  # noqa: PLC0415

        _stderr_console().print(error_lines(result, ERRORS_SHOWN))
    if not result.documents:
        raise UsageFailure("no documents could be read from " + ", ".join(paths) + ": check the paths and formats above")
    if update_baseline:
        result = _record_baseline(result, decisions, baseline)
    _emit_check(result, output_format, output, quiet)
    if result.errors:
        # A gate that could not read part of its batch has not checked it: an input error.
        raise UsageFailure(f"{len(result.errors)} incoming input(s) could not be read (listed above): fix or remove them")
    if result.failing:
        raise click.exceptions.Exit(EXIT_FINDINGS)


def _record_baseline(result, decisions, path: str):
    from dataclasses import replace  # noqa: PLC0415

    findings = []
    for finding in result.findings:
        if finding.accepted_as is None:
            kind = "same_story" if finding.relation.value == "story" else "duplicate"
            decisions.decide((finding.document.id, finding.other.id), kind, finding.relation.value, "dedup check --update-baseline")
            finding = replace(finding, accepted_as=kind)
        findings.append(finding)
    decisions.save(path)
    result.findings = findings
    return result


def _emit_check(result, output_format: str, output: str | None, quiet: bool) -> None:
    from dedup.io import check_report  # noqa: PLC0415

    if output_format == "table":
        if output is None:
            from rich.console import Console  # noqa: PLC0415

            check_report.render_table(result, Console(highlight=False))
            return
        _deliver(_render_to_string(lambda console: check_report.render_table(result, console)), output)
    else:
        render = {"json": check_report.write_json, "sarif": check_report.write_sarif, "junit": check_report.write_junit,
                  "github": check_report.write_github}[output_format]
        _deliver(render(result), output)
    if output is not None and not quiet:
        _stderr_console().print(check_report.summary_line(result), markup=False)


def _open_index(open_index, location: str, wanted, create: bool):
    try:
        return open_index(location, wanted, create)
    except ValueError as error:  # parameters the index records that this dedup cannot use
        raise UsageFailure(str(error)) from None


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
        from rich.console import Console  # noqa: PLC0415

        if output is None:
            compare_render.render_compare(diff, Console(highlight=False, width=width))
            return
        _deliver(_render_to_string(lambda console: compare_render.render_compare(diff, console), width or 120), output)
        return
    render = {"json": compare_render.write_compare_json, "markdown": compare_render.write_compare_markdown,
              "html": compare_render.write_compare_html}[output_format]
    _deliver(render(diff), output)


def _scan_config(mode, shingles, num_perm, seed, threshold, containment, jobs, id_field, text_field, encoding):
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
        )
    except ValueError as error:
        raise UsageFailure(str(error)) from None


def _emit(result, output_format: str, output: str | None, quiet: bool, explain: bool) -> None:
    from dedup.io import writers  # noqa: PLC0415

    if output_format == "table":
        from rich.console import Console  # noqa: PLC0415

        from dedup.io.table import render_table, summary  # noqa: PLC0415

        if output is None:
            render_table(result, Console(highlight=False), with_summary=not quiet, explain=explain)
            return
        _deliver(_render_to_string(lambda console: render_table(result, console, with_summary=True, explain=explain)), output)
        if not quiet:
            _stderr_console().print(summary(result))
        return
    render = {"json": writers.write_json, "jsonl": writers.write_jsonl, "csv": writers.write_csv,
              "markdown": lambda scanned: writers.write_markdown(scanned, explain)}[output_format]
    _deliver(render(result), output)


def _deliver(text: str, output: str | None) -> None:
    """The report to standard output, or atomically to the --output file."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        _write_atomically(output, text)


def _render_to_string(draw: Callable, width: int = 120) -> str:
    """What a Rich drawing prints, as plain text of the given width (for --output files)."""
    from rich.console import Console  # noqa: PLC0415

    console = Console(record=True, width=width, file=io.StringIO(), color_system=None, highlight=False)
    draw(console)
    return console.export_text()


def _write_atomically(path: str, text: str) -> None:
    """Write to a temporary file beside `path`, then rename: a failed run leaves the old file whole."""
    directory = os.path.dirname(os.path.abspath(path))
    try:
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=directory, delete=False,
                                         prefix=".dedup-", suffix=".tmp") as handle:
            handle.write(text)
        os.replace(handle.name, path)
    except OSError as error:
        raise UsageFailure(f"cannot write {path}: {error.strerror}; choose a writable --output path") from None


def _stderr_console():
    from rich.console import Console  # noqa: PLC0415

    # soft_wrap: an error message stays on one line whatever the terminal's width.
    return Console(stderr=True, highlight=False, soft_wrap=True)


class ProgressDisplay:
    """A Rich progress display on stderr while a scan runs, or nothing."""

    def __init__(self, console, enabled: bool) -> None:
        self.console = console
        self.enabled = enabled
        self.progress = None
        self.tasks: dict[str, int] = {}

    def __enter__(self):
        if not self.enabled:
            return None
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: PLC0415

        self.progress = Progress(
            TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=self.console, transient=True,
        )
        self.progress.start()
        return self.report

    def report(self, stage: str, done: int, total: int | None) -> None:
        labels = {"read": "reading, fingerprinting", "compare": "verifying candidates", "stories": "scoring and grouping stories"}
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(labels.get(stage, stage), total=total)
        self.progress.update(self.tasks[stage], completed=done, total=total)

    def __exit__(self, *exc_info) -> None:
        if self.progress is not None:
            self.progress.stop()


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    try:
        # Outside standalone mode click returns the code of a click.exceptions.Exit (raised
        # by --help and by `dedup check` on findings) instead of raising it.
        code = main_group.main(args=argv, prog_name="dedup", standalone_mode=False)
        return code if isinstance(code, int) else EXIT_OK
    except click.exceptions.Exit as done:  # --help, --version
        return done.exit_code
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
    except BrokenPipeError:
        # The reader of our output went away (`dedup scan … | head`): not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as error:  # noqa: BLE001 -- the promise is: never a traceback
        _fail(f"internal error ({type(error).__name__}: {error}); please report it with the command you ran")
        return EXIT_INTERNAL


def _fail(message: str) -> None:
    from dedup.io.safe_text import one_line  # noqa: PLC0415

    sys.stderr.write(f"dedup: {one_line(message)}\n")
    sys.stderr.flush()


def run() -> None:
    sys.exit(main())
