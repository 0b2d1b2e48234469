"""Quantities of time as news writes them, in German and English: how long something
lasted ("50 Minuten", "50-minütigen", "two-hour", "zweistündigen", "drei Tage") and the
time of day ("4:12 a.m.", "19:45", "17.20 Uhr"), each read into one canonical value so that
two reports of one event agree on it and two events of one kind differ (a phone call of
50 minutes, a video summit of two hours).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dedup.text.numbers import number_value

NUMBER_WORDS = {
    **dict.fromkeys(("one", "an", "a", "ein", "eine", "einer", "einem", "einen"), 1),
    "two": 2, "zwei": 2, "three": 3, "drei": 3, "four": 4, "vier": 4, "five": 5, "fünf": 5, "six": 6, "sechs": 6,
    "seven": 7, "sieben": 7, "eight": 8, "acht": 8, "nine": 9, "neun": 9, "ten": 10, "zehn": 10, "eleven": 11,
    "elf": 11, "twelve": 12, "zwölf": 12, "twenty": 20, "zwanzig": 20, "thirty": 30, "dreißig": 30, "forty": 40,
    "vierzig": 40, "fifty": 50, "fünfzig": 50, "sixty": 60, "sechzig": 60, "ninety": 90, "neunzig": 90,
}
_MINUTES = {"minute": 1, "minut": 1, "minüt": 1, "hour": 60, "stund": 60, "stünd": 60, "day": 1440, "tag": 1440, "täg": 1440}
# A number (in digits, or a number word of two letters or more: "a" and "an" are too
# common alone), then a unit of time, as a word or the stem of a compound ("zweistündigen").
_DURATION = (r"(?<![\w.,])(\d+(?:[.,]\d+)?|" + "|".join(sorted((word for word in NUMBER_WORDS if len(word) > 1), key=len, reverse=True))
             + r")\s*-?\s*(minute|minut|minüt|hour|stund|stünd|day|tag|täg)(?:e|en|es|s|n|ig|igen|iger|igem|iges|ige|-long)?\b")
# "4:12 a.m.", "19:45", "17.20 Uhr"; a German time with a full stop needs its "Uhr", or
# "17.20" would be a decimal number.
_CLOCK = re.compile(r"\b(\d{1,2})([:.])(\d{2})\s*(a\.\s?m\.|p\.\s?m\.|am\b|pm\b|uhr\b)?", re.IGNORECASE)
# _DURATION is searched in a lower-cased text, case-sensitively: the same matches as an
# IGNORECASE search of the text (tested), at half the time, since ignoring case costs the
# regex engine a case mapping of every character it tries at the start of a match. Lower-casing agrees with
# IGNORECASE except where a character lower-cases to two ("İ") or matches a letter of
# another case that lower-casing does not map to it ("ı" and "i", "ſ" and "s"): a text
# with one of those is searched with IGNORECASE.
_DURATION_IN_LOWER_CASE = re.compile(_DURATION)
_DURATION_IGNORING_CASE = re.compile(_DURATION, re.IGNORECASE)


# Where a unit of time may begin: a match of _DURATION has one. A letter that starts one of
# the units, followed by the rest of any unit; the few false starts ("dag") cost a try each.
_UNIT_START = re.compile(r"[mhsdt](?=inut|inüt|our|tund|tünd|ay|ag|äg)")


def _duration_matches(text: str) -> Iterator[re.Match]:
    """_DURATION's matches in text, as an IGNORECASE search finds them (the groups lower-cased)."""
    lowered = text.lower()
    if len(lowered) != len(text) or "ı" in text or "ſ" in text:
        return _DURATION_IGNORING_CASE.finditer(text)
    return _matches_before_units(lowered)


def _matches_before_units(lowered: str) -> Iterator[re.Match]:
    r"""_DURATION_IN_LOWER_CASE.finditer(lowered), tried only where a match can start (tested
    equal): trying every position of a text costs twice as much, and few hold a number.

    A match is a number, a gap ("\s*-?\s*") and a unit, and starts where its number does,
    after a character that is no part of a number ("(?<![\w.,])"). So from a unit's first
    letter back over the gap's characters and then the number's, a walk stops at the one
    place a match with that unit can start. Trying those places in order, each at or after
    the end of the last match, finds the matches finditer finds."""
    starts = set()
    # The last run of number characters walked over, [run_start, run_end): a walk that
    # reaches its end takes its start, so no character is walked twice ("tagtagtag...").
    run_start = run_end = -1
    for unit in _UNIT_START.finditer(lowered):
        start = unit.start()
        while start and (lowered[start - 1].isspace() or lowered[start - 1] == "-"):  # \s and "-"
            start -= 1
        walked_from = start
        while start and (lowered[start - 1].isalnum() or lowered[start - 1] in "_.,"):  # \w, "." and ","
            if start == run_end:
                start = run_start
                break
            start -= 1
        run_start, run_end = start, walked_from
        starts.add(start)
    end = 0
    for start in sorted(starts):
        if start >= end and (match := _DURATION_IN_LOWER_CASE.match(lowered, start)):
            yield match
            end = match.end()


def durations(text: str, lang: str) -> set[int | float]:
    """How long the things a text names lasted, in minutes ("zwei Stunden" -> 120)."""
    found: set[int | float] = set()
    for match in _duration_matches(text):
        amount, unit = match.group(1).casefold(), match.group(2).casefold()
        count = NUMBER_WORDS.get(amount) or number_value(amount, lang)
        if count is not None:
            minutes = float(count) * _MINUTES[unit]
            found.add(int(minutes) if minutes.is_integer() else minutes)
    return found


# Where a time of day may be: a ":" or "." between digits (a character class first, which
# the regex engine skips to quickly, unlike _CLOCK's word boundary).
_CLOCK_SEPARATOR = re.compile(r"[:.](?<=\d[:.])(?=\d)")


def _clock_matches(text: str) -> Iterator[re.Match]:
    """_CLOCK.finditer(text), tried only where a match can start (tested equal): one or
    two characters before a separator between digits, in order, each at or after the end
    of the last match."""
    end = 0
    for separator in _CLOCK_SEPARATOR.finditer(text):
        for start in (separator.start() - 2, separator.start() - 1):
            if start >= end and (match := _CLOCK.match(text, start)):
                yield match
                end = match.end()


def clock_times(text: str) -> set[str]:
    """The times of day a text names, on the 24-hour clock ("4:12 a.m." -> "04:12")."""
    found = set()
    for match in _clock_matches(text):
        hour, separator, minute, marker = int(match.group(1)), match.group(2), match.group(3), (match.group(4) or "").casefold()
        if separator == "." and not marker:
            continue
        if marker[:1] in ("a", "p"):
            hour = hour % 12 + (12 if marker[0] == "p" else 0)
        if hour < 24 and int(minute) < 60:
            found.add(f"{hour:02d}:{minute}")
    return found
