"""`dedup review`: the Textual app driven by Pilot, and snapshots of its three screens.

Snapshots (pytest-textual-snapshot, SVG files in tests/__snapshots__) are taken at 100x30
from a corpus loaded before the app starts, with a relative decisions path, so nothing
in them depends on the machine. Update them with `pytest --snapshot-update` after a
deliberate change to the look, and review the SVG diff.
"""

from __future__ import annotations

import asyncio
import json
import shutil

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


@pytest.fixture
def corpus_dir(tmp_path, samples_dir):
    target = tmp_path / "samples"
    shutil.copytree(samples_dir, target)
    return target


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
            await pilot.press("e")
            await pilot.pause()
        exported = list((corpus_dir / ".dedup").glob("compare-*.md"))
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


def test_a_decision_is_saved_and_survives_a_second_session(corpus_dir):
    decisions = corpus_dir / ".dedup" / "decisions.json"

    async def first_session():
        app = ReviewApp([str(corpus_dir)])
        async with app.run_test(size=SIZE) as pilot:
            await _open_seed_comparison(pilot)
            await pilot.press("y")  # same story
            await pilot.press("q")
            await pilot.press("q")

    asyncio.run(first_session())
    saved = json.loads(decisions.read_text(encoding="utf-8"))
    assert saved["schema"] == "dedup.decisions/1"
    assert [(set(d["members"]), d["decision"]) for d in saved["decisions"]] == [({DW, APA}, "same_story")]

    async def second_session():
        app = ReviewApp([str(corpus_dir)])
        async with app.run_test(size=SIZE) as pilot:
            await _until(pilot, lambda: _clusters_ready(app))
            screen = app.screen
            row = next(row for row, cluster in enumerate(screen.shown) if DW in cluster.members)
            decision_cell = screen.query_one("#clusters").get_row_at(row)[-1]
            return str(decision_cell), app.corpus.decisions.about(DW, APA).decision

    cell, decision = asyncio.run(second_session())
    assert cell == "same story" and decision == "same_story"


def test_the_decisions_file_is_what_dedup_check_reads(corpus_dir):
    from dedup.decisions import Decisions

    async def session():
        app = ReviewApp([str(corpus_dir)])
        async with app.run_test(size=SIZE) as pilot:
            await _until(pilot, lambda: _clusters_ready(app))
            await pilot.press("d")  # the whole highlighted cluster: duplicate

    asyncio.run(session())
    loaded = Decisions.load(str(corpus_dir / ".dedup" / "decisions.json"))
    assert loaded.about("wire/dpa-original.txt", "wire/republished.html").decision == "duplicate"


def test_the_review_files_beside_the_corpus_are_not_read_as_articles(corpus_dir, dedup_cli):
    before = dedup_cli("scan", corpus_dir, "--mode", "all", "--format", "json")

    async def session():
        app = ReviewApp([str(corpus_dir)])
        async with app.run_test(size=SIZE) as pilot:
            await _open_seed_comparison(pilot)
            await pilot.press("y")  # a decision ...
            await pilot.press("e")  # ... and an exported comparison
            await pilot.pause()

    asyncio.run(session())
    assert len(list((corpus_dir / ".dedup").iterdir())) == 2
    # A scan saved into the corpus folder and an older version's decisions file are dedup's too.
    (corpus_dir / "scan.json").write_text(before.stdout, encoding="utf-8")
    (corpus_dir / "dedup-decisions.json").write_text((corpus_dir / ".dedup" / "decisions.json").read_text(), encoding="utf-8")
    after = dedup_cli("scan", corpus_dir, "--mode", "all", "--format", "json")
    assert after.code == 0 and after.stderr == ""
    assert json.loads(after.stdout)["clusters"] == json.loads(before.stdout)["clusters"]


def test_decisions_an_older_version_left_in_the_corpus_stay_in_use(corpus_dir):
    from tui.corpus import default_decisions_path

    assert default_decisions_path([str(corpus_dir)]) == str(corpus_dir / ".dedup" / "decisions.json")
    (corpus_dir / "dedup-decisions.json").write_text('{"schema": "dedup.decisions/1", "decisions": []}', encoding="utf-8")
    assert default_decisions_path([str(corpus_dir)]) == str(corpus_dir / "dedup-decisions.json")


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
