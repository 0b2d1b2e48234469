"""Encodings: binary, empty and undecodable bytes, 8-bit and UTF-16 text, NUL bytes.

The contract each case is held to is in contract.py."""

from __future__ import annotations

import json

import pytest

from bad_input.contract import assert_reported, jsonl_with_copy_pair, scan_json


def test_binary_file_named_txt_is_reported(corpus, dedup_cli):
    (corpus / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 20)

    run = scan_json(dedup_cli, "corpus")

    assert_reported(run, "corpus/photo.txt", None, "binary")


def test_binary_file_named_jsonl_is_reported(corpus, dedup_cli):
    (corpus / "dump.jsonl").write_bytes(b'{"id": "x", "text": "ok"}\n\x00\x01\x02\x03\xff\xfe' * 10)

    run = scan_json(dedup_cli, "corpus")

    assert_reported(run, "corpus/dump.jsonl", None, "binary")


@pytest.mark.parametrize(
    "name, content",
    [("empty.txt", b""), ("blank.txt", b"  \n\t\n   \n"), ("empty.jsonl", b""), ("blank.jsonl", b"\n \n"),
     ("empty.csv", b""), ("empty.html", b"")],
)
def test_empty_or_whitespace_only_file_is_reported(corpus, dedup_cli, name, content):
    (corpus / name).write_bytes(content)

    run = scan_json(dedup_cli, "corpus")

    assert_reported(run, f"corpus/{name}", None, "empty")


def test_undecodable_byte_in_txt_is_reported_with_its_line(corpus, dedup_cli):
    (corpus / "latin.txt").write_bytes("Käsemarkt in Grünau eröffnet\n\nErster Satz.\n".encode("cp1252")
                                       + b"Der K\xe4se ist gut.\n")

    run = scan_json(dedup_cli, "corpus")

    # The first undecodable byte is the "ä" of the title, on line 1.
    assert_reported(run, "corpus/latin.txt", 1, "0xe4", "--encoding")


def test_undecodable_byte_later_in_txt_is_reported_with_that_line(corpus, dedup_cli):
    (corpus / "latin.txt").write_bytes(b"Markt in Steinach\n\nErster Satz ohne Umlaut.\nDer K\xe4se ist gut.\n")

    run = scan_json(dedup_cli, "corpus")

    assert_reported(run, "corpus/latin.txt", 4, "0xe4")


def test_txt_in_cp1252_is_read_with_encoding_cp1252(tmp_path, articles, dedup_cli):
    text = "Käsemarkt in Grünau eröffnet\n\n" + articles.text(1010)
    (tmp_path / "latin.txt").write_bytes(text.encode("cp1252"))
    (tmp_path / "latin-copy.txt").write_bytes(articles.edited_copy(text).encode("cp1252"))

    run = scan_json(dedup_cli, tmp_path, options=("--encoding", "cp1252"))

    assert run.code == 0, run.stderr
    assert run.json()["errors"] == []
    assert [set(cluster["members"]) for cluster in run.json()["clusters"]] == [{"latin.txt", "latin-copy.txt"}]


def test_title_of_a_cp1252_file_is_decoded_with_encoding_cp1252(tmp_path, articles):
    from dedup.engines import scan
    from dedup.pipeline import ScanConfig

    path = tmp_path / "latin.txt"
    path.write_bytes(("Käsemarkt in Grünau eröffnet\n\n" + articles.text(1011)).encode("cp1252"))

    result = scan([path], ScanConfig(jobs=1, encoding="cp1252"))

    assert result.documents[str(path)].title == "Käsemarkt in Grünau eröffnet"


def test_undecodable_line_in_jsonl_spoils_only_that_line(corpus, dedup_cli, articles):
    (corpus / "feed.jsonl").write_bytes(jsonl_with_copy_pair(articles, b'{"id": "j2", "text": "K\xe4se aus Gr\xfcnau"}'))

    run = scan_json(dedup_cli, "corpus")

    assert_reported(run, "corpus/feed.jsonl", 2, "0xe4", "--encoding")
    assert frozenset({"j1", "j3"}) in {frozenset(cluster["members"]) for cluster in run.json()["clusters"]}


def test_jsonl_in_cp1252_is_read_with_encoding_cp1252(tmp_path, dedup_cli, articles):
    text = articles.text(1021)
    lines = [json.dumps({"id": "k1", "text": "Käse " + text}, ensure_ascii=False),
             json.dumps({"id": "k2", "text": "Käse " + articles.edited_copy(text)}, ensure_ascii=False)]
    (tmp_path / "feed.jsonl").write_bytes("\n".join(lines).encode("cp1252") + b"\n")

    run = scan_json(dedup_cli, tmp_path / "feed.jsonl", options=("--encoding", "cp1252"))

    assert run.code == 0, run.stderr
    assert run.json()["errors"] == []
    assert run.json()["documents"] == 2


def test_undecodable_byte_in_csv_is_reported_with_its_line(corpus, dedup_cli):
    (corpus / "feed.csv").write_bytes(b"id,text\nc1,Erster Satz ohne Umlaut.\nc2,Der K\xe4se ist gut.\n")

    run = scan_json(dedup_cli, "corpus")

    assert_reported(run, "corpus/feed.csv", 3, "0xe4", "--encoding")


def test_csv_in_cp1252_is_read_with_encoding_cp1252(tmp_path, dedup_cli, articles):
    text = articles.text(1022)
    content = f'id,text\nc1,"Käse {text}"\nc2,"Käse {articles.edited_copy(text)}"\n'
    (tmp_path / "feed.csv").write_bytes(content.encode("cp1252"))

    run = scan_json(dedup_cli, tmp_path / "feed.csv", options=("--encoding", "cp1252"))

    assert run.code == 0, run.stderr
    assert run.json()["errors"] == []
    assert [cluster["members"] for cluster in run.json()["clusters"]] == [["c1", "c2"]]


# --- UTF-16 and NUL bytes (issue 14) -------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_utf16_and_utf32_with_a_byte_order_mark_are_read_as_they_are(tmp_path, articles, dedup_cli, monkeypatch, encoding):
    """Excel's "Unicode text" and Notepad's "Unicode" carry a byte-order mark: no option needed."""
    monkeypatch.chdir(tmp_path)
    text = articles.text(1101)
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "original.txt").write_bytes(f"Käse aus Grünau\n\n{text}".encode(encoding))
    (tmp_path / "corpus" / "copy.csv").write_bytes(f"id,text\nc1,\"{articles.edited_copy(text)}\"\n".encode(encoding))
    lines = json.dumps({"id": "j1", "text": articles.edited_copy(text, seed=3)}, ensure_ascii=False) + "\n"
    (tmp_path / "corpus" / "feed.jsonl").write_bytes(lines.encode(encoding))

    run = scan_json(dedup_cli, "corpus")

    assert run.code == 0 and run.json()["errors"] == [], run.stderr
    assert {frozenset(cluster["members"]) for cluster in run.json()["clusters"]} == {frozenset({"original.txt", "c1", "j1"})}


def test_utf16_without_a_byte_order_mark_names_the_encoding_to_pass(corpus, dedup_cli, articles):
    text = articles.text(1102)
    (corpus / "unmarked.txt").write_bytes(text.encode("utf-16-le"))

    assert_reported(scan_json(dedup_cli, "corpus"), "corpus/unmarked.txt", None, "UTF-16-LE", "--encoding utf-16-le")
    run = scan_json(dedup_cli, "corpus/unmarked.txt", options=("--encoding", "utf-16-le"))
    assert run.code == 0 and run.json()["errors"] == [] and run.json()["documents"] == 1, run.stderr


def test_a_nul_byte_early_in_jsonl_loses_only_its_line(corpus, dedup_cli, articles):
    """Within the first 8 KB (where binary files are recognised) as well as after it."""
    (corpus / "feed.jsonl").write_bytes(jsonl_with_copy_pair(articles, b'{"id": "j2", "text": "Gr\x00nau"}'))

    run = scan_json(dedup_cli, "corpus")

    assert_reported(run, "corpus/feed.jsonl", 2, "NUL byte", good_pair={"j1", "j3"})
    assert_reported(run, "corpus/feed.jsonl", 2, "NUL byte")


def test_a_utf8_byte_order_mark_is_not_part_of_the_first_id(tmp_path, dedup_cli, articles, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "feed.jsonl").write_bytes(b"\xef\xbb\xbf" + jsonl_with_copy_pair(articles, b'{"id": "j2", "text": "Ein Text."}'))

    run = scan_json(dedup_cli, "feed.jsonl")

    assert run.code == 0 and {"j1", "j3"} in [set(cluster["members"]) for cluster in run.json()["clusters"]], run.stderr
