"""Site furniture: sentences a site prints around many of its articles are taken out before
copies and stories are judged, and pages with too little of their own are stubs.

Every corpus here is generated: articles of random words (so two articles share nothing
by chance), wrapped in the templates of made-up sites.
"""

from __future__ import annotations

import json
import random

import pytest

import dedup
from dedup.model import Article, Relation
from dedup.pipeline import ScanConfig
from dedup.text.furniture import (
    MIN_PAGES,
    STUB_SENTENCES,
    SiteFurniture,
    own_text,
    sentence_keys,
    site_of,
)

_VOCABULARY = [f"{consonant}{vowel}{ending}" for consonant in "bdfgklmnprstvz" for vowel in "aeiou"
               for ending in ("n", "r", "l", "st", "nd", "ck", "m")]


def sentence(rng: random.Random, length: int = 24) -> str:
    words = [rng.choice(_VOCABULARY) for _ in range(length)]
    return " ".join([words[0].capitalize(), *words[1:]]) + "."


def article_text(rng: random.Random, sentences: int = 8) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


BLUE_HEADER = "Startseite Politik Inland."
BLUE_FOOTER = "Abonnieren Sie unseren Newsletter und verpassen Sie keine Nachricht mehr. Alle Rechte vorbehalten."
GREEN_FOOTER = "Mehr zum Thema finden Sie in unserem Dossier. Teilen Sie diesen Artikel mit Ihren Freunden."
PAYWALL = ("Jetzt weiterlesen mit dem passenden Abo. Sie haben bereits ein Digital-Abo? Hier anmelden. "
           "Alle Artikel frei zugänglich, jederzeit kündbar.")


@pytest.fixture(scope="module")
def sites() -> list[Article]:
    """Three sites of six pages each, with their own templates; two wire texts published by
    the blue and the green site; and paywall teasers, one repeating a wire text's opening."""
    rng = random.Random(11)
    # Wire texts of four sentences, so the two-sentence teaser holds half of one: the LSH
    # proposes a copy that short with near certainty (about 0.99), where a quarter of the
    # original (an eight-sentence text) would be proposed in some 40% of hash functions.
    wire = [article_text(rng, sentences=4) for _ in range(2)]
    pages = []
    for number in range(6):
        text = wire[number] if number < 2 else article_text(rng)
        pages.append(Article(f"blue-{number}", f"{BLUE_HEADER}\n{text}\n{BLUE_FOOTER}", title=f"Blue {number}", source="Blue Post"))
    for number in range(6):
        text = wire[number] if number < 2 else article_text(rng)
        pages.append(Article(f"green-{number}", f"{text}\n{GREEN_FOOTER}", title=f"Green {number}",
                             url=f"https://www.green.example/news/{number}"))
    for number in range(6):
        # The paywall site's first teaser is the first wire text's opening (two sentences).
        teaser = " ".join(wire[0].split(". ")[:2]) + "." if number == 0 else " ".join(sentence(rng) for _ in range(2))
        pages.append(Article(f"paywall-{number}", f"{teaser}\n{PAYWALL}", title=f"Paywall {number}", source="Paywall Daily"))
    return pages


def test_only_the_real_copies_are_clusters_and_the_teasers_are_stubs(sites):
    result = dedup.scan(sites, ScanConfig(mode="copy", jobs=1))
    clusters = sorted(sorted(cluster.members) for cluster in result.clusters)
    assert clusters == [["blue-0", "green-0", "paywall-0"], ["blue-1", "green-1"]]
    assert result.stubs == [f"paywall-{number}" for number in range(6)]
    assert set(result.furniture) == {"blue post", "green.example", "paywall daily"}


def test_without_furniture_learning_the_templates_would_group_the_pages():
    """The test above proves something: the same pages, each site scanned with fewer pages
    than MIN_PAGES, keep their furniture and the paywall teasers become copies of each other."""
    rng = random.Random(3)
    pages = [Article(f"paywall-{number}", f"{sentence(rng, 6)}\n{PAYWALL}", source="Paywall Daily")
             for number in range(MIN_PAGES - 1)]
    result = dedup.scan(pages, ScanConfig(mode="copy", jobs=1))
    assert result.stubs == [] and result.furniture == {}
    assert [len(cluster.members) for cluster in result.clusters] == [MIN_PAGES - 1]


def test_a_legal_notice_does_not_make_unrelated_teasers_one_story():
    """Der Standard's agency teasers (10kgnad): a sentence of their own and the same notice."""
    rng = random.Random(5)
    notice = "Der Volltext dieses auf Agenturmeldungen basierenden Artikels steht aus rechtlichen Gründen nicht mehr zur Verfügung."
    pages = [Article(f"teaser-{number}", f"{sentence(rng, 14)} {notice}", source="derStandard.at") for number in range(12)]
    result = dedup.scan(pages, ScanConfig(mode="story", jobs=1))
    assert result.clusters == []
    assert len(result.stubs) == 12


def test_pages_without_a_site_learn_nothing_so_wire_reprints_stay_copies():
    rng = random.Random(7)
    wire = article_text(rng)
    pages = [Article(f"reprint-{number}", f"{wire}\nReprinted by outlet {number}.") for number in range(MIN_PAGES + 2)]
    result = dedup.scan(pages, ScanConfig(mode="copy", jobs=1))
    assert result.furniture == {} and result.stubs == []
    assert [len(cluster.members) for cluster in result.clusters] == [MIN_PAGES + 2]


def test_versions_of_one_article_on_one_site_are_not_furniture():
    """A site's pages of one article (one title: updates of a live report) count once."""
    rng = random.Random(9)
    body = [sentence(rng) for _ in range(8)]
    pages = [Article(f"update-{number}", " ".join(body + [sentence(rng)]), title="Live: the storm", source="Blue Post")
             for number in range(MIN_PAGES + 2)]
    result = dedup.scan(pages, ScanConfig(mode="copy", jobs=1))
    assert result.furniture == {} and result.stubs == []
    assert [len(cluster.members) for cluster in result.clusters] == [MIN_PAGES + 2]


def test_furniture_needs_min_pages_of_different_articles():
    furniture = SiteFurniture()
    shared = sentence_keys("Alle Rechte vorbehalten.").tolist()
    for number in range(MIN_PAGES - 1):
        furniture.add("site", f"title {number}", shared + [number])
    furniture.add("site", "title 0", shared)  # the same article again: not counted
    furniture.add("other", "title x", shared)  # another site: not counted
    assert furniture.of("site") == frozenset()
    furniture.add("site", "title last", shared)
    assert furniture.of("site") == frozenset(shared)
    assert furniture.of(None) == frozenset()
    assert furniture.by_site() == {"site": 1}


def test_own_text_keeps_the_article_and_marks_short_ones():
    furniture = frozenset(sentence_keys(PAYWALL).tolist())
    rng = random.Random(1)
    long_article = article_text(rng, STUB_SENTENCES + 2)
    own = own_text(f"{long_article}\n{PAYWALL}", furniture)
    assert own.text == long_article and own.removed == 4 and not own.stub
    teaser = sentence(rng)
    own = own_text(f"{teaser} {PAYWALL}", furniture)
    assert own.text == teaser and own.stub
    # Nothing but furniture: the page keeps its text, and is a stub.
    own = own_text(PAYWALL, furniture)
    assert own.text == PAYWALL and own.stub
    # No furniture on the page: unchanged.
    assert own_text(long_article, furniture).removed == 0


def test_the_site_is_the_source_or_the_url_host():
    assert site_of(" Der Standard ", "https://derstandard.at/x") == "der standard"
    assert site_of(None, "https://www.green.example/a/b") == "green.example"
    assert site_of("", "green.example/a") == "green.example"
    assert site_of(None, None) is None


def test_stubs_and_furniture_are_in_the_json_report(sites, tmp_path, capsys):
    corpus = tmp_path / "sites.jsonl"
    corpus.write_text("\n".join(json.dumps({"id": page.id, "text": page.text, "title": page.title, "source": page.source,
                                            "url": page.url}) for page in sites), encoding="utf-8")
    from dedup.cli import main

    assert main(["scan", str(corpus), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["stubs"] == [f"paywall-{number}" for number in range(6)]
    assert report["furniture"]["paywall daily"] == 4
    assert {cluster["relation"] for cluster in report["clusters"]} <= {Relation.COPY.value, Relation.DUPLICATE.value}


@pytest.mark.parametrize("saved", [["paywall-0", "paywall-1"], "paywall-0", [1, None, "paywall-1"], None])
def test_review_reads_stubs_from_a_saved_report_even_an_odd_one(sites, tmp_path, saved):
    """A saved report's `stubs` marks pages in review; a hand-edited one that is not a list
    of ids marks what ids it holds (or none) and never stops the review."""
    from tui.corpus import load_corpus

    corpus = tmp_path / "sites.jsonl"
    corpus.write_text("\n".join(json.dumps({"id": page.id, "text": page.text, "title": page.title,
                                            "source": page.source}) for page in sites), encoding="utf-8")
    report = tmp_path / "scan.json"
    report.write_text(json.dumps({"schema": "dedup.scan/1", "mode": "copy", "clusters": [], "stubs": saved}), encoding="utf-8")
    loaded = load_corpus([str(report), str(corpus)])
    expected = {stub for stub in saved if isinstance(stub, str)} if isinstance(saved, list) else set()
    assert loaded.stubs == expected


# --- the index and `dedup check` -------------------------------------------------------
# Each test runs against an SQLite file and a real Redis database (conftest's index_location).


def _paywall_pages(rng: random.Random, first: int, count: int) -> list[dict]:
    """Paywall pages whose teaser is six words: with the promotion they are copies of each
    other (the promotion is most of their text), without it each is a stub of its own."""
    return [{"id": f"paywall-{number}", "text": f"{sentence(rng, 6)}\n{PAYWALL}", "title": f"Paywall {number}",
             "source": "Paywall Daily"} for number in range(first, first + count)]


def _write(path, records: list[dict]):
    path.write_text("".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records), encoding="utf-8")
    return path


def _check(dedup_cli, incoming, index, *options) -> dict:
    outcome = dedup_cli("check", incoming, "--against", index, "--format", "json", *options)
    assert outcome.code in (0, 1), outcome.stderr
    return json.loads(outcome.stdout)


def _info(dedup_cli, index) -> dict:
    outcome = dedup_cli("index", "info", "--index", index, "--format", "json")
    assert outcome.code == 0, outcome.stderr
    return json.loads(outcome.stdout)


def test_check_learns_a_sites_furniture_from_the_index(sites, tmp_path, index_location, dedup_cli):
    """A new paywall teaser is a stub, not a copy of every indexed teaser; a teaser that
    repeats a wire text's opening is still reported as that text's copy."""
    rng = random.Random(21)
    indexed = [{"id": page.id, "text": page.text, "title": page.title, "source": page.source, "url": page.url}
               for page in sites] + _paywall_pages(rng, 6, 4)
    assert dedup_cli("index", "add", _write(tmp_path / "indexed.jsonl", indexed), "--index", index_location, "-q").code == 0
    info = _info(dedup_cli, index_location)
    assert info["stubs"] == 10 and info["sites_with_furniture"] == 3

    wire_opening = " ".join(sites[0].text.split("\n")[1].split(". ")[:2]) + "."
    incoming = _write(tmp_path / "incoming.jsonl", [
        *_paywall_pages(rng, 20, 1),
        {"id": "paywall-21", "text": f"{wire_opening}\n{PAYWALL}", "title": "Paywall 21", "source": "Paywall Daily"},
    ])
    report = _check(dedup_cli, incoming, index_location, "--mode", "all")
    assert report["stubs"] == ["paywall-20", "paywall-21"]
    found = {(finding["document"], finding["other"], finding["relation"]) for finding in report["findings"]}
    assert found == {("paywall-21", "blue-0", "copy"), ("paywall-21", "green-0", "copy"), ("paywall-21", "paywall-0", "duplicate")}
    assert all(finding["document_stub"] for finding in report["findings"])
    assert {finding["other"] for finding in report["findings"] if finding["other_stub"]} == {"paywall-0"}

    table = dedup_cli("check", incoming, "--against", index_location)
    assert "2 incoming page(s) are stubs" in table.stdout and "paywall-20" in table.stdout
    # One entry per incoming document: paywall-21 marked in its heading, paywall-0 beside its match.
    assert table.stdout.count("(stub)") == 2 and "paywall-0 (stub)" in table.stdout


def test_without_enough_pages_of_the_site_the_teasers_are_copies(tmp_path, index_location, dedup_cli):
    """The test above can fail: with fewer than MIN_PAGES pages of the site, in the index
    and the batch together, the promotion is not furniture and holds the teasers together."""
    rng = random.Random(22)
    pages = _paywall_pages(rng, 0, MIN_PAGES - 1)
    assert dedup_cli("index", "add", _write(tmp_path / "indexed.jsonl", pages[:-1]), "--index", index_location, "-q").code == 0
    report = _check(dedup_cli, _write(tmp_path / "incoming.jsonl", pages[-1:]), index_location)
    assert report["stubs"] == []
    assert {finding["other"] for finding in report["findings"]} == {page["id"] for page in pages[:-1]}


def test_a_check_learns_from_the_index_and_its_batch_together(tmp_path, index_location, dedup_cli):
    """Two pages of the site indexed and two incoming make four: the promotion is furniture,
    as a scan of all four would find."""
    rng = random.Random(23)
    pages = _paywall_pages(rng, 0, MIN_PAGES)
    assert dedup_cli("index", "add", _write(tmp_path / "indexed.jsonl", pages[:2]), "--index", index_location, "-q").code == 0
    report = _check(dedup_cli, _write(tmp_path / "incoming.jsonl", pages[2:]), index_location)
    assert report["stubs"] == ["paywall-2", "paywall-3"] and report["findings"] == []
    scanned = dedup_cli("scan", _write(tmp_path / "all.jsonl", pages), "--format", "json")
    assert json.loads(scanned.stdout)["stubs"] == [page["id"] for page in pages]


def test_incremental_adds_keep_the_furniture_current(tmp_path, index_location, dedup_cli):
    rng = random.Random(24)
    first, second = _paywall_pages(rng, 0, 2), _paywall_pages(rng, 2, MIN_PAGES)
    assert dedup_cli("index", "add", _write(tmp_path / "first.jsonl", first), "--index", index_location, "-q").code == 0
    info = _info(dedup_cli, index_location)
    assert info["stubs"] == 0 and info["sites_with_furniture"] == 0

    added = dedup_cli("index", "add", _write(tmp_path / "second.jsonl", second), "--index", index_location)
    assert added.code == 0 and f"({MIN_PAGES} of them stubs" in added.stderr
    info = _info(dedup_cli, index_location)
    assert info["stubs"] == MIN_PAGES and info["sites_with_furniture"] == 1
    assert info["furniture_sentences"] == len(sentence_keys(PAYWALL))

    # Adding a batch again counts none of its pages twice: the furniture stays as it was.
    again = dedup_cli("index", "add", tmp_path / "first.jsonl", "--index", index_location)
    assert again.code == 0 and "2 already indexed" in again.stderr
    learnt = ("documents", "stubs", "sites_with_furniture", "furniture_sentences")
    assert {name: _info(dedup_cli, index_location)[name] for name in learnt} == {name: info[name] for name in learnt}

    # A new teaser: a stub, and no copy of the teasers indexed before the promotion was known.
    report = _check(dedup_cli, _write(tmp_path / "incoming.jsonl", _paywall_pages(rng, 50, 1)), index_location, "--mode", "all")
    assert report["stubs"] == ["paywall-50"] and report["findings"] == []


def test_an_id_added_again_with_another_page_is_refused(tmp_path, index_location, dedup_cli):
    rng = random.Random(25)
    pages = _paywall_pages(rng, 0, 1)
    assert dedup_cli("index", "add", _write(tmp_path / "a.jsonl", pages), "--index", index_location, "-q").code == 0
    changed = [{**pages[0], "text": pages[0]["text"] + " Ein Satz mehr."}]
    outcome = dedup_cli("index", "add", _write(tmp_path / "b.jsonl", changed), "--index", index_location)
    assert "is already in the index with another text" in outcome.stderr
