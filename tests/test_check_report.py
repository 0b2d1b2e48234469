"""What `dedup check` reports, in each format: one entry per incoming document with its
matches best first, in file-and-line order, the verdict first; GitHub annotations within
GitHub's limits and a step summary; JUnit counts that agree with the summary line.

The index holds generated articles; the incoming batch (one JSONL file) brings copies of
some at chosen lines, so the tests know which document must be reported where.
"""

from __future__ import annotations

import hashlib
import re
from xml.etree import ElementTree

import pytest
from conftest import Articles, run_dedup_process

from dedup.io.check_groups import ShortOrigins, natural_key
from dedup.model import Article

LINES = 110  # incoming records
DUPLICATE_LINE = 2  # the exact text of ix-3
TWO_MATCH_LINE = 9  # a copy of ix-7, which the index also holds reprinted
SINGLE_COPY_LINES = {10: 11, 100: 12, **{line: line - 7 for line in range(20, 30)}}  # line: indexed seed
FAILING_LINES = sorted({DUPLICATE_LINE, TWO_MATCH_LINE, *SINGLE_COPY_LINES})  # 14 documents
RETOLD_LINE = 50  # another report of ix-23's event, in its own words
SUMMARY = re.compile(r"dedup check (FAILED|passed): (\d+) document\(s\) failing, (\d+) finding\(s\) at or above")


def _incoming_record(line: int) -> dict:
    if line == DUPLICATE_LINE:
        seed, text = 3, Articles.text(3)
    elif line == TWO_MATCH_LINE:
        seed, text = 7, Articles.edited_copy(Articles.text(7))
    elif line in SINGLE_COPY_LINES:
        seed = SINGLE_COPY_LINES[line]
        text = Articles.edited_copy(Articles.text(seed))
    elif line == RETOLD_LINE:
        seed, text = 23, Articles.retold(23, sentences=10)
    else:
        return {"id": f"new-{line}", "title": f"Neu {line}", "text": Articles.text(5000 + line)}
    return {"id": f"in-{line}", "title": f"Eingang {line}: {Articles.title(seed)}", "text": text}


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """(index, incoming.jsonl): 30 indexed articles and a reprint of one; 110 incoming records."""
    place = tmp_path_factory.mktemp("check-report")
    indexed = [{"id": f"ix-{seed}", "title": f"Artikel {seed}: {Articles.title(seed)}",
                "text": Articles.text(seed, sentences=10 if seed == 23 else 8)} for seed in range(30)]
    indexed.append({"id": "ix-7-reprint", "title": "Nachdruck von Artikel 7", "text": Articles.edited_copy(Articles.text(7), seed=3)})
    Articles.write_jsonl(place / "indexed.jsonl", indexed)
    index = place / "corpus.index"
    added = run_dedup_process("index", "add", place / "indexed.jsonl", "--index", index, "-q")
    assert added.code == 0, added.stderr
    incoming = Articles.write_jsonl(place / "incoming.jsonl", [_incoming_record(line) for line in range(1, LINES + 1)])
    return index, incoming


def _joined(text: str) -> str:
    """Output with Rich's line wrapping undone."""
    return " ".join(text.split())


def _headings(table: str) -> list[str]:
    return [line.split()[1] for line in table.splitlines() if line.startswith(("✗ ", "· "))]


# --- the table ---------------------------------------------------------------------------


def test_the_table_has_one_entry_per_incoming_document_with_its_matches_best_first(batch, dedup_cli, monkeypatch):
    index, incoming = batch
    monkeypatch.setenv("COLUMNS", "80")
    run = dedup_cli("check", incoming, "--against", index)
    assert run.code == 1, run.stderr
    table = run.stdout

    # The verdict first, and again at the end of a long report.
    lines = table.splitlines()
    assert lines[0].startswith("dedup check FAILED: 14 document(s) failing, 15 finding(s)")
    assert _joined(table).count("dedup check FAILED: 14 document(s) failing") == 2
    # One entry per document: the one with two matches is listed once.
    assert _headings(table) == [f"incoming.jsonl:{line}" for line in FAILING_LINES]
    entry = table.split("incoming.jsonl:9 ")[1].split("\n\n")[0]
    assert "Eingang 9:" in entry and "id in-9" in entry
    # Its matches, best first: the closer copy, then the reprint; each with title, id, measure.
    assert entry.index("ix-7, in the index") < entry.index("ix-7-reprint, in the index")
    assert "Artikel 7:" in entry and "Nachdruck von Artikel 7" in entry
    assert re.search(r"Jaccard 0\.9\d, containment 0\.9\d \(shared word sequences", _joined(entry))
    duplicate = table.split("incoming.jsonl:2 ")[1].split("\n\n")[0]
    assert "duplicate" in duplicate and "the same text after normalisation" in duplicate
    assert all(len(line) <= 80 for line in lines)


def test_the_report_is_the_same_from_either_index(index_location, tmp_path, dedup_cli):
    """SQLite or Redis, the same grouped entry: a document with two matches, listed once."""
    Articles.write_jsonl(tmp_path / "indexed.jsonl", [
        {"id": "one", "title": "Erster", "text": Articles.text(41)},
        {"id": "two", "title": "Zweiter", "text": Articles.edited_copy(Articles.text(41), seed=4)}])
    assert dedup_cli("index", "add", tmp_path / "indexed.jsonl", "--index", index_location, "-q").code == 0
    incoming = Articles.write_jsonl(tmp_path / "incoming.jsonl", [{"id": "new", "text": Articles.edited_copy(Articles.text(41))}])
    run = dedup_cli("check", incoming, "--against", index_location)
    assert run.code == 1, run.stderr
    assert _headings(run.stdout) == ["incoming.jsonl:1"]
    assert run.stdout.index("one, in the index") < run.stdout.index("two, in the index")
    assert _joined(run.stdout).startswith("dedup check FAILED: 1 document(s) failing, 2 finding(s)")


def test_the_table_sorts_by_file_and_line_as_people_count(tmp_path, batch, dedup_cli):
    index, _ = batch
    for name, seed in (("a10.txt", 20), ("a2.txt", 21), ("b1.txt", 22)):
        Articles().write(tmp_path / "files" / name, text=Articles.edited_copy(Articles.text(seed)))
    run = dedup_cli("check", tmp_path / "files", "--against", index)
    assert run.code == 1, run.stderr
    assert _headings(run.stdout) == ["a2.txt", "a10.txt", "b1.txt"]
    assert "id a2.txt" not in run.stdout  # the file's name is its id: not said twice


def test_natural_key_orders_numbers_as_numbers():
    names = ["x.jsonl:484", "a10.txt", "x.jsonl:58", "A2.txt", "x.jsonl:9", "b.txt", "a1b.txt"]
    assert sorted(names, key=natural_key) == ["a1b.txt", "A2.txt", "a10.txt", "b.txt", "x.jsonl:9", "x.jsonl:58", "x.jsonl:484"]


def test_origins_are_shown_relative_to_the_directory_they_share():
    deep = "/srv/ci/workspace/a-very-long-checkout-directory-name/batches/2024/incoming.jsonl"
    one_directory = ShortOrigins([Article("a", "", origin=f"{deep}:182"), Article("b", "", origin=f"{deep}:58")])
    assert one_directory(Article("a", "", origin=f"{deep}:182")) == "incoming.jsonl:182"
    two = ShortOrigins([Article("a", "", origin="/in/one/a.txt"), Article("b", "", origin="/in/two/b.txt")])
    assert two(Article("a", "", origin="/in/one/a.txt")) == "one/a.txt"
    long_name = "/in/" + "x" * 60 + ".txt"
    shown = ShortOrigins([Article("c", "", origin=long_name), Article("d", "", origin="/other/d.txt")])(
        Article("c", "", origin=long_name))
    assert len(shown) <= 40 and shown.startswith("…") and shown.endswith("xx.txt")


def test_a_run_that_passes_because_everything_is_accepted_prints_only_the_summary(batch, dedup_cli, tmp_path):
    index, incoming = batch
    baseline = tmp_path / "decisions.json"
    recorded = dedup_cli("check", incoming, "--against", index, "--baseline", baseline, "--update-baseline")
    assert recorded.code == 0, recorded.stderr

    run = dedup_cli("check", incoming, "--against", index, "--baseline", baseline)
    assert run.code == 0, run.stderr
    assert _joined(run.stdout) == (
        f"dedup check passed: 0 document(s) failing, 0 finding(s) at or above --fail-on copy; {LINES} document(s) "
        f"checked against {index}; 15 finding(s) in all, 15 accepted by the baseline (--show-accepted lists them)")

    shown = dedup_cli("check", incoming, "--against", index, "--baseline", baseline, "--show-accepted")
    assert shown.code == 0
    assert _headings(shown.stdout) == [f"incoming.jsonl:{line}" for line in FAILING_LINES]
    assert _joined(shown.stdout).count("accepted in the baseline as duplicate") == 15
    assert "✗" not in shown.stdout


def test_story_findings_say_same_event_and_their_probability(batch, dedup_cli):
    index, incoming = batch
    run = dedup_cli("check", incoming, "--against", index, "--mode", "story", "--format", "json")
    assert run.code == 1, run.stderr
    # Generated articles share their word lists, so the story model links many; the retelling's
    # closest is the report it retells.
    best = max((f for f in run.json()["findings"] if f["document"] == f"in-{RETOLD_LINE}"), key=lambda f: f["score"])
    assert best["other"] == "ix-23" and best["other_title"].startswith("Artikel 23:")
    table = dedup_cli("check", incoming, "--against", index, "--mode", "story").stdout
    entry = _joined(table.split(f"incoming.jsonl:{RETOLD_LINE} ")[1].split("\n\n")[0])
    assert entry.split(" story ")[1].startswith(f"Artikel 23: {Articles.title(23)} ix-23, in the index "
                                                f"same event, probability {best['score']:.2f}")


# --- GitHub Actions ----------------------------------------------------------------------


def test_github_annotates_each_document_once_most_important_first_within_the_limit(batch, dedup_cli, monkeypatch, tmp_path):
    index, incoming = batch
    step_summary = tmp_path / "step-summary.md"
    step_summary.write_text("## Earlier step output\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(step_summary))
    run = dedup_cli("check", incoming, "--against", index, "--format", "github")
    assert run.code == 1, run.stderr

    *annotations, totals = run.stdout.splitlines()
    assert len(annotations) == 10 and all(line.startswith("::error file=") for line in annotations)
    lines = [int(re.search(r",line=(\d+),", annotation).group(1)) for annotation in annotations]
    # The duplicate first, then the copy with two matches, then single copies by file and line.
    assert lines == [DUPLICATE_LINE, TWO_MATCH_LINE, 10, 20, 21, 22, 23, 24, 25, 26]
    assert "title=dedup%3A duplicate::in-2 is a duplicate of ix-3" in annotations[0]
    assert "title=dedup%3A copy%2C 2 matches::in-9 is a copy of ix-7 " in annotations[1]
    assert "%0Ain-9 is a copy of ix-7-reprint " in annotations[1]
    # The totals: the verdict, and how many GitHub would not have shown.
    assert totals.startswith("::notice title=dedup check FAILED::dedup check FAILED: 14 document(s) failing, 15 finding(s)")
    assert "left out of the annotations" in totals and "4 failing document(s)" in totals

    # The step summary: appended to what the step wrote before, every failing document in its table.
    summary = step_summary.read_text(encoding="utf-8")
    assert summary.startswith("## Earlier step output\n### dedup check FAILED\n")
    rows = [line for line in summary.splitlines() if line.startswith("| ✗ |")]
    assert [row.split(" | ")[1].split("<br>")[0] for row in rows] == [f"incoming.jsonl:{line}" for line in FAILING_LINES]
    assert "copy: ix-7 “Artikel 7: " in summary and "copy: ix-7-reprint “Nachdruck von Artikel 7”" in summary


def test_without_github_step_summary_nothing_is_written(batch, dedup_cli, monkeypatch, tmp_path):
    index, incoming = batch
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.chdir(tmp_path)
    assert dedup_cli("check", incoming, "--against", index, "--format", "github").code == 1
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_step_summary_is_one_line_naming_the_variable(batch, dedup_cli, monkeypatch, tmp_path):
    index, incoming = batch
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path))  # a directory
    run = dedup_cli("check", incoming, "--against", index, "--format", "github")
    assert run.code == 2
    assert run.stderr.count("\n") == 1 and run.stderr.startswith(f"dedup: cannot append the step summary to {tmp_path}")
    assert "GITHUB_STEP_SUMMARY" in run.stderr and "Traceback" not in run.stderr


def test_github_without_findings_gives_only_the_totals(batch, dedup_cli, tmp_path):
    index, _ = batch
    fresh = Articles.write_jsonl(tmp_path / "fresh.jsonl", [{"id": "f", "text": Articles.text(9999)}])
    run = dedup_cli("check", fresh, "--against", index, "--format", "github")
    assert run.code == 0
    assert run.stdout.splitlines() == [
        f"::notice title=dedup check passed::dedup check passed: 0 document(s) failing, 0 finding(s) at or above --fail-on "
        f"copy; 1 document(s) checked against {index}; 0 finding(s) in all, 0 accepted by the baseline"]


# --- JUnit, JSON, SARIF -------------------------------------------------------------------


def test_junit_counts_agree_with_the_summary(batch, dedup_cli, tmp_path):
    index, incoming = batch
    report = tmp_path / "junit.xml"
    run = dedup_cli("check", incoming, "--against", index, "--format", "junit", "-o", report)
    assert run.code == 1
    verdict, failing_documents, failing_findings = SUMMARY.search(run.stderr).groups()
    assert verdict == "FAILED"

    suite = ElementTree.parse(report).getroot().find("testsuite")
    assert suite.get("tests") == str(LINES)
    assert suite.get("failures") == failing_documents == str(len(FAILING_LINES))
    properties = {prop.get("name"): prop.get("value") for prop in suite.iter("property")}
    assert properties["findings_failing"] == failing_findings == "15"
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    failures = [case.findall("failure") for case in cases.values()]
    assert sum(len(found) for found in failures) == len(FAILING_LINES)  # one failure per document
    (two_matches,) = cases["in-9"].findall("failure")
    assert two_matches.get("type") == "copy" and two_matches.get("message").startswith("2 match(es)")
    assert two_matches.text.splitlines()[0].startswith("in-9 is a copy of ix-7 ")
    assert two_matches.text.splitlines()[1].startswith("in-9 is a copy of ix-7-reprint ")
    # Test cases by file and line: in-2 before in-9 before in-10.
    names = [case.get("name") for case in suite.iter("testcase")]
    assert names.index("in-2") < names.index("in-9") < names.index("in-10") < names.index("in-100")

    document = dedup_cli("check", incoming, "--against", index, "--format", "json").json()
    assert document["documents_failing"] == int(failing_documents) and document["findings_failing"] == int(failing_findings)


def test_json_adds_titles_and_keeps_every_field(batch, dedup_cli):
    index, incoming = batch
    document = dedup_cli("check", incoming, "--against", index, "--format", "json").json()
    (finding,) = [f for f in document["findings"] if f["document"] == "in-2"]
    assert {"document", "origin", "other", "other_in_index", "relation", "similarity", "containment", "score",
            "accepted_as", "fails", "fingerprint", "document_stub", "other_stub"} <= set(finding)
    assert finding["title"].startswith("Eingang 2:") and finding["other_title"].startswith("Artikel 3:")
    assert finding["other_origin"] is None  # in the index


def test_sarif_rules_explain_themselves_and_fingerprints_stay_per_pair(batch, dedup_cli):
    index, incoming = batch
    sarif = dedup_cli("check", incoming, "--against", index, "--format", "sarif").json()
    (run_,) = sarif["runs"]
    for rule in run_["tool"]["driver"]["rules"]:
        assert rule["fullDescription"]["text"] and rule["help"]["text"] and rule["help"]["markdown"]
    assert len(run_["results"]) == 15  # one per pair, as code scanning has them on record
    for result in run_["results"]:
        document = result["message"]["text"].split(" ")[0]
        first, second = sorted((document, result["properties"]["other"]))
        relation = result["ruleId"].removeprefix("dedup/")
        expected = hashlib.sha256(f"dedup-pair/v1\0{first}\0{second}\0{relation}".encode()).hexdigest()[:32]
        assert result["partialFingerprints"] == {"dedupPair/v1": expected}


def test_a_report_file_for_the_table_keeps_the_grouped_layout(batch, dedup_cli, tmp_path):
    index, incoming = batch
    report = tmp_path / "report.txt"
    run = dedup_cli("check", incoming, "--against", index, "-o", report)
    assert run.code == 1 and SUMMARY.search(run.stderr)
    assert _headings(report.read_text(encoding="utf-8")) == [f"incoming.jsonl:{line}" for line in FAILING_LINES]
