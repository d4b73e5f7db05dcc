"""Outcome definitions shared by the model and by measurements of real groups.

Each function takes plain numpy arrays, so the same definition is applied to simulated runs and to
imported chat logs (``sim.io``); the ODD (docs/ODD.md, section 7) states them in words.
"""

from __future__ import annotations

import numpy as np

SILENCE_SHARE = 0.2  # a group is silent below 20% of its peak (issue 3; P1)
SILENCE_WINDOW = 7  # days in the trailing mean of messages


def trailing_mean(daily: np.ndarray, window: int = SILENCE_WINDOW) -> np.ndarray:
    """Mean of the last ``window`` days (fewer at the start), one value per day (last axis)."""
    daily = np.asarray(daily, dtype=np.float64)
    pad = np.zeros(daily.shape[:-1] + (1,))
    csum = np.concatenate([pad, np.cumsum(daily, axis=-1)], axis=-1)
    idx = np.arange(1, daily.shape[-1] + 1)
    lo = np.maximum(idx - window, 0)
    return (csum[..., idx] - csum[..., lo]) / (idx - lo)


def time_to_silence_rows(daily: np.ndarray, share: float = SILENCE_SHARE,
                         window: int = SILENCE_WINDOW) -> np.ndarray:
    """:func:`time_to_silence` for each row of a (runs x days) matrix, at once."""
    m = trailing_mean(daily, window)
    peak = m.max(axis=1) if m.shape[1] else np.zeros(m.shape[0])
    above = m >= share * peak[:, None]
    last = m.shape[1] - 1 - np.argmax(above[:, ::-1], axis=1)  # the last day at or above
    silent = (peak > 0) & (last + 1 < m.shape[1])
    return np.where(silent, last + 1, np.nan).astype(np.float64)


def time_to_silence(daily_messages: np.ndarray, share: float = SILENCE_SHARE,
                    window: int = SILENCE_WINDOW) -> float:
    """The model's one definition of a group gone quiet (P1, as operators mean it): days from the
    start until the 7-day trailing mean of messages falls below ``share`` of its peak **for
    good**, i.e. the day after the last day at or above it. A burst that lifts the group back
    above the line moves silence later; a dip that recovers is not silence. NaN when the series
    ends at or above the line (censored: the group may live on). The facts battery's weeks to
    lasting silence (sim/facts/battery.py) is the same rule on weekly counts."""
    return float(time_to_silence_rows(np.asarray(daily_messages, dtype=np.float64)[None, :],
                                      share, window)[0])


def time_to_sustained_silence(daily_messages: np.ndarray, share: float = SILENCE_SHARE,
                              window: int = SILENCE_WINDOW) -> float:
    """The same as :func:`time_to_silence` (kept for ``commsim measure``'s column of that name)."""
    return time_to_silence(daily_messages, share, window)


def retention(daily_messages: np.ndarray, day: int, window: int = SILENCE_WINDOW) -> float:
    """Trailing mean of messages on ``day`` as a share of its peak up to then (1 = no decay).

    Unlike time to silence it is never censored, so it compares decay across runs that did and
    did not fall silent. NaN when the series is shorter than ``day + 1`` or silent throughout.
    """
    m = trailing_mean(daily_messages, window)
    if m.size <= day or m[: day + 1].max() <= 0:
        return float("nan")
    return float(m[day] / m[: day + 1].max())


def peak_day(daily_messages: np.ndarray, window: int = SILENCE_WINDOW) -> int:
    """Day on which the trailing mean of messages is highest."""
    return int(np.argmax(trailing_mean(daily_messages, window)))


def gini(counts: np.ndarray) -> float:
    """Gini coefficient of non-negative counts (0 = equal, near 1 = one member says all)."""
    x = np.sort(np.asarray(counts, dtype=np.float64))
    n = x.size
    total = x.sum()
    if n == 0 or total <= 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    return float((2.0 * np.sum(ranks * x) / (n * total)) - (n + 1.0) / n)


def top_share(counts: np.ndarray, top: float = 0.1) -> float:
    """Share of all messages by the top ``top`` fraction of members (at least one member)."""
    x = np.asarray(counts, dtype=np.float64)
    total = x.sum()
    if x.size == 0 or total <= 0:
        return 0.0
    k = max(1, int(np.ceil(top * x.size)))
    return float(np.sort(x)[-k:].sum() / total)


# How much members speak over a quarter (P4: 70-80% rarely or never, 10-20% sometimes, 5-10% a lot).
RARELY_MAX = 2  # messages in 90 days: at most this many is "rarely or never"
A_LOT_MIN = 30  # messages in 90 days: at least this many (one every three days) is "a lot"


def by_group_sorted(group: np.ndarray, counts: np.ndarray, n_groups: int):
    """Counts sorted within each group: (sorted counts, start, end) of each group's slice."""
    order = np.lexsort((counts, group))
    grp = group[order]
    start = np.searchsorted(grp, np.arange(n_groups), side="left")
    end = np.searchsorted(grp, np.arange(n_groups), side="right")
    return np.asarray(counts, dtype=np.float64)[order], start, end


def gini_by_group(group: np.ndarray, counts: np.ndarray, n_groups: int) -> np.ndarray:
    """:func:`gini` of the counts of each group (0 for a group with no counts)."""
    x, start, end = by_group_sorted(group, counts, n_groups)
    n = (end - start).astype(np.float64)
    rank = np.arange(x.size) - np.repeat(start, end - start) + 1.0
    weighted = np.bincount(np.repeat(np.arange(n_groups), end - start), weights=rank * x,
                           minlength=n_groups)
    total = np.bincount(np.repeat(np.arange(n_groups), end - start), weights=x,
                        minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        g = 2.0 * weighted / (n * total) - (n + 1.0) / n
    return np.where((n > 0) & (total > 0), g, 0.0)


def speaking_split(counts: np.ndarray, rarely_max: int = RARELY_MAX,
                   a_lot_min: int = A_LOT_MIN) -> tuple[float, float, float]:
    """Shares of members who spoke rarely or never, sometimes, and a lot."""
    x = np.asarray(counts)
    if x.size == 0:
        return (float("nan"),) * 3
    rarely = float(np.mean(x <= rarely_max))
    a_lot = float(np.mean(x >= a_lot_min))
    return rarely, 1.0 - rarely - a_lot, a_lot
