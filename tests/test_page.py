"""Page debris: what the cleaner removes from scraped text, and the metadata it keeps."""

from pathlib import Path

from dedup.text.normalise import normalise
from dedup.text.page import clean_page

SEEDS = Path(__file__).resolve().parent.parent / "samples" / "seeds"
DW = (SEEDS / "dw-2021-12-31-biden-warnt-putin.txt").read_text(encoding="utf-8")
APA = (SEEDS / "derstandard-apa-2021-12-30-biden-putin-telefonat.txt").read_text(encoding="utf-8")


def test_dw_page_yields_title_date_url_and_agencies():
    page = clean_page(DW)
    assert page.title == "Biden warnt Putin, Putin warnt Biden"
    assert page.date == "2021-12-31"
    assert page.url == "https://p.dw.com/p/450tm"
    assert page.agencies == ["dpa", "AFP", "Reuters"]


def test_dw_page_loses_navigation_captions_and_credit_but_no_sentence():
    text = normalise(clean_page(DW).text)  # the page has non-breaking spaces; compare words
    for debris in ("Zum Inhalt springen", "Hauptnavigation", "Bild: AFP", "USA Russland Putin und Biden",
                   "Adam Schultz", "Russlands Präsident Wladimir Putin\n", "wa/pgr", "Politik\n"):
        assert debris not in text
    for sentence in ("US-Präsident Joe Biden hat seinen russischen Kollegen Wladimir Putin abermals",
                     "Fortschritte im Januar?", "dass die Gespräche im Januar zu einer Entspannung"):
        assert sentence in text


def test_apa_page_yields_date_and_agency_from_its_inline_credit():
    page = clean_page(APA)
    assert page.date == "2021-12-30"  # the credit's day beats the "date 2021-12" stamp's month
    assert page.agencies == ["APA"]
    assert page.text.startswith("Kiew/Moskau/Washington")
    assert page.text.endswith("von mehreren Nato-Mitgliedern zurückgewiesen.")
    assert "Foto: AFP" not in page.text


def test_german_wire_dateline_names_the_agency_and_stays_in_the_text():
    page = clean_page("Berlin (dpa) - Die Regierung hat am Montag beschlossen, die Hilfen zu verlängern.")
    assert page.agencies == ["dpa"]
    assert page.text.startswith("Berlin (dpa) - Die Regierung")


def test_a_long_single_line_ending_in_a_photo_credit_is_kept():
    body = "Die Regierung hat am Montag lange beraten. " * 20
    text = body + "Ein Bild vom Treffen Foto: Christian Beispiel / Agentur"
    assert clean_page(text).text.startswith("Die Regierung hat am Montag")


def test_plain_text_with_a_headline_line():
    page = clean_page("Neue Brücke eröffnet\n\nDie Brücke ist seit Samstag offen. Viele kamen.")
    assert page.title == "Neue Brücke eröffnet"
    assert page.text == "Die Brücke ist seit Samstag offen. Viele kamen."


def test_a_short_text_alone_is_text_not_a_headline():
    assert clean_page("Neue Brücke eröffnet").text == "Neue Brücke eröffnet"


def test_text_without_header_is_returned_whole():
    text = "Die Brücke ist seit Samstag offen.\n\nViele kamen zur Feier."
    page = clean_page(text)
    assert page.title is None and page.text == text


def test_parenthesis_that_is_not_a_credit_stays():
    text = "Die Partei (SPD) legte zu. Sie kam auf 25 Prozent (plus 3)"
    assert clean_page(text).text == text
