"""The story pair model: P(two reports tell one event | the evidence of the two).

The evidence of a pair is a vector of features, each a function of the two documents and
of shipped knowledge only (dedup.story.signals, dedup.story.reference); logs are ln(1 + x):

- what: stems_shared (log of the summed rarity of the content words both use), stems_z
  (log of their cosine over what each report would share with unrelated news by chance),
  rare_stems (log of how many very rare words both use), lead (overlap of the leads),
  title (log of the summed rarity of shared title words), quotes (log of the quoted word
  pairs both give); shorter and longer (log of each report's number of content words), so
  a long report's shared words count for what they are;
- who: names_shared (log of the summed rarity of the names both give), names_contained
  (that rarity over the smaller report's own), lead_names_found (the lesser share of one
  lead's names that the other report names anywhere: one side's protagonist missing from
  the other tells two events apart) and lead_names_both;
- how much: numbers (log of the summed rarity of shared numbers) and numbers_both,
  units_conflict (log of how many units both count with no value in common, "5.4
  magnitud" / "6.1 magnitud": in ecbplus a shared unit disagrees in 15-35% of same-event
  pairs and in about 90% of same-topic pairs of other events), lead_numbers_shared and
  lead_numbers_both;
- when: for dates ("10. Jänner" = "January 10"), weekdays, the lead's days, and years, a
  pair of flags: both give one (X_both), and they share one (X_shared); reports of two
  events of one story differ in *when* ("am Donnerstag" / "am Samstag"), so both giving a
  day and sharing none is evidence against. latest_year_same: both give years and the
  latest is the same. dated: both publication dates are known; published_same_day: at most
  a day apart. Pairs more than DAY_WINDOW days apart are never one story.

A logistic model turns the features into a probability. Its coefficients are fitted by
`benchmarks/fit_story_model.py` on the candidate pairs of basil, ecbplus and pac (train
and dev splits), each corpus weighted equally, and copied here; that script also prints
how the model does on each corpus when fitted on the other two. Since nothing here reads
the rest of the corpus, `dedup scan`, `dedup check` and `dedup review` give a pair one
probability wherever it is scanned.

With `--semantic` two more models, fitted by the same script (`--semantic`) on the same
corpora, take the place of this one:
- SEMANTIC, for two reports in one language: every feature above and `cosine`, the cosine
  of the vectors of the two summaries (title and lead, dedup.semantic);
- NEUTRAL, for two reports in different languages, where shared word stems mean nothing:
  only what a translation keeps (dedup.story.neutral): names through their transliteration
  key (name_keys_shared, name_keys_contained, lead_name_keys_found), numbers, clock times
  and durations (times_both, times_shared), dates, weekdays, years, the publication days,
  the cosine, and the reports' lengths (shorter, longer: a German translation of an English
  news sentence has 0.96 times its distinct content words, STSb news, 4,000 sentences). It
  is fitted on the English corpora with the word features left out: the evidence two
  reports keep when one of them is translated.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dedup.story.neutral import NeutralSpace
from dedup.story.signals import SIGNALS, SignalSpace

# Independent reports of one event appear within one news cycle; a week later it is a
# follow-up, which is another event.
DAY_WINDOW = 3

FEATURES = (
    "stems_shared", "stems_z", "rare_stems", "lead", "title", "quotes", "shorter", "longer",
    "names_shared", "names_contained", "lead_names_both", "lead_names_found",
    "numbers_both", "numbers", "units_conflict", "lead_numbers_both", "lead_numbers_shared",
    "dates_both", "dates_shared", "weekdays_both", "weekdays_shared", "lead_when_both", "lead_when_shared",
    "years_both", "years_shared", "latest_year_same", "dated", "published_same_day",
)

# Fitted by benchmarks/fit_story_model.py (see the module docstring); INTERCEPT is the
# log-odds of a pair with no evidence at all.
INTERCEPT = 4.746
COEFFICIENTS = {
    "stems_shared": 1.460,
    "stems_z": 1.200,
    "rare_stems": 0.638,
    "lead": 2.702,
    "title": 1.243,
    "quotes": 0.482,
    "shorter": -1.839,
    "longer": -1.458,
    "names_shared": 0.857,
    "names_contained": 0.636,
    "lead_names_both": -0.840,
    "lead_names_found": 0.988,
    "numbers_both": -0.576,
    "numbers": 0.852,
    "units_conflict": -0.254,
    "lead_numbers_both": -0.590,
    "lead_numbers_shared": 1.548,
    "dates_both": 0.831,
    "dates_shared": 0.518,
    "weekdays_both": -0.885,
    "weekdays_shared": 0.718,
    "lead_when_both": -0.904,
    "lead_when_shared": 1.945,
    "years_both": -0.311,
    "years_shared": -1.121,
    "latest_year_same": 0.593,
    "dated": 1.510,
    "published_same_day": 1.422,
}


def pair_features(space: SignalSpace, left: np.ndarray, right: np.ndarray, days: np.ndarray) -> np.ndarray:
    """The feature matrix (pairs x FEATURES) of pairs (left[k], right[k]); `days` holds each
    document's publication day, NaN when unknown."""
    similarity = {signal: space.pair_similarity(signal, left, right) for signal in SIGNALS}
    both = _both_give(space, left, right)
    columns = {
        "stems_shared": np.log1p(similarity["stems_shared"]),
        "stems_z": np.log1p(similarity["stems"] / space.chance_spread[left] + similarity["stems"] / space.chance_spread[right]),
        "rare_stems": np.log1p(similarity["rare_stems"]),
        "lead": similarity["lead"],
        "title": np.log1p(similarity["title"]),
        "quotes": np.log1p(similarity["quotes"]),
        "names_shared": np.log1p(similarity["names_shared"]),
        "names_contained": _containment(similarity["names_shared"], space.name_totals, left, right),
        "lead_names_found": np.where(both["lead_names"], np.minimum(space.found_share(left, right),
                                                                    space.found_share(right, left)), 0.0),
        "units_conflict": np.log1p(similarity["units"] - space.units_agreeing(left, right)),
        **_kept_in_translation(space, similarity, both, left, right, days),
    }
    return np.column_stack([np.asarray(columns[name], dtype=np.float64) for name in FEATURES])


def within_day_window(days: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The positions k of the pairs at most DAY_WINDOW days apart, or with a day unknown.
    Only these are measured: a pair further apart is never one story, whatever its evidence,
    and on a corpus of half a year that is nine candidate pairs in ten."""
    apart = np.abs(days[left] - days[right]) > DAY_WINDOW  # False when a day is unknown (NaN)
    return np.flatnonzero(~apart)


def _both_give(space: SignalSpace, left: np.ndarray, right: np.ndarray) -> dict[str, np.ndarray]:
    """For each signal a pair's features ask about: do both documents give it at all."""
    gives = space.counts
    return {signal: (gives[signal][left] > 0) & (gives[signal][right] > 0)
            for signal in ("numbers", "lead_numbers", "dates", "weekdays", "lead_when", "years", "lead_names")}


def _kept_in_translation(space: SignalSpace, similarity: dict[str, np.ndarray], both: dict[str, np.ndarray],
                         left: np.ndarray, right: np.ndarray, days: np.ndarray) -> dict[str, np.ndarray]:
    """The columns every model reads the same way: the reports' lengths, how much, when.
    They survive translation, so the language-neutral model reads them too."""
    gives = space.counts
    gap = np.abs(days[left] - days[right])  # NaN when either is unknown
    with np.errstate(invalid="ignore"):
        same_day = gap <= 1
    return {
        "shorter": np.log1p(np.minimum(gives["stems"][left], gives["stems"][right])),
        "longer": np.log1p(np.maximum(gives["stems"][left], gives["stems"][right])),
        "lead_names_both": both["lead_names"],
        "numbers_both": both["numbers"],
        "numbers": np.log1p(similarity["numbers"]),
        "lead_numbers_both": both["lead_numbers"],
        "lead_numbers_shared": similarity["lead_numbers"] > 0,
        "dates_both": both["dates"],
        "dates_shared": similarity["dates"] > 0,
        "weekdays_both": both["weekdays"],
        "weekdays_shared": similarity["weekdays"] > 0,
        "lead_when_both": both["lead_when"],
        "lead_when_shared": similarity["lead_when"] > 0,
        "years_both": both["years"],
        "years_shared": similarity["years"] > 0,
        "latest_year_same": both["years"] & (space.latest_year[left] == space.latest_year[right]),
        "dated": ~np.isnan(gap),
        "published_same_day": same_day,
    }


def _containment(shared: np.ndarray, totals: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The shared rarity over the smaller document's own: 1 when all a short report gives
    stands in the other, lower when each gives what the other lacks."""
    smaller = np.minimum(totals[left], totals[right])
    return np.divide(shared, smaller, out=np.zeros_like(shared), where=smaller > 0)


# The features that set how much evidence a pair of reports of their length needs, rather
# than being evidence themselves: explanations fold them into the baseline.
LENGTHS = ("shorter", "longer")


def contributions(inputs: np.ndarray) -> dict[str, float]:
    """Each feature's part in one pair's log-odds (coefficient times value), with the
    intercept and the length terms together as "baseline": the log-odds of two reports of
    their length that share nothing."""
    parts = {name: COEFFICIENTS[name] * float(value) for name, value in zip(FEATURES, inputs.tolist(), strict=True)}
    baseline = INTERCEPT + sum(parts.pop(name) for name in LENGTHS)
    return {"baseline": baseline} | parts


def log_odds(features: np.ndarray, intercept: float = INTERCEPT, coefficients: dict[str, float] | None = None) -> np.ndarray:
    weights = np.array([(coefficients or COEFFICIENTS)[name] for name in FEATURES])
    return intercept + weighted_sums(features, weights)


def weighted_sums(inputs: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """inputs @ weights, each row summed on its own: BLAS's matrix-vector product sums a row
    in an order that depends on how many rows it is given and where the row lies among them,
    so a pair's probability would change in its last bits with the pairs around it."""
    return np.sum(np.ascontiguousarray(inputs, dtype=np.float64) * weights, axis=-1)


def probability(features: np.ndarray, intercept: float = INTERCEPT, coefficients: dict[str, float] | None = None) -> np.ndarray:
    return 1 / (1 + np.exp(-log_odds(features, intercept, coefficients)))


# --- With `--semantic` ---------------------------------------------------------------------

SEMANTIC_FEATURES = (*FEATURES, "cosine")
# Fitted by benchmarks/fit_story_model.py --semantic (see the module docstring) on the
# candidates of a semantic scan. Fitted on two corpora, tested on the third: ARI 0.979 on
# basil, 0.576 on ecbplus, 0.830 on pac (WORDS: 0.962, 0.564, 0.835).
SEMANTIC_INTERCEPT = 2.893
SEMANTIC_COEFFICIENTS = {
    "stems_shared": 1.160,
    "stems_z": 0.810,
    "rare_stems": 0.785,
    "lead": 2.080,
    "title": 1.039,
    "quotes": 0.451,
    "shorter": -1.668,
    "longer": -1.270,
    "names_shared": 0.792,
    "names_contained": 0.610,
    "lead_names_both": -0.740,
    "lead_names_found": 0.855,
    "numbers_both": -0.563,
    "numbers": 0.820,
    "units_conflict": -0.237,
    "lead_numbers_both": -0.575,
    "lead_numbers_shared": 1.430,
    "dates_both": 0.952,
    "dates_shared": 0.411,
    "weekdays_both": -0.942,
    "weekdays_shared": 0.761,
    "lead_when_both": -0.967,
    "lead_when_shared": 1.909,
    "years_both": -0.398,
    "years_shared": -1.037,
    "latest_year_same": 0.630,
    "dated": 1.516,
    "published_same_day": 1.595,
    "cosine": 3.637,
}

NEUTRAL_FEATURES = (
    "shorter", "longer", "name_keys_shared", "name_keys_contained", "lead_names_both", "lead_name_keys_found",
    "numbers_both", "numbers", "lead_numbers_both", "lead_numbers_shared", "times_both", "times_shared",
    "dates_both", "dates_shared", "weekdays_both", "weekdays_shared", "lead_when_both", "lead_when_shared",
    "years_both", "years_shared", "latest_year_same", "dated", "published_same_day", "cosine",
)
# Fitted by benchmarks/fit_story_model.py --semantic (see the module docstring) on the
# pairs a scan would propose if every two documents were in different languages (each
# one's nearest neighbours by meaning). Fitted on two corpora, tested on the third as if
# across languages: ARI 0.976 on basil, 0.552 on ecbplus (cautious: precision 0.995, recall
# 0.385), 0.815 on pac. It never saw a German-English pair: benchmarks/grouping.py
# --semantic scores it on its German-English set.
NEUTRAL_INTERCEPT = 5.813
NEUTRAL_COEFFICIENTS = {
    "shorter": -1.324,
    "longer": -1.240,
    "name_keys_shared": 1.347,
    "name_keys_contained": 1.023,
    "lead_names_both": -1.019,
    "lead_name_keys_found": 1.198,
    "numbers_both": -0.364,
    "numbers": 0.844,
    "lead_numbers_both": -0.660,
    "lead_numbers_shared": 1.892,
    "times_both": 0.484,
    "times_shared": 1.858,
    "dates_both": 1.019,
    "dates_shared": -0.118,
    "weekdays_both": -0.695,
    "weekdays_shared": 0.975,
    "lead_when_both": -0.832,
    "lead_when_shared": 1.951,
    "years_both": -0.435,
    "years_shared": -0.678,
    "latest_year_same": 0.427,
    "dated": 1.936,
    "published_same_day": 1.681,
    "cosine": 4.575,
}


@dataclass(frozen=True, slots=True)
class PairModel:
    """One logistic model: its inputs by name, in order, and their fitted coefficients."""

    name: str
    features: tuple[str, ...]
    intercept: float
    coefficients: dict[str, float]

    def probability(self, inputs: np.ndarray) -> np.ndarray:
        weights = np.array([self.coefficients[name] for name in self.features])
        return 1 / (1 + np.exp(-(self.intercept + weighted_sums(inputs, weights))))

    def contributions(self, inputs: np.ndarray) -> dict[str, float]:
        """As `contributions` above: each input's part in the log-odds, the intercept and
        the length terms together as "baseline"."""
        parts = {name: self.coefficients[name] * float(value) for name, value in zip(self.features, inputs.tolist(), strict=True)}
        baseline = self.intercept + sum(parts.pop(name) for name in LENGTHS if name in parts)
        return {"baseline": baseline} | parts


WORDS = PairModel("words", FEATURES, INTERCEPT, COEFFICIENTS)
SEMANTIC = PairModel("words and meaning", SEMANTIC_FEATURES, SEMANTIC_INTERCEPT, SEMANTIC_COEFFICIENTS)
NEUTRAL = PairModel("across languages", NEUTRAL_FEATURES, NEUTRAL_INTERCEPT, NEUTRAL_COEFFICIENTS)


def semantic_features(space: SignalSpace, left: np.ndarray, right: np.ndarray, days: np.ndarray,
                      cosine: np.ndarray) -> np.ndarray:
    """SEMANTIC's inputs: `pair_features` and the pairs' cosines."""
    return np.column_stack([pair_features(space, left, right, days), cosine])


def neutral_features(space: SignalSpace, neutral: NeutralSpace, left: np.ndarray, right: np.ndarray, days: np.ndarray,
                     cosine: np.ndarray) -> np.ndarray:
    """NEUTRAL's inputs (pairs x NEUTRAL_FEATURES): what a translation keeps, measured as
    `pair_features` measures it within one language."""
    similarity = {signal: space.pair_similarity(signal, left, right)
                  for signal in ("numbers", "lead_numbers", "dates", "weekdays", "lead_when", "years")}
    both = _both_give(space, left, right)
    names_shared = neutral.names_shared(left, right)
    columns = {
        "name_keys_shared": np.log1p(names_shared),
        "name_keys_contained": _containment(names_shared, neutral.name_totals, left, right),
        "lead_name_keys_found": np.where(both["lead_names"], np.minimum(neutral.found_share(left, right),
                                                                        neutral.found_share(right, left)), 0.0),
        "times_both": (neutral.time_counts[left] > 0) & (neutral.time_counts[right] > 0),
        "times_shared": neutral.times_shared(left, right) > 0,
        "cosine": cosine,
        **_kept_in_translation(space, similarity, both, left, right, days),
    }
    return np.column_stack([np.asarray(columns[name], dtype=np.float64) for name in NEUTRAL_FEATURES])
