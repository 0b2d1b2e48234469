"""Report injection: ids, titles and paths are untrusted; every report format escapes them
for its consumer, so no id can add a GitHub annotation, break the JUnit XML, move a CSV
column, end a Markdown table row or send a terminal escape.

(Property-based tests of the same writers with random text are in test_fuzz.py.)"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ElementTree

import pytest

from dedup.io.safe_text import one_line

HOSTILE_IDS = [
    "a\n::error file=x.py,line=1::injected annotation",
    "b\x00\x07\x1b[31mred\x1b[0m\ud800\ufffe<x/>&\"'",
    "c%0A::error::escaped-already,with:commas",
    "d | pipe\r\nin markdown",
    "e [bold]rich markup[/bold] \u202eevil",
]
# How the reader gives them: half a character (a lone surrogate) is U+FFFD (dedup.io.records).
READ_IDS = [hostile_id.replace("\ud800", "\ufffd") for hostile_id in HOSTILE_IDS]


@pytest.fixture
def hostile(tmp_path, articles, monkeypatch):
    """An index of one article, and a batch of five copies of it under hostile ids, in a
    file whose own name holds a newline and a workflow command."""
    monkeypatch.chdir(tmp_path)
    text = articles.text(1301)
    articles.write_jsonl(tmp_path / "base.jsonl", [{"id": "base", "text": text}])
    batch = tmp_path / "new\n::error::file.jsonl"
    records = [{"id": hostile_id, "text": articles.edited_copy(text, seed=n), "title": hostile_id}
               for n, hostile_id in enumerate(HOSTILE_IDS)]
    # ASCII JSON: "\ud800" as an escape, the lone surrogate a JSON parser gives back
    batch.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="ascii")
    return batch


def _check(dedup_cli, batch, output_format):
    assert dedup_cli("index", "add", "base.jsonl", "--index", "index.db", "-q").code == 0
    run = dedup_cli("check", batch.name, "--against", "index.db", "--format", output_format)
    assert run.code == 1, run.stderr
    return run.stdout


def test_github_annotations_cannot_be_injected(dedup_cli, hostile):
    lines = _check(dedup_cli, hostile, "github").splitlines()

    # One annotation per incoming document, then the totals as a notice; nothing else.
    *annotations, totals = lines
    assert len(annotations) == len(HOSTILE_IDS)
    assert all(line.startswith("::error file=") for line in annotations)
    assert totals.startswith("::notice title=dedup check FAILED::")
    assert not any("injected annotation" in line and line.startswith("::error file=x.py") for line in lines)
    assert all("\x1b" not in line and "\r" not in line for line in lines)


def test_junit_stays_well_formed_xml(dedup_cli, hostile):
    xml = _check(dedup_cli, hostile, "junit")

    root = ElementTree.fromstring(xml.encode("utf-8"))
    names = [case.get("name") for case in root.iter("testcase")]
    assert len(names) == len(HOSTILE_IDS)
    assert all("\x00" not in name and "\n" not in name for name in names)
    assert "\x1b" not in xml and "\ufffe" not in xml


def test_json_gives_the_ids_back_exactly(dedup_cli, hostile):
    document = json.loads(_check(dedup_cli, hostile, "json"))

    assert set(READ_IDS) <= set(_strings(document))


def test_sarif_messages_name_each_id_on_one_line(dedup_cli, hostile):
    document = json.loads(_check(dedup_cli, hostile, "sarif"))

    messages = " ".join(result["message"]["text"] for result in document["runs"][0]["results"])
    assert all(one_line(read_id) in messages for read_id in READ_IDS)
    assert "\n" not in messages and "\x1b" not in messages


def test_table_shows_escapes_not_terminal_controls(dedup_cli, hostile):
    table = _check(dedup_cli, hostile, "table")

    assert "\x1b" not in table and "\x00" not in table and "\u202e" not in table and "\r" not in table
    assert "15 finding(s)" in " ".join(table.split())


def test_scan_csv_and_markdown_keep_one_row_per_member(dedup_cli, hostile):
    csv_text = dedup_cli("scan", hostile.name, "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    # For spreadsheets: each id on one line, control characters as visible escapes.
    assert {row["id"] for row in rows} == {one_line(read_id) for read_id in READ_IDS}

    markdown = dedup_cli("scan", hostile.name, "--format", "markdown").stdout
    table_rows = [line for line in markdown.splitlines() if line.startswith("|")]
    assert all(line.rstrip().endswith("|") for line in table_rows)
    widths = {line.count("|") - line.count("\\|") for line in table_rows}
    assert len(widths) == 1, "an id moved a Markdown column"


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
