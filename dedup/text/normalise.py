"""The one normaliser: the canonical form of a text that scan, compare and check all fingerprint.

It folds away differences that carry no meaning for "is this the same text": Unicode
compatibility forms, typographic quotes and dashes, invisible characters, spacing, and
regional spellings of month names (Austrian "Jänner" is the German "Januar"). It keeps
case and paragraph breaks, so the result can still be segmented and shown.

`normalise(normalise(t)) == normalise(t)` for every text; the tests hold it to that.
It never removes words: page debris is the job of `dedup.text.page`.
"""

from __future__ import annotations

import re
import unicodedata

# Typographic quotes become the ASCII ones a person would type; guillemets too, since
# German and Swiss papers use „…“, »…« and «…» for the same quotation. Every dash and
# minus becomes a hyphen-minus: "Kiew – Moskau" and "Kiew - Moskau" are one text.
_TYPOGRAPHY = {
    "„": '"', "“": '"', "”": '"', "‟": '"', "«": '"', "»": '"', "″": '"',
    "‚": "'", "‘": "'", "’": "'", "‛": "'", "‹": "'", "›": "'", "′": "'", "`": "'",
    **{dash: "-" for dash in "‐‑‒–—―−⁃﹘﹣－"},
}
# Characters that render as nothing (soft hyphen, zero-width spaces and joiners, BOM).
_INVISIBLE = {char: "" for char in "\u00ad\u200b\u200c\u200d\u2060\ufeff"}
# Control characters (never text, and unsafe on a terminal) and the whitespace that NFKC
# leaves other than space and newline (tab, line and paragraph separators) become spaces.
_CONTROL_OR_ODD_SPACE = {
    chr(code): " " for code in (*range(0x00, 0x0A), *range(0x0B, 0x20), *range(0x7F, 0xA0), 0x1680, 0x2028, 0x2029)
}
_CHARACTER_MAP = {**_TYPOGRAPHY, **_INVISIBLE, **_CONTROL_OR_ODD_SPACE}
# One substitution that calls Python only where a mapped character stands; a translate
# table would call it for every character of the text.
_MAPPED_CHARACTER = re.compile("[" + re.escape("".join(_CHARACTER_MAP)) + "]")
_SPACE_RUNS = re.compile(" {2,}")
_SPACES_AT_LINE_ENDS = re.compile(" *\n *")
_BLANK_LINES = re.compile(r"\n{3,}")

# Austrian (and older South German) month names and their abbreviations, mapped to the
# standard German ones, case-preserving: "Jänner" -> "Januar", "JÄNNER" -> "JANUAR",
# "Jän." -> "Jan.". The pattern starts with a literal class so the regex engine can skip
# ahead; the word boundary before it is checked in `_standard_month`.
_REGIONAL_MONTHS = {"jänner": "januar", "jän": "jan", "feber": "februar"}
_REGIONAL_MONTH_PATTERN = re.compile(r"[JjFf](?:änner|ÄNNER|än|ÄN|eber|EBER)\b")


def _standard_month(match: re.Match[str]) -> str:
    found = match.group(0)
    if match.start() > 0 and match.string[match.start() - 1].isalnum():
        return found  # the end of a longer word, not a month name
    standard = _REGIONAL_MONTHS[found.lower()]
    if found.isupper():
        return standard.upper()
    if found[0].isupper():
        return standard.capitalize()
    return standard


def normalise(text: str) -> str:
    """Return the canonical form of `text` (see the module docstring for what is folded)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFKC", text)
    text = _MAPPED_CHARACTER.sub(lambda match: _CHARACTER_MAP[match.group(0)], text)
    text = _REGIONAL_MONTH_PATTERN.sub(_standard_month, text)
    # Each substitution runs only when its target occurs: most texts need none of them.
    if "  " in text:
        text = _SPACE_RUNS.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = _SPACES_AT_LINE_ENDS.sub("\n", text)
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()
