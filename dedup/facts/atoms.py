"""Fact atoms: the quotes, numbers, dates, people, organisations, places and agencies a
sentence states, each with a normalised value so two reports can be checked against
each other ("10. Jänner" = "10. Januar" = "--01-10"; "50-minütigen" = "50 Minuten").

How each is found (heuristics and a gazetteer; no model, nothing downloaded):
- quote: text between quotation marks (all quote styles are folded by `normalise`);
  its value is its content stems, so "kolossaler Fehler" = "kolossalen Fehler";
- date: day-month(-year) in German and English word order, numeric dates, a month after
  "im/in/ab/seit/bis", weekdays, and four-digit years;
- number: any other number, with the unit or counted noun after it ("50 Minuten",
  "50-minütigen", "6,4 Millionen Euro"), decimal marks read per language;
- person: capitalised names after a role word ("US-Präsident Joe Biden", "Sprecherin Jen
  Psaki", "Mr. Biden"); later mentions of the surname ("Bidens") count for the same person;
- organisation and place: the gazetteer (`dedup.facts.gazetteer`), and acronyms of two
  to six capitals for organisations it does not list;
- agency: credits found by the page cleaner, and agencies named in the text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from dedup.facts.gazetteer import AGENCY_NAMES, ORGANISATIONS, PLACES
from dedup.text.dates import MONTH_NUMBERS, WEEKDAYS
from dedup.text.language import STOP_WORDS, content_stems, stem
from dedup.text.normalise import normalise
from dedup.text.numbers import number_value
from dedup.text.tokens import words

ATOM_TYPES = ("quote", "number", "date", "person", "organisation", "place", "agency")

_MONTHS = MONTH_NUMBERS
_WEEKDAYS = WEEKDAYS
_MONTH = r"(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY_MONTH = re.compile(r"\b(\d{1,2})\.?\s+" + _MONTH + r"(?:\s+(\d{4}))?\b", re.IGNORECASE)
_MONTH_DAY = re.compile(r"\b" + _MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
_MONTH_ALONE = re.compile(r"\b(?:im|in|ab|seit|bis|anfang|ende|mitte|since|until|early|late|mid)\s+" + _MONTH + r"(?:\s+(\d{4}))?\b", re.IGNORECASE)
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


@dataclass(frozen=True, slots=True)
class Mention:
    type: str
    value: str
    surface: str
    sentence: int


def sentence_atoms(text: str, sentence: int, lang: str) -> list[Mention]:
    """Every atom one sentence states (people by their role words only; see `resolve_people`)."""
    normalised = normalise(text)
    found: list[Mention] = []
    found += _quotes(normalised, sentence, lang)
    dates, date_spans = _dates(normalised, sentence)
    found += dates
    found += _numbers(normalised, sentence, lang, date_spans)
    found += _names(normalised, sentence)
    return found


def resolve_people(mentions: list[Mention], sentences: Iterable[tuple[int, str]]) -> list[Mention]:
    """Add a person mention wherever the surname of a known person appears alone ("Bidens")."""
    surnames = {mention.value.split()[-1]: mention.value for mention in mentions if mention.type == "person"}
    if not surnames:
        return mentions
    seen = {(mention.sentence, mention.value) for mention in mentions if mention.type == "person"}
    added = []
    for index, text in sentences:
        for token in _TOKEN.findall(normalise(text)):
            key = token.casefold()
            surname = key if key in surnames else key[:-1] if key.endswith("s") and key[:-1] in surnames else None
            if surname and (index, surnames[surname]) not in seen:
                seen.add((index, surnames[surname]))
                added.append(Mention("person", surnames[surname], token, index))
    return mentions + added


def agency_mentions(agencies: Iterable[str]) -> list[Mention]:
    """Credits the page cleaner found ("dpa", "AFP") as atoms of no particular sentence."""
    return [Mention("agency", agency.casefold(), agency, -1) for agency in agencies]


def _quotes(text: str, sentence: int, lang: str) -> list[Mention]:
    found = []
    for match in _QUOTE.finditer(text):
        tokens = words(match.group(1))
        stems = content_stems(tokens, lang) or tokens
        if stems:
            found.append(Mention("quote", " ".join(stems), match.group(1), sentence))
    return found


def _dates(text: str, sentence: int) -> tuple[list[Mention], list[tuple[int, int]]]:
    found: list[Mention] = []
    spans: list[tuple[int, int]] = []

    def take(match: re.Match, value: str | None) -> None:
        if value and not any(start <= match.start() < end for start, end in spans):
            found.append(Mention("date", value, match.group(0), sentence))
            spans.append(match.span())

    for match in _NUMERIC_DATE.finditer(text):
        take(match, _iso(match.group(3), int(match.group(2)), int(match.group(1))))
    for match in _DAY_MONTH.finditer(text):
        take(match, _iso(match.group(3), _MONTHS[match.group(2).casefold()], int(match.group(1))))
    for match in _MONTH_DAY.finditer(text):
        take(match, _iso(match.group(3), _MONTHS[match.group(1).casefold()], int(match.group(2))))
    for match in _MONTH_ALONE.finditer(text):
        month = _MONTHS[match.group(1).casefold()]
        take(match, f"{match.group(2)}-{month:02d}" if match.group(2) else f"--{month:02d}")
    for match in _WEEKDAY.finditer(text):
        take(match, _WEEKDAYS[match.group(1).casefold()])
    for match in _YEAR.finditer(text):
        take(match, match.group(1))
    return found, spans


def _iso(year: str | None, month: int, day: int) -> str | None:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"


def _numbers(text: str, sentence: int, lang: str, date_spans: list[tuple[int, int]]) -> list[Mention]:
    found = []
    for match in _NUMBER.finditer(text):
        if any(start <= match.start() < end for start, end in date_spans):
            continue
        value = number_value(match.group(1), lang)
        if value is None:
            continue
        unit = _unit(match.group(2) or match.group(3) or "", lang)
        surface = match.group(0) if unit else match.group(1)
        found.append(Mention("number", f"{value} {unit}".strip(), surface, sentence))
    return found


def _unit(word: str, lang: str) -> str:
    """The stem of the unit or counted noun after a number, accents folded ("minütigen" -> "minut")."""
    folded = word.casefold()
    if folded in ("%", "prozent", "percent"):
        return "percent"
    if folded in ("€", "euro"):
        return "euro"
    if folded in ("$", "dollar"):
        return "dollar"
    # German capitalises nouns, so a capitalised word after a number is what it counts.
    if folded in _UNIT_WORDS or (word[:1].isupper() and folded not in STOP_WORDS.get(lang, ())) or word.endswith("ig") or word.endswith("igen"):
        stripped = "".join(c for c in unicodedata.normalize("NFD", stem(folded, lang)) if not unicodedata.combining(c))
        return re.sub(r"ig$", "", stripped)
    return ""


def _names(text: str, sentence: int) -> list[Mention]:
    tokens = list(_TOKEN.finditer(text))
    found: list[Mention] = []
    position = 0
    while position < len(tokens):
        token = tokens[position].group(0)
        if token.casefold().endswith(_ROLES):
            name = _name_after(tokens, position + 1)
            if name:
                found.append(Mention("person", name.casefold(), name, sentence))
        length, kind, value = _longest_gazetteer_match(tokens, position)
        if kind:
            phrase = " ".join(match.group(0) for match in tokens[position : position + length])
            found.append(Mention(kind, value, phrase, sentence))
            position += length
            continue
        if _ACRONYM.match(token) and token.casefold() not in AGENCY_NAMES:
            found.append(Mention("organisation", token.casefold(), token, sentence))
        position += 1
    return found


def _longest_gazetteer_match(tokens: list[re.Match], position: int) -> tuple[int, str | None, str]:
    """The longest run of up to four tokens from `position` that the gazetteer knows."""
    for length in (4, 3, 2):
        if position + length <= len(tokens):
            kind, value = _gazetteer(" ".join(match.group(0) for match in tokens[position : position + length]))
            if kind:
                return length, kind, value
    token = tokens[position].group(0)
    kind, value = _gazetteer(token)
    if not kind and "-" in token:
        kind, value = _gazetteer(token.split("-")[0])  # "US-Präsident", "Nato-Mitgliedern"
    return 1, kind, value


def _gazetteer(phrase: str) -> tuple[str | None, str]:
    key = phrase.casefold()
    # The genitive "s" of German names: "Russlands", "Putins".
    for candidate in (key, key[:-1]) if key.endswith("s") else (key,):
        for kind, table in (("place", PLACES), ("organisation", ORGANISATIONS), ("agency", AGENCY_NAMES)):
            if candidate in table:
                return kind, table[candidate].casefold()
    return None, ""


def _name_after(tokens: list[re.Match], start: int) -> str | None:
    parts = []
    for match in tokens[start : start + 3]:
        token = match.group(0)
        if not token[:1].isupper() or token.casefold() in _NOT_NAMES or _gazetteer(token)[0]:
            break
        if parts and match.start() - tokens[start + len(parts) - 1].end() > 1:
            break  # punctuation between: "Sprecherin, Jen" is not one name
        parts.append(token)
    # One capitalised word after a German role is usually a noun ("Präsident Russlands" is
    # caught above); a name needs a first and a last name, or an English honorific before it.
    return " ".join(parts) if len(parts) >= 2 else None
