"""One plan, two engines: `dedup scan` on a local Ray (dedup.engines.ray) gives exactly the
report of the local engine, in every mode.

The Ray tests run on a local Ray started once for the module (`ray.init(num_cpus=2)`, the
`local_ray` fixture of conftest.py). They are skipped only where Ray is not installed, as on
a laptop without the extra; .ci/run installs it and sets DEDUP_REQUIRE_RAY, under which a
missing Ray fails.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import dedup
from dedup.io.writers import write_json
from dedup.pipeline import ScanConfig

# The labelled corpora beside the checkout (../shared/data), or where DEDUP_SHARED_DATA says.
SHARED_DATA = os.environ.get("DEDUP_SHARED_DATA") or str(Path(__file__).resolve().parents[2] / "shared" / "data")
HAS_PRESS = os.path.isfile(os.path.join(SHARED_DATA, "insm_de_press", "articles.jsonl"))


def _report(paths, mode: str, engine: str) -> dict:
    report = json.loads(write_json(dedup.scan(paths, ScanConfig(mode=mode, engine=engine, jobs=2))))
    report["settings"].pop("engine", None)  # the one field an engine may add
    return report


@pytest.mark.parametrize("mode", ["copy", "story", "all"])
def test_ray_gives_the_report_of_the_local_engine_on_the_samples(local_ray, samples_dir, mode):
    local = _report([str(samples_dir)], mode, "local")
    assert local["clusters"]  # the samples have copies and stories: the comparison means something
    assert _report([str(samples_dir)], mode, "ray") == local


def test_ray_gives_the_report_of_the_local_engine_on_generated_copies(local_ray, tmp_path, articles):
    """Hundreds of documents with edited copies, so the LSH has many buckets to group."""
    records = [{"id": f"doc{n}", "text": articles.text(n, sentences=8)} for n in range(300)]
    records += [{"id": f"copy{n}", "text": articles.edited_copy(articles.text(n, sentences=8))} for n in range(0, 300, 7)]
    records += [{"id": f"again{n}", "text": articles.text(n, sentences=8)} for n in range(0, 300, 50)]  # exact duplicates
    corpus = tmp_path / "corpus.jsonl"
    articles.write_jsonl(corpus, records)
    local = _report([str(corpus)], "copy", "local")
    assert len(local["clusters"]) >= 40
    assert _report([str(corpus)], "copy", "ray") == local


@pytest.mark.skipif(not HAS_PRESS, reason="needs ../shared/data (or DEDUP_SHARED_DATA) for the insm_de_press subset")
@pytest.mark.parametrize("mode", ["copy", "story", "all"])
def test_ray_gives_the_report_of_the_local_engine_on_2000_press_articles(local_ray, tmp_path, mode):
    source = os.path.join(SHARED_DATA, "insm_de_press", "articles.jsonl")
    subset = tmp_path / "insm2000.jsonl"
    with open(source, encoding="utf-8") as lines, open(subset, "w", encoding="utf-8") as out:
        for number, line in zip(range(2000), lines):
            out.write(line)
    assert _report([str(subset)], mode, "ray") == _report([str(subset)], mode, "local")


def test_the_command_line_runs_on_ray_and_refuses_an_unreachable_cluster(local_ray, samples_dir, dedup_cli):
    run = dedup_cli("scan", samples_dir, "--engine", "ray", "--mode", "all", "--format", "json")
    assert run.code == 0, run.stderr
    assert json.loads(run.stdout)["settings"]["engine"] == "ray"
    assert len(json.loads(run.stdout)["clusters"]) == 3
    local_ray.shutdown()  # the engine joins a Ray already running, so stop it to ask for another
    try:
        refused = dedup_cli("scan", samples_dir, "--engine", "ray", "--ray-address", "127.0.0.1:1")
        assert refused.code == 2 and refused.stderr.count("\n") == 1
        assert "cannot reach the Ray cluster at 127.0.0.1:1" in refused.stderr
    finally:
        local_ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="ERROR")


def test_ray_address_without_the_ray_engine_is_a_usage_error(samples_dir, dedup_cli):
    run = dedup_cli("scan", samples_dir, "--ray-address", "127.0.0.1:6379")
    assert run.code == 2 and "--ray-address is for --engine ray" in run.stderr


@pytest.mark.parametrize("address, said", [
    (":", "not HOST:PORT"),
    ("localhost", "not HOST:PORT"),
    ("localhost:99999", "not HOST:PORT"),
    ("http://127.0.0.1:8265", "a dashboard URL?"),
    ("ray://127.0.0.1:10001", "needs ray[client]"),
])
def test_an_address_of_another_form_is_one_line_with_the_form_to_use(samples_dir, dedup_cli, address, said):
    pytest.importorskip("ray")
    run = dedup_cli("scan", samples_dir, "--engine", "ray", "--ray-address", address)
    assert run.code == 2 and run.stderr.count("\n") == 1, run.stderr
    assert said in run.stderr and "HOST:PORT" in run.stderr


@pytest.mark.parametrize("jobs", [1, 2])
def test_alongside_gives_the_result_of_its_function(jobs):
    import threading

    from dedup.parallel import alongside

    ran_on = []

    def work(a, b):
        ran_on.append(threading.get_ident())
        return a + b

    with alongside(work, 2, 3, jobs=jobs) as result:
        here = threading.get_ident()
    assert result() == 5
    assert (ran_on[0] == here) == (jobs == 1)  # one job: in this thread, when asked


def test_alongside_hands_on_the_error_of_its_function():
    from dedup.parallel import alongside

    def failing():
        raise ValueError("bad batch")

    with pytest.raises(ValueError, match="bad batch"), alongside(failing, jobs=2) as result:
        result()
