"""`dedup scan`: group a corpus into clusters of duplicates, copies and stories."""

from __future__ import annotations

import sys
from dataclasses import replace

import click

from dedup.cli.common import (
    ERRORS_SHOWN,
    FOLLOW_SYMLINKS_HELP,
    MAX_JOBS,
    MAX_SEED,
    UsageFailure,
    scan_config,
)
from dedup.cli.output import (
    deliver,
    page_or_print,
    render_like,
    render_to_string,
    stderr_console,
    stdout_console,
    write_atomically,
)
from dedup.cli.progress import ProgressDisplay

FORMATS = ("table", "json", "jsonl", "csv", "markdown")
SEMANTIC_HELP = ("Story mode weighs meaning too: a multilingual sentence encoder shipped with dedup (Google's "
                 "Universal Sentence Encoder) reads each report's title and lead, so retellings in other words "
                 "and reports in German and English of one event are grouped. Costs about 3 s more per 1,000 "
                 "documents on two idle cores the first time (insm_de_press: 174 instead of 402 documents/s) and "
                 "little once their vectors are cached in the user's cache folder (375/s), and 150-400 MB of memory.")


@click.command("scan")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--mode", type=click.Choice(["copy", "story", "all"]), default="copy", show_default=True,
              help="copy: duplicates and copies (re-published, edited or shortened text); story: independent "
                   "reports of the same event; all: both.")
@click.option("--explain", is_flag=True,
              help="Show why each story pair was grouped: its score and the names, numbers, dates and words both share.")
@click.option("--semantic", is_flag=True, help=SEMANTIC_HELP)
@click.option("--shingles", default="word:5", show_default=True, metavar="UNIT:N",
              help="Shingles compared: word:N (N-word sequences) or char:N (N characters).")
@click.option("--num-perm", type=click.IntRange(2, 1024), default=128, show_default=True, help="MinHash permutations.")
@click.option("--seed", type=click.IntRange(0, MAX_SEED), default=1, show_default=True, help="MinHash seed.")
@click.option("--threshold", type=float, default=0.5, show_default=True,
              help="Jaccard similarity of shingle sets from which two texts are copies.")
@click.option("--containment", type=float, default=0.8, show_default=True,
              help="Share of the shorter text's shingles inside the longer one from which it is a (shortened) copy.")
@click.option("--jobs", "-j", type=click.IntRange(1, MAX_JOBS), default=None,
              help="Worker processes, or the CPUs of the local Ray that --engine ray starts [default: all cores].")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the report to FILE instead of standard output.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary; errors are still reported.")
@click.option("--no-pager", is_flag=True,
              help="Print a long table or Markdown report straight to the terminal instead of through "
                   "$DEDUP_PAGER, $PAGER or less.")
@click.option("--id-field", default="id", show_default=True, help="JSONL/CSV field or Parquet column holding the document id.")
@click.option("--text-field", default="text", show_default=True, help="JSONL/CSV field or Parquet column holding the text.")
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of text, JSONL and CSV files.")
@click.option("--follow-symlinks", is_flag=True, help=FOLLOW_SYMLINKS_HELP)
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="Where the work runs: this machine's cores, or a Ray cluster (pip install 'dedup[ray]').")
@click.option("--ray-address", default=None, metavar="HOST:PORT",
              help="The Ray cluster for --engine ray [default: RAY_ADDRESS, else a local Ray for the run].")
def scan(paths, mode, explain, semantic, shingles, num_perm, seed, threshold, containment, jobs, output_format, output,
         quiet, no_pager, id_field, text_field, encoding, follow_symlinks, engine, ray_address) -> None:
    """Group a corpus into clusters of duplicates, copies and stories.

    PATH is a directory (searched for .txt, .md, .html, .json, .jsonl, .csv and .parquet
    files), a JSONL, CSV or Parquet file, a single document, a URI of a Parquet file or
    folder (file://, s3://, gs://, hdfs://), or - for JSON Lines on standard input.

    The summary comes first; with --output the file gets the report and standard error
    the summary. A report taller than the terminal goes through a pager (--no-pager).
    """
    from dedup.engines import scan as run_scan  # noqa: PLC0415 -- keeps `dedup --help` instant
    from dedup.parallel import keep_freed_memory  # noqa: PLC0415

    if explain and mode == "copy":
        raise UsageFailure("--explain shows why reports were grouped as one story: add --mode story or --mode all")
    if ray_address and engine != "ray":
        raise UsageFailure("--ray-address is for --engine ray: add --engine ray, or leave the address out")
    if semantic and mode == "copy":
        raise UsageFailure("--semantic weighs the meaning of reports in story mode: add --mode story or --mode all")
    config = replace(scan_config(mode, shingles, num_perm, seed, threshold, containment, jobs, id_field, text_field,
                                 encoding, follow_symlinks, engine, ray_address), semantic=semantic)
    stderr = stderr_console()
    show_progress = not quiet and sys.stderr.isatty()
    keep_freed_memory()
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
        write_atomically(output, report if report.endswith("\n") else report + "\n")
        if not quiet:
            stderr_console().print(summary(result))
        return
    if output_format not in ("table", "markdown"):
        deliver(render(result), None)
        return
    from dedup.io.pager import find_pager  # noqa: PLC0415

    chosen = find_pager(sys.stdout) if pager else None
    if output_format == "markdown":
        page_or_print(render(result), chosen, lambda: render(result))
        return
    console = stdout_console()
    if chosen is None:
        draw(console, not quiet)
        return
    coloured = render_like(console, lambda target: draw(target, not quiet))
    page_or_print(coloured, chosen, lambda: render_to_string(lambda target: draw(target, not quiet), console.width),
                   console.height)


