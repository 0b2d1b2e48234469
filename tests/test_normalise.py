"""The one normaliser: what it folds, what it keeps, and that it is idempotent."""

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.text.normalise import normalise
from dedup.text.tokens import words


def test_typographic_quotes_and_dashes_become_ascii():
    assert normalise("„Zitat“ – »zwei« ‚drei‘ — «vier»") == "\"Zitat\" - \"zwei\" 'drei' - \"vier\""


def test_austrian_month_names_become_standard_german_keeping_case():
    assert normalise("am 10. Jänner und im Feber") == "am 10. Januar und im Februar"
    assert normalise("JÄNNER, jänner, Jän. 2022") == "JANUAR, januar, Jan. 2022"


def test_words_of_the_month_patterns_letters_that_are_no_month_are_left_alone():
    # The pattern's letters also spell "Fän" or "Jeber": no month, so no change (was a crash).
    from dedup.text.normalise import normalise_mapped

    for text in ("Fän", "FÄN", "Jeber", "fÄNNER", "der Fän-Club", "JEBER 2022"):
        assert normalise(text) == text
        assert normalise_mapped(text)[0] == text


def test_month_names_inside_longer_words_are_left_alone():
    # "Rotfeber" is made up: the point is an "feber" that ends a longer word.
    assert normalise("Jännerwetter und Rotfeber") == "Jännerwetter und Rotfeber"


def test_nfkc_folds_compatibility_forms():
    assert normalise("ﬁnal ＡＢＣ ½") == "final ABC 1⁄2"


def test_invisible_and_control_characters_are_removed_or_spaced():
    assert normalise("Ab\u00adschnitt\u200b ok\x1b[31m rot") == "Abschnitt ok [31m rot"


def test_spacing_is_collapsed_but_paragraphs_are_kept():
    text = "  Erster   Satz.\t Zweiter.  \r\n\r\n\r\n\n  Neuer Absatz.  "
    assert normalise(text) == "Erster Satz. Zweiter.\n\nNeuer Absatz."


def test_case_is_kept_for_display_and_folded_by_the_tokenizer():
    assert normalise("Biden warnt Putin") == "Biden warnt Putin"
    assert words(normalise("Biden, BIDEN und biden.")) == ["biden", "biden", "und", "biden"]


def test_jaenner_and_januar_give_the_same_words():
    assert words(normalise("Am 10. Jänner in Genf")) == words(normalise("am 10. Januar in Genf"))


@settings(max_examples=400)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_normalising_twice_equals_normalising_once(text):
    once = normalise(text)
    assert normalise(once) == once


@settings(max_examples=200)
@given(st.lists(st.sampled_from(["Jänner", "Feber", "„", "“", "–", " ", "\n", "\t", "\u00ad", "a", "B", ".", "Jän"]), max_size=40))
def test_idempotent_on_the_characters_it_rewrites(pieces):
    once = normalise("".join(pieces))
    assert normalise(once) == once
