"""JSON Lines: one article per line, from a file or standard input.

Lines are read as bytes here and parsed later, one at a time, by `PendingLine.load` (in
a scan's worker processes, so that parsing runs on all cores): a malformed or
undecodable line is reported with its number and the rest of the file is still read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from dedup.io.decoding import ReadFailure, decode_line, parse_json, refuse_binary
from dedup.io.records import FieldMap, article_from_record
from dedup.model import Article, InputError


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
            refuse_binary(stream.peek(8192))
            yield from read_jsonl_stream(stream, path, fields, encoding, id_prefix)
    except ReadFailure as failure:
        yield InputError(path, failure.message)
    except OSError as error:
        yield InputError(path, f"cannot read: {error.strerror}")


def read_jsonl_stream(
    stream: BinaryIO | Iterable[bytes], name: str, fields: FieldMap, encoding: str = "utf-8", id_prefix: str | None = None
) -> Iterator[PendingLine | InputError]:
    """The lines of a stream of JSONL bytes; `name` is how errors refer to it, and the
    prefix of fallback ids unless `id_prefix` is given."""
    any_line = False
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        any_line = True
        yield PendingLine(raw, name, number, id_prefix or name, fields, encoding)
    if not any_line:
        yield InputError(name, "empty input, no JSON lines: check that whatever wrote it finished")


def _parse_line(raw: bytes, encoding: str) -> object:
    try:
        return parse_json(decode_line(raw, encoding), "fix or remove the line")
    except ReadFailure as failure:
        failure.line = None  # a line of its own: the caller names the JSONL line
        raise
