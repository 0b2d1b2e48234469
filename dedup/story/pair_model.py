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

from dedup.story.signals import SignalSpace

# Independent reports of one event appear within one news cycle; a week later it is a
# follow-up, which is another event.
DAY_WINDOW = 3

FEATURES = (
    "stems",
    "stems_shared",
    "commonness",
    "rare_stems",
    "shorter",
    "longer",
    "stems_x_shorter",
    "titled",
    "dated",
    "names",
    "names_shared",
    "lead",
    "numbers",
    "dates_both",
    "dates_shared",
    "weekdays_both",
    "weekdays_shared",
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
INTERCEPT = -8.0
COEFFICIENTS = dict.fromkeys(FEATURES, 0.0) | {"stems": 20.0, "names": 4.0, "numbers": 1.0}


def pair_features(space: SignalSpace, left: np.ndarray, right: np.ndarray, days: np.ndarray) -> np.ndarray:
    """The feature matrix (pairs x FEATURES) of pairs (left[k], right[k]); `days` holds each
    document's publication day, NaN when unknown."""
    similarity = {signal: space.pair_similarity(signal, left, right) for signal in space.matrices}
    gives = space.counts
    both = {signal: (gives[signal][left] > 0) & (gives[signal][right] > 0) for signal in ("dates", "weekdays", "years")}
    gap = np.abs(days[left] - days[right])  # NaN when either is unknown
    with np.errstate(invalid="ignore"):
        same_day = gap <= 1
        days_apart = (gap > 1) & (gap <= DAY_WINDOW)
    columns = {
        "stems": similarity["stems"],
        "stems_shared": np.log1p(similarity["stems_shared"]),
        "commonness": (space.commonness[left] + space.commonness[right]) / 2,
        "rare_stems": np.log1p(similarity["rare_stems"]),
        "shorter": np.log1p(np.minimum(gives["stems"][left], gives["stems"][right])),
        "longer": np.log1p(np.maximum(gives["stems"][left], gives["stems"][right])),
        "stems_x_shorter": similarity["stems"] * np.log1p(np.minimum(gives["stems"][left], gives["stems"][right])),
        "titled": (gives["title"][left] > 0) & (gives["title"][right] > 0),
        "dated": ~np.isnan(gap),
        "names": similarity["names"],
        "names_shared": np.log1p(similarity["names_shared"]),
        "lead": similarity["lead"],
        "numbers": np.log1p(similarity["numbers"]),
        "dates_both": both["dates"],
        "dates_shared": similarity["dates"] > 0,
        "weekdays_both": both["weekdays"],
        "weekdays_shared": similarity["weekdays"] > 0,
        "years_both": both["years"],
        "years_shared": similarity["years"] > 0,
        "latest_year_same": both["years"] & (space.latest_year[left] == space.latest_year[right]),
        "title": similarity["title"],
        "quotes": np.log1p(similarity["quotes"]),
        "published_same_day": same_day,
        "published_days_apart": days_apart,
    }
    return np.column_stack([np.asarray(columns[name], dtype=np.float64) for name in FEATURES])


def log_odds(features: np.ndarray, intercept: float = INTERCEPT, coefficients: dict[str, float] | None = None) -> np.ndarray:
    weights = np.array([(coefficients or COEFFICIENTS)[name] for name in FEATURES])
    return intercept + features @ weights


def probability(features: np.ndarray, intercept: float = INTERCEPT, coefficients: dict[str, float] | None = None) -> np.ndarray:
    return 1 / (1 + np.exp(-log_odds(features, intercept, coefficients)))
