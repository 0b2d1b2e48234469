"""The CI gate's commands: `dedup index add|info` and `dedup check`.

They share the exit codes and output helpers of the other commands (dedup.cli.common,
.output, .progress). Exit code 1 (findings) is theirs alone.
"""

from __future__ import annotations

import os
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
from dedup.cli.output import deliver, render_to_string, stderr_console, stdout_console
from dedup.cli.progress import ProgressDisplay

CHECK_FORMATS = ("table", "json", "sarif", "junit", "github")
EXIT_FINDINGS = 1


def _corpus_options(command):
    """The reading options every command that reads a corpus takes."""
    for option in reversed([
        click.option("--jobs", "-j", type=click.IntRange(1, MAX_JOBS), default=None, help="Worker processes [default: all cores]."),
        click.option("--id-field", default="id", show_default=True, help="JSONL/CSV field or Parquet column holding the document id."),
        click.option("--text-field", default="text", show_default=True, help="JSONL/CSV field or Parquet column holding the text."),
        click.option("--encoding", default="utf-8", show_default=True, help="Encoding of text, JSONL and CSV files."),
        click.option("--follow-symlinks", is_flag=True, help=FOLLOW_SYMLINKS_HELP),
    ]):
        command = option(command)
    return command


@click.group("index")
def index_group() -> None:
    """A persistent index of a corpus, for `dedup check` (SQLite file, or redis://HOST:PORT/DB)."""


@index_group.command("add")
@click.argument("paths", nargs=-1, required=True, metavar="CORPUS...")
@click.option("--index", "location", required=True, metavar="PATH|URL", help="Index file (created if missing) or redis://HOST:PORT/DB.")
@click.option("--shingles", default=None, metavar="UNIT:N", help="Shingles, for a new index [default: word:5]; must match an existing one.")
@click.option("--num-perm", type=click.IntRange(2, 1024), default=None, help="MinHash permutations, for a new index [default: 128].")
@click.option("--seed", type=click.IntRange(0, MAX_SEED), default=None, help="MinHash seed, for a new index [default: 1].")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary.")
@_corpus_options
def index_add(paths, location, shingles, num_perm, seed, quiet, jobs, id_field, text_field, encoding, follow_symlinks) -> None:
    """Add documents to an index. A run is all or nothing: interrupted, it leaves the index as it was.

    Documents already indexed under the same id and text are skipped, so a corpus can be added again.
    """
    from dedup.gate.indexing import add_to_index  # noqa: PLC0415
    from dedup.index.open import open_index, wanted_params  # noqa: PLC0415

    try:
        wanted = wanted_params(shingles, num_perm, seed)
    except ValueError as error:
        raise UsageFailure(str(error)) from None
    existed = location.startswith("redis://") or os.path.exists(location)
    index = _open_index(open_index, location, wanted, create=True)
    try:
        config = scan_config("all", str(index.params.shingles), index.params.minhash.num_perm, index.params.minhash.seed,
                              0.5, 0.8, jobs, id_field, text_field, encoding, follow_symlinks)
        stderr = stderr_console()
        with ProgressDisplay(stderr, not quiet and sys.stderr.isatty()) as progress:
            tally = add_to_index(paths, index, config, progress)
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
            stubs = f" ({tally.stubs:,} of them stubs: too short to judge once their site's furniture is out)" if tally.stubs else ""
            stderr.print(f"{tally.added:,} document(s) added to {location}{stubs} ({index.count:,} in all); {tally.already:,} "
                         f"already indexed, {len(tally.errors):,} not added (see above)", highlight=False, markup=False)
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
        deliver(json.dumps(info, indent=2) + "\n", None)
        return
    width = max(len(name) for name in info)
    deliver("".join(f"{name.ljust(width)}  {value}\n" for name, value in info.items()), None)


@click.command("check")
@click.argument("paths", nargs=-1, required=True, metavar="NEW...")
@click.option("--against", "location", required=True, metavar="PATH|URL", help="The index to check against (see `dedup index add`).")
@click.option("--mode", type=click.Choice(["copy", "story", "all"]), default="copy", show_default=True,
              help="copy: duplicates and copies; story: retellings of the same event; all: both.")
@click.option("--semantic", is_flag=True,
              help="Story checks weigh meaning too, as `dedup scan --semantic` does (retellings in other words and "
                   "in the other language); needs --mode story or all.")
@click.option("--fail-on", type=click.Choice(["duplicate", "copy", "story"]), default=None,
              help="Fail on findings this tight or tighter (duplicate < copy < story) [default: all the mode finds].")
@click.option("--baseline", type=click.Path(dir_okay=False), default=None,
              help="Decisions file (dedup.decisions/1): pairs it covers are accepted and do not fail.")
@click.option("--update-baseline", is_flag=True, help="Record the current findings as accepted in --baseline, then pass.")
@click.option("--format", "output_format", type=click.Choice(CHECK_FORMATS), default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the report to FILE instead of standard output.")
@click.option("--quiet", "-q", is_flag=True, help="No summary line on stderr when the report goes to a file.")
@click.option("--show-accepted", is_flag=True,
              help="List the findings the baseline accepts too (table, github, junit); they are always counted.")
@_corpus_options
def check_command(paths, location, mode, semantic, fail_on, baseline, update_baseline, output_format, output, quiet,
                  show_accepted, jobs, id_field, text_field, encoding, follow_symlinks) -> None:
    """Check incoming documents against an index and each other; exit 1 on findings.

    Exit codes: 0 nothing at or above --fail-on (or all accepted), 1 findings, 2 usage or input
    error (an incoming document that cannot be read is one, after the report).
    """
    from dedup.gate.check import check  # noqa: PLC0415
    from dedup.gate.decisions import Decisions  # noqa: PLC0415
    from dedup.index.open import open_index  # noqa: PLC0415
    from dedup.model import Relation  # noqa: PLC0415

    if semantic and mode == "copy":
        raise UsageFailure("--semantic weighs the meaning of reports in story checks: add --mode story or --mode all")
    if update_baseline and not baseline:
        raise UsageFailure("--update-baseline needs --baseline FILE: name the decisions file to record the findings in")
    decisions = Decisions.load(baseline) if baseline else Decisions()
    index = _open_index(open_index, location, None, create=False)
    try:
        config = replace(scan_config(mode, str(index.params.shingles), index.params.minhash.num_perm,
                                     index.params.minhash.seed, 0.5, 0.8, jobs, id_field, text_field, encoding,
                                     follow_symlinks), semantic=semantic)
        loosest = Relation.STORY if mode != "copy" else Relation.COPY
        result = check(paths, index, config, Relation(fail_on) if fail_on else loosest, decisions)
    finally:
        index.close()
    if result.errors:
        from dedup.io.table import error_lines  # noqa: PLC0415

        stderr_console().print(error_lines(result, ERRORS_SHOWN))
    if not result.documents:
        raise UsageFailure("no documents could be read from " + ", ".join(paths) + ": check the paths and formats above")
    if update_baseline:
        result = _record_baseline(result, decisions, baseline)
    try:
        _emit_check(result, output_format, output, quiet, show_accepted)
    except BrokenPipeError:
        # The reader stopped early (`dedup check … | head`): the verdict still stands, and a CI
        # job reads it from the exit code, so only the rest of the report is dropped.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if result.errors:
        # A gate that could not read part of its batch has not checked it: an input error.
        raise UsageFailure(f"{len(result.errors)} incoming input(s) could not be read (listed above): fix or remove them")
    if result.failing:
        raise click.exceptions.Exit(EXIT_FINDINGS)


def _record_baseline(result, decisions, path: str):
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


def _emit_check(result, output_format: str, output: str | None, quiet: bool, show_accepted: bool) -> None:
    from dedup.io import check_report  # noqa: PLC0415

    if output_format == "table":
        if output is None:
            check_report.render_table(result, stdout_console(), show_accepted)
            return
        deliver(render_to_string(lambda console: check_report.render_table(result, console, show_accepted)), output)
    else:
        render = {"json": check_report.write_json, "sarif": check_report.write_sarif,
                  "junit": lambda report: check_report.write_junit(report, show_accepted),
                  "github": lambda report: check_report.write_github(report, show_accepted)}[output_format]
        deliver(render(result), output)
    if output_format == "github":
        # GitHub Actions names a file per step; outside it the variable is unset and this does nothing.
        check_report.append_step_summary(os.environ.get("GITHUB_STEP_SUMMARY"), result, show_accepted)
    if output is not None and not quiet:
        stderr_console().print(check_report.summary_line(result), markup=False)


def _open_index(open_index, location: str, wanted, create: bool):
    try:
        return open_index(location, wanted, create)
    except ValueError as error:  # parameters the index records that this dedup cannot use
        raise UsageFailure(str(error)) from None
