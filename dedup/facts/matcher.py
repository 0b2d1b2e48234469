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
from dataclasses import dataclass, field

import numpy as np

from dedup.text.language import content_stems
from dedup.text.normalise import normalise
from dedup.text.tokens import words

# The score at which two sentences state the same fact: the mean of the thresholds that
# maximise accuracy on nine tenths of MSRP, over ten folds (benchmarks/alignment.py prints
# them: 0.272-0.281, accuracy and F1 flat across that range).
PARAPHRASE_THRESHOLD = 0.276
# With the sentence encoder (dedup.semantic, measured for its shipped model by
# benchmarks/alignment.py, cross-validated on MSRP like PARAPHRASE_THRESHOLD):
# the lexical score's share of the blend; F1 is flat from 0.2 to 0.6 (0.815-0.822).
LEXICAL_WEIGHT = 0.3
# the blend at which two sentences state one fact (the ten fold thresholds: 0.5714-0.5715);
SEMANTIC_THRESHOLD = 0.571
# the encoder's cosine alone at which two sentences state one fact (ten folds: 0.708-0.714);
COSINE_THRESHOLD = 0.711
# and how much lower the cosine of a German and an English sentence runs than that of the
# same two in one language: the mean of cos(German a, German b) - cos(German a, English b)
# over the STSb-de pairs rated 4 or more (1,670 pairs; b is one text in two languages).
TRANSLATION_GAP = 0.107
_CHARACTER_GRAM_SIZES = (3, 4, 5)
# Far above the rounding error of a score, far below any difference a threshold draws.
_BOUND_MARGIN = 1e-9
# Character grams held by more than this share of the sentences are "frequent" for the
# bound of `SentenceMatcher.similarity_at_least` (speed only: any share gives the same
# results). At 2 % the bound rules out 96 % of the candidate pairs of two 200 KB reports.
FREQUENT_GRAM_SHARE = 0.02
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True, slots=True)
class SentenceFeatures:
    words: tuple[str, ...]
    stems: frozenset[str]
    character_grams: Counter
    numbers: frozenset[str]
    # The sentence encoder's unit vector (dedup.semantic), when the comparison uses one.
    vector: np.ndarray | None = field(default=None, compare=False)


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


@dataclass(frozen=True, slots=True)
class _Parts:
    """What the bounds of `similarity_at_least` need of one sentence, computed once."""

    stem_weight: float  # the IDF weight of its stems
    norm: float  # of its character gram vector
    rare_grams: tuple[str, ...]  # its character grams outside the frequent ones
    frequent_norm: float  # the norm of its vector over the frequent grams alone


class SentenceMatcher:
    """Similarity of sentences drawn from one collection, which supplies the IDF."""

    def __init__(self, collection: Sequence[SentenceFeatures], cross_language: bool = False) -> None:
        # Sentences of two languages share no words: their score is their meaning alone.
        self.cross_language = cross_language
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
        # The squares the cosine multiplies by, computed once: the same floats as squaring per pair.
        self._gram_idf_squared = {gram: idf ** 2 for gram, idf in self._gram_idf.items()}
        self._frequent_grams = frozenset(gram for gram, count in gram_counts.items() if count > FREQUENT_GRAM_SHARE * size)
        self._norms: dict[int, float] = {}
        self._cached_parts: dict[int, _Parts] = {}

    def similarity(self, a: SentenceFeatures, b: SentenceFeatures) -> float:
        lexical = self.lexical_similarity(a, b)
        if a.vector is None or b.vector is None:
            return lexical
        return semantic_similarity(lexical, float(a.vector @ b.vector), self.cross_language)

    def lexical_similarity(self, a: SentenceFeatures, b: SentenceFeatures) -> float:
        overlap = self.stem_overlap(a, b)
        cosine = self.character_cosine(a, b)
        return (overlap + cosine) / 2 * (0.5 + 0.5 * number_agreement(a, b))

    def similarity_at_least(self, a: SentenceFeatures, b: SentenceFeatures, threshold: float) -> float | None:
        """`similarity(a, b)` when it reaches `threshold`, else None; most pairs below it are
        told without the exact cosine, the costly half of the score, by two upper bounds:

        - the cosine is at most 1, so sentences whose numbers disagree need stem overlap;
        - the cosine's dot product over the frequent character grams (held by more than
          FREQUENT_GRAM_SHARE of the sentences: " th", "the", "ung ") is at most the
          product of the two sentences' norms over those grams (Cauchy-Schwarz), so only
          the rarer grams are summed, and two sentences share few of those unless they
          share words.

        The bounds are computed in another order than the score and are allowed a margin
        of _BOUND_MARGIN, far above rounding error, so no pair at or above `threshold` is
        ever missed; the score returned is `similarity` itself.

        With the encoder's vectors the cosine of meaning is computed first (one dot
        product); what it leaves for the lexical score to reach is then bounded the same
        way, and across languages the lexical score plays no part at all."""
        if a.vector is not None and b.vector is not None:
            cosine = float(a.vector @ b.vector)
            if self.cross_language:
                score = semantic_similarity(0.0, cosine, True)
                return score if score >= threshold else None
            # The blend must reach the threshold's value before the monotone rescaling.
            needed = (_blend_at(threshold) - (1 - LEXICAL_WEIGHT) * cosine) / LEXICAL_WEIGHT
            if needed > 1 + _BOUND_MARGIN:
                return None
            lexical = self._lexical_at_least(a, b, needed) if needed > 0 else self.lexical_similarity(a, b)
            if lexical is None:
                return None
            score = semantic_similarity(lexical, cosine, False)
            return score if score >= threshold else None
        score = self._lexical_at_least(a, b, threshold)
        return score if score is not None and score >= threshold else None

    def _lexical_at_least(self, a: SentenceFeatures, b: SentenceFeatures, threshold: float) -> float | None:
        """`lexical_similarity(a, b)`, or None when the bounds tell it is below `threshold`."""
        parts_a, parts_b = self._parts(a), self._parts(b)
        shared = sum(self._stem_idf.get(stem, self._unseen) for stem in a.stems & b.stems)
        union = parts_a.stem_weight + parts_b.stem_weight - shared
        overlap = shared / union if union > 0 else 1.0
        factor = 0.5 + 0.5 * number_agreement(a, b)
        limit = threshold - _BOUND_MARGIN
        if (overlap + 1) / 2 * factor < limit:
            return None
        norms = parts_a.norm * parts_b.norm
        if norms:
            if len(parts_a.rare_grams) <= len(parts_b.rare_grams):
                rare, own, other = parts_a.rare_grams, a.character_grams, b.character_grams
            else:
                rare, own, other = parts_b.rare_grams, b.character_grams, a.character_grams
            squared, unseen = self._gram_idf_squared.get, self._unseen ** 2
            dot = sum(own[gram] * other[gram] * squared(gram, unseen) for gram in filter(other.__contains__, rare))
            cosine_bound = (dot + parts_a.frequent_norm * parts_b.frequent_norm) / norms
            if (overlap + cosine_bound) / 2 * factor < limit:
                return None
        return self.lexical_similarity(a, b)

    def _parts(self, features: SentenceFeatures) -> _Parts:
        key = id(features)
        parts = self._cached_parts.get(key)
        if parts is None:
            weight, frequent = self._gram_idf.get, self._frequent_grams
            grams = features.character_grams
            parts = _Parts(
                stem_weight=sum(self._stem_idf.get(stem, self._unseen) for stem in features.stems),
                norm=self._norm(features),
                rare_grams=tuple(gram for gram in grams if gram not in frequent),
                frequent_norm=math.sqrt(sum((grams[gram] * weight(gram, self._unseen)) ** 2 for gram in grams if gram in frequent)),
            )
            self._cached_parts[key] = parts
        return parts

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
        squared, unseen = self._gram_idf_squared.get, self._unseen ** 2
        small, large = sorted((a.character_grams, b.character_grams), key=len)
        # Only the grams both hold, in the smaller one's order (the order of the sum is part
        # of the float it gives); the membership test runs in C, not in a Python loop.
        dot = sum(small[gram] * large[gram] * squared(gram, unseen) for gram in filter(large.__contains__, small))
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


def semantic_similarity(lexical: float, cosine: float, cross_language: bool) -> float:
    """The score of two sentences the encoder has read: LEXICAL_WEIGHT of the lexical score
    plus the rest of the encoder's cosine. Across two languages the lexical score means
    nothing and translations' cosines run lower than paraphrases' within one language, so
    there the score is the cosine alone, read against
    COSINE_THRESHOLD less TRANSLATION_GAP. The blend is
    then put on the lexical score's scale (SEMANTIC_THRESHOLD lands on PARAPHRASE_THRESHOLD,
    0 on 0 and 1 on 1, linear in between), so one threshold and one reading of the number
    hold for every comparison."""
    if cross_language:  # COSINE_THRESHOLD - TRANSLATION_GAP lands on SEMANTIC_THRESHOLD
        blend = cosine - (COSINE_THRESHOLD - TRANSLATION_GAP) + SEMANTIC_THRESHOLD
    else:
        blend = LEXICAL_WEIGHT * lexical + (1 - LEXICAL_WEIGHT) * cosine
    blend = min(max(blend, 0.0), 1.0)
    if blend < SEMANTIC_THRESHOLD:
        return blend / SEMANTIC_THRESHOLD * PARAPHRASE_THRESHOLD
    return PARAPHRASE_THRESHOLD + (blend - SEMANTIC_THRESHOLD) / (1 - SEMANTIC_THRESHOLD) * (1 - PARAPHRASE_THRESHOLD)


def _blend_at(score: float) -> float:
    """The blend that `semantic_similarity` puts on `score`: its rescaling undone."""
    if score < PARAPHRASE_THRESHOLD:
        return score / PARAPHRASE_THRESHOLD * SEMANTIC_THRESHOLD
    return SEMANTIC_THRESHOLD + (score - PARAPHRASE_THRESHOLD) / (1 - PARAPHRASE_THRESHOLD) * (1 - SEMANTIC_THRESHOLD)


def lowest_paraphrase_cosine(cross_language: bool) -> float:
    """The encoder's cosine below which no pair reaches SEMANTIC_THRESHOLD, whatever its
    lexical score: the floor of the aligner's candidates by meaning."""
    if cross_language:
        return COSINE_THRESHOLD - TRANSLATION_GAP
    return (SEMANTIC_THRESHOLD - LEXICAL_WEIGHT) / (1 - LEXICAL_WEIGHT)


def number_agreement(a: SentenceFeatures, b: SentenceFeatures) -> float:
    if not a.numbers and not b.numbers:
        return 1.0
    return len(a.numbers & b.numbers) / len(a.numbers | b.numbers)
