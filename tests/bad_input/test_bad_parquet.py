"""Parquet: damaged files, missing or mistyped columns and bad rows. A problem with the
whole file is one line naming it and the fix; a bad row loses only itself, named as
"FILE row N" (rows count from 1, as JSON Lines count lines); the rest is still scanned.

The contract each case is held to is in contract.py."""

from __future__ import annotations

import builtins
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from bad_input.contract import assert_clean_stderr, assert_reported, scan_json

FEED = "corpus/feed.parquet"


def write_parquet(path, columns: dict, schema=None, **options):
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table(columns, schema=schema), path, **options)
    return path


def feed_with_copy_pair(articles, bad_text, bad_id="j2", **columns) -> dict:
    """Three rows: j1, the bad row, j3 (a copy of j1), so the pair shows both good rows were read."""
    text = articles.text(1020)
    return {"id": ["j1", bad_id, "j3"], "text": [text, bad_text, articles.edited_copy(text)], **columns}


def clusters(run) -> set[frozenset[str]]:
    return {frozenset(cluster["members"]) for cluster in run.json()["clusters"]}


# --- the whole file ---------------------------------------------------------------------

def test_a_missing_text_column_is_one_line_naming_the_columns_and_the_option(corpus, dedup_cli, articles):
    write_parquet(corpus / "feed.parquet", {"id": ["a"], "body": [articles.text(1)], "title": ["t"]})

    run = scan_json(dedup_cli, "corpus")

    assert_reported(run, FEED, None, "no 'text' column", "columns: id, body, title", "--text-field COLUMN")


def test_a_mapped_text_column_the_file_lacks_is_named(corpus, dedup_cli, articles):
    write_parquet(corpus / "feed.parquet", feed_with_copy_pair(articles, articles.text(2)))

    run = scan_json(dedup_cli, "corpus", options=("--text-field", "body"))

    # The text files have no fields: only the Parquet file is stopped by the mapping.
    assert_reported(run, FEED, None, "no 'body' column", "columns: id, text", "--text-field COLUMN")


def test_a_missing_id_column_is_one_line_naming_the_id_option(corpus, dedup_cli, articles):
    write_parquet(corpus / "feed.parquet", {"guid": ["a"], "text": [articles.text(1)]})

    run = scan_json(dedup_cli, "corpus")

    assert_reported(run, FEED, None, "no 'id' column", "columns: guid, text", "--id-field COLUMN")


def test_a_long_list_of_columns_is_cut_short(corpus, dedup_cli):
    write_parquet(corpus / "feed.parquet", {f"column{n}": [n] for n in range(20)})

    run = scan_json(dedup_cli, "corpus")

    assert_reported(run, FEED, None, "column7 and 12 more")


def test_hostile_column_names_stay_on_one_line(corpus, dedup_cli):
    write_parquet(corpus / "feed.parquet", {"id": ["a"], "body\n\x1b[31mdedup: all fine\x07": ["Text."]})

    run = scan_json(dedup_cli, "corpus")

    error = assert_reported(run, FEED, None, "no 'text' column")
    assert "\x1b" not in run.stderr and "\x07" not in run.stderr
    assert "\\x1b" in run.stderr  # shown as an escape, as every untrusted text is
    assert error["message"].count("dedup:") == 1  # the name is there, but on the one line


@pytest.mark.parametrize("content", [b"id,text\n1,Das ist kein Parquet.\n", b"PAR1" + b"\x00" * 64, b"\x89PNG\r\n\x1a\n" * 40])
def test_a_file_that_is_not_parquet_is_one_line_and_the_rest_is_scanned(corpus, dedup_cli, content):
    (corpus / "feed.parquet").write_bytes(content)

    run = scan_json(dedup_cli, "corpus")

    assert_reported(run, FEED, None, "not a Parquet file", "re-export it")


def test_a_truncated_file_is_one_line_and_the_rest_is_scanned(corpus, dedup_cli, articles, tmp_path):
    whole = write_parquet(tmp_path / "whole.parquet", feed_with_copy_pair(articles, articles.text(2)))
    data = whole.read_bytes()
    (corpus / "feed.parquet").write_bytes(data[: len(data) // 2])

    run = scan_json(dedup_cli, "corpus")

    assert_reported(run, FEED, None, "damaged or truncated", "re-export it")


def test_a_damaged_row_group_loses_only_its_rows(corpus, dedup_cli, articles):
    text = articles.text(1040)
    feed = write_parquet(corpus / "feed.parquet", {"id": ["x1", "x2", "p1", "p2"], "text": [
        articles.text(1041), articles.text(1042), text, articles.edited_copy(text)]}, row_group_size=2)
    data = bytearray(feed.read_bytes())
    column = pq.ParquetFile(feed).metadata.row_group(0).column(1)
    start = column.dictionary_page_offset or column.data_page_offset
    data[start:start + 8] = b"\xff" * 8  # the first page header of the first row group's texts
    feed.write_bytes(bytes(data))

    run = scan_json(dedup_cli, "corpus")

    assert_reported(run, FEED, None, "rows 1-2 cannot be read", "damaged")
    assert frozenset({"p1", "p2"}) in clusters(run)  # the second row group was read


def test_an_empty_file_named_parquet_is_reported_as_empty(corpus, dedup_cli):
    (corpus / "feed.parquet").write_bytes(b"")

    run = scan_json(dedup_cli, "corpus")

    assert_reported(run, FEED, None, "empty file")


def test_a_parquet_file_without_rows_says_so_as_an_empty_jsonl_does(corpus, dedup_cli):
    write_parquet(corpus / "feed.parquet", {"id": pa.array([], pa.string()), "text": pa.array([], pa.string())})
    (corpus / "feed.jsonl").write_bytes(b"")

    run = scan_json(dedup_cli, "corpus")

    parquet = assert_reported(run, FEED, None, "empty input, no rows")
    jsonl = next(error for error in run.json()["errors"] if error["input"] == "corpus/feed.jsonl")
    assert parquet["message"].replace("no rows", "no JSON lines") == jsonl["message"]


@pytest.mark.parametrize(("column", "shown", "fix"), [
    (pa.array([1, 2, 3], pa.int64()), "holds int64, not text", "--text-field COLUMN"),
    (pa.array([b"a", b"b", b"c"], pa.binary()), "holds binary, not text", "write it as a string column"),
    (pa.array([["a"], ["b"], ["c"]], pa.list_(pa.string())), "holds list<", "--text-field COLUMN"),
    (pa.array([None, None, None], pa.null()), "holds null, not text", "--text-field COLUMN"),
])
def test_a_text_column_of_another_type_is_one_line_with_the_fix(corpus, dedup_cli, column, shown, fix):
    write_parquet(corpus / "feed.parquet", {"id": ["a", "b", "c"], "text": column})

    run = scan_json(dedup_cli, "corpus")

    assert_reported(run, FEED, None, "the 'text' column " + shown, fix)


def test_an_id_column_of_lists_is_one_line_with_the_fix(corpus, dedup_cli, articles):
    write_parquet(corpus / "feed.parquet", {"id": [["a"], ["b"]], "text": [articles.text(1), articles.text(2)]})

    run = scan_json(dedup_cli, "corpus")

    assert_reported(run, FEED, None, "the 'id' column holds list<", "--id-field COLUMN")


def test_nested_and_binary_columns_are_ignored_unless_mapped(corpus, dedup_cli, articles):
    rows = feed_with_copy_pair(articles, articles.text(2), tags=[["a", "b"], [], None],
                               source=[{"name": "APA"}, {"name": "dpa"}, None],
                               url=pa.array([b"\x00\x01", b"", None], pa.binary()))
    write_parquet(corpus / "feed.parquet", rows)

    run = scan_json(dedup_cli, "corpus")

    assert run.code == 0 and run.json()["errors"] == [] and run.stderr == ""
    assert frozenset({"j1", "j3"}) in clusters(run)

    mapped = scan_json(dedup_cli, "corpus/feed.parquet", options=("--text-field", "tags"))
    assert mapped.code == 2 and "the 'tags' column holds list<" in mapped.stderr and "--text-field" in mapped.stderr
    assert_clean_stderr(mapped.stderr)


def test_pyarrow_missing_is_one_line_per_parquet_input_and_the_rest_is_scanned(corpus, dedup_cli, articles, monkeypatch):
    write_parquet(corpus / "feed.parquet", feed_with_copy_pair(articles, articles.text(2)))
    real_import = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name == "pyarrow" or name.startswith("pyarrow."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return real_import(name, *args, **kwargs)

    for name in [name for name in sys.modules if name == "pyarrow" or name.startswith("pyarrow.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(builtins, "__import__", no_pyarrow)

    run = scan_json(dedup_cli, "corpus")

    error = assert_reported(run, FEED, None)
    assert error["message"] == "reading Parquet needs pyarrow: pip install 'dedup[parquet]'"
    assert "dedup: corpus/feed.parquet: reading Parquet needs pyarrow: pip install 'dedup[parquet]'" in run.stderr

    uri = scan_json(dedup_cli, "file:///nowhere/feed.parquet")
    assert uri.code == 2
    assert "file:///nowhere/feed.parquet: reading Parquet needs pyarrow: pip install 'dedup[parquet]'" in uri.stderr
    assert_clean_stderr(uri.stderr)


@pytest.mark.parametrize(("uri", "fragment"), [
    ("nosuchscheme://bucket/feed.parquet", "cannot open"),
    ("file:///nowhere/at/all/feed.parquet", "no such file or folder"),
])
def test_a_uri_that_cannot_be_read_is_one_line_and_the_rest_is_scanned(corpus, dedup_cli, uri, fragment):
    run = scan_json(dedup_cli, "corpus", uri)

    assert_reported(run, uri, None, fragment)


def test_a_uri_of_another_kind_of_file_or_a_folder_without_parquet_is_one_line(corpus, dedup_cli, tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "feed.jsonl").write_text('{"id": "a", "text": "Text."}\n', encoding="utf-8")

    run = scan_json(dedup_cli, "corpus", (tmp_path / "empty").as_uri(), (tmp_path / "empty" / "feed.jsonl").as_uri())

    assert_reported(run, (tmp_path / "empty").as_uri(), None, "no .parquet files under this folder")
    assert_reported(run, (tmp_path / "empty" / "feed.jsonl").as_uri(), None, "Parquet only")


# --- one row ------------------------------------------------------------------------------

@pytest.mark.parametrize(("bad_text", "fragment"), [
    (None, "the 'text' column is null in this row"),
    ("", "the 'text' column is empty in this row"),
    ("  \n\t ", "the 'text' column is empty in this row"),
])
def test_a_row_without_text_loses_only_itself(corpus, dedup_cli, articles, bad_text, fragment):
    write_parquet(corpus / "feed.parquet", feed_with_copy_pair(articles, bad_text))

    run = scan_json(dedup_cli, "corpus")

    assert_reported(run, "corpus/feed.parquet row 2", None, fragment)
    assert frozenset({"j1", "j3"}) in clusters(run)


def test_a_row_whose_text_is_not_utf8_loses_only_itself(corpus, dedup_cli, articles):
    text = articles.text(1020)
    cells = [text.encode(), b"Kaputt \xff\xfe Text", articles.edited_copy(text).encode()]
    offsets = [0]
    for cell in cells:
        offsets.append(offsets[-1] + len(cell))
    damaged = pa.Array.from_buffers(pa.string(), 3, [None, pa.array(offsets, pa.int32()).buffers()[1],
                                                     pa.py_buffer(b"".join(cells))])
    titles = pa.Array.from_buffers(pa.string(), 3, [None, pa.array([0, 2, 4, 6], pa.int32()).buffers()[1],
                                                    pa.py_buffer(b"T1\xffxT3")])
    write_parquet(corpus / "feed.parquet", {"id": ["j1", "j2", "j3"], "text": damaged, "title": titles})

    run = scan_json(dedup_cli, "corpus")

    assert_reported(run, "corpus/feed.parquet row 2", None, "not valid UTF-8")
    assert frozenset({"j1", "j3"}) in clusters(run)


def test_a_row_with_a_null_id_is_named_by_its_file_and_row_as_in_json_lines(corpus, dedup_cli, articles):
    text = articles.text(1020)
    write_parquet(corpus / "feed.parquet", {"id": ["j1", None, ""], "text": [
        text, articles.edited_copy(text), articles.edited_copy(text, seed=1)]})

    run = scan_json(dedup_cli, "corpus")

    assert run.code == 0 and run.json()["errors"] == []
    assert frozenset({"j1", "feed.parquet row 2", "feed.parquet row 3"}) in clusters(run)


def test_a_duplicate_id_is_reported_at_the_second_row_and_the_first_kept(corpus, dedup_cli, articles):
    text = articles.text(1030)
    write_parquet(corpus / "feed.parquet", {"id": ["a", "b", "a"], "text": [
        text, articles.edited_copy(text), articles.text(1031)]}, row_group_size=2)  # across row groups

    run = scan_json(dedup_cli, "corpus")

    assert_reported(run, "corpus/feed.parquet row 3", None, "duplicate id", "'a'", "first read from corpus/feed.parquet row 1")
    assert frozenset({"a", "b"}) in clusters(run)


def test_integer_ids_that_repeat_are_reported_as_duplicates(corpus, dedup_cli, articles):
    text = articles.text(1030)
    write_parquet(corpus / "feed.parquet", {"id": [7, 8, 7], "text": [text, articles.edited_copy(text), articles.text(1031)]})

    run = scan_json(dedup_cli, "corpus")

    assert_reported(run, "corpus/feed.parquet row 3", None, "duplicate id '7'")
    assert frozenset({"7", "8"}) in clusters(run)


def test_hostile_text_and_titles_are_shown_as_escapes(corpus, dedup_cli, articles):
    text = articles.text(1020)
    write_parquet(corpus / "feed.parquet", {"id": ["j1\x1b[2J", "j3"], "text": [text, articles.edited_copy(text)],
                                            "title": ["\x1b]0;owned\x07[bold]Titel[/bold]", "\u202eTitel"]})

    run = dedup_cli("scan", "corpus", "--jobs", "1", "--format", "table", "--no-pager")

    assert run.code == 0, run.stderr
    assert "\x1b" not in run.stdout and "\u202e" not in run.stdout
    assert "[bold]Titel[/bold]" in run.stdout  # shown as written, not as Rich markup

