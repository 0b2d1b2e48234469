"""Durations and times of day, read into one value across spellings and languages."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dedup.text import quantities
from dedup.text.quantities import clock_times, durations


@pytest.mark.parametrize(("text", "lang", "minutes"), [
    ("nach dem 50-minütigen Gespräch", "de", {50}),
    ("Sie sprachen 50 Minuten lang.", "de", {50}),
    ("mehr als zwei Stunden lang per Video", "de", {120}),
    ("der zweistündige Gipfel", "de", {120}),
    ("ein einstündiges Telefonat", "de", {60}),
    ("eineinhalb Stunden, also 1,5 Stunden", "de", {90}),
    ("in a two-hour video call", "en", {120}),
    ("the talks lasted three days", "en", {4320}),
    ("He said a day later that nothing had changed.", "en", set()),
])
def test_durations_are_minutes_in_either_language(text, lang, minutes):
    assert durations(text, lang) == minutes


def test_clock_times_are_read_on_the_24_hour_clock():
    assert clock_times("It hit at 4:12 a.m.; aftershocks at 7:45 p.m. and 19:45.") == {"04:12", "19:45"}
    assert clock_times("um 17.20 Uhr") == {"17:20"}
    assert clock_times("Der Kurs stieg um 17.20 Prozent.") == set()  # a decimal number, not a time


_IGNORING_CASE = re.compile(quantities._DURATION, re.IGNORECASE)
# Words and pieces of durations, in both cases, with the characters whose case mapping
# differs from IGNORECASE's ("İ" lower-cases to two characters, "ı" and "ſ" match "i" and
# "s" only ignoring case, "ẞ" is the capital "ß").
_PIECES = ["zwei", "ZWEI", "Drei", "dreißig", "DREIẞIG", "ein", "Einer", " ", "-", "5", "1,5", "12.", "Stunden",
           "STÜNDIG", "stünd", "Tag", "täg", "Montag", "Minute", "minüt", "hours", "-long", "day", "İ", "ı", "ſ", "K",
           "igen", ",", ".", "a", "x"]


@given(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join))
def test_durations_are_found_as_a_search_ignoring_case_finds_them(text):
    # They are searched in the lower-cased text, case-sensitively, which is faster.
    expected = [tuple(group.lower() for group in match.groups()) for match in _IGNORING_CASE.finditer(text)]
    found = [tuple(group.lower() for group in match.groups()) for match in quantities._duration_matches(text)]
    assert found == expected


def test_durations_of_the_samples_are_found_as_ignoring_case(samples_dir):
    for path in sorted(samples_dir.rglob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert ([match.groups() for match in quantities._duration_matches(text)]
                == [tuple(group.lower() for group in match.groups()) for match in _IGNORING_CASE.finditer(text)])
