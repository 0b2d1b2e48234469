"""Facts a journalist can trust (issue 13): atoms quoted as the sources wrote them,
numbers with their units and qualifiers, people however a report names them, and a
conflict only where both reports state a value for one thing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.facts.compare import compare
from dedup.facts.people import person_key
from dedup.io.compare_render import write_compare_html, write_compare_markdown
from dedup.model import Article, AtomStatus

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
APA = SAMPLES / "seeds" / "derstandard-apa-2021-12-30-biden-putin-telefonat.txt"
DW = SAMPLES / "seeds" / "dw-2021-12-31-biden-warnt-putin.txt"
QUAKE_A = SAMPLES / "stories" / "en-quake-wire-a.txt"
QUAKE_B = SAMPLES / "stories" / "en-quake-wire-b.txt"
PAIRS = [(APA, DW), (QUAKE_A, QUAKE_B), (SAMPLES / "stories" / "de-videogipfel-2021-12-07.txt", DW),
         (QUAKE_A, SAMPLES / "stories" / "en-quake-other.txt"), (SAMPLES / "wire" / "dpa-original.txt", SAMPLES / "wire" / "apa-edited.txt")]


def _compare(left: Path, right: Path):
    return compare(Article(left.name, left.read_text(encoding="utf-8")), Article(right.name, right.read_text(encoding="utf-8")))


def _atom(diff, atom_type: str, written: str):
    """The atom of this type with `written` among its surface forms."""
    return next(atom for atom in diff.atoms if atom.type == atom_type and written in atom.left + atom.right)


@pytest.fixture(scope="module")
def quake():
    return _compare(QUAKE_A, QUAKE_B)


@pytest.fixture(scope="module")
def seeds():
    return _compare(APA, DW)


@pytest.mark.parametrize("left, right", PAIRS)
def test_every_surface_form_is_quoted_from_its_report(left, right):
    """In the file as given: an agency's credit line ("(dpa)", "rtr") is metadata the page
    cleaner takes off the text, but it is still how the report wrote it."""
    diff = _compare(left, right)
    for atom in diff.atoms:
        for form in atom.left:
            assert form and form in left.read_text(encoding="utf-8"), (atom, form)
        for form in atom.right:
            assert form and form in right.read_text(encoding="utf-8"), (atom, form)


_DRESSING = st.sampled_from(["„", "“", "»", "«", "–", "—", "\u00ad", "  ", "\u00a0", "Jänner", "Feber", "’s", "\r\n"])


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), dressing=st.lists(st.tuples(st.integers(0, 400), _DRESSING), max_size=12))
def test_surface_forms_are_quotations_of_generated_texts(articles, seed, dressing):
    """Typographic quotes, dashes, soft hyphens, odd spaces and Austrian months folded by
    the normaliser still come back as the text wrote them."""
    text = articles.text(seed, sentences=6) + ' Er sagte am 10. Jänner: „Das ist ein kolossaler Fehler.“ Rund 50 Minuten.'
    for position, piece in sorted(dressing, reverse=True):
        text = text[:position] + piece + text[position:]
    diff = compare(Article("a", text), Article("b", articles.text(seed + 1, sentences=6)))
    for atom in diff.atoms:
        for form in atom.left:
            assert form in diff.left.text, (atom, form)


def test_the_quake_numbers_keep_their_units_and_qualifiers(quake):
    for left, right in [("about 10 kilometres", "10 km"), ("23 kilometres", "23 km"), ("at least 14 people", "14 people"),
                        ("more than 200", "More than 200 people"), ("Around 3,000 people", "Some 3,000")]:
        atom = _atom(quake, "number", left)
        assert atom.status is AtomStatus.SHARED and right in atom.right, atom
    assert not [atom for atom in quake.atoms if atom.type == "number" and atom.value in ("4", "12", "10", "23", "200")]


def test_a_time_of_day_is_one_atom(quake):
    atom = _atom(quake, "date", "4:12 a.m.")
    assert atom.status is AtomStatus.SHARED and atom.right == ("4 a.m.",)


def test_who_is_a_pronoun_and_a_dateline_no_organisation(quake):
    organisations = [form for atom in quake.atoms if atom.type == "organisation" for form in atom.left + atom.right]
    assert "who" not in organisations and "ALMORA" not in organisations


def test_a_month_with_two_candidate_days_stays_on_its_own(seeds):
    """APA's "13. Jänner" and "10. Jänner" are both in January: DW's "im Januar" matches neither alone."""
    assert _atom(seeds, "date", "13. Jänner").status is AtomStatus.LEFT_ONLY
    assert _atom(seeds, "date", "10. Jänner").status is AtomStatus.SHARED


def test_austrian_dates_are_shown_as_written(seeds):
    atom = _atom(seeds, "date", "10. Jänner")
    assert atom.left == ("10. Jänner",) and atom.right == ("10. Januar",)


def test_a_compound_names_its_place_by_the_place():
    diff = compare(Article("a", "Der US-Präsident sprach mit Nato-Mitgliedern."), Article("b", "Die USA und die NATO."))
    assert _atom(diff, "place", "US").status is AtomStatus.SHARED
    assert _atom(diff, "organisation", "Nato").status is AtomStatus.SHARED


def test_people_are_one_person_however_they_are_named():
    left = Article("nyt", "Representative Joe Sestak won on Tuesday. Mr. Sestak thanked Rahm Emanuel and Robert Bauer.", lang="en")
    right = Article("fox", "Sestak, a Democrat, beat Arlen Specter. The White House had offered Sestak a job.", lang="en")
    diff = compare(left, right)
    sestak = _atom(diff, "person", "Joe Sestak")
    assert sestak.status is AtomStatus.SHARED and "Sestak" in sestak.right
    assert _atom(diff, "person", "Rahm Emanuel").status is AtomStatus.LEFT_ONLY
    assert _atom(diff, "person", "Robert Bauer").status is AtomStatus.LEFT_ONLY


def test_a_possessive_is_the_person():
    left = Article("a", "Representative Alexandria Ocasio-Cortez's plan was praised by President Ronald Reagan's heirs.", lang="en")
    right = Article("b", "Representative Alexandria Ocasio-Cortez spoke.", lang="en")
    diff = compare(left, right)
    atom = _atom(diff, "person", "Alexandria Ocasio-Cortez")
    assert atom.status is AtomStatus.SHARED and atom.left == ("Alexandria Ocasio-Cortez",)
    assert not [atom for atom in diff.atoms if atom.status is AtomStatus.CONFLICT]


@pytest.mark.parametrize("german, english", [("Wladimir Putin", "Vladimir Putin"), ("Juri Uschakow", "Yuri Ushakov"),
                                             ("Wolodymyr Selenskyj", "Volodymyr Zelensky")])
def test_transliterations_are_one_person(german, english):
    assert person_key(german) == person_key(english)


def test_an_acronym_is_its_organisation():
    diff = compare(Article("a", "The National Rifle Association opposed it.", lang="en"),
                   Article("b", "The NRA opposed the deal.", lang="en"))
    atom = _atom(diff, "organisation", "National Rifle Association")
    assert atom.status is AtomStatus.SHARED and atom.right == ("NRA",)


def test_a_one_sided_fact_is_never_a_conflict(seeds, quake):
    for diff in (seeds, quake, _compare(QUAKE_A, SAMPLES / "stories" / "en-quake-other.txt")):
        for atom in diff.atoms:
            if atom.status is AtomStatus.CONFLICT:
                assert atom.left and atom.right, atom


def test_a_changed_death_toll_is_one_conflict_atom_with_both_sides():
    diff = compare(Article("a", "The quake killed at least 14 people in Almora on Tuesday.", lang="en"),
                   Article("b", "The quake killed 19 people in Almora on Tuesday.", lang="en"))
    (conflict,) = [atom for atom in diff.atoms if atom.status is AtomStatus.CONFLICT]
    assert conflict.left == ("at least 14 people",) and conflict.right == ("19 people",)


_KEY = re.compile(r"--\d\d|\bT\d\d(?::\d\d)?\b|\b\d+ (?:minut|peopl)\b")


@pytest.mark.parametrize("left, right", PAIRS)
def test_no_human_format_shows_a_normalised_key(left, right):
    diff = _compare(left, right)
    keys = {atom.value for atom in diff.atoms if atom.type not in ("quote", "agency")
            and atom.value not in atom.left + atom.right and atom.value not in diff.left.text + diff.right.text}
    for rendered in (write_compare_markdown(diff), write_compare_html(diff)):
        rendered = rendered.replace(diff.left.id, "").replace(diff.right.id, "")
        assert not _KEY.search(rendered.replace("<!--", "")), _KEY.search(rendered)
        for key in keys:
            assert key not in rendered, key


def test_headings_are_shown_as_headings_not_facts(seeds):
    headings = {row.left_text or row.right_text for row in seeds.rows if row.kind.value == "heading"}
    assert {"Fortschritte im Januar?", "Weitere diplomatische Gespräche geplant"} <= headings
    januar = [atom for atom in seeds.atoms if "Januar" in atom.right]
    assert januar and all(atom.status is not AtomStatus.RIGHT_ONLY for atom in januar)  # "im Januar" in the text, not the heading


def test_sentences_sharing_one_number_do_not_pile_into_one_row():
    """Four sentences that each mention 70 percent are not one row with an unrelated sentence."""
    left = Article("a", "Earhardt said 70 percent of viewers agreed with her. Ratings rose 70 percent in March. "
                        "A poll found 70 percent support among young voters. The host laughed about the 70 percent figure.", lang="en")
    right = Article("b", "Ocasio-Cortez proposed a top tax rate of 70 percent on incomes above $10 million.", lang="en")
    diff = compare(left, right)
    assert all(len(row.left) <= 1 for row in diff.rows), [row.left for row in diff.rows]


def test_people_named_differently_in_aligned_sentences_are_no_conflict():
    diff = compare(Article("a", "Bernie Sanders praised the plan for a 70 percent rate on Monday.", lang="en"),
                   Article("b", "Hillary Clinton praised the plan for a 70 percent rate on Monday.", lang="en"))
    assert not [row for row in diff.rows if row.kind.value == "conflict"]
    assert not [atom for atom in diff.atoms if atom.status is AtomStatus.CONFLICT]


def test_a_president_by_surname_is_a_person():
    diff = compare(Article("a", "The offer was made with President Obama's approval, officials said.", lang="en"),
                   Article("b", "Obama approved the offer, the White House said.", lang="en"))
    assert _atom(diff, "person", "Obama").status is AtomStatus.SHARED


@pytest.mark.parametrize("left, right", PAIRS[:2])
def test_the_terminal_table_shows_no_normalised_key(run_dedup, left, right):
    run = run_dedup("compare", left, right, "--width", "200")
    assert run.code == 0, run.stderr
    assert not _KEY.search(run.stdout), _KEY.search(run.stdout)


def test_a_german_decimal_point_is_no_thousands_separator():
    diff = compare(Article("a", "Beben\n\nGestern gab es ein Nachbeben der Stärke 4,8 in der Region.", lang="de"),
                   Article("b", "Beben\n\nGestern gab es ein Nachbeben der Stärke 4.8 in der Region.", lang="de"))
    assert not [atom for atom in diff.atoms if atom.status is AtomStatus.CONFLICT]
    assert _atom(diff, "number", "4,8").status is AtomStatus.SHARED


def test_the_currency_is_part_of_the_amount():
    dollars = compare(Article("a", "The city will spend $3.5 million on the new bridge, the mayor said.", lang="en"),
                      Article("b", "The city will spend €3.5 million on the new bridge, the mayor said.", lang="en"))
    assert _atom(dollars, "number", "$3.5 million").status is not AtomStatus.SHARED


def test_bare_numbers_in_aligned_sentences_are_no_conflict():
    """Ages (16 and 13) and a follower count say nothing about each other."""
    diff = compare(Article("a", "The aide, who is close to the daughters aged 16 and 13, posted the photo on Monday.", lang="en"),
                   Article("b", "The aide, 31, who has 14,000 followers, posted the photo on Monday.", lang="en"))
    assert not [row for row in diff.rows if row.kind.value == "conflict"]


def test_a_title_run_into_a_name_is_the_same_person():
    diff = compare(Article("a", "FBI Director James Comey testified on Monday.", lang="en"),
                   Article("b", "James Comey testified before the committee on Monday.", lang="en"))
    assert _atom(diff, "person", "James Comey").status is AtomStatus.SHARED


def test_german_am_is_no_time_of_day():
    diff = compare(Article("a", "Die Stadt zahlt 3 am Montag aus.", lang="de"), Article("b", "Die Stadt zahlt.", lang="de"))
    assert not [atom for atom in diff.atoms if atom.type == "date" and atom.value.startswith("T")]
