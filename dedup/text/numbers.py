"""Numbers as written in German and English news, read into one canonical form."""

from __future__ import annotations


def number_value(digits: str, lang: str) -> str | None:
    """"6,4" (de) and "6.4" (en) -> "6.4"; "4.000" (de) and "4,000" (en) -> "4000"; None if not a number."""
    thousands, decimal = (".", ",") if lang == "de" else (",", ".")
    cleaned = digits.replace(thousands, "").replace(decimal, ".")
    try:
        number = float(cleaned)
    except ValueError:
        return None
    return str(int(number)) if number.is_integer() else str(number)
