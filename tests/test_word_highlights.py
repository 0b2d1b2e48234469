"""Word highlights in `dedup compare`: only the words the other sentence lacks are marked,
whatever their order; equivalent wording (Jänner/Januar, kolossaler/kolossalen) is italic;
one-sided words have a colour or background (bold in Markdown), never strikethrough."""

from __future__ import annotations

import re

import pytest
from conftest import REPO_ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.style import Style

from dedup.facts.worddiff import word_diff
from dedup.io.compare_render import (
    row_cells,
    write_compare_html,
    write_compare_markdown,
)
from dedup.model import AlignedRow, RowKind

SEEDS = REPO_ROOT / "samples" / "seeds"
APA = SEEDS / "derstandard-apa-2021-12-30-biden-putin-telefonat.txt"
DW = SEEDS / "dw-2021-12-31-biden-warnt-putin.txt"
_WORD = re.compile(r"\w+")


@pytest.fixture(scope="module")
def seed_diff():
    from dedup.facts.compare import compare
    from dedup.io.read_files import PendingFile

    left, right = (PendingFile(str(path), str(path)).load()[0] for path in (APA, DW))
    return compare(left, right)


def _one_sided(segments, side: str) -> str:
    return "".join(getattr(segment, side) for segment in segments if segment.op == side)


def _side_text(segments, side: str) -> str:
    return "".join(getattr(segment, side) for segment in segments)


def _row_with(diff, left_words: str):
    return next(row for row in diff.rows if row.diff and left_words in row.left_text)


def test_seeds_first_paraphrase_row_leaves_shared_names_plain(seed_diff):
    row = next(row for row in seed_diff.rows if row.kind is RowKind.PARAPHRASE)
    assert "Joe Biden" in row.left_text and "Joe Biden" in row.right_text
    for side in ("left", "right"):
        one_sided = _one_sided(row.diff, side)
        for name in ("US", "Präsident", "Joe", "Biden", "Wladimir", "Putin"):
            assert name not in _WORD.findall(one_sided), (side, name, one_sided)
    # What only one report says is still marked.
    assert "Telefonat" in _one_sided(row.diff, "left")
    assert "abermals" in _one_sided(row.diff, "right")


def test_seeds_jaenner_and_januar_are_equivalent_not_one_sided(seed_diff):
    row = _row_with(seed_diff, "10. Jänner")
    marked = [(segment.op, segment.left.strip(), segment.right.strip()) for segment in row.diff]
    assert ("equivalent", "Jänner", "Januar") in marked
    assert "Jänner" not in _one_sided(row.diff, "left")
    assert "Januar" not in _one_sided(row.diff, "right")


def test_a_reordered_sentence_has_no_one_sided_words():
    segments = word_diff("Biden warned Putin on Thursday.", "On Thursday, Biden warned Putin.", "en", "en")
    for side in ("left", "right"):
        assert not _WORD.search(_one_sided(segments, side)), segments


def test_inflections_share_a_stem_and_are_equivalent():
    segments = word_diff('Das wäre ein "kolossaler Fehler".', 'Das wäre ein "kolossalen Fehler".')
    assert [(s.op, s.left.strip(), s.right.strip()) for s in segments if s.op != "equal"] == [
        ("equivalent", "kolossaler", "kolossalen")]


def test_words_only_one_side_has_are_marked():
    segments = word_diff("nach Angaben des Kreml", "nach Auskunft des Kreml")
    assert _one_sided(segments, "left").strip() == "Angaben"
    assert _one_sided(segments, "right").strip() == "Auskunft"


def test_a_repeated_word_is_not_new():
    segments = word_diff("Biden warnte. Biden drohte.", "Biden warnte.")
    assert _one_sided(segments, "left").split() == ["drohte"]


def test_no_strikethrough_in_any_format(seed_diff):
    markdown, page = write_compare_markdown(seed_diff), write_compare_html(seed_diff)
    for mark in ("~~", "<s>", "<del>", "<strike", "line-through"):
        assert mark not in markdown and mark not in page, mark
    # The terminal table and the review's compare screen share these cells.
    for row in seed_diff.rows:
        for cell in row_cells(row):
            assert not any(Style.parse(str(span.style)).strike for span in cell.spans if span.style), row


def test_one_sided_words_have_a_colour_or_background(seed_diff):
    row = next(row for row in seed_diff.rows if row.kind is RowKind.PARAPHRASE)
    left, right = row_cells(row)
    for cell, word in ((left, "Telefonat"), (right, "abermals")):
        styles = [Style.parse(str(span.style)) for span in cell.spans if word in cell.plain[span.start:span.end]]
        assert any(style.bgcolor is not None for style in styles), (word, styles)
    markdown = write_compare_markdown(seed_diff)
    assert "**Telefonat**" in markdown and "**abermals**" in markdown
    assert "Words: **bold** only in that column's report, _italics_" in markdown
    page = write_compare_html(seed_diff)
    assert '<mark class="only-left">Telefonat</mark>' in page and '<mark class="only-right">abermals</mark>' in page
    assert "mark.only-left {" in page and "mark.only-right {" in page
    assert 'Words: <mark class="only-left">' in page and '<span class="equivalent">the same word' in page


def test_equivalent_wording_is_italic_in_every_format(seed_diff):
    assert "_Jänner_" in write_compare_markdown(seed_diff)
    page = write_compare_html(seed_diff)
    assert '<span class="equivalent">Jänner</span>' in page and '<span class="equivalent">Januar</span>' in page
    assert "span.equivalent { font-style: italic" in page
    left, right = row_cells(_row_with(seed_diff, "10. Jänner"))
    for cell, word in ((left, "Jänner"), (right, "Januar")):
        assert any(Style.parse(str(span.style)).italic and cell.plain[span.start:span.end] == word for span in cell.spans)


def test_article_text_in_highlights_stays_text():
    hostile_left, hostile_right = "Er sagte [bold]nein[/] <b>x</b> **y** heute.", "Er sagte [bold]ja[/] <b>z</b> heute."
    row = AlignedRow(RowKind.PARAPHRASE, (0,), (0,), hostile_left, hostile_right, 0.5,
                     word_diff(hostile_left, hostile_right))
    left, right = row_cells(row)
    assert left.plain == hostile_left and right.plain == hostile_right
    page = _html_cells(row)
    assert "<b>" not in page and "&lt;b&gt;" in page
    markdown = _markdown_cells(row)
    assert "\\*\\*" in markdown and "\\[bold\\]" in markdown


def _html_cells(row):
    from dedup.io.compare_render import _html_side

    return _html_side(row, "left") + _html_side(row, "right")


def _markdown_cells(row):
    from dedup.io.compare_render import _markdown_side

    return _markdown_side(row, "left") + _markdown_side(row, "right")


_VOCABULARY = ["Biden", "biden", "Putin", "Putins", "warnte", "warnt", "am", "10.", "Jänner", "Januar", "kolossaler",
               "kolossalen", "Fehler", ",", "–", "-", '"', "die", "Die", "Ukraine"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_VOCABULARY), max_size=12), st.lists(st.sampled_from(_VOCABULARY), max_size=12))
def test_word_diff_mirrors_and_keeps_both_texts(left_words, right_words):
    left, right = " ".join(left_words), " ".join(right_words)
    forward, backward = word_diff(left, right), word_diff(right, left)
    assert backward == tuple(segment.mirrored() for segment in forward)
    assert _side_text(forward, "left") == left and _side_text(forward, "right") == right
    # A word marked as one side's own is one the other side lacks in every form.
    right_words_folded = {word.casefold() for word in _WORD.findall(right)}
    assert not {word.casefold() for word in _WORD.findall(_one_sided(forward, "left"))} & right_words_folded
