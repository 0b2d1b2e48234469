"""Parquet input (dedup.io.read_parquet): a corpus read from Parquet is the corpus read from
JSON Lines, on either engine, however its rows are cut into row groups or slices, from a
path or a file:// URI; columns map as JSON Lines fields do; and the commands that read a
corpus (compare, index add, check, review) take it too.

The Ray tests use conftest.py's `local_ray` and are skipped, like test_engines.py's, only
where Ray is not installed (DEDUP_REQUIRE_RAY makes that a failure).
"""

from __future__ import annotations

import datetime
import json
import os
import pickle

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import dedup
from dedup.io import read_parquet as reader
from dedup.io.inputs import document_count, document_size, input_size, read_inputs
from dedup.io.read_parquet import PendingRows
from dedup.io.records import FieldMap
from dedup.io.writers import write_json
from dedup.model import Article, InputError
from dedup.pipeline import ScanConfig

COLUMNS = ("id", "text", "title", "source", "date", "url", "lang")


@pytest.fixture(scope="module")
def sample_records(samples_dir) -> list[dict]:
    """The samples as records: each file read as `dedup scan` reads it, id = its path."""
    records = []
    for item in read_inputs([str(samples_dir)], FieldMap()):
        for article in item.load():
            assert isinstance(article, Article), article
            records.append({column: getattr(article, column) for column in COLUMNS})
    assert len(records) >= 10
    return records


def write_parquet(path, records: list[dict], **options):
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(records), path, **options)
    return path


def write_jsonl(path, records: list[dict]):
    path.write_text("".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records), encoding="utf-8")
    return path


def report(paths, mode: str = "copy", engine: str = "local", **config) -> dict:
    scanned = json.loads(write_json(dedup.scan([str(path) for path in paths], ScanConfig(mode=mode, engine=engine, jobs=2, **config))))
    scanned["settings"].pop("engine", None)  # the one field an engine may add
    return scanned


def loaded(items) -> list[Article | InputError]:
    return [entry for item in items for entry in ((item,) if isinstance(item, Article | InputError) else item.load())]


# --- the same corpus as JSON Lines -------------------------------------------------------

@pytest.mark.parametrize("mode", ["copy", "story"])
def test_the_samples_from_parquet_give_the_clusters_they_give_from_json_lines(tmp_path, sample_records, dedup_cli, mode):
    jsonl = write_jsonl(tmp_path / "samples.jsonl", sample_records)
    parquet = write_parquet(tmp_path / "samples.parquet", sample_records)

    from_jsonl = dedup_cli("scan", jsonl, "--mode", mode, "--format", "json", "--engine", "local")
    from_parquet = dedup_cli("scan", parquet, "--mode", mode, "--format", "json", "--engine", "local")

    assert from_parquet.code == 0 and from_parquet.stderr == "", from_parquet.stderr
    assert json.loads(from_jsonl.stdout)["clusters"]  # the samples have copies and stories
    assert json.loads(from_parquet.stdout) == json.loads(from_jsonl.stdout)


@pytest.mark.parametrize("mode", ["copy", "story"])
def test_ray_reads_parquet_in_its_tasks_and_gives_the_local_report(local_ray, tmp_path, sample_records, mode):
    jsonl = write_jsonl(tmp_path / "samples.jsonl", sample_records)
    parquet = write_parquet(tmp_path / "samples.parquet", sample_records, row_group_size=3)
    local = report([jsonl], mode)
    assert local["clusters"]
    assert report([parquet], mode, engine="ray") == local
    assert report([parquet.as_uri()], mode, engine="ray") == local  # a pyarrow filesystem travels to the tasks


def test_the_command_line_scans_parquet_on_ray(local_ray, tmp_path, sample_records, dedup_cli):
    parquet = write_parquet(tmp_path / "samples.parquet", sample_records, row_group_size=3)
    run = dedup_cli("scan", parquet, "--engine", "ray", "--mode", "all", "--format", "json")
    assert run.code == 0, run.stderr
    assert json.loads(run.stdout)["settings"]["engine"] == "ray"
    assert len(json.loads(run.stdout)["clusters"]) == 3


def test_many_row_groups_give_what_one_gives(tmp_path, sample_records):
    one = write_parquet(tmp_path / "one.parquet", sample_records)
    many = write_parquet(tmp_path / "many.parquet", sample_records, row_group_size=3)
    assert pq.ParquetFile(many).metadata.num_row_groups == 4

    items = list(read_inputs([str(many)], FieldMap()))

    assert [(item.row_group, item.first_row) for item in items] == [(0, 1), (1, 4), (2, 7), (3, 10)]
    assert report([many], "all") == report([one], "all")


def test_a_large_row_group_is_read_in_slices_in_row_order(tmp_path, sample_records, monkeypatch):
    path = write_parquet(tmp_path / "samples.parquet", sample_records)
    whole = loaded(read_inputs([str(path)], FieldMap()))
    monkeypatch.setattr(reader, "ROWS_PER_ITEM", 4)

    items = list(read_inputs([str(path)], FieldMap()))

    assert [(item.start, item.stop, item.first_row) for item in items] == [(0, 4, 1), (4, 8, 5), (8, 11, 9)]
    assert loaded(items) == whole
    assert [article.origin for article in whole] == [f"{path} row {row}" for row in range(1, len(sample_records) + 1)]


def test_slices_are_no_more_than_the_cap_for_a_huge_row_group(tmp_path, monkeypatch):
    path = write_parquet(tmp_path / "rows.parquet", [{"id": n, "text": f"Text {n}"} for n in range(100)])
    monkeypatch.setattr(reader, "ROWS_PER_ITEM", 2)
    monkeypatch.setattr(reader, "MAX_SLICES_PER_GROUP", 8)

    items = list(read_inputs([str(path)], FieldMap()))

    assert len(items) == 8 and {item.stop - item.start for item in items} == {13, 9}
    assert [article.id for article in loaded(items)] == [str(n) for n in range(100)]


def test_items_count_their_rows_share_out_the_file_size_and_travel_to_workers(tmp_path, sample_records):
    path = write_parquet(tmp_path / "corpus" / "samples.parquet", sample_records, row_group_size=3)
    items = list(read_inputs([str(tmp_path / "corpus")], FieldMap()))

    assert sum(map(document_size, items)) == os.path.getsize(path) == input_size([str(tmp_path / "corpus")])
    assert [document_count(item) for item in items] == [3, 3, 3, 2]
    assert all(isinstance(item, PendingRows) for item in items)
    assert [pickle.loads(pickle.dumps(item)).load() for item in items] == [item.load() for item in items]
    assert input_size([path.as_uri()]) is None  # a URI's size would take a listing


# --- columns ----------------------------------------------------------------------------------

def test_id_and_text_columns_map_as_json_lines_fields_do(tmp_path, sample_records):
    renamed = [{"guid": record["id"], "body": record["text"], **{key: record[key] for key in COLUMNS[2:]}}
               for record in sample_records]
    path = write_parquet(tmp_path / "renamed.parquet", renamed)
    jsonl = write_jsonl(tmp_path / "renamed.jsonl", renamed)

    mapped = report([path], "all", fields=FieldMap(id_field="guid", text_field="body"))

    assert mapped == report([jsonl], "all", fields=FieldMap(id_field="guid", text_field="body"))
    assert mapped["errors"] == [] and len(mapped["clusters"]) == 3


def test_values_are_read_as_json_lines_reads_them(tmp_path):
    path = tmp_path / "typed.parquet"
    pq.write_table(pa.table({
        "id": pa.array([17, 18, None], pa.int64()),
        "text": pa.array(["Erster Text.", "Zweiter Text.", "Dritter Text."]).dictionary_encode(),
        "title": ["Titel", None, ""],
        "date": pa.array([datetime.datetime(2021, 12, 30, 10, 5), None, datetime.datetime(2022, 1, 2)],
                         pa.timestamp("ns", tz="UTC")),
        "source": pa.array([datetime.date(2021, 1, 1), None, None], pa.date32()),  # any plain column reads as text
        "lang": pa.array([1.5, None, None]),
        "tags": [["a"], [], None],  # not a field dedup reads: ignored
    }), path)

    first, second, third = loaded(read_inputs([str(path)], FieldMap()))

    assert (first.id, first.text, first.title, first.date, first.source, first.lang) == (
        "17", "Erster Text.", "Titel", "2021-12-30T10:05:00+00:00", "2021-01-01", "1.5")
    assert (second.id, second.title, second.date) == ("18", None, None)
    assert (third.id, third.title, third.origin) == (f"{path} row 3", None, f"{path} row 3")


# --- URIs ----------------------------------------------------------------------------------

def test_a_file_uri_of_a_folder_reads_its_parquet_files(tmp_path, sample_records):
    folder = tmp_path / "lake"
    write_parquet(folder / "part-0.parquet", sample_records[:5])
    write_parquet(folder / "year=2021" / "part-1.parquet", sample_records[5:], row_group_size=2)
    write_parquet(folder / "_temporary" / "part-9.parquet", sample_records[:1])  # an unfinished write: skipped
    (folder / "_SUCCESS").write_bytes(b"")
    jsonl = write_jsonl(tmp_path / "samples.jsonl", sample_records)

    assert report([folder.as_uri()], "all") == report([jsonl], "all")
    assert report([folder.as_uri() + "/"], "all") == report([jsonl], "all")


def test_rows_read_from_a_uri_are_named_by_it(tmp_path):
    folder = tmp_path / "lake"
    write_parquet(folder / "part-0.parquet", [{"id": None, "text": "Ein Text."}, {"id": "b", "text": None}])

    article, error = loaded(read_inputs([folder.as_uri()], FieldMap()))

    assert (article.id, article.origin) == ("part-0.parquet row 1", f"{folder.as_uri()}/part-0.parquet row 1")
    assert error.input == f"{folder.as_uri()}/part-0.parquet row 2"


# --- the other commands that read a corpus ----------------------------------------------------

def test_compare_reads_one_row_of_a_parquet_file(tmp_path, sample_records, samples_dir, dedup_cli):
    path = write_parquet(tmp_path / "samples.parquet", sample_records, row_group_size=3)

    run = dedup_cli("compare", f"{path}#wire/dpa-original.txt", samples_dir / "wire" / "apa-edited.txt", "--format", "json")
    missing = dedup_cli("compare", f"{path}#no-such-id", samples_dir / "wire" / "apa-edited.txt")

    assert run.code == 0, run.stderr
    assert json.loads(run.stdout)["left"]["id"] == "wire/dpa-original.txt"
    assert missing.code == 2 and "no record with id 'no-such-id' (11 records read)" in missing.stderr


def test_index_add_and_check_read_parquet(tmp_path, sample_records, dedup_cli, articles):
    corpus = write_parquet(tmp_path / "corpus.parquet", sample_records, row_group_size=4)
    index = tmp_path / "corpus.index"
    incoming = write_parquet(tmp_path / "incoming.parquet", [
        {"id": "new-copy", "text": next(r["text"] for r in sample_records if r["id"] == "wire/dpa-original.txt")},
        {"id": "new-other", "text": articles.text(5)},
    ])

    added = dedup_cli("index", "add", corpus, "--index", index, "--quiet")
    checked = dedup_cli("check", incoming, "--against", index, "--format", "json")

    assert added.code == 0, added.stderr
    assert checked.code == 1, checked.stderr  # a finding: the copy
    findings = json.loads(checked.stdout)["findings"]
    assert {(finding["document"], finding["other"]) for finding in findings} >= {("new-copy", "wire/dpa-original.txt")}


def test_the_review_reads_a_parquet_corpus(tmp_path, sample_records):
    from tui.corpus import load_corpus

    path = write_parquet(tmp_path / "samples.parquet", sample_records, row_group_size=5)

    corpus = load_corpus([str(path)], decisions_path=str(tmp_path / "decisions.json"))

    assert corpus.errors == [] and set(corpus.articles) == {record["id"] for record in sample_records}
    assert len(corpus.clusters) == 3
