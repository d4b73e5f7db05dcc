"""Global sensitivity analysis with SALib: the designs an experiment's ``method`` asks for, and the
indices computed from a results folder made with them.

An experiment with ``method = "sobol"`` or ``"morris"``, ranges in ``[vary]`` and no ``sampler``
gets its design points from SALib (``sim.designs.sensitivity_points``, called by the experiment):

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

import warnings

import numpy as np
import pandas as pd

from sim.designs import (
    METHODS,
    MORRIS_LEVELS,
    is_int,
    salib_problem,
    scale,
    unit_design,
)
from sim.errors import UserError
from sim.report.compare import DEFAULT_OUTCOMES
from sim.report.results import Results, check_outcomes, fmt_value

RESAMPLES = 200  # SALib's bootstrap of the indices' confidence intervals
CONF_LEVEL = 0.95


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
    problem = salib_problem(names)
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
                        "sweep it, then run commsim sensitivity on the new folder (the bundled "
                        "experiment made for it: commsim sweep sensitivity_levers)")
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
                          integer=is_int(name))
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
                table["samples"] = int(results.experiment.get("samples") or n_sampled)
                frames.append(table)
    if not frames:
        raise UserError(f"{results.path}: no outcome varies over the design: "
                        f"{'; '.join(notes)}")
    return pd.concat(frames, ignore_index=True), notes
