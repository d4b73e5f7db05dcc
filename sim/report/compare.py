"""Effects of scenarios and parameter settings against a baseline, with bootstrap intervals.

Replicate r of an experiment has the same seed in every scenario and design point (common random
numbers), so two settings are compared run by run: the difference of each pair of runs with the
same seed, then a percentile bootstrap of the mean difference over pairs. The noise the two runs
share cancels in the difference, which is what makes paired intervals narrower than unpaired
ones (``docs/compare.md`` measures by how much).

Two outcomes are not plain means:

* ``time_to_silence`` is missing when a run never fell silent within its days (censored). Every
  run of an experiment has the same length, so the compared value is ``min(time, days)``, the
  restricted mean time to silence up to the run length: exact, not an estimate, but a lower bound
  of the mean when runs outlive the horizon. The table gives how many runs were never silent, and
  ``silent`` (the share of runs that fell silent) is compared beside it.
* ``return_on_cost`` is missing when nothing was spent (the baseline, usually), so its difference
  would be empty. The compared value is the return on the extra cost instead:
  ``(mean extra revenue - mean extra cost) / mean extra cost``, bootstrapped over the same pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.errors import UserError, closest
from sim.report.results import Results, check_outcomes, fmt_value

DEFAULT_OUTCOMES = ("active_day_30", "active_day_60", "active_day_90", "active_day_180",
                    "time_to_silence", "silent", "ever_spoken_share_d14", "ever_spoken_share_d90",
                    "active_members_d30", "active_members_d90", "total_messages", "churned",
                    "joined", "revenue", "cost", "return_on_cost")
# Only where compare's number reads differently from the outcome's own words (sim.labels, which
# gives every other outcome its words and unit): shares are printed 0-1, a censored time is a
# restricted mean, and the return is on the cost added against the baseline.
LABELS = {
    **{f"active_day_{d}": f"share of groups still active on day {d}" for d in (30, 60, 90, 180)},
    "lifetime": "group lifetime (days, up to run length)",
    "time_to_silence": "time to silence (days, up to run length)",
    "silent": "share of runs fallen silent (0-1)",
    "ever_spoken_share_d14": "ever-spoken share, day 14 (0-1)",
    "ever_spoken_share_d90": "ever-spoken share, day 90 (0-1)",
    "return_on_cost": "return on extra cost (yuan/yuan)",
}
RESAMPLES = 2000
LEVEL = 0.95
FEW_PAIRS = 10  # below this a percentile bootstrap interval is noticeably too narrow


@dataclass(frozen=True)
class Interval:
    """An estimate with its bootstrap interval and the number of pairs (or runs) behind it."""

    estimate: float
    low: float
    high: float
    n: int

    @property
    def crosses_zero(self) -> bool:
        """Does the interval include zero (no clear effect)? Missing intervals count as yes."""
        return not (self.low > 0 or self.high < 0)


def label(outcome: str) -> str:
    """A readable name with its unit for an outcome."""
    from sim.labels import heading

    return LABELS.get(outcome) or heading(outcome)


def _interval(estimate: float, boot: np.ndarray, n: int, level: float) -> Interval:
    boot = boot[np.isfinite(boot)]
    if n < 2 or not boot.size:  # a single pair has no spread to resample
        return Interval(float(estimate), np.nan, np.nan, n)
    low, high = np.quantile(boot, [(1 - level) / 2, (1 + level) / 2])
    return Interval(float(estimate), float(low), float(high), n)


def _indices(n: int, resamples: int, seed: int) -> np.ndarray:
    # A fresh generator per call: an interval does not depend on which others were computed.
    return np.random.default_rng(seed).integers(0, n, size=(resamples, n))


def paired_difference(a: np.ndarray, b: np.ndarray, resamples: int = RESAMPLES, seed: int = 0,
                      level: float = LEVEL) -> Interval:
    """Mean of the paired differences ``a - b`` with a percentile bootstrap interval.

    Args:
        a: an outcome per replicate in one arm.
        b: the same outcome for the same replicates (same seeds) in the other arm.
        resamples: bootstrap resamples of the pairs.
        seed: seed of the bootstrap.
        level: coverage of the interval.

    Returns:
        The mean difference over pairs where both values exist, and its interval.
    """
    d = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    d = d[np.isfinite(d)]
    if not d.size:
        return Interval(np.nan, np.nan, np.nan, 0)
    boot = d[_indices(d.size, resamples, seed)].mean(axis=1)
    return _interval(d.mean(), boot, d.size, level)


def unpaired_difference(a: np.ndarray, b: np.ndarray, resamples: int = RESAMPLES, seed: int = 0,
                        level: float = LEVEL) -> Interval:
    """Difference of means ``mean(a) - mean(b)``, each arm resampled on its own (no pairing).

    Returns:
        The difference and its interval; ``n`` is the smaller arm's size.
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    if not a.size or not b.size:
        return Interval(np.nan, np.nan, np.nan, 0)
    rng = np.random.default_rng(seed)
    boot = (a[rng.integers(0, a.size, (resamples, a.size))].mean(axis=1)
            - b[rng.integers(0, b.size, (resamples, b.size))].mean(axis=1))
    return _interval(a.mean() - b.mean(), boot, min(a.size, b.size), level)


def incremental_return(revenue: tuple[np.ndarray, np.ndarray], cost: tuple[np.ndarray, np.ndarray],
                       resamples: int = RESAMPLES, seed: int = 0, level: float = LEVEL) -> Interval:
    """Return on the extra cost, (extra revenue - extra cost) / extra cost, over paired runs.

    Args:
        revenue: (arm, reference) revenue per replicate.
        cost: (arm, reference) cost per replicate.

    Returns:
        The ratio of the mean differences and its paired bootstrap interval; missing when the
        arm costs no more than the reference on average.
    """
    dr = np.asarray(revenue[0], dtype=float) - np.asarray(revenue[1], dtype=float)
    dc = np.asarray(cost[0], dtype=float) - np.asarray(cost[1], dtype=float)
    keep = np.isfinite(dr) & np.isfinite(dc)
    dr, dc = dr[keep], dc[keep]
    if not dr.size or dc.mean() <= 0:
        return Interval(np.nan, np.nan, np.nan, int(dr.size))
    idx = _indices(dr.size, resamples, seed)
    extra_cost = dc[idx].mean(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        boot = np.where(extra_cost > 0, (dr[idx].mean(axis=1) - extra_cost) / extra_cost, np.nan)
    return _interval((dr.mean() - dc.mean()) / dc.mean(), boot, int(dr.size), level)


# -- which settings are compared with which -------------------------------------------------------

def parse_at(results: Results, assignments: tuple[str, ...]) -> int:
    """The design point picked by ``--at KEY=VALUE`` assignments.

    Raises:
        UserError: bad syntax, a key that is not varied, or values that match no single point.
    """
    wanted: dict[str, str] = {}
    for text in assignments:
        key, sep, value = text.partition("=")
        key = key.strip()
        if not sep:
            raise UserError(f"--at {text}: expected KEY=VALUE, e.g. --at entry_fee=0")
        if key not in results.varied:
            raise UserError(f"--at {text}: '{key}' is not varied in {results.path}"
                            f"{closest(key, results.varied)}; varied: "
                            f"{', '.join(results.varied) or 'nothing'}")
        wanted[key] = value.strip()

    def same(v: object, text: str) -> bool:
        try:
            return bool(np.isclose(float(v), float(text)))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return fmt_value(v) == text.strip('"')

    found = [i for i, p in enumerate(results.points) if all(same(p[k], t) for k, t in
                                                            wanted.items())]
    if len(found) != 1:
        levels = {k: sorted({fmt_value(p[k]) for p in results.points}) for k in wanted}
        shown = "; ".join(f"{k}: {', '.join(v[:12])}" for k, v in levels.items())
        what = "no" if not found else f"{len(found)}"
        raise UserError(f"--at {' '.join(assignments)} matches {what} design points: give one "
                        f"value of each varied parameter ({shown})")
    return found[0]


def pairings(results: Results, baseline: str | None = None, at: int | None = None,
             same_point: bool | None = None) -> list[tuple[tuple[str, int], tuple[str, int]]]:
    """Every (scenario, point) with the (baseline, point) it is compared with.

    By default every setting is compared with the baseline scenario at the first design point
    (or ``at``); with ``same_point`` (the default for sampled designs, whose points are all
    different) each scenario is compared with the baseline at the same point.

    Raises:
        UserError: an unknown baseline, a baseline with no runs, or nothing to compare.
    """
    scenarios = results.scenarios
    baseline = baseline or results.baseline
    if baseline not in scenarios:
        raise UserError(f"--baseline {baseline}: not a scenario of {results.path}"
                        f"{closest(baseline, scenarios)}; its scenarios: {', '.join(scenarios)}")
    present = set(zip(results.runs["scenario"], results.runs["point"]))
    if not any(s == baseline for s, _ in present):
        raise UserError(f"{results.path} has no runs of the baseline scenario '{baseline}' yet: "
                        "finish the sweep, or choose another --baseline")
    if same_point and at is not None:
        raise UserError("--at and --same-point contradict each other: choose one")
    if same_point is None:
        same_point = bool(results.sampled) and at is None
    if same_point and len(scenarios) < 2:
        raise UserError(f"{results.path} has one scenario over a sampled design: no other "
                        "scenario to pair with at each point; see the response curves of "
                        "`commsim report`, or `commsim sensitivity`")
    reference = at or 0
    pairs = []
    for scenario in scenarios:
        for p in range(len(results.points)):
            ref = (baseline, p if same_point else reference)
            if (scenario, p) != ref and (scenario, p) in present and ref in present:
                pairs.append(((scenario, p), ref))
    if not pairs:
        raise UserError(f"{results.path} holds one scenario at one setting: nothing to compare "
                        "(run an experiment with several scenarios or a [vary] table)")
    return pairs


# -- the table ------------------------------------------------------------------------------------

def head_to_head(results: Results, a: str, b: str) -> tuple[str, str]:
    """Check the two arms of ``compare --a A --b B``: two different scenarios of the folder.

    Raises:
        UserError: an arm that is not a scenario of the folder, or the same arm twice.
    """
    scenarios = results.scenarios
    for flag, name in (("--a", a), ("--b", b)):
        if name not in scenarios:
            raise UserError(f"{flag} {name}: not a scenario of {results.path}"
                            f"{closest(name, scenarios)}; its scenarios: {', '.join(scenarios)}")
    if a == b:
        raise UserError(f"--a and --b are both '{a}': name two different scenarios")
    return a, b


def _values(runs: pd.DataFrame, outcome: str) -> pd.Series:
    if outcome == "time_to_silence":  # censored at the run length: restricted mean
        return runs[outcome].astype(float).fillna(runs["days"].astype(float))
    return runs[outcome].astype(float)


def default_outcomes(results: Results) -> tuple[list[str], list[str]]:
    """(used, skipped): the default outcomes this folder holds with values, and the others."""
    used, skipped = [], []
    runs = results.runs
    for name in DEFAULT_OUTCOMES:
        if name == "return_on_cost":  # computed from revenue and cost
            ok = {"revenue", "cost"} <= set(runs)
        elif name == "time_to_silence":  # missing = never silent: censored, still a value
            ok = name in runs and "days" in runs
        else:
            ok = name in runs and bool(runs[name].notna().any())
        (used if ok else skipped).append(name)
    return used, skipped


def compare(results: Results, outcomes: list[str] | None = None, baseline: str | None = None,
            at: int | None = None, same_point: bool | None = None, paired: bool = True,
            resamples: int = RESAMPLES, seed: int = 0, only: str | None = None) -> pd.DataFrame:
    """The effect of every setting against its reference on each outcome, one row each.

    Args:
        results: an opened results folder.
        outcomes: per-run outcomes (default: :data:`DEFAULT_OUTCOMES` that have values).
        baseline: the reference scenario (default: the experiment's baseline).
        at: index of the reference design point (default: the first).
        same_point: compare each scenario with the baseline at the same design point.
        paired: pair runs by seed (common random numbers); False resamples each arm alone.
        resamples: bootstrap resamples.
        seed: seed of the bootstrap.
        only: compare only this scenario with the reference (head to head: ``--a``).

    Returns:
        Columns: scenario, the varied parameters, setting, reference, outcome, label,
        baseline_mean, scenario_mean, difference, ci_low, ci_high, pairs, crosses_zero,
        never_silent_baseline, never_silent_scenario, runs_baseline, runs_scenario.
    """
    outcomes = check_outcomes(results, outcomes) if outcomes else default_outcomes(results)[0]
    if not outcomes:
        from sim.labels import LABELS as WORDS

        kept = ", ".join(c for c in results.runs if c in WORDS or c in LABELS)
        raise UserError(f"{results.path} keeps none of the default outcomes: choose some with "
                        f"--outcome ({kept})")
    if "return_on_cost" in outcomes and not {"revenue", "cost"} <= set(results.runs):
        raise UserError(f"--outcome return_on_cost needs revenue and cost, and {results.path} "
                        "did not keep both")
    runs = results.runs
    cells = {key: g.set_index("seed") for key, g in runs.groupby(["scenario", "point"])}
    rows = []
    for (scenario, p), (base, q) in pairings(results, baseline, at, same_point):
        if only is not None and scenario != only:
            continue
        arm, ref = cells[(scenario, p)], cells[(base, q)]
        seeds = arm.index.intersection(ref.index)
        pa, pb = arm.loc[seeds], ref.loc[seeds]  # replicate r with replicate r
        a, b = (pa, pb) if paired else (arm, ref)
        for outcome in outcomes:
            row = {"scenario": scenario, **results.points[p],
                   "setting": results.cell_label(scenario, p),
                   "reference": results.cell_label(base, q), "outcome": outcome,
                   "label": label(outcome), "runs_scenario": len(arm), "runs_baseline": len(ref)}
            if outcome == "return_on_cost":
                ci = incremental_return((pa["revenue"], pb["revenue"]),  # always paired
                                        (pa["cost"], pb["cost"]), resamples, seed)
                means = [_pooled_return(x) for x in (b, a)]
            else:
                x, y = _values(a, outcome), _values(b, outcome)
                ci = (paired_difference if paired else unpaired_difference)(
                    x.to_numpy(), y.to_numpy(), resamples, seed)
                if paired:
                    both = x.notna() & y.notna()
                    x, y = x[both], y[both]
                means = [y.mean(), x.mean()]
            if outcome == "time_to_silence":
                row["never_silent_baseline"] = int(b[outcome].isna().sum())
                row["never_silent_scenario"] = int(a[outcome].isna().sum())
            rows.append({**row, "baseline_mean": means[0], "scenario_mean": means[1],
                         "difference": ci.estimate, "ci_low": ci.low, "ci_high": ci.high,
                         "pairs": ci.n, "crosses_zero": ci.crosses_zero})
    table = pd.DataFrame(rows)
    order = ["scenario", *results.varied, "setting", "reference", "outcome", "label",
             "baseline_mean", "scenario_mean", "difference", "ci_low", "ci_high", "pairs",
             "crosses_zero", "never_silent_baseline", "never_silent_scenario", "runs_baseline",
             "runs_scenario"]
    for column in order:
        if column not in table:
            table[column] = pd.NA
    table["paired"] = paired
    return table[[*order, "paired"]]


def _pooled_return(runs: pd.DataFrame) -> float:
    cost = float(runs["cost"].sum())
    return (float(runs["revenue"].sum()) - cost) / cost if cost > 0 else np.nan
