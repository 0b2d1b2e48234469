"""The contract every bad input is held to, shared by the suite's files (one per class of
bad input: encodings, structure, file system, options, environment, signals, index
tampering, report injection).

For each bad input (cli.py, STYLE.md): the exit code says whether anything could be
scanned (0) or not (2); stderr carries one line per problem, each starting with "dedup:",
naming the input (and its line where there is one) and the fix, never a traceback;
`--format json` lists the problem under "errors" with input, line and message; and the
good documents beside it are still read and grouped: nothing is lost.

The corpus (the `corpus` fixture, conftest.py) is a directory "corpus" in the test's
working directory, holding a copy pair (original.txt, copy.txt) and an unrelated article;
each test puts one bad input beside them and passes relative paths, as a user at a shell
would.
"""

from __future__ import annotations

import json

GOOD_PAIR = frozenset({"original.txt", "copy.txt"})
# Words with which a message tells the user what to do about the problem.
FIX_WORDS = ("check", "fix", "use ", "pass ", "name ", "give ", "remove", "re-encode", "choose", "add ",
             "delete", "save ", "convert", "export", "rename", "--", "dedup reads", "write ", "redirect",
             "free space", "retry", "rebuild", "create ", "pip install")


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


def jsonl_with_copy_pair(articles, bad_line: bytes) -> bytes:
    """Three JSONL lines: j1, the bad line, j3 (a copy of j1), so the pair shows both good lines were read."""
    text = articles.text(1020)
    good_1 = json.dumps({"id": "j1", "text": text}, ensure_ascii=False).encode("utf-8")
    good_3 = json.dumps({"id": "j3", "text": articles.edited_copy(text)}, ensure_ascii=False).encode("utf-8")
    return good_1 + b"\n" + bad_line + b"\n" + good_3 + b"\n"
