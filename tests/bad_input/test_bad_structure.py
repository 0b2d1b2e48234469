"""Structure: malformed or hostile records in JSON Lines, .json and CSV files: each
loses only itself, never the file or the run.

The contract each case is held to is in contract.py."""

from __future__ import annotations

import json

import pytest

from bad_input.contract import (
    assert_clean_stderr,
    assert_reported,
    jsonl_with_copy_pair,
    says_a_fix,
    scan_json,
)


def test_malformed_json_line_is_reported_with_its_line_and_the_others_scanned(corpus, dedup_cli, articles):
    (corpus / "feed.jsonl").write_bytes(jsonl_with_copy_pair(articles, b'{"id": "j2", "text": "unterminated'))

    run = scan_json(dedup_cli, "corpus")

    assert_reported(run, "corpus/feed.jsonl", 2, "malformed JSON")
    assert frozenset({"j1", "j3"}) in {frozenset(cluster["members"]) for cluster in run.json()["clusters"]}


@pytest.mark.parametrize("bad_line", [b"[1, 2, 3]", b'"a bare string"', b"42", b"null"])
def test_json_line_that_is_not_an_object_is_reported(corpus, dedup_cli, articles, bad_line):
    (corpus / "feed.jsonl").write_bytes(jsonl_with_copy_pair(articles, bad_line))

    run = scan_json(dedup_cli, "corpus")

    assert_reported(run, "corpus/feed.jsonl", 2, "object")
    assert frozenset({"j1", "j3"}) in {frozenset(cluster["members"]) for cluster in run.json()["clusters"]}


def test_record_without_the_text_field_is_reported_naming_text_field_option(corpus, dedup_cli, articles):
    (corpus / "feed.jsonl").write_bytes(jsonl_with_copy_pair(articles, b'{"id": "j2", "body": "Der Text steht hier."}'))

    run = scan_json(dedup_cli, "corpus")

    assert_reported(run, "corpus/feed.jsonl", 2, "'text'", "--text-field")


def test_records_without_the_mapped_text_field_name_that_field(corpus, dedup_cli, articles):
    (corpus / "feed.jsonl").write_bytes(jsonl_with_copy_pair(articles, b'{"id": "j2", "text": "kein body"}'))

    run = scan_json(dedup_cli, "corpus/feed.jsonl", options=("--text-field", "body"))

    assert run.code == 2  # no record has a "body" field: nothing could be read
    assert "'body'" in run.stderr and "--text-field" in run.stderr
    assert_clean_stderr(run.stderr)


@pytest.mark.parametrize("empty_text", ["", "   \n\t "])
def test_record_with_empty_text_is_reported(corpus, dedup_cli, articles, empty_text):
    bad_line = json.dumps({"id": "j2", "text": empty_text}).encode("utf-8")
    (corpus / "feed.jsonl").write_bytes(jsonl_with_copy_pair(articles, bad_line))

    run = scan_json(dedup_cli, "corpus")

    assert_reported(run, "corpus/feed.jsonl", 2, "empty")


def test_duplicate_id_is_reported_at_the_second_record_and_the_first_kept(corpus, dedup_cli, articles):
    text = articles.text(1030)
    articles.write_jsonl(corpus / "feed.jsonl", [
        {"id": "a", "text": text},
        {"id": "b", "text": articles.edited_copy(text)},
        {"id": "a", "text": articles.text(1031)},
    ])

    run = scan_json(dedup_cli, "corpus")

    assert_reported(run, "corpus/feed.jsonl", 3, "duplicate id", "'a'")
    # The first "a" was kept: it is the one that is a copy of "b".
    assert frozenset({"a", "b"}) in {frozenset(cluster["members"]) for cluster in run.json()["clusters"]}


def test_malformed_line_on_standard_input_is_reported_with_its_line(dedup_cli, articles, corpus):
    stdin = jsonl_with_copy_pair(articles, b"{not json")

    run = dedup_cli("scan", "-", "corpus", "--format", "json", "--jobs", "1", stdin_bytes=stdin)

    assert_reported(run, "<stdin>", 2, "malformed JSON")


def test_malformed_json_file_is_reported_with_its_line(corpus, dedup_cli):
    (corpus / "story.json").write_text('{\n  "id": "s1",\n  "text": "Ein Satz" "noch einer"\n}\n', encoding="utf-8")

    run = scan_json(dedup_cli, "corpus")

    assert_reported(run, "corpus/story.json", 3, "malformed JSON")


def test_json_file_that_is_neither_object_nor_list_is_reported(corpus, dedup_cli):
    (corpus / "story.json").write_text('"just a string"\n', encoding="utf-8")

    run = scan_json(dedup_cli, "corpus")

    assert_reported(run, "corpus/story.json", None, "object")


def test_json_list_item_that_is_not_an_object_is_reported_by_position(corpus, dedup_cli, articles):
    text = articles.text(1040)
    (corpus / "list.json").write_text(json.dumps([{"id": "l1", "text": text}, 17, {"id": "l3", "text": text}]),
                                      encoding="utf-8")

    run = scan_json(dedup_cli, "corpus")

    assert_reported(run, "corpus/list.json#2", None, "object")
    assert frozenset({"l1", "l3"}) in {frozenset(cluster["members"]) for cluster in run.json()["clusters"]}


def test_csv_without_text_column_is_reported_on_its_header_line(corpus, dedup_cli):
    (corpus / "feed.csv").write_text("id,body\nc1,Ein Satz.\n", encoding="utf-8")

    run = scan_json(dedup_cli, "corpus")

    assert_reported(run, "corpus/feed.csv", 1, "'text'", "--text-field")


def test_csv_with_a_broken_quote_is_reported_at_the_row_where_it_starts(corpus, dedup_cli, articles):
    text = articles.text(1050)
    content = (
        "id,text\n"
        f'c1,"{text}"\n'  # line 2: fine
        f'c2,"{articles.text(1051)}\n'  # line 3: the quote is never closed
        f'c3,"{articles.edited_copy(text)}"\n'  # line 4: swallowed by the open quote
    )
    (corpus / "feed.csv").write_text(content, encoding="utf-8")

    run = scan_json(dedup_cli, "corpus")

    error = assert_reported(run, "corpus/feed.csv", 3)
    assert "quot" in error["message"].lower()


def test_json_nested_too_deeply_loses_only_its_line(dedup_cli, corpus):
    lines = ['{"id": "a", "text": "Die Buslinie fährt ab Montag im Takt."}', "[" * 100_000 + "]" * 100_000,
             '{"id": "b", "text": "Der Stadtrat beschloss den Fahrplan."}']
    (corpus / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert_reported(scan_json(dedup_cli, "corpus"), "corpus/feed.jsonl", 2, "nested too deeply")


def test_a_5000_digit_id_loses_only_its_line(dedup_cli, corpus):
    (corpus / "feed.jsonl").write_text('{"id": ' + "9" * 5000 + ', "text": "Ein Text."}\n'
                                       '{"id": "ok", "text": "Der Stadtrat beschloss den Fahrplan."}\n', encoding="utf-8")
    assert_reported(scan_json(dedup_cli, "corpus"), "corpus/feed.jsonl", 1, "digits")


def test_a_deeply_nested_json_file_is_one_error(dedup_cli, corpus):
    (corpus / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert_reported(scan_json(dedup_cli, "corpus"), "corpus/deep.json", None, "nested too deeply")


# --- size bounds, and dedup's own files (issue 14) -----------------------------------------


def test_a_line_longer_than_a_record_can_be_loses_only_itself(corpus, dedup_cli, articles, monkeypatch):
    """The bound is 64 MB; lowered here so the test stays small. The line is skipped as it
    is read, never held whole."""
    monkeypatch.setattr("dedup.io.read_jsonl.MAX_DOCUMENT_BYTES", 2_000)
    (corpus / "feed.jsonl").write_bytes(jsonl_with_copy_pair(articles, b'{"id": "j2", "text": "' + b"a" * 5_000 + b'"}'))

    assert_reported(scan_json(dedup_cli, "corpus"), "corpus/feed.jsonl", 2, "longer than", good_pair={"j1", "j3"})


def test_a_document_file_larger_than_an_article_can_be_is_one_error(corpus, dedup_cli, monkeypatch):
    monkeypatch.setattr("dedup.io.read_files.MAX_DOCUMENT_BYTES", 2_000)
    (corpus / "dump.txt").write_text("Wort " * 1_000, encoding="utf-8")

    assert_reported(scan_json(dedup_cli, "corpus"), "corpus/dump.txt", None, "larger than", "JSON Lines")


def test_a_saved_scan_and_decisions_in_the_corpus_folder_are_not_articles(corpus, dedup_cli):
    before = scan_json(dedup_cli, "corpus")
    (corpus / "scan.json").write_text(before.stdout, encoding="utf-8")
    (corpus / "decisions.json").write_text('{"schema": "dedup.decisions/1", "decisions": []}', encoding="utf-8")

    after = scan_json(dedup_cli, "corpus")

    assert after.code == 0 and after.json()["errors"] == []
    assert after.stderr.count("\n") == 1 and "passed over 2 file(s) that dedup wrote" in after.stderr  # said once
    assert after.json()["clusters"] == before.json()["clusters"]


def test_a_saved_scan_named_as_the_corpus_says_so(corpus, dedup_cli, tmp_path):
    (tmp_path / "scan.json").write_text(scan_json(dedup_cli, "corpus").stdout, encoding="utf-8")

    run = scan_json(dedup_cli, "scan.json", "corpus")

    assert_reported(run, "scan.json", None, "dedup.scan/1", "name the corpus")


@pytest.mark.parametrize(
    "baseline, says",
    [
        pytest.param('{"schema": "dedup.decisions/1", "decisions": 5}', "must be a list", id="decisions-a-number"),
        pytest.param('{"schema": "dedup.decisions/1", "decisions": [5]}', "decision 1", id="decision-not-an-object"),
        pytest.param('{"schema": "dedup.decisions/1", "decisions": [{"members": ["a"], "decision": "duplicate"}]}',
                     "two or more", id="one-member"),
        pytest.param('{"schema": "dedup.decisions/1", "decisions": [{"members": ["a", "b"], "decision": "maybe"}]}',
                     "duplicate, same_story", id="unknown-decision"),
        pytest.param("[" * 100_000, "nested too deeply", id="nested-too-deeply"),
        pytest.param('{"schema": "dedup.scan/1"}', "not a decisions file", id="another-schema"),
        pytest.param('{"schema": "dedup.decisions/1", "decisions": [', "malformed JSON", id="truncated"),
    ],
)
def test_a_damaged_baseline_is_one_line_and_stays_as_it_was(corpus, dedup_cli, tmp_path, baseline, says):
    assert dedup_cli("index", "add", "--index", "index.db", "corpus", "-q").code == 0
    (tmp_path / "baseline.json").write_text(baseline, encoding="utf-8")

    run = dedup_cli("check", "--against", "index.db", "--baseline", "baseline.json", "--update-baseline", "corpus")

    assert run.code == 2 and run.stdout == ""
    assert_clean_stderr(run.stderr)
    assert len(run.stderr.splitlines()) == 1 and "baseline.json" in run.stderr and says in run.stderr
    assert says_a_fix(run.stderr)
    assert (tmp_path / "baseline.json").read_text(encoding="utf-8") == baseline
