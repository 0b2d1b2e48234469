"""`dedup check --semantic`: a story check across languages, as `dedup scan --semantic` groups."""

from __future__ import annotations

import json
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
ENGLISH = Path(__file__).resolve().parent / "data" / "crosslang" / "en-2021-12-30-biden-putin-call.txt"


def test_an_english_retelling_is_found_against_german_reports(dedup_cli, tmp_path):
    index = tmp_path / "index.sqlite"
    assert dedup_cli("index", "add", SAMPLES / "seeds", SAMPLES / "stories", "--index", index, "--quiet").code == 0
    run = dedup_cli("check", ENGLISH, "--against", index, "--mode", "story", "--semantic", "--format", "json")
    assert run.code == 1, run.stderr
    found = {finding["other"] for finding in json.loads(run.stdout)["findings"] if finding["relation"] == "story"}
    assert any("derstandard-apa" in other for other in found)
    assert any("dw-2021-12-31" in other for other in found)
    assert not any("videogipfel" in other for other in found)  # the December 7 summit is another event
    words_only = dedup_cli("check", ENGLISH, "--against", index, "--mode", "story", "--format", "json")
    assert words_only.code == 0, words_only.stderr
    assert json.loads(words_only.stdout)["findings"] == []


def test_semantic_needs_a_story_check(dedup_cli, tmp_path):
    index = tmp_path / "index.sqlite"
    assert dedup_cli("index", "add", SAMPLES / "seeds", "--index", index, "--quiet").code == 0
    run = dedup_cli("check", ENGLISH, "--against", index, "--semantic")
    assert run.code == 2
    assert "--mode story" in run.stderr and len(run.stderr.strip().splitlines()) == 1


def test_the_review_can_weigh_meaning_too(tmp_path):
    import shutil

    from tui.corpus import load_corpus

    for path in [*(SAMPLES / "seeds").iterdir(), SAMPLES / "stories" / "de-videogipfel-2021-12-07.txt", ENGLISH]:
        shutil.copy(path, tmp_path)
    decisions = str(tmp_path.parent / "decisions.json")
    grouped = [sorted(cluster.members) for cluster in load_corpus([str(tmp_path)], decisions, semantic=True).clusters]
    assert grouped == [["derstandard-apa-2021-12-30-biden-putin-telefonat.txt", "dw-2021-12-31-biden-warnt-putin.txt",
                        "en-2021-12-30-biden-putin-call.txt"]]
    assert [cluster.members for cluster in load_corpus([str(tmp_path)], decisions).clusters] == [
        ["derstandard-apa-2021-12-30-biden-putin-telefonat.txt", "dw-2021-12-31-biden-warnt-putin.txt"]]
