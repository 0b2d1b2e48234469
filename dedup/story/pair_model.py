"""The story pair model: P(two reports tell the same event | the evidence of the two).

The evidence of a pair is a short vector of features, each a function of the two
documents and of shipped knowledge only (dedup.story.signals, dedup.story.reference):

- stems: cosine of rarity-weighted content words;
- names: rarity-weighted overlap of the names; names_shared: ln(1 + their summed rarity);
- numbers: ln(1 + the summed rarity of the numbers both give);
- dates_shared / dates_apart: both name a date ("10. Jänner" = "January 10"), and they
  share one / share none; weekdays_shared / weekdays_apart likewise. Reports of two
  events of one story differ in *when* ("am Donnerstag" / "am Samstag"), so dates and
  weekdays that disagree are evidence against;
- title: rarity-weighted overlap of the titles (0 when either has none);
- quotes: ln(1 + the quoted stem pairs both give);
- published_same_day / published_days_apart: the publication dates are known and at most
  one / two to DAY_WINDOW days apart. Pairs further apart are never one story.

A logistic model turns the features into a probability. Its coefficients are fitted by
`benchmarks/fit_story_model.py` on the candidate pairs of basil, ecbplus and pac (train
and dev splits), each corpus weighted equally, and copied here; that script also prints
how the model does on each corpus when fitted on the other two. Since nothing here reads
the rest of the corpus, `dedup scan`, `dedup check` and `dedup review` give a pair one
probability wherever it is scanned.
"""

from __future__ import annotations

import numpy as np

from dedup.story.signals import SIGNALS, SignalSpace

# Independent reports of one event appear within one news cycle; a week later it is a
# follow-up, which is another event.
DAY_WINDOW = 3

FEATURES = (
    "stems_shared",
    "stems_z",
    "rare_stems",
    "shorter",
    "longer",
    "stems_x_shorter",
    "titled",
    "dated",
    "names",
    "names_shared",
    "names_contained",
    "lead",
    "lead_names_both",
    "lead_names_found",
    "numbers_both",
    "numbers",
    "units_agree",
    "units_conflict",
    "dates_both",
    "dates_shared",
    "weekdays_both",
    "weekdays_shared",
    "lead_numbers_both",
    "lead_numbers_shared",
    "lead_when_both",
    "lead_when_shared",
    "years_both",
    "years_shared",
    "latest_year_same",
    "title",
    "quotes",
    "published_same_day",
    "published_days_apart",
)

# Fitted by benchmarks/fit_story_model.py (see the module docstring); INTERCEPT is the
# log-odds of a pair with no evidence at all.
INTERCEPT = 3.577
COEFFICIENTS = {
    "stems_shared": 1.635,
    "stems_z": 1.898,
    "rare_stems": 0.679,
    "shorter": -1.579,
    "longer": -1.484,
    "stems_x_shorter": -0.722,
    "titled": -0.746,
    "dated": 1.506,
    "names": 0.447,
    "names_shared": 0.783,
    "names_contained": 0.533,
    "lead": 2.471,
    "lead_names_both": -0.902,
    "lead_names_found": 1.143,
    "numbers_both": -0.510,
    "numbers": 0.768,
    "units_agree": 0.201,
    "units_conflict": -0.394,
    "dates_both": 0.857,
    "dates_shared": 0.405,
    "weekdays_both": -0.857,
    "weekdays_shared": 0.740,
    "lead_numbers_both": -0.658,
    "lead_numbers_shared": 1.579,
    "lead_when_both": -0.898,
    "lead_when_shared": 1.911,
    "years_both": -0.335,
    "years_shared": -1.069,
    "latest_year_same": 0.669,
    "title": 1.449,
    "quotes": 0.504,
    "published_same_day": 1.476,
    "published_days_apart": 0.030,
}


def pair_features(space: SignalSpace, left: np.ndarray, right: np.ndarray, days: np.ndarray) -> np.ndarray:
    """The feature matrix (pairs x FEATURES) of pairs (left[k], right[k]); `days` holds each
    document's publication day, NaN when unknown."""
    similarity = {signal: space.pair_similarity(signal, left, right) for signal in SIGNALS}
    lead_names_both = (np.diff(space.matrices["lead_names"].indptr)[left] > 0) & (np.diff(space.matrices["lead_names"].indptr)[right] > 0)
    gives = space.counts
    both = {signal: (gives[signal][left] > 0) & (gives[signal][right] > 0) for signal in ("dates", "weekdays", "years", "numbers", "lead_when", "lead_numbers")}
    agreeing = space.units_agreeing(left, right)
    gap = np.abs(days[left] - days[right])  # NaN when either is unknown
    with np.errstate(invalid="ignore"):
        same_day = gap <= 1
        days_apart = (gap > 1) & (gap <= DAY_WINDOW)
    columns = {
        "stems_shared": np.log1p(similarity["stems_shared"]),
        "stems_z": np.log1p(similarity["stems"] / space.chance_spread[left] + similarity["stems"] / space.chance_spread[right]),
        "rare_stems": np.log1p(similarity["rare_stems"]),
        "shorter": np.log1p(np.minimum(gives["stems"][left], gives["stems"][right])),
        "longer": np.log1p(np.maximum(gives["stems"][left], gives["stems"][right])),
        "stems_x_shorter": similarity["stems"] * np.log1p(np.minimum(gives["stems"][left], gives["stems"][right])),
        "titled": (gives["title"][left] > 0) & (gives["title"][right] > 0),
        "dated": ~np.isnan(gap),
        "names": similarity["names"],
        "names_shared": np.log1p(similarity["names_shared"]),
        "names_contained": _containment(similarity["names_shared"], space.name_totals, left, right),
        "lead": similarity["lead"],
        "lead_names_both": lead_names_both,
        # The lesser of the two directions: one side's protagonist missing from the other
        # tells two events apart.
        "lead_names_found": np.where(lead_names_both, np.minimum(space.found_share(left, right), space.found_share(right, left)), 0.0),
        "numbers_both": both["numbers"],
        "numbers": np.log1p(similarity["numbers"]),
        # Units both count, with a value in common ("14 peopl") or without ("5.4 magnitud" /
        # "6.1 magnitud"): in ecbplus a shared unit disagrees in 15-35% of same-event pairs
        # and in about 90% of same-topic pairs of other events.
        "units_agree": np.log1p(agreeing),
        "units_conflict": np.log1p(similarity["units"] - agreeing),
        "dates_both": both["dates"],
        "dates_shared": similarity["dates"] > 0,
        "weekdays_both": both["weekdays"],
        "weekdays_shared": similarity["weekdays"] > 0,
        "lead_numbers_both": both["lead_numbers"],
        "lead_numbers_shared": similarity["lead_numbers"] > 0,
        "lead_when_both": both["lead_when"],
        "lead_when_shared": similarity["lead_when"] > 0,
        "years_both": both["years"],
        "years_shared": similarity["years"] > 0,
        "latest_year_same": both["years"] & (space.latest_year[left] == space.latest_year[right]),
        "title": np.log1p(similarity["title"]),
        "quotes": np.log1p(similarity["quotes"]),
        "published_same_day": same_day,
        "published_days_apart": days_apart,
    }
    return np.column_stack([np.asarray(columns[name], dtype=np.float64) for name in FEATURES])


def _containment(shared: np.ndarray, totals: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The shared rarity over the smaller document's own: 1 when all a short report gives
    stands in the other, lower when each gives what the other lacks."""
    smaller = np.minimum(totals[left], totals[right])
    return np.divide(shared, smaller, out=np.zeros_like(shared), where=smaller > 0)


def contributions(inputs: np.ndarray) -> dict[str, float]:
    """Each feature's part in one pair's log-odds: coefficient times value."""
    return {name: COEFFICIENTS[name] * float(value) for name, value in zip(FEATURES, inputs.tolist(), strict=True)}


def log_odds(features: np.ndarray, intercept: float = INTERCEPT, coefficients: dict[str, float] | None = None) -> np.ndarray:
    weights = np.array([(coefficients or COEFFICIENTS)[name] for name in FEATURES])
    return intercept + features @ weights


def probability(features: np.ndarray, intercept: float = INTERCEPT, coefficients: dict[str, float] | None = None) -> np.ndarray:
    return 1 / (1 + np.exp(-log_odds(features, intercept, coefficients)))
