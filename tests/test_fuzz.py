"""Property-based fuzzing (issue 14): hostile input never crashes dedup, and its reports parse back.

Random bytes, random Unicode (control characters, NUL, lone surrogates, byte-order marks,
CR-only line ends, very long lines) and markup that means something to some consumer
(`<script>`, Rich's `[bold]`, terminal escapes, Markdown pipes, spreadsheet formulas) go
into the readers, the page cleaner, the segmenter and every report writer. The properties:

- readers: only articles and `InputError`s come out (never an exception); every article
  has text; good records beside bad lines are all kept;
- page cleaner and segmenter: any string in, well-formed output (lines of the input,
  spans inside the text, in order) out;
- writers: JSON and JSON Lines load back to the same ids; CSV reads back one row per
  member with formula-safe cells; a Markdown table keeps its shape; the HTML page parses
  with no tag or attribute from the data; the terminal table carries no control character
  from the input.

Set DEDUP_FUZZ_EXAMPLES to run more examples than the quick default (a nightly job).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dedup.facts.segment import is_heading, split_sentences
from dedup.io.compare_render import (
    render_compare,
    write_compare_html,
    write_compare_json,
    write_compare_markdown,
)
from dedup.io.decoding import ReadFailure
from dedup.io.inputs import read_inputs
from dedup.io.safe_text import one_line, printable
from dedup.io.table import error_lines, looks_like_hash, render_table, summary
from dedup.io.writers import write_csv, write_json, write_jsonl, write_markdown
from dedup.model import (
    AlignedRow,
    Article,
    Atom,
    AtomStatus,
    Cluster,
    DiffSegment,
    Evidence,
    FactDiff,
    InputError,
    Pair,
    Relation,
    RowKind,
    ScanResult,
    UserProblem,
)
from dedup.text.page import AGENCIES, clean_article, clean_page

FUZZ = settings(
    max_examples=int(os.environ.get("DEDUP_FUZZ_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
# Reading files costs more per example (disk, trafilatura): fewer of them.
FUZZ_FILES = settings(FUZZ, max_examples=max(20, FUZZ.max_examples // 2))

# --- strategies --------------------------------------------------------------------------------

# Fragments that mean something to some consumer of dedup's input or output.
HOSTILE = (
    "<script>alert(1)</script>", "</script>", "<!--", "-->", "<b onmouseover=alert(1)>", "]]>", "<br>",
    "&amp;", "&lt;", "&", "[bold]", "[red]x[/red]", "[/]", "[link=http://x]", ":smile:",
    "\x1b[31m", "\x1b[2J", "\x1b]8;;http://evil\x1b\\", "\x07", "\x00", "\x08", "\x7f", "\x85", "\x9b",
    "\ufeff", "\ufffe", "\uffff", "\ud800", "\udfff", "\u2028", "\u2029", "\u202e", "\u2066", "\u200b", "\u0301",
    "\r", "\r\n", "\n", "\n\n", "\t", "\x0b", "\x0c", "\x1c", " ", "\u00a0",
    "|", "\\|", ",", ";", '"', "'", "`", "\\", "*", "_", "#", "~", "!",
    "=HYPERLINK(\"http://x\")", "+1", "-1", "@SUM(A1)", "::error::", "%0A", "%",
    "😀", "👩‍👩‍👧", "ä", "Jänner", "ß", "ﬁ", "中文", "עברית",
    "Dr.", "10. Jänner", "„Zitat.“", "»Nein.« ", "(dpa)", "wa/pgr (dpa, afp, rtr)", "Bild: AFP",
    "http://example.org/a", "date 2021-12-31 ", "Zum Inhalt springen", ". ", "? ", "A. ",
)
_FRAGMENTS = st.one_of(st.text(max_size=12), st.sampled_from(HOSTILE))
# Any string, hostile fragments included (lone surrogates among them).
texts = st.lists(_FRAGMENTS, max_size=10).map("".join)
nonblank = texts.filter(lambda text: text.strip() != "")
# A short text run long: lines of tens of kilobytes.
long_texts = st.builds(lambda text, times: text * times, nonblank, st.integers(200, 3000)).filter(
    lambda text: len(text) < 200_000)
any_text = st.one_of(texts, texts, texts, long_texts)
# Text every Unicode encoding can hold (no lone surrogates).
encodable = texts.map(lambda text: re.sub("[\ud800-\udfff]", "", text))


def _encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-8":
        return text.encode("utf-8", "surrogatepass")  # a lone surrogate as the invalid bytes it becomes
    return text.encode(encoding, "replace")


@st.composite
def text_bytes(draw, text=any_text) -> bytes:
    """Text as some encoding, with some line ends, perhaps with a byte-order mark."""
    value = draw(text)
    line_end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    value = value.replace("\n", line_end)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "latin-1"]))
    return _encode(value, encoding)


_FIELD_NAMES = ("id", "text", "title", "source", "date", "url", "lang", "body", "")
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(_FIELD_NAMES) | texts, children, max_size=5),
    max_leaves=12,
)
records = st.fixed_dictionaries({}, optional={name: st.one_of(texts, json_values) for name in _FIELD_NAMES[:7]})


def _json_line(value: object, ascii_only: bool) -> bytes:
    return json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


@st.composite
def jsonl_bytes(draw) -> bytes:
    lines = draw(st.lists(st.one_of(
        st.builds(_json_line, records, st.booleans()),
        st.builds(_json_line, json_values, st.booleans()),
        st.binary(max_size=80),
        st.sampled_from([b"[" * 100_000, b"1" * 5000, b'{"text": "\\ud800"}', b"\xef\xbb\xbf{}", b"\xff\xfe{}", b""]),
    ), max_size=8))
    return draw(st.sampled_from([b"\n", b"\r\n", b"\r"])).join(lines)


@st.composite
def csv_bytes(draw) -> bytes:
    header = draw(st.lists(st.sampled_from(_FIELD_NAMES) | texts, max_size=5))
    rows = draw(st.lists(st.lists(texts, max_size=6), max_size=6))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=draw(st.sampled_from(["\n", "\r\n", "\r"])))
    writer.writerow(header)
    writer.writerows(rows)
    value = buffer.getvalue()
    if draw(st.booleans()):  # an unclosed quote, a stray quote
        value = value + draw(st.sampled_from(['"', 'a"b', '"abc\n', "\x00"]))
    return _encode(value, draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"])))


_TAGS = ("html", "head", "body", "title", "meta", "article", "main", "div", "p", "span", "a", "b", "h1", "h2", "br",
         "ul", "li", "table", "tr", "td", "script", "style", "noscript", "template", "iframe", "svg", "math", "text",
         "time", "figure", "figcaption", "img", "form", "select", "option", "textarea", "header", "footer", "nav")
# Tag soup: opening, closing and self-closing tags of every kind in any order, with text
# between (htmldate asserted on "<svg><script>…</script><text>…</text></svg>").
tag_soup = st.lists(st.one_of(
    st.sampled_from(_TAGS).map("<{}>".format), st.sampled_from(_TAGS).map("</{}>".format),
    st.sampled_from(_TAGS).map("<{} />".format),
    st.builds('<{} {}="{}">'.format, st.sampled_from(_TAGS), st.sampled_from(["class", "content", "datetime", "href", "lang"]),
              texts.map(lambda text: text.replace('"', ""))),
    texts, st.just("Der Kanzler sagte am Montag in Berlin, die Lage sei ernst, und kündigte Gespräche an. "),
), max_size=30).map("".join)


@st.composite
def html_bytes(draw) -> bytes:
    title, body, other = draw(texts), draw(st.one_of(any_text, tag_soup)), draw(st.one_of(texts, tag_soup))
    page = draw(st.sampled_from([
        ("<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>{body}</p>"
         "<script>{other}</script></article></body></html>"),
        "<p>{body}</p><p>{other}</p>",
        "{body}",
        "<html><body><div><p>{body}<!-- {other} <p>{title}</div></body>",
        "<?xml version='1.0'?><html><body><![CDATA[{other}]]><p>{body}</p></body></html>",
        '<meta charset="{other}"><meta name="date" content="{title}"><p>{body}</p>',
    ]))
    return _encode(page.format(title=title, body=body, other=other), draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16"])))


_SUFFIXES = (".txt", ".md", ".html", ".htm", ".json", ".jsonl", ".csv")


def _bytes_for(suffix: str):
    """Random bytes, or text, or a file that is nearly of the suffix's format."""
    shaped = {".html": html_bytes(), ".htm": html_bytes(), ".jsonl": jsonl_bytes(), ".csv": csv_bytes(),
              ".json": st.builds(_json_line, json_values | st.lists(records, max_size=4), st.booleans())}
    return st.one_of(st.binary(max_size=300), text_bytes(), shaped.get(suffix, text_bytes()))


corpus_files = st.lists(
    st.sampled_from(_SUFFIXES).flatmap(lambda suffix: st.tuples(st.just(suffix), _bytes_for(suffix))),
    min_size=1, max_size=4,
)


def _as_json(value: object) -> object:
    """A value as JSON carries it: a lone surrogate stays itself, but a high and a low one
    side by side are one character to any JSON reader."""
    return json.loads(json.dumps(value))


def _whole_characters(text: str) -> str:
    """The text with each lone surrogate as U+FFFD: a reader may keep half a character or
    replace it (records.py does), but it must not lose the record."""
    return re.sub("[\ud800-\udfff]", "\ufffd", _as_json(text))


def read_all(paths: list[str]) -> list[Article | InputError]:
    """What a scan reads from `paths`, loading pending files and lines as its workers do.

    A ReadFailure or UserProblem escaping is a documented input error: it is turned into an
    InputError here; any other exception fails the property."""
    documents: list[Article | InputError] = []
    try:
        for item in read_inputs(paths):
            documents.extend([item] if isinstance(item, Article | InputError) else item.load())
    except (ReadFailure, UserProblem) as error:
        documents.append(InputError(str(paths), str(error)))
    return documents


def assert_well_formed(documents: list[Article | InputError]) -> None:
    for document in documents:
        assert isinstance(document, Article | InputError), document
        if isinstance(document, Article):
            assert isinstance(document.id, str) and document.id
            assert isinstance(document.text, str) and document.text.strip(), document
            for value in (document.title, document.source, document.date, document.url, document.lang):
                assert value is None or isinstance(value, str)
        else:
            assert isinstance(document.message, str) and document.message
            assert document.line is None or (isinstance(document.line, int) and document.line >= 1)


# --- 1. readers ----------------------------------------------------------------------------------


@FUZZ_FILES
@given(corpus_files)
def test_any_bytes_in_a_corpus_folder_give_articles_or_input_errors(files):
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for number, (suffix, data) in enumerate(files):
            path = Path(folder, f"f{number}{suffix}")
            path.write_bytes(data)
            paths.append(str(path))

        from_folder = read_all([folder])
        assert_well_formed(from_folder)
        named = read_all(paths)  # each file named on the command line
        assert_well_formed(named)
        for path, (suffix, _) in zip(paths, files, strict=True):
            said = [document for document in named if (document.origin if isinstance(document, Article)
                                                        else document.input).startswith(path)]
            if suffix in (".txt", ".md", ".html", ".htm", ".jsonl", ".csv"):
                assert said, f"{path}: neither an article nor an error"


@FUZZ
@given(st.lists(st.one_of(any_text, st.sampled_from(HOSTILE)), min_size=1, max_size=3).map("".join),
       st.sampled_from(["\n", "\r\n", "\r"]))
def test_a_text_file_is_read_as_written_or_refused_with_a_reason(text, line_end):
    text = re.sub("[\ud800-\udfff]", "", text).replace("\n", line_end)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "article.txt")
        path.write_bytes(text.encode("utf-8"))
        documents = read_all([folder])
    assert_well_formed(documents)
    assert len(documents) == 1
    if "\x00" not in text and text.lstrip("\ufeff").strip():
        assert isinstance(documents[0], Article), documents[0]
    if isinstance(documents[0], Article):
        assert documents[0].id == "article.txt"
        assert documents[0].text == text.lstrip("\ufeff")


@st.composite
def good_and_bad_jsonl(draw) -> tuple[bytes, dict[str, str]]:
    """JSON Lines whose good records ("good-N") stand among bad lines of every kind."""
    good: dict[str, str] = {}
    lines: list[bytes] = []
    for number in range(draw(st.integers(1, 6))):
        record_id = f"good-{number}-{draw(texts)}"
        text = draw(nonblank)
        good[record_id] = text
        record = {"id": record_id, "text": text}
        if draw(st.booleans()):
            record["title"] = draw(json_values)
        lines.append(_json_line(record, ascii_only=True))
        lines += draw(st.lists(st.one_of(
            # A bad line of bytes: not a newline, nor a NUL byte (a file with those in its
            # first kilobytes is refused as binary; see test_one_damaged_jsonl_line_…).
            st.binary(max_size=60).map(lambda data: data.replace(b"\n", b"").replace(b"\x00", b"")),
            st.builds(_json_line, json_values, st.booleans()),
            st.builds(_json_line, st.fixed_dictionaries({"id": texts}, optional={"text": st.sampled_from(["", " \n", None, 7, [], {}])}), st.booleans()),
            st.sampled_from([b"[" * 50_000, b"9" * 5000, b"\xff\xfe", b"{", b"\r", b"   "]),
        ), max_size=3))
    return draw(st.sampled_from([b"\n", b"\r\n"])).join(lines) + draw(st.sampled_from([b"", b"\n"])), good


@FUZZ
@given(good_and_bad_jsonl())
def test_good_jsonl_records_beside_bad_lines_are_all_kept(case):
    data, good = case
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "corpus.jsonl").write_bytes(data)
        documents = read_all([folder])
    assert_well_formed(documents)
    read = {_whole_characters(document.id): _whole_characters(document.text)
            for document in documents if isinstance(document, Article)}
    for record_id, text in good.items():
        assert read.get(_whole_characters(record_id)) == _whole_characters(text), f"lost {record_id!r}"


@st.composite
def good_and_bad_csv(draw) -> tuple[bytes, dict[str, str]]:
    """A CSV whose good rows ("good-N") stand among rows without text, short or long rows."""
    cell = encodable.map(lambda text: text.replace("\x00", ""))
    good: dict[str, str] = {}
    rows: list[list[str]] = []
    for number in range(draw(st.integers(1, 6))):
        record_id = f"good-{number}-{draw(cell)}"
        text = draw(cell.filter(lambda text: text.strip() != ""))
        good[record_id] = text
        rows.append([record_id, text, draw(cell)] + draw(st.lists(cell, max_size=2)))
        rows += draw(st.lists(st.one_of(
            st.builds(lambda value, blank: [value, blank], cell, st.sampled_from(["", " ", "\r\n", "\t"])),
            st.lists(cell, max_size=1),
        ), max_size=3))
    buffer = io.StringIO()
    line_end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    # (the csv module quotes a field with a line end only if it is in `lineterminator`)
    quoting = csv.QUOTE_MINIMAL if line_end == "\r\n" else csv.QUOTE_ALL
    writer = csv.writer(buffer, lineterminator=line_end, quoting=quoting)
    writer.writerow(["id", "text", "title"])
    writer.writerows(rows)
    return draw(st.sampled_from(["", "\ufeff"])).encode() + buffer.getvalue().encode("utf-8"), good


@FUZZ
@given(good_and_bad_csv())
def test_good_csv_rows_beside_bad_rows_are_all_kept(case):
    data, good = case
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "corpus.csv").write_bytes(data)
        documents = read_all([folder])
    assert_well_formed(documents)
    read = {document.id: document.text for document in documents if isinstance(document, Article)}
    for record_id, text in good.items():
        assert read.get(record_id) == text, f"lost {record_id!r}"


# --- 2. the page cleaner -------------------------------------------------------------------------


@FUZZ
@given(any_text)
def test_the_page_cleaner_takes_any_text_and_keeps_lines_of_it(text):
    page = clean_page(text)

    assert isinstance(page.text, str)
    assert page.text == page.text.strip()
    assert "\r" not in page.text and "\ufeff" not in page.text and "\n\n\n" not in page.text
    # It never rewrites a line it keeps, nor moves one: each is a piece of an input line
    # (a date stamp or a credit cut off), in the input's order. (Cleaning is not idempotent,
    # nor meant to be: "date 2021-12-31 date 2021-12-31" loses one stamp per pass.)
    given_lines = iter(text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "").split("\n"))
    for line in page.text.split("\n"):
        assert any(line in given for given in given_lines), line
    for value in (page.title, page.date, page.url):
        assert value is None or (isinstance(value, str) and value)
    assert set(page.agencies) <= set(AGENCIES.values())
    assert len(page.agencies) == len(set(page.agencies))

    article = clean_article(Article(id="a", text=text))
    assert article.text == page.text and article.agencies == tuple(page.agencies)


# --- 3. the segmenter ----------------------------------------------------------------------------


@FUZZ
@given(any_text)
def test_sentences_are_spans_of_the_text_in_order(text):
    sentences = split_sentences(text)

    end = 0
    for index, sentence in enumerate(sentences):
        assert sentence.index == index
        assert end <= sentence.start < sentence.end <= len(text)
        assert text[sentence.start:sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip()
        assert "\n" not in sentence.text
        if index:
            assert sentence.paragraph >= sentences[index - 1].paragraph
        end = sentence.end
        is_heading(sentence, sentences)
    # No text is lost: every character but whitespace stands in a sentence.
    assert "".join("".join(s.text.split()) for s in sentences) == "".join(text.split())


# --- 4. the report writers -------------------------------------------------------------------------

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
ids = st.one_of(nonblank, st.sampled_from(HOSTILE).filter(str.strip))
optional_texts = st.none() | texts
scores = st.floats(0, 1)


@st.composite
def evidence(draw) -> Evidence | None:
    if draw(st.booleans()):
        return None
    # Signal names and kinds of shared evidence come from the pair model, not from the data.
    names = st.sampled_from(["stems_shared", "names_shared", "baseline", "dates_shared", "new_signal"])
    return Evidence(
        score=draw(scores),
        signals=draw(st.dictionaries(names, st.floats(-50, 50), max_size=3)),
        shared=draw(st.dictionaries(st.sampled_from(["names", "numbers", "dates", "quoted words", "title stems"]),
                                    st.lists(texts, max_size=3).map(tuple), max_size=3)),
        days_apart=draw(st.none() | st.integers(0, 5000)),
        contributions=draw(st.dictionaries(names, st.floats(-50, 50), max_size=4)),
    )


@st.composite
def scan_results(draw) -> ScanResult:
    members = draw(st.lists(ids, max_size=8, unique=True))
    documents = {
        member: Article(id=member, text="", title=draw(optional_texts), source=draw(optional_texts),
                        date=draw(optional_texts), origin=draw(texts))
        for member in members
    }
    clusters: list[Cluster] = []
    remaining = list(members)
    while len(remaining) >= 2 and draw(st.booleans()):
        size = draw(st.integers(2, len(remaining)))
        group, remaining = remaining[:size], remaining[size:]
        pairs = [Pair(a, b, draw(st.sampled_from(Relation)), draw(scores), draw(scores), draw(evidence()))
                 for a, b in itertools.pairwise(group)]
        clusters.append(Cluster(f"c{len(clusters) + 1}", Relation.loosest(pair.relation for pair in pairs), group, pairs))
    errors = draw(st.lists(st.builds(InputError, texts, texts.map(lambda text: text or "?"),
                                     st.none() | st.integers(1, 10**6)), max_size=3))
    stubs = draw(st.lists(st.sampled_from(members), unique=True)) if members else []
    return ScanResult(mode=draw(st.sampled_from(["copy", "story"])), documents=documents, clusters=clusters,
                      errors=errors, candidate_pairs=draw(st.integers(0, 10**6)), stubs=stubs,
                      furniture=draw(st.dictionaries(texts, st.integers(0, 100), max_size=2)))


def _utf8(report: str) -> str:
    """The report as the file or pipe it is written to receives it."""
    return report.encode("utf-8").decode("utf-8")



@FUZZ
@given(scan_results())
def test_the_json_report_loads_back_to_the_same_ids(result):
    document = json.loads(_utf8(write_json(result)))

    assert document["schema"] == "dedup.scan/1"
    assert document["documents"] == len(result.documents)
    assert [cluster["members"] for cluster in document["clusters"]] == \
        _as_json([cluster.members for cluster in result.clusters])
    assert [[[pair["a"], pair["b"]] for pair in cluster["pairs"]] for cluster in document["clusters"]] == \
        _as_json([[(pair.a, pair.b) for pair in cluster.pairs] for cluster in result.clusters])
    assert [[error["input"], error["line"], error["message"]] for error in document["errors"]] == \
        _as_json([(error.input, error.line, error.message) for error in result.errors])
    assert document["stubs"] == _as_json(result.stubs) and document["furniture"] == _as_json(result.furniture)

    lines = _utf8(write_jsonl(result)).split("\n")
    assert lines[-1] == ""
    loaded = [json.loads(line) for line in lines[:-1]]
    assert [line["type"] for line in loaded] == ["scan"] + ["cluster"] * len(result.clusters) + ["error"] * len(result.errors)
    assert [line["members"] for line in loaded if line["type"] == "cluster"] == _as_json([c.members for c in result.clusters])


def _expected_cell(value: str | None) -> str:
    """What the CSV writer promises for untrusted text: printable, on one line, never a formula."""
    text = one_line(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


@FUZZ
@given(scan_results())
def test_the_csv_report_reads_back_one_row_per_member(result):
    rows = list(csv.reader(io.StringIO(_utf8(write_csv(result)), newline="")))

    assert rows[0] == ["cluster", "relation", "size", "id", "title", "source", "date"]
    expected = [(cluster.id, cluster.relation.value, str(len(cluster.members)), _expected_cell(member),
                 _expected_cell(result.documents[member].title))
                for cluster in result.clusters for member in cluster.members]
    assert [tuple(row[:5]) for row in rows[1:]] == expected
    for row in rows[1:]:
        assert len(row) == 7
        for cell in row:
            assert not _CONTROL.search(cell) and "\n" not in cell and "\r" not in cell
            assert cell[:1] not in ("=", "+", "-", "@", "\t")
    # An id that needs no escaping comes back exactly.
    for cluster in result.clusters:
        for member in cluster.members:
            if member == one_line(member) and member[:1] not in "=+-@":
                assert any(row[3] == member for row in rows[1:])


def _unescaped_pipes(row: str) -> int:
    """The pipes of a Markdown table row that split cells: those not escaped by a backslash."""
    count = 0
    for match in re.finditer(r"\|", row):
        backslashes = len(row[:match.start()]) - len(row[:match.start()].rstrip("\\"))
        count += backslashes % 2 == 0
    return count


def _markdown_table(report: str, header: str) -> list[str]:
    lines = report.split("\n")
    start = lines.index(header) + 2
    end = next((number for number in range(start, len(lines)) if not lines[number].startswith("|")), len(lines))
    return lines[start:end]


@FUZZ
@given(scan_results(), st.booleans())
def test_the_markdown_report_keeps_one_table_row_per_cluster(result, explain):
    report = _utf8(write_markdown(result, explain))

    assert not _CONTROL.search(report)
    if result.clusters:
        header = "| cluster | relation | size | similarity | same event | members |"
        rows = _markdown_table(report, header)
        assert len(rows) == len(result.clusters)
        for row, cluster in zip(rows, result.clusters, strict=True):
            assert _unescaped_pipes(row) == 7, row
            assert len(row.split("<br>")) == len(cluster.members)
    if result.errors:
        errors = report.split("\n## Errors\n\n", 1)[1].rstrip("\n").split("\n")
        assert len(errors) == len(result.errors) and all(line.startswith("- ") for line in errors)
    if explain:
        for line in report.split("\n"):
            # An explanation line stays one list item: nothing in it starts a block.
            assert not line.startswith(("#", ">", "```")) or line.startswith(("# dedup scan", "## "))


def _plain_console(width: int):
    from rich.console import Console

    return Console(file=io.StringIO(), width=width, color_system=None, force_terminal=False, highlight=False,
                   legacy_windows=False)


def _colour_console(width: int):
    from rich.console import Console

    return Console(file=io.StringIO(), width=width, color_system="truecolor", force_terminal=True, highlight=False,
                   legacy_windows=False)


_RICH_STYLE = re.compile(r"\x1b\[[0-9;]*m")


def _assert_terminal_safe(output: str) -> None:
    assert not _CONTROL.search(output.replace("\n", "")), repr(output)


@FUZZ
@given(scan_results(), st.integers(40, 200), st.booleans())
def test_the_terminal_table_sends_no_control_characters_from_the_input(result, width, explain):
    plain = _plain_console(width)
    render_table(result, plain, explain=explain)
    plain.print(error_lines(result, 5))
    output = plain.file.getvalue()
    _assert_terminal_safe(output)

    colour = _colour_console(width)
    render_table(result, colour, explain=explain)
    colour.print(error_lines(result, 5))
    # Rich's own styles are the only escape sequences.
    _assert_terminal_safe(_RICH_STYLE.sub("", colour.file.getvalue()))

    # Markup in the data is text: a wide table shows each id and title as written (a hash
    # id of a titled article by its first characters).
    wide = _plain_console(2000)
    render_table(result, wide)
    for cluster in result.clusters:
        for member in cluster.members[:8]:
            title = one_line(result.documents[member].title)
            shown_id = one_line(member)[:8] if title and looks_like_hash(member) else one_line(member)
            for label in (shown_id, title):
                if label and len(label) < 60 and "\t" not in label and label == label.strip():
                    assert label in wide.file.getvalue(), label
    assert isinstance(summary(result).plain, str)


# --- compare reports ------------------------------------------------------------------------------

segments = st.builds(DiffSegment, st.sampled_from(["equal", "equivalent", "moved", "left", "right"]), texts, texts)
rows = st.builds(
    AlignedRow, st.sampled_from(RowKind), st.lists(st.integers(0, 50), max_size=3).map(tuple),
    st.lists(st.integers(0, 50), max_size=3).map(tuple), texts, texts, scores,
    st.lists(segments, max_size=6).map(tuple), st.lists(texts, max_size=2).map(tuple),
)
atoms = st.builds(Atom, st.sampled_from(["quote", "number", "date", "person", "place", "agency"]) | texts, texts,
                  st.lists(texts, max_size=3).map(tuple), st.lists(texts, max_size=3).map(tuple), st.sampled_from(AtomStatus))
reports = st.builds(Article, id=ids, text=texts, title=optional_texts, source=optional_texts, date=optional_texts,
                    url=optional_texts, agencies=st.lists(texts, max_size=2).map(tuple))
fact_diffs = st.builds(FactDiff, reports, reports, st.lists(texts, max_size=3), st.lists(texts, max_size=3),
                       st.lists(rows, max_size=5), st.lists(atoms, max_size=5))


class _Page(HTMLParser):
    """The tags, attributes and text of a page, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)


_PAGE_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "br", "span", "mark", "div",
              "table", "tr", "th", "td", "ul", "li"}
_PAGE_ATTRIBUTES = {"lang", "charset", "class", "title", "name", "content"}  # name/content: the generator mark


def _shown(text: str | None) -> str:
    """A one-line, printable text as a report shows it."""
    return printable(re.sub(r"\s*[\r\n]+\s*", " ", text or ""))


@FUZZ
@given(fact_diffs)
def test_the_html_compare_page_parses_and_shows_the_data_as_text(diff):
    page = write_compare_html(diff)
    _utf8(page)
    parser = _Page()
    parser.feed(page)
    parser.close()

    assert "<script" not in page.lower()
    for tag, attributes in parser.tags:
        assert tag in _PAGE_TAGS, tag
        for name, _ in attributes:
            assert name in _PAGE_ATTRIBUTES, name
    text = "".join(parser.text)
    assert not _CONTROL.search(text.replace("\n", ""))
    for report in (diff.left, diff.right):
        assert _shown(report.title) in text and _shown(report.id) in text
    for row in diff.rows:
        if row.kind not in (RowKind.PARAPHRASE, RowKind.CONFLICT) or not row.diff:
            assert _shown(row.left_text) in text and _shown(row.right_text) in text
        for conflict in row.conflicts:
            assert _shown(conflict) in text
    for atom in diff.atoms:
        for form in atom.left + atom.right:
            assert _shown(form) in text


@FUZZ
@given(fact_diffs)
def test_the_compare_json_and_markdown_keep_their_shape(diff):
    document = json.loads(_utf8(write_compare_json(diff)))
    assert [document["left"]["id"], document["right"]["title"]] == _as_json([diff.left.id, diff.right.title])
    assert [[row["left_text"], row["right_text"]] for row in document["rows"]] == \
        _as_json([(row.left_text, row.right_text) for row in diff.rows])
    assert [[atom["left"], atom["right"]] for atom in document["atoms"]] == \
        _as_json([(atom.left, atom.right) for atom in diff.atoms])

    markdown = _utf8(write_compare_markdown(diff))
    assert not _CONTROL.search(markdown)
    table = _markdown_table(markdown, "| kind | left | right |")
    assert len(table) == len(diff.rows)
    assert all(_unescaped_pipes(row) == 4 for row in table), table
    if diff.atoms:
        table = _markdown_table(markdown, "| type | status | value | left | right |")
        assert len(table) == len(diff.atoms)
        assert all(_unescaped_pipes(row) == 6 for row in table), table


@FUZZ
@given(fact_diffs, st.integers(40, 200))
def test_the_terminal_compare_sends_no_control_characters_from_the_input(diff, width):
    plain = _plain_console(width)
    render_compare(diff, plain)
    _assert_terminal_safe(plain.file.getvalue())
    colour = _colour_console(width)
    render_compare(diff, colour)
    _assert_terminal_safe(_RICH_STYLE.sub("", colour.file.getvalue()))


# --- end to end: compare ----------------------------------------------------------------------------

paragraphs = st.lists(st.one_of(nonblank, st.sampled_from(HOSTILE)), min_size=1, max_size=8).map(" ".join)


@FUZZ
@given(paragraphs, paragraphs)
def test_comparing_two_hostile_reports_gives_a_diff_every_writer_renders(left_text, right_text):
    from dedup import compare

    diff = compare(Article(id="left", text=left_text, title=left_text[:40]), Article(id="right", text=right_text))

    json.loads(_utf8(write_compare_json(diff)))
    _utf8(write_compare_markdown(diff))
    parser = _Page()
    parser.feed(_utf8(write_compare_html(diff)))
    assert all(tag in _PAGE_TAGS for tag, _ in parser.tags)
    console = _plain_console(100)
    render_compare(diff, console)
    _assert_terminal_safe(console.file.getvalue())


# --- check reports (SARIF, JUnit, GitHub annotations) -----------------------------------------------


@st.composite
def check_results(draw):
    from dedup.model import CheckResult, Finding

    # Ids and origins of whole characters, as the readers give them (dedup.io.records and
    # read_files.shown_path spell half a character as U+FFFD or an escape).
    whole = ids.map(lambda text: re.sub("[\ud800-\udfff]", "\ufffd", text))
    origins = texts.map(lambda text: re.sub("[\ud800-\udfff]", "\ufffd", text))
    documents = draw(st.lists(st.builds(Article, id=whole, text=st.just(""), title=optional_texts, origin=origins),
                              max_size=5, unique_by=lambda article: article.id))
    others = st.builds(Article, id=whole, text=st.just(""), origin=origins)
    findings = [Finding(document, draw(others), draw(st.booleans()), draw(st.sampled_from(Relation)), draw(scores),
                        draw(scores), draw(st.none() | scores), draw(st.none() | st.sampled_from(["copy", "story", "distinct"])))
                for document in documents for _ in range(draw(st.integers(0, 2)))]
    errors = draw(st.lists(st.builds(InputError, origins, origins.map(lambda text: text or "?"),
                                     st.none() | st.integers(1, 10**6)), max_size=3))
    return CheckResult(draw(st.sampled_from(["copy", "story", "all"])), draw(st.sampled_from(Relation)), draw(nonblank),
                       documents, findings, errors)


@FUZZ
@given(check_results())
def test_the_check_reports_parse_back(result):
    from xml.etree import ElementTree

    from dedup.io.check_report import write_github, write_junit, write_sarif
    from dedup.io.check_report import write_json as write_check_json

    document = json.loads(_utf8(write_check_json(result)))
    assert [finding["document"] for finding in document["findings"]] == \
        _as_json([finding.document.id for finding in result.findings])

    sarif = json.loads(_utf8(write_sarif(result)))
    assert len(sarif["runs"][0]["results"]) == len(result.findings)

    junit = ElementTree.fromstring(_utf8(write_junit(result)).encode("utf-8"))
    assert len(junit.findall("./testsuite/testcase")) == len(result.documents) + len(result.errors)
    # One failure per failing incoming document, listing its matches.
    failing_documents = {finding.document.id for finding in result.failing}
    assert len(junit.findall(".//failure")) == len(failing_documents) == int(junit.get("failures"))

    commands = _utf8(write_github(result)).split("\n")
    assert commands[-1] == ""
    # An annotation per incoming document, within GitHub's 10 of a kind, then the totals.
    assert sum(command.startswith("::error ") for command in commands) == min(len(failing_documents), 10)
    assert sum(command.startswith("::warning ") for command in commands) == min(len(result.errors), 10)
    assert sum(command.startswith("::notice ") for command in commands) <= 10
    assert commands[-2].startswith("::notice title=dedup check ")
    for command in commands[:-1]:
        assert command.startswith(("::error ", "::notice ", "::warning ")), command
        assert "\r" not in command, command


# --- what the fuzzing found, as examples ----------------------------------------------------------


def test_a_report_of_an_id_with_half_a_character_can_be_written_as_utf8():
    # A file name that is not UTF-8 ("caf\xe9.txt" from an old archive) is such an id.
    name = os.fsdecode(b"caf\xe9.txt")
    result = ScanResult("copy", {name: Article(id=name, text=""), "b.txt": Article(id="b.txt", text="")},
                        [Cluster("c1", Relation.DUPLICATE, [name, "b.txt"], [Pair(name, "b.txt", Relation.DUPLICATE, 1.0, 1.0)])],
                        [])
    assert json.loads(write_json(result).encode("utf-8"))["clusters"][0]["members"] == [name, "b.txt"]
    assert json.loads(write_jsonl(result).encode("utf-8").split(b"\n")[1])["members"] == [name, "b.txt"]


def test_a_csv_whose_header_opens_a_quote_is_an_input_error(tmp_path):
    (tmp_path / "broken.csv").write_text('"id,text\nx,y\n', encoding="utf-8")
    (error,) = read_all([str(tmp_path)])
    assert isinstance(error, InputError) and error.line == 1 and "quoting" in error.message


def test_a_csv_with_a_header_and_no_rows_is_an_input_error(tmp_path):
    (tmp_path / "empty.csv").write_text("id,text\n", encoding="utf-8")
    (error,) = read_all([str(tmp_path)])
    assert isinstance(error, InputError) and "no rows" in error.message


def test_an_html_page_of_nothing_but_its_headline_is_an_input_error(tmp_path):
    (tmp_path / "page.html").write_text("<html><head><title>Hallo Welt</title></head><body><p>Hallo Welt</p></body></html>")
    (error,) = read_all([str(tmp_path)])
    assert isinstance(error, InputError) and "headline" in error.message


def test_tag_soup_that_trips_the_date_search_still_gives_the_text(tmp_path):
    body = "Der Kanzler sagte am Montag in Berlin, die Lage sei ernst, und kündigte Gespräche an. " * 6
    (tmp_path / "soup.html").write_text(f"<iframe src='ad'><html><body><article><p>{body}</p></article></body></html>")
    (tmp_path / "empty-soup.html").write_text("<iframe><html>")
    documents = read_all([str(tmp_path)])
    assert_well_formed(documents)
    assert {type(document).__name__ for document in documents} == {"Article", "InputError"}
    assert next(document for document in documents if isinstance(document, Article)).id == "soup.html"


@pytest.mark.parametrize("name", ["bad\x1b[2J.txt", "bad\n::error::x.txt", "bad\rx.txt"])
def test_github_annotations_of_errors_carry_no_control_characters(name):
    from dedup.io.check_report import write_github
    from dedup.model import CheckResult

    result = CheckResult("copy", Relation.COPY, "index.db", [], [], [InputError(name, "binary file")])
    lines = write_github(result).splitlines()
    assert len(lines) == 2 and lines[0].startswith("::warning ")
    assert not _CONTROL.search("".join(lines))


def test_a_file_name_that_is_not_utf8_is_read_under_an_id_every_report_can_write(tmp_path):
    from dedup.io.check_report import write_github, write_junit, write_sarif
    from dedup.io.check_report import write_json as write_check_json
    from dedup.model import CheckResult, Finding

    body = "Der Kanzler sagte am Montag in Berlin, die Lage sei ernst, und kündigte Gespräche an."
    (tmp_path / os.fsdecode(b"caf\xe9.txt")).write_text(body, encoding="utf-8")  # as an old archive names it
    (incoming,) = read_all([str(tmp_path)])
    assert incoming.id == "caf\\xe9.txt"  # the byte spelt as an escape, not half a character
    result = CheckResult("copy", Relation.COPY, "index.db", [incoming],
                         [Finding(incoming, Article(id="b.txt", text=""), True, Relation.DUPLICATE, 1.0, 1.0)], [])
    for write in (write_check_json, write_sarif, write_github, write_junit):
        write(result).encode("utf-8")


def test_one_damaged_jsonl_line_with_a_nul_byte_spoils_only_itself(tmp_path):
    (tmp_path / "corpus.jsonl").write_bytes(b'{"id": "g1", "text": "Ein Text"}\n\x00\n{"id": "g2", "text": "Ein Text"}\n')
    documents = read_all([str(tmp_path)])
    assert {document.id for document in documents if isinstance(document, Article)} == {"g1", "g2"}
