"""Options: every value checked at the command line, the option named in the message.

The contract each case is held to is in contract.py."""

from __future__ import annotations

import pytest

from bad_input.contract import assert_clean_stderr


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
        pytest.param(["--shingles", "word:²"], "--shingles", id="shingles-superscript-digit"),
        pytest.param(["--shingles", "word:65"], "--shingles", id="shingles-too-long"),
        pytest.param(["--threshold", "nan"], "--threshold", id="threshold-nan"),
        pytest.param(["--containment", "inf"], "--containment", id="containment-inf"),
        pytest.param(["--explain"], "--mode story", id="explain-without-stories"),
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


@pytest.mark.parametrize(
    "argv, named",
    [
        pytest.param(["index", "add", "corpus", "--index", "i.db", "--num-perm", "0"], "--num-perm", id="index-num-perm-0"),
        pytest.param(["index", "add", "corpus", "--index", "i.db", "--seed", "-1"], "--seed", id="index-seed-negative"),
        pytest.param(["index", "add", "corpus", "--index", "i.db", "--shingles", "word:²"], "--shingles", id="index-shingles"),
        pytest.param(["index", "add", "corpus", "--index", "i.db", "--jobs", "100000"], "--jobs", id="index-jobs-runaway"),
        pytest.param(["check", "corpus", "--against", "i.db", "--fail-on", "bogus"], "--fail-on", id="check-fail-on"),
        pytest.param(["check", "corpus", "--against", "i.db", "--format", "xml"], "--format", id="check-format"),
        pytest.param(["check", "corpus", "--against", "i.db", "--update-baseline"], "--baseline", id="update-without-baseline"),
        pytest.param(["compare", "corpus/original.txt", "corpus/copy.txt", "--width", "10"], "--width", id="compare-width"),
        pytest.param(["compare", "corpus/original.txt", "corpus/copy.txt", "--encoding", "rot13"], "rot13", id="compare-encoding"),
        pytest.param(["review", "corpus", "--decisions", "no/such/folder/d.json"], "--decisions", id="review-decisions-folder"),
        pytest.param(["review", "-"], "standard input", id="review-stdin"),
    ],
)
def test_bad_options_of_every_command_leave_nothing_behind(dedup_cli, corpus, tmp_path, argv, named):
    before = sorted(path.name for path in tmp_path.iterdir())

    run = dedup_cli(*argv)

    assert run.code == 2 and run.stdout == ""
    assert_clean_stderr(run.stderr)
    assert len(run.stderr.splitlines()) == 1 and named in run.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == before  # no index file, no decisions, no temporary


def test_dedup_alone_prints_its_help(run_dedup):
    run = run_dedup()

    assert run.code == 2 and "Commands:" in run.stdout and "scan" in run.stdout and run.stderr == ""
