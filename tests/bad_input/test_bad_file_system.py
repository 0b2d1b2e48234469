"""File system: missing paths, folders without articles, pipes, devices, links, deep and
unreadable folders, output files.

The contract each case is held to is in contract.py."""

from __future__ import annotations

import os

import pytest

from bad_input.contract import assert_clean_stderr, assert_reported, scan_json


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


def test_an_unreadable_subfolder_is_reported(dedup_cli, corpus, monkeypatch):
    locked = corpus / "locked"
    locked.mkdir()
    (locked / "a.txt").write_text("Ein Text.", encoding="utf-8")
    _lock(locked, monkeypatch)

    assert_reported(scan_json(dedup_cli, "corpus"), "corpus/locked", None, "cannot read this folder", "permissions")


def test_an_unreadable_top_folder_is_reported_as_such(dedup_cli, corpus, tmp_path, monkeypatch):
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "a.txt").write_text("Ein Text.", encoding="utf-8")
    _lock(locked, monkeypatch)

    assert_reported(scan_json(dedup_cli, "corpus", "locked"), "locked", None, "cannot read this folder")


def _lock(folder, monkeypatch):
    """The PermissionError a folder with mode 000 gives: simulated, because CI runs as
    root, who reads any folder."""
    real_scandir = os.scandir

    def scandir(path="."):
        if os.path.realpath(path) == os.path.realpath(folder):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)




def test_a_link_to_a_folder_outside_is_listed_not_followed(dedup_cli, corpus, tmp_path, articles):
    outside = tmp_path / "elsewhere"
    articles.write(outside / "far.txt", seed=1201)
    (corpus / "linked").symlink_to(outside, target_is_directory=True)

    run = scan_json(dedup_cli, "corpus")

    assert_reported(run, "corpus/linked", None, "link to a folder", "--follow-symlinks")
    assert run.json()["documents"] == 3


def test_follow_symlinks_reads_links_out_of_the_corpus_and_ends_link_loops(dedup_cli, corpus, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "copy-again.txt").write_text((corpus / "copy.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (outside / "back").symlink_to(corpus, target_is_directory=True)  # a loop: corpus -> elsewhere -> corpus
    (corpus / "linked").symlink_to(outside, target_is_directory=True)
    (corpus / "zero.txt").symlink_to("/dev/zero")

    run = scan_json(dedup_cli, "corpus", options=("--follow-symlinks",))

    assert_reported(run, "corpus/zero.txt", None, "not a regular file",
                    good_pair={"original.txt", "copy.txt", "linked/copy-again.txt"})
    assert run.json()["documents"] == 4  # each real file once, however many ways lead to it


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_a_device_named_on_the_command_line_is_refused(dedup_cli, corpus, device):
    assert_reported(scan_json(dedup_cli, "corpus", device), device, None, "not a regular file")


def test_output_onto_a_folder_is_one_line_and_changes_nothing(dedup_cli, corpus, tmp_path):
    run = dedup_cli("scan", "corpus", "--format", "json", "-o", "corpus")

    assert run.code == 2 and run.stdout == ""
    assert_clean_stderr(run.stderr)
    assert len(run.stderr.splitlines()) == 1 and "corpus" in run.stderr
    assert sorted(path.name for path in (tmp_path / "corpus").iterdir()) == ["copy.txt", "original.txt", "other.txt"]
