"""`dedup compare` output: the dedup.compare/1 contract, the side-by-side table at fixed
widths, Markdown and HTML, safe rendering of hostile article text, --output, and the
one-line errors for inputs that cannot be read."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys

import pytest
from conftest import REPO_ROOT, _child_env

SEEDS = REPO_ROOT / "samples" / "seeds"
LEFT = SEEDS / "derstandard-apa-2021-12-30-biden-putin-telefonat.txt"
RIGHT = SEEDS / "dw-2021-12-31-biden-warnt-putin.txt"
RIGHT_TITLE = "Biden warnt Putin, Putin warnt Biden"
KINDS = {"shared", "paraphrase", "conflict", "left_only", "right_only", "heading"}
STATUSES = {"shared", "left_only", "right_only", "conflict"}
ROW_SYMBOLS = ("=", "≈", "!", "◀", "▶")
HOSTILE = "[bold]x[/] <script>alert(1)</script> a|b \x1b[31m"


@pytest.fixture(scope="module")
def seed_diff():
    from dedup.facts.compare import compare
    from dedup.io.read_files import PendingFile

    left, right = (PendingFile(str(path), str(path)).load()[0] for path in (LEFT, RIGHT))
    return compare(left, right)


@pytest.fixture
def hostile_pair(tmp_path, articles):
    """Two reports whose titles and sentences carry markup, HTML, pipes and a terminal escape."""
    shared = articles.text(11, 3)
    left = articles.write(tmp_path / "left.txt", title=f"Links {HOSTILE}",
                          text=f"{shared} Der Sprecher sagte {HOSTILE} am Montag. {articles.text(12, 2)}")
    right = articles.write(tmp_path / "right.txt", title=f"Rechts {HOSTILE}",
                           text=f"{shared} Der Sprecher meinte {HOSTILE} am Montag. {articles.text(13, 2)}")
    return left, right


def _table_lines(diff, width: int) -> list[str]:
    from rich.console import Console

    from dedup.io.compare_render import render_compare

    console = Console(width=width, record=True, file=io.StringIO(), highlight=False)
    render_compare(diff, console)
    return console.export_text().splitlines()


# --- JSON: the dedup.compare/1 contract ------------------------------------------------------


def test_json_follows_the_compare_schema(dedup_cli):
    run = dedup_cli("compare", LEFT, RIGHT, "--format", "json")

    assert run.code == 0, run.stderr
    document = run.json()
    assert document["schema"] == "dedup.compare/1"
    assert {"schema", "left", "right", "rows", "atoms", "summary"} <= set(document)
    for side in ("left", "right"):
        assert {"id", "source", "title", "date", "agencies"} <= set(document[side])
    assert document["right"]["title"] == RIGHT_TITLE
    assert document["rows"] and document["atoms"]


def test_json_rows_are_valid_and_summary_counts_them(dedup_cli):
    document = dedup_cli("compare", LEFT, RIGHT, "--format", "json").json()
    left_sentences = right_sentences = 0
    for row in document["rows"]:
        assert {"kind", "left", "right", "left_text", "right_text", "similarity", "diff", "conflicts"} <= set(row)
        assert row["kind"] in KINDS
        if row["kind"] != "heading":  # a heading of one report stands on its side alone
            assert (row["kind"] == "right_only") == (not row["left"])
            assert (row["kind"] == "left_only") == (not row["right"])
        for segment in row["diff"]:
            assert set(segment) == {"op", "left", "right"}
        left_sentences = max([left_sentences, *(index + 1 for index in row["left"])])
        right_sentences = max([right_sentences, *(index + 1 for index in row["right"])])
    left_indices = sorted(index for row in document["rows"] for index in row["left"])
    right_indices = sorted(index for row in document["rows"] for index in row["right"])
    # Every sentence of each report stands in exactly one row.
    assert left_indices == list(range(left_sentences))
    assert right_indices == list(range(right_sentences))
    for kind in KINDS:
        assert document["summary"][kind] == sum(row["kind"] == kind for row in document["rows"])
    assert any(row["kind"] == "paraphrase" and row["diff"] for row in document["rows"])


def test_json_atoms_have_types_forms_and_counted_statuses(dedup_cli):
    document = dedup_cli("compare", LEFT, RIGHT, "--format", "json").json()

    for atom in document["atoms"]:
        assert {"type", "value", "left", "right", "status"} <= set(atom)
        assert atom["status"] in STATUSES
        assert atom["left"] or atom["right"]
    for status in STATUSES:
        assert document["summary"]["atoms"][status] == sum(atom["status"] == status for atom in document["atoms"])


def test_row_indices_point_at_the_sentences_they_quote(seed_diff):
    from dedup.io.compare_render import compare_to_dict

    for row in compare_to_dict(seed_diff)["rows"]:
        for index in row["left"]:
            assert seed_diff.left_sentences[index] in row["left_text"]
        for index in row["right"]:
            assert seed_diff.right_sentences[index] in row["right_text"]


# --- the table ---------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [100, 200])
def test_table_fits_the_width_and_shows_titles_and_legend(seed_diff, width):
    lines = _table_lines(seed_diff, width)
    text = "\n".join(lines)

    assert max(len(line) for line in lines) <= width
    for symbol in ROW_SYMBOLS:
        assert symbol in text
    assert "paraphrase" in text and "left only" in text and "right only" in text
    assert RIGHT_TITLE in text
    assert "2021-12-30" in text and "2021-12-31" in text
    if width == 200:  # the untitled left report is named by its id, unfolded at this width
        assert LEFT.name in text
    assert "Atoms" in text and "person" in text


@pytest.mark.parametrize("width", ["100", "200"])
def test_table_from_the_command_fits_width(dedup_cli, width):
    run = dedup_cli("compare", LEFT, RIGHT, "--width", width)

    assert run.code == 0, run.stderr
    assert max(len(line) for line in run.stdout.splitlines()) <= int(width)
    assert RIGHT_TITLE in run.stdout


# --- Markdown and HTML -------------------------------------------------------------------------


def test_markdown_has_legend_rows_and_atoms(dedup_cli):
    run = dedup_cli("compare", LEFT, RIGHT, "--format", "markdown")

    assert run.code == 0, run.stderr
    # A first line that marks the file as dedup's, so a scan of a folder it is saved in passes it over.
    assert run.stdout.startswith("<!-- dedup.compare/1: written by dedup compare -->\n# dedup compare")
    assert "| kind | left | right |" in run.stdout
    assert "## Atoms" in run.stdout
    assert "≈ paraphrase" in run.stdout and "**" in run.stdout and "~~" not in run.stdout


def test_html_is_one_self_contained_page(dedup_cli):
    run = dedup_cli("compare", LEFT, RIGHT, "--format", "html")

    assert run.code == 0, run.stderr
    page = run.stdout
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<style>" in page and '<mark class="only-left">' in page and '<mark class="only-right">' in page
    assert "<script" not in page and "src=" not in page and "href=" not in page
    assert "Atoms" in page and RIGHT_TITLE in page


# --- hostile text --------------------------------------------------------------------------------


def test_table_shows_hostile_text_literally(dedup_cli, hostile_pair):
    run = dedup_cli("compare", *hostile_pair, "--width", "100")

    assert run.code == 0, run.stderr
    assert "[bold]x[/]" in run.stdout
    assert "\x1b" not in run.stdout
    assert "\\x1b" in run.stdout
    assert max(len(line) for line in run.stdout.splitlines()) <= 100


def test_html_escapes_hostile_text(dedup_cli, hostile_pair):
    page = dedup_cli("compare", *hostile_pair, "--format", "html").stdout

    assert "&lt;script&gt;" in page
    assert "<script" not in page
    assert "\x1b" not in page


def test_markdown_escapes_hostile_text(dedup_cli, hostile_pair):
    document = dedup_cli("compare", *hostile_pair, "--format", "markdown").stdout

    assert "a\\|b" in document
    assert "<script>" not in document and "\\<script\\>" in document
    assert "\\[bold\\]" in document
    assert "\x1b" not in document
    rows = [line for line in document.splitlines() if line.startswith(tuple(f"| {symbol} " for symbol in ROW_SYMBOLS))]
    assert any("a\\|b" in row for row in rows)
    for row in rows:  # three cells: the only unescaped pipes are the four borders
        assert len(re.findall(r"(?<!\\)\|", row)) == 4


def test_json_keeps_article_text_as_is(dedup_cli, hostile_pair):
    document = dedup_cli("compare", *hostile_pair, "--format", "json").json()

    assert HOSTILE in document["left"]["title"]


# --- --output --------------------------------------------------------------------------------------


@pytest.mark.parametrize("output_format", ["table", "json", "markdown", "html"])
def test_output_writes_the_file_atomically(dedup_cli, tmp_path, output_format):
    target = tmp_path / f"comparison.{output_format}"
    target.write_text("old report\n", encoding="utf-8")

    run = dedup_cli("compare", LEFT, RIGHT, "--format", output_format, "--output", target)

    assert run.code == 0, run.stderr
    assert run.stdout == ""
    written = target.read_text(encoding="utf-8")
    assert "old report" not in written and RIGHT_TITLE in written
    assert [path.name for path in tmp_path.iterdir()] == [target.name]  # no temporary file left
    if output_format == "json":
        assert json.loads(written)["schema"] == "dedup.compare/1"
    if output_format == "table":
        assert max(len(line) for line in written.splitlines()) <= 120


def test_output_to_a_missing_directory_fails_in_one_line(dedup_cli, tmp_path):
    run = dedup_cli("compare", LEFT, RIGHT, "--format", "json", "--output", tmp_path / "nowhere" / "out.json")

    assert run.code == 2
    assert len(run.stderr_lines) == 1 and "--output" in run.stderr


# --- selecting a record and errors --------------------------------------------------------------------


def test_a_jsonl_record_is_selected_by_id(dedup_cli, tmp_path, articles):
    corpus = articles.write_jsonl(tmp_path / "corpus.jsonl", [
        {"id": "a", "title": "Erster Bericht", "text": articles.text(1)},
        {"id": "b", "title": "Zweiter Bericht", "text": articles.text(2)},
    ])

    run = dedup_cli("compare", f"{corpus}#a", f"{corpus}#b", "--format", "json")

    assert run.code == 0, run.stderr
    document = run.json()
    assert (document["left"]["id"], document["right"]["id"]) == ("a", "b")
    assert document["left"]["title"] == "Erster Bericht"


def test_a_csv_record_is_selected_by_id(dedup_cli, tmp_path, articles):
    corpus = tmp_path / "corpus.csv"
    corpus.write_text(f"id,title,text\nx,Eins,{articles.text(3, 3)}\ny,Zwei,{articles.text(4, 3)}\n", encoding="utf-8")

    run = dedup_cli("compare", f"{corpus}#y", LEFT, "--format", "json")

    assert run.code == 0, run.stderr
    assert run.json()["left"]["title"] == "Zwei"


def test_missing_file_exits_2_in_one_line(dedup_cli, tmp_path):
    run = dedup_cli("compare", tmp_path / "missing.txt", RIGHT)

    assert run.code == 2
    assert run.stdout == ""
    assert len(run.stderr_lines) == 1
    assert "missing.txt" in run.stderr and "check the path" in run.stderr


def test_unknown_id_exits_2_in_one_line_naming_it(dedup_cli, tmp_path, articles):
    corpus = articles.write_jsonl(tmp_path / "file.jsonl", [{"id": "a", "text": articles.text(1)}])

    run = dedup_cli("compare", f"{corpus}#nope", RIGHT)

    assert run.code == 2
    assert len(run.stderr_lines) == 1
    assert "'nope'" in run.stderr and "file.jsonl" in run.stderr


def test_corpus_without_an_id_asks_for_one(dedup_cli, tmp_path, articles):
    corpus = articles.write_jsonl(tmp_path / "two.jsonl", [{"id": "a", "text": articles.text(1)},
                                                           {"id": "b", "text": articles.text(2)}])

    run = dedup_cli("compare", corpus, RIGHT)

    assert run.code == 2
    assert len(run.stderr_lines) == 1 and "#ID" in run.stderr


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02binary\x00" * 50])
def test_empty_or_binary_input_exits_2_in_one_line(dedup_cli, tmp_path, content):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)

    run = dedup_cli("compare", bad, RIGHT)

    assert run.code == 2
    assert len(run.stderr_lines) == 1 and "bad.txt" in run.stderr


def test_unknown_format_exits_2(dedup_cli):
    run = dedup_cli("compare", LEFT, RIGHT, "--format", "pdf")

    assert run.code == 2
    assert len(run.stderr_lines) == 1 and "--format" in run.stderr


# --- start-up ----------------------------------------------------------------------------------------


def test_scan_and_help_do_not_import_the_comparer():
    script = (
        "import sys\nfrom dedup.cli import main\n"
        "main(['--help'])\n"
        "main(['scan', 'samples/wire', '--jobs', '1', '--format', 'json'])\n"
        "assert 'dedup.facts.compare' not in sys.modules, 'scan imported the comparer'\n"
        "assert 'dedup.io.compare_render' not in sys.modules, 'scan imported the compare renderers'\n"
    )
    completed = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, env=_child_env(),
                               capture_output=True, timeout=120)

    assert completed.returncode == 0, completed.stderr.decode()
