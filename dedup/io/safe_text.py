"""Article text made safe to show: terminal escapes and other control characters are shown
as visible escapes (ESC becomes the four characters `\\x1b`), never sent to the terminal.

Article text is untrusted input. Renderers pass it through `printable` and hand it to
Rich as `Text` objects, never as markup strings, so "[bold]" in a headline stays "[bold]".
"""

from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"\s*[\n\t]\s*")


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
