"""`dedup review`: the Textual review of a corpus (tui/); only this command loads Textual."""

from __future__ import annotations

import os

import click

from dedup.cli.common import UsageFailure
from dedup.cli.scan import SEMANTIC_HELP


@click.command("review")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--decisions", type=click.Path(dir_okay=False), default=None,
              help="Decisions file to read and write [default: one per corpus in the user's state folder, "
                   "named at the top of the screen; never in the corpus].")
@click.option("--semantic", is_flag=True, help=SEMANTIC_HELP + " (For a corpus; a saved report keeps its own clusters.)")
def review_command(paths, decisions, semantic) -> None:
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

    app = ReviewApp(list(paths), decisions, semantic=semantic)
    app.run()
    if app.problem:
        raise UsageFailure(app.problem)


