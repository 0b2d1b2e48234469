"""`dedup.compare(a, b)`: which facts two reports share, which each alone carries, and
where they disagree.

The steps of the collation pipeline (tokenise, normalise, align, analyse, display), each
a function with data in and out:
    clean (dedup.text.page) -> segment (dedup.facts.segment)
    -> sentence features and atoms (dedup.facts.matcher, dedup.facts.atoms)
    -> align and classify rows, word diffs (dedup.facts.align, dedup.facts.worddiff)
    -> atoms compared across the reports (here)
Display is the renderers' job (dedup.io.compare_render).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date

from dedup.facts.align import Side, align, slot_conflicts
from dedup.facts.atoms import (
    ATOM_TYPES,
    Mention,
    agency_mentions,
    resolve_people,
    sentence_atoms,
)
from dedup.facts.matcher import SentenceMatcher, sentence_features
from dedup.facts.quotes import quotes_by_meaning
from dedup.facts.segment import headings, split_sentences
from dedup.model import (
    AlignedRow,
    Article,
    Atom,
    AtomStatus,
    FactDiff,
    RowKind,
    UserProblem,
)
from dedup.semantic.encoder import Encoder, shared_encoder
from dedup.text.language import detect_language
from dedup.text.normalise import normalise
from dedup.text.page import clean_article
from dedup.text.tokens import words

# A quote whose words stand, this share of them at least, in a longer quotation on the
# other side is that quotation cut shorter ("I am not pro-gay marriage" in "I am strongly
# pro-life and I am not pro-gay marriage").
QUOTE_CONTAINED = 0.8
# The longest report compared, in bytes of UTF-8 text. Every step grows linearly with the
# reports' length (benchmarks/compare_scaling.py): two 1 MB reports take 25 to 30 s of one
# core and 0.9 GB, two at this limit about a minute and 1.6 GB (German news, 2 MB each:
# 65 s). A longer text is rarely one report (a feed, a book), and better compared in parts.
MAX_REPORT_BYTES = 2 * 2**20


def compare(left: Article, right: Article, semantic: bool = True, encoder: Encoder | None = None) -> FactDiff:
    """The fact-level comparison of two reports. A report longer than MAX_REPORT_BYTES is
    refused with a UserProblem that names it.

    With `semantic` the sentence encoder (`encoder`, else dedup.semantic's shared one)
    reads every sentence, so paraphrases in other words and translations align, and quotes
    match by meaning; without it the comparison is lexical only."""
    for article in (left, right):
        _check_size(article)
    # Credit lines ("(dpa, afp, rtr)") leave the text with the page cleaner; the agency
    # atoms quote them from the text as given.
    given = left.text, right.text
    left, right = clean_article(left), clean_article(right)
    left_side, left_mentions = _side(left, given[0])
    right_side, right_mentions = _side(right, given[1])
    left, right = replace(left, lang=left_side.lang), replace(right, lang=right_side.lang)
    left_mentions, right_mentions = (
        resolve_people(left_mentions, enumerate(left_side.texts), _people(right_mentions)),
        resolve_people(right_mentions, enumerate(right_side.texts), _people(left_mentions)),
    )
    if semantic:
        encoder = encoder or shared_encoder()
        _read_meaning(encoder, left_side, right_side)
    matcher = SentenceMatcher(left_side.features + right_side.features, cross_language=left_side.lang != right_side.lang)
    rows = align(left_side, right_side, matcher)
    atoms = compare_atoms(left_mentions, right_mentions, rows)
    if semantic:
        atoms = quotes_by_meaning(atoms, left_mentions, right_mentions, rows, encoder, matcher.cross_language)
    return FactDiff(left, right, left_side.texts, right_side.texts, rows, atoms)


def _read_meaning(encoder: Encoder, left: Side, right: Side) -> None:
    """Give every sentence of both sides its vector, in one call to the encoder."""
    vectors = encoder.encode(left.texts + right.texts)
    for side, offset in ((left, 0), (right, len(left.texts))):
        side.features = [replace(features, vector=vectors[offset + index]) for index, features in enumerate(side.features)]


def _check_size(article: Article) -> None:
    # A character is at least one byte: a text of more characters than the limit is over
    # it without encoding it.
    size = len(article.text) if len(article.text) > MAX_REPORT_BYTES else len(article.text.encode("utf-8", "surrogatepass"))
    if size > MAX_REPORT_BYTES:
        shown = math.ceil(size / 2**20 * 10) / 10  # rounded up: never shown as the limit itself
        raise UserProblem(f"{article.origin or article.id}: {shown:.1f} MB is more than dedup compare reads "
                          f"({MAX_REPORT_BYTES // 2**20} MB); split the report or compare an excerpt")


def _published(iso_date: str | None) -> date | None:
    """The report's publication day, for "yesterday" and "last year"; None when unknown."""
    try:
        return date.fromisoformat((iso_date or "")[:10])
    except ValueError:
        return None


def _people(mentions: list[Mention]) -> set[str]:
    return {mention.value for mention in mentions if mention.type == "person"}


def _side(article: Article, given_text: str) -> tuple[Side, list[Mention]]:
    lang = article.lang if article.lang in ("de", "en") else detect_language(words(normalise(article.text)))
    sentences = split_sentences(article.text)
    texts = [sentence.text for sentence in sentences]
    published = _published(article.date)
    heading_indices = headings(sentences)
    mentions = [mention for sentence in sentences if sentence.index not in heading_indices
                for mention in sentence_atoms(sentence.text, sentence.index, lang, published)]
    mentions = resolve_people(mentions, [(sentence.index, sentence.text) for sentence in sentences])
    by_sentence: dict[int, list[Mention]] = defaultdict(list)
    for mention in mentions:
        by_sentence[mention.sentence].append(mention)
    mentions += agency_mentions(article.agencies, given_text)
    side = Side(texts, [sentence_features(text, lang) for text in texts], dict(by_sentence), lang, heading_indices)
    return side, mentions


def compare_atoms(left: list[Mention], right: list[Mention], rows: list[AlignedRow]) -> list[Atom]:
    """Atoms by type and value, with their surface forms on each side and their status.

    An atom both state is `shared`; a less precise statement on one side ("200", "im
    Jänner") counts as the other's more precise one ("200 people", "10. Januar") when that
    is the only candidate. Where an aligned row states one quantity or the event's date
    differently on each side, the two values become one `conflict` atom holding both
    sides' words. Everything else is `left_only` or `right_only`: a fact one report alone
    gives is never a conflict.
    """
    surfaces: dict[tuple[str, str], tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for side, mentions in ((0, left), (1, right)):
        for mention in mentions:
            forms = surfaces[(mention.type, mention.value)][side]
            if mention.surface not in forms:
                forms.append(mention.surface)
    _merge_less_precise(surfaces)
    atoms = []
    for atom_type, key, left_forms, right_forms in _row_conflicts(left, right, rows):
        for side, forms in ((0, left_forms), (1, right_forms)):
            for value in key[side]:
                found = surfaces.get((atom_type, value))
                if found and not found[1 - side]:
                    del surfaces[(atom_type, value)]  # told by the conflict atom
        atoms.append(Atom(atom_type, _conflict_key(key), left_forms, right_forms, AtomStatus.CONFLICT))
    for (atom_type, value), (left_forms, right_forms) in surfaces.items():
        if left_forms and right_forms:
            status = AtomStatus.SHARED
        else:
            status = AtomStatus.LEFT_ONLY if left_forms else AtomStatus.RIGHT_ONLY
        atoms.append(Atom(atom_type, value, tuple(left_forms), tuple(right_forms), status))
    return sorted(atoms, key=lambda atom: (ATOM_TYPES.index(atom.type), atom.value))


def _conflict_key(key: tuple[tuple[str, ...], tuple[str, ...], str]) -> str:
    """One key for a conflict whichever report is on the left: "minute: 40 ≠ 50 minute"."""
    left_values, right_values, slot = key
    sides = sorted([", ".join(left_values), ", ".join(right_values)])
    return f"{slot}: {sides[0]} ≠ {sides[1]}"


def _row_conflicts(left: list[Mention], right: list[Mention], rows: list[AlignedRow]):
    """(type, (left values, right values, slot), left forms, right forms) of every slot an
    aligned conflict row fills differently on each side, each once."""
    by_sentence: tuple[dict[int, list[Mention]], dict[int, list[Mention]]] = (defaultdict(list), defaultdict(list))
    for side, mentions in ((0, left), (1, right)):
        for mention in mentions:
            by_sentence[side][mention.sentence].append(mention)
    seen = set()
    found = []
    for row in rows:
        if row.kind is not RowKind.CONFLICT:
            continue
        row_left = [mention for index in row.left for mention in by_sentence[0][index]]
        row_right = [mention for index in row.right for mention in by_sentence[1][index]]
        for atom_type, slot_key, left_forms, right_forms in slot_conflicts(row_left, row_right):
            split = slot_key.index("≠")
            key = (tuple(slot_key[1:split]), tuple(slot_key[split + 1:]), slot_key[0])
            if (atom_type, key) not in seen:
                seen.add((atom_type, key))
                found.append((atom_type, key, left_forms, right_forms))
    return found


def _merge_less_precise(surfaces: dict[tuple[str, str], tuple[list[str], list[str]]]) -> None:
    """Fold a fact one report alone seems to state into the other report's only atom that
    states the same, more or less precisely: a bare number ("200") into that number with
    a unit ("200 people"), a month ("--01") into the only date in it ("--01-10"), an hour
    ("4 a.m.") into the only time in that hour ("4:12 a.m."), a surname ("Mr. Sestak")
    or a fuller name ("Patrick J. Toomey") into the only person of that surname, a quote
    into the longer quotation that holds it. With two candidates ("10. Jänner" and "13.
    Jänner") the statement stays on its own. The more precise atom keeps its key; keys are
    visited in sorted order, so comparing B with A merges the same atoms."""
    related = _SameFactIndex(surfaces)

    def candidates(key: tuple[str, str]) -> list[tuple[str, str]]:
        """What the other report states that may be this one-sided atom's fact."""
        side = 0 if surfaces[key][0] else 1
        return [other for other in related.near(key)
                if other != key and other in surfaces and surfaces[other][1 - side] and _same_fact(key[0], key[1], other[1])]

    for key in sorted(surfaces):
        forms = surfaces.get(key)
        if forms is None or (forms[0] and forms[1]):
            continue
        found = candidates(key)
        if len(found) != 1:
            continue
        target, source = sorted((key, found[0]), key=_precision, reverse=True)
        if source != key and (surfaces[source][0] and surfaces[source][1] or len(candidates(source)) != 1):
            continue  # the vaguer one is shared, or could be more than this fact: "Januar" and 10. and 13. Jänner
        for position in (0, 1):
            surfaces[target][position].extend(form for form in surfaces[source][position] if form not in surfaces[target][position])
        del surfaces[source]


class _SameFactIndex:
    """The atoms that `_same_fact` could pair with a given one, found through keys the two
    must share instead of by trying every atom of the type (which costs the square of a
    long report's atoms): a number's first word, a date's hour or month, a person's surname,
    an organisation's initials, a quotation's rarer words. `near` may name more atoms than
    pair, never fewer."""

    _EVERY = ("every",)  # the key of a value no other key is safe for: met by all of its type

    def __init__(self, keys) -> None:
        keys = list(keys)
        quote_words = [set(value.split()) for atom_type, value in keys if atom_type == "quote"]
        self.quote_rarity = Counter(word for words in quote_words for word in words)
        self.indexed: dict[tuple[str, tuple], list[tuple[str, str]]] = defaultdict(list)
        self.probes: dict[tuple[str, str], set[tuple]] = {}
        for key in keys:
            indexed, probes = self._keys(*key)
            for index_key in indexed:
                self.indexed[(key[0], index_key)].append(key)
            self.probes[key] = probes

    def near(self, key: tuple[str, str]) -> list[tuple[str, str]]:
        if self._EVERY in self.probes[key]:
            found = {other for (atom_type, _), others in self.indexed.items() if atom_type == key[0] for other in others}
        else:
            found = {other for probe in self.probes[key] | {self._EVERY} for other in self.indexed.get((key[0], probe), ())}
        return sorted(found)

    def _keys(self, atom_type: str, value: str) -> tuple[set[tuple], set[tuple]]:
        """(the keys this value is filed under, the keys it looks up)."""
        if atom_type == "number":  # "200" and "200 people": the same first word
            keys = {("first", value.partition(" ")[0])}
        elif atom_type == "date":  # "T4" and "T4:12"; "--01" and "--01-10" or "2022-01-10"
            keys = {("hour", value.split(":")[0]), ("month", value[2:4]), ("month", value[5:7])}
            if value.startswith("--") and len(value) < 4:
                keys = {self._EVERY}
        elif atom_type == "person":  # the same surname
            keys = {("surname", tuple(value.split()[-1:]))}
        elif atom_type == "organisation":  # "nra" and "national rifle association"
            keys = {("initials", value), ("initials", _initials(value))}
        elif atom_type == "quote":
            return self._quote_keys(value)
        else:
            keys = set()
        return keys, keys

    def _quote_keys(self, value: str) -> tuple[set[tuple], set[tuple]]:
        """A quote inside a longer one has QUOTE_CONTAINED of its words there: among its
        rarest (its word count minus that share, plus one) at least one. So a quote is
        filed under all its words and its rarest, and looks up the one with the other."""
        words = sorted(set(value.split()), key=lambda word: (self.quote_rarity[word], word))
        rarest = words[:len(words) - math.ceil(QUOTE_CONTAINED * len(words)) + 1]
        return ({("word", word) for word in words} | {("rare", word) for word in rarest},
                {("word", word) for word in rarest} | {("rare", word) for word in words})


def _initials(name: str) -> str:
    return "".join(word[0] for word in name.split() if word not in ("of", "the", "for", "and", "&"))


def _precision(key: tuple[str, str]) -> tuple[int, int, str]:
    return len(key[1].split()), len(key[1]), key[1]


def _same_fact(atom_type: str, one: str, other: str) -> bool:
    if atom_type in ("number", "date"):
        return _more_precise(atom_type, other, one) or _more_precise(atom_type, one, other)
    if atom_type == "person":
        return _same_person(one.split(), other.split())
    if atom_type == "organisation":
        return _abbreviates(one, other) or _abbreviates(other, one)
    if atom_type == "quote":
        shorter, longer = sorted((set(one.split()), set(other.split())), key=len)
        return len(shorter) >= 1 and len(shorter & longer) >= QUOTE_CONTAINED * len(shorter)
    return False


def _abbreviates(acronym: str, name: str) -> bool:
    """"nra" and "national rifle association": the initials of the name's words."""
    initials = _initials(name)
    return " " not in acronym and 2 <= len(acronym) <= 6 and len(initials) >= 2 and acronym == initials


def _same_person(one: list[str], other: list[str]) -> bool:
    """"sestak" and "joe sestak"; "pat toomey" and "patrick j toomey" (same surname, first
    names with one initial); "james comey" in "director james comey"; not "liz cheney" and
    "mary cheney"."""
    if one[-1] != other[-1]:
        return False
    shorter, longer = sorted((one, other), key=len)
    if longer[-len(shorter):] == shorter:
        return True  # "Director James Comey", "Staff Rahm Emanuel": a title run into the name
    return len(one) == 1 or len(other) == 1 or one[0][0] == other[0][0]


def _more_precise(atom_type: str, precise: str, vague: str) -> bool:
    if atom_type == "number":
        return " " not in vague and precise.partition(" ")[0] == vague and " " in precise
    if vague.startswith("T"):  # "4 a.m." is "4:12 a.m." said less precisely
        return precise.startswith(vague + ":")
    if vague.startswith("--"):  # "--01" is part of "--01-10" and of "2022-01-10"
        return precise.startswith(vague) or precise[4:].startswith(vague[1:])
    return False
