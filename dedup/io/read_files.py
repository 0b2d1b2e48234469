"""Single documents on disk: .txt, .md, .html/.htm, and .json (one record or a list).

A `PendingFile` names a file without reading it, so that the scan's worker processes do
the reading, decoding and HTML extraction in parallel; `load()` returns its articles,
or the errors that stopped them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dedup.io.decoding import ReadFailure, decode_text, parse_json
from dedup.io.read_html import extract_html
from dedup.io.records import FieldMap, article_from_record
from dedup.model import Article, InputError

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
JSON_SUFFIXES = (".json",)
_MARKDOWN_TITLE = re.compile(r"^#\s+(.+?)\s*#*\s*$")


@dataclass(frozen=True, slots=True)
class PendingFile:
    """A file to be read later; `id` is its path relative to the directory it was found in."""

    path: str
    id: str
    fields: FieldMap = FieldMap()
    encoding: str = "utf-8"

    def load(self) -> list[Article | InputError]:
        try:
            with open(self.path, "rb") as stream:
                data = stream.read()
            text = decode_text(data, self.encoding)
            suffix = self.path.lower().rsplit(".", 1)[-1]
            if f".{suffix}" in HTML_SUFFIXES:
                return [self._from_html(text)]
            if f".{suffix}" in JSON_SUFFIXES:
                return self._from_json(text)
            return [self._from_text(text, markdown=suffix == "md")]
        except ReadFailure as failure:
            return [InputError(self.path, failure.message, failure.line)]
        except OSError as error:
            return [InputError(self.path, f"cannot read: {error.strerror}")]

    def _from_text(self, text: str, markdown: bool) -> Article:
        title = None
        if markdown:
            first, _, rest = text.lstrip().partition("\n")
            heading = _MARKDOWN_TITLE.match(first)
            if heading:
                title, text = heading.group(1), rest
        if not text.strip():
            raise ReadFailure("no text besides the title: nothing to scan")
        return Article(id=self.id, text=text, title=title, origin=self.path)

    def _from_html(self, html: str) -> Article:
        page = extract_html(html)
        return Article(
            id=self.id, text=page.text, title=page.title, source=page.source,
            date=page.date, url=page.url, lang=page.lang, origin=self.path,
        )

    def _from_json(self, text: str) -> list[Article | InputError]:
        value = parse_json(text, "fix the file")
        if isinstance(value, dict):
            return [article_from_record(value, self.id, self.path, self.fields)]
        if not isinstance(value, list):
            raise ReadFailure("expected a JSON object or a list of objects: fix the file, or give articles as .jsonl")
        results: list[Article | InputError] = []
        for position, record in enumerate(value, start=1):
            try:
                results.append(article_from_record(record, f"{self.id}#{position}", f"{self.path}#{position}", self.fields))
            except ReadFailure as failure:
                results.append(InputError(f"{self.path}#{position}", failure.message))
        return results
