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

from collections import defaultdict
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
from dedup.facts.segment import is_heading, split_sentences
from dedup.model import AlignedRow, Article, Atom, AtomStatus, FactDiff, RowKind
from dedup.text.language import detect_language
from dedup.text.normalise import normalise
from dedup.text.page import clean_article
from dedup.text.tokens import words

# A quote whose words stand, this share of them at least, in a longer quotation on the
# other side is that quotation cut shorter ("I am not pro-gay marriage" in "I am strongly
# pro-life and I am not pro-gay marriage").
QUOTE_CONTAINED = 0.8


def compare(left: Article, right: Article) -> FactDiff:
    # Credit lines ("(dpa, afp, rtr)") leave the text with the page cleaner; the agency
    # atoms quote them from the text as given.
    given = left.text, right.text
    left, right = clean_article(left), clean_article(right)
    left_side, left_mentions = _side(left, given[0])
    right_side, right_mentions = _side(right, given[1])
    left_mentions, right_mentions = (
        resolve_people(left_mentions, enumerate(left_side.texts), _people(right_mentions)),
        resolve_people(right_mentions, enumerate(right_side.texts), _people(left_mentions)),
    )
    matcher = SentenceMatcher(left_side.features + right_side.features)
    rows = align(left_side, right_side, matcher)
    atoms = compare_atoms(left_mentions, right_mentions, rows)
    return FactDiff(left, right, left_side.texts, right_side.texts, rows, atoms)


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
    headings = frozenset(sentence.index for sentence in sentences if is_heading(sentence, sentences))
    mentions = [mention for sentence in sentences if sentence.index not in headings
                for mention in sentence_atoms(sentence.text, sentence.index, lang, published)]
    mentions = resolve_people(mentions, [(sentence.index, sentence.text) for sentence in sentences])
    by_sentence: dict[int, list[Mention]] = defaultdict(list)
    for mention in mentions:
        by_sentence[mention.sentence].append(mention)
    mentions += agency_mentions(article.agencies, given_text)
    side = Side(texts, [sentence_features(text, lang) for text in texts], dict(by_sentence), lang, headings)
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
    def candidates(key: tuple[str, str]) -> list[tuple[str, str]]:
        """What the other report states that may be this one-sided atom's fact."""
        side = 0 if surfaces[key][0] else 1
        return [other for other, other_forms in surfaces.items()
                if other != key and other[0] == key[0] and other_forms[1 - side] and _same_fact(key[0], key[1], other[1])]

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
    initials = "".join(word[0] for word in name.split() if word not in ("of", "the", "for", "and", "&"))
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
