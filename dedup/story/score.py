"""The story score of a pair: how far the pair's evidence stands above what each of the two
documents shares with unrelated reports, in standard deviations.

Raw similarities mean different things for different documents: a long report on a
common topic shares words with everything, a short brief with little. So each signal is
read against the document's own background, the similarities it has to a random sample
of the corpus (nearly all of which are other events):

    z_s(i -> j) = (sim_s(i, j) - mean_s(i)) / sd_s(i)

The signals are combined the way Stouffer combines independent tests, sum(z) / sqrt(k),
over the k signals both documents have (title only when both have one). Stems, names and
numbers of one text are correlated, so that sum is wider than a standard normal; it is
standardised once more against the same background. A pair's score is the mean of its two
directions: each is one reading of the same evidence against a different background, and
the mean keeps both. (The lower of the two, used before, sits about half a standard
deviation below the mean for two noisy readings, 1/sqrt(pi) for independent ones, and
most of all for pairs of a short and a long report: ecbplus ARI 0.868 -> 0.896 with the
link score raised by that half; benchmarks/grouping.py.)

A corpus of a few documents has too small a background to estimate from. Each estimate
is therefore blended with a prior background worth PRIOR_WEIGHT documents; on a corpus
of hundreds the corpus speaks, on a corpus of three the prior does.
"""

from __future__ import annotations


import numpy as np

from dedup.story.signals import SIGNALS, SignalSpace

# Documents in each document's background sample: the whole corpus up to 2,000, which
# pins a mean and standard deviation down to about 2% and keeps results from depending on
# the sample's seed; beyond that, a random sample bounds the cost at 2,000 per document.
BACKGROUND_SIZE = 2000
# Documents whose background is computed at once: bounds the temporary matrices.
_ROW_BLOCK = 1000
# How many documents the prior background is worth (see the module docstring).
PRIOR_WEIGHT = 20
# The prior background per signal, (mean, standard deviation) of the similarity of two
# unrelated news reports: the medians over the documents of basil, ecbplus, pac, 10kgnad
# and insm_de_press (benchmarks/grouping.py prints them for any corpus).
PRIOR = {
    "stems": (0.036, 0.035),
    "names": (0.011, 0.039),
    "numbers": (0.93, 1.84),  # summed idf of shared numbers, not a share (see signals.py)
    "dates": (0.141, 0.279),
    "title": (0.014, 0.044),
}
# The combined score's prior: no evidence (mean 0), and the spread the Stouffer sum of
# these correlated signals has on the same corpora (1.2 to 1.4; a standard normal's
# would be 1).
COMBINED_PRIOR = (0.0, 1.3)


class Background:
    """Per-document sums of its similarities to the background sample, so the mean and
    standard deviation can be read with one value left out: a pair is judged against
    the background without the pair itself, which matters when the corpus is small."""

    def __init__(self, size: int, prior: tuple[float, float]) -> None:
        self.count = np.zeros(size)
        self.total = np.zeros(size)
        self.squares = np.zeros(size)
        self.prior_mean, self.prior_sd = prior

    def add(self, rows: np.ndarray, values: np.ndarray) -> None:
        """Take the background values of some documents, one row each; NaN is no value."""
        known = ~np.isnan(values)
        present = np.where(known, values, 0.0)
        self.count[rows] = known.sum(axis=1)
        self.total[rows] = present.sum(axis=1)
        self.squares[rows] = (present**2).sum(axis=1)

    def stats(self, rows: np.ndarray, left_out: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(mean, sd) for `rows`, without the value `left_out[k]` where it is not NaN, each
        blended with the prior as if the prior were PRIOR_WEIGHT more observations."""
        count, total, squares = self.count[rows], self.total[rows], self.squares[rows]
        if left_out is not None:
            drop = ~np.isnan(left_out)
            value = np.where(drop, left_out, 0.0)
            count, total, squares = count - drop, total - value, squares - value**2
        own_mean = np.divide(total, count, out=np.zeros_like(total), where=count > 0)
        spread = np.maximum(squares - count * own_mean**2, 0.0)
        weight = count + PRIOR_WEIGHT
        mean = (total + PRIOR_WEIGHT * self.prior_mean) / weight
        sd = np.sqrt((spread + PRIOR_WEIGHT * self.prior_sd**2) / weight)
        return mean, sd


    def own_stats(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(mean, sd) of the rows' own background, without the prior (for the benchmark)."""
        count = np.maximum(self.count[rows], 1)
        mean = self.total[rows] / count
        return mean, np.sqrt(np.maximum(self.squares[rows] / count - mean**2, 0.0))


class StoryScorer:
    def __init__(self, space: SignalSpace, seed: int = 1) -> None:
        self.space = space
        self.sample = np.sort(np.random.default_rng(seed).permutation(space.size)[:BACKGROUND_SIZE])
        # Where each document stands in the sample, -1 if it is not in it.
        self.sample_position = np.full(space.size, -1)
        self.sample_position[self.sample] = np.arange(len(self.sample))
        self.backgrounds = {signal: Background(space.size, PRIOR[signal]) for signal in SIGNALS}
        self.combined = Background(space.size, COMBINED_PRIOR)
        for start in range(0, space.size, _ROW_BLOCK):
            self._add_background(np.arange(start, min(start + _ROW_BLOCK, space.size)))

    def _add_background(self, rows: np.ndarray) -> None:
        """Each signal's background for these documents, then that of their Stouffer sums."""
        is_self = rows[:, None] == self.sample[None, :]
        stouffer = np.zeros((len(rows), len(self.sample)))
        available = np.zeros((len(rows), len(self.sample)))
        for signal in SIGNALS:
            similarity = self.space.cross_similarity(signal, rows, self.sample)
            present = self.space.present[signal]
            both = present[rows][:, None] & present[self.sample][None, :] & ~is_self
            background = self.backgrounds[signal]
            background.add(rows, np.where(both, similarity, np.nan))
            mean, sd = background.stats(rows)
            stouffer += np.where(both, (similarity - mean[:, None]) / sd[:, None], 0.0)
            available += both
        self.combined.add(rows, np.where(available > 0, stouffer / np.sqrt(np.maximum(available, 1)), np.nan))

    def signal_z(self, signal: str, left: np.ndarray, right: np.ndarray, leave_out: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(similarity, z left->right, z right->left) of one signal; NaN z where a document
        lacks it. With `leave_out`, each side's background is read without the other side."""
        similarity = self.space.pair_similarity(signal, left, right)
        background = self.backgrounds[signal]
        both = self.space.present[signal][left] & self.space.present[signal][right]
        mean_left, sd_left = background.stats(left, self._left_out(similarity, right) if leave_out else None)
        mean_right, sd_right = background.stats(right, self._left_out(similarity, left) if leave_out else None)
        forward = np.where(both, (similarity - mean_left) / sd_left, np.nan)
        backward = np.where(both, (similarity - mean_right) / sd_right, np.nan)
        return similarity, forward, backward

    def _left_out(self, values: np.ndarray, partners: np.ndarray) -> np.ndarray:
        """values[k] where partners[k] is in the background sample, else NaN."""
        return np.where(self.sample_position[partners] >= 0, values, np.nan)

    def scores(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """The story score of each pair (left[k], right[k])."""
        forward, backward = self._stouffer(left, right, leave_out=True)
        # The pair's own entries in the Stouffer background, as the background computed them.
        forward_entry, backward_entry = self._stouffer(left, right, leave_out=False)
        forward_score = self._standardise(forward, left, self._left_out(forward_entry, right))
        backward_score = self._standardise(backward, right, self._left_out(backward_entry, left))
        return (forward_score + backward_score) / 2

    def _stouffer(self, left: np.ndarray, right: np.ndarray, leave_out: bool) -> tuple[np.ndarray, np.ndarray]:
        forward_sum = np.zeros(len(left))
        backward_sum = np.zeros(len(left))
        count = np.zeros(len(left))
        for signal in SIGNALS:
            _, forward, backward = self.signal_z(signal, left, right, leave_out)
            known = ~np.isnan(forward)
            forward_sum += np.where(known, forward, 0.0)
            backward_sum += np.where(known, backward, 0.0)
            count += known
        root = np.sqrt(np.maximum(count, 1))
        return forward_sum / root, backward_sum / root

    def _standardise(self, stouffer: np.ndarray, rows: np.ndarray, left_out: np.ndarray) -> np.ndarray:
        """A Stouffer sum against the row document's background of Stouffer sums."""
        mean, sd = self.combined.stats(rows, left_out)
        return (stouffer - mean) / sd
