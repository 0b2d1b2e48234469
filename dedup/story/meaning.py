"""What story mode does with sentence vectors (`--semantic`): a vector per document from
its summary, and a probability for each candidate pair from the model that fits it.

- Vectors: the shipped encoder (dedup.semantic.shared_encoder) reads each document's
  summary (title and lead, dedup.story.features.summary), on the process that runs the
  story stage; vectors of summaries seen before come from the disk cache.
- Two reports in one language are judged by pair_model.SEMANTIC (every word feature and
  the cosine); two in different languages by pair_model.NEUTRAL (what a translation keeps,
  dedup.story.neutral), because their word stems never meet. NEUTRAL is fitted on pairs of
  one language, and the encoder puts a German and an English text further apart than two
  texts of one language that say the same: its cosine goes in on the one-language scale
  (`one_language_cosine`). Two reports in different languages that share no fact of an
  event (EVENT_FACTS: a name, a number, a date, a weekday, a time) are never one story:
  meaning alone groups by topic, not by event (../shared/notes/embeddings.md).

A pair's probability depends on the two documents, their vectors and shipped knowledge
only, as without vectors.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence

import numpy as np

from dedup.model import StoryFeatures
from dedup.parallel import thread_map
from dedup.semantic.cache import cached_vectors
from dedup.semantic.encoder import Encoder, shared_encoder
from dedup.story import pair_model
from dedup.story.neutral import NeutralSpace
from dedup.story.pair_model import NEUTRAL, NEUTRAL_FEATURES, SEMANTIC, SEMANTIC_FEATURES, PairModel
from dedup.story.signals import SignalSpace

# Summaries encoded between two progress reports: a few seconds of work.
ENCODED_PER_REPORT = 256
# A cosine across German and English on the scale of a cosine within one language: the
# least-squares line of the mean of the German-German and the English-English cosine of a
# sentence pair on its German-English cosine (mean of both crossings), measured with the
# shipped encoder on the 3,799 news pairs of STSb train and dev (German: DeepL's translation
# of the English; /work/shared/data/stsb_de): 0.040 + 1.075 x, residual sd 0.059. A pair of
# one meaning has 0.70 across and 0.82 within (score 4-5), unrelated ones 0.33 and 0.36.
ACROSS_INTERCEPT = 0.040
ACROSS_SLOPE = 1.075
# NEUTRAL's inputs that say two reports share a fact of the event. Without one, a pair across
# languages has only its cosine and its lengths, and is not judged: on ecbplus and basil each
# mixed with 10kgnad (every English-German pair false), 5 of the 19 pairs NEUTRAL put at 0.5
# or more shared none; on the German-English set none of the 45 true pairs shares none.
EVENT_FACTS = ("name_keys_shared", "numbers", "lead_numbers_shared", "times_shared", "dates_shared", "weekdays_shared",
               "lead_when_shared")
_FACT_COLUMNS = np.array([NEUTRAL_FEATURES.index(name) for name in EVENT_FACTS])
# Pairs measured per thread task, as in dedup.story.finder.
PAIRS_PER_TASK = 50_000
# The models a pair may be judged by; `model_of` arrays index this tuple.
MODELS: tuple[PairModel, ...] = (SEMANTIC, NEUTRAL)
# The columns of the model inputs kept per pair: each model reads its own.
INPUT_COLUMNS = (*SEMANTIC_FEATURES, *(name for name in NEUTRAL_FEATURES if name not in SEMANTIC_FEATURES))
_SEMANTIC_COLUMNS = np.array([INPUT_COLUMNS.index(name) for name in SEMANTIC_FEATURES])
_NEUTRAL_COLUMNS = np.array([INPUT_COLUMNS.index(name) for name in NEUTRAL_FEATURES])


def document_vectors(features: Sequence[StoryFeatures], jobs: int = 1,
                     report: Callable[[int, int], None] = lambda done, total: None,
                     encoder: Encoder | None = None) -> np.ndarray:
    """The unit vector of each document's summary (a zero row for an empty one). A summary
    that several documents share (wire copy under two ids) is encoded once."""
    encoder = encoder or shared_encoder(jobs)
    texts = [feature.summary for feature in features]
    unique = list(dict.fromkeys(texts))
    found = np.zeros((len(unique), encoder.dimensions), dtype=np.float32)
    report(0, len(unique))
    # The encoder's tokenizer is Python and makes many small objects, so the garbage
    # collector runs often; each full run would walk every object of the scan (the story
    # evidence of every document: encoding 13,518 insm_de_press summaries ran at 58 a second
    # in a scan against 250 alone). Frozen, the scan's objects are left out of those runs.
    gc.freeze()
    try:
        for start in range(0, len(unique), ENCODED_PER_REPORT):
            stop = start + ENCODED_PER_REPORT
            found[start:stop] = cached_vectors(encoder, unique[start:stop])
            report(min(stop, len(unique)), len(unique))
    finally:
        gc.unfreeze()
    # The cache keeps vectors as float16: a vector just computed, rounded the same way, is the
    # one the next scan reads back, so a scan gives the same groups whether its vectors were
    # cached or not (a cosine at a floor or a neighbour at the k-th place would differ).
    found = found.astype(np.float16).astype(np.float32)
    row_of = {text: row for row, text in enumerate(unique)}
    return found[[row_of[text] for text in texts]] if texts else np.zeros((0, encoder.dimensions), dtype=np.float32)


def cosines(vectors: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The cosine of each pair's unit vectors, in float64 as the other model inputs."""
    return np.einsum("ij,ij->i", vectors[left], vectors[right]).astype(np.float64)


def one_language_cosine(across: np.ndarray) -> np.ndarray:
    """The cosine two reports in different languages would have in one (ACROSS_SLOPE)."""
    return ACROSS_INTERCEPT + ACROSS_SLOPE * across


def meaning_probabilities(space: SignalSpace, features: Sequence[StoryFeatures], vectors: np.ndarray,
                          left: np.ndarray, right: np.ndarray, days: np.ndarray,
                          jobs: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """(probability, index into MODELS) of each pair (left[k], right[k]); the probability is
    0 beyond the day window. The inputs are let go (`meaning_inputs` measures them again for
    the pairs shown)."""
    languages = np.array([feature.lang for feature in features])
    across = languages[left] != languages[right]
    model_of = across.astype(np.int8)  # 0: SEMANTIC, 1: NEUTRAL
    probabilities = np.zeros(len(left), dtype=np.float64)
    # Pairs beyond the day window keep probability 0: they are never one story.
    near = pair_model.within_day_window(days, left, right)
    within = near[~across[near]]
    between = near[across[near]]
    if len(within):
        rows = _measured(lambda part: _semantic_inputs(space, vectors, left[part], right[part], days), within, jobs)
        probabilities[within] = SEMANTIC.probability(rows)
    if len(between):
        neutral = NeutralSpace(features)
        rows = _measured(lambda part: _neutral_inputs(space, neutral, vectors, left[part], right[part], days), between, jobs)
        probabilities[between] = np.where(shares_an_event_fact(rows), NEUTRAL.probability(rows), 0.0)
    return probabilities, model_of


def meaning_inputs(space: SignalSpace, features: Sequence[StoryFeatures], vectors: np.ndarray, left: np.ndarray,
                   right: np.ndarray, days: np.ndarray, model_of: np.ndarray) -> np.ndarray:
    """The inputs over INPUT_COLUMNS that `meaning_probabilities` read for pairs (left[k],
    right[k]) judged by MODELS[model_of[k]], each row measured on its own as there."""
    inputs = np.zeros((len(left), len(INPUT_COLUMNS)), dtype=np.float64)
    within, between = np.flatnonzero(model_of == 0), np.flatnonzero(model_of == 1)
    if len(within):
        inputs[np.ix_(within, _SEMANTIC_COLUMNS)] = _semantic_inputs(space, vectors, left[within], right[within], days)
    if len(between):
        inputs[np.ix_(between, _NEUTRAL_COLUMNS)] = _neutral_inputs(space, NeutralSpace(features), vectors, left[between],
                                                                    right[between], days)
    return inputs


def _semantic_inputs(space: SignalSpace, vectors: np.ndarray, left: np.ndarray, right: np.ndarray,
                     days: np.ndarray) -> np.ndarray:
    return pair_model.semantic_features(space, left, right, days, cosines(vectors, left, right))


def _neutral_inputs(space: SignalSpace, neutral: NeutralSpace, vectors: np.ndarray, left: np.ndarray,
                    right: np.ndarray, days: np.ndarray) -> np.ndarray:
    return pair_model.neutral_features(space, neutral, left, right, days, one_language_cosine(cosines(vectors, left, right)))


def shares_an_event_fact(neutral_inputs: np.ndarray) -> np.ndarray:
    """For rows of NEUTRAL's inputs, whether the pair shares any of EVENT_FACTS."""
    return (neutral_inputs[:, _FACT_COLUMNS] > 0).any(axis=1)


def model_inputs(inputs: np.ndarray, model: PairModel) -> np.ndarray:
    """A model's own inputs, in its order, from a row (or rows) over INPUT_COLUMNS."""
    return inputs[..., _SEMANTIC_COLUMNS if model is SEMANTIC else _NEUTRAL_COLUMNS]


def _measured(measure: Callable[[np.ndarray], np.ndarray], pairs: np.ndarray, jobs: int) -> np.ndarray:
    """`measure` over blocks of the pair numbers `pairs` on `jobs` threads, stacked."""
    blocks = [pairs[start:start + PAIRS_PER_TASK] for start in range(0, len(pairs), PAIRS_PER_TASK)]
    return np.vstack(thread_map(measure, blocks, jobs))
