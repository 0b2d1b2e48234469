"""Every kind of bad input: what the user sees, and that the rest of the corpus is still scanned.

For each bad input the contract is (cli.py, STYLE.md): the exit code says whether anything
could be scanned (0) or not (2); stderr carries one line per problem, each starting with
"dedup:", naming the input (and its line where there is one) and the fix, never a
traceback; `--format json` lists the problem under "errors" with input, line and message;
and the good documents beside it are still read and grouped.

The corpus is a directory "corpus" in the test's working directory, holding a copy pair
(original.txt, copy.txt) and an unrelated article; each test puts one bad input beside them
and passes relative paths, as a user at a shell would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

GOOD_PAIR = frozenset({"original.txt", "copy.txt"})
# Words with which a message tells the user what to do about the problem.
FIX_WORDS = ("check", "fix", "use ", "pass ", "name ", "give ", "remove", "re-encode", "choose", "add ",
             "delete", "save ", "convert", "export", "rename", "--", "dedup reads")


@pytest.fixture
def corpus(tmp_path, articles, monkeypatch):
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "corpus"
    text = articles.text(1000)
    articles.write(root / "original.txt", text=text, title="Neue Buslinie für Grünau beschlossen")
    articles.write(root / "copy.txt", text=articles.edited_copy(text), title="Buslinie für Grünau kommt")
    articles.write(root / "other.txt", seed=1001, title="Stadtfest in Oberdorf abgesagt")
    return root


def says_a_fix(message: str) -> bool:
    return any(word in message.lower() for word in FIX_WORDS)


def assert_clean_stderr(stderr: str) -> None:
    """No traceback, and every line a dedup message."""
    assert "Traceback" not in stderr
    assert stderr.endswith("\n")
    for line in stderr.splitlines():
        assert line.startswith("dedup:"), f"stderr line is not a dedup message: {line!r}\n--- stderr ---\n{stderr}"


def assert_reported(run, input_name: str, line: int | None, *fragments: str, good_pair=GOOD_PAIR) -> dict:
    """The bad input is listed (JSON and stderr) and the good documents were still scanned."""
    assert run.code == 0, run.stderr
    report = run.json()
    matching = [error for error in report["errors"] if error["input"] == input_name and error["line"] == line]
    assert len(matching) == 1, f"no error for {input_name} line {line} in {report['errors']}"
    message = matching[0]["message"]
    for fragment in fragments:
        assert fragment in message
    assert good_pair in {frozenset(cluster["members"]) for cluster in report["clusters"]}
    assert says_a_fix(message), f"the message says no fix: {message!r}"
    where = input_name if line is None else f"{input_name}:{line}"
    assert where in run.stderr
    assert_clean_stderr(run.stderr)
    assert len(run.stderr.splitlines()) == len(report["errors"]), "one stderr line per error"
    return matching[0]


def scan_json(dedup_cli, *paths, options=()):
    return dedup_cli("scan", *paths, "--format", "json", "--jobs", "1", *options)


# --- paths -------------------------------------------------------------------------------


def test_missing_path_alone_exits_2_with_one_line_naming_it(tmp_path, run_dedup):
    run = run_dedup("scan", "missing.txt", cwd=tmp_path)

    assert run.code == 2
    assert run.stdout == ""
    assert_clean_stderr(run.stderr)
    assert any("missing.txt" in line and "check the path" in line for line in run.stderr.splitlines())


def test_missing_path_beside_a_good_corpus_is_listed_and_the_rest_scanned(corpus, dedup_cli):
    run = scan_json(dedup_cli, "missing.txt", "corpus")

    assert_reported(run, "missing.txt", None, "no such file")


def test_directory_without_readable_files_is_listed_and_the_rest_scanned(corpus, dedup_cli, tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")

    run = scan_json(dedup_cli, "images", "corpus")

    assert_reported(run, "images", None)


# --- binary, empty and undecodable files ----------------------------------------------


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
    from dedup.pipeline import ScanConfig, scan

    path = tmp_path / "latin.txt"
    path.write_bytes(("Käsemarkt in Grünau eröffnet\n\n" + articles.text(1011)).encode("cp1252"))

    result = scan([path], ScanConfig(jobs=1, encoding="cp1252"))

    assert result.documents[str(path)].title == "Käsemarkt in Grünau eröffnet"


def jsonl_with_copy_pair(articles, bad_line: bytes) -> bytes:
    """Three JSONL lines: j1, the bad line, j3 (a copy of j1), so the pair shows both good lines were read."""
    text = articles.text(1020)
    good_1 = json.dumps({"id": "j1", "text": text}, ensure_ascii=False).encode("utf-8")
    good_3 = json.dumps({"id": "j3", "text": articles.edited_copy(text)}, ensure_ascii=False).encode("utf-8")
    return good_1 + b"\n" + bad_line + b"\n" + good_3 + b"\n"


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


# --- JSON Lines records ------------------------------------------------------------------


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


# --- .json files -------------------------------------------------------------------------


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


# --- CSV files ---------------------------------------------------------------------------


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


# --- nothing to scan, and the output file -------------------------------------------------


def test_nothing_readable_at_all_exits_2(tmp_path, run_dedup):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02" * 50)
    (bad / "broken.jsonl").write_text("{nope\n", encoding="utf-8")

    run = run_dedup("scan", "bad", "--format", "json", "--jobs", "1", cwd=tmp_path)

    assert run.code == 2
    assert run.stdout == ""
    assert_clean_stderr(run.stderr)
    for name in ("bad/empty.txt", "bad/binary.txt", "bad/broken.jsonl:1"):
        assert name in run.stderr
    assert "no documents could be read" in run.stderr.splitlines()[-1]


def test_output_into_a_missing_directory_exits_2_with_one_line(corpus, run_dedup, tmp_path):
    run = run_dedup("scan", "corpus", "--format", "json", "--jobs", "1", "--output", "no/such/dir/report.json",
                    cwd=tmp_path)

    assert run.code == 2
    assert run.stdout == ""
    assert_clean_stderr(run.stderr)
    assert len(run.stderr.splitlines()) == 1
    assert "no/such/dir/report.json" in run.stderr and "--output" in run.stderr
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize(
    "failing_command",
    [
        pytest.param(["scan", "missing-corpus"], id="nothing-readable"),
        pytest.param(["scan", "corpus", "--threshold", "7"], id="bad-option-value"),
        pytest.param(["scan", "corpus", "--bogus"], id="unknown-option"),
    ],
)
def test_failed_run_leaves_an_existing_output_file_untouched(corpus, dedup_cli, tmp_path, failing_command):
    sentinel = tmp_path / "report.json"
    sentinel.write_text("SENTINEL: the report of the last good run\n", encoding="utf-8")

    run = dedup_cli(*failing_command, "--format", "json", "--jobs", "1", "--output", "report.json")

    assert run.code == 2
    assert sentinel.read_text(encoding="utf-8") == "SENTINEL: the report of the last good run\n"
    assert [path.name for path in tmp_path.iterdir() if path.is_file()] == ["report.json"]  # no temporary left


# --- options -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options, named",
    [
        pytest.param(["--bogus"], "--bogus", id="unknown-option"),
        pytest.param(["--shingles", "word:x"], "word:x", id="shingles-word-x"),
        pytest.param(["--shingles", "line:5"], "line:5", id="shingles-unknown-unit"),
        pytest.param(["--shingles", "word:0"], "word:0", id="shingles-zero"),
        pytest.param(["--threshold", "1.5"], "1.5", id="threshold-above-1"),
        pytest.param(["--threshold", "0"], "--threshold", id="threshold-zero"),
        pytest.param(["--threshold", "half"], "half", id="threshold-not-a-number"),
        pytest.param(["--containment", "-0.2"], "--containment", id="containment-negative"),
        pytest.param(["--num-perm", "1"], "--num-perm", id="num-perm-1"),
        pytest.param(["--num-perm", "many"], "many", id="num-perm-not-a-number"),
        pytest.param(["--jobs", "0"], "--jobs", id="jobs-0"),
        pytest.param(["--jobs", "-3"], "--jobs", id="jobs-negative"),
        pytest.param(["--format", "xml"], "xml", id="format-xml"),
        pytest.param(["--mode", "fuzzy"], "fuzzy", id="mode-unknown"),
        pytest.param(["--encoding", "nope"], "nope", id="encoding-unknown"),
        pytest.param(["--encoding", "rot13"], "rot13", id="encoding-not-text"),
        pytest.param(["--encoding", "base64"], "base64", id="encoding-bytes-to-bytes"),
        pytest.param(["--seed", "-1"], "--seed", id="seed-negative"),
        pytest.param(["--seed", "99999999999"], "--seed", id="seed-too-large"),
        pytest.param(["--jobs", "100000"], "--jobs", id="jobs-runaway"),
        pytest.param(["--num-perm", "0"], "--num-perm", id="num-perm-0"),
    ],
)
def test_bad_option_exits_2_with_one_line_and_no_traceback(dedup_cli, samples_dir, options, named):
    run = dedup_cli("scan", samples_dir, "--jobs", "1", *options)

    assert run.code == 2
    assert run.stdout == ""
    assert_clean_stderr(run.stderr)
    assert len(run.stderr.splitlines()) == 1
    assert named in run.stderr


def test_scan_without_a_path_exits_2_with_one_line(dedup_cli):
    run = dedup_cli("scan")

    assert run.code == 2
    assert_clean_stderr(run.stderr)
    assert len(run.stderr.splitlines()) == 1
    assert "PATH" in run.stderr and "--help" in run.stderr


@pytest.mark.parametrize(
    "argv, named",
    [
        pytest.param(["scan", "samples", "--bogus"], "--bogus", id="unknown-option"),
        pytest.param(["frobnicate"], "frobnicate", id="unknown-command"),
        pytest.param(["scan", "samples", "--threshold", "1.5"], "1.5", id="bad-value"),
    ],
)
def test_usage_error_in_a_real_process_exits_2_with_one_line(run_dedup, argv, named):
    run = run_dedup(*argv)

    assert run.code == 2
    assert run.stdout == ""
    assert_clean_stderr(run.stderr)
    assert len(run.stderr.splitlines()) == 1
    assert named in run.stderr and "dedup" in run.stderr


def test_long_error_lines_are_not_wrapped_at_the_terminal_width(tmp_path, run_dedup, articles):
    """A message longer than the 80 columns Rich assumes must stay one line, or grep and CI logs break it."""
    deep = tmp_path / "an-archive-folder-with-a-long-name" / "exported-feeds-from-the-content-system"
    text = articles.text(1060)
    articles.write_jsonl(deep / "feed.jsonl", [{"id": "a", "text": text}, {"id": "b", "text": articles.edited_copy(text)}])
    with (deep / "feed.jsonl").open("a", encoding="utf-8") as handle:
        handle.write('{"id": "c", "body": "no text field here"}\n')

    run = run_dedup("scan", deep / "feed.jsonl", "--format", "json", "--jobs", "1", env_extra={"COLUMNS": "80"})

    assert run.code == 0
    assert_clean_stderr(run.stderr)
    assert len(run.stderr.splitlines()) == 1


# --- structure and file system: bounded readers (issue 14) -----------------------------------


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


def test_a_fifo_in_the_corpus_is_skipped_not_waited_for(dedup_cli, corpus):
    os.mkfifo(corpus / "pipe.txt")
    assert_reported(scan_json(dedup_cli, "corpus"), "corpus/pipe.txt", None, "not a regular file")


def test_a_link_out_of_the_corpus_is_skipped(dedup_cli, corpus, tmp_path):
    (corpus / "zero.txt").symlink_to("/dev/zero")
    outside = tmp_path / "secret.txt"
    outside.write_text("Ein Text außerhalb des Korpus.", encoding="utf-8")
    (corpus / "secret.txt").symlink_to(outside)
    run = scan_json(dedup_cli, "corpus")
    assert {error["input"] for error in run.json()["errors"]} == {"corpus/zero.txt", "corpus/secret.txt"}
    assert_reported(run, "corpus/secret.txt", None, "outside this folder")


def test_folders_deeper_than_the_stack_are_walked(dedup_cli, corpus):
    deep = corpus
    for _ in range(1_100):  # os.makedirs would itself recurse too deeply
        deep = deep / "d"
        deep.mkdir()
    (deep / "original-again.txt").write_text((corpus / "original.txt").read_text(encoding="utf-8"), encoding="utf-8")
    try:
        run = scan_json(dedup_cli, "corpus")
        assert run.code == 0, run.stderr
        members = {member for cluster in run.json()["clusters"] for member in cluster["members"]}
        assert any(member.endswith("original-again.txt") for member in members)
    finally:  # pytest's clean-up of old temporary folders recurses, and would fail on this one
        (deep / "original-again.txt").unlink()
        while deep != corpus:
            deep.rmdir()
            deep = deep.parent


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads unreadable folders")
def test_an_unreadable_subfolder_is_reported(dedup_cli, corpus):
    locked = corpus / "locked"
    locked.mkdir()
    (locked / "a.txt").write_text("Ein Text.", encoding="utf-8")
    locked.chmod(0)
    try:
        assert_reported(scan_json(dedup_cli, "corpus"), "corpus/locked", None, "cannot read this folder")
    finally:
        locked.chmod(0o755)


def test_closed_standard_input_is_one_line(run_dedup, tmp_path):
    completed = subprocess.run([sys.executable, "-m", "dedup", "scan", "-"], stdin=subprocess.DEVNULL, capture_output=True,
                               text=True, cwd=tmp_path, timeout=60, preexec_fn=lambda: os.close(0))
    assert completed.returncode == 2, completed.stderr
    assert_clean_stderr(completed.stderr)
    assert "standard input is closed" in completed.stderr


def test_an_ascii_only_terminal_gets_escapes_not_a_crash(run_dedup, samples_dir):
    run = run_dedup("compare", *sorted((samples_dir / "seeds").iterdir()), env_extra={"PYTHONIOENCODING": "ascii"})
    assert run.code == 0, run.stderr
    assert "\\u" in run.stdout
