"""The `dedup` command: exit codes, the dedup.scan/1 contract, every output format, safe rendering
of untrusted article text, and results that do not depend on worker count or input order."""

from __future__ import annotations

import csv
import io
import json
import random

import pytest

SCAN_KEYS = {"schema", "mode", "documents", "clusters", "errors"}
WIRE_COPIES = {"wire/dpa-original.txt", "wire/republished.html", "wire/apa-edited.txt", "wire/kurzmeldung-shortened.txt"}
SEEDS = {"seeds/dw-2021-12-31-biden-warnt-putin.txt", "seeds/derstandard-apa-2021-12-30-biden-putin-telefonat.txt"}


# --- exit codes ------------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["scan", "--help"], ["-h"]])
def test_version_and_help_exit_0(run_dedup, argv):
    run = run_dedup(*argv)

    assert run.code == 0
    assert run.stderr == ""
    assert run.stdout.strip()


def test_version_prints_the_package_version(run_dedup):
    from dedup import __version__

    run = run_dedup("--version")

    assert __version__ in run.stdout


def test_scan_help_lists_the_options(run_dedup):
    run = run_dedup("scan", "--help")

    for option in ("--mode", "--format", "--output", "--quiet", "--jobs", "--id-field", "--text-field", "--encoding"):
        assert option in run.stdout


def test_clean_scan_exits_0_with_nothing_on_stderr(run_dedup, samples_dir):
    wire = samples_dir / "wire"
    run = run_dedup("scan", wire / "dpa-original.txt", wire / "apa-edited.txt", "--jobs", "1", "--format", "json")

    assert run.code == 0
    assert run.stderr == ""
    assert [set(cluster["members"]) for cluster in run.json()["clusters"]] == [
        {str(wire / "dpa-original.txt"), str(wire / "apa-edited.txt")}
    ]


def test_internal_error_exits_3_with_one_line_asking_for_a_report(dedup_cli, samples_dir, monkeypatch):
    import dedup.engines

    def broken_scan(*args, **kwargs):
        raise RuntimeError("something inside broke")

    monkeypatch.setattr(dedup.engines, "scan", broken_scan)

    run = dedup_cli("scan", samples_dir, "--jobs", "1")

    assert run.code == 3
    assert run.stderr.startswith("dedup: ")
    assert len(run.stderr.splitlines()) == 1
    assert "RuntimeError" in run.stderr and "report" in run.stderr
    assert "Traceback" not in run.stderr


def test_interrupt_exits_130(dedup_cli, samples_dir, monkeypatch):
    import dedup.engines

    def interrupted_scan(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(dedup.engines, "scan", interrupted_scan)

    run = dedup_cli("scan", samples_dir, "--jobs", "1")

    assert run.code == 130
    assert [line for line in run.stderr.splitlines() if line.strip()] == ["dedup: interrupted"]


# --- the dedup.scan/1 contract on the samples ---------------------------------------------


@pytest.fixture(scope="module")
def samples_json(samples_dir):
    """The JSON report of the samples, computed once (in process) for the tests below."""
    import contextlib

    from dedup.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["scan", str(samples_dir), "--mode", "copy", "--format", "json", "--jobs", "1"])
    assert code == 0, err.getvalue()
    assert err.getvalue() == ""
    return json.loads(out.getvalue())


def test_json_report_follows_the_scan_schema(samples_json):
    assert SCAN_KEYS <= set(samples_json)
    assert samples_json["schema"] == "dedup.scan/1"
    assert samples_json["mode"] == "copy"
    assert samples_json["documents"] == 11
    assert samples_json["errors"] == []
    for cluster in samples_json["clusters"]:
        assert {"id", "relation", "members", "pairs"} <= set(cluster)
        assert cluster["relation"] in ("duplicate", "copy", "story")
        assert len(cluster["members"]) >= 2
        for pair in cluster["pairs"]:
            assert {"a", "b", "relation", "similarity"} <= set(pair)
            assert pair["a"] in cluster["members"] and pair["b"] in cluster["members"]
            assert pair["relation"] in ("duplicate", "copy", "story")
            assert 0.0 <= pair["similarity"] <= 1.0


def test_wire_copies_form_one_copy_cluster(samples_json):
    [cluster] = samples_json["clusters"]

    assert set(cluster["members"]) == WIRE_COPIES
    assert cluster["relation"] == "copy"  # the loosest relation among its pairs


def test_republished_html_is_a_duplicate_of_the_original(samples_json):
    [cluster] = samples_json["clusters"]
    relations = {frozenset((pair["a"], pair["b"])): pair["relation"] for pair in cluster["pairs"]}

    assert relations[frozenset({"wire/dpa-original.txt", "wire/republished.html"})] == "duplicate"
    assert "copy" in relations.values()


def test_seed_articles_and_unrelated_text_stand_alone(samples_json):
    clustered = {member for cluster in samples_json["clusters"] for member in cluster["members"]}

    assert not clustered & SEEDS
    assert "wire/unrelated.txt" not in clustered


def test_errors_in_json_report_have_input_line_and_message(dedup_cli, tmp_path, samples_dir):
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": 1, "text": "ok"}\n{oops\n', encoding="utf-8")

    run = dedup_cli("scan", samples_dir / "wire", broken, "--format", "json", "--jobs", "1")

    [error] = run.json()["errors"]
    assert set(error) == {"input", "line", "message"}
    assert (error["input"], error["line"]) == (str(broken), 2)
    assert "malformed JSON" in error["message"]


# --- output formats -----------------------------------------------------------------------


def test_table_shows_cluster_ids_and_member_ids(dedup_cli, samples_dir):
    run = dedup_cli("scan", samples_dir / "wire", "--jobs", "1", "--format", "table")

    assert run.code == 0
    assert "c1" in run.stdout
    for member in ("dpa-original.txt", "republished.html", "apa-edited.txt", "kurzmeldung-shortened.txt"):
        assert member in run.stdout
    assert "unrelated.txt" not in run.stdout
    assert "scanned:" in run.stdout


def test_table_is_the_default_format(dedup_cli, samples_dir):
    default = dedup_cli("scan", samples_dir / "wire", "--jobs", "1")
    table = dedup_cli("scan", samples_dir / "wire", "--jobs", "1", "--format", "table")

    assert default.stdout == table.stdout


def test_jsonl_format_has_one_typed_json_object_per_line(dedup_cli, samples_dir):
    run = dedup_cli("scan", samples_dir, "--jobs", "1", "--format", "jsonl")

    lines = [json.loads(line) for line in run.stdout.splitlines()]
    assert run.code == 0
    assert all("type" in line for line in lines)
    assert lines[0]["type"] == "scan" and lines[0]["schema"] == "dedup.scan/1"
    clusters = [line for line in lines if line["type"] == "cluster"]
    assert [set(cluster["members"]) for cluster in clusters] == [WIRE_COPIES]


def test_jsonl_format_lists_errors_as_typed_lines(dedup_cli, samples_dir, tmp_path):
    run = dedup_cli("scan", samples_dir / "wire", tmp_path / "missing.txt", "--jobs", "1", "--format", "jsonl")

    lines = [json.loads(line) for line in run.stdout.splitlines()]
    errors = [line for line in lines if line["type"] == "error"]
    assert [(error["input"], error["line"]) for error in errors] == [(str(tmp_path / "missing.txt"), None)]


def test_csv_format_has_a_header_and_one_row_per_cluster_member(dedup_cli, samples_dir):
    run = dedup_cli("scan", samples_dir, "--jobs", "1", "--format", "csv")

    rows = list(csv.reader(io.StringIO(run.stdout)))
    assert run.code == 0
    assert rows[0] == ["cluster", "relation", "size", "id", "title", "source", "date"]
    assert {row[3] for row in rows[1:]} == WIRE_COPIES
    assert {(row[0], row[1], row[2]) for row in rows[1:]} == {("c1", "copy", "4")}
    by_id = {row[3]: row for row in rows[1:]}
    assert by_id["wire/republished.html"][5] == "Inntal-Bote"


def test_markdown_format_has_a_heading_and_a_cluster_table(dedup_cli, samples_dir):
    run = dedup_cli("scan", samples_dir, "--jobs", "1", "--format", "markdown")

    assert run.code == 0
    assert run.stdout.startswith("<!-- dedup.scan/1: written by dedup scan -->\n# ")  # the mark, then the heading
    assert "| cluster |" in run.stdout
    row = next(line for line in run.stdout.splitlines() if line.startswith("| c1 |"))
    assert "copy" in row and "dpa-original.txt" in row and "kurzmeldung-shortened.txt" in row


@pytest.mark.parametrize("output_format", ["table", "json", "jsonl", "csv", "markdown"])
def test_output_option_writes_the_file_and_nothing_to_stdout(dedup_cli, samples_dir, tmp_path, output_format):
    target = tmp_path / f"report.{output_format}"

    run = dedup_cli("scan", samples_dir / "wire", "--jobs", "1", "--format", output_format, "--output", target)

    assert run.code == 0
    assert run.stdout == ""
    assert "dpa-original.txt" in target.read_text(encoding="utf-8")


def test_output_file_holds_the_same_report_as_stdout(dedup_cli, samples_dir, tmp_path):
    target = tmp_path / "report.json"

    to_stdout = dedup_cli("scan", samples_dir, "--jobs", "1", "--format", "json")
    to_file = dedup_cli("scan", samples_dir, "--jobs", "1", "--format", "json", "--output", target)

    assert to_file.code == 0
    assert json.loads(target.read_text(encoding="utf-8")) == to_stdout.json()


def test_output_replaces_an_existing_file_on_success(dedup_cli, samples_dir, tmp_path):
    target = tmp_path / "report.json"
    target.write_text("old report\n", encoding="utf-8")

    run = dedup_cli("scan", samples_dir / "wire", "--jobs", "1", "--format", "json", "--output", target)

    assert run.code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["schema"] == "dedup.scan/1"


# --- quiet -----------------------------------------------------------------------------------


def test_quiet_prints_no_summary_and_nothing_on_stderr(dedup_cli, samples_dir):
    loud = dedup_cli("scan", samples_dir / "wire", "--jobs", "1")
    quiet = dedup_cli("scan", samples_dir / "wire", "--jobs", "1", "--quiet")

    assert "scanned:" in loud.stdout
    assert quiet.code == 0
    assert "scanned:" not in quiet.stdout
    assert "c1" in quiet.stdout
    assert quiet.stderr == ""


def test_quiet_with_output_file_prints_nothing_at_all(dedup_cli, samples_dir, tmp_path):
    run = dedup_cli("scan", samples_dir / "wire", "--jobs", "1", "-q", "--output", tmp_path / "report.txt")

    assert (run.code, run.stdout, run.stderr) == (0, "", "")


def test_quiet_still_reports_errors(dedup_cli, samples_dir, tmp_path):
    run = dedup_cli("scan", samples_dir / "wire", tmp_path / "missing.txt", "--jobs", "1", "--quiet")

    assert run.code == 0
    assert "missing.txt" in run.stderr


# --- untrusted article text ---------------------------------------------------------------

HOSTILE_TITLE = "[bold]red[/] Alarm \x1b[31m rot [/]"


@pytest.fixture
def hostile_corpus(tmp_path, articles):
    """A copy pair whose title holds Rich markup and a terminal escape."""
    text = articles.text(2000)
    return articles.write_jsonl(tmp_path / "hostile.jsonl", [
        {"id": "h1", "title": HOSTILE_TITLE, "text": text},
        {"id": "h2", "title": "=HYPERLINK(\"http://evil.example\")", "source": "+Quelle", "text": articles.edited_copy(text)},
    ])


def test_table_shows_markup_literally_and_escapes_terminal_codes(dedup_cli, hostile_corpus):
    run = dedup_cli("scan", hostile_corpus, "--jobs", "1", "--format", "table")

    assert run.code == 0
    assert "\x1b" not in run.stdout + run.stderr
    assert "[bold]red[/]" in run.stdout
    assert "\\x1b[31m" in run.stdout


def test_markdown_escapes_markup_and_terminal_codes(dedup_cli, hostile_corpus):
    run = dedup_cli("scan", hostile_corpus, "--jobs", "1", "--format", "markdown")

    assert run.code == 0
    assert "\x1b" not in run.stdout
    assert "x1b" in run.stdout
    assert "[bold]" not in run.stdout  # a bare bracket would be Markdown link syntax
    assert "\\[bold\\]" in run.stdout


def test_csv_does_not_start_a_cell_with_a_formula_character(dedup_cli, hostile_corpus):
    run = dedup_cli("scan", hostile_corpus, "--jobs", "1", "--format", "csv")

    rows = list(csv.reader(io.StringIO(run.stdout)))
    assert len(rows) == 3
    for row in rows:
        for cell in row:
            assert cell[:1] not in ("=", "+", "-", "@"), row
    assert any("HYPERLINK" in cell for row in rows for cell in row)


@pytest.mark.parametrize("field", ["id", "date"])
def test_csv_does_not_start_any_untrusted_cell_with_a_formula_character(dedup_cli, tmp_path, articles, field):
    """Ids and dates come from the input as freely as titles do (OWASP CSV injection)."""
    text = articles.text(2001)
    first = {"id": "f1", "text": text, field: "=cmd|' /C calc'!A0"}
    second = {"id": "f2", "text": articles.edited_copy(text)}
    path = articles.write_jsonl(tmp_path / "formula.jsonl", [first, second])

    run = dedup_cli("scan", path, "--jobs", "1", "--format", "csv")

    rows = list(csv.reader(io.StringIO(run.stdout)))
    assert len(rows) == 3
    for row in rows:
        for cell in row:
            assert cell[:1] not in ("=", "+", "-", "@"), row


def test_errors_on_stderr_escape_terminal_codes_in_input_names(dedup_cli, tmp_path, samples_dir):
    run = dedup_cli("scan", samples_dir / "wire", str(tmp_path / "evil\x1b[2Jname.txt"), "--jobs", "1")

    assert run.code == 0
    assert "\x1b" not in run.stderr
    assert "\\x1b[2J" in run.stderr


# --- results independent of worker count and input order ----------------------------------


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory, articles):
    """~600 short generated documents (three worker batches of 256) with planted copies."""
    records = [{"id": f"doc-{number:03d}", "text": articles.text(5000 + number, sentences=4)} for number in range(600)]
    planted = {
        "copy-of-007": articles.edited_copy(records[7]["text"]),
        "dup-of-300": records[300]["text"],
        "copy-of-590": articles.edited_copy(records[590]["text"], seed=2),
        "copy-of-copy-590": articles.edited_copy(articles.edited_copy(records[590]["text"], seed=2), seed=4),
    }
    records += [{"id": name, "text": text} for name, text in planted.items()]
    path = tmp_path_factory.mktemp("big") / "corpus.jsonl"
    return articles.write_jsonl(path, records), records


EXPECTED_BIG_CLUSTERS = {
    frozenset({"doc-007", "copy-of-007"}),
    frozenset({"doc-300", "dup-of-300"}),
    frozenset({"doc-590", "copy-of-590", "copy-of-copy-590"}),
}


def clusters_as_sets(report: dict) -> set[frozenset[str]]:
    return {frozenset(cluster["members"]) for cluster in report["clusters"]}


def test_two_jobs_give_the_same_clusters_as_one(run_dedup, big_corpus):
    path, _ = big_corpus

    one = run_dedup("scan", path, "--format", "json", "--jobs", "1", "--quiet")
    two = run_dedup("scan", path, "--format", "json", "--jobs", "2", "--quiet")

    assert one.code == two.code == 0
    assert one.json()["documents"] == two.json()["documents"] == 604
    assert clusters_as_sets(one.json()) == EXPECTED_BIG_CLUSTERS
    assert one.json()["clusters"] == two.json()["clusters"]


def test_shuffled_input_gives_the_same_clusters(dedup_cli, big_corpus, tmp_path, articles):
    _, records = big_corpus
    shuffled = list(records)
    random.Random(42).shuffle(shuffled)
    path = articles.write_jsonl(tmp_path / "shuffled.jsonl", shuffled)

    run = dedup_cli("scan", path, "--format", "json", "--jobs", "1")

    assert run.code == 0
    assert clusters_as_sets(run.json()) == EXPECTED_BIG_CLUSTERS
