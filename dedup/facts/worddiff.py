"""Word highlights for two aligned sentences: which words only one side has.

Two reports of one event put the same words in a different order ("Biden warned Putin on
Thursday." / "On Thursday, Biden warned Putin."), so an order-based diff alone would mark
shared words as different. The marking is therefore by word multisets, in three passes of
decreasing strictness; each pass pairs a word with one still-unpaired word of the other side:

1. the same word, case-folded ("Die"/"die"): `equal`;
2. the same word after normalisation (Austrian "Jänner" / German "Januar", dedup.text.normalise):
   `equivalent`;
3. the same stem in each side's language ("kolossaler"/"kolossalen", dedup.text.language.stem):
   `equivalent`.

Within a pass a word pairs with the one diff-match-patch aligns it with when there is one (its
word-level diff over the case-folded words, like its line mode `diff_linesToChars`), otherwise
with the first free one, so a repeated word pairs with its counterpart in the same place. A word
no pass pairs is `left` or `right` (only that side has it) when the other sentence lacks it
altogether; a word one side says twice and the other once is repeated, not new, and stays plain
(`moved`) or italic (`equivalent`).

Then the segments are laid out for reading: the longest chain of pairs in the same order on
both sides are the anchors, shown opposite each other; a paired word off that chain is `moved`
(plain, only on its own side: the other side has it elsewhere), or `equivalent` with the other
side empty. Punctuation is paired like words; a one-sided run without a letter or digit is
for renderers to show plain.

`word_diff(b, a)` is always the mirror of `word_diff(a, b)`: the work is done in one fixed
direction and mirrored. Each side's segments, read in order, give back its sentence exactly.
This module never decides whether two sentences belong together (dedup.facts.align does).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from itertools import groupby

from diff_match_patch import diff_match_patch

from dedup.model import DiffSegment
from dedup.text.language import stem
from dedup.text.normalise import normalise

# A word or a punctuation mark, with the spaces after it (kept for display, ignored when comparing).
_TOKEN = re.compile(r"(\w+|[^\w\s])(\s*)")
_PUNCTUATION = re.compile(r"[^\w\s]")
_PRIVATE_USE_START = 0xE000
# Passes from strict to loose: (the token's key for the pass, the op a pair of the pass gets).
_PASSES = (("exact", "equal"), ("folded", "equivalent"), ("stemmed", "equivalent"))
# diff-match-patch's exact diff takes time in proportion to the product of the two sides'
# lengths, in Python: above this product of tokens (about 700 tokens a side, far beyond a
# row of sentences) words pair without its order. Only text without full stops (a 100 KB
# "sentence") makes rows that long.
MAX_ORDERED_PAIRS = 500_000


@dataclass(frozen=True, slots=True)
class _Token:
    surface: str  # the word and the spaces after it, as written
    exact: str  # case-folded
    folded: str  # normalised, then case-folded: "jänner" -> "januar"
    stemmed: str  # the stem of `folded` in the side's language; `folded` for numbers and marks
    is_word: bool  # letters or digits, not a punctuation mark


def word_diff(left: str, right: str, left_lang: str = "de", right_lang: str = "de") -> tuple[DiffSegment, ...]:
    """Segments of `equal`, `equivalent`, `moved`, `left` and `right` words (see the module)."""
    if (right, right_lang) < (left, left_lang):
        segments = [segment.mirrored() for segment in _word_segments(right, left, right_lang, left_lang)]
    else:
        segments = _word_segments(left, right, left_lang, right_lang)
    return tuple(_merge(segments))


def _word_segments(left: str, right: str, left_lang: str, right_lang: str) -> list[DiffSegment]:
    """One segment per word, unmerged."""
    left_tokens, right_tokens = _tokens(left, left_lang), _tokens(right, right_lang)
    return _layout(left_tokens, right_tokens, _pair(left_tokens, right_tokens))


def _tokens(text: str, lang: str) -> list[_Token]:
    tokens = []
    for word, space in _TOKEN.findall(text):
        folded = normalise(word).casefold()
        stemmed = stem(folded, lang) if folded.isalpha() else folded
        tokens.append(_Token(word + space, word.casefold(), folded, stemmed, not _PUNCTUATION.fullmatch(word)))
    return tokens


def _pair(left: list[_Token], right: list[_Token]) -> dict[int, tuple[int, str]]:
    """{left index: (right index, op)} for every pair the three passes make."""
    pairs: dict[int, tuple[int, str]] = {}
    taken_right: set[int] = set()
    in_order = _aligned_in_order(left, right)
    for key, op in _PASSES:
        free_right: dict[str, _FreePositions] = {}
        for j, token in enumerate(right):
            if j not in taken_right:
                free_right.setdefault(getattr(token, key), _FreePositions()).add(j)
        for i, token in enumerate(left):
            if i in pairs:
                continue
            candidates = free_right.get(getattr(token, key))
            if not candidates:
                continue
            j = in_order.get(i)
            j = j if j in candidates else candidates.first()
            candidates.remove(j)
            # Two forms of one punctuation mark ("–"/"-") are no difference in wording.
            pairs[i] = (j, op if token.is_word else "equal")
            taken_right.add(j)
    return pairs


class _FreePositions:
    """The still unpaired positions of one word on the right, in order: the first one and
    any one in constant time, where a list would be searched through for each (the square
    of a word's count, which a very long row of "the" and "und" makes large)."""

    def __init__(self) -> None:
        self.order: list[int] = []
        self.free: set[int] = set()
        self.start = 0

    def add(self, position: int) -> None:
        self.order.append(position)
        self.free.add(position)

    def __bool__(self) -> bool:
        return bool(self.free)

    def __contains__(self, position: object) -> bool:
        return position in self.free

    def first(self) -> int:
        while self.order[self.start] not in self.free:
            self.start += 1
        return self.order[self.start]

    def remove(self, position: int) -> None:
        self.free.remove(position)


def _aligned_in_order(left: list[_Token], right: list[_Token]) -> dict[int, int]:
    """{left index: right index} of the words diff-match-patch finds equal in order; none
    for rows too long for its exact diff (MAX_ORDERED_PAIRS), whose words then pair with
    the first free one."""
    if len(left) * len(right) > MAX_ORDERED_PAIRS:
        return {}
    codes: dict[str, str] = {}
    left_codes = "".join(codes.setdefault(token.exact, chr(_PRIVATE_USE_START + len(codes))) for token in left)
    right_codes = "".join(codes.setdefault(token.exact, chr(_PRIVATE_USE_START + len(codes))) for token in right)
    engine = diff_match_patch()
    engine.Diff_Timeout = 0  # sentences are short: take the exact diff, never a timed-out approximation
    aligned: dict[int, int] = {}
    i = j = 0
    for operation, run in engine.diff_main(left_codes, right_codes, False):
        if operation == 0:
            aligned.update((i + k, j + k) for k in range(len(run)))
        i += len(run) if operation <= 0 else 0
        j += len(run) if operation >= 0 else 0
    return aligned


def _anchors(pairs: dict[int, tuple[int, str]]) -> set[int]:
    """Left indices of the longest chain of pairs in the same order on both sides (the
    longest increasing subsequence of right indices, by patience sorting)."""
    ordered = sorted(pairs)
    tails: list[int] = []  # tails[k]: smallest right index ending a chain of length k + 1
    tail_at: list[int] = []  # the position in `ordered` of that chain's last pair
    previous: list[int] = [-1] * len(ordered)
    for position, i in enumerate(ordered):
        j = pairs[i][0]
        length = bisect_left(tails, j)
        if length == len(tails):
            tails.append(j)
            tail_at.append(position)
        else:
            tails[length] = j
            tail_at[length] = position
        previous[position] = tail_at[length - 1] if length else -1
    chain: set[int] = set()
    position = tail_at[-1] if tail_at else -1
    while position >= 0:
        chain.add(ordered[position])
        position = previous[position]
    return chain


def _layout(left: list[_Token], right: list[_Token], pairs: dict[int, tuple[int, str]]) -> list[DiffSegment]:
    """Both sides in reading order: between two anchors, the left side's words, then the right side's."""
    anchors = sorted(_anchors(pairs))
    paired_right = {j: op for j, op in pairs.values()}
    left_keys, right_keys = _keys(left), _keys(right)
    left_ops = [_off_chain(pairs[i][1]) if i in pairs else _unpaired(token, right_keys, "left")
                for i, token in enumerate(left)]
    right_ops = [_off_chain(paired_right[j]) if j in paired_right else _unpaired(token, left_keys, "right")
                 for j, token in enumerate(right)]
    segments: list[DiffSegment] = []
    i = j = 0
    for anchor in [*anchors, len(left)]:
        right_end = pairs[anchor][0] if anchor < len(left) else len(right)
        segments += [DiffSegment(left_ops[position], left[position].surface, "") for position in range(i, anchor)]
        segments += [DiffSegment(right_ops[position], "", right[position].surface) for position in range(j, right_end)]
        if anchor < len(left):
            segments.append(DiffSegment(pairs[anchor][1], left[anchor].surface, right[right_end].surface))
        i, j = anchor + 1, right_end + 1
    return segments


def _off_chain(op: str) -> str:
    """A word paired off the anchor chain: an `equal` one is `moved`; an `equivalent` one stays so."""
    return "moved" if op == "equal" else op


def _keys(tokens: list[_Token]) -> dict[str, set[str]]:
    return {key: {getattr(token, key) for token in tokens} for key, _ in _PASSES}


def _unpaired(token: _Token, other: dict[str, set[str]], side: str) -> str:
    """A word left over after pairing is one-sided only when the other sentence lacks it
    altogether: a word said twice here and once there is repeated, not new."""
    if token.exact in other["exact"] or (not token.is_word and token.folded in other["folded"]):
        return "moved"
    if token.folded in other["folded"] or token.stemmed in other["stemmed"]:
        return "equivalent"
    return side


def _merge(segments: list[DiffSegment]) -> list[DiffSegment]:
    """Neighbouring segments of one op become one (each side's text stays in order). Each
    run's texts are joined once, not grown word by word (which copies a long run's text
    once per word)."""
    merged: list[DiffSegment] = []
    for op, run in groupby(segments, key=lambda segment: segment.op):
        run = list(run)
        merged.append(run[0] if len(run) == 1 else
                      DiffSegment(op, "".join(segment.left for segment in run), "".join(segment.right for segment in run)))
    return merged
