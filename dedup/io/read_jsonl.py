"""JSON Lines: one article per line, from a file or standard input.

Lines are read as bytes here and parsed later, one at a time, by `PendingLine.load` (in
a scan's worker processes, so that parsing runs on all cores): a malformed or
undecodable line is reported with its number and the rest of the file is still read.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import AnyStr, BinaryIO

from dedup.io.decoding import (
    MAX_DOCUMENT_BYTES,
    ReadFailure,
    decode_line,
    is_wide,
    parse_json,
    refuse_binary_lines,
    wide_encoding,
)
from dedup.io.records import FieldMap, article_from_record
from dedup.model import Article, InputError, PassedOver


@dataclass(frozen=True, slots=True)
class PendingLine:
    """One line of a JSONL input, still to be parsed."""

    raw: bytes
    name: str  # the input, as errors name it
    number: int  # 1-based line number
    id_prefix: str  # a record without an id is "<id_prefix>:<number>"
    fields: FieldMap
    encoding: str

    def load(self) -> list[Article | InputError]:
        try:
            record = _parse_line(self.raw, self.encoding)
            fallback_id, origin = f"{self.id_prefix}:{self.number}", f"{self.name}:{self.number}"
            return [article_from_record(record, fallback_id, origin, self.fields)]
        except ReadFailure as failure:
            return [InputError(self.name, failure.message, self.number)]


def read_jsonl(path: str, fields: FieldMap, encoding: str = "utf-8", id_prefix: str | None = None) -> Iterator[PendingLine | InputError]:
    """Articles from a JSONL file; a record without an id is named "<id_prefix>:<line>"."""
    try:
        with open(path, "rb") as stream:
            yield from read_jsonl_stream(stream, path, fields, encoding, id_prefix)
    except ReadFailure as failure:
        yield InputError(path, failure.message)
    except OSError as error:
        yield InputError(path, f"cannot read: {error.strerror}")


def _own_schema(head: bytes, encoding: str) -> str | None:
    """The schema a dedup report names on its first line, or None."""
    first = head.split(b"\n", 1)[0]
    if b'"schema"' not in first:
        return None
    try:
        record = json.loads(first.decode(encoding))
    except (ValueError, UnicodeDecodeError, LookupError):
        return None
    schema = record.get("schema") if isinstance(record, dict) else None
    return schema if isinstance(schema, str) and schema.startswith("dedup.") else None


def read_jsonl_stream(
    stream: BinaryIO, name: str, fields: FieldMap, encoding: str = "utf-8", id_prefix: str | None = None
) -> Iterator[PendingLine | InputError]:
    """The lines of a stream of JSONL bytes; `name` is how errors refer to it, and the
    prefix of fallback ids unless `id_prefix` is given."""
    head = stream.peek(8192) if hasattr(stream, "peek") else b""
    encoding = wide_encoding(head, encoding)
    schema = _own_schema(head, encoding)
    if schema:  # dedup's own JSON Lines report (`dedup scan --format jsonl -o`) beside a corpus
        yield PassedOver(name, f"a {schema} file that dedup wrote")
        return
    try:
        refuse_binary_lines(head, encoding)
    except ReadFailure as failure:
        yield InputError(name, failure.message)
        return
    if is_wide(encoding):
        lines, encoding = _wide_lines(stream, encoding), "utf-8"
    else:
        lines = _bounded_lines(stream.readline)
    any_line = False
    for number, raw in enumerate(lines, start=1):
        if isinstance(raw, ReadFailure):
            yield InputError(name, raw.message, number)
            continue
        if not raw.strip():
            continue
        any_line = True
        yield PendingLine(raw, name, number, id_prefix or name, fields, encoding)
    if not any_line:
        yield InputError(name, "empty input, no JSON lines: check that whatever wrote it finished")


def _bounded_lines(readline: Callable[[int], AnyStr]) -> Iterator[AnyStr | ReadFailure]:
    """The lines `readline` gives; one longer than a document can be is skipped, not held
    in memory (a file with no newline at all is one such line)."""
    while True:
        line = readline(MAX_DOCUMENT_BYTES + 1)
        if not line:
            return
        if len(line) <= MAX_DOCUMENT_BYTES:
            yield line
            continue
        while line and line[-1:] not in ("\n", b"\n"):
            line = readline(MAX_DOCUMENT_BYTES)
        yield ReadFailure(f"line longer than the {MAX_DOCUMENT_BYTES // 2**20} MB dedup reads as one record: "
                          "split the record or remove the line")


def _wide_lines(stream: BinaryIO, encoding: str) -> Iterator[bytes | ReadFailure]:
    """The lines of UTF-16/32 JSONL, re-encoded as UTF-8. Past an undecodable byte such a
    stream cannot even be split into lines, so the reading ends there, with the reason."""
    text = io.TextIOWrapper(stream, encoding=encoding, newline="\n")
    try:
        for line in _bounded_lines(text.readline):
            yield line if isinstance(line, ReadFailure) else line.encode("utf-8")
    except UnicodeDecodeError as error:
        yield ReadFailure(f"not valid {error.encoding} from here on: re-encode the file as UTF-8 or pass --encoding")
    finally:
        text.detach()


def _parse_line(raw: bytes, encoding: str) -> object:
    try:
        return parse_json(decode_line(raw, encoding), "fix or remove the line")
    except ReadFailure as failure:
        failure.line = None  # a line of its own: the caller names the JSONL line
        raise
