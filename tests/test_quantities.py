"""Durations and times of day, read into one value across spellings and languages."""

from __future__ import annotations

import pytest

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
