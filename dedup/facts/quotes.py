"""Quotes matched by meaning: "colossal mistake" in one report is "kolossaler Fehler" in
the other, and a paraphrased quotation is still the same quotation.

The lexical comparison (dedup.facts.compare) pairs quotes that share their words. What it
leaves one-sided on both sides is paired here, one to one, best first, when either
- the two quotes stand in sentences the aligner put in one row, each is the only quote
  of its side of that row left unmatched, and the encoder does not read them as
  unrelated (UNRELATED_COSINE): the sentences state one fact, so the one quotation in
  each is the same one, however it is translated ("... wären ein
  'kolossaler Fehler', sagte ... Uschakow" / "... would be a 'colossal mistake' ...
  Ushakov told reporters"); or
- the encoder reads the two quotes as saying the same: their cosine reaches the
  threshold a sentence pair needs (dedup.facts.matcher: COSINE_THRESHOLD, less
  TRANSLATION_GAP across languages). Two-word quotes rarely do: the row rule carries them.

A matched pair becomes one `shared` quote atom keyed by the smaller of the two keys, so
comparing B with A matches the same quotes and gives the mirror image.
"""

from __future__ import annotations

from collections import defaultdict

from dedup.facts.atoms import ATOM_TYPES, Mention
from dedup.facts.matcher import COSINE_THRESHOLD, TRANSLATION_GAP
from dedup.model import AlignedRow, Atom, AtomStatus, RowKind
from dedup.semantic.encoder import Encoder
from dedup.semantic.products import dot_products

# A matched pair in one aligned row ranks above any pair matched by cosine alone.
_SAME_ROW = 1.0
# Two quotes in one row pair only when the encoder does not read them as unrelated: 90% of
# the STSb-de pairs rated unrelated (0 to 1 of 5; 1,235 pairs) have a cosine below this,
# within German (0.48) and German against English (0.46). "completely under control" and
# "very serious and getting worse" (0.17) stay apart; "colossal mistake" and "kolossaler
# Fehler" (0.51) pair.
UNRELATED_COSINE = {False: 0.48, True: 0.46}


def quotes_by_meaning(atoms: list[Atom], left: list[Mention], right: list[Mention], rows: list[AlignedRow],
                      encoder: Encoder, cross_language: bool) -> list[Atom]:
    """`atoms` with one-sided quotes on both sides paired by meaning into shared ones."""
    left_only = sorted((atom for atom in atoms if atom.type == "quote" and atom.status is AtomStatus.LEFT_ONLY),
                       key=lambda atom: atom.value)
    right_only = sorted((atom for atom in atoms if atom.type == "quote" and atom.status is AtomStatus.RIGHT_ONLY),
                        key=lambda atom: atom.value)
    if not left_only or not right_only:
        return atoms
    vectors = encoder.encode([atom.left[0] for atom in left_only] + [atom.right[0] for atom in right_only])
    cosines = dot_products(vectors[:len(left_only)], vectors[len(left_only):])
    threshold = COSINE_THRESHOLD - (TRANSLATION_GAP if cross_language else 0.0)
    in_one_row = _alone_in_one_row(left_only, right_only, left, right, rows)
    scored = []
    for i, left_atom in enumerate(left_only):
        for j, right_atom in enumerate(right_only):
            cosine = float(cosines[i, j])
            if ((i, j) in in_one_row and cosine >= UNRELATED_COSINE[cross_language]) or cosine >= threshold:
                score = cosine + (_SAME_ROW if (i, j) in in_one_row else 0.0)
                scored.append((-round(score, 6), min(left_atom.value, right_atom.value), max(left_atom.value, right_atom.value), i, j))
    matched: dict[int, int] = {}
    taken: set[int] = set()
    for *_, i, j in sorted(scored):
        if i not in matched and j not in taken:
            matched[i] = j
            taken.add(j)
    if not matched:
        return atoms
    merged = [Atom("quote", min(left_only[i].value, right_only[j].value), left_only[i].left, right_only[j].right,
                   AtomStatus.SHARED) for i, j in matched.items()]
    gone = {id(left_only[i]) for i in matched} | {id(right_only[j]) for j in taken}
    kept = [atom for atom in atoms if id(atom) not in gone]
    # The comparer's order: by type, then key.
    return sorted(kept + merged, key=lambda atom: (ATOM_TYPES.index(atom.type), atom.value))


def _alone_in_one_row(left_only: list[Atom], right_only: list[Atom], left: list[Mention], right: list[Mention],
                      rows: list[AlignedRow]) -> set[tuple[int, int]]:
    """(i, j) where left_only[i] and right_only[j] are each the only one-sided quote of
    their side of one aligned row."""
    sentence_quotes = []
    for atoms, mentions in ((left_only, left), (right_only, right)):
        by_value = {atom.value: index for index, atom in enumerate(atoms)}
        quotes: dict[int, set[int]] = defaultdict(set)
        for mention in mentions:
            if mention.type == "quote" and mention.value in by_value:
                quotes[mention.sentence].add(by_value[mention.value])
        sentence_quotes.append(quotes)
    pairs = set()
    for row in rows:
        if row.kind in (RowKind.LEFT_ONLY, RowKind.RIGHT_ONLY) or not row.left or not row.right:
            continue
        left_quotes = set().union(*(sentence_quotes[0].get(index, set()) for index in row.left))
        right_quotes = set().union(*(sentence_quotes[1].get(index, set()) for index in row.right))
        if len(left_quotes) == 1 and len(right_quotes) == 1:
            pairs.add((next(iter(left_quotes)), next(iter(right_quotes))))
    return pairs
