"""The hand-annotated gold standard of fact atoms (tests/data/facts_gold.json) is well formed.

It checks the annotation, not dedup: the schema the file's "about" field documents, a
status that agrees with the sides it has forms on, and every surface form a quotation of
its report. Shared-data reports are checked only where ../shared/data is present (their
texts may not be copied into the repository); the sample reports always are.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
GOLD_PATH = REPO_ROOT / "tests" / "data" / "facts_gold.json"
SHARED_DATA = Path(os.environ.get("DEDUP_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))
TYPES = {"quote", "number", "date", "person", "organisation", "place", "agency"}
# Which sides must have forms, and which must be empty, for each status.
SIDES_BY_STATUS = {"shared": (True, True), "conflict": (True, True), "left_only": (True, False), "right_only": (False, True)}
CORPORA = {"basil", "pac"}

GOLD = json.loads(GOLD_PATH.read_text(encoding="utf-8"))
PAIRS = GOLD["pairs"]


def _pair_id(pair: dict) -> str:
    return pair["name"]


def _corpus_texts(corpus: str, wanted: set[str]) -> dict[str, str]:
    texts = {}
    with (SHARED_DATA / corpus / "articles.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if record["id"] in wanted:
                texts[record["id"]] = record["text"]
    return texts


def test_header_documents_the_schema():
    assert set(GOLD) == {"about", "pairs"}
    for word in ("shared", "left_only", "right_only", "conflict", "surface", "corpus", "path"):
        assert word in GOLD["about"]


def test_the_pairs_the_issue_asks_for():
    sources = [(pair["left"], pair["right"]) for pair in PAIRS]
    paths = {source.get("path") for pair in sources for source in pair}
    assert {"samples/seeds/dw-2021-12-31-biden-warnt-putin.txt",
            "samples/seeds/derstandard-apa-2021-12-30-biden-putin-telefonat.txt",
            "samples/stories/en-quake-wire-a.txt", "samples/stories/en-quake-wire-b.txt"} <= paths
    shared_data_pairs = [pair for pair in sources if "corpus" in pair[0]]
    assert len(shared_data_pairs) >= 3
    assert {pair[0]["corpus"] for pair in shared_data_pairs} == CORPORA
    assert len({pair["name"] for pair in PAIRS}) == len(PAIRS)


@pytest.mark.parametrize("pair", PAIRS, ids=_pair_id)
def test_pair_schema(pair):
    assert set(pair) == {"name", "left", "right", "atoms"}
    for side in ("left", "right"):
        source = pair[side]
        assert set(source) in ({"path"}, {"corpus", "id"}), source
        if "path" in source:
            assert (REPO_ROOT / source["path"]).is_file(), source
        else:
            assert source["corpus"] in CORPORA
    assert pair["atoms"]
    for atom in pair["atoms"]:
        assert set(atom) <= {"type", "left", "right", "status", "note"}, atom
        assert {"type", "left", "right", "status"} <= set(atom), atom
        assert atom["type"] in TYPES, atom
        assert atom["status"] in SIDES_BY_STATUS, atom
        for side in ("left", "right"):
            forms = atom[side]
            assert isinstance(forms, list) and all(isinstance(form, str) and form.strip() == form and form for form in forms), atom
            assert len(set(forms)) == len(forms), f"repeated form in {atom}"
        if "note" in atom:
            assert isinstance(atom["note"], str) and atom["note"], atom


@pytest.mark.parametrize("pair", PAIRS, ids=_pair_id)
def test_status_agrees_with_sides(pair):
    for atom in pair["atoms"]:
        has_left, has_right = SIDES_BY_STATUS[atom["status"]]
        assert bool(atom["left"]) == has_left and bool(atom["right"]) == has_right, atom


@pytest.mark.parametrize("pair", PAIRS, ids=_pair_id)
def test_no_atom_listed_twice(pair):
    seen = set()
    for atom in pair["atoms"]:
        key = (atom["type"], tuple(atom["left"]), tuple(atom["right"]))
        assert key not in seen, atom
        seen.add(key)


def _check_surface_forms(pair: dict, texts: dict[str, str]) -> None:
    missing = [(side, form, atom["type"]) for atom in pair["atoms"] for side in ("left", "right")
               for form in atom[side] if form not in texts[side]]
    assert not missing, f"{pair['name']}: surface forms not found as written: {missing}"


SAMPLE_PAIRS = [pair for pair in PAIRS if "path" in pair["left"] and "path" in pair["right"]]
CORPUS_PAIRS = [pair for pair in PAIRS if pair not in SAMPLE_PAIRS]


@pytest.mark.parametrize("pair", SAMPLE_PAIRS, ids=_pair_id)
def test_sample_surface_forms_are_quotations(pair):
    texts = {side: (REPO_ROOT / pair[side]["path"]).read_text(encoding="utf-8") for side in ("left", "right")}
    _check_surface_forms(pair, texts)


@pytest.mark.parametrize("pair", CORPUS_PAIRS, ids=_pair_id)
def test_shared_data_surface_forms_are_quotations(pair):
    texts = {}
    for side in ("left", "right"):
        source = pair[side]
        path = SHARED_DATA / source["corpus"] / "articles.jsonl"
        if not path.is_file():
            pytest.skip(f"{path} not present")
        found = _corpus_texts(source["corpus"], {source["id"]})
        assert source["id"] in found, f"{source['corpus']}: no record {source['id']}"
        texts[side] = found[source["id"]]
    _check_surface_forms(pair, texts)
