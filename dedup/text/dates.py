"""Dates written in news pages, read into ISO 8601 ("2021-12-31").

Numeric German dates are read here; dates with month names ("31. Dezember 2021",
"Donnerstag, 10. Jänner 2022", "January 10, 2022") go to dateparser, which knows the
month names, weekdays and regional spellings of both languages. dateparser takes a
second to import, so it is imported on first use, never by `dedup scan` on corpora
whose dates come in fields.
"""

from __future__ import annotations

import re
from datetime import date

_NUMERIC = re.compile(r"^(?:\w+,\s*)?(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
# A dateline is a few words: weekday, day, month, year. Longer lines are text that happens
# to contain a date, and must not be taken for the article's date.
_MAX_DATELINE_WORDS = 5
_LANGUAGES = ["de", "en"]

# Month names and their usual abbreviations, German (Austrian forms are normalised to
# these) and English, with the month's number: the one table segmenter and atoms share.
MONTH_NUMBERS = {
    "januar": 1, "jänner": 1, "februar": 2, "feber": 2, "märz": 3, "april": 4, "mai": 5, "juni": 6, "juli": 7,
    "august": 8, "september": 9, "oktober": 10, "november": 11, "dezember": 12,
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "october": 10, "december": 12,
    "jan": 1, "feb": 2, "mär": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "okt": 10,
    "oct": 10, "nov": 11, "dez": 12, "dec": 12,
}

# Weekday names, German folded to English, for segmenter, atoms and story features alike.
WEEKDAYS = {
    "montag": "monday", "dienstag": "tuesday", "mittwoch": "wednesday", "donnerstag": "thursday",
    "freitag": "friday", "samstag": "saturday", "sonnabend": "saturday", "sonntag": "sunday",
    **{day: day for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")},
}


def is_full_date(value: str) -> bool:
    """Whether an ISO date value names a day ("2021-12-31", "--01-10"), not a month, year or weekday."""
    return len(value) == 10 and value[4] == "-" or value.startswith("--") and len(value) == 7


def parse_date_line(line: str) -> str | None:
    """The ISO date of a line that is nothing but a full date (day, month, year); else None."""
    line = line.strip()
    if len(line.split()) > _MAX_DATELINE_WORDS or not _YEAR.search(line):
        return None
    for pattern, order in ((_NUMERIC, "dmy"), (_ISO, "ymd")):
        match = pattern.match(line)
        if match:
            parts = dict(zip(order, (int(group) for group in match.groups()), strict=True))
            return _iso(parts["y"], parts["m"], parts["d"])
    import dateparser  # noqa: PLC0415 -- a second to import; only for datelines with month names

    parsed = dateparser.parse(line, languages=_LANGUAGES, settings={"STRICT_PARSING": True})
    return parsed.date().isoformat() if parsed else None


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None
