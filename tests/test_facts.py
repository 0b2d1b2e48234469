"""The comparer's steps, each on its own: segmenter, atoms, word diff, alignment, mirror."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.facts.atoms import resolve_people, sentence_atoms
from dedup.facts.compare import compare
from dedup.facts.segment import split_sentences
from dedup.facts.worddiff import word_diff
from dedup.model import Article, AtomStatus, RowKind
from dedup.text.language import detect_language
from dedup.text.tokens import words

SEEDS = Path(__file__).resolve().parent.parent / "samples" / "seeds"
APA = Article("apa", (SEEDS / "derstandard-apa-2021-12-30-biden-putin-telefonat.txt").read_text(encoding="utf-8"))
DW = Article("dw", (SEEDS / "dw-2021-12-31-biden-warnt-putin.txt").read_text(encoding="utf-8"))


def _texts(text):
    return [sentence.text for sentence in split_sentences(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Die Gespräche beginnen am 10. Jänner in Genf. Zwei Tage später folgt Brüssel.",
         ["Die Gespräche beginnen am 10. Jänner in Genf.", "Zwei Tage später folgt Brüssel."]),
        ("Am 31. Dezember 2021 telefonierten sie. Das war am 30.12.2021 angekündigt.",
         ["Am 31. Dezember 2021 telefonierten sie.", "Das war am 30.12.2021 angekündigt."]),
        ("Laut Dr. Müller u.a. aus Wien gab es Verzögerungen. Die Sitzung ist im Jan. geplant.",
         ["Laut Dr. Müller u.a. aus Wien gab es Verzögerungen.", "Die Sitzung ist im Jan. geplant."]),
        ("Er sagte: „Wir kommen. Wir bleiben.“ Dann ging er.", ["Er sagte: „Wir kommen. Wir bleiben.“", "Dann ging er."]),
        ("Sie meinte: »Das ist ein Fehler.« Der Kreml widersprach.", ["Sie meinte: »Das ist ein Fehler.«", "Der Kreml widersprach."]),
        ("Sie sagte: «Nein.» Er schwieg.", ["Sie sagte: «Nein.»", "Er schwieg."]),
        ('Psaki stellte klar: "Fortschritte sind möglich." Beide Seiten sind optimistisch.',
         ['Psaki stellte klar: "Fortschritte sind möglich."', "Beide Seiten sind optimistisch."]),
        ("The talks start on Jan. 10 in Geneva. Mr. Biden said so. The U.S. agreed.",
         ["The talks start on Jan. 10 in Geneva.", "Mr. Biden said so.", "The U.S. agreed."]),
        ("Zum 3. Mal! Warum? Weil J. Biden es wollte.", ["Zum 3. Mal!", "Warum?", "Weil J. Biden es wollte."]),
        ("Überschrift ohne Punkt\nErster Satz. Zweiter Satz.", ["Überschrift ohne Punkt", "Erster Satz.", "Zweiter Satz."]),
    ],
)
def test_segmenter_hard_cases(text, expected):
    assert _texts(text) == expected


def test_sentence_offsets_point_into_the_text():
    text = "Erster Satz.\n\n  Zweiter Satz. Dritter."
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text


def _atoms(text, lang="de"):
    return {(m.type, m.value) for m in sentence_atoms(text, 0, lang)}


def test_dates_are_normalised_across_spellings():
    assert ("date", "--01-10") in _atoms("am 10. Jänner in Genf")
    assert ("date", "--01-10") in _atoms("am 10. Januar in Genf")
    assert ("date", "--01-10") in _atoms("on January 10 in Geneva", "en")
    assert ("date", "2021-12-31") in _atoms("am 31. Dezember 2021")
    assert ("date", "2021-12-30") in _atoms("(30.12.2021)")
    assert ("date", "thursday") in _atoms("am Donnerstag")
    assert ("date", "--06") in _atoms("hatten sich im Juni getroffen")


def test_numbers_with_units_match_across_word_forms():
    assert ("number", "50 minute") in _atoms("telefonierten 50 Minuten lang")
    assert ("number", "50 minute") in _atoms("nach dem etwa 50-minütigen Gespräch")
    assert ("number", "6.4 million euro") in _atoms("rund 6,4 Millionen Euro")
    assert ("number", "4000 euro") in _atoms("rund 4.000 Euro")
    assert ("number", "4000 euro") in _atoms("about 4,000 euro", "en")


def test_quotes_match_across_inflections():
    assert ("quote", "kolossal fehl") in _atoms('ein "kolossaler Fehler"')
    assert ("quote", "kolossal fehl") in _atoms("einen „kolossalen Fehler“")


def test_people_organisations_places_and_agencies():
    found = _atoms("US-Präsident Joe Biden sprach mit Sprecherin Jen Psaki über die Nato, die OSZE und Genf, laut Interfax.")
    assert {("person", "joe biden"), ("person", "jen psaki"), ("organisation", "nato"), ("organisation", "osce"),
            ("place", "geneva"), ("place", "united states"), ("agency", "interfax")} <= found


def test_surname_mentions_resolve_to_the_full_name():
    mentions = sentence_atoms("US-Präsident Joe Biden warnte.", 0, "de")
    resolved = resolve_people(mentions, [(0, "US-Präsident Joe Biden warnte."), (1, "Bidens Sprecherin schwieg.")])
    assert any(m.type == "person" and m.value == "joe biden" and m.sentence == 1 for m in resolved)


def test_word_diff_marks_regional_spellings_as_equivalent():
    ops = [(s.op, s.left.strip(), s.right.strip()) for s in word_diff("am 10. Jänner in Genf", "am 10. Januar in Genf")]
    assert ("equivalent", "Jänner", "Januar") in ops
    assert not any(op in ("left", "right") for op, _, _ in ops)


def test_word_diff_changes_whole_words():
    ops = [(s.op, s.left.strip(), s.right.strip()) for s in word_diff("nach Angaben des Kreml", "nach Auskunft des Kreml")]
    assert ("left", "Angaben", "") in ops and ("right", "", "Auskunft") in ops


def test_language_detection():
    assert detect_language(words("Die Regierung hat am Montag beschlossen, dass die Hilfen verlängert werden.")) == "de"
    assert detect_language(words("The government decided on Monday that the aid would be extended.")) == "en"


def test_language_detection_reads_words_in_any_case():
    # Story evidence hands over its tokens as written, breaks and numbers among them.
    assert detect_language("DIE REGIERUNG HAT BESCHLOSSEN , DASS ES SO IST".split()) == "de"
    assert detect_language(["The", "Government", "\n", "WAS", "4.000", "Not", "there"]) == "en"
    assert detect_language(["Die", "Regierung", "und", "der", "The", "of"]) == "de"


def test_language_detection_reads_the_words_inside_apostrophes_and_hyphens():
    # As words() reads them: "it's" is "it" and "s", "Nicht-Terrorismus" holds "nicht".
    assert detect_language(["It's", "Don't", "Die", "Bank"]) == "en"
    assert detect_language(["NATO-Protestler", "und", "Nicht-Terrorismus", "the"]) == "de"
    assert detect_language(["Vor-", "und", "Nachteile", "Vor-", "the", "the"]) == "de"
    assert detect_language(["erholt", "sich'", "the"]) == detect_language(words("erholt sich' the"))


def test_language_of_story_tokens_is_the_language_of_words(samples_dir):
    from dedup.story.features import _TOKEN_OR_BREAK
    from dedup.text.normalise import normalise

    texts = [normalise(path.read_text(encoding="utf-8")) for path in sorted(samples_dir.rglob("*.txt"))]
    languages = [detect_language(words(text)) for text in texts]
    assert {"de", "en"} <= set(languages)
    assert [detect_language(_TOKEN_OR_BREAK.findall(text)) for text in texts] == languages


@pytest.fixture(scope="module")
def seeds():
    return compare(APA, DW)


def _row_with(diff, left_words, right_words):
    for row in diff.rows:
        if all(w in row.left_text for w in left_words) and all(w in row.right_text for w in right_words):
            return row
    raise AssertionError(f"no row with {left_words} | {right_words}")


def _atom(diff, atom_type, value):
    return next(atom for atom in diff.atoms if atom.type == atom_type and atom.value == value)


def test_seeds_shared_facts(seeds):
    for atom_type, value in [("quote", "entschloss antwort"), ("quote", "kolossal fehl"), ("number", "50 minute"),
                             ("date", "--01-10"), ("person", "jen psaki")]:
        assert _atom(seeds, atom_type, value).status is AtomStatus.SHARED, value
    assert _row_with(seeds, ["entschlossen antworten"], ["entschlossen antworten"]).kind is RowKind.PARAPHRASE
    assert _row_with(seeds, ["50 Minuten"], ["50-minütigen"]).kind is RowKind.PARAPHRASE
    assert _row_with(seeds, ["10. Jänner"], ["10. Januar"]).kind is RowKind.PARAPHRASE
    assert _row_with(seeds, ["nach Angaben des Kreml"], ["nach Auskunft des Kreml"]).kind is RowKind.PARAPHRASE


def test_seeds_facts_only_dw_has(seeds):
    assert _row_with(seeds, [], ["Präsenz der NATO in ihren östlichen Mitgliedsstaaten"]).kind is RowKind.RIGHT_ONLY
    assert _row_with(seeds, [], ["prorussischer Separatisten"]).kind is RowKind.RIGHT_ONLY


def test_seeds_facts_only_apa_has(seeds):
    assert _row_with(seeds, ["7. Dezember ein Videotelefonat"], []).kind is RowKind.LEFT_ONLY
    assert _row_with(seeds, ["am 13. Jänner", "OSZE"], []).kind is RowKind.LEFT_ONLY
    assert _row_with(seeds, ["im Juni in Genf"], []).kind is RowKind.LEFT_ONLY
    for atom_type, value in [("date", "--12-07"), ("date", "--01-13"), ("date", "--06"), ("organisation", "osce"),
                             ("place", "geneva")]:
        assert _atom(seeds, atom_type, value).status is AtomStatus.LEFT_ONLY, value


def test_a_changed_number_is_a_conflict():
    left = Article("l", "Biden und Putin telefonierten am Donnerstag 50 Minuten lang über die Ukraine.")
    right = Article("r", "Biden und Putin telefonierten am Donnerstag 40 Minuten lang über die Ukraine.")
    diff = compare(left, right)
    assert [row.kind for row in diff.rows] == [RowKind.CONFLICT]
    assert diff.rows[0].conflicts == ("number: 50 Minuten ≠ 40 Minuten",)
    (conflict,) = [atom for atom in diff.atoms if atom.status is AtomStatus.CONFLICT]
    assert (conflict.type, conflict.left, conflict.right) == ("number", ("50 Minuten",), ("40 Minuten",))
    assert not [atom for atom in diff.atoms if atom.type == "number" and atom is not conflict]


def test_identical_reports_are_all_shared():
    diff = compare(APA, APA)
    assert {row.kind for row in diff.rows} == {RowKind.SHARED}


def _rows_key(diff):
    return sorted((row.kind.value, row.left, row.right, row.conflicts) for row in diff.rows)


def _atoms_key(diff):
    return sorted((atom.type, atom.value, atom.status.value, atom.left, atom.right) for atom in diff.atoms)


def test_seed_comparison_mirrors(seeds):
    mirrored = compare(DW, APA)
    assert _rows_key(mirrored) == _rows_key(seeds.mirrored())
    assert _atoms_key(mirrored) == _atoms_key(seeds.mirrored())


_SENTENCES = [
    "Biden und Putin telefonierten am Donnerstag 50 Minuten lang.",
    "Die Gespräche beginnen am 10. Jänner in Genf.",
    "Sanktionen wären ein \"kolossaler Fehler\", sagte Uschakow.",
    "Der Westen befürchtet einen Angriff auf die Ukraine.",
    "Die Nato lehnte die Forderungen ab.",
    "Die Gespräche beginnen am 10. Januar in Genf.",
    "Biden und Putin telefonierten am Donnerstag 40 Minuten lang.",
    "Bidens Sprecherin Jen Psaki stellte die Haltung klar.",
    "Moskau dementiert jegliche Angriffspläne.",
]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(_SENTENCES), min_size=1, max_size=6), st.lists(st.sampled_from(_SENTENCES), min_size=1, max_size=6))
def test_compare_b_a_mirrors_compare_a_b(left_sentences, right_sentences):
    left, right = Article("a", " ".join(left_sentences)), Article("b", " ".join(right_sentences))
    forward, backward = compare(left, right), compare(right, left)
    assert _rows_key(backward) == _rows_key(forward.mirrored())
    assert _atoms_key(backward) == _atoms_key(forward.mirrored())
