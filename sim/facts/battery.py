"""The facts: week-level measures per group, summarised across groups, one definition for all.

Per group (weeks counted from the group's start; week 1 = days 0-6; only full observed weeks):

* peak week; weeks from the peak to the first week under 20% of it; weeks to sustained silence
  (the week after the last week at >= 20% of the peak; censored, so not counted, when no
  observed week follows it);
* whether the group has a message in week 1, 4, 8, 14 and 26, and in that week or later
  (groups observed that long only);
* the weekly coefficient of variation and the share of zero weeks over the first 26 weeks
  (groups observed 26 weeks);
* messages per poster; top-10% share and Gini of messages among posters;
* share of joined members who ever post (only where joins are recorded);
* share of posters whose last post is their k-th (k = 1..5): quitting after k posts.

Across groups: the median with its interquartile range (IQR) for per-group values; the share
with a 95% Wilson interval for yes/no facts; and, for facts of the whole set of groups (Spearman
rank correlation of group size, in posters, against the others; the weekly leaving hazard by
tenure, where joins and leaves are recorded), the value with a 95% bootstrap interval over
groups. Groups with fewer than ``min_messages`` messages are left out (they say little).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.facts.sources import Source
from sim.survival import wilson

SILENCE = 0.2  # "under 20% of the peak"
WEEKS = (1, 4, 8, 14, 26)
FIRST = 26  # weeks over which variation and zero weeks are measured
QUIT_K = (1, 2, 3, 4, 5)
TENURE = ((0, 1), (1, 4), (4, 13), (13, 52))  # weeks since joining, for the leaving hazard
MIN_MESSAGES = 20
BOOT = 400  # bootstrap resamples
NO_JOINS = "not measurable: no join records, so members who never post are not seen"


@dataclass(frozen=True)
class Fact:
    key: str
    label: str  # plain words
    unit: str
    summary: str  # "median", "share" or "pooled"
    needs_joins: bool = False


def _facts() -> list[Fact]:
    out = [
        Fact("peak_week", "week of the busiest week (week 1 = first 7 days)", "week", "median"),
        Fact("weeks_peak_to_under20", "weeks from the busiest week to the first week under 20% "
             "of it", "weeks", "median"),
        Fact("weeks_to_silence", "weeks from the start to lasting silence (after the last week "
             "at 20% of the peak or more)", "weeks", "median"),
    ]
    for w in WEEKS:
        out.append(Fact(f"active_week{w}", f"groups with a message in week {w}", "share",
                        "share"))
        out.append(Fact(f"active_from_week{w}", f"groups with a message in week {w} or later",
                        "share", "share"))
    out += [
        Fact("cv26", "weekly messages, coefficient of variation over the first 26 weeks",
             "ratio", "median"),
        Fact("zero_weeks26", "share of weeks with no message among the first 26", "share",
             "median"),
        Fact("messages_per_poster", "messages per member who posted", "messages", "median"),
        Fact("top10_share", "share of messages by the top 10% of posters", "share", "median"),
        Fact("gini", "Gini coefficient of messages among posters", "0-1", "median"),
        Fact("ever_post_share", "share of joined members who ever post", "share", "median",
             needs_joins=True),
    ]
    for k in QUIT_K:
        out.append(Fact(f"quit_after_{k}", f"share of posters whose last post is their post "
                        f"number {k}", "share", "median"))
    for key in ("peak_week", "weeks_to_silence", "cv26", "messages_per_poster", "gini"):
        out.append(Fact(f"spearman_size_{key}", f"rank correlation of group size (posters) "
                        f"with {key.replace('_', ' ')}", "rho", "pooled"))
    for lo, hi in TENURE:
        out.append(Fact(f"leave_hazard_{lo}_{hi}", f"members leaving per week, among those "
                        f"{lo} to {hi} weeks after joining", "per week", "pooled",
                        needs_joins=True))
    return out


FACTS = _facts()
BY_KEY = {f.key: f for f in FACTS}


def _gini(x: np.ndarray) -> float:
    x = np.sort(x.astype(float))
    n, total = x.size, x.sum()
    if n == 0 or total <= 0:
        return np.nan
    return float(2.0 * np.sum(np.arange(1, n + 1) * x) / (n * total) - (n + 1.0) / n)


def _top(x: np.ndarray, share: float = 0.1) -> float:
    if x.size == 0 or x.sum() <= 0:
        return np.nan
    k = max(1, int(np.ceil(share * x.size)))
    return float(np.sort(x)[-k:].sum() / x.sum())


def group_facts(source: Source, min_messages: int = MIN_MESSAGES) -> pd.DataFrame:
    """One row per group (with at least ``min_messages`` messages): its week-level facts."""
    members = {g: f for g, f in source.members.groupby("group")}
    rows = []
    for group, weeks in source.weekly.groupby("group"):
        m = weeks.sort_values("week")["messages"].to_numpy(dtype=float)
        mem = members.get(group)
        counts = (mem["messages"].to_numpy() if mem is not None else np.zeros(0))
        posted = counts[counts > 0]
        total = float(posted.sum())
        if total < min_messages or m.size == 0:
            continue
        row: dict = {"group": group, "weeks_observed": m.size, "messages": total,
                     "posters": int(posted.size)}
        peak = int(np.argmax(m))
        row["peak_week"] = peak + 1.0
        under = np.flatnonzero(m[peak:] < SILENCE * m[peak])
        row["weeks_peak_to_under20"] = float(under[0]) if under.size else np.nan
        last = int(np.flatnonzero(m >= SILENCE * m[peak])[-1])
        row["weeks_to_silence"] = float(last + 1) if last + 1 < m.size else np.nan
        for w in WEEKS:
            seen = m.size >= w
            row[f"active_week{w}"] = float(m[w - 1] > 0) if seen else np.nan
            row[f"active_from_week{w}"] = float(m[w - 1:].sum() > 0) if seen else np.nan
        if m.size >= FIRST:
            first = m[:FIRST]
            row["cv26"] = float(first.std() / first.mean()) if first.mean() > 0 else np.nan
            row["zero_weeks26"] = float(np.mean(first == 0))
        else:
            row["cv26"] = row["zero_weeks26"] = np.nan
        row["messages_per_poster"] = total / posted.size
        row["top10_share"] = _top(posted)
        row["gini"] = _gini(posted)
        if source.has_joins and mem is not None:
            joined = mem["joined_day"].notna().to_numpy()
            row["ever_post_share"] = (float(np.mean(counts[joined] > 0)) if joined.sum() >= 5
                                      else np.nan)
        else:
            row["ever_post_share"] = np.nan
        for k in QUIT_K:
            row[f"quit_after_{k}"] = float(np.mean(posted == k)) if posted.size >= 5 else np.nan
        if source.has_joins and mem is not None:  # leaves and member-weeks per tenure band
            h = _hazards(mem)
            for i, (lo, hi) in enumerate(TENURE):
                row[f"_leaves_{lo}_{hi}"], row[f"_exposure_{lo}_{hi}"] = h[i]
        rows.append(row)
    return pd.DataFrame(rows)


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    ok = np.isfinite(x) & np.isfinite(y)
    if ok.sum() < 5:
        return np.nan
    rx, ry = pd.Series(x[ok]).rank().to_numpy(), pd.Series(y[ok]).rank().to_numpy()
    if rx.std() == 0 or ry.std() == 0:
        return np.nan
    return float(np.corrcoef(rx, ry)[0, 1])


def _hazards(members: pd.DataFrame) -> np.ndarray:
    """Leaves and member-weeks at risk in each tenure band: an array (bands x 2)."""
    m = members[members["joined_day"].notna()]
    out = np.zeros((len(TENURE), 2))
    if m.empty:
        return out
    joined = m["joined_day"].to_numpy(float)
    left = m["left_day"].to_numpy(float)
    stop = np.where(np.isfinite(left), left, m["end_day"].to_numpy(float))
    tenure = np.maximum(stop - joined, 0.0) / 7.0
    leaves = np.isfinite(left)
    for i, (lo, hi) in enumerate(TENURE):
        out[i, 0] = np.sum(leaves & (tenure >= lo) & (tenure < hi))
        out[i, 1] = np.sum(np.clip(tenure, lo, hi) - lo)
    return out


def _pooled(per_group: pd.DataFrame, source: Source) -> dict[str, float]:
    out: dict[str, float] = {}
    size = per_group["posters"].to_numpy(float) if len(per_group) else np.zeros(0)
    for key in ("peak_week", "weeks_to_silence", "cv26", "messages_per_poster", "gini"):
        out[f"spearman_size_{key}"] = (_spearman(size, per_group[key].to_numpy(float))
                                       if len(per_group) else np.nan)
    if source.has_joins and len(per_group):
        for lo, hi in TENURE:
            leaves = per_group[f"_leaves_{lo}_{hi}"].sum()
            exposure = per_group[f"_exposure_{lo}_{hi}"].sum()
            out[f"leave_hazard_{lo}_{hi}"] = leaves / exposure if exposure > 0 else np.nan
    return out


def summarise(source: Source, min_messages: int = MIN_MESSAGES, seed: int = 0
              ) -> pd.DataFrame:
    """The facts of a source: one row per fact with value, low, high, n and a note.

    ``value`` is the median (``low``-``high`` its IQR), the share (a 95% Wilson interval) or
    the pooled value (a 95% bootstrap interval over groups), as ``summary`` says.
    """
    per = group_facts(source, min_messages)
    pooled = _pooled(per, source)
    rng = np.random.default_rng(seed)
    boots: list[dict[str, float]] = []
    if len(per) >= 5:
        for _ in range(BOOT):
            boots.append(_pooled(per.iloc[rng.integers(0, len(per), len(per))], source))
    rows = []
    for f in FACTS:
        row = {"fact": f.key, "label": f.label, "unit": f.unit, "summary": f.summary,
               "value": np.nan, "low": np.nan, "high": np.nan, "n": 0, "note": ""}
        if f.needs_joins and not source.has_joins:
            row["note"] = NO_JOINS
        elif f.summary == "median":
            x = per[f.key].dropna().to_numpy(float) if len(per) else np.zeros(0)
            row["n"] = int(x.size)
            if x.size:
                row["value"], row["low"], row["high"] = (float(np.median(x)),
                                                         *map(float, np.percentile(x, [25, 75])))
        elif f.summary == "share":
            x = per[f.key].dropna().to_numpy(float) if len(per) else np.zeros(0)
            row["n"] = int(x.size)
            if x.size:
                share = wilson(float(x.sum()), int(x.size))
                row["value"], row["low"], row["high"] = share.share, share.low, share.high
        else:
            row["n"] = len(per)
            row["value"] = pooled.get(f.key, np.nan)
            vals = np.array([b.get(f.key, np.nan) for b in boots], float)
            vals = vals[np.isfinite(vals)]
            if vals.size:
                row["low"], row["high"] = map(float, np.percentile(vals, [2.5, 97.5]))
        if not row["note"] and not np.isfinite(row["value"]):
            row["note"] = "no group qualifies"
        rows.append(row)
    return pd.DataFrame(rows)


def compare(source: Source, other: Source, min_messages: int = MIN_MESSAGES) -> pd.DataFrame:
    """The facts of ``source`` beside those of ``other``, measured alike.

    When either has no joins, both are measured from posters only; ``inside`` says whether
    ``source``'s value lies within ``other``'s range (IQR, Wilson or bootstrap interval).
    """
    if not (source.has_joins and other.has_joins):
        source, other = source.posters_only(), other.posters_only()
    a, b = summarise(source, min_messages), summarise(other, min_messages)
    out = a[["fact", "label", "unit", "summary"]].copy()
    for prefix, t in (("a", a), ("b", b)):
        for col in ("value", "low", "high", "n", "note"):
            out[f"{prefix}_{col}"] = t[col].to_numpy()
    tol = 1e-9  # a 100% share is inside an interval whose top is 100% up to rounding
    inside = (out["a_value"] >= out["b_low"] - tol) & (out["a_value"] <= out["b_high"] + tol)
    known = np.isfinite(out["a_value"].astype(float)) & np.isfinite(out["b_low"].astype(float))
    out["inside"] = np.where(known, inside, None)
    return out
