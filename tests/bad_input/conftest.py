"""The corpus every bad input is put beside (see contract.py)."""

from __future__ import annotations

import pytest


@pytest.fixture
def corpus(tmp_path, articles, monkeypatch):
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "corpus"
    text = articles.text(1000)
    articles.write(root / "original.txt", text=text, title="Neue Buslinie für Grünau beschlossen")
    articles.write(root / "copy.txt", text=articles.edited_copy(text), title="Buslinie für Grünau kommt")
    articles.write(root / "other.txt", seed=1001, title="Stadtfest in Oberdorf abgesagt")
    return root
