"""`dedup review`: the Textual app driven by Pilot, and snapshots of its three screens.

Snapshots (pytest-textual-snapshot, SVG files in tests/__snapshots__) are taken at 100x30
from a corpus loaded before the app starts, with a relative decisions path, so nothing
in them depends on the machine. Update them with `pytest --snapshot-update` after a
deliberate change to the look, and review the SVG diff.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
from pathlib import Path

import pytest

from tui.app import ReviewApp
from tui.corpus import load_corpus
from tui.screens.clusters import ClustersScreen
from tui.screens.compare import CompareScreen

DW = "seeds/dw-2021-12-31-biden-warnt-putin.txt"
APA = "seeds/derstandard-apa-2021-12-30-biden-putin-telefonat.txt"
SIZE = (100, 30)


async def _until(pilot, condition, seconds: float = 30.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("the app did not get there in time")


def _screen_text(app) -> str:
    """What the screen shows, as text: the screenshot's SVG without its markup."""
    return re.sub(r"<[^>]+>", "", app.export_screenshot()).replace("&#160;", " ")


def _clusters_ready(app) -> bool:
    """The clusters screen is up and its table filled."""
    if not isinstance(app.screen, ClustersScreen):
        return False
    tables = app.screen.query("#clusters")
    return bool(tables) and tables.first().row_count == len(app.screen.shown)


async def _open_seed_comparison(pilot) -> None:
    app = pilot.app
    await _until(pilot, lambda: _clusters_ready(app))
    screen = app.screen
    seed_row = next(row for row, cluster in enumerate(screen.shown) if DW in cluster.members)
    screen.query_one("#clusters").move_cursor(row=seed_row)
    await pilot.pause()
    await pilot.press("enter")
    await _until(pilot, lambda: isinstance(app.screen, CompareScreen) and app.screen.diff is not None)
    await pilot.pause()


@pytest.fixture(autouse=True)
def state_home(tmp_path, monkeypatch):
    """The user's state folder, where the review keeps decisions, in the test's own folder;
    and the current folder (where exports are proposed) beside it."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return tmp_path / "state"


@pytest.fixture
def corpus_dir(tmp_path, samples_dir):
    target = tmp_path / "samples"
    shutil.copytree(samples_dir, target)
    return target


def _files(folder) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def _decision_cell(app, cluster_member: str) -> str:
    screen = app.screen
    row = next(row for row, cluster in enumerate(screen.shown) if cluster_member in cluster.members)
    table = screen.query_one("#clusters")
    return str(table.get_cell_at((row, [column.key.value for column in table.ordered_columns].index("decision"))))


def test_clusters_then_the_seed_comparison_then_back(corpus_dir):
    async def scenario():
        app = ReviewApp([str(corpus_dir)])
        async with app.run_test(size=SIZE) as pilot:
            await _until(pilot, lambda: _clusters_ready(app))
            assert {cluster.relation.value for cluster in app.screen.shown} == {"copy", "story"}
            await _open_seed_comparison(pilot)
            screen = app.screen
            assert {screen.left.id, screen.right.id} == {DW, APA}
            legend = str(screen.query_one("#legend").render())
            summary = screen.diff.summary
            assert f"shared {summary['shared']}" in legend and f"paraphrase {summary['paraphrase']}" in legend
            assert f"left only {summary['left_only']}" in legend and f"right only {summary['right_only']}" in legend
            assert screen.current == -1
            await pilot.press("n")
            first = screen.current
            assert screen.row_views()[first].kind.value in ("paraphrase", "conflict", "left_only", "right_only")
            await pilot.press("n")
            assert screen.current > first
            await pilot.press("N")
            assert screen.current == first
            await pilot.press("q")
            assert isinstance(app.screen, ClustersScreen)
            await pilot.press("q")
        assert app.return_code == 0

    asyncio.run(scenario())


def test_filter_swap_and_fold_change_the_rows(corpus_dir):
    async def scenario():
        app = ReviewApp([str(corpus_dir)])
        async with app.run_test(size=SIZE) as pilot:
            await _open_seed_comparison(pilot)
            screen = app.screen
            everything = len(screen.row_views())
            await pilot.press("z")  # open the folded runs of shared rows
            assert len(screen.row_views()) >= everything
            await pilot.press("f")  # differences only
            assert all(view.kind is None or view.kind.value != "shared" for view in screen.row_views())
            await pilot.press("f")  # unique only
            assert {view.kind.value for view in screen.row_views() if view.kind} <= {"left_only", "right_only"}
            left = screen.left.id
            await pilot.press("s")
            assert screen.right.id == left
            await pilot.press("e")  # the export dialog proposes a file in the current folder
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
        exported = list(Path.cwd().glob("compare-*.md"))
        assert len(exported) == 1 and "kolossal" in exported[0].read_text(encoding="utf-8").casefold()

    asyncio.run(scenario())


def test_article_text_is_shown_literally(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    hostile = "Der [bold]Bürgermeister[/] sagte \x1b[31m rot \x1b[0m am Montag in Grünau: die Brücke bleibt offen."
    (corpus / "a.txt").write_text(hostile + " " + "Die Sanierung kostet 4 Millionen Euro und dauert zwei Jahre. " * 5, encoding="utf-8")
    (corpus / "b.txt").write_text(hostile + " " + "Die Sanierung kostet 4 Millionen Euro und dauert zwei Jahre. " * 5, encoding="utf-8")

    async def scenario():
        app = ReviewApp([str(corpus)])
        async with app.run_test(size=(140, 40)) as pilot:
            await _until(pilot, lambda: _clusters_ready(app))
            await pilot.press("enter")
            await _until(pilot, lambda: isinstance(app.screen, CompareScreen) and app.screen.diff is not None)
            await pilot.press("z")
            await pilot.pause()
            return app.export_screenshot()

    screen = asyncio.run(scenario())
    assert "[bold]Bürgermeister[/]" in screen.replace("&#160;", " ")
    assert "\\x1b[31m" in screen.replace("&#160;", " ")
    assert "\x1b" not in screen


def test_a_decision_is_saved_and_survives_a_second_session(corpus_dir, state_home):
    async def first_session():
        app = ReviewApp([str(corpus_dir)])
        async with app.run_test(size=SIZE) as pilot:
            await _open_seed_comparison(pilot)
            await pilot.press("y")  # same story; back to the clusters
            await pilot.pause()
            assert isinstance(app.screen, ClustersScreen)
            await pilot.press("q")
        return app.corpus.decisions_path

    decisions = Path(asyncio.run(first_session()))
    assert decisions.parent == state_home / "dedup" / "reviews"
    saved = json.loads(decisions.read_text(encoding="utf-8"))
    assert saved["schema"] == "dedup.decisions/1"
    assert [(set(d["members"]), d["decision"]) for d in saved["decisions"]] == [({DW, APA}, "same_story")]

    async def second_session():
        app = ReviewApp([str(corpus_dir)])
        async with app.run_test(size=SIZE) as pilot:
            await _until(pilot, lambda: _clusters_ready(app))
            return _decision_cell(app, DW), app.corpus.decisions.about(DW, APA).decision

    cell, decision = asyncio.run(second_session())
    assert cell == "same story" and decision == "same_story"


def test_the_decisions_file_is_what_dedup_check_reads(corpus_dir):
    from dedup.gate.decisions import Decisions

    async def session():
        app = ReviewApp([str(corpus_dir)])
        async with app.run_test(size=SIZE) as pilot:
            await _until(pilot, lambda: _clusters_ready(app))
            await pilot.press("d")  # the whole highlighted cluster (four documents): duplicate ...
            await pilot.press("y")  # ... once confirmed
            await pilot.pause()
        return app.corpus.decisions_path

    path = asyncio.run(session())
    loaded = Decisions.load(path)
    assert loaded.about("wire/dpa-original.txt", "wire/republished.html").decision == "duplicate"


def test_a_review_session_writes_nothing_into_the_corpus(corpus_dir, dedup_cli):
    """Decisions, undo and an export: the corpus folder is byte for byte as it was, so the
    next scan of it gives the same report."""
    files = _files(corpus_dir)
    before = dedup_cli("scan", corpus_dir, "--mode", "all", "--format", "json")

    async def session():
        app = ReviewApp([str(corpus_dir)])
        async with app.run_test(size=SIZE) as pilot:
            await _open_seed_comparison(pilot)
            await pilot.press("e", "enter")  # an exported comparison, where the dialog proposes
            await pilot.pause()
            await pilot.press("y")  # a decision
            await pilot.pause()
            await pilot.press("x", "y", "u")  # a cluster decision, confirmed, then undone
            await pilot.pause()

    asyncio.run(session())
    assert _files(corpus_dir) == files
    assert len(list(Path.cwd().glob("compare-*.md"))) == 1
    after = dedup_cli("scan", corpus_dir, "--mode", "all", "--format", "json")
    assert json.loads(after.stdout)["clusters"] == json.loads(before.stdout)["clusters"]


def test_dedup_files_saved_into_a_corpus_are_passed_over(corpus_dir, dedup_cli):
    """A user may still save a scan, decisions or an exported comparison into the corpus:
    dedup recognises its own files by their schema and does not read them as articles."""
    before = dedup_cli("scan", corpus_dir, "--mode", "all", "--format", "json")
    (corpus_dir / "scan.json").write_text(before.stdout, encoding="utf-8")
    (corpus_dir / "dedup-decisions.json").write_text('{"schema": "dedup.decisions/1", "decisions": []}', encoding="utf-8")
    for output_format, suffix in (("markdown", "md"), ("html", "html"), ("json", "json")):
        exported = dedup_cli("compare", corpus_dir / DW, corpus_dir / APA, "--format", output_format)
        (corpus_dir / f"compare.{suffix}").write_text(exported.stdout, encoding="utf-8")
    after = dedup_cli("scan", corpus_dir, "--mode", "all", "--format", "json")
    assert after.code == 0
    assert json.loads(after.stdout)["clusters"] == json.loads(before.stdout)["clusters"]
    assert json.loads(after.stdout)["documents"] == json.loads(before.stdout)["documents"]
    assert json.loads(after.stdout)["errors"] == []
    assert sorted(json.loads(after.stdout)["passed_over"]) == sorted(
        str(corpus_dir / name) for name in ("compare.html", "compare.json", "compare.md", "dedup-decisions.json", "scan.json"))
    # ... and says so once, on stderr.
    assert after.stderr.count("passed over 5 file(s) that dedup wrote") == 1 and after.stderr.count("\n") == 1


def test_decisions_go_outside_the_corpus_unless_an_older_version_left_them_there(corpus_dir, state_home):
    from tui.corpus import default_decisions_path

    default = default_decisions_path([str(corpus_dir)])
    assert default.startswith(str(state_home)) and default.endswith(".json") and "samples" in default
    assert default_decisions_path([str(corpus_dir)]) == default  # the same corpus finds its decisions again
    other = corpus_dir.parent / "other"
    other.mkdir()
    assert default_decisions_path([str(other)]) != default
    (corpus_dir / "dedup-decisions.json").write_text('{"schema": "dedup.decisions/1", "decisions": []}', encoding="utf-8")
    assert default_decisions_path([str(corpus_dir)]) == str(corpus_dir / "dedup-decisions.json")
    (corpus_dir / ".dedup").mkdir()
    (corpus_dir / ".dedup" / "decisions.json").write_text('{"schema": "dedup.decisions/1", "decisions": []}', encoding="utf-8")
    assert default_decisions_path([str(corpus_dir)]) == str(corpus_dir / ".dedup" / "decisions.json")


# --- decisions: confirmation, undo, clear, progress, moving on -------------------------------


def _row_of(app, member: str) -> int:
    return next(row for row, cluster in enumerate(app.screen.shown) if member in cluster.members)


def test_a_decision_on_more_than_two_documents_is_asked_first(corpus_dir):
    from tui.dialogs import ConfirmDialog

    async def scenario():
        app = ReviewApp([str(corpus_dir)])
        async with app.run_test(size=SIZE) as pilot:
            await _until(pilot, lambda: _clusters_ready(app))
            app.screen.query_one("#clusters").move_cursor(row=_row_of(app, "wire/dpa-original.txt"))  # four documents
            await pilot.press("x")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog)
            question = str(app.screen.question)
            await pilot.press("n")  # no: nothing decided
            await pilot.pause()
            assert isinstance(app.screen, ClustersScreen) and app.corpus.decisions.decisions == []
            app.screen.query_one("#clusters").move_cursor(row=_row_of(app, DW))  # two documents: no question
            await pilot.press("x")
            await pilot.pause()
            assert isinstance(app.screen, ClustersScreen)
            return question, [decision.decision for decision in app.corpus.decisions.decisions]

    question, decided = asyncio.run(scenario())
    assert "all 4 documents (6 pairs)" in question and "different" in question
    assert decided == ["different"]


def test_undo_and_clear_take_decisions_back_and_save_that(corpus_dir):
    from dedup.gate.decisions import Decisions

    async def scenario():
        app = ReviewApp([str(corpus_dir)])
        async with app.run_test(size=SIZE) as pilot:
            await _until(pilot, lambda: _clusters_ready(app))
            table = app.screen.query_one("#clusters")
            table.move_cursor(row=_row_of(app, DW))
            await pilot.press("y")
            await pilot.pause()
            assert _decision_cell(app, DW) == "same story"
            await pilot.press("u")
            await pilot.pause()
            assert _decision_cell(app, DW) == "" and app.corpus.decisions.decisions == []
            assert Decisions.load(app.corpus.decisions_path).decisions == []  # the undo is saved too
            await pilot.press("u")  # nothing left to undo: a message, no change
            table.move_cursor(row=_row_of(app, DW))
            await pilot.press("d")
            await pilot.pause()
            table.move_cursor(row=_row_of(app, DW))
            await pilot.press("c")  # clear the cluster's decisions
            await pilot.pause()
            assert app.corpus.decisions.decisions == []
            await pilot.press("u")  # the clearing is undone
            await pilot.pause()
            return [decision.decision for decision in Decisions.load(app.corpus.decisions_path).decisions]

    assert asyncio.run(scenario()) == ["duplicate"]


def test_pair_decisions_show_in_the_cluster_row_and_the_next_pair_waits(corpus_dir):
    async def scenario():
        app = ReviewApp([str(corpus_dir)])
        async with app.run_test(size=SIZE) as pilot:
            await _until(pilot, lambda: _clusters_ready(app))
            app.screen.query_one("#clusters").move_cursor(row=_row_of(app, "wire/dpa-original.txt"))
            await pilot.pause()
            await pilot.press("enter")  # the first undecided pair of the four documents
            await _until(pilot, lambda: isinstance(app.screen, CompareScreen) and app.screen.diff is not None)
            first = {app.screen.left.id, app.screen.right.id}
            await pilot.press("d")  # decided: back to the clusters, the next pair marked
            await pilot.pause()
            assert isinstance(app.screen, ClustersScreen)
            cell = _decision_cell(app, "wire/dpa-original.txt")
            marked = set(app.screen.marked)
            await pilot.press("enter")
            await _until(pilot, lambda: isinstance(app.screen, CompareScreen) and app.screen.diff is not None)
            return first, cell, marked, {app.screen.left.id, app.screen.right.id}

    first, cell, marked, second = asyncio.run(scenario())
    assert cell == "1 of 6 pairs"
    assert len(marked) == 2 and marked != first and second == marked


def test_after_a_cluster_decision_the_cursor_moves_to_the_next_undecided_cluster(corpus_dir):
    async def scenario():
        app = ReviewApp([str(corpus_dir)])
        async with app.run_test(size=SIZE) as pilot:
            await _until(pilot, lambda: _clusters_ready(app))
            table = app.screen.query_one("#clusters")
            table.move_cursor(row=_row_of(app, DW))
            start = table.cursor_row
            await pilot.press("y")
            await pilot.pause()
            return start, table.cursor_row, len(app.screen.shown)

    start, now, count = asyncio.run(scenario())
    assert count >= 2 and now == (start + 1) % count


def test_home_end_and_filter_as_you_type(corpus_dir):
    async def scenario():
        app = ReviewApp([str(corpus_dir)])
        async with app.run_test(size=SIZE) as pilot:
            await _until(pilot, lambda: _clusters_ready(app))
            table = app.screen.query_one("#clusters")
            await pilot.press("end")
            last = table.cursor_row
            await pilot.press("home")
            first = table.cursor_row
            await pilot.press("slash", "P", "u", "t", "i", "n")  # no Enter: the table follows each key
            await pilot.pause()
            shown = [cluster.members for cluster in app.screen.shown]
            await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace", "backspace")
            await pilot.pause()
            return last, first, shown, len(app.screen.shown), len(app.corpus.clusters)

    last, first, shown, unfiltered, clusters = asyncio.run(scenario())
    assert (first, last) == (0, clusters - 1) and clusters >= 3
    assert len(shown) == 1 and DW in shown[0]
    assert unfiltered == clusters


def test_the_clusters_screen_fits_80_by_24_with_headlines_first(corpus_dir):
    async def scenario():
        app = ReviewApp([str(corpus_dir)])
        async with app.run_test(size=(80, 24)) as pilot:
            await _until(pilot, lambda: _clusters_ready(app))
            table = app.screen.query_one("#clusters")
            columns = [column.key.value for column in table.ordered_columns]
            widths = sum(column.get_render_width(table) for column in table.ordered_columns)
            row = [str(cell) for cell in table.get_row_at(_row_of(app, DW))]
            # The footer draws after the tables: on a busy machine, some time after.
            await _until(pilot, lambda: "Quit" in _screen_text(app))
            screen_text = _screen_text(app)
            return columns, widths, row, str(app.screen.query_one("#title").render()), screen_text

    columns, widths, row, title, screen = asyncio.run(scenario())
    assert columns[:4] == ["headline", "match", "size", "decision"]
    assert widths <= 80 - 4  # the table's border and scroll bar
    assert row[0].startswith("Biden warnt Putin") and row[1] == "story P 1.00"
    assert "dedup check --baseline" in title
    for key in ("Compare", "Filter", "Undo", "Help", "Quit"):
        assert key in screen


def test_the_export_dialog_can_be_cancelled_and_asks_before_replacing(corpus_dir):
    from tui.dialogs import SaveDialog

    async def scenario():
        app = ReviewApp([str(corpus_dir)])
        async with app.run_test(size=SIZE) as pilot:
            await _open_seed_comparison(pilot)
            await pilot.press("e")
            await pilot.pause()
            assert isinstance(app.screen, SaveDialog)
            await pilot.press("escape")  # cancelled: nothing written
            await pilot.pause()
            assert list(Path.cwd().iterdir()) == []
            await pilot.press("e", "enter")
            await pilot.pause()
            written = next(Path.cwd().iterdir())
            written.write_text("mine", encoding="utf-8")
            await pilot.press("e", "enter")  # the file exists: a second Enter replaces it
            await pilot.pause()
            assert isinstance(app.screen, SaveDialog) and written.read_text(encoding="utf-8") == "mine"
            await pilot.press("enter")
            await pilot.pause()
            return written.read_text(encoding="utf-8")

    assert asyncio.run(scenario()).startswith("<!-- dedup.compare/1")


def test_review_of_a_missing_path_is_a_one_line_error(dedup_cli, tmp_path):
    run = dedup_cli("review", tmp_path / "nowhere")
    assert run.code == 2 and run.stderr.count("\n") == 1 and "no such file or directory" in run.stderr


def test_review_of_a_report_without_its_corpus_is_a_one_line_error(dedup_cli, tmp_path, samples_dir):
    report = tmp_path / "scan.json"
    assert dedup_cli("scan", samples_dir, "--format", "json", "-o", report).code == 0
    run = dedup_cli("review", report)
    assert run.code == 2 and run.stderr.count("\n") == 1 and "needs its corpus too" in run.stderr


# --- snapshots at 100x30 -------------------------------------------------------------------


@pytest.fixture(scope="module")
def preloaded(samples_dir):
    return load_corpus([str(samples_dir)], decisions_path="review-decisions.json")


def _app(corpus) -> ReviewApp:
    return ReviewApp(["samples"], corpus=corpus)


def test_snapshot_clusters_screen(snap_compare, preloaded):
    async def loaded(pilot):
        await _until(pilot, lambda: _clusters_ready(pilot.app))

    assert snap_compare(_app(preloaded), terminal_size=SIZE, run_before=loaded)


def test_snapshot_clusters_screen_at_80_by_24(snap_compare, preloaded):
    async def loaded(pilot):
        await _until(pilot, lambda: _clusters_ready(pilot.app))

    assert snap_compare(_app(preloaded), terminal_size=(80, 24), run_before=loaded)


def test_snapshot_comparison_screen(snap_compare, preloaded):
    assert snap_compare(_app(preloaded), terminal_size=SIZE, run_before=_open_seed_comparison)


def test_snapshot_help_screen(snap_compare, preloaded):
    async def help_open(pilot):
        await _until(pilot, lambda: _clusters_ready(pilot.app))
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(_app(preloaded), terminal_size=SIZE, run_before=help_open)


def test_a_saved_scan_report_is_reviewed_with_its_corpus(tmp_path, samples_dir, dedup_cli):
    report = tmp_path / "scan.json"
    assert dedup_cli("scan", samples_dir, "--mode", "all", "--format", "json", "-o", report).code == 0
    corpus = load_corpus([str(report), str(samples_dir)], decisions_path=str(tmp_path / "decisions.json"))
    saved = json.loads(report.read_text(encoding="utf-8"))
    assert [cluster.members for cluster in corpus.clusters] == [cluster["members"] for cluster in saved["clusters"]]
    assert DW in corpus.articles and corpus.articles[DW].text


def test_the_atoms_sidebar_shows_the_reports_words_not_keys(corpus_dir):
    """"10. Jänner", not "--01-10"; "50 Minuten", not "50 minute"."""
    from textual.widgets import Static

    async def run() -> None:
        app = ReviewApp([str(corpus_dir)])
        async with app.run_test(size=(160, 50)) as pilot:
            await _open_seed_comparison(pilot)
            sidebar = "".join(str(static.render()) for static in app.screen.query_one("#atoms").query(Static))
            assert "Jänner" in sidebar and "50 Minuten" in sidebar, sidebar
            assert "--01" not in sidebar and "50 minute" not in sidebar and "T0" not in sidebar
            assert "joe biden" not in sidebar and "Joe Biden" in sidebar

    asyncio.run(run())


@pytest.mark.parametrize("damage", ["no members", "bogus relation", "pairs not a list"])
def test_a_damaged_saved_report_is_one_message(run_dedup, samples_dir, tmp_path, damage):
    """A hand-edited report names what is wrong, before the review opens; no traceback."""
    from dedup.model import UserProblem

    report = tmp_path / "scan.json"
    assert run_dedup("scan", samples_dir, "--mode", "story", "--format", "json", "-o", report).code == 0
    document = json.loads(report.read_text(encoding="utf-8"))
    cluster = document["clusters"][0]
    if damage == "no members":
        del cluster["members"]
    elif damage == "bogus relation":
        cluster["relation"] = "bogus"
    else:
        cluster["pairs"] = 7
    report.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(UserProblem, match="cluster 1 is not as dedup scan writes it"):
        load_corpus([str(report), str(samples_dir)])


def test_a_report_over_the_compare_limit_is_a_message_not_a_failed_screen(corpus_dir, monkeypatch):
    monkeypatch.setattr("dedup.facts.compare.MAX_REPORT_BYTES", 1_000)  # the seeds are larger

    async def scenario():
        app = ReviewApp([str(corpus_dir)])
        async with app.run_test(size=SIZE) as pilot:
            await _until(pilot, lambda: _clusters_ready(app))
            screen = app.screen
            screen.query_one("#clusters").move_cursor(row=next(row for row, cluster in enumerate(screen.shown)
                                                                if DW in cluster.members))
            await pilot.pause()
            await pilot.press("enter")
            await _until(pilot, lambda: isinstance(app.screen, ClustersScreen) and app._notifications)
            return [notification.message for notification in app._notifications], app.return_code

    messages, code = asyncio.run(scenario())
    assert any("more than dedup compare reads" in message for message in messages)
    assert code in (None, 0)
