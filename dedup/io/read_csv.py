"""CSV files with a header row: one article per row.

Rows are numbered by the line they start on, as a spreadsheet user would find them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from dedup.io.decoding import ReadFailure, decode_text
from dedup.io.records import FieldMap, article_from_record
from dedup.model import Article, InputError

# Article bodies are longer than the csv module's default field limit of 128 KiB.
csv.field_size_limit(2**31 - 1)


def read_csv(path: str, fields: FieldMap, encoding: str = "utf-8") -> Iterator[Article | InputError]:
    try:
        with open(path, "rb") as stream:
            text = decode_text(stream.read(), encoding)
    except ReadFailure as failure:
        yield InputError(path, failure.message, failure.line)
        return
    except OSError as error:
        yield InputError(path, f"cannot read: {error.strerror}")
        return
    yield from _rows(text, path, fields)


def _rows(text: str, path: str, fields: FieldMap) -> Iterator[Article | InputError]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    if fields.text_field not in header:
        columns = ", ".join(header[:8]) or "none"
        yield InputError(path, f"no {fields.text_field!r} column (columns: {columns}); name it with --text-field", 1)
        return
    start_line = reader.line_num + 1
    try:
        for row in reader:
            origin = f"{path}:{start_line}"
            try:
                yield article_from_record(row, origin, origin, fields)
            except ReadFailure as failure:
                yield InputError(path, failure.message, start_line)
            start_line = reader.line_num + 1
    except csv.Error as error:
        yield InputError(path, f"malformed CSV ({error}): fix the quoting from this line on", start_line)
