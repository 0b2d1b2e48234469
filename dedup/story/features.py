"""What story mode reads from each document: the evidence a journalist would check.

Two reports of one event name the same people and places, give the same numbers and
dates, and use the same rare words, even when no sentence is copied. For each document:
- stems: content words (stop words removed, Snowball stems) with their counts;
- names: capitalised words inside a sentence, and runs of them ("jen_psaki"); in German,
  which capitalises every noun, only the runs and the words that end one;
- numbers: in one canonical form ("4.000" in German = "4,000" in English = "4000"), so
  "50-minütigen" and "50 Minuten" share "50";
- dates: a day next to a month name, as "MM-DD" in any language ("10. Jänner" =
  "10. Januar" = "January 10" = "01-10"), because normalise folds Austrian months;
- weekdays ("Donnerstag" = "thursday"): reports of one event name the same days, and
  reports of two events of one story often name different ones;
- title: the title's stems, when the input has a title;
- day: the publication day, when the input has a date;
- summary: the title and the lead as text, what the sentence encoder reads for
  `dedup scan --semantic` (dedup.semantic): a report says what happened first, and a
  vector of the whole article would mix in its background.

Everything here is a function of one document, so it runs in the worker processes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import date

from dedup.model import Article, StoryFeatures
from dedup.text.dates import MONTH_NUMBERS, WEEKDAYS
from dedup.text.language import STOP_WORDS, detect_language, stem
from dedup.text.normalise import normalise
from dedup.text.numbers import number_value
from dedup.text.quantities import clock_times, durations
from dedup.text.tokens import words

# Sentence starts are capitalised whatever the word, so names are only read after them.
# A period after a number is an ordinal ("10. Januar"), not a sentence end.
_SPACE_BREAK = r"(?<=[.!?:\"])(?<!\d\.)\s+(?=[\"'(]?[A-ZÄÖÜ0-9])"
_LINE_BREAK = r"\n+"
_SENTENCE_BREAK = re.compile(f"{_SPACE_BREAK}|{_LINE_BREAK}")
# _SENTENCE_BREAK's two branches, tried only after the characters a break can follow
# (iter_sentences): the engine finds a character class quickly, but tries a pattern that
# starts with a look-behind at every position.
_BREAK_MARK = re.compile(r"[.!?:\"\n]")
_SPACE_AFTER_MARK = re.compile(_SPACE_BREAK)
_LINE_BREAKS = re.compile(_LINE_BREAK)
_TOKEN = re.compile(r"[^\W\d_][\w'-]*|\d+(?:[.,]\d+)*")
# The tokens of every sentence and the breaks between them, in one pass over the text: a
# token holds no space and a break nothing else, so each is found where it would be in
# the sentences alone (tested), and a break is told by its first character.
_TOKEN_OR_BREAK = re.compile(f"{_TOKEN.pattern}|{_SENTENCE_BREAK.pattern}")
_DIGITS = re.compile(r"\d")
# Quotation marks are all folded to '"' by normalise.
_QUOTE = re.compile(r'"([^"]{2,400})"')
# A news report's lead says what happened, where and to whom: its first sentences.
LEAD_SENTENCES = 2
# The summary's lead: whole sentences up to this many characters (a news lead paragraph
# runs 25-40 words, 200-300 characters; the title adds its own). Measured with the shipped
# encoder, the AUC of the summaries' cosine for same-event pairs (all pairs of a corpus) at
# 200 / 400 / 800 / 1,600 characters: ecbplus 0.976 / 0.992 / 0.992 / 0.992, basil 0.989 /
# 0.993 / 0.998 / 0.999, pac 0.958 / 0.978 / 0.984 / 0.987. Encoding time grows with the
# length (about twice as long at 800), so 400 takes most of what longer leads give.
SUMMARY_CHARACTERS = 400
# Per language, the words that are no content: function words, month names and weekdays
# (a weekday is read as one first), in one set for one lookup a word.
_EXCLUDED = {lang: frozenset(stop) | frozenset(MONTH_NUMBERS) | frozenset(WEEKDAYS) for lang, stop in STOP_WORDS.items()}
# Words that name their quantity before the number ("magnitude 6.1", "Stärke 5,4").
_UNIT_BEFORE = frozenset({"magnitude", "magnitud", "stärke", "richter"})
# What each token is, told once per process and language (`_token_kind`): news repeats
# its words, and one dictionary lookup costs less than case-folding and testing each
# token again. Emptied when it reaches this size (some tens of MB), like the stems' cache.
_KNOWN_TOKENS = 1 << 18
# A run of capitalised words is read in pieces of at most this many words: a name is a few
# words, and every tail of a run is kept, so a run of n words costs n^2 (a hostile text of
# 40,000 capitalised words took 20 s and 3 GB). The longest run in ../shared/data has 108.
_LONGEST_RUN = 128
_BREAK, _NUMBER, _WEEKDAY, _EXCLUDED_WORD, _WORD, _CAPITALISED = range(6)
_token_kinds: dict[str, dict[str, tuple[int, str, str | None]]] = {}
# Each content word's stem ("'s" dropped), per language, kept the same way.
_word_stems: dict[str, dict[str, str]] = {}


def story_features(article: Article, with_summary: bool = True) -> StoryFeatures:
    """The story evidence of an article; its `summary` only `with_summary` (what the sentence
    encoder reads: a scan without it has no use for the summary, and it costs 3% of this)."""
    text = normalise(article.text)
    items = _TOKEN_OR_BREAK.findall(text)  # the tokens of every sentence, and the breaks between them
    # A text without a language reads it from these tokens, rather than tokenising again.
    lang = article.lang if article.lang in STOP_WORDS else detect_language(items)
    names: set[str] = set()
    runs: set[str] = set()
    numbers: set[str] = set()
    dates: set[str] = set()
    weekdays: set[str] = set()
    # Durations and clock times as "value unit" too, so they agree or disagree like the rest.
    quantities: set[str] = {f"{minutes} duration" for minutes in durations(text, lang)}
    quantities |= {f"{clock} time" for clock in clock_times(text)}
    lead: set[str] = set()
    lead_when: set[str] = set()
    lead_names: set[str] = set()
    lead_numbers: set[str] = set()
    stems_in_order: list[str] = []  # the content words' stems, counted at the end (in C)
    last = len(items) - 1
    sentence_number = first = 0  # the sentence, and where its tokens start among the items
    run: list[str] = []
    kinds = _token_kinds.setdefault(lang, {})
    for index, token in enumerate(items):
        code, folded, word_stem = kinds.get(token) or _token_kind(token, lang, kinds)
        if code >= _WORD:  # a content word; a name when capitalised inside its sentence
            if code == _CAPITALISED and index > first:
                names.add(folded)
                run.append(folded)
                if len(run) == _LONGEST_RUN:
                    _add_run(run, runs)
                    run = []
            elif run:
                if len(run) > 1:  # a single capitalised word makes no run
                    _add_run(run, runs)
                run = []
            if word_stem is not None:
                stems_in_order.append(word_stem)
            continue
        if code == _BREAK:  # the next sentence starts
            if len(run) > 1:
                _add_run(run, runs)
            run = []
            sentence_number += 1
            first = index + 1
            if sentence_number == LEAD_SENTENCES:
                lead, lead_when, lead_names = set(stems_in_order), dates | weekdays, _proper_names(names, runs, lang)
                lead_numbers = set(numbers)
            continue
        if code == _NUMBER:
            before = items[index - 1] if index > first else ""
            after = items[index + 1] if index < last and not items[index + 1][0].isspace() else ""
            value = number_value(token, lang)  # canonical ("4.000" -> "4000"), None for no number
            if value is not None:
                _read_number(value, before, after, numbers, dates)
                _read_quantity(value, before, after, lang, quantities)
        elif code == _WEEKDAY:
            weekdays.add(folded)
        if run:  # a number or a function word ends a run of names
            if len(run) > 1:
                _add_run(run, runs)
            run = []
    _add_run(run, runs)
    # Counted in C, each stem where its first word comes (as the words were counted before).
    stems = dict(Counter(stems_in_order))
    all_names = _proper_names(names, runs, lang)
    if len(lead) == 0:
        lead, lead_when, lead_names, lead_numbers = set(stems), dates | weekdays, all_names, set(numbers)
    return StoryFeatures(
        lang=lang,
        stems=stems,
        names=frozenset(all_names),
        numbers=frozenset(numbers),
        dates=frozenset(dates),
        title=frozenset(_title_stems(article.title, lang)),
        day=publication_day(article.date),
        quotes=frozenset(_quote_pieces(text, lang)),
        weekdays=frozenset(weekdays),
        lead=frozenset(lead),
        quantities=frozenset(quantities),
        lead_when=frozenset(lead_when),
        lead_names=frozenset(lead_names),
        lead_numbers=frozenset(lead_numbers),
        summary=summary(article.title, text) if with_summary else "",
    )


def summary(title: str | None, text: str) -> str:
    """The title and, on the next line, the first sentences of the (normalised) text up to
    SUMMARY_CHARACTERS; a first sentence longer than that is cut. A text that starts with
    its title does not repeat it."""
    lead: list[str] = []
    size = 0
    for sentence in iter_sentences(text):  # only as far as the summary reads
        sentence = " ".join(sentence.split())
        if not sentence:
            continue
        if lead and size + len(sentence) > SUMMARY_CHARACTERS:
            break
        lead.append(sentence)
        size += len(sentence) + 1
        if size >= SUMMARY_CHARACTERS:
            break
    opening = " ".join(lead)[:SUMMARY_CHARACTERS]
    heading = " ".join(normalise(title or "").split())
    if not heading or opening.startswith(heading):
        return opening
    return f"{heading}\n{opening}"


def iter_sentences(text: str) -> Iterator[str]:
    """The pieces of _SENTENCE_BREAK.split(text), one by one (tested equal), twice as fast: a
    break is a run of spaces after a sentence's last character, or a run of line breaks, so
    only the places after ".!?:\"" and at line breaks are tried, in order, each at or after
    the last break."""
    end = 0
    for mark in _BREAK_MARK.finditer(text):
        position = mark.start() if mark.group() == "\n" else mark.end()
        if position < end:
            continue
        match = _SPACE_AFTER_MARK.match(text, position) or _LINE_BREAKS.match(text, position)
        if match:
            yield text[end:match.start()]
            end = match.end()
    yield text[end:]


def _token_kind(token: str, lang: str, kinds: dict[str, tuple[int, str, str | None]]) -> tuple[int, str, str | None]:
    """What a token of the one-pass search is, remembered in `kinds`: a sentence break, a
    number, a weekday (with its canonical name), a function word, or a content word (with
    its case-folded form), capitalised or not, and its stem when it is counted (two letters
    or more). The stem is kept with the kind so that a token costs one lookup in a table of
    a corpus's vocabulary, not two: at that size a lookup mostly waits for memory."""
    if token[0].isspace():
        kind = (_BREAK, "", None)
    elif token[0].isdigit():
        kind = (_NUMBER, "", None)
    else:
        folded = token.casefold()
        if folded in _EXCLUDED[lang]:
            kind = (_WEEKDAY, WEEKDAYS[folded], None) if folded in WEEKDAYS else (_EXCLUDED_WORD, "", None)
        else:
            stem_of = _word_stems.setdefault(lang, {})
            word_stem = (stem_of.get(folded) or _word_stem(folded, lang, stem_of)) if len(folded) > 1 else None
            kind = (_CAPITALISED if token[0].isupper() else _WORD, folded, word_stem)
    if len(kinds) >= _KNOWN_TOKENS:
        kinds.clear()
    kinds[token] = kind
    return kind


def _word_stem(word: str, lang: str, stem_of: dict[str, str]) -> str:
    """The stem of a content word ("bidens" and "biden's" both "biden"), remembered in `stem_of`."""
    if len(stem_of) >= _KNOWN_TOKENS:
        stem_of.clear()
    word_stem = stem_of[word] = stem(word.removesuffix("'s"), lang)
    return word_stem


def _add_run(run: list[str], runs: set[str]) -> None:
    """A run of capitalised words and its tails of two or more ("sprecherin_jen_psaki",
    "jen_psaki"): a title or role word before a name is not part of it."""
    for start in range(len(run) - 1):
        runs.add("_".join(run[start:]))


def _proper_names(capitalised: set[str], runs: set[str], lang: str) -> set[str]:
    """English capitalises names only, so every capitalised word inside a sentence counts.
    German capitalises every noun; there a name is a run of capitalised words ("Jen Psaki",
    "Rotes Kreuz": German adjectives are lower case unless part of a name), and a single
    word only when it also ends such a run in the text (the later "Psaki")."""
    if lang != "de":
        return capitalised | runs
    surnames = {run.rpartition("_")[2] for run in runs}
    return runs | (capitalised & surnames)


def _read_number(value: str, before: str, after: str, numbers: set[str], dates: set[str]) -> None:
    """A number's canonical value, and a date when a month name is next to a day ("10. Januar",
    "January 10"); `before` and `after` are the tokens next to it in its sentence ("" at either end)."""
    numbers.add(value)
    if value.isdigit() and 1 <= int(value) <= 31:
        month = MONTH_NUMBERS.get(after.casefold()) or MONTH_NUMBERS.get(before.casefold())
        if month:
            dates.add(f"{month:02d}-{int(value):02d}")


def _read_quantity(value: str, before: str, after: str, lang: str, quantities: set[str]) -> None:
    """A number's canonical value and the content word after it ("14 people" -> "14 peopl"), or
    before it when that word names its quantity first ("magnitude 6.1")."""
    stop = STOP_WORDS[lang]
    after = after.casefold()
    if after and not after[0].isdigit() and after not in stop and after not in MONTH_NUMBERS:
        quantities.add(f"{value} {stem(after.lstrip('-'), lang)}")
    before = before.casefold()
    if before in _UNIT_BEFORE:
        quantities.add(f"{value} {stem(before, lang)}")


def _quote_pieces(text: str, lang: str) -> set[str]:
    """The quoted words, as pairs of neighbouring content stems ("kolossal_fehl"): two
    reports that quote the same words share them whatever the words around the quote."""
    pieces: set[str] = set()
    stop, stem_of = STOP_WORDS[lang], _word_stems.setdefault(lang, {})  # a word (\w+) never ends in "'s"
    for quoted in _QUOTE.findall(text):
        stems = [stem_of.get(word) or _word_stem(word, lang, stem_of) for word in words(quoted)
                 if word not in stop and not word[0].isdigit()]
        pieces.update(f"{first}_{second}" for first, second in zip(stems, stems[1:], strict=False))
    return pieces


def _title_stems(title: str | None, lang: str) -> set[str]:
    stop, stem_of = STOP_WORDS[lang], _word_stems.setdefault(lang, {})  # a word (\w+) never ends in "'s"
    return {
        stem_of.get(token) or _word_stem(token, lang, stem_of)
        for token in words(normalise(title or ""))
        if len(token) > 1 and token not in stop and not _DIGITS.match(token)
    }


def publication_day(iso_date: str | None) -> int | None:
    """The day of an ISO date ("2021-12-30", or with a time after it); None for a partial or bad date."""
    try:
        return date.fromisoformat((iso_date or "")[:10]).toordinal()
    except ValueError:
        return None
