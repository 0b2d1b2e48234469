"""Page debris: remove what a scraper copied along with an article, and keep what it tells.

Scraped news text carries lines that are not the article: skip links ("Zum Inhalt
springen"), photo captions with their credits ("… Bild: AFP"), a bare short URL, a
"date 2021-12" stamp, and the agency credit at the end ("wa/pgr (dpa, afp, rtr)",
"(APA, red, 30.12.2021)"). They differ between two copies of one wire story, so they
must not count as text; but the credits and dates they hold are metadata worth keeping.

`clean_page` works on the original text, line by line, and never rewrites a line it keeps,
so a comparison can still show the words as published; fingerprints normalise later. It
finds a headline and a dateline only at the top, before the first paragraph of running
text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dedup.model import Article
from dedup.text.dates import parse_date_line

# News agencies that credit their copy at the end of an article, as they are written in
# credits; the value is the name we report. Author initials and "red" (Redaktion) that
# stand beside them are not agencies.
AGENCIES = {
    "dpa": "dpa", "afp": "AFP", "ap": "AP", "rtr": "Reuters", "reuters": "Reuters",
    "apa": "APA", "kna": "KNA", "epd": "epd", "sid": "SID", "ddp": "ddp", "dapd": "dapd",
    "kap": "Kathpress", "sda": "SDA", "ats": "ATS", "ansa": "ANSA", "efe": "EFE",
    "upi": "UPI", "afx": "AFX", "dpa-afx": "dpa-AFX", "dow jones": "Dow Jones", "dj": "Dow Jones",
    "bloomberg": "Bloomberg", "xinhua": "Xinhua", "tass": "TASS", "ria": "RIA", "ots": "OTS",
    "pa": "PA", "aap": "AAP", "cp": "CP", "anp": "ANP", "belga": "Belga", "pap": "PAP",
    "ctk": "ČTK", "mti": "MTI", "kyodo": "Kyodo", "yonhap": "Yonhap", "idea": "idea",
}

_SKIP_LINK = re.compile(
    r"^(?:\d+\.\s*)?(?:"
    r"zum inhalt springen|zur (?:haupt)?navigation springen|zur suche springen|"
    r"zu weiteren angeboten\b.*\bspringen|direkt zum inhalt|springe zum inhalt|"
    r"skip to (?:main )?(?:content|navigation)|jump to (?:main )?(?:content|navigation|search)|"
    r"menü|menu|navigation|suche|search|teilen|share|drucken|print|anmelden|log ?in|"
    r"abonnieren|subscribe|newsletter|werbung|anzeige|advertisement"
    r")$",
    re.IGNORECASE,
)
_URL_LINE = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
# A URL that a tokeniser has cut into pieces ("http: / / www. bbc. co. uk / news / …"): no
# sentence starts with "http:" followed by slashes.
_SPACED_URL_LINE = re.compile(r"^https?\s*:\s*/\s*/\s*\S", re.IGNORECASE)
# A caption ends with its photo credit, often glued to the last word by the scraper
# ("… aus WashingtonBild: Adam Schultz/White House/REUTERS").
_PHOTO_CREDIT = re.compile(r"(?:Fotos?|Bild(?:er)?|Photos?|Images?|Picture)\s*:\s*[^.!?:]{1,80}$|©\s*[^.!?]{1,60}$")
_DATE_STAMP = re.compile(r"^date\s+(\d{4}-\d{2}(?:-\d{2})?)\b\s*")
_CREDIT_GROUP = re.compile(r"\(([^()]{1,120})\)\s*$")
_INITIALS = re.compile(r"^[a-zäöü]{1,4}(?:/[a-zäöü]{1,4})*$")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
# A line that closes like a sentence ("…gewarnt.", '…antworten."') is running text, not a label;
# headlines may end in "?" or "!".
_SENTENCE_CLOSE = re.compile(r"[.;:][\"'“”»«’)\]]*$")
# A word, a full stop and a new sentence: running text, never a headline. The two
# lowercase letters keep "31. Dezember", "Dr. Müller" and "St. Pölten" out.
_SENTENCE_BOUNDARY = re.compile(r"[a-zäöüß]{2}[.!?][\"'“”»«’)]*\s+[A-ZÄÖÜ]")
# German wire datelines name the agency before the first sentence: "Berlin (dpa) - …".
_DATELINE_CREDIT = re.compile(r"^[^\W\d][\w./ ]{0,40}?\s*\(([^()]{1,40})\)\s*[-–—]\s")

# Header lines are short: a headline rarely runs past twenty words.
_MAX_HEADLINE_WORDS = 20
# A kicker ("Politik", "Ukraine-Krise") is a line of one or two words above the headline.
_MAX_KICKER_WORDS = 2
# An image's alt text above its caption is short; a sentence of running text is not.
_MAX_ALT_TEXT_WORDS = 12
# A caption is a sentence or two; a longer line ending in a credit is an article whose
# scraper glued the caption to the text (single-line corpora), and must stay.
_MAX_CAPTION_WORDS = 40
# "1. Zu weiteren Angeboten der DW springen" is the longest skip link we know.
_MAX_NAVIGATION_WORDS = 8
# A credit line: author initials and a few agency codes, "wa/pgr (dpa, afp, rtr)".
_MAX_CREDIT_LINE_WORDS = 8


@dataclass(slots=True)
class Page:
    """The article text with the debris removed, and the metadata the debris carried."""

    text: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    agencies: list[str] = field(default_factory=list)


def clean_article(article: Article) -> Article:
    """The article with page debris removed and the metadata the debris held filled in."""
    page = clean_page(article.text)
    return Article(article.id, page.text, article.title or page.title, article.source, article.date or page.date,
                   article.url or page.url, article.lang, article.agencies or tuple(page.agencies), article.origin)


def clean_page(text: str) -> Page:
    """Remove page debris from an article's text; return what is left and what it told."""
    page = Page(text="")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "").strip()
    stamp = _DATE_STAMP.match(text)
    if stamp:
        page.date = stamp.group(1)
        text = text[stamp.end():]
    lines = [line.strip() for line in text.split("\n")]
    lines = _drop_debris_lines(lines, page)
    lines = _take_trailing_credit(lines, page)
    lines = _take_header(lines, page)
    _take_dateline_credit(lines, page)
    page.text = "\n".join(lines).strip()
    if "\n\n\n" in page.text:
        page.text = re.sub(r"\n{3,}", "\n\n", page.text)
    return page


def _drop_debris_lines(lines: list[str], page: Page) -> list[str]:
    kept: list[str] = []
    for line in lines:
        # Lengths first: the patterns below are only worth searching on short lines.
        if _at_most_words(line, _MAX_NAVIGATION_WORDS) and _SKIP_LINK.match(line):
            continue
        if (_at_most_words(line, 1) and _URL_LINE.match(line)) or _SPACED_URL_LINE.match(line):
            page.url = page.url or "".join(line.split())
            continue
        if _at_most_words(line, _MAX_CAPTION_WORDS) and _PHOTO_CREDIT.search(line):
            # The line above a caption, in the same block, is the image's alt text.
            if kept and kept[-1] and _looks_like_label(kept[-1], _MAX_ALT_TEXT_WORDS):
                kept.pop()
            continue
        credit = _agency_credit(line) if _at_most_words(line, _MAX_CREDIT_LINE_WORDS) else None
        if credit is not None:
            _add_agencies(page, credit[0])
            page.date = _more_precise(page.date, credit[1])
            continue
        kept.append(line)
    return kept


def _take_trailing_credit(lines: list[str], page: Page) -> list[str]:
    """An inline credit closing the last paragraph: "… zurückgewiesen. (APA, red, 30.12.2021)"."""
    while lines and not lines[-1]:
        lines.pop()
    if not lines:
        return lines
    match = _CREDIT_GROUP.search(lines[-1])
    if match:
        credit = _agency_credit(match.group(0))
        if credit is not None:
            agencies, date = credit
            _add_agencies(page, agencies)
            page.date = _more_precise(page.date, date)
            lines[-1] = lines[-1][: match.start()].rstrip()
    return lines


def _take_header(lines: list[str], page: Page) -> list[str]:
    """Kicker, headline and dateline above the first paragraph become metadata."""
    index = 0
    title: str | None = None
    date: str | None = None
    while index < len(lines):
        line = lines[index]
        if not line:
            index += 1
            continue
        if not _looks_like_label(line, _MAX_HEADLINE_WORDS):
            break
        line_date = parse_date_line(line)
        if line_date is not None and date is None:
            date = line_date
        elif title is None and not _at_most_words(line, _MAX_KICKER_WORDS):
            title = line
        elif title is not None:
            break  # a second label after the headline is the start of the text (a subhead)
        index += 1
    if (title is None and date is None) or not any(lines[index:]):
        return lines  # no header, or nothing but a "header": then it is the text
    page.title = page.title or title
    page.date = _more_precise(page.date, date)
    return lines[index:]


def _take_dateline_credit(lines: list[str], page: Page) -> None:
    """Record the agency of a "Berlin (dpa) - …" dateline; the dateline stays in the text."""
    first = next((line for line in lines if line), "")
    match = _DATELINE_CREDIT.match(first)
    if match:
        credit = _agency_credit(f"({match.group(1)})")
        if credit is not None:
            _add_agencies(page, credit[0])


def _looks_like_label(line: str, max_words: int) -> bool:
    """A headline, kicker, dateline or alt text: short, and not closed like a sentence."""
    return (
        _at_most_words(line, max_words)
        and not _SENTENCE_CLOSE.search(line)
        and not _SENTENCE_BOUNDARY.search(line)
    )


def _at_most_words(line: str, limit: int) -> bool:
    """Whether the line has at most `limit` words, without splitting all of a long line."""
    return len(line.split(None, limit)) <= limit


def _agency_credit(text: str) -> tuple[list[str], str | None] | None:
    """Parse "wa/pgr (dpa, afp, rtr)" or "(APA, red, 30.12.2021)"; None if it is not a credit."""
    match = _CREDIT_GROUP.search(text)
    if not match:
        return None
    before = text[: match.start()].strip()
    if before and not _INITIALS.match(before):
        return None
    agencies: list[str] = []
    date: str | None = None
    for item in re.split(r"[,/;]", match.group(1)):
        item = item.strip()
        name = AGENCIES.get(item.lower())
        numeric = _NUMERIC_DATE.match(item)
        if name:
            agencies.append(name)
        elif numeric:
            day, month, year = (int(part) for part in numeric.groups())
            date = f"{year:04d}-{month:02d}-{day:02d}"
        elif not _INITIALS.match(item):
            return None
    if not agencies:
        return None
    return agencies, date


def _add_agencies(page: Page, agencies: list[str]) -> None:
    for agency in agencies:
        if agency not in page.agencies:
            page.agencies.append(agency)


def _more_precise(known: str | None, found: str | None) -> str | None:
    """Of two ISO dates for one article, keep the longer (day beats month) when they agree."""
    if known is None:
        return found
    if found is None:
        return known
    if found.startswith(known) or len(found) > len(known):
        return found
    return known
