"""Word-level differences between two aligned sentences, with diff-match-patch.

diff-match-patch diffs characters; like its line mode (`diff_linesToChars`), each distinct
word is mapped to one private-use character, the strings of those characters are diffed,
and the result is mapped back, so "Jänner" -> "Januar" is one change of one word, never
a shuffle of letters. A deleted word facing an inserted word that means the same after
normalisation ("Jänner"/"Januar") or shares its stem ("kolossaler"/"kolossalen") is
marked `equivalent`, not as a change.
"""

from __future__ import annotations

import re

from diff_match_patch import diff_match_patch

from dedup.model import DiffSegment
from dedup.text.language import stem
from dedup.text.normalise import normalise

# A word or a punctuation mark, with the spaces after it (kept for display, ignored when comparing).
_TOKEN = re.compile(r"(\w+|[^\w\s])(\s*)")
_PRIVATE_USE_START = 0xE000


def word_diff(left: str, right: str, left_lang: str = "de", right_lang: str = "de") -> tuple[DiffSegment, ...]:
    left_tokens, right_tokens = _tokens(left), _tokens(right)
    codes: dict[str, str] = {}
    left_codes = _encode(left_tokens, codes)
    right_codes = _encode(right_tokens, codes)
    engine = diff_match_patch()
    engine.Diff_Timeout = 0  # sentences are short: take the exact diff, never a timed-out approximation
    diffs = engine.diff_main(left_codes, right_codes, False)
    engine.diff_cleanupSemantic(diffs)
    segments: list[DiffSegment] = []
    left_position = right_position = 0
    for operation, codes_run in diffs:
        count = len(codes_run)
        if operation == 0:
            segments += _equal_run(left_tokens[left_position : left_position + count], right_tokens[right_position : right_position + count])
            left_position += count
            right_position += count
        elif operation == -1:
            segments.append(DiffSegment("left", _surface(left_tokens, left_position, count), ""))
            left_position += count
        else:
            segments.append(DiffSegment("right", "", _surface(right_tokens, right_position, count)))
            right_position += count
    return tuple(_mark_equivalents(segments, left_lang, right_lang))


def _equal_run(left: list[tuple[str, str]], right: list[tuple[str, str]]) -> list[DiffSegment]:
    """Words that compare equal once normalised but are written differently ("Jänner" and
    "Januar") are `equivalent`; the rest of the run is `equal`."""
    segments: list[DiffSegment] = []
    for (_, left_surface), (_, right_surface) in zip(left, right, strict=True):
        op = "equal" if left_surface.strip() == right_surface.strip() else "equivalent"
        if segments and segments[-1].op == op:
            last = segments.pop()
            segments.append(DiffSegment(op, last.left + left_surface, last.right + right_surface))
        else:
            segments.append(DiffSegment(op, left_surface, right_surface))
    return segments


def _tokens(text: str) -> list[tuple[str, str]]:
    """(comparison key, surface) per token: the key is the normalised, case-folded word."""
    return [(normalise(word).casefold(), word + space) for word, space in _TOKEN.findall(text)]


def _encode(tokens: list[tuple[str, str]], codes: dict[str, str]) -> str:
    return "".join(codes.setdefault(key, chr(_PRIVATE_USE_START + len(codes))) for key, _ in tokens)


def _surface(tokens: list[tuple[str, str]], start: int, count: int) -> str:
    return "".join(surface for _, surface in tokens[start : start + count])


def _mark_equivalents(segments: list[DiffSegment], left_lang: str, right_lang: str) -> list[DiffSegment]:
    """A `left` run followed by a `right` run of the same number of equivalent words is one `equivalent` run."""
    marked: list[DiffSegment] = []
    index = 0
    while index < len(segments):
        current = segments[index]
        following = segments[index + 1] if index + 1 < len(segments) else None
        pair = None
        if following and {current.op, following.op} == {"left", "right"}:
            left_run = current if current.op == "left" else following
            right_run = following if current.op == "left" else current
            pair = (left_run, right_run)
        if pair and _equivalent(pair[0].left, pair[1].right, left_lang, right_lang):
            marked.append(DiffSegment("equivalent", pair[0].left, pair[1].right))
            index += 2
            continue
        if pair:
            # Keep the left run first, so a diff reads the same whichever side came first.
            marked.extend(pair)
            index += 2
            continue
        marked.append(current)
        index += 1
    return marked


def _equivalent(left: str, right: str, left_lang: str, right_lang: str) -> bool:
    left_words = [normalise(word).casefold() for word, _ in _TOKEN.findall(left)]
    right_words = [normalise(word).casefold() for word, _ in _TOKEN.findall(right)]
    if len(left_words) != len(right_words) or not left_words:
        return False
    return all(
        a == b or (a.isalpha() and b.isalpha() and stem(a, left_lang) == stem(b, right_lang))
        for a, b in zip(left_words, right_words, strict=True)
    )
