"""CSV files with a header row: one article per row.

Rows are numbered by the line they start on, as a spreadsheet user would find them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from dedup.io.decoding import (
    MAX_CONTAINER_BYTES,
    ReadFailure,
    decode_text,
    read_bounded,
)
from dedup.io.records import FieldMap, article_from_record
from dedup.model import Article, InputError, PassedOver

# Article bodies are longer than the csv module's default field limit of 128 KiB.
csv.field_size_limit(2**31 - 1)


# The header of `dedup scan --format csv` (dedup.io.writers.write_csv).
SCAN_CSV_HEADER = "cluster,relation,size,id,title,source,date"


def read_csv(path: str, fields: FieldMap, encoding: str = "utf-8", id_prefix: str | None = None) -> Iterator[Article | InputError]:
    """Articles from a CSV file; a row without an id is named "<id_prefix>:<line>"."""
    try:
        with open(path, "rb") as stream:
            text = decode_text(read_bounded(stream, MAX_CONTAINER_BYTES, "a CSV file"), encoding)
    except ReadFailure as failure:
        yield InputError(path, failure.message, failure.line)
        return
    except OSError as error:
        yield InputError(path, f"cannot read: {error.strerror}")
        return
    if text.lstrip("\ufeff").split("\n", 1)[0].strip() == SCAN_CSV_HEADER:  # dedup's own report beside a corpus
        yield PassedOver(path, "a dedup scan --format csv report that dedup wrote")
        return
    yield from _rows(text, path, fields, id_prefix or path)


def _rows(text: str, path: str, fields: FieldMap, id_prefix: str) -> Iterator[Article | InputError]:
    # strict: an unclosed quote is an error, not a field that swallows the rest of the file.
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        header = reader.fieldnames or []
    except csv.Error as error:  # the header itself opens a quote it never closes: '"id,text'
        yield InputError(path, f"malformed CSV header ({error}): fix the quoting of the first line", 1)
        return
    if fields.text_field not in header:
        columns = ", ".join(header[:8]) or "none"
        yield InputError(path, f"no {fields.text_field!r} column (columns: {columns}); name it with --text-field", 1)
        return
    start_line = reader.line_num + 1
    any_row = False
    try:
        for row in reader:
            any_row = True
            try:
                yield article_from_record(row, f"{id_prefix}:{start_line}", f"{path}:{start_line}", fields)
            except ReadFailure as failure:
                yield InputError(path, failure.message, start_line)
            start_line = reader.line_num + 1
    except csv.Error as error:
        yield InputError(path, f"malformed CSV ({error}): fix the quoting from this line on", start_line)
        return
    if not any_row:
        # A header and nothing below it is an export that stopped early: say so, as an
        # empty JSON Lines file does, rather than scan "0 documents" without a word.
        yield InputError(path, "a header and no rows below it: check that whatever wrote the file finished")
