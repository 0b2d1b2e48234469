"""Numbers as written in German and English news, read into one canonical form."""

from __future__ import annotations


def number_value(digits: str, lang: str) -> str | None:
    """"6,4" (de) and "6.4" (en) -> "6.4"; "4.000" (de) and "4,000" (en) -> "4000"; None if not a number."""
    thousands, decimal = (".", ",") if lang == "de" else (",", ".")
    groups = digits.split(thousands)
    if len(groups) > 1 and not all(len(group) == 3 for group in groups[1:]) and decimal not in digits:
        # "Stärke 4.8" in a German text, "6,4" in an English one: a thousands separator
        # is followed by groups of three digits, so this mark is the other language's decimal.
        thousands, decimal = decimal, thousands
    cleaned = digits.replace(thousands, "").replace(decimal, ".")
    try:
        number = float(cleaned)
    except ValueError:
        return None
    return str(int(number)) if number.is_integer() else str(number)
