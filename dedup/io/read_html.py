"""HTML pages to article text and metadata, with trafilatura.

trafilatura finds the main text of a page (dropping navigation, teasers, footers and
comments) and reads title, date, site name and URL from the page's metadata. It is the
most accurate open extractor in published comparisons, and Apache-licensed.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass

from dedup.io.decoding import ReadFailure


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    text: str
    title: str | None
    date: str | None
    source: str | None
    url: str | None
    lang: str | None


def extract_html(html: str) -> ExtractedPage:
    """The main text and metadata of an HTML page; ReadFailure if it holds no article text."""
    import trafilatura  # noqa: PLC0415 -- half a second to import; only corpora with HTML pay it

    # trafilatura logs and warns about odd markup; the page's fate is told by our own message.
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            document = _bare_extraction(trafilatura, html, with_metadata=True)
        except Exception:  # noqa: BLE001
            # trafilatura's helpers have bugs of their own on tag soup: htmldate's date search
            # asserts on "<iframe><html>…" (lxml's drop_tree of a root). The text may still
            # be there without the metadata; one odd page must not end the scan.
            try:
                document = _bare_extraction(trafilatura, html, with_metadata=False)
            except Exception as error:  # noqa: BLE001
                raise ReadFailure(f"the HTML extractor failed on this page ({type(error).__name__}): "
                                  "save the page again, or convert its article text to .txt") from None
    text = (document.text or "") if document is not None else ""
    if not text.strip():
        raise ReadFailure("no article text found in this HTML page")
    title = document.title or None
    lines = text.split("\n")
    if title and lines and lines[0].strip() == title.strip():
        text = "\n".join(lines[1:])  # the headline is metadata, not body text
        if not text.strip():
            # A page whose only text is its headline: an Article needs text to scan (as a
            # Markdown file that is only a "# Title" does).
            raise ReadFailure("no article text in this HTML page besides its headline: save the whole article, or remove the page")
    return ExtractedPage(
        text=text,
        title=title,
        date=document.date or None,
        source=document.sitename or document.hostname or None,
        url=document.url or None,
        lang=document.language or None,
    )


def _bare_extraction(trafilatura, html: str, with_metadata: bool):
    return trafilatura.bare_extraction(
        html, with_metadata=with_metadata, include_comments=False, include_tables=False, deduplicate=False
    )
