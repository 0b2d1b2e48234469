"""How alike two sentences are: the score the aligner pairs sentences by.

    similarity = (stem overlap + character cosine) / 2 × (1/2 + 1/2 × number agreement)

- stem overlap: IDF-weighted Jaccard of the content-word stems ("Gespräch" = "Gesprächen");
- character cosine: TF-IDF cosine of the character 3-, 4- and 5-grams of the words, which
  catches compounds and inflections stems miss ("Wirtschaftssanktionen" / "Sanktionen");
- number agreement: Jaccard of the numbers the two sentences state (1 when neither has
  any), so "50 Minuten" against "40 Minuten" costs up to half the score.

IDF is taken over the sentences being compared (both reports), a corpus statistic and not
a learned weight. The two halves are averaged without weights; `benchmarks/alignment.py`
measures the score on MSRP and STSb-de against a plain word-overlap baseline, and chose
PARAPHRASE_THRESHOLD by cross-validation on MSRP (see its output).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from dedup.text.language import content_stems
from dedup.text.normalise import normalise
from dedup.text.tokens import words

# The score at which two sentences state the same fact: the mean of the thresholds that
# maximise accuracy on nine tenths of MSRP, over ten folds (benchmarks/alignment.py prints
# them: 0.272-0.281, accuracy and F1 flat across that range).
PARAPHRASE_THRESHOLD = 0.276
_CHARACTER_GRAM_SIZES = (3, 4, 5)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True, slots=True)
class SentenceFeatures:
    words: tuple[str, ...]
    stems: frozenset[str]
    character_grams: Counter
    numbers: frozenset[str]


def sentence_features(text: str, lang: str) -> SentenceFeatures:
    normalised = normalise(text)
    tokens = words(normalised)
    padded = " " + " ".join(tokens) + " "
    grams = Counter(padded[i : i + n] for n in _CHARACTER_GRAM_SIZES for i in range(len(padded) - n + 1))
    numbers = frozenset(number.replace(",", ".").rstrip(".") for number in _NUMBER.findall(normalised))
    return SentenceFeatures(tuple(tokens), frozenset(content_stems(tokens, lang)), grams, numbers)


def word_overlap(a: SentenceFeatures, b: SentenceFeatures) -> float:
    """The baseline: Jaccard of the two sets of words."""
    left, right = set(a.words), set(b.words)
    return len(left & right) / len(left | right) if left | right else 1.0


class SentenceMatcher:
    """Similarity of sentences drawn from one collection, which supplies the IDF."""

    def __init__(self, collection: Sequence[SentenceFeatures]) -> None:
        size = len(collection)
        stem_counts: Counter = Counter()
        gram_counts: Counter = Counter()
        for features in collection:
            stem_counts.update(features.stems)
            gram_counts.update(features.character_grams.keys())
        # Smoothed IDF, ln((N + 1) / (df + 1)) + 1: never zero, so a word in every sentence still counts a little.
        self._unseen = math.log(size + 1) + 1
        self._stem_idf = {stem: math.log((size + 1) / (count + 1)) + 1 for stem, count in stem_counts.items()}
        self._gram_idf = {gram: math.log((size + 1) / (count + 1)) + 1 for gram, count in gram_counts.items()}
        self._norms: dict[int, float] = {}

    def similarity(self, a: SentenceFeatures, b: SentenceFeatures) -> float:
        overlap = self.stem_overlap(a, b)
        cosine = self.character_cosine(a, b)
        return (overlap + cosine) / 2 * (0.5 + 0.5 * number_agreement(a, b))

    def stem_overlap(self, a: SentenceFeatures, b: SentenceFeatures) -> float:
        union = a.stems | b.stems
        if not union:
            return 1.0
        weight = self._stem_idf.get
        total = sum(weight(stem, self._unseen) for stem in union)
        return sum(weight(stem, self._unseen) for stem in a.stems & b.stems) / total

    def coverage(self, part: SentenceFeatures, whole: SentenceFeatures) -> float:
        """The IDF-weighted share of `part`'s stems that `whole` contains too."""
        if not part.stems:
            return 0.0
        weight = self._stem_idf.get
        total = sum(weight(stem, self._unseen) for stem in part.stems)
        return sum(weight(stem, self._unseen) for stem in part.stems & whole.stems) / total

    def character_cosine(self, a: SentenceFeatures, b: SentenceFeatures) -> float:
        weight = self._gram_idf.get
        small, large = sorted((a.character_grams, b.character_grams), key=len)
        dot = sum(count * large[gram] * weight(gram, self._unseen) ** 2 for gram, count in small.items() if gram in large)
        norms = self._norm(a) * self._norm(b)
        return dot / norms if norms else 0.0

    def _norm(self, features: SentenceFeatures) -> float:
        key = id(features)
        if key not in self._norms:
            weight = self._gram_idf.get
            self._norms[key] = math.sqrt(
                sum((count * weight(gram, self._unseen)) ** 2 for gram, count in features.character_grams.items())
            )
        return self._norms[key]


def number_agreement(a: SentenceFeatures, b: SentenceFeatures) -> float:
    if not a.numbers and not b.numbers:
        return 1.0
    return len(a.numbers & b.numbers) / len(a.numbers | b.numbers)
