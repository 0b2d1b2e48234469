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


# Pieces that put a number, a gap and a unit next to each other in every way the pattern
# allows or just misses: runs of digits and separators, several hyphens, units inside
# words ("bundestag", "minutag"), underscores, non-ASCII digits and spaces.
_LOWER_PIECES = ["zwei", "dreißig", "ein", "elf", " ", "  ", "\u00a0", "\n", "-", "--", "5", "12", "1,5", "3.", ".", ",",
                 "_", "٣", "stunden", "stünd", "tag", "täg", "bundestag", "minutag", "stunday", "minute", "minüt", "hour",
                 "day", "may", "igen", "-long", "s", "x", "ä"]


@given(st.lists(st.sampled_from(_LOWER_PIECES), max_size=14).map("".join))
def test_durations_are_tried_only_where_a_match_can_start(text):
    # The search tries the places a unit's walk back leads to, not every position.
    expected = [(match.span(), match.groups()) for match in quantities._DURATION_IN_LOWER_CASE.finditer(text)]
    found = [(match.span(), match.groups()) for match in quantities._matches_before_units(text)]
    assert found == expected


_CLOCK_PIECES = ["1", "12", "123", "7", ":", ".", "::", " ", "a.m.", "P.M.", "am", "pm", "Uhr", "UHR", "x", "_", "٣", "-"]


@given(st.lists(st.sampled_from(_CLOCK_PIECES), max_size=14).map("".join))
def test_clock_times_are_tried_only_next_to_a_separator(text):
    expected = [(match.span(), match.groups()) for match in quantities._CLOCK.finditer(text)]
    assert [(match.span(), match.groups()) for match in quantities._clock_matches(text)] == expected


@pytest.mark.parametrize("text", ["tag" * 2_000, "1" * 5_000 + "tag" * 2_000, "3 tag " * 2_000, "zwei-" * 2_000 + "tage",
                                  "1,5" * 1_000 + " stunden", "minutag" * 1_000])
def test_long_runs_of_units_are_searched_like_finditer(text):
    # A run of unit-like letters is walked back once, not once per unit in it (hostile input).
    expected = [(match.span(), match.groups()) for match in quantities._DURATION_IN_LOWER_CASE.finditer(text)]
    assert [(match.span(), match.groups()) for match in quantities._matches_before_units(text)] == expected
