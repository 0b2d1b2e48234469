"""Single documents on disk: .txt, .md, .html/.htm, and .json (one record or a list).

A `PendingFile` names a file without reading it, so that the scan's worker processes do
the reading, decoding and HTML extraction in parallel; `load()` returns its articles,
or the errors that stopped them.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from dedup.io.decoding import (
    MAX_CONTAINER_BYTES,
    MAX_DOCUMENT_BYTES,
    ReadFailure,
    decode_text,
    parse_json,
    read_bounded,
)
from dedup.io.read_html import extract_html
from dedup.io.records import FieldMap, article_from_record
from dedup.model import Article, InputError, PassedOver

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
JSON_SUFFIXES = (".json",)
_MARKDOWN_TITLE = re.compile(r"^#\s+(.+?)\s*#*\s*$")
# The marks dedup's own Markdown and HTML reports carry (dedup.io.compare_render): such a
# file beside a corpus (a comparison exported from the review) is not an article.
_OWN_MARKDOWN = re.compile(r"\A\s*<!-- (dedup\.[\w./-]+)")
_OWN_HTML = re.compile(r'<meta name="generator" content="(dedup\.[\w./-]+)"')


def shown_path(path: str) -> str:
    """A path as text: bytes of a file name that are not UTF-8 (a Latin-1 "caf\\xe9.txt")
    spelt as escapes. Python hands them over as lone surrogates, which no report, index or
    hash can hold; the escape keeps two such names apart and shows what the byte was."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


@dataclass(frozen=True, slots=True)
class PendingFile:
    """A file to be read later; `id` is its path relative to the directory it was found in."""

    path: str
    id: str
    fields: FieldMap = FieldMap()
    encoding: str = "utf-8"
    named: bool = False  # named on the command line, not found in a folder

    def load(self) -> list[Article | InputError]:
        try:
            suffix = self.path.lower().rsplit(".", 1)[-1]
            is_list = f".{suffix}" in JSON_SUFFIXES  # a .json file may hold a list of records
            with open(self.path, "rb") as stream:
                data = read_bounded(stream, MAX_CONTAINER_BYTES if is_list else MAX_DOCUMENT_BYTES,
                                    "a file of records" if is_list else "one document")
            text = decode_text(data, self.encoding)
            own = (_OWN_HTML.search(text, 0, 4096) if f".{suffix}" in HTML_SUFFIXES else _OWN_MARKDOWN.match(text))
            if own:
                return self._own_file(own.group(1))
            if f".{suffix}" in HTML_SUFFIXES:
                return [self._from_html(text)]
            if f".{suffix}" in JSON_SUFFIXES:
                return self._from_json(text)
            return [self._from_text(text, markdown=suffix == "md")]
        except ReadFailure as failure:
            return [InputError(self.path, failure.message, failure.line)]
        except OSError as error:
            return [InputError(self.path, f"cannot read: {error.strerror}")]

    def _own_file(self, schema: str) -> list[Article | InputError]:  # a PassedOver
        """dedup's own reports and decisions (a scan saved with -o, a comparison exported
        from the review) often sit beside the corpus: in a folder they are passed over,
        named on their own they are refused."""
        if self.named:
            raise ReadFailure(f"a {schema} file that dedup wrote, not articles: name the corpus instead")
        return [PassedOver(shown_path(self.path), f"a {schema} file that dedup wrote")]

    def _from_text(self, text: str, markdown: bool) -> Article:
        title = None
        if markdown:
            first, _, rest = text.lstrip().partition("\n")
            heading = _MARKDOWN_TITLE.match(first)
            if heading:
                title, text = heading.group(1), rest
        if not text.strip():
            raise ReadFailure("no text besides the title: nothing to scan")
        return Article(id=self.id, text=text, title=title, origin=shown_path(self.path))

    def _from_html(self, html: str) -> Article:
        page = extract_html(html)
        return Article(
            id=self.id, text=page.text, title=page.title, source=page.source,
            date=page.date, url=page.url, lang=page.lang, origin=shown_path(self.path),
        )

    def _from_json(self, text: str) -> list[Article | InputError]:
        value = parse_json(text, "fix the file")
        schema = value.get("schema") if isinstance(value, dict) else None
        if isinstance(schema, str) and schema.startswith("dedup."):
            return self._own_file(schema)
        if isinstance(value, dict):
            return [article_from_record(value, self.id, shown_path(self.path), self.fields)]
        if not isinstance(value, list):
            raise ReadFailure("expected a JSON object or a list of objects: fix the file, or give articles as .jsonl")
        if not value:
            raise ReadFailure("an empty list, no records: check that whatever wrote the file finished")
        results: list[Article | InputError] = []
        for position, record in enumerate(value, start=1):
            try:
                results.append(article_from_record(record, f"{self.id}#{position}", f"{shown_path(self.path)}#{position}", self.fields))
            except ReadFailure as failure:
                results.append(InputError(f"{self.path}#{position}", failure.message))
        return results
