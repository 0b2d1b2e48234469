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
_INVISIBLE_CHARACTER = re.compile("[" + "".join(_INVISIBLE) + "]")
_SPACE_RUNS = re.compile(" {2,}")
_SPACES_AT_LINE_ENDS = re.compile(" *\n *")
_BLANK_LINES = re.compile(r"\n{3,}")

# Austrian (and older South German) month names and their abbreviations, mapped to the
# standard German ones, case-preserving: "Jänner" -> "Januar", "JÄNNER" -> "JANUAR",
# "Jän." -> "Jan.". The pattern starts with a literal class so the regex engine can skip
# ahead; the word boundary before it is checked in `_standard_month`.
_REGIONAL_MONTHS = {"jänner": "januar", "jän": "jan", "feber": "februar"}
_REGIONAL_MONTH_PATTERN = re.compile(r"[JjFf](?:änner|ÄNNER|än|ÄN|eber|EBER)\b")
# Substrings every match holds: looking for them is a fast scan of the text, the pattern's
# search a slower one.
_REGIONAL_MONTH_MARKERS = ("än", "ÄN", "eber", "EBER")


def _standard_month(match: re.Match[str]) -> str:
    found = match.group(0)
    if match.start() > 0 and match.string[match.start() - 1].isalnum():
        return found  # the end of a longer word, not a month name
    standard = _REGIONAL_MONTHS.get(found.lower())
    if standard is None:
        return found  # the pattern's letters, but no month name ("Fän", "Jeber")
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
    # Each substitution runs only when its target occurs: most texts need none of them.
    if any(marker in text for marker in _REGIONAL_MONTH_MARKERS):
        text = _REGIONAL_MONTH_PATTERN.sub(_standard_month, text)
    if "  " in text:
        text = _SPACE_RUNS.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = _SPACES_AT_LINE_ENDS.sub("\n", text)
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


def normalise_words(text: str) -> str:
    """The text with what `normalise` would change in its words, and nothing else: the
    words (\\w+) of both are the same (tested). Only compatibility forms, invisible
    characters (a soft hyphen inside a word joins its halves) and regional month names
    change a word; quotes, dashes, control characters and spacing are all non-word
    characters either way. A copy scan reads every word of a corpus, and this costs a
    third of `normalise`. Line breaks stay where they are."""
    text = unicodedata.normalize("NFKC", text)
    if any(character in text for character in _INVISIBLE):  # six fast scans, faster than one pattern's
        text = _INVISIBLE_CHARACTER.sub("", text)
    if any(marker in text for marker in _REGIONAL_MONTH_MARKERS):
        text = _REGIONAL_MONTH_PATTERN.sub(_standard_month, text)
    return text


def normalise_mapped(text: str) -> tuple[str, list[tuple[int, int]]]:
    """`normalise(text)` with, for each of its characters, the span of `text` it came from,
    so what is found in the normalised text can be quoted as the source wrote it
    ("10. Januar" found, "10. Jänner" shown). Every step of `normalise` is replayed on
    (character, span) pairs; if the replay ever disagrees with `normalise` (an NFKC
    composition across characters, as in Hangul), each character maps to the whole text."""
    chars: list[str] = []
    spans: list[tuple[int, int]] = []
    position = 0
    while position < len(text):
        end = position + 1
        if text[position] == "\r" and text[end:end + 1] == "\n":
            end += 1
        while end < len(text) and unicodedata.combining(text[end]):
            end += 1
        cluster = text[position:end].replace("\r\n", "\n").replace("\r", "\n")
        for char in unicodedata.normalize("NFKC", cluster):
            mapped = _CHARACTER_MAP.get(char, char)
            chars.extend(mapped)
            spans.extend([(position, end)] * len(mapped))
        position = end
    mapped_text, spans = _substitute("".join(chars), spans, _REGIONAL_MONTH_PATTERN, _standard_month)
    for pattern, replacement in ((_SPACE_RUNS, " "), (_SPACES_AT_LINE_ENDS, "\n"), (_BLANK_LINES, "\n\n")):
        mapped_text, spans = _substitute(mapped_text, spans, pattern, lambda match, new=replacement: new)
    start = len(mapped_text) - len(mapped_text.lstrip())
    stop = len(mapped_text.rstrip())
    mapped_text, spans = mapped_text[start:stop], spans[start:stop]
    if mapped_text != normalise(text):
        whole = normalise(text)
        return whole, [(0, len(text))] * len(whole)
    return mapped_text, spans


def _substitute(text: str, spans: list[tuple[int, int]], pattern: re.Pattern[str], replace) -> tuple[str, list[tuple[int, int]]]:
    """pattern.sub(replace, text), carrying the spans: a replacement's characters keep their
    own spans where it is as long as what it replaces, else all take the match's span."""
    pieces: list[str] = []
    new_spans: list[tuple[int, int]] = []
    last = 0
    for match in pattern.finditer(text):
        new = replace(match)
        pieces.append(text[last:match.start()])
        new_spans.extend(spans[last:match.start()])
        pieces.append(new)
        if len(new) == match.end() - match.start():
            new_spans.extend(spans[match.start():match.end()])
        elif match.end() > match.start():
            covering = (spans[match.start()][0], spans[match.end() - 1][1])
            new_spans.extend([covering] * len(new))
        last = match.end()
    pieces.append(text[last:])
    new_spans.extend(spans[last:])
    return "".join(pieces), new_spans
