"""Bytes to text, refusing what is not text: binary files, empty files, undecodable bytes.

Every refusal is a `ReadFailure` whose message says what is wrong and how to fix it; the
readers turn it into an `InputError` for the scan's error list.
"""

from __future__ import annotations

import codecs
import json

# A NUL byte in the first few kilobytes marks a binary file (images, archives, PDFs):
# the 8-bit encodings a news corpus uses (UTF-8, Latin-1, Windows-1252) never contain one.
# UTF-16 and UTF-32 do (every ASCII letter carries one), so they are recognised first: by
# their byte-order mark (Excel's "Unicode text" has one), or named with --encoding.
_SNIFF_BYTES = 8192
_WIDE_BOMS = (  # UTF-32-LE's mark starts with UTF-16-LE's: test it first
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)

# The largest single document (a .txt, .md or .html file, or one JSONL line) dedup reads:
# a long news feature is 100 KB; anything a thousand times that is not an article, and
# reading it whole would only exhaust memory. Container files (.json lists, .csv) are read
# whole too, so they get a larger bound; JSON Lines are streamed and have none.
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
MAX_CONTAINER_BYTES = 1024 * 1024 * 1024


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


def is_wide(encoding: str) -> bool:
    """True for the UTF-16 and UTF-32 families, whose text is full of NUL bytes."""
    return codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))


def wide_encoding(head: bytes, encoding: str) -> str:
    """The encoding a file must be decoded with: its own UTF-16/32 byte-order mark wins
    over the default, since such a file cannot be read as anything else."""
    for mark, name in _WIDE_BOMS:
        if head.startswith(mark):
            return name
    return encoding


def refuse_binary(head: bytes, encoding: str = "utf-8") -> None:
    """Raise if the first bytes of a file show it is not text in `encoding`."""
    head = head[:_SNIFF_BYTES]
    if is_wide(encoding) or b"\x00" not in head:
        return
    guess = _unmarked_wide_encoding(head)
    if guess:
        raise ReadFailure(f"looks like {guess.upper()} text without a byte-order mark: pass --encoding {guess}")
    raise ReadFailure("binary file, not text: remove it, or convert it to a format dedup reads "
                      "(.txt, .md, .html, .json, .jsonl, .csv, .parquet)")


def refuse_binary_lines(head: bytes, encoding: str = "utf-8") -> None:
    """Like `refuse_binary`, for line-oriented files (JSONL), where a line with a NUL byte
    spoils only itself: the file is binary only if most lines of its head are not text."""
    head = head[:_SNIFF_BYTES]
    if is_wide(encoding) or b"\x00" not in head:
        return
    lines = head.split(b"\n")
    if len(head) == _SNIFF_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the last one is cut by the sniff window
    lines = [line for line in lines if line.strip()]
    if sum(_is_text_line(line, encoding) for line in lines) * 2 > len(lines):
        return
    refuse_binary(head, encoding)


def _is_text_line(line: bytes, encoding: str) -> bool:
    if b"\x00" in line:
        return False
    try:
        line.decode(encoding)
        return True
    except UnicodeDecodeError:
        return False


def _unmarked_wide_encoding(head: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the NULs sit on every other byte, as they do in
    UTF-16 text of Latin script written without a byte-order mark."""
    even, odd = head[0::2], head[1::2]
    if len(odd) < 8:
        return None
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def read_bounded(stream, limit: int, what: str) -> bytes:
    """All of `stream`, refusing one larger than `limit` bytes before it fills memory."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ReadFailure(f"larger than the {limit // 2**20} MB dedup reads as {what}: "
                          "split it, or convert it to JSON Lines, which dedup streams")
    return data


def decode_text(data: bytes, encoding: str = "utf-8") -> str:
    """Decode a whole file, refusing binary, empty and undecodable content."""
    encoding = wide_encoding(data, encoding)
    refuse_binary(data, encoding)
    if not is_wide(encoding) and not data.strip():
        raise ReadFailure("empty file: remove it, or check that whatever wrote it finished")
    if encoding.replace("_", "-").lower() in ("utf-8", "utf8"):
        encoding = "utf-8-sig"  # a byte-order mark is not part of the text
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        if is_wide(encoding):
            line = data[:error.start].decode(encoding, "replace").count("\n") + 1
        raise ReadFailure(
            f"byte 0x{data[error.start]:02x} is not valid {error.encoding}: "
            "re-encode the file as UTF-8 (iconv -f cp1252 -t utf-8) or pass --encoding",
            line=line,
        ) from None
    if not text.lstrip("\ufeff").strip():
        raise ReadFailure("empty file: remove it, or check that whatever wrote it finished")
    return text.lstrip("\ufeff")


def decode_line(data: bytes, encoding: str = "utf-8") -> str:
    """Decode one line of a line-oriented file (JSONL), so one bad line spoils only itself."""
    if b"\x00" in data:
        raise ReadFailure("NUL byte in the line: the line is damaged; remove the NUL bytes (tr -d '\\000') or the line")
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
