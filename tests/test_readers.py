"""Each reader: directories, .txt, .md, .html/.htm, .json, .jsonl, .csv and `-` (stdin).

Most tests go through `dedup.pipeline.scan`, the library entry point, and look at the
metadata it keeps per document; where the text itself matters (what the HTML extractor
kept, a CSV field with newlines) they read through `dedup.io.inputs.read_inputs`, the
one dispatcher every command uses.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from dedup.engines import scan
from dedup.io.inputs import read_inputs
from dedup.io.records import FieldMap
from dedup.model import Article, InputError
from dedup.pipeline import ScanConfig

CONFIG = ScanConfig(jobs=1)

HTML_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Harbour bridge reopens after repairs | Coast Courier</title>
<meta property="og:site_name" content="Coast Courier"></head>
<body>
<header><nav><a href="/">Home</a> <a href="/sport">Sport</a> <a href="/weather">Weather</a>
<a href="/abo">NAVMARKER subscribe now</a></nav></header>
<main><article><h1>Harbour bridge reopens after repairs</h1>
<p>{body1}</p>
<p>{body2}</p>
</article></main>
<footer><p>FOOTERMARKER Copyright Coast Courier. All rights reserved. Contact us. Privacy policy.</p></footer>
</body></html>
"""
HTML_BODY_1 = ("The old harbour bridge in Westport reopened on Monday after eighteen months of repairs, "
               "the city council said. About four hundred people walked across it in the first hour.")
HTML_BODY_2 = ("The repairs cost 3.2 million pounds, more than planned, because rust damage to the steel "
               "girders was found only after the old deck was removed. The council and the port "
               "authority share the bill.")


def read_all(*paths) -> list[Article | InputError]:
    """Everything the dispatcher yields, with files that are read later (in workers) read now."""
    results: list[Article | InputError] = []
    for item in read_inputs([str(path) for path in paths], FieldMap(), "utf-8"):
        results.extend(item.load() if hasattr(item, "load") else [item])
    return results


def only_articles(items) -> list[Article]:
    errors = [item for item in items if isinstance(item, InputError)]
    assert errors == []
    return list(items)


# --- directories -----------------------------------------------------------------------


def test_directory_walk_is_recursive_with_ids_relative_to_the_directory(tmp_path, articles):
    root = tmp_path / "corpus"
    articles.write(root / "a.txt", seed=1)
    articles.write(root / "sub" / "b.txt", seed=2)
    articles.write(root / "sub" / "deeper" / "c.md", seed=3)

    result = scan([root], CONFIG)

    assert set(result.documents) == {"a.txt", "sub/b.txt", "sub/deeper/c.md"}
    assert result.errors == []


def test_directory_ids_do_not_depend_on_how_the_directory_is_named(tmp_path, articles, monkeypatch):
    articles.write(tmp_path / "corpus" / "sub" / "b.txt", seed=2)
    monkeypatch.chdir(tmp_path)

    by_relative_path = scan(["corpus"], CONFIG)
    by_absolute_path = scan([tmp_path / "corpus"], CONFIG)
    with_trailing_slash = scan(["corpus/"], CONFIG)

    assert list(by_relative_path.documents) == list(by_absolute_path.documents) == ["sub/b.txt"]
    assert list(with_trailing_slash.documents) == ["sub/b.txt"]


def test_directory_skips_hidden_files_and_hidden_directories(tmp_path, articles):
    root = tmp_path / "corpus"
    articles.write(root / "visible.txt", seed=1)
    articles.write(root / ".hidden.txt", seed=2)
    articles.write(root / ".git" / "inside-hidden-dir.txt", seed=3)
    articles.write(root / "sub" / ".cache" / "deep.txt", seed=4)

    result = scan([root], CONFIG)

    assert list(result.documents) == ["visible.txt"]
    assert result.errors == []


def test_directory_skips_files_with_unknown_suffixes(tmp_path, articles):
    root = tmp_path / "corpus"
    articles.write(root / "article.txt", seed=1)
    (root / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (root / "script.py").write_text("print('hello')\n", encoding="utf-8")
    (root / "notes").write_text(articles.text(5), encoding="utf-8")

    result = scan([root], CONFIG)

    assert list(result.documents) == ["article.txt"]
    assert result.errors == []


def test_directory_order_is_sorted_and_the_same_on_every_run(tmp_path, articles):
    root = tmp_path / "corpus"
    for name, seed in [("zebra.txt", 1), ("sub/beta.txt", 2), ("alpha.txt", 3), ("sub/alpha.txt", 4), ("mid.md", 5)]:
        articles.write(root / name, seed=seed)

    first = list(scan([root], CONFIG).documents)
    second = list(scan([root], CONFIG).documents)

    assert first == ["alpha.txt", "mid.md", "zebra.txt", "sub/alpha.txt", "sub/beta.txt"]
    assert second == first


def test_file_named_directly_keeps_the_path_as_given_as_its_id(tmp_path, articles, monkeypatch):
    articles.write(tmp_path / "corpus" / "one.txt", seed=1)
    monkeypatch.chdir(tmp_path)

    result = scan(["corpus/one.txt"], CONFIG)

    assert list(result.documents) == ["corpus/one.txt"]


# --- .txt and .md --------------------------------------------------------------------------


def test_txt_short_first_line_becomes_the_title(tmp_path, articles):
    path = articles.write(tmp_path / "story.txt", seed=11, title="Neue Buslinie zwischen Grünau und Steinach")

    document = scan([path], CONFIG).documents[str(path)]

    assert document.title == "Neue Buslinie zwischen Grünau und Steinach"


def test_txt_starting_with_a_sentence_has_no_title(tmp_path, articles):
    path = articles.write(tmp_path / "story.txt", seed=12)

    document = scan([path], CONFIG).documents[str(path)]

    assert document.title is None


def test_txt_title_line_is_not_part_of_the_compared_text(tmp_path, articles):
    body = articles.text(13)
    articles.write(tmp_path / "with-title.txt", text=body, title="Eine Überschrift über dem Text")
    articles.write(tmp_path / "without-title.txt", text=body)

    result = scan([tmp_path], CONFIG)

    assert [(cluster.relation.value, set(cluster.members)) for cluster in result.clusters] == [
        ("duplicate", {"with-title.txt", "without-title.txt"})
    ]


def test_md_heading_becomes_the_title(tmp_path, articles):
    path = tmp_path / "story.md"
    path.write_text(f"# Stadtfest in Oberdorf abgesagt\n\n{articles.text(14)}\n", encoding="utf-8")

    document = scan([path], CONFIG).documents[str(path)]

    assert document.title == "Stadtfest in Oberdorf abgesagt"


def test_md_with_only_a_heading_is_reported_not_scanned(tmp_path):
    path = tmp_path / "heading-only.md"
    path.write_text("# Nur eine Überschrift\n", encoding="utf-8")

    result = scan([path], CONFIG)

    assert result.documents == {}
    assert [error.input for error in result.errors] == [str(path)]


# --- .html and .htm ------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".html", ".htm"])
def test_html_main_text_is_extracted_without_navigation_and_footer(tmp_path, suffix):
    path = tmp_path / f"page{suffix}"
    path.write_text(HTML_PAGE.format(body1=HTML_BODY_1, body2=HTML_BODY_2), encoding="utf-8")

    [article] = only_articles(read_all(path))

    assert HTML_BODY_1 in article.text
    assert HTML_BODY_2 in article.text
    assert "NAVMARKER" not in article.text
    assert "FOOTERMARKER" not in article.text


@pytest.mark.parametrize("suffix", [".html", ".htm"])
def test_html_title_and_site_name_come_from_the_page(tmp_path, suffix):
    path = tmp_path / f"page{suffix}"
    path.write_text(HTML_PAGE.format(body1=HTML_BODY_1, body2=HTML_BODY_2), encoding="utf-8")

    document = scan([path], CONFIG).documents[str(path)]

    assert document.title == "Harbour bridge reopens after repairs"
    assert document.source == "Coast Courier"


def test_html_page_is_a_duplicate_of_its_article_text(tmp_path):
    (tmp_path / "page.html").write_text(HTML_PAGE.format(body1=HTML_BODY_1, body2=HTML_BODY_2), encoding="utf-8")
    (tmp_path / "plain.txt").write_text(f"{HTML_BODY_1}\n\n{HTML_BODY_2}\n", encoding="utf-8")

    result = scan([tmp_path], CONFIG)

    assert [(cluster.relation.value, set(cluster.members)) for cluster in result.clusters] == [
        ("duplicate", {"page.html", "plain.txt"})
    ]


# --- .json ---------------------------------------------------------------------------------


def test_json_object_is_one_document_named_after_the_file(tmp_path, articles):
    (tmp_path / "one.json").write_text(
        json.dumps({"text": articles.text(21), "title": "Ein Titel", "date": "2024-03-01"}), encoding="utf-8"
    )

    result = scan([tmp_path], CONFIG)

    assert list(result.documents) == ["one.json"]
    assert result.documents["one.json"].title == "Ein Titel"
    assert result.documents["one.json"].date == "2024-03-01"


def test_json_object_with_an_id_uses_that_id(tmp_path, articles):
    (tmp_path / "one.json").write_text(json.dumps({"id": "story-17", "text": articles.text(22)}), encoding="utf-8")

    assert list(scan([tmp_path], CONFIG).documents) == ["story-17"]


def test_json_list_of_objects_gives_numbered_ids(tmp_path, articles):
    records = [{"text": articles.text(seed)} for seed in (23, 24, 25)]
    (tmp_path / "many.json").write_text(json.dumps(records), encoding="utf-8")

    result = scan([tmp_path], CONFIG)

    assert list(result.documents) == ["many.json#1", "many.json#2", "many.json#3"]


def test_json_list_records_that_carry_ids_keep_them(tmp_path, articles):
    records = [{"id": "x", "text": articles.text(26)}, {"text": articles.text(27)}, {"id": 42, "text": articles.text(28)}]
    (tmp_path / "many.json").write_text(json.dumps(records), encoding="utf-8")

    result = scan([tmp_path], CONFIG)

    assert list(result.documents) == ["x", "many.json#2", "42"]


# --- .jsonl --------------------------------------------------------------------------------


def test_jsonl_reads_id_text_and_every_metadata_field(tmp_path, articles):
    path = articles.write_jsonl(tmp_path / "corpus.jsonl", [{
        "id": "n1", "text": articles.text(31), "title": "Titel eins", "source": "Inntal-Bote",
        "date": "2024-12-14", "url": "https://example.org/n1", "lang": "de",
    }])

    document = scan([path], CONFIG).documents["n1"]

    assert (document.title, document.source, document.date, document.url, document.lang) == (
        "Titel eins", "Inntal-Bote", "2024-12-14", "https://example.org/n1", "de"
    )


def test_jsonl_text_is_read_as_written(tmp_path, articles):
    text = articles.text(32) + "\n\nZweiter Absatz mit „Anführungszeichen“ und Ümläuten."
    path = articles.write_jsonl(tmp_path / "corpus.jsonl", [{"id": "n1", "text": text}])

    [article] = only_articles(read_all(path))

    assert (article.id, article.text) == ("n1", text)


def test_jsonl_record_without_id_is_named_by_path_and_line(tmp_path, articles):
    path = tmp_path / "corpus.jsonl"
    lines = [
        json.dumps({"id": "first", "text": articles.text(33)}),
        "",  # a blank line still counts when lines are numbered
        json.dumps({"text": articles.text(34)}),
        json.dumps({"id": "", "text": articles.text(35)}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = scan([path], CONFIG)

    assert list(result.documents) == ["first", f"{path}:3", f"{path}:4"]


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_records_without_id_in_a_directory_are_named_relative_to_the_directory(tmp_path, articles, suffix):
    """Ids must not depend on where the corpus lies on disk (ARCHITECTURE: paths relative to the directory)."""
    path = tmp_path / "corpus" / "sub" / f"feed{suffix}"
    if suffix == ".jsonl":
        articles.write_jsonl(path, [{"text": articles.text(36)}])
    else:
        path.parent.mkdir(parents=True)
        write_csv(path, ["id", "text"], [["", articles.text(36)]])

    result = scan([tmp_path / "corpus"], CONFIG)

    line = 1 if suffix == ".jsonl" else 2
    assert list(result.documents) == [f"sub/feed{suffix}:{line}"]


def test_jsonl_non_string_ids_are_read_as_text(tmp_path, articles):
    path = articles.write_jsonl(tmp_path / "corpus.jsonl", [{"id": 17, "text": articles.text(37)}])

    assert list(scan([path], CONFIG).documents) == ["17"]


# --- .csv ----------------------------------------------------------------------------------


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_csv_quoted_text_with_newlines_and_commas_is_one_field(tmp_path, articles):
    text = "Erster Absatz, mit Komma.\n\nZweiter Absatz, \"zitiert\", mit Komma.\n" + articles.text(41)
    path = write_csv(tmp_path / "corpus.csv", ["id", "title", "text"], [["r1", "Titel", text], ["r2", "Zwei", articles.text(42)]])

    items = only_articles(read_all(path))

    assert [(item.id, item.title) for item in items] == [("r1", "Titel"), ("r2", "Zwei")]
    assert items[0].text == text


def test_csv_reads_metadata_columns(tmp_path, articles):
    path = write_csv(tmp_path / "corpus.csv", ["id", "text", "title", "source", "date", "url", "lang"],
                     [["r1", articles.text(43), "Titel", "APA", "2021-12-30", "https://example.org/r1", "de"]])

    document = scan([path], CONFIG).documents["r1"]

    assert (document.title, document.source, document.date, document.url, document.lang) == (
        "Titel", "APA", "2021-12-30", "https://example.org/r1", "de"
    )


def test_csv_row_without_id_is_named_by_path_and_the_line_it_starts_on(tmp_path, articles):
    path = write_csv(tmp_path / "corpus.csv", ["id", "text"],
                     [["", "Zeile eins\nZeile zwei\n" + articles.text(44)], ["", articles.text(45)]])

    result = scan([path], CONFIG)

    assert list(result.documents) == [f"{path}:2", f"{path}:5"]


def test_csv_errors_give_the_line_the_row_starts_on(tmp_path, articles):
    path = write_csv(tmp_path / "corpus.csv", ["id", "text"], [
        ["r1", "Absatz eins\nAbsatz zwei\n" + articles.text(46)],  # lines 2 to 4
        ["r2", "   "],  # line 5: empty text
        ["r3", articles.text(47)],
    ])

    result = scan([path], CONFIG)

    assert list(result.documents) == ["r1", "r3"]
    assert [(error.input, error.line) for error in result.errors] == [(str(path), 5)]


# --- field mapping ---------------------------------------------------------------------


def test_id_and_text_field_options_map_jsonl_fields(tmp_path, articles, dedup_cli):
    text = articles.text(51)
    path = articles.write_jsonl(tmp_path / "feed.jsonl", [
        {"guid": "g-1", "body": text, "text": "kein Artikeltext"},
        {"guid": "g-2", "body": articles.edited_copy(text)},
    ])

    run = dedup_cli("scan", path, "--id-field", "guid", "--text-field", "body", "--format", "json", "--jobs", "1")

    assert run.code == 0
    assert run.json()["errors"] == []
    assert [cluster["members"] for cluster in run.json()["clusters"]] == [["g-1", "g-2"]]


def test_id_and_text_field_options_map_csv_columns(tmp_path, articles, dedup_cli):
    text = articles.text(52)
    path = write_csv(tmp_path / "feed.csv", ["guid", "body"], [["g-1", text], ["g-2", articles.edited_copy(text)]])

    run = dedup_cli("scan", path, "--id-field", "guid", "--text-field", "body", "--format", "json", "--jobs", "1")

    assert run.code == 0
    assert run.json()["errors"] == []
    assert [cluster["members"] for cluster in run.json()["clusters"]] == [["g-1", "g-2"]]


# --- standard input ------------------------------------------------------------------------


def test_dash_reads_jsonl_from_standard_input(articles, run_dedup):
    text = articles.text(61)
    lines = [{"id": "a", "text": text}, {"id": "b", "text": articles.edited_copy(text)}, {"text": articles.text(62)}]
    stdin = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode("utf-8")

    run = run_dedup("scan", "-", "--format", "json", "--jobs", "1", stdin_bytes=stdin)

    assert run.code == 0, run.stderr
    assert run.json()["documents"] == 3
    assert [cluster["members"] for cluster in run.json()["clusters"]] == [["a", "b"]]


def test_dash_names_records_without_id_after_stdin_and_line(articles, dedup_cli):
    stdin = (json.dumps({"text": articles.text(63)}) + "\n" + json.dumps({"text": articles.text(63)}) + "\n").encode()

    run = dedup_cli("scan", "-", "--format", "json", "--jobs", "1", stdin_bytes=stdin)

    assert run.code == 0
    assert run.json()["clusters"][0]["members"] == ["<stdin>:1", "<stdin>:2"]


# --- metadata of the seed articles ----------------------------------------------------


@pytest.fixture(scope="module")
def seed_documents(samples_dir):
    return scan([samples_dir / "seeds"], CONFIG).documents


def test_dw_seed_has_title_date_and_agencies(seed_documents):
    document = seed_documents["dw-2021-12-31-biden-warnt-putin.txt"]

    assert document.title == "Biden warnt Putin, Putin warnt Biden"
    assert document.date == "2021-12-31"
    assert set(document.agencies) == {"dpa", "AFP", "Reuters"}


def test_apa_seed_has_date_and_agency(seed_documents):
    document = seed_documents["derstandard-apa-2021-12-30-biden-putin-telefonat.txt"]

    assert document.date == "2021-12-30"
    assert document.agencies == ("APA",)


# --- one corpus, three formats -----------------------------------------------------------


def test_same_corpus_as_directory_jsonl_and_csv_gives_the_same_clusters(tmp_path, samples_dir):
    texts = {}
    directory = tmp_path / "as-files"
    directory.mkdir()
    for path in sorted((samples_dir / "wire").glob("*.txt")) + sorted((samples_dir / "seeds").glob("*.txt")):
        shutil.copy(path, directory / path.name)
        texts[path.name] = path.read_text(encoding="utf-8")
    as_jsonl = tmp_path / "corpus.jsonl"
    as_jsonl.write_text("".join(json.dumps({"id": name, "text": text}, ensure_ascii=False) + "\n"
                                for name, text in texts.items()), encoding="utf-8")
    as_csv = write_csv(tmp_path / "corpus.csv", ["id", "text"], [[name, text] for name, text in texts.items()])

    def clusters(path):
        result = scan([path], CONFIG)
        assert result.errors == []
        return sorted((cluster.relation.value, sorted(cluster.members)) for cluster in result.clusters)

    from_files = clusters(directory)
    assert from_files == [("copy", ["apa-edited.txt", "dpa-original.txt", "kurzmeldung-shortened.txt"])]
    assert clusters(as_jsonl) == from_files
    assert clusters(as_csv) == from_files
