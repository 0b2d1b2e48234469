"""`dedup compare` grows linearly with the reports' length (issue 14), and is no less exact.

No test here measures time. Each states a structural property instead: the sentence pairs
the aligner scores grow in proportion to the reports; blocking gives the rows an exhaustive
comparison gives wherever its guarantee holds; every part rewritten to drop a quadratic
cost (the segmenter's word before a full stop, the headings, the reading order, the merge
of less precise atoms) agrees with the straightforward version it replaced, kept here as
the reference; and a report beyond the size limit is one line on stderr, exit 2.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from conftest import Articles
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.facts import align as align_module
from dedup.facts import compare as compare_module
from dedup.facts.align import align
from dedup.facts.blocking import CANDIDATES_PER_SENTENCE, candidate_pairs
from dedup.facts.compare import MAX_REPORT_BYTES, compare
from dedup.facts.matcher import SentenceMatcher, sentence_features
from dedup.facts.segment import headings, is_heading, split_sentences
from dedup.model import AlignedRow, Article, RowKind, UserProblem

# --- the pairs scored grow linearly ------------------------------------------------------


class _Counted:
    """Counts, during one comparison, the candidate pairs blocking proposes and the calls of
    the matcher's two pair scores (similarity and coverage)."""

    def __init__(self, monkeypatch) -> None:
        self.candidates = 0
        self.scores = Counter()
        blocking = align_module.candidate_pairs

        def counted_blocking(*args, **kwargs):
            pairs = blocking(*args, **kwargs)
            self.candidates += len(pairs)
            return pairs

        monkeypatch.setattr(align_module, "candidate_pairs", counted_blocking)
        for name in ("similarity", "coverage"):
            original = getattr(SentenceMatcher, name)

            def counted(matcher, a, b, name=name, original=original):
                self.scores[name] += 1
                return original(matcher, a, b)

            monkeypatch.setattr(SentenceMatcher, name, counted)


def _story(seed: int, sentences: int) -> tuple[Article, Article]:
    """A long report and its retelling: the same facts in other words, from one small
    vocabulary, so most sentences share common stems with most others."""
    return (Article("left", Articles.text(seed, sentences), origin="left.txt"),
            Article("right", Articles.retold(seed, sentences), origin="right.txt"))


def test_scored_pairs_grow_linearly_with_the_reports(monkeypatch):
    counts = []
    for sentences in (150, 300):
        counted = _Counted(monkeypatch)
        left, right = _story(7, sentences)
        diff = compare(left, right)
        total = len(diff.left_sentences) + len(diff.right_sentences)
        assert counted.candidates <= CANDIDATES_PER_SENTENCE * total
        assert counted.scores["similarity"] + counted.scores["coverage"] <= 3 * CANDIDATES_PER_SENTENCE * total
        counts.append((counted.candidates, sum(counted.scores.values()),
                       len(diff.left_sentences) * len(diff.right_sentences)))
    (candidates, scores, all_pairs), (candidates_twice, scores_twice, all_pairs_twice) = counts
    assert all_pairs_twice == 4 * all_pairs  # what scoring every pair would have cost
    assert candidates_twice <= 2.5 * candidates
    assert scores_twice <= 3 * candidates_twice and scores <= 3 * candidates


def test_blocking_bounds_the_pairs_of_any_stems():
    # Every sentence holds the same stem, and a few others each: a stem in everything
    # pairs nothing, a stem in many sentences pairs each with at most its share.
    left = [frozenset({"sag", f"a{i % 7}", f"c{i % 500}"}) for i in range(1_000)]
    right = [frozenset({"sag", f"b{i % 5}", f"c{i % 300}"}) for i in range(900)]
    pairs = candidate_pairs(left, right)
    assert len(pairs) <= CANDIDATES_PER_SENTENCE * (1_000 + 900)
    assert pairs == {(i, j) for i in range(1_000) for j in range(900) if i % 500 == j % 300}


# --- blocking is exact where it promises to be --------------------------------------------

_STEMS = st.frozensets(st.sampled_from("abcdefghijklmnopqrstuvwxyz"), max_size=4)


def _sharing_pairs(left, right) -> set[tuple[int, int]]:
    return {(i, j) for i, a in enumerate(left) for j, b in enumerate(right) if a & b or not a and not b}


@settings(max_examples=200, deadline=None)
@given(st.lists(_STEMS, max_size=30), st.lists(_STEMS, max_size=120), st.integers(1, 40))
def test_blocking_pairs_every_sentence_pair_sharing_a_stem_while_one_report_is_short(left, right, per_sentence):
    short, long = (left, right) if len(left) <= len(right) else (right, left)
    short = short[:per_sentence]
    assert candidate_pairs(short, long, per_sentence) == _sharing_pairs(short, long)


@settings(max_examples=200, deadline=None)
@given(st.lists(_STEMS, max_size=80), st.lists(_STEMS, max_size=80), st.integers(1, 20))
def test_blocking_is_symmetric_bounded_and_only_pairs_sentences_sharing_a_stem(left, right, per_sentence):
    pairs = candidate_pairs(left, right, per_sentence)
    assert {(j, i) for i, j in candidate_pairs(right, left, per_sentence)} == pairs
    assert len(pairs) <= per_sentence * (len(left) + len(right))
    assert pairs <= _sharing_pairs(left, right)


_REPORT = st.lists(st.integers(0, 10_000), min_size=1, max_size=4).map(
    lambda seeds: " ".join(Articles.text(seed, 3) if seed % 3 else Articles.retold(seed, 3) for seed in seeds))


@settings(max_examples=25, deadline=None)
@given(_REPORT, _REPORT)
def test_blocked_alignment_is_the_exhaustive_alignment(left_text, right_text):
    left, right = Article("a", left_text), Article("b", right_text)
    exhaustive = align_module.align
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(compare_module, "align", lambda *args: exhaustive(*args, exhaustive=True))
        expected = compare(left, right)
    found = compare(left, right)
    assert found.rows == expected.rows
    assert found.atoms == expected.atoms


def test_a_short_report_against_a_long_one_is_aligned_as_exhaustively():
    # One report of at most CANDIDATES_PER_SENTENCE sentences: blocking drops no pair that
    # shares a stem, however long the other report and however common its words.
    short, long = Article("short", Articles.text(5, 40)), Article("long", Articles.retold(5, 150))
    sides = [compare_module._side(article, article.text)[0] for article in (short, long)]
    assert len(sides[0].texts) <= CANDIDATES_PER_SENTENCE < len(sides[1].texts)
    matcher = SentenceMatcher(sides[0].features + sides[1].features)
    assert align(*sides, matcher) == align(*sides, matcher, exhaustive=True)
    assert align(*sides[::-1], matcher) == align(*sides[::-1], matcher, exhaustive=True)


def test_blocked_alignment_of_the_seed_reports_is_the_exhaustive_one(samples_dir):
    left, right = (Article(name, (samples_dir / name).read_text(encoding="utf-8"))
                   for name in ("seeds/dw-2021-12-31-biden-warnt-putin.txt",
                                "seeds/derstandard-apa-2021-12-30-biden-putin-telefonat.txt"))
    sides = [compare_module._side(article, article.text)[0] for article in (left, right)]
    matcher = SentenceMatcher(sides[0].features + sides[1].features)
    assert align(*sides, matcher) == align(*sides, matcher, exhaustive=True)


def _row_set(diff):
    """The rows, whatever their order: each report is read in its own order."""
    return sorted((row.kind.value, row.left, row.right, row.conflicts) for row in diff.rows)


def test_a_long_comparison_mirrors():
    left, right = _story(11, 120)
    forward, backward = compare(left, right), compare(right, left)
    assert _row_set(backward) == _row_set(forward.mirrored())
    assert backward.atoms == forward.mirrored().atoms


# --- the bounds never lose a pair at or above the threshold --------------------------------

_SENTENCE = st.integers(0, 5_000).map(lambda seed: Articles.text(seed, 1) if seed % 2 else Articles.retold(seed, 1))


@settings(max_examples=40, deadline=None)
@given(st.lists(_SENTENCE, min_size=2, max_size=12), st.floats(0.0, 1.0))
def test_similarity_at_least_is_similarity_above_the_threshold(texts, threshold):
    features = [sentence_features(text, "de") for text in texts]
    matcher = SentenceMatcher(features)
    for a in features:
        for b in features:
            score = matcher.similarity(a, b)
            assert matcher.similarity_at_least(a, b, threshold) == (score if score >= threshold else None)


# --- the rewritten parts agree with what they replaced -------------------------------------

_OLD_WORD_BEFORE = re.compile(r"([\w.]+)[.!?]+[\"'“”»«’‘)\]]*$")
_LINE = st.lists(st.sampled_from(list("aZ9_ .!?\"'“”»«’‘)]„(-\u00a0ä") + ["Dr", "U.S", "10"]), max_size=30).map("".join)


@settings(max_examples=500, deadline=None)
@given(_LINE, st.integers(0, 40))
def test_the_word_before_a_full_stop_is_what_the_regex_found(line, end):
    from dedup.facts.segment import _word_before

    end = min(end, len(line))
    found = _OLD_WORD_BEFORE.search(line[:end])
    expected = found.group(1).rstrip(".") if found else None
    # The regex's group can be dots alone ("..."), which names no word: both are no word.
    assert (_word_before(line, end) or None) == (expected or None)


def test_a_report_on_one_line_is_segmented_as_paragraphs_are():
    sentences = [f"Satz Nummer {n} steht hier." for n in range(5_000)]
    assert [s.text for s in split_sentences(" ".join(sentences))] == sentences


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["Kurzer Titel", "Ein Satz.", "Noch einer steht da.", "31. Dezember 2021",
                                 "Fortschritte im Januar?", "Zwei. Drei.", ""]), max_size=12))
def test_headings_in_one_pass_are_the_headings_one_by_one(lines):
    sentences = split_sentences("\n".join(lines))
    assert headings(sentences) == frozenset(s.index for s in sentences if is_heading(s, sentences))


def _reading_order_as_it_was(rows):
    """The replaced version: each right-only row looks back over every right sentence."""
    position_of_right = {}
    keyed = []
    for row in rows:
        if row.left:
            key = (row.left[0], 0, row.right[0] if row.right else -1)
            keyed.append((key, row))
            for j in row.right:
                position_of_right[j] = key
    for row in rows:
        if not row.left:
            j = row.right[0]
            earlier = [position_of_right[k] for k in position_of_right if k < j]
            anchor = max(earlier, key=lambda key: key[2]) if earlier else (-1, 0, -1)
            keyed.append(((anchor[0], 1, j), row))
    return [row for _, row in sorted(keyed, key=lambda item: item[0])]


@st.composite
def _aligned_rows(draw):
    """Rows as the aligner leaves them: each right sentence in at most one row."""
    right = draw(st.permutations(range(draw(st.integers(0, 14)))))
    rows, position = [], 0
    for i in range(draw(st.integers(0, 10))):
        take = draw(st.integers(0, 3))
        rows.append(AlignedRow(RowKind.PARAPHRASE, (i,), tuple(sorted(right[position:position + take])), "", "", 0.5))
        position += take
    rows += [AlignedRow(RowKind.RIGHT_ONLY, (), (j,), "", "", 0.0) for j in right[position:]]
    return draw(st.permutations(rows))


@settings(max_examples=300, deadline=None)
@given(_aligned_rows())
def test_reading_order_is_what_it_was(rows):
    assert align_module._in_reading_order(rows) == _reading_order_as_it_was(rows)


def _merge_as_it_was(surfaces):
    """The replaced version: each one-sided atom tried against every atom of its type."""
    def candidates(key):
        side = 0 if surfaces[key][0] else 1
        return [other for other, forms in surfaces.items()
                if other != key and other[0] == key[0] and forms[1 - side] and compare_module._same_fact(key[0], key[1], other[1])]

    for key in sorted(surfaces):
        forms = surfaces.get(key)
        if forms is None or (forms[0] and forms[1]):
            continue
        found = candidates(key)
        if len(found) != 1:
            continue
        target, source = sorted((key, found[0]), key=compare_module._precision, reverse=True)
        if source != key and (surfaces[source][0] and surfaces[source][1] or len(candidates(source)) != 1):
            continue
        for position in (0, 1):
            surfaces[target][position].extend(f for f in surfaces[source][position] if f not in surfaces[target][position])
        del surfaces[source]


_VALUES = {
    "number": ["200", "200 people", "200 euro", "40 minute", "40", "50 minute", "3.5 million", "3.5"],
    "date": ["--01", "--01-10", "--10", "--01-13", "2022-01-10", "2022-01", "T4", "T4:12", "T4:30", "T16", "2022",
             "monday", "--1", "--"],
    "person": ["sestak", "joe sestak", "pat toomey", "patrick j toomey", "toomey", "cheney", "liz cheney",
               "mary cheney", "director james comey", "james comey"],
    "organisation": ["nra", "national rifle association", "un", "united nations", "red cross", "rc", "who"],
    "quote": ["i am not pro-gay marriage", "i am strongly pro-life and i am not pro-gay marriage", "we are ready",
              "we are ready to talk", "ready", "not pro-gay marriage", "am not"],
    "place": ["wien", "genf"],
}
_ATOM = st.sampled_from([(kind, value) for kind, values in _VALUES.items() for value in values])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_ATOM, st.tuples(st.booleans(), st.booleans()).filter(any), max_size=14))
def test_merging_less_precise_atoms_is_what_it_was(sides):
    def surfaces():
        return {key: ([key[1].upper()] if left else [], [key[1].title()] if right else [])
                for key, (left, right) in sides.items()}

    expected, found = surfaces(), surfaces()
    _merge_as_it_was(expected)
    compare_module._merge_less_precise(found)
    assert found == expected


# --- the size limit ------------------------------------------------------------------------


def test_a_report_over_the_limit_is_one_line_and_exit_2(tmp_path, dedup_cli):
    big = tmp_path / "reports.txt"
    big.write_text("Ein Satz über nichts Besonderes steht hier. " * (MAX_REPORT_BYTES // 40), encoding="utf-8")
    small = tmp_path / "short.txt"
    small.write_text("Ein Satz über nichts Besonderes steht hier.\n", encoding="utf-8")
    for arguments in ((big, small), (small, big)):
        run = dedup_cli("compare", *arguments)
        assert run.code == 2
        assert run.stdout == ""
        assert len(run.stderr_lines) == 1
        assert re.fullmatch(rf"dedup: {re.escape(str(big))}: 2\.\d MB is more than dedup compare reads \(2 MB\); "
                            r"split the report or compare an excerpt", run.stderr_lines[0])


def test_the_limit_counts_bytes_and_names_a_record():
    at_limit = Article("r1", "ä" * (MAX_REPORT_BYTES // 2), origin="corpus.jsonl:3")  # two bytes each
    compare_module._check_size(at_limit)  # exactly at the limit: compared
    over = Article("r1", at_limit.text + "ä", origin="corpus.jsonl:3")
    with pytest.raises(UserProblem, match=r"^corpus\.jsonl:3: 2\.1 MB is more than dedup compare reads \(2 MB\)"):
        compare(Article("r2", "Ein Satz."), over)
    without_origin = Article("r1", "x" * (MAX_REPORT_BYTES * 3))  # more characters than bytes allowed
    with pytest.raises(UserProblem, match=r"^r1: 6\.0 MB"):
        compare(without_origin, Article("r2", "Ein Satz."))


# --- found on the way ------------------------------------------------------------------------


def test_a_german_number_word_with_sharp_s_is_a_number():
    # Two 2 MB German reports stopped with an internal error: "dreißig" case-folds to
    # "dreissig", which the table of number words does not hold.
    diff = compare(Article("a", "Allein dreißig Fälle wurden gemeldet."), Article("b", "Es wurden 30 Fälle gemeldet."))
    assert any(atom.value == "30 fall" for atom in diff.atoms)
