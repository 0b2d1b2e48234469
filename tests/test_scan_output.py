"""What `dedup scan` shows people (issue 16): the summary first; each cluster with its
members' titles, outlets and dates; a score that means something for its relation
(Jaccard and containment for copies, the same-event probability for stories); long
reports through a pager on a terminal only; output files that end with a newline, have
the umask's mode and hold the report alone (the summary goes to stderr); progress bars
that end complete.

The pager tests run the real command with its standard output on a pseudo-terminal
(`os.openpty`) and a pager that records what it is given, so they see what a person at
a terminal would."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO_ROOT, _child_env
from rich.console import Console

from dedup.cli.progress import ProgressDisplay
from dedup.engines import scan
from dedup.io.table import looks_like_hash
from dedup.pipeline import ScanConfig

# The sample clusters in --mode all: the wire copies, the two quake reports (with the other
# quake) and the two Biden–Putin seeds.
WIRE_HEADING = re.compile(r"^c\d+  copy  4 documents  Jaccard \d\.\d\d–1\.00, containment \d\.\d\d–1\.00$")
SEEDS_HEADING = re.compile(r"^c\d+  story  2 documents  same-event probability P 1\.00$")
FORMATS = ["table", "markdown", "json", "jsonl", "csv"]


def _headings(report: str) -> list[str]:
    return [line for line in report.splitlines() if re.match(r"c\d+  ", line)]


# --- the summary first, the summary on stderr when the report goes to a file --------------------


def test_the_table_starts_with_the_summary(dedup_cli, samples_dir):
    run = dedup_cli("scan", samples_dir, "--mode", "all", "--jobs", "1")

    lines = run.stdout.splitlines()
    assert run.code == 0
    assert lines[0] == "11 documents scanned: 9 of them in 3 clusters (1 copy, 2 story)."
    assert lines.index(_headings(run.stdout)[0]) > 0


def test_the_markdown_report_has_the_summary_before_its_table(dedup_cli, samples_dir):
    run = dedup_cli("scan", samples_dir, "--mode", "all", "--jobs", "1", "--format", "markdown")

    lines = run.stdout.splitlines()
    assert lines[0] == "<!-- dedup.scan/1: written by dedup scan -->" and lines[1].startswith("# dedup scan")
    summary = next(number for number, line in enumerate(lines) if "documents scanned" in line)
    table = next(number for number, line in enumerate(lines) if line.startswith("| cluster |"))
    assert summary < table


@pytest.mark.parametrize("output_format", FORMATS)
def test_with_output_the_file_has_the_report_and_stderr_the_summary(dedup_cli, samples_dir, tmp_path, output_format):
    """(A Markdown report is a document of its own, for a CI step summary: its summary
    paragraph is part of it, as its heading is.)"""
    target = tmp_path / f"report.{output_format}"

    run = dedup_cli("scan", samples_dir / "wire", "--jobs", "1", "--format", output_format, "-o", target)

    report = target.read_text(encoding="utf-8")
    assert run.code == 0 and run.stdout == ""
    assert ("scanned:" in report) == (output_format == "markdown")
    assert "dpa-original.txt" in report
    assert run.stderr.splitlines() == ["5 documents scanned: 4 of them in 1 cluster (1 copy)."]


def test_quiet_output_to_a_file_prints_no_summary(dedup_cli, samples_dir, tmp_path):
    run = dedup_cli("scan", samples_dir / "wire", "--jobs", "1", "-q", "-o", tmp_path / "report.txt")

    assert (run.code, run.stdout, run.stderr) == (0, "", "")
    assert "scanned:" not in (tmp_path / "report.txt").read_text(encoding="utf-8")


def test_a_table_file_without_clusters_says_so(dedup_cli, articles, tmp_path):
    corpus = articles.write_jsonl(tmp_path / "corpus.jsonl", [{"id": "a", "text": articles.text(31)},
                                                               {"id": "b", "text": articles.text(32)}])

    run = dedup_cli("scan", corpus, "--jobs", "1", "-o", tmp_path / "report.txt")

    assert run.code == 0
    assert (tmp_path / "report.txt").read_text(encoding="utf-8") == "No duplicates or copies found.\n"
    assert "2 documents scanned" in run.stderr


# --- output files: a final newline, the umask's mode ---------------------------------------------


@pytest.mark.parametrize("output_format", FORMATS)
@pytest.mark.parametrize("mode", ["copy", "all"])
def test_output_files_end_with_a_newline(dedup_cli, samples_dir, tmp_path, output_format, mode):
    target = tmp_path / "report"

    assert dedup_cli("scan", samples_dir, "--mode", mode, "--jobs", "1", "--format", output_format, "-o", target).code == 0

    data = target.read_bytes()
    assert data.endswith(b"\n") and not data.endswith(b"\n\n")


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_a_new_output_file_gets_the_mode_the_umask_gives(dedup_cli, samples_dir, tmp_path, umask, mode):
    target = tmp_path / "report.md"
    previous = os.umask(umask)
    try:
        run = dedup_cli("scan", samples_dir / "wire", "--jobs", "1", "--format", "markdown", "-o", target)
    finally:
        os.umask(previous)

    assert run.code == 0
    assert stat.S_IMODE(target.stat().st_mode) == mode


def test_a_replaced_output_file_keeps_its_mode(dedup_cli, samples_dir, tmp_path):
    target = tmp_path / "report.txt"
    target.write_text("the last report\n", encoding="utf-8")
    target.chmod(0o604)

    assert dedup_cli("scan", samples_dir / "wire", "--jobs", "1", "-o", target).code == 0

    assert stat.S_IMODE(target.stat().st_mode) == 0o604
    assert "dpa-original.txt" in target.read_text(encoding="utf-8")


# --- scores that mean something for each relation -------------------------------------------------


def test_story_clusters_show_the_same_event_probability_not_a_jaccard(dedup_cli, samples_dir):
    run = dedup_cli("scan", samples_dir, "--mode", "all", "--jobs", "1")

    headings = _headings(run.stdout)
    stories = [heading for heading in headings if "  story  " in heading]
    assert len(headings) == 3 and len(stories) == 2
    assert all("same-event probability P " in heading and "Jaccard" not in heading for heading in stories)
    assert any(SEEDS_HEADING.match(heading) for heading in stories), stories
    [copies] = [heading for heading in headings if "  copy  " in heading]
    assert WIRE_HEADING.match(copies), copies
    assert "probability" not in copies
    assert "Similarity" not in run.stdout


def test_the_markdown_report_labels_the_same_scores(dedup_cli, samples_dir):
    run = dedup_cli("scan", samples_dir, "--mode", "all", "--jobs", "1", "--format", "markdown")

    rows = {row.split(" | ")[0].strip("| "): row.split(" | ") for row in run.stdout.splitlines()
            if re.match(r"\| c\d+ \|", row)}
    by_relation = {cells[1]: cells for cells in rows.values()}
    assert by_relation["copy"][3].startswith("Jaccard ") and ", containment " in by_relation["copy"][3]
    assert by_relation["copy"][4] == "—"
    assert by_relation["story"][3] == "—" and by_relation["story"][4].startswith("P ")
    assert "| cluster | relation | size | similarity | same event | members |" in run.stdout.splitlines()
    assert "P: the probability that two reports tell the same event." in run.stdout


# --- members: title, outlet and date, one line each ------------------------------------------------


def _digest_id(seed: int) -> str:
    """An id as many feeds make them: the Base64 of a SHA-1 digest."""
    return base64.b64encode(hashlib.sha1(f"article {seed}".encode()).digest()).decode("ascii")


@pytest.fixture
def dated_copies(tmp_path, articles):
    """Two copy pairs with titles, outlets (a source, a URL) and dates; one pair with hash ids,
    one of them untitled."""
    first, second = articles.text(41), articles.text(42)
    titled, untitled = _digest_id(1), _digest_id(2)
    assert looks_like_hash(titled) and looks_like_hash(untitled)
    return articles.write_jsonl(tmp_path / "corpus.jsonl", [
        {"id": "bote-17", "title": "Neue Buslinie für Grünau beschlossen", "source": "Inntal-Bote",
         "date": "2024-03-01T10:15:00+01:00", "text": first},
        {"id": "kurier-3", "title": "Buslinie für Grünau kommt", "url": "https://www.kurier.example/a/3",
         "date": "2024-03-02", "text": articles.edited_copy(first)},
        {"id": titled, "title": "Stadtfest in Oberdorf abgesagt", "source": "Landbote", "date": "2024-04-05",
         "text": second},
        {"id": untitled, "source": "Talblatt", "date": "2024-04-06", "text": articles.edited_copy(second)},
    ]), titled, untitled


def test_each_member_is_one_line_with_its_title_outlet_and_date(dedup_cli, dated_copies, monkeypatch):
    corpus, titled, untitled = dated_copies
    monkeypatch.setenv("COLUMNS", "100")

    run = dedup_cli("scan", corpus, "--jobs", "1")

    lines = run.stdout.splitlines()
    assert re.search(r"^  bote-17 +Neue Buslinie für Grünau beschlossen +Inntal-Bote +2024-03-01$", run.stdout, re.M)
    assert re.search(r"^  kurier-3 +Buslinie für Grünau kommt +kurier\.example +2024-03-02$", run.stdout, re.M)
    assert re.search(rf"^  {re.escape(titled[:8])} +Stadtfest in Oberdorf abgesagt +Landbote +2024-04-05$", run.stdout, re.M)
    assert re.search(rf"^  {re.escape(untitled)} +Talblatt +2024-04-06$", run.stdout, re.M)
    assert titled not in run.stdout  # a titled hash id is shortened …
    assert titled in dedup_cli("scan", corpus, "--jobs", "1", "--format", "json").stdout  # … and whole in JSON
    assert len(_headings(run.stdout)) == 2
    assert len(lines) == 1 + 1 + 1 + 2 * 3  # summary, the note on hash ids, a blank line, 2 × (heading + 2 members)


def test_the_markdown_members_have_title_outlet_and_date(dedup_cli, dated_copies):
    corpus, titled, _ = dated_copies

    run = dedup_cli("scan", corpus, "--jobs", "1", "--format", "markdown")

    assert "bote-17 — Neue Buslinie für Grünau beschlossen · Inntal-Bote · 2024-03-01" in run.stdout
    assert "kurier-3 — Buslinie für Grünau kommt · kurier.example · 2024-03-02" in run.stdout
    assert f"{titled} — Stadtfest in Oberdorf abgesagt · Landbote · 2024-04-05" in run.stdout


@pytest.mark.parametrize("columns", [40, 80, 120])
def test_no_line_is_wider_than_the_terminal(dedup_cli, samples_dir, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", str(columns))

    run = dedup_cli("scan", samples_dir, "--mode", "all", "--jobs", "1")

    assert run.code == 0
    assert max(len(line) for line in run.stdout.splitlines()) <= columns
    for name in ("dpa-original.txt", "en-quake-wire-a.txt", "dw-2021-12-31-biden-warnt-putin.txt"):
        assert name in run.stdout.replace("\n", "")


def test_hash_ids_are_told_from_paths_slugs_and_names():
    digests = [_digest_id(seed) for seed in range(2000)]
    hexadecimal = [hashlib.sha256(str(seed).encode()).hexdigest() for seed in range(20)]

    assert sum(map(looks_like_hash, digests)) >= 0.99 * len(digests)
    assert all(map(looks_like_hash, hexadecimal))
    for name in ("wire/dpa-original.txt", "2021-01-05-trump-impeachment", "corpus.jsonl:12", "doc-0001",
                 "SpiegelArticle2021", "BundestagDebatteZurRente"):
        assert not looks_like_hash(name), name


# --- the pager: on a terminal only, and only for a report taller than it ---------------------------


RECORDER = """import os, sys
with open(sys.argv[1], "w", encoding="utf-8") as record:
    record.write(os.environ.get("LESS", "<unset>") + "\\n" + sys.stdin.read())
"""


def _on_a_terminal(*args, pager: Path, lines: int, env_extra: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Run `dedup` with its standard output on a pseudo-terminal of `lines` lines and
    100 columns, PAGER a program that records what it is given to the file `pager`."""
    script = pager.with_suffix(".py")
    script.write_text(RECORDER, encoding="utf-8")
    environment = _child_env()
    environment.pop("LESS", None)
    environment.pop("DEDUP_PAGER", None)
    environment.update({"PAGER": f"{sys.executable} {script} {pager}", "LINES": str(lines), "COLUMNS": "100",
                        "TERM": "xterm", **(env_extra or {})})
    controller, terminal = os.openpty()
    process = subprocess.Popen([sys.executable, "-m", "dedup", *map(str, args)], stdin=subprocess.DEVNULL,
                               stdout=terminal, stderr=subprocess.PIPE, env=environment, cwd=REPO_ROOT)
    os.close(terminal)
    shown = bytearray()
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # EIO: every end of the terminal is closed
            break
        if not chunk:
            break
        shown += chunk
    os.close(controller)
    stderr = process.stderr.read().decode("utf-8")
    process.stderr.close()
    code = process.wait(timeout=120)
    return code, shown.decode("utf-8", "replace").replace("\r\n", "\n"), stderr


def _plain(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)


def test_a_report_taller_than_the_terminal_goes_through_the_pager(samples_dir, tmp_path):
    record = tmp_path / "paged.txt"

    code, shown, stderr = _on_a_terminal("scan", samples_dir, "--mode", "all", "--jobs", "1", pager=record, lines=8)

    assert code == 0, stderr
    less, paged = record.read_text(encoding="utf-8").split("\n", 1)
    assert less == "FRX"  # as git sets it: quit when it fits, colours, the text left on the screen
    assert paged.startswith("11 documents scanned:")
    assert len(_headings(paged)) == 3
    assert "documents scanned" not in shown  # the terminal got it through the pager only


def test_the_users_less_settings_are_kept(samples_dir, tmp_path):
    record = tmp_path / "paged.txt"

    code, _, stderr = _on_a_terminal("scan", samples_dir, "--jobs", "1", pager=record, lines=3, env_extra={"LESS": "-S"})

    assert code == 0, stderr
    assert record.read_text(encoding="utf-8").split("\n", 1)[0] == "-S"


def test_a_report_that_fits_the_terminal_is_printed_not_paged(samples_dir, tmp_path):
    record = tmp_path / "paged.txt"

    code, shown, stderr = _on_a_terminal("scan", samples_dir, "--mode", "all", "--jobs", "1", pager=record, lines=60)

    assert code == 0, stderr
    assert not record.exists()
    assert _plain(shown).startswith("11 documents scanned:")
    assert len(_headings(_plain(shown))) == 3


@pytest.mark.parametrize(
    "options",
    [
        pytest.param(["--no-pager"], id="no-pager"),
        pytest.param(["--format", "json"], id="json"),
        pytest.param(["--format", "csv"], id="csv"),
        pytest.param(["-o", "{tmp}/report.txt"], id="output-file"),
    ],
)
def test_no_pager_for_machine_formats_files_or_when_asked(samples_dir, tmp_path, options):
    record = tmp_path / "paged.txt"
    options = [option.replace("{tmp}", str(tmp_path)) for option in options]

    code, shown, stderr = _on_a_terminal("scan", samples_dir, "--mode", "all", "--jobs", "1", *options,
                                         pager=record, lines=3)

    assert code == 0, stderr
    assert not record.exists()
    if "--format" in options and "json" in options:
        assert json.loads(_plain(shown))["schema"] == "dedup.scan/1"


def test_no_pager_for_a_pipe(run_dedup, samples_dir, tmp_path):
    record = tmp_path / "paged.txt"
    script = tmp_path / "paged.py"
    script.write_text(RECORDER, encoding="utf-8")

    run = run_dedup("scan", samples_dir, "--mode", "all", "--jobs", "1",
                    env_extra={"PAGER": f"{sys.executable} {script} {record}", "LINES": "3", "TERM": "xterm"})

    assert run.code == 0
    assert not record.exists()
    assert run.stdout.startswith("11 documents scanned:")


def test_a_pager_quit_at_once_is_no_failure(samples_dir, tmp_path):
    code, _, stderr = _on_a_terminal("scan", samples_dir, "--mode", "all", "--jobs", "1", pager=tmp_path / "unused",
                                     lines=3, env_extra={"PAGER": "true"})

    assert code == 0
    assert stderr == ""


# --- progress: totals where they are known, every stage ending complete ----------------------------


def test_the_reading_is_measured_against_the_inputs_bytes(articles, tmp_path, samples_dir):
    corpus = articles.write_jsonl(tmp_path / "corpus.jsonl", [{"id": f"d{n}", "text": articles.text(50 + n)}
                                                              for n in range(600)])
    for inputs, size in (([corpus], corpus.stat().st_size),
                         ([samples_dir], sum(path.stat().st_size for path in samples_dir.rglob("*") if path.is_file()))):
        reports: list[tuple[str, int, int | None]] = []
        scan(inputs, ScanConfig(jobs=1), progress=lambda *report: reports.append(report))

        read = [(done, total) for stage, done, total in reports if stage == "read_bytes"]
        assert read and all(total == size for _, total in read)
        assert read[-1][0] == size
        assert [done for done, _ in read] == sorted(done for done, _ in read)
        stages = [stage for stage, _, _ in reports]
        assert stages.index("fingerprint") > max(index for index, stage in enumerate(stages) if stage.startswith("read"))


def _display_lines(display: ProgressDisplay) -> list[str]:
    console = Console(file=io.StringIO(), width=120, color_system=None, force_terminal=False)
    console.print(display.progress.make_tasks_table(display.progress.tasks))
    return console.file.getvalue().splitlines()


def test_a_stage_is_shown_complete_and_its_clock_stopped_when_the_next_starts():
    display = ProgressDisplay(Console(file=io.StringIO(), force_terminal=True, width=120), enabled=True)
    report = display.__enter__()
    try:
        report("read_bytes", 4_000, 10_000)
        report("read", 256, None)
        report("read_bytes", 9_500, 10_000)  # a few bytes (blank lines) hold no document
        report("read", 600, None)
        report("fingerprint", 0, 600)

        reading, fingerprinting = display.progress.tasks
        assert reading.finished and reading.stop_time is not None
        assert (reading.completed, reading.total) == (10_000, 10_000)
        assert not fingerprinting.finished
        lines = _display_lines(display)
        assert "10.0 kB/10.0 kB, 600 documents" in lines[0]
        assert "0/600" in lines[1]
    finally:
        display.__exit__(None, None, None)


def test_a_stage_of_unknown_size_ends_with_its_count_as_its_total():
    """`dedup index add` reports the documents read without a total: the bar pulses while
    they come, and is full, not pulsing, once the next stage starts."""
    display = ProgressDisplay(Console(file=io.StringIO(), force_terminal=True, width=120), enabled=True)
    report = display.__enter__()
    try:
        report("read", 300, None)
        assert display.progress.tasks[0].total is None
        report("fingerprint", 0, 300)

        reading = display.progress.tasks[0]
        assert (reading.completed, reading.total) == (300, 300) and reading.stop_time is not None
        assert "300/300" in _display_lines(display)[0]
    finally:
        display.__exit__(None, None, None)
        assert all(task.finished for task in display.progress.tasks)
