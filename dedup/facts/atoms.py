"""Fact atoms: the quotes, numbers, dates, people, organisations, places and agencies a
sentence states, each with a normalised key so two reports can be checked against each
other ("10. Jänner" = "10. Januar" = "--01-10"; "50-minütigen" = "50 Minuten"), and with
its surface form quoted from the sentence as written: atoms are found in the normalised
text (dedup.text.normalise.normalise_mapped keeps where each character came from).

How each is found (heuristics and gazetteers; no model, nothing downloaded):
- quote: text between quotation marks (all quote styles are folded by `normalise`);
  its key is its content stems, so "kolossaler Fehler" = "kolossalen Fehler"; a title or
  grade in quotation marks ("Morning Joe", an "A") is no quote;
- date: day-month(-year) in German and English word order, numeric dates, month names,
  weekdays, four-digit years, times of day ("4:12 a.m." -> "T04:12", "17.20 Uhr"), and,
  when the report's date is known, days and years relative to it ("yesterday", "gestern",
  "last year");
- number: any other number, with its unit in one form for both languages or the counted
  noun after it ("10 kilometres" = "10 km", "50-minütigen" = "50 minute"), a qualifier
  before it kept in the surface but not the key ("at least 14 people"), and number words
  that count something ("zwei Abkommen", "nine senators");
- person: names after a role word or honorific ("US-Präsident Joe Biden", "Mr. Sestak"),
  in English also runs of capitalised words that name no institution or place
  (dedup.facts.people); later mentions of the surname ("Bidens") count for the same
  person, keys fold transliterations ("Uschakow" = "Ushakov");
- organisation and place: the gazetteers (dedup.facts.gazetteer: GeoNames places and a
  hand-kept table), English runs ending in an organisation's word ("National Rifle
  Association"), acronyms of two to six capitals, AP state abbreviations ("Va.");
- agency: credits found by the page cleaner, quoted as the text writes them ("rtr"), and
  agencies named in the text.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from dedup.facts.gazetteer import (
    AGENCY_NAMES,
    AP_STATES,
    CAPITALS_ONLY,
    ORGANISATIONS,
    PLACES,
    geonames_places,
)
from dedup.facts.people import (
    HONORIFICS,
    INSTITUTION_WORDS,
    ORGANISATION_HEADS,
    ORGANISATION_WORDS,
    person_key,
    surname_of,
)
from dedup.text.dates import MONTH_NUMBERS, WEEKDAYS
from dedup.text.language import STOP_WORDS, content_stems, stem
from dedup.text.normalise import normalise_mapped
from dedup.text.numbers import number_value
from dedup.text.page import AGENCIES
from dedup.text.quantities import NUMBER_WORDS
from dedup.text.tokens import words

ATOM_TYPES = ("quote", "number", "date", "person", "organisation", "place", "agency")

_MONTHS = MONTH_NUMBERS
_WEEKDAYS = WEEKDAYS
_MONTH = r"(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY_MONTH = re.compile(r"\b(\d{1,2})\.?\s+" + _MONTH + r"(?:\s+(\d{4}))?\b", re.IGNORECASE)
_MONTH_DAY = re.compile(r"\b" + _MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
_MONTH_ALONE = re.compile(r"\b(?:im|in|ab|seit|bis|anfang|ende|mitte|since|until|early|late|mid)\s+" + _MONTH + r"(?:\s+(\d{4}))?\b", re.IGNORECASE)
# A month named alone ("Fortschritte im Januar?", "für Jänner geplanten"), capitalised as
# month names are; English "May" and "March" are also a verb, so they need a year or a
# preposition before them.
_BARE_MONTH = re.compile(r"(?<!\w)(" + "|".join(sorted((m.capitalize() for m in _MONTHS if len(m) > 3), key=len, reverse=True))
                         + r")\b(?:\s+(\d{4})\b)?")
_VERB_MONTHS = frozenset({"may", "march"})
# Days and years relative to the report's publication date: "yesterday" in one report is
# "Wednesday" in another. Read only when the report's date is known.
_RELATIVE_DAYS = {"today": 0, "yesterday": -1, "tomorrow": 1, "heute": 0, "gestern": -1, "morgen": 1, "vorgestern": -2}
_RELATIVE_YEARS = {"last year": -1, "next year": 1, "this year": 0, "letztes jahr": -1, "vergangenes jahr": -1,
                   "vergangenen jahr": -1, "nächstes jahr": 1, "kommendes jahr": 1, "kommenden jahr": 1,
                   "dieses jahr": 0, "diesem jahr": 0, "im vergangenen jahr": -1}
_RELATIVE_DAY = re.compile(r"\b(?:" + "|".join(r"\s+".join(map(re.escape, words.split()))
                                             for words in sorted((*_RELATIVE_DAYS, *_RELATIVE_YEARS), key=len, reverse=True)) + r")\b",
                           re.IGNORECASE)
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")  # date.weekday() order
_WEEKDAY = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(1[89]\d{2}|20\d{2})\b")
_NUMBER = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)*)(?:\s*(%|€|\$|prozent|percent)|-?\s?([^\W\d_]+))?", re.IGNORECASE)
_QUOTE = re.compile(r'"([^"]{2,400})"')
_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*")
_ACRONYM = re.compile(r"^[A-ZÄÖÜ]{2,6}$")

# Role words before a name. Matched as the end of a token, so "US-Präsident",
# "Außenministerin" and "Regierungssprecher" count too.
_ROLES = (
    "präsident", "präsidentin", "staatschef", "staatschefin", "kanzler", "kanzlerin", "minister", "ministerin",
    "sprecher", "sprecherin", "berater", "beraterin", "kollege", "kollegen", "kollegin", "premier",
    "premierminister", "premierministerin", "chef", "chefin", "bürgermeister", "bürgermeisterin", "senator",
    "senatorin", "abgeordnete", "abgeordneter", "richter", "richterin", "general", "botschafter", "botschafterin",
    "president", "governor", "secretary", "chancellor", "spokesman", "spokeswoman", "spokesperson", "adviser",
    "advisor", "mayor", "judge", "ambassador", "leader", "mr", "mrs", "ms", "dr", "sen", "rep", "gov",
)
# Capitalised words that follow a role word but are not names.
_NOT_NAMES = frozenset(
    "der die das des dem den ein eine und the a an of and for in on at to with von vom am im zu zur zum".split()
)
_UNIT_WORDS = frozenset(
    "prozent percent euro dollar pfund franken rubel minute minuten minutes stunden hours stunde hour tage days tag day "
    "wochen weeks monate months jahre years jahr year kilometer km meter metres meters tonnen tons millionen million "
    "milliarden billion mal times menschen people soldaten soldiers".split()
)


# One name per unit, whichever language or abbreviation a report uses.
_UNITS = {
    **dict.fromkeys(("%", "prozent", "percent", "per cent", "pct"), "percent"),
    **dict.fromkeys(("€", "euro", "eur"), "euro"), **dict.fromkeys(("$", "dollar", "dollars", "usd"), "dollar"),
    **dict.fromkeys(("£", "pound", "pounds", "pfund"), "pound"), "franken": "franc",
    **dict.fromkeys(("km", "kilometre", "kilometres", "kilometer", "kilometers", "kilometern"), "km"),
    **dict.fromkeys(("m", "metre", "metres", "meter", "meters", "metern"), "m"),
    **dict.fromkeys(("people", "persons", "menschen", "personen", "leute"), "people"),
    **dict.fromkeys(("tonnes", "tonne", "tons", "ton", "tonnen", "t"), "tonne"),
    **dict.fromkeys(("minute", "minutes", "minuten", "min"), "minute"),
    **dict.fromkeys(("hour", "hours", "stunde", "stunden"), "hour"),
    **dict.fromkeys(("day", "days", "tag", "tage", "tagen"), "day"),
}
# Stems of compounds and inflections ("50-minütigen", "zweistündigen") to those units.
_UNIT_STEMS = {"minut": "minute", "minute": "minute", "stund": "hour", "hour": "hour", "tag": "day",
               "day": "day", "peopl": "people", "mensch": "people", "person": "people", "kilomet": "km", "tonn": "tonne"}
# Scale words, in one form ("6,4 Millionen" = "6.4 million" = "6.4 Mio."), and the currency
# that may follow them or stand before the number ("3 Millionen Euro", "$3.5 million").
_SCALES = {"million": "million", "millionen": "million", "mio": "million", "billion": "billion", "bn": "billion",
           "milliarden": "billion", "milliard": "billion", "mrd": "billion", "thousand": "thousand", "tausend": "thousand"}
_CURRENCY_AFTER = re.compile(r"\.?\s+(euro|eur|dollar|dollars|usd|pfund|pounds|franken)\b", re.IGNORECASE)
_CURRENCY_BEFORE = re.compile(r"(?:US)?([$€£])\s?\Z")
# Words that qualify a number without changing it: "at least 14" and "14" are one number.
_QUALIFIER = re.compile(
    r"\b(?:at least|more than|less than|fewer than|up to|about|around|some|nearly|almost|roughly|approximately|over|"
    r"mindestens|mehr als|weniger als|bis zu|rund|etwa|knapp|fast|gut|über|ungefähr|circa|ca\.)\s+\Z",
    re.IGNORECASE,
)
# The longest text before a number that _CURRENCY_BEFORE ("US$ ") and _QUALIFIER
# ("approximately", then spaces) can match, spaces aside.
_CURRENCY_BEFORE_LENGTH = 4
_QUALIFIER_LENGTH = len("approximately")
# A time of day: "4:12 a.m.", "19:45", "17.20 Uhr", "4 a.m.".
# Unlike dedup.text.quantities.clock_times (which story mode reads), an hour alone counts
# ("4 a.m."), and "am"/"pm" without full stops do not: German "3 am Montag" is no time.
_CLOCK = re.compile(r"\b(\d{1,2})(?:([:.])(\d{2}))?\s*(a\.\s?m\.|p\.\s?m\.|uhr\b)?", re.IGNORECASE)


# Numbers written as words, with what they count after them ("zwei Abkommen", "nine
# senators", "a dozen senators"). "One" and "ein" are left out: mostly articles and pronouns.
_NUMBER_WORDS = {word: count for word, count in NUMBER_WORDS.items() if count >= 2} | {
    "dozen": 12, "a dozen": 12, "dutzend": 12, "ein dutzend": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "hundred": 100, "hundert": 100,
}
_NEXT_WORD = re.compile(r" ([a-z][\w-]*)")
_COUNTED_WORD = re.compile(r"(?<![\w-])(" + "|".join(sorted(map(re.escape, _NUMBER_WORDS), key=len, reverse=True))
                           + r")\s+([^\W\d_][\w-]*)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Mention:
    type: str
    value: str
    surface: str
    sentence: int


def sentence_atoms(text: str, sentence: int, lang: str, published: date | None = None) -> list[Mention]:
    """Every atom one sentence states (people by their role words only; see `resolve_people`).
    Atoms are found in the normalised sentence and quoted from the sentence as written."""
    normalised, spans = _mapped(text)
    written = _Quoter(text, spans)
    found: list[Mention] = []
    found += _quotes(normalised, sentence, lang, written)
    dates, date_spans = _dates(normalised, sentence, written, published)
    found += dates
    found += _numbers(normalised, sentence, lang, date_spans, written)
    found += _names(normalised, sentence, written, lang)
    return found


# Both reports' sentences, for reports up to the size `dedup compare` reads (about 13,000
# sentences to 2 MB): a long report's atoms and its two surname passes find each sentence
# still here. Each entry keeps the spans as two arrays of integers (16 bytes a character).
@lru_cache(maxsize=1 << 15)
def _mapped(text: str) -> tuple[str, _Spans]:
    """normalise_mapped, once per sentence: atoms and the surname pass read each sentence."""
    normalised, spans = normalise_mapped(text)
    return normalised, _Spans(array("q", (start for start, _ in spans)), array("q", (end for _, end in spans)))


@dataclass(frozen=True, slots=True)
class _Spans:
    """Where each character of a normalised sentence came from: `starts[i]:ends[i]` of the text."""

    starts: array
    ends: array


class _Quoter:
    """The source's own words for a span of its normalised text."""

    def __init__(self, text: str, spans: _Spans) -> None:
        self.text, self.spans = text, spans

    def __call__(self, start: int, end: int) -> str:
        if end <= start:
            return ""
        return self.text[self.spans.starts[start]:self.spans.ends[end - 1]]


def resolve_people(mentions: list[Mention], sentences: Iterable[tuple[int, str]], known: Iterable[str] = ()) -> list[Mention]:
    """Add a person mention wherever the surname of a known person appears alone ("Bidens"):
    a person this report names in full, or one of `known` (the other report's people, so
    "Sestak" alone meets the other report's "Joe Sestak"). A surname two people share
    ("Cheney": Dick, Liz, Mary) is nobody in particular."""
    full_names = {mention.value for mention in mentions if mention.type == "person" and " " in mention.value}
    full_names |= {name for name in known if " " in name}
    by_surname: dict[str, set[str]] = {}
    for name in full_names:
        by_surname.setdefault(surname_of(name), set()).add(name)
    surnames = {surname: next(iter(names)) for surname, names in by_surname.items() if len(names) == 1}
    # People known by one name only ("President Obama"): that name alone is them too.
    for name in {mention.value for mention in mentions if mention.type == "person"} | set(known):
        if " " not in name and name not in by_surname:
            surnames[name] = name
    if not by_surname and not any(mention.type == "person" for mention in mentions) and not known:
        return mentions
    # A surname a role word gave alone ("Sen. Toomey") is the full name given elsewhere; one
    # that several named people share ("Ms. Cheney") is nobody a reader can check.
    ambiguous = {surname for surname, names in by_surname.items() if len(names) > 1}
    mentions = [Mention("person", surnames[mention.value], mention.surface, mention.sentence)
                if mention.type == "person" and " " not in mention.value and mention.value in surnames else mention
                for mention in mentions
                if not (mention.type == "person" and " " not in mention.value and mention.value in ambiguous)]
    seen = {(mention.sentence, mention.value) for mention in mentions if mention.type == "person"}
    added = []
    for index, text in sentences:
        normalised, spans = _mapped(text)
        written = _Quoter(text, spans)
        for match in _TOKEN.finditer(normalised):
            if not match.group(0)[:1].isupper():
                continue  # a surname is written with its capital
            key = person_key(_without_possessive(match.group(0)))
            surname = key if key in surnames else key[:-1] if key.endswith("s") and key[:-1] in surnames else None
            if surname and (index, surnames[surname]) not in seen:
                seen.add((index, surnames[surname]))
                added.append(Mention("person", surnames[surname], written(*match.span()), index))
    return mentions + added


def agency_mentions(agencies: Iterable[str], text: str) -> list[Mention]:
    """Credits the page cleaner found ("dpa", "AFP") as atoms of no particular sentence,
    quoted as the text writes them ("rtr" for Reuters)."""
    found = []
    for agency in agencies:
        codes = [code for code, name in AGENCIES.items() if name == agency] or [agency]
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(code) for code in sorted(codes, key=len, reverse=True)) + r")(?!\w)",
                             re.IGNORECASE)
        written = pattern.findall(text)
        found.append(Mention("agency", agency.casefold(), written[-1] if written else agency, -1))
    return found


def _quotes(text: str, sentence: int, lang: str, written: _Quoter) -> list[Mention]:
    found = []
    for match in _QUOTE.finditer(text):
        tokens = words(match.group(1))
        stems = content_stems(tokens, lang) or tokens
        if stems and not _is_label(match.group(1), lang):
            start = match.start(1) + len(match.group(1)) - len(match.group(1).lstrip())
            end = match.end(1) - len(match.group(1)) + len(match.group(1).rstrip())
            found.append(Mention("quote", " ".join(stems), written(start, end), sentence))
    return found


def _is_label(quoted: str, lang: str) -> bool:
    """A title, a name or a grade in quotation marks ("Morning Joe", an "A" rating) is no
    quote: a single letter, or, in English (which capitalises names, not nouns), three
    words or fewer, each capitalised. A German quoted noun ("Ergebnissen") is a quote."""
    parts = quoted.split()
    if len(parts) == 1 and len(parts[0]) == 1:
        return True
    return lang == "en" and len(parts) <= 3 and all(part[:1].isupper() for part in parts)


def _dates(text: str, sentence: int, written: _Quoter, published: date | None = None) -> tuple[list[Mention], list[tuple[int, int]]]:
    found: list[Mention] = []
    spans: list[tuple[int, int]] = []

    def take(match: re.Match, value: str | None, start: int | None = None) -> None:
        """A date from the match; `start` where the date's own words begin ("im Januar" -> "Januar")."""
        if value and not any(begin <= match.start() < end for begin, end in spans):
            found.append(Mention("date", value, written(match.start() if start is None else start, match.end()), sentence))
            spans.append(match.span())

    for match in _CLOCK.finditer(text):
        take(match, _clock_value(match))

    for match in _NUMERIC_DATE.finditer(text):
        take(match, _iso(match.group(3), int(match.group(2)), int(match.group(1))))
    for match in _DAY_MONTH.finditer(text):
        take(match, _iso(match.group(3), _MONTHS[match.group(2).casefold()], int(match.group(1))))
    for match in _MONTH_DAY.finditer(text):
        take(match, _iso(match.group(3), _MONTHS[match.group(1).casefold()], int(match.group(2))))
    for match in _MONTH_ALONE.finditer(text):
        month = _MONTHS[match.group(1).casefold()]
        take(match, f"{match.group(2)}-{month:02d}" if match.group(2) else f"--{month:02d}", match.start(1))
    for match in _BARE_MONTH.finditer(text):
        if match.group(1).casefold() in _VERB_MONTHS and not match.group(2):
            continue
        month = _MONTHS[match.group(1).casefold()]
        take(match, f"{match.group(2)}-{month:02d}" if match.group(2) else f"--{month:02d}")
    for match in _WEEKDAY.finditer(text):
        take(match, _WEEKDAYS[match.group(1).casefold()])
    for match in _YEAR.finditer(text):
        take(match, match.group(1))
    if published is not None:
        for match in _RELATIVE_DAY.finditer(text):
            if match.group(0) != "Morgen":  # the noun, the morning; "morgen" is tomorrow
                take(match, _relative_value(match.group(0).casefold(), published))
    return found, spans


def _relative_value(words: str, published: date) -> str:
    """"yesterday" in a report of Thursday is Wednesday; "last year" in 2013 is 2012."""
    shift = _RELATIVE_DAYS.get(words)
    if shift is not None:
        return WEEKDAY_NAMES[(published + timedelta(days=shift)).weekday()]
    return str(published.year + _RELATIVE_YEARS[" ".join(words.split())])


def _iso(year: str | None, month: int, day: int) -> str | None:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"


def _numbers(text: str, sentence: int, lang: str, date_spans: list[tuple[int, int]], written: _Quoter) -> list[Mention]:
    found = []
    for match in _NUMBER.finditer(text):
        if any(start <= match.start() < end for start, end in date_spans):
            continue
        value = number_value(match.group(1), lang)
        if value is None:
            continue
        unit = _unit(match.group(2) or match.group(3) or "", lang)
        end = match.end() if unit else match.end(1)
        start = match.start()
        if unit in _SCALES.values() and (currency := _CURRENCY_AFTER.match(text, end)):
            unit, end = f"{unit} {_UNITS[currency.group(1).casefold()]}", currency.end()  # "3 Millionen Euro"
        if symbol := _CURRENCY_BEFORE.search(text, max(0, start - _CURRENCY_BEFORE_LENGTH), start):
            unit, start = f"{unit} {_UNITS[symbol.group(1)]}".strip(), symbol.start()  # "$3.5 million", "€2bn"
        start = _qualified_start(text, start)
        found.append(Mention("number", f"{value} {unit}".strip(), written(start, end), sentence))
    for match in _COUNTED_WORD.finditer(text):
        noun, end = match.group(2), match.end()
        if lang == "en" and noun[:1].isupper() and (following := _NEXT_WORD.match(text, end)):
            noun, end = following.group(1), following.end()  # "nine Republican senators": what is counted comes last
        unit = _unit(noun, lang) or (noun.casefold() if lang == "en" and noun.casefold() not in STOP_WORDS["en"] else "")
        if unit:  # "zwei Abkommen", "two children": a number word counts something
            start = _qualified_start(text, match.start())
            # lower(), not casefold(): the table writes "dreißig", which casefold makes "dreissig".
            found.append(Mention("number", f"{_NUMBER_WORDS[match.group(1).lower()]} {unit}", written(start, end), sentence))
    return found


def _qualified_start(text: str, start: int) -> int:
    """Where a number that starts at `start` starts with its qualifier ("at least 14").
    The qualifier ends at `start`, so only the words just before it are searched: searched
    from the sentence's beginning, every number would read the whole sentence before it."""
    spaces = start
    while spaces > 0 and text[spaces - 1].isspace():
        spaces -= 1
    qualifier = _QUALIFIER.search(text, max(0, spaces - _QUALIFIER_LENGTH), start)
    return qualifier.start() if qualifier else start


def _clock_value(match: re.Match) -> str | None:
    """"4:12 a.m." -> "T04:12", "17.20 Uhr" -> "T17:20", "4 a.m." -> "T04"; None for
    "17.20" alone (a decimal)."""
    hour, separator, minute = int(match.group(1)), match.group(2), match.group(3)
    marker = (match.group(4) or "").casefold()
    if separator == "." and not marker or not separator and not marker.startswith(("a", "p")):
        return None
    if marker[:1] in ("a", "p"):
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if marker[0] == "p" else 0)
    if minute is None:
        return f"T{hour:02d}" if hour < 24 else None  # "4 a.m.": the hour only
    if hour >= 24 or int(minute) >= 60:
        return None
    return f"T{hour:02d}:{minute}"


def _unit(word: str, lang: str) -> str:
    """What a number counts, in one form for both languages ("kilometres", "km" and
    "Kilometer" -> "km"; "Menschen" -> "people"), else the stem of the counted noun after
    it, accents folded ("minütigen" -> "minute")."""
    folded = word.casefold()
    if folded in _UNITS:
        return _UNITS[folded]
    if folded in _SCALES:
        return _SCALES[folded]
    # German capitalises nouns, so a capitalised word after a number is what it counts.
    if folded in _UNIT_WORDS or (word[:1].isupper() and folded not in STOP_WORDS.get(lang, ())) or word.endswith("ig") or word.endswith("igen"):
        stripped = "".join(c for c in unicodedata.normalize("NFD", stem(folded, lang)) if not unicodedata.combining(c))
        stripped = re.sub(r"ig$", "", stripped)
        return _UNIT_STEMS.get(stripped, stripped)
    return ""


def _names(text: str, sentence: int, written: _Quoter, lang: str) -> list[Mention]:
    found, taken = _abbreviated_places(text, sentence, written)
    tokens = [token for token in _TOKEN.finditer(text) if not any(start <= token.start() < end for start, end in taken)]

    def person(first: int, last: int) -> None:
        name = " ".join(match.group(0) for match in tokens[first:last])
        found.append(Mention("person", person_key(name), written(tokens[first].start(), _name_end(tokens[last - 1])), sentence))

    position = 0
    while position < len(tokens):
        token = tokens[position].group(0)
        folded = token.casefold()
        if folded.endswith(_ROLES) or folded in HONORIFICS:
            name = _name_after(tokens, position + 1, honorific=folded in HONORIFICS)
            if name:
                person(*name)
        elif lang == "en" and (run := _english_organisation(tokens, position, text)):
            found.append(Mention("organisation", " ".join(match.group(0).casefold() for match in tokens[run[0]:run[1]]),
                                 written(tokens[run[0]].start(), tokens[run[1] - 1].end()), sentence))
            position = run[1]
            continue
        elif lang == "en" and (run := _english_name(tokens, position, text)):
            person(*run)
            position = run[1]
            continue
        length, kind, value, end = _longest_gazetteer_match(tokens, position)
        if kind == "place" and _names_an_institution(tokens, position + length):
            position += length  # "New York Times", "Texas State University": the place is part of another name
            continue
        if kind:
            found.append(Mention(kind, value, written(tokens[position].start(), end), sentence))
            position += length
            continue
        if _ACRONYM.match(token) and folded not in AGENCY_NAMES and not _is_dateline(text, tokens[position]):
            found.append(Mention("organisation", folded, written(*tokens[position].span()), sentence))
        position += 1
    return found


def _english_name(tokens: list[re.Match], start: int, text: str) -> tuple[int, int] | None:
    """Tokens [start, end) of a run of two or three capitalised words that name a person
    ("Rahm Emanuel", "Robert Bauer"), or None."""
    end = start
    while end < len(tokens) and end - start < 3 and (_may_be_name_word(tokens[end].group(0)) or _is_initial(tokens, end, text)):
        gap = text[tokens[end - 1].end():tokens[end].start()] if end > start else " "
        if gap != " " and not (gap == ". " and _is_initial(tokens, end - 1, text)):
            break  # "Obama, Emanuel": a comma ends a name; "Patrick J. Toomey" goes on
        end += 1
        if tokens[end - 1].group(0).casefold().endswith(("'s", "’s")):
            break
    if end - start < 2:
        return None
    words_in_run = [_without_possessive(match.group(0).casefold()) for match in tokens[start:end]]
    if any(word in INSTITUTION_WORDS for word in words_in_run):
        return None
    if _gazetteer(" ".join(match.group(0) for match in tokens[start:end]))[0]:
        return None
    return start, end


# "U.K.", "U.S.", "D.C.": initials with full stops, which the tokens split apart.
_DOTTED = re.compile(r"(?<![\w.])((?:[A-Z]\.){2,})")
# "Richmond, Va.", "(R-Wyo.)", "Newtown, Conn.": a state as the AP abbreviates it.
_AP_STATE = re.compile(r"(?:, |-)(" + "|".join(sorted(map(re.escape, AP_STATES), key=len, reverse=True)) + r")\.(?!\w)")


def _abbreviated_places(text: str, sentence: int, written: _Quoter) -> tuple[list[Mention], list[tuple[int, int]]]:
    found, spans = [], []
    for match in _DOTTED.finditer(text):
        kind, value = _gazetteer(match.group(1).replace(".", ""))
        if kind:
            found.append(Mention(kind, value, written(*match.span(1)), sentence))
            spans.append(match.span(1))
    for match in _AP_STATE.finditer(text):
        if not any(start <= match.start(1) < end for start, end in spans):
            found.append(Mention("place", AP_STATES[match.group(1)].casefold(), written(match.start(1), match.end()), sentence))
            spans.append((match.start(1), match.end()))
    return found, spans


def _english_organisation(tokens: list[re.Match], start: int, text: str) -> tuple[int, int] | None:
    """Tokens [start, end) of a run of two to five capitalised words with the head of an
    organisation's name in it ("National Rifle Association", "Red Cross"), or None."""
    end = start
    while end < len(tokens) and end - start < 5:
        token = tokens[end].group(0)
        folded = token.casefold()
        if not token[:1].isupper() or folded in STOP_WORDS["en"] or folded in _MONTHS or folded in _WEEKDAYS:
            break
        if end > start and text[tokens[end - 1].end():tokens[end].start()] != " ":
            break
        end += 1
        if folded.endswith(("'s", "’s")):
            break  # "Cheney's Wyoming Senate bid": the possessor is not part of the name
    words_in_run = [match.group(0).casefold() for match in tokens[start:end]]
    if end - start >= 2 and _gazetteer(" ".join(match.group(0) for match in tokens[start:end - 1]))[0] == "place":
        return None  # "Wyoming Senate", "Texas Legislature": a place and a body the gazetteer names apart
    if end - start < 2 or words_in_run[0].endswith(_ROLES) or not any(word in ORGANISATION_WORDS for word in words_in_run[1:]):
        return None
    if _gazetteer(" ".join(match.group(0) for match in tokens[start:end]))[0]:
        return None
    return start, end


def _is_initial(tokens: list[re.Match], position: int, text: str) -> bool:
    """A middle initial: one capital with a full stop after it, inside a run ("J." in "Patrick J. Toomey")."""
    token = tokens[position]
    return position > 0 and len(token.group(0)) == 1 and token.group(0).isupper() and text[token.end():token.end() + 2] == ". "


def _may_be_name_word(token: str) -> bool:
    folded = _without_possessive(token.casefold())
    return (token[:1].isupper() and not token.isupper() and folded not in STOP_WORDS["en"] and folded not in _MONTHS
            and folded not in _WEEKDAYS and not folded.endswith(_ROLES) and folded not in HONORIFICS and folded not in PLACES and folded not in ORGANISATIONS)


def _names_an_institution(tokens: list[re.Match], after: int) -> bool:
    """"New York Times", "Texas State University": a place followed by the head of an
    organisation's name (not a party: "a Pennsylvania Republican" names Pennsylvania)."""
    return after < len(tokens) and tokens[after].group(0)[:1].isupper() \
        and tokens[after].group(0).casefold() in ORGANISATION_HEADS and tokens[after].start() - tokens[after - 1].end() == 1


def _is_dateline(text: str, token: re.Match) -> bool:
    """"ALMORA, Lindavia —": the place a report was filed from, in capitals before a comma
    at the start of a paragraph, is no organisation."""
    return token.start() == 0 and text[token.end():token.end() + 1] == ","


def _without_possessive(name: str) -> str:
    """"ocasio-cortez's" -> "ocasio-cortez"."""
    return name[:-2] if name.endswith(("'s", "’s")) else name


def _name_end(token: re.Match) -> int:
    """Where a name ends in the text: before a possessive "'s"."""
    return token.end() - 2 if token.group(0).casefold().endswith(("'s", "’s")) else token.end()


def _longest_gazetteer_match(tokens: list[re.Match], position: int) -> tuple[int, str | None, str, int]:
    """The longest run of up to eight tokens from `position` that the gazetteer knows:
    (tokens, kind, value, where the name ends in the text)."""
    initial = tokens[position].group(0)[:1]
    if not initial.isupper() and not initial.isdigit():
        # Every phrase tried below starts with this token, and `_gazetteer` knows none that
        # does not start with a capital or a digit: skip building them (most tokens).
        return 1, None, "", tokens[position].start() + len(tokens[position].group(0).split("-")[0])
    for length in range(8, 1, -1):
        if position + length <= len(tokens):
            kind, value = _gazetteer(" ".join(match.group(0) for match in tokens[position : position + length]))
            if kind:
                return length, kind, value, tokens[position + length - 1].end()
    token = tokens[position].group(0)
    kind, value = _gazetteer(token)
    if kind:
        return 1, kind, value, tokens[position].end()
    first = token.split("-")[0]
    if "-" in token and first:
        kind, value = _gazetteer(first)  # "US-Präsident", "Nato-Mitgliedern": the name is the first part
    return 1, kind, value, tokens[position].start() + len(first)


def _gazetteer(phrase: str) -> tuple[str | None, str]:
    key = phrase.casefold()
    if not phrase[:1].isupper() and not phrase[:1].isdigit():
        return None, ""  # names are capitalised: "the senate race", "die grünen Wiesen" name nothing
    if key in CAPITALS_ONLY and not phrase.isupper():
        return None, ""  # "who", "us": words, not the WHO or the US
    # The genitive "s" of German names: "Russlands", "Putins".
    for candidate in (key, key[:-1]) if key.endswith("s") else (key,):
        for kind, table in (("place", PLACES), ("organisation", ORGANISATIONS), ("place", geonames_places())):
            if candidate in table:
                return kind, table[candidate].casefold()
    # An agency named in the text is written as the agency writes itself ("AFP", "dpa",
    # "Reuters"): "idea" or "Ats" in a sentence is a word.
    name = AGENCY_NAMES.get(key)
    if name and (phrase == name or phrase.isupper()) and not (name.islower() and name == key and len(key) > 3):
        return "agency", name.casefold()
    return None, ""


def _name_after(tokens: list[re.Match], start: int, honorific: bool = False) -> tuple[int, int] | None:
    """The tokens [first, last) of a name after a role word, if there is one."""
    parts = []
    for match in tokens[start : start + 3]:
        token = match.group(0)
        if not token[:1].isupper() or token.casefold() in _NOT_NAMES or _gazetteer(token)[0]:
            break
        before = tokens[start + len(parts) - 1] if parts else tokens[start - 1]
        gap = match.string[before.end():match.start()]
        if gap.strip() not in ("", ".") or gap.strip() and parts and len(before.group(0)) > 1:
            break  # "Sprecherin, Jen" and "Cantor (R-Va." are not one name; "Mr. Sestak", "Patrick J. Toomey" are
        parts.append(token)
        if token.casefold().endswith(("'s", "’s")):
            break  # "President Biden's decision": the name ends at the possessive
    # One capitalised word after a German role is usually a noun ("Präsident Russlands" is
    # caught above); a name needs a first and a last name, or an honorific before it
    # ("Mr. Sestak", "Frau Merkel").
    return (start, start + len(parts)) if len(parts) >= 2 or (parts and honorific) else None
