"""Sentence segmentation for German and English news.

pysbd and syntok (both MIT) were tried first and each fails cases news text is full of:
pysbd splits after "im Jan." and before a closing »« or "; syntok splits "am 10. Jänner"
and "31. Dezember 2021" in two. The rules here handle them:

- a sentence ends at . ! ? (plus any closing quotes or brackets glued to it) followed by
  a space and something that can start a sentence;
- not after a known abbreviation ("Dr.", "u.a.", "Jan.", "Mr.", "U.S.") or an initial;
- not after an ordinal ("10. Jänner", "7. Dezember", "zum 3. Mal");
- not inside an open quotation („…“, »…«, «…», "…"), so a quoted statement stays whole;
- never across a line break: each line (paragraph, subheading) is segmented on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dedup.text.dates import MONTH_NUMBERS, parse_date_line

# Abbreviations that end with a period inside a sentence, case-folded, without the period.
_ABBREVIATIONS = {
    # German
    "dr", "prof", "nr", "bzw", "ca", "vgl", "usw", "etc", "inkl", "exkl", "evtl", "ggf", "sog", "str", "abs",
    "bd", "hr", "fr", "dipl", "ing", "mio", "mrd", "tsd", "jh", "jhd", "vs", "ev", "gmbh", "st", "lt", "zzgl",
    "u.a", "z.b", "d.h", "u.s.w", "o.ä", "s.o", "s.u", "i.d.r", "u.u", "z.t", "z.zt", "v.a", "a.d", "o.g",
    # months and weekdays, abbreviated
    "jan", "feb", "mär", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "oct", "nov", "dez", "dec",
    # (not "So." and "Do.", which are also the words "so" and "do" ending a sentence)
    "mo", "di", "mi", "sa", "mon", "tue", "wed", "thu", "fri", "sat", "sun",
    # English
    "mr", "mrs", "ms", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "capt", "cmdr", "adm", "rev", "jr", "sr",
    "inc", "corp", "co", "ltd", "vol", "fig", "approx", "dept", "est", "u.s", "u.k", "u.n", "e.g", "i.e",
    "a.m", "p.m", "d.c",
}
# Words that follow an ordinal number: "am 10. Januar", "zum 3. Mal", "der 75. Jahrestag".
_ORDINAL_NOUNS = set(MONTH_NUMBERS) | {
    "mal", "platz", "stock", "jahrestag", "geburtstag", "todestag", "bezirk", "runde", "spieltag", "woche",
    "monat", "jahrhundert", "jahrhunderts", "liga", "parteitag", "kalenderwoche", "etappe", "lauf", "tag",
}
_OPENING_QUOTES = {"„": "“", "»": "«", "«": "»", "“": "”", "‚": "‘"}
_CLOSERS = "\"'“”»«’‘)]"
_TERMINAL = re.compile(r"[.!?]+[\"'“”»«’‘)\]]*(?=\s)")
_NEXT_STARTS_SENTENCE = re.compile(r"\s+[\"'„“»«‚(\[]?[-–—]?\s?[A-ZÄÖÜ0-9]")
_WORD_BEFORE = re.compile(r"([\w.]+)[.!?]+[\"'“”»«’‘)\]]*$")
# A quotation that runs longer than this without closing is unbalanced: stop respecting it.
_MAX_QUOTE_CHARACTERS = 600


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    text: str
    start: int  # character offsets in the article text
    end: int
    paragraph: int  # the line it stands on, counting non-empty lines from 0


# A heading stands alone on its line, is short and does not end as a sentence does
# ("Weitere diplomatische Gespräche geplant", "Fortschritte im Januar?").
HEADING_WORDS = 10
_SENTENCE_END = re.compile(r"[.!:;,\"'»«“”„)\]]$")


def is_heading(sentence: Sentence, sentences: list[Sentence]) -> bool:
    """Whether a sentence is a heading or teaser line rather than a statement of fact. A line
    that is only a date ("31. Dezember 2021") is a dateline and keeps its date."""
    alone = all(other.paragraph != sentence.paragraph for other in sentences if other.index != sentence.index)
    words = sentence.text.split()
    return (alone and len(words) <= HEADING_WORDS and not _SENTENCE_END.search(sentence.text)
            and sum(word[:1].isalpha() for word in words) >= 2 and parse_date_line(sentence.text) is None)


def split_sentences(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    offset = 0
    paragraph = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            line_start = offset + (len(line) - len(line.lstrip()))
            for start, end in _line_spans(stripped):
                sentences.append(
                    Sentence(len(sentences), stripped[start:end], line_start + start, line_start + end, paragraph)
                )
            paragraph += 1
        offset += len(line) + 1
    return sentences


def _line_spans(line: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _TERMINAL.finditer(line):
        end = match.end()
        if not _NEXT_STARTS_SENTENCE.match(line, end):
            continue
        if _is_abbreviation_or_ordinal(line, match.start(), end):
            continue
        if _inside_quotation(line[start:end]):
            continue
        spans.append((start, end))
        start = end + (len(line[end:]) - len(line[end:].lstrip()))
    if start < len(line):
        spans.append((start, len(line.rstrip())))
    return spans


def _is_abbreviation_or_ordinal(line: str, punctuation_start: int, end: int) -> bool:
    if line[punctuation_start] != ".":
        return False
    before = _WORD_BEFORE.search(line[:end])
    if not before:
        return False
    word = before.group(1).rstrip(".").casefold()
    if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
        return True
    if word.isdigit() and len(word) <= 2:
        following = line[end:].split(None, 1)
        next_word = following[0].strip(_CLOSERS + ",;:.!?").casefold() if following else ""
        return next_word in _ORDINAL_NOUNS or next_word.isdigit()
    return False


def _inside_quotation(segment: str) -> bool:
    """Whether a quotation opened in `segment` is still open at its end."""
    expected_closer: str | None = None
    opened_at = 0
    straight_open = False
    for position, char in enumerate(segment):
        if expected_closer is None and char in _OPENING_QUOTES:
            expected_closer, opened_at = _OPENING_QUOTES[char], position
        elif expected_closer is not None and char == expected_closer:
            expected_closer = None
        elif char == '"':
            straight_open, opened_at = not straight_open, position
    still_open = expected_closer is not None or straight_open
    return still_open and len(segment) - opened_at < _MAX_QUOTE_CHARACTERS
