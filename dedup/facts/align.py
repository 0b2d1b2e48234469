"""Sentence alignment across two reports, and what each aligned row holds.

1. One to one: every pair of sentences scoring at least PARAPHRASE_THRESHOLD, best first,
   is matched when both are still free. Order never matters: two reports can tell a
   story in any order.
2. One to many: a sentence left over whose content stands mostly in a longer sentence of
   the other report (at least COVERAGE_THRESHOLD of its IDF-weighted stems) joins that
   sentence's row, so a long sentence that carries two short ones aligns with both.
3. Anchored by atoms: a sentence still left over that states the same specific fact (a
   number with its unit, a full date, a quotation) as a sentence of the other report
   forms a row with it, or joins that sentence's row when the sentence also carries at
   least half the coverage of step 2: "telefonierten 50 Minuten lang" and "nach dem etwa
   50-minütigen Gespräch" report one fact in few shared words.
4. Each row is `shared` (the same words once normalised), `conflict` (the sides state one
   quantity or the event's date with different values: "50 Minuten" / "40 Minuten") or
   `paraphrase`. Headings form rows of their own. Sentences in no row are `left_only` or
   `right_only`.

Every choice is symmetric (ties are broken on the texts, not on which side they came
from), so comparing B with A gives the mirror image of comparing A with B.

With the sentence encoder (dedup.semantic) the score of step 1 blends words and meaning
(dedup.facts.matcher.semantic_similarity), and each sentence's nearest sentences of the
other report by meaning are looked at too (blocking.nearest_by_meaning), so a paraphrase
in other words or a translation can align; across two languages the score is the
meaning alone and rows carry no word diff. Step 3 ranks its links by words still: an
anchor is a lexical tie.

Steps 1 and 2 look only at the pairs that blocking proposes (dedup.facts.blocking:
sentences that share a content stem, the rarest stems first, a bounded number for each
sentence), so the work grows with the reports' length, not with its square. While one
report has at most CANDIDATES_PER_SENTENCE sentences that is every pair sharing a stem:
coverage cannot reach its threshold without one, and a pair sharing none has never been
seen to reach the paraphrase threshold (see dedup.facts.blocking for the measurement).
Most pairs below PARAPHRASE_THRESHOLD are told by bounds without their score
(SentenceMatcher.similarity_at_least). Step 3 reads an index of the anchors.
`align(..., exhaustive=True)` looks at every pair, for tests that hold both to the same rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from dedup.facts.atoms import Mention
from dedup.facts.blocking import candidate_pairs, nearest_by_meaning
from dedup.facts.matcher import (
    PARAPHRASE_THRESHOLD,
    SentenceFeatures,
    SentenceMatcher,
    lowest_paraphrase_cosine,
)
from dedup.facts.worddiff import word_diff
from dedup.model import AlignedRow, RowKind
from dedup.text.dates import is_full_date
from dedup.text.normalise import normalise
from dedup.text.tokens import words

# More than half of a short sentence's weighted content inside a long one: the long one
# says it too. Below that, the short sentence adds something of its own.
COVERAGE_THRESHOLD = 0.6
# Coverage is only evidence for sentences with a few content words; "Das ist so." is not.
MIN_COVERED_STEMS = 3
# Atom types whose disagreement inside an aligned row makes it a conflict: a quantity or the
# event's date stated with another value. Two sentences naming different people ("Sanders"
# / "Ocasio-Cortez") usually tell different things, not one thing differently.
CONFLICT_TYPES = ("number", "date")


@dataclass(slots=True)
class Side:
    """One report as the aligner sees it."""

    texts: list[str]
    features: list[SentenceFeatures]
    atoms: dict[int, list[Mention]]  # sentence index -> its atoms
    lang: str
    headings: frozenset[int] = frozenset()  # sentences that are headings: shown, never aligned


@dataclass(slots=True)
class _Row:
    left: list[int] = field(default_factory=list)
    right: list[int] = field(default_factory=list)
    similarity: float = 0.0


def align(left: Side, right: Side, matcher: SentenceMatcher, exhaustive: bool = False) -> list[AlignedRow]:
    if exhaustive:
        pairs = [(i, j) for i in range(len(left.texts)) for j in range(len(right.texts))]
    else:
        found = candidate_pairs([features.stems for features in left.features],
                                [features.stems for features in right.features])
        vectors = _vectors(left), _vectors(right)
        if vectors[0] is not None and vectors[1] is not None:
            found |= nearest_by_meaning(*vectors, floor=lowest_paraphrase_cosine(matcher.cross_language))
        pairs = sorted(found)
    scores = _Scores(left, right, matcher)
    rows = _same_headings(left, right) + _one_to_one(pairs, scores, left, right)
    _attach_covered(rows, pairs, left, right, matcher)
    _attach_by_atoms(rows, left, right, scores, matcher)
    matched_left = {i for row in rows for i in row.left}
    matched_right = {j for row in rows for j in row.right}
    aligned = [_classify(row, left, right) for row in rows]
    aligned += [_unique(RowKind.LEFT_ONLY, i, left, right) for i in range(len(left.texts)) if i not in matched_left]
    aligned += [_unique(RowKind.RIGHT_ONLY, j, left, right) for j in range(len(right.texts)) if j not in matched_right]
    aligned = [_as_heading(row, left, right) for row in aligned]
    return _in_reading_order(aligned)


def _vectors(side: Side):
    """The side's sentence vectors as one matrix, or None when the encoder has not read it."""
    if not side.features or any(features.vector is None for features in side.features):
        return None
    return np.vstack([features.vector for features in side.features])


class _Scores:
    """The similarity of a left and a right sentence, each pair computed once, when asked;
    0 where either is a heading (headings align with nothing)."""

    def __init__(self, left: Side, right: Side, matcher: SentenceMatcher) -> None:
        self.left, self.right, self.matcher = left, right, matcher
        self.known: dict[tuple[int, int], float] = {}

    def __call__(self, i: int, j: int) -> float:
        score = self.known.get((i, j))
        if score is None:
            if i in self.left.headings or j in self.right.headings:
                score = 0.0
            else:
                score = self.matcher.similarity(self.left.features[i], self.right.features[j])
            self.known[(i, j)] = score
        return score

    def at_least(self, i: int, j: int, threshold: float) -> float | None:
        """The pair's score when it reaches `threshold`, else None; most pairs below it are
        told without computing their score (SentenceMatcher.similarity_at_least)."""
        score = self.known.get((i, j))
        if score is None:
            if i in self.left.headings or j in self.right.headings:
                score = 0.0
            else:
                score = self.matcher.similarity_at_least(self.left.features[i], self.right.features[j], threshold)
                if score is None:
                    return None
            self.known[(i, j)] = score
        return score if score >= threshold else None


def _same_headings(left: Side, right: Side) -> list[_Row]:
    """A heading both reports carry word for word is one shared row; headings align with
    nothing else."""
    right_headings = {tuple(words(normalise(right.texts[j]))): j for j in sorted(right.headings, reverse=True)}
    rows, used = [], set()
    for i in sorted(left.headings):
        j = right_headings.get(tuple(words(normalise(left.texts[i]))))
        if j is not None and j not in used:
            used.add(j)
            rows.append(_Row([i], [j], 1.0))
    return rows


def _one_to_one(pairs: list[tuple[int, int]], scores: _Scores, left: Side, right: Side) -> list[_Row]:
    candidates = [(score, i, j) for i, j in pairs if (score := scores.at_least(i, j, PARAPHRASE_THRESHOLD)) is not None]
    # Best first; ties broken by the two texts as an unordered pair, the same from either side.
    candidates.sort(key=lambda c: (-c[0], *sorted((left.texts[c[1]], right.texts[c[2]]))))
    rows, used_left, used_right = [], set(), set()
    for score, i, j in candidates:
        if i not in used_left and j not in used_right:
            used_left.add(i)
            used_right.add(j)
            rows.append(_Row([i], [j], score))
    return rows


def _attach_covered(rows: list[_Row], pairs: list[tuple[int, int]], left: Side, right: Side,
                    matcher: SentenceMatcher) -> None:
    """Coverage needs shared stems, so the blocked pairs hold every pair that can reach it."""
    row_of_left = {i: row for row in rows for i in row.left}
    row_of_right = {j: row for row in rows for j in row.right}
    attachments = []
    for i, j in pairs:
        for short_side, long_side, rows_of_short, is_left, s, l in (
                (left, right, row_of_left, True, i, j), (right, left, row_of_right, False, j, i)):
            short, long = short_side.features[s], long_side.features[l]
            if s in rows_of_short or len(short.stems) < MIN_COVERED_STEMS or s in short_side.headings:
                continue
            if len(long.words) <= len(short.words) or l in long_side.headings:
                continue
            coverage = matcher.coverage(short, long)
            if coverage >= COVERAGE_THRESHOLD:
                texts = sorted((short_side.texts[s], long_side.texts[l]))
                attachments.append((-coverage, *texts, is_left, s, l))
    attachments.sort()
    attached_left, attached_right = set(row_of_left), set(row_of_right)
    for negative_coverage, _, _, is_left, s, l in attachments:
        attached, rows_of_long = (attached_left, row_of_right) if is_left else (attached_right, row_of_left)
        if s in attached:
            continue
        row = rows_of_long.get(l)
        if row is None:
            row = _Row([], [l], 0.0) if is_left else _Row([l], [], 0.0)
            rows.append(row)
            rows_of_long[l] = row
            (attached_right if is_left else attached_left).add(l)
        (row.left if is_left else row.right).append(s)
        row.similarity = max(row.similarity, -negative_coverage)
        attached.add(s)


def _attach_by_atoms(rows: list[_Row], left: Side, right: Side, scores: _Scores, matcher: SentenceMatcher) -> None:
    row_of = {("left", i): row for row in rows for i in row.left} | {("right", j): row for row in rows for j in row.right}
    right_holding: dict[tuple[str, str], list[int]] = defaultdict(list)
    for j in range(len(right.texts)):
        for anchor in _anchors(right.atoms.get(j, [])):
            right_holding[anchor].append(j)
    links = []
    for i in range(len(left.texts)):
        linked = {j for anchor in _anchors(left.atoms.get(i, [])) for j in right_holding.get(anchor, ())}
        for j in linked:
            if ("left", i) not in row_of or ("right", j) not in row_of:
                # Ranked by words, not meaning: an anchor is a lexical tie, and the encoder
                # reads two sentences sharing only "70 percent" as alike as any two.
                links.append((-matcher.lexical_similarity(left.features[i], right.features[j]),
                              *sorted((left.texts[i], right.texts[j])), i, j))
    for _, _, _, i, j in sorted(links):
        left_row, right_row = row_of.get(("left", i)), row_of.get(("right", j))
        if left_row and right_row:
            continue  # both already placed, by an earlier link
        if left_row is None and right_row is None:
            row = _Row([i], [j], scores(i, j))
            rows.append(row)
            row_of[("left", i)] = row_of[("right", j)] = row
        # Joining a row that exists needs more than one shared number: the row's sentence
        # must also carry a good part of the joining sentence's words (half of what
        # coverage alone asks), or the row would hold sentences that say other things.
        elif left_row is None and matcher.coverage(left.features[i], right.features[j]) >= COVERAGE_THRESHOLD / 2:
            right_row.left.append(i)
            row_of[("left", i)] = right_row
        elif right_row is None and matcher.coverage(right.features[j], left.features[i]) >= COVERAGE_THRESHOLD / 2:
            left_row.right.append(j)
            row_of[("right", j)] = left_row


def _anchors(mentions: list[Mention]) -> set[tuple[str, str]]:
    """The atoms specific enough to tie two sentences to one fact."""
    return {
        (mention.type, mention.value)
        for mention in mentions
        if (mention.type == "number" and " " in mention.value)
        or (mention.type == "date" and is_full_date(mention.value))
        or (mention.type == "quote" and " " in mention.value)
    }


def _classify(row: _Row, left: Side, right: Side) -> AlignedRow:
    left_ids, right_ids = tuple(sorted(row.left)), tuple(sorted(row.right))
    left_text = " ".join(left.texts[i] for i in left_ids)
    right_text = " ".join(right.texts[j] for j in right_ids)
    if words(normalise(left_text)) == words(normalise(right_text)):
        return AlignedRow(RowKind.SHARED, left_ids, right_ids, left_text, right_text, 1.0)
    # Only sentences that tell one fact can disagree on it: a row tied by a shared date
    # alone (E10 "10%" and E15 "15 percent") holds two facts, not a conflict.
    conflicts = _conflicts([m for i in left_ids for m in left.atoms.get(i, [])],
                           [m for j in right_ids for m in right.atoms.get(j, [])]) if row.similarity >= PARAPHRASE_THRESHOLD else ()
    kind = RowKind.CONFLICT if conflicts else RowKind.PARAPHRASE
    # Words of two languages do not diff: the row shows the aligned pair alone.
    diff = word_diff(left_text, right_text, left.lang, right.lang) if left.lang == right.lang else ()
    return AlignedRow(kind, left_ids, right_ids, left_text, right_text, round(row.similarity, 4), diff, conflicts)


def _conflicts(left: list[Mention], right: list[Mention]) -> tuple[str, ...]:
    """"number: 50 Minuten ≠ 40 Minuten" (as each report writes it) for each slot both sides
    fill with different values."""
    return tuple(f"{atom_type}: {', '.join(left_forms)} ≠ {', '.join(right_forms)}"
                 for atom_type, _, left_forms, right_forms in slot_conflicts(left, right))


def slot_conflicts(left: list[Mention], right: list[Mention]) -> list[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]]:
    """(type, slot and values, left surface forms, right surface forms) for each slot both
    sides fill with values that have nothing in common: the same quantity, or the event's
    date, stated differently. A value one side alone states is no conflict."""
    found = []
    for atom_type in CONFLICT_TYPES:
        left_slots, right_slots = _slots(left, atom_type), _slots(right, atom_type)
        for slot in sorted(left_slots.keys() & right_slots.keys()):
            left_values, right_values = left_slots[slot], right_slots[slot]
            if not left_values.keys() & right_values.keys():
                key = (slot, *sorted(left_values), "≠", *sorted(right_values))
                found.append((atom_type, key, _forms(left_values), _forms(right_values)))
    return found


def _forms(values: dict[str, list[str]]) -> tuple[str, ...]:
    forms: list[str] = []
    for value in sorted(values):
        forms += [form for form in values[value] if form not in forms]
    return tuple(forms)


def _slots(mentions: list[Mention], atom_type: str) -> dict[str, dict[str, list[str]]]:
    """Values (with their surface forms) grouped by what they measure: numbers by unit,
    dates by precision."""
    slots: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for mention in mentions:
        if mention.type != atom_type:
            continue
        if atom_type == "number":
            slot = mention.value.partition(" ")[2]
            if not slot:
                continue  # a bare number says not what it counts: ages and followers are no conflict
        else:
            if not is_full_date(mention.value):
                continue  # a weekday or month beside a full date is no contradiction
            slot = "day"
        slots[slot].setdefault(mention.value, []).append(mention.surface)
    return slots


def _as_heading(row: AlignedRow, left: Side, right: Side) -> AlignedRow:
    """A one-sided row of a heading becomes a heading row (kept on its side)."""
    if (row.kind is RowKind.LEFT_ONLY and row.left[0] in left.headings) or (
            row.kind is RowKind.RIGHT_ONLY and row.right[0] in right.headings):
        return AlignedRow(RowKind.HEADING, row.left, row.right, row.left_text, row.right_text, 0.0)
    return row


def _unique(kind: RowKind, index: int, left: Side, right: Side) -> AlignedRow:
    if kind is RowKind.LEFT_ONLY:
        return AlignedRow(kind, (index,), (), left.texts[index], "", 0.0)
    return AlignedRow(kind, (), (index,), "", right.texts[index], 0.0)


def _in_reading_order(rows: Sequence[AlignedRow]) -> list[AlignedRow]:
    """Rows in the left report's order; a right-only row follows the row that holds the
    right sentence before it, so each side still reads top to bottom where it can."""
    position_of_right: dict[int, tuple[int, int, int]] = {}
    keyed = []
    for row in rows:
        if row.left:
            key = (row.left[0], 0, row.right[0] if row.right else -1)
            keyed.append((key, row))
            for j in row.right:
                position_of_right[j] = key
    # The anchor of right sentence j: of the rows holding a right sentence before j, the one
    # whose first right sentence comes last. One pass over the right sentences in order
    # keeps it, where looking back from each right-only row would cost the square.
    anchors: dict[int, tuple[int, int, int]] = {}
    anchor = (-1, 0, -1)
    held = sorted(position_of_right.items())
    position = 0
    for j in sorted(row.right[0] for row in rows if not row.left):
        while position < len(held) and held[position][0] < j:
            if held[position][1][2] > anchor[2]:
                anchor = held[position][1]
            position += 1
        anchors[j] = anchor
    for row in rows:
        if not row.left:
            j = row.right[0]
            keyed.append(((anchors[j][0], 1, j), row))
    return [row for _, row in sorted(keyed, key=lambda item: item[0])]
