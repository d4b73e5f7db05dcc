"""Survival across runs: the share of groups still active on day N and the median lifetime, with
95% intervals, and the Kaplan-Meier curve of group lifetime.

Per run, :func:`sim.outcomes.lifetime` gives the days a group stayed active and whether that is
censored (still active when the run ended). Across runs:

* the share still active on day N (``active_day_N``) gets a Wilson score interval, which stays
  inside [0, 1] and is honest at 0 and 1 (a plain normal interval would be [1, 1] when every
  group lived);
* the median lifetime is the middle lifetime; its interval comes from order statistics (the
  ranks a binomial(n, 1/2) puts 95% between), distribution-free. Every run of an experiment has
  the same length L and censoring happens only there, after every observed death, so this is the
  Kaplan-Meier median; when half the groups or more outlived the run it is "more than L days";
* the Kaplan-Meier curve (lifelines, imported when drawn) is the share of groups still active on
  each day, with its 95% band.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Share:
    """A share of runs with its 95% interval and the runs it rests on."""

    share: float
    low: float
    high: float
    n: int

    def text(self, percent: bool = True) -> str:
        """'62% (95% interval 48-74%, 40 groups)', or '-' without runs."""
        if not self.n:
            return "-"
        if percent:
            return (f"{self.share:.0%} (95% interval {self.low * 100:.0f}-{self.high:.0%}, "
                    f"{self.n} groups)")
        return f"{self.share:.3f} [{self.low:.3f}, {self.high:.3f}]"


def wilson(successes: float, n: int) -> Share:
    """The share ``successes / n`` with its 95% Wilson score interval."""
    if n <= 0:
        return Share(math.nan, math.nan, math.nan, 0)
    p = successes / n
    z2 = Z95 ** 2
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return Share(p, max(0.0, centre - half), min(1.0, centre + half), n)


def share_active(values) -> Share:
    """Share of runs still active from a column of 1/0/NaN (``active_day_N``); NaN runs (shorter
    than N days) are left out."""
    x = np.asarray(values, dtype=np.float64)
    x = x[np.isfinite(x)]
    return wilson(float(x.sum()), int(x.size))


@dataclass(frozen=True)
class Median:
    """The median lifetime in days with its 95% interval; ``more_than`` when half the groups or
    more were still active at the end of the run (the median is then beyond ``days``)."""

    median: float
    low: float
    high: float
    n: int
    days: float
    more_than: bool
    high_open: bool  # the upper end of the interval is beyond the run

    def text(self) -> str:
        """'74 days (95% interval 61-90)', 'more than 90 days (95% interval from 84)'."""
        if not self.n:
            return "-"
        if self.more_than:
            low = f" (95% interval from {self.low:.0f})" if math.isfinite(self.low) else ""
            return f"more than {self.days:.0f} days{low}"
        if not math.isfinite(self.low):
            return f"{self.median:.0f} days (too few groups for an interval)"
        high = f"more than {self.days:.0f}" if self.high_open else f"{self.high:.0f}"
        return f"{self.median:.0f} days (95% interval {self.low:.0f} to {high})"


def _median_ranks(n: int) -> tuple[int, int] | None:
    """1-based ranks (l, u) of the order statistics bracketing the median with >= 95% cover:
    l is the smallest j with P(Bin(n, 1/2) <= j) > 2.5%, so P(Bin <= l - 1) <= 2.5%. The binomial
    comes from scipy, which stays exact where 2 ** n overflows a float (n above about 1,000)."""
    from scipy.stats import binom

    low = int(binom.ppf(0.025, n, 0.5))
    if binom.cdf(low, n, 0.5) <= 0.025:  # ppf gives cdf >= q; the rule wants cdf > q
        low += 1
    if low < 1:
        return None
    return low, n - low + 1


def median_lifetime(life, censored) -> Median:
    """Median group lifetime over runs of the same length, with its 95% interval.

    Args:
        life: each run's lifetime in days (a censored one equals the run length).
        censored: whether each lifetime is censored.
    """
    life = np.asarray(life, dtype=np.float64)
    censored = np.asarray(censored, dtype=bool)
    n = life.size
    if not n:
        return Median(math.nan, math.nan, math.nan, 0, math.nan, False, False)
    days = float(life[censored].max()) if censored.any() else float(life.max())
    order = np.argsort(life, kind="stable")
    x, c = life[order], censored[order]
    k = (n - 1) // 2  # the lower middle: with an even n, the mean of the two middle ones
    more = bool(c[k] or (n % 2 == 0 and c[k + 1]))
    median = math.nan if more else float((x[k] + x[n // 2]) / 2)
    ranks = _median_ranks(n)
    if ranks is None:
        return Median(median, math.nan, math.nan, n, days, more, False)
    lo, hi = ranks
    return Median(median, float(x[lo - 1]), float(x[hi - 1]), n, days, more, bool(c[hi - 1]))


def kaplan_meier(life, censored) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The Kaplan-Meier curve of group lifetime: (days, share still active, 95% low, high).

    Uses lifelines (exponential Greenwood band); a group "dies" on the day after its last active
    day, and a censored one leaves the count at the end of its run.
    """
    from lifelines import KaplanMeierFitter

    fit = KaplanMeierFitter(alpha=0.05).fit(np.asarray(life, dtype=np.float64),
                                            event_observed=~np.asarray(censored, dtype=bool))
    band = fit.confidence_interval_survival_function_
    return (fit.survival_function_.index.to_numpy(), fit.survival_function_.iloc[:, 0].to_numpy(),
            band.iloc[:, 0].to_numpy(), band.iloc[:, 1].to_numpy())
