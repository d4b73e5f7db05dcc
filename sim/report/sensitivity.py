"""Global sensitivity analysis with SALib: the designs an experiment's ``method`` asks for, and the
indices computed from a results folder made with them.

An experiment with ``method = "sobol"`` or ``"morris"``, ranges in ``[vary]`` and no ``sampler``
gets its design points from SALib (``sim.experiments.design`` calls :func:`sensitivity_points`):

* ``sobol``: Saltelli's scheme on a scrambled Sobol sequence, ``samples`` base points (a power of
  2), ``samples * (D + 2)`` points for D ranges; first-order (S1) and total (ST) indices.
* ``morris``: ``samples`` trajectories of D + 1 points on a 4-level grid; mu* and sigma of the
  elementary effects (screening: cheap, ranks the parameters, no variance shares).

The design is drawn on the unit cube and scaled to each range the same way as the other
samplers (an integer parameter takes ``low + floor(u * (high - low + 1))``). The analysis draws
the unit design again from the manifest (same seed), so it needs nothing but the folder. Each
point's outcome is the mean over its replicates, which damps the model's own noise; that noise
still adds to the indices' uncertainty, as their confidence intervals show.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd

from sim.errors import UserError
from sim.report.compare import DEFAULT_OUTCOMES
from sim.report.results import Results, check_outcomes, fmt_value

METHODS = ("sobol", "morris")
MORRIS_LEVELS = 4
RESAMPLES = 200  # SALib's bootstrap of the indices' confidence intervals
CONF_LEVEL = 0.95


def _problem(names: list[str]) -> dict[str, Any]:
    return {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}


def unit_design(method: str, names: list[str], samples: int, seed: int) -> np.ndarray:
    """The SALib design of ``method`` on the unit cube, one row per point, one column per name.

    Args:
        method: "sobol" (Saltelli, first and total order) or "morris" (trajectories).
        names: the parameters, in order.
        samples: base points (Sobol, a power of 2) or trajectories (Morris).
        seed: seed of the design.
    """
    problem = _problem(names)
    if method == "sobol":
        from SALib.sample import sobol

        return sobol.sample(problem, samples, calc_second_order=False, scramble=True, seed=seed)
    from SALib.sample import morris

    return morris.sample(problem, samples, num_levels=MORRIS_LEVELS, seed=seed)


def design_size(method: str, n_params: int, samples: int) -> int:
    """Points in the design of ``method`` for ``n_params`` ranges and ``samples``."""
    return samples * (n_params + (2 if method == "sobol" else 1))


def scale(u: float, low: float, high: float, integer: bool) -> int | float:
    """A unit value in [0, 1] as a value of the range [low, high] (integers: equal-width bins)."""
    if integer:
        return int(min(high, low + math.floor(u * (high - low + 1))))
    return float(low + u * (high - low))


def _is_int(name: str) -> bool:
    from sim.params import Params

    return Params.model_fields[name].annotation is int


def sensitivity_points(ranges: dict[str, tuple[float, float]], method: str, samples: int | None,
                       seed: int, where: str) -> list[dict[str, Any]]:
    """The design points of a sensitivity ``method`` over ``ranges`` (for ``[vary]`` ranges).

    Raises:
        UserError: no ranges, no ``samples``, or a number of samples the method cannot use.
    """
    if not ranges:
        raise UserError(f"{where}: method = \"{method}\" without a sampler makes a SALib design "
                        "over ranges, and [vary] has none: give [vary.<name>] tables with low "
                        "and high")
    if samples is None:
        raise UserError(f"{where}: method = \"{method}\" needs samples = N ("
                        + ("base points, a power of 2, e.g. 64)" if method == "sobol"
                           else "Morris trajectories, e.g. 20)"))
    if method == "sobol" and samples & (samples - 1):
        raise UserError(f"{where}: samples = {samples} is not allowed with method = \"sobol\": "
                        "expected a power of 2 (e.g. 64): Saltelli's scheme needs a balanced "
                        "Sobol sequence")
    if method == "morris" and samples < 2:
        raise UserError(f"{where}: samples = {samples}: Morris screening needs at least 2 "
                        "trajectories (10 to 50 is usual)")
    names = list(ranges)
    u = unit_design(method, names, samples, seed)
    return [{n: scale(x, *ranges[n], integer=_is_int(n)) for n, x in zip(names, row)}
            for row in u]


def indices(method: str, names: list[str], u: np.ndarray, y: np.ndarray,
            seed: int = 0) -> pd.DataFrame:
    """Sensitivity indices of outputs ``y`` over the unit design ``u`` of ``method`` (SALib).

    Args:
        method: "sobol" or "morris", as the design was made.
        names: the parameters (columns of ``u``).
        u: the design from :func:`unit_design`.
        y: one output per row of ``u``.
        seed: seed of SALib's bootstrap of the confidence intervals.

    Returns:
        One row per parameter: S1, S1_conf, ST, ST_conf (Sobol) or mu, mu_star, mu_star_conf,
        sigma (Morris).
    """
    problem = _problem(names)
    y = np.asarray(y, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # constant columns: NaN, reported below
        if method == "sobol":
            from SALib.analyze import sobol

            si = sobol.analyze(problem, y, calc_second_order=False, num_resamples=RESAMPLES,
                               conf_level=CONF_LEVEL, seed=seed)
            keys = ("S1", "S1_conf", "ST", "ST_conf")
        else:
            from SALib.analyze import morris

            si = morris.analyze(problem, np.asarray(u, dtype=float), y,
                                num_resamples=RESAMPLES, conf_level=CONF_LEVEL,
                                num_levels=MORRIS_LEVELS, seed=seed)
            keys = ("mu", "mu_star", "mu_star_conf", "sigma")
    return pd.DataFrame({"parameter": names, **{k: np.asarray(si[k], dtype=float) for k in keys}})


def _check_design(results: Results) -> tuple[str, list[str], np.ndarray]:
    """(method, range names, unit design) of a folder made with a SALib design."""
    e = results.experiment
    method = e.get("method")
    if method not in METHODS:
        raise UserError(f"{results.path}: its experiment has no sensitivity method; declare "
                        "method = \"sobol\" or \"morris\" with [vary] ranges (and no sampler), "
                        "sweep it, then run commsim sensitivity on the new folder")
    if e.get("sampler"):
        raise UserError(f"{results.path}: its experiment sets method = \"{method}\" but also "
                        f"sampler = \"{e['sampler']}\", so its points are a plain "
                        f"{e['sampler']} sample, not the SALib design the {method} indices need; "
                        "remove the sampler line and sweep again")
    names = results.sampled
    u = unit_design(method, names, int(e["samples"]), int(e["seed"]))
    for row, point in zip(u, results.points[:len(u)]):
        for name, x in zip(names, row):
            value = scale(x, *(e["vary"][name][k] for k in ("low", "high")),
                          integer=_is_int(name))
            if not np.isclose(float(point[name]), float(value)):
                raise UserError(f"{results.path}: its design points are not the SALib design "
                                "this version draws (another SALib or commsim version?): run "
                                "the sweep again")
    return method, names, u


def analyse(results: Results, outcomes: list[str] | None = None,
            seed: int = 0) -> tuple[pd.DataFrame, list[str]]:
    """Indices of each outcome, per scenario and level of the listed (not sampled) parameters.

    Args:
        results: a complete results folder of a sensitivity experiment.
        outcomes: per-run outcomes (default: those of ``commsim compare`` that have a value at
            every point, return on cost excepted).
        seed: seed of SALib's bootstrap.

    Returns:
        (table, notes): the indices, one row per outcome, group and parameter; and the outcomes
        left out, with why.

    Raises:
        UserError: not a SALib design, an unfinished sweep, an unknown outcome, or an asked-for
            outcome missing at some points.
    """
    if not results.complete:
        raise UserError(f"{results.missing}; sensitivity indices need every design point: "
                        "finish the sweep first")
    method, names, u = _check_design(results)
    asked = outcomes is not None
    outcomes = check_outcomes(results, outcomes) if asked else \
        [o for o in DEFAULT_OUTCOMES if o in results.runs and o != "return_on_cost"]
    runs = results.runs
    n_sampled, listed = len(u), [k for k in results.varied if k not in names]
    frames, notes = [], []
    for outcome in outcomes:
        values = runs[outcome].astype(float)
        if outcome == "time_to_silence":  # censored: restricted to the run length
            values = values.fillna(runs["days"].astype(float))
        means = values.groupby([runs["scenario"], runs["point"]]).mean()
        for scenario in results.scenarios:
            for f in range(len(results.points) // n_sampled):
                idx = [(scenario, f * n_sampled + s) for s in range(n_sampled)]
                y = means.reindex(idx).to_numpy()
                if np.isnan(y).any() or np.ptp(y) == 0:
                    why = ("constant over the design" if not np.isnan(y).any() else
                           f"missing at {int(np.isnan(y).sum())} of {n_sampled} points")
                    if asked and np.isnan(y).any():
                        raise UserError(f"--outcome {outcome}: {why} (e.g. a day-90 outcome of "
                                        "shorter runs): choose another outcome")
                    level = results.points[f * n_sampled]
                    where = ", ".join([scenario, *(f"{k}={fmt_value(level[k])}" for k in listed)])
                    notes.append(f"{outcome} ({where}): left out, {why}")
                    continue
                table = indices(method, names, u, y, seed)
                point = results.points[f * n_sampled]
                table.insert(0, "method", method)
                table.insert(1, "outcome", outcome)
                table.insert(2, "scenario", scenario)
                for i, k in enumerate(listed):
                    table.insert(3 + i, f"at_{k}", fmt_value(point[k]))
                table["design_points"] = n_sampled
                table["replicates"] = int(results.experiment.get("replicates") or 1)
                frames.append(table)
    if not frames:
        raise UserError(f"{results.path}: no outcome varies over the design: "
                        f"{'; '.join(notes)}")
    return pd.concat(frames, ignore_index=True), notes
