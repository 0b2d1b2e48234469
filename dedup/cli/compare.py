"""`dedup compare A B`: two reports side by side, fact by fact."""

from __future__ import annotations

import os

import click

from dedup.cli.common import MIN_WIDTH, UsageFailure
from dedup.cli.output import deliver, render_to_string, stdout_console

COMPARE_FORMATS = ("table", "json", "markdown", "html")


@click.command("compare")
@click.argument("left", metavar="A")
@click.argument("right", metavar="B")
@click.option("--format", "output_format", type=click.Choice(COMPARE_FORMATS), default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the comparison to FILE instead of standard output.")
@click.option("--width", type=click.IntRange(min=MIN_WIDTH), default=None,
              help="Width of the table in columns [default: the terminal's, 120 in a file].")
@click.option("--id-field", default="id", show_default=True, help="JSONL/CSV field or Parquet column holding the document id.")
@click.option("--text-field", default="text", show_default=True, help="JSONL/CSV field or Parquet column holding the text.")
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of text, JSONL and CSV files.")
@click.option("--semantic/--lexical", default=True, show_default=True,
              help="Pair sentences by meaning too (a multilingual sentence encoder, about a second to load): "
                   "paraphrases and German-English translations align. --lexical compares words only.")
def compare_command(left, right, output_format, output, width, id_field, text_field, encoding, semantic) -> None:
    """Compare two reports fact by fact: shared, paraphrased, conflicting and one-sided sentences.

    A and B are each a document file (.txt, .md, .html, .json) or FILE.jsonl#ID /
    FILE.csv#ID / FILE.parquet#ID for the record with that id.
    """
    from dedup.facts.compare import compare  # noqa: PLC0415 -- only `dedup compare` pays for it
    from dedup.io.decoding import check_encoding_name  # noqa: PLC0415
    from dedup.io.records import FieldMap  # noqa: PLC0415

    try:
        encoding = check_encoding_name(encoding)
    except ValueError as error:
        raise UsageFailure(str(error)) from None
    fields = FieldMap(id_field=id_field, text_field=text_field)
    diff = compare(_read_one(left, fields, encoding), _read_one(right, fields, encoding), semantic=semantic)
    _emit_compare(diff, output_format, output, width)


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


