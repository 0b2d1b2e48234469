"""Records (a JSON object, a CSV row) to Articles, with the field names a user maps.

The standard fields are id, text, title, source, date, url and lang; `--id-field` and
`--text-field` map corpora that call them something else ("guid", "body"). Values that
are not strings (numbers, nulls) are read as a person would: 17 is the id "17".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dedup.io.decoding import ReadFailure
from dedup.model import Article

METADATA_FIELDS = ("title", "source", "date", "url", "lang")


@dataclass(frozen=True, slots=True)
class FieldMap:
    """Which record fields hold the id and the text."""

    id_field: str = "id"
    text_field: str = "text"


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def article_from_record(record: object, fallback_id: str, origin: str, fields: FieldMap) -> Article:
    """An Article from one record; `fallback_id` when the record has no id field."""
    if not isinstance(record, dict):
        raise ReadFailure(
            f"expected a JSON object with a {fields.text_field!r} field, got {type(record).__name__}: fix or remove the record"
        )
    text = record.get(fields.text_field)
    if text is None:
        present = ", ".join(sorted(map(str, record))[:8]) or "none"
        raise ReadFailure(
            f"no {fields.text_field!r} field (fields: {present}); name the text field with --text-field"
        )
    if not isinstance(text, str):
        raise ReadFailure(f"the {fields.text_field!r} field is a {type(text).__name__}, not a string: fix the record or map another field with --text-field")
    if not text.strip():
        raise ReadFailure(f"the {fields.text_field!r} field is empty: fill in the text or remove the record")
    raw_id = record.get(fields.id_field)
    doc_id = fallback_id if raw_id is None or raw_id == "" else _valid_unicode(str(raw_id))
    metadata = {name: _text_or_none(record.get(name)) for name in METADATA_FIELDS}
    return Article(id=doc_id, text=_valid_unicode(text), origin=origin, **metadata)


def _text_or_none(value: object) -> str | None:
    if value is None or value == "":
        return None
    return _valid_unicode(str(value))


def _valid_unicode(text: str) -> str:
    """JSON's escapes can spell half a character ("\\ud800"), which no UTF-8 file, index or
    hash can hold: it becomes U+FFFD, as any decoder shows a broken character."""
    try:
        text.encode("utf-8")  # a C loop: many times faster than the pattern's search, which few texts need
    except UnicodeEncodeError:
        return _LONE_SURROGATE.sub("\ufffd", text)
    return text
