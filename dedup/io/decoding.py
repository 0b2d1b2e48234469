"""Bytes to text, refusing what is not text: binary files, empty files, undecodable bytes.

Every refusal is a `ReadFailure` whose message says what is wrong and how to fix it; the
readers turn it into an `InputError` for the scan's error list.
"""

from __future__ import annotations

import codecs
import json

# A NUL byte in the first few kilobytes marks a binary file (images, archives, PDFs):
# text encodings a news corpus uses (UTF-8, Latin-1, Windows-1252) never contain one.
_SNIFF_BYTES = 8192


class ReadFailure(Exception):
    """An input that cannot be read as text; `line` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def check_encoding_name(encoding: str) -> str:
    """The codec's canonical name, or a ValueError a CLI can show as a usage error."""
    try:
        b"a".decode(encoding, "ignore")  # "rot13" and "base64" are codecs, but not of text: LookupError here
        return codecs.lookup(encoding).name
    except LookupError:
        raise ValueError(f"unknown or non-text encoding {encoding!r}: use a Python text codec name such as utf-8 or cp1252") from None


def refuse_binary(head: bytes) -> None:
    """Raise if the first bytes of a file show it is binary."""
    if b"\x00" in head[:_SNIFF_BYTES]:
        raise ReadFailure("binary file, not text: dedup reads .txt, .md, .html, .json, .jsonl and .csv")


def decode_text(data: bytes, encoding: str = "utf-8") -> str:
    """Decode a whole file, refusing binary, empty and undecodable content."""
    refuse_binary(data)
    if not data.strip():
        raise ReadFailure("empty file: remove it, or check that whatever wrote it finished")
    if encoding.replace("_", "-").lower() in ("utf-8", "utf8"):
        encoding = "utf-8-sig"  # a byte-order mark is not part of the text
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ReadFailure(
            f"byte 0x{data[error.start]:02x} is not valid {error.encoding}: "
            "re-encode the file as UTF-8 (iconv -f cp1252 -t utf-8) or pass --encoding",
            line=line,
        ) from None


def decode_line(data: bytes, encoding: str = "utf-8") -> str:
    """Decode one line of a line-oriented file (JSONL), so one bad line spoils only itself."""
    if b"\x00" in data:
        raise ReadFailure("NUL byte in the line: the file is binary or corrupt")
    try:
        return data.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    except UnicodeDecodeError as error:
        raise ReadFailure(
            f"byte 0x{data[error.start]:02x} is not valid {error.encoding}: "
            "re-encode the file as UTF-8 or pass --encoding"
        ) from None


def parse_json(text: str, fix: str) -> object:
    """json.loads, with every way a hostile or broken document can fail it turned into a
    ReadFailure naming the problem and `fix`: a syntax error, nesting deeper than the
    parser's stack (RecursionError), a number longer than Python's 4,300-digit limit."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ReadFailure(f"malformed JSON ({error.msg} at column {error.colno}): {fix}", error.lineno) from None
    except RecursionError:
        raise ReadFailure(f"JSON nested too deeply to read: {fix}") from None
    except ValueError as error:  # "Exceeds the limit (4300 digits) for integer string conversion"
        raise ReadFailure(f"JSON value out of range ({str(error).split(';')[0]}): {fix}") from None
