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

Each rule reads only the neighbourhood of a full stop, and the open quotation is carried
forward rather than read again, so a line is segmented in time linear in its length: a
report on one 1 MB line costs what 1 MB of paragraphs does.
"""

from __future__ import annotations

import re
from collections import Counter
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
    "mr", "mrs", "ms", "sen", "rep", "gov", "gen", "col", "sgt", "capt", "cmdr", "adm", "rev", "jr", "sr",
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
_CLOSER_SET = frozenset(_CLOSERS)
# A run of . ! ? is tried once, from its first mark: from a later mark it could end nowhere
# the first could not, and trying each mark of a long run ("!!!!…") would cost its square.
_TERMINAL = re.compile(r"(?<![.!?])[.!?]+[\"'“”»«’‘)\]]*(?=\s)")
_NEXT_STARTS_SENTENCE = re.compile(r"\s+[\"'„“»«‚(\[]?[-–—]?\s?[A-ZÄÖÜ0-9]")
_SPACES = re.compile(r"\s*")
_NEXT_WORD = re.compile(r"\s*(\S+)")
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
    that is only a date ("31. Dezember 2021") is a dateline and keeps its date. For every
    sentence of a text, `headings` gives the same in one pass."""
    alone = all(other.paragraph != sentence.paragraph for other in sentences if other.index != sentence.index)
    return _looks_like_heading(sentence, alone)


def headings(sentences: list[Sentence]) -> frozenset[int]:
    """The indices of the sentences that `is_heading` calls headings: each line's sentences
    counted once, not once per sentence (which costs the square of a long report)."""
    per_line = Counter(sentence.paragraph for sentence in sentences)
    return frozenset(sentence.index for sentence in sentences
                     if _looks_like_heading(sentence, per_line[sentence.paragraph] == 1))


def _looks_like_heading(sentence: Sentence, alone: bool) -> bool:
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
    quotation = _Quotation(line)
    for match in _TERMINAL.finditer(line):
        end = match.end()
        if not _NEXT_STARTS_SENTENCE.match(line, end):
            continue
        if _is_abbreviation_or_ordinal(line, match.start(), end):
            continue
        if quotation.open_between(start, end):
            continue
        spans.append((start, end))
        start = _SPACES.match(line, end).end()
    if start < len(line):
        spans.append((start, len(line.rstrip())))
    return spans


def _is_abbreviation_or_ordinal(line: str, punctuation_start: int, end: int) -> bool:
    if line[punctuation_start] != ".":
        return False
    word = _word_before(line, end)
    if word is None:
        return False
    word = word.casefold()
    if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
        return True
    if word.isdigit() and len(word) <= 2:
        following = _NEXT_WORD.match(line, end)
        next_word = following.group(1).strip(_CLOSERS + ",;:.!?").casefold() if following else ""
        return next_word in _ORDINAL_NOUNS or next_word.isdigit()
    return False


def _word_before(line: str, end: int) -> str | None:
    """The word that sentence-ending marks follow ("Dr" in "Dr.", "U.S" in "U.S.", "10" in
    "10."), where `line[:end]` ends with the marks and any closing quotes or brackets; None
    when no letter or digit comes right before the marks. The regular expression
    `([\\w.]+)[.!?]+[closers]*$` says the same, but searched over `line[:end]` it tries
    every position of the line, once per full stop: quadratic in a long line. Read
    backwards from `end`, only the word is touched."""
    marks_end = end
    while marks_end > 0 and line[marks_end - 1] in _CLOSER_SET:
        marks_end -= 1
    marks_start = marks_end
    while marks_start > 0 and line[marks_start - 1] in ".!?":
        marks_start -= 1
    word_start = marks_start
    while word_start > 0 and (line[word_start - 1].isalnum() or line[word_start - 1] in "_."):
        word_start -= 1
    if word_start == marks_start or marks_start == marks_end:
        return None  # only marks ("?!", "...") or no mark before the closers: no word
    return line[word_start:marks_start].rstrip(".")


class _Quotation:
    """Whether a quotation opened in `line[start:end]` is still open at `end`, asked for one
    sentence start and ever later ends: each character is read once per sentence, where
    reading `line[start:end]` afresh for every full stop inside a long quotation would
    read it once per full stop."""

    def __init__(self, line: str) -> None:
        self.line = line
        self.start = self.position = -1
        self.expected_closer: str | None = None
        self.opened_at = 0
        self.straight_open = False

    def open_between(self, start: int, end: int) -> bool:
        if start != self.start:
            self.start = self.position = start
            self.expected_closer, self.opened_at, self.straight_open = None, start, False
        for position in range(self.position, end):
            char = self.line[position]
            if self.expected_closer is None and char in _OPENING_QUOTES:
                self.expected_closer, self.opened_at = _OPENING_QUOTES[char], position
            elif self.expected_closer is not None and char == self.expected_closer:
                self.expected_closer = None
            elif char == '"':
                self.straight_open, self.opened_at = not self.straight_open, position
        self.position = max(self.position, end)
        still_open = self.expected_closer is not None or self.straight_open
        return still_open and end - self.opened_at < _MAX_QUOTE_CHARACTERS
