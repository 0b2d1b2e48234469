"""Article text made safe to show: terminal escapes and other control characters are shown
as visible escapes (ESC becomes the four characters `\\x1b`), never sent to the terminal.

Article text is untrusted input. Renderers pass it through `printable` and hand it to
Rich as `Text` objects, never as markup strings, so "[bold]" in a headline stays "[bold]".
JSON reports go through `json_text`, so any id a reader accepted can be written as UTF-8.
"""

from __future__ import annotations

import json
import re

from dedup.io.indented_json import indented_json

# Also lone surrogates (JSON's "\ud800" can make one; no UTF-8 output can hold it) and the
# noncharacters U+FFFE/U+FFFF, which XML 1.0 forbids (a JUnit report must stay parseable).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile(r"\s*[\n\t]\s*")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def printable(text: str) -> str:
    """The text with every control character (and bidi override) replaced by its escape."""
    return _UNSAFE.sub(lambda match: match.group(0).encode("unicode_escape").decode("ascii"), text)


def one_line(text: str | None, limit: int | None = None) -> str:
    """Printable text on a single line, shortened with an ellipsis past `limit` characters."""
    if not text:
        return ""
    flat = printable(_LINE_BREAKS.sub(" ", text.strip()))
    if limit is not None and len(flat) > limit:
        return flat[: limit - 1].rstrip() + "…"
    return flat


def json_text(value: object, indent: int | None = None) -> str:
    """`json.dumps` for a report that will be written as UTF-8, keeping non-ASCII text readable.

    A lone surrogate in an id or title (a JSON input's "\\ud800" makes one) would stay raw
    with `ensure_ascii=False`, and writing the report would then fail with a
    UnicodeEncodeError. It is written as its JSON escape instead, which loads back to the
    same string. (Raw surrogates only ever stand inside JSON strings, so the escape is valid.)
    """
    text = json.dumps(value, ensure_ascii=False) if indent is None else indented_json(value, indent)
    return _LONE_SURROGATE.sub(lambda match: f"\\u{ord(match.group(0)):04x}", text)
