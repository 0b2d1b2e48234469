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

from dedup.facts.align import Side, align
from dedup.facts.atoms import ATOM_TYPES, Mention, agency_mentions, resolve_people, sentence_atoms
from dedup.facts.matcher import SentenceMatcher, sentence_features
from dedup.facts.segment import split_sentences
from dedup.model import AlignedRow, Article, Atom, AtomStatus, FactDiff, RowKind
from dedup.text.language import detect_language
from dedup.text.normalise import normalise
from dedup.text.page import clean_article
from dedup.text.tokens import words


def compare(left: Article, right: Article) -> FactDiff:
    left, right = clean_article(left), clean_article(right)
    left_side, left_mentions = _side(left)
    right_side, right_mentions = _side(right)
    matcher = SentenceMatcher(left_side.features + right_side.features)
    rows = align(left_side, right_side, matcher)
    atoms = compare_atoms(left_mentions, right_mentions, rows)
    return FactDiff(left, right, left_side.texts, right_side.texts, rows, atoms)


def _side(article: Article) -> tuple[Side, list[Mention]]:
    lang = article.lang if article.lang in ("de", "en") else detect_language(words(normalise(article.text)))
    sentences = split_sentences(article.text)
    texts = [sentence.text for sentence in sentences]
    mentions = [mention for sentence in sentences for mention in sentence_atoms(sentence.text, sentence.index, lang)]
    mentions = resolve_people(mentions, [(sentence.index, sentence.text) for sentence in sentences])
    by_sentence: dict[int, list[Mention]] = defaultdict(list)
    for mention in mentions:
        by_sentence[mention.sentence].append(mention)
    mentions += agency_mentions(article.agencies)
    side = Side(texts, [sentence_features(text, lang) for text in texts], dict(by_sentence), lang)
    return side, mentions


def compare_atoms(left: list[Mention], right: list[Mention], rows: list[AlignedRow]) -> list[Atom]:
    """Atoms by type and value, with their surface forms on each side and their status.

    An atom one side alone states is `conflict` when it is one of the values a conflict
    row disagrees on, else `left_only` or `right_only`.
    """
    surfaces: dict[tuple[str, str], tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for side, mentions in ((0, left), (1, right)):
        for mention in mentions:
            forms = surfaces[(mention.type, mention.value)][side]
            if mention.surface not in forms:
                forms.append(mention.surface)
    in_conflict = _conflicting_values(rows)
    atoms = []
    for (atom_type, value), (left_forms, right_forms) in surfaces.items():
        if left_forms and right_forms:
            status = AtomStatus.SHARED
        elif (atom_type, value) in in_conflict:
            status = AtomStatus.CONFLICT
        else:
            status = AtomStatus.LEFT_ONLY if left_forms else AtomStatus.RIGHT_ONLY
        atoms.append(Atom(atom_type, value, tuple(left_forms), tuple(right_forms), status))
    return sorted(atoms, key=lambda atom: (ATOM_TYPES.index(atom.type), atom.value))


def _conflicting_values(rows: list[AlignedRow]) -> set[tuple[str, str]]:
    values = set()
    for row in rows:
        if row.kind is not RowKind.CONFLICT:
            continue
        for conflict in row.conflicts:
            atom_type, _, sides = conflict.partition(": ")
            for side in sides.split(" ≠ "):
                values.update((atom_type, value) for value in side.split(", "))
    return values
