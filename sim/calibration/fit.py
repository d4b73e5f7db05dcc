"""The search: Optuna's TPE sampler over batches of simulated runs, restarted with several seeds.

Each restart is a seeded TPE study (the sampler Starsim and Covasim use for calibration) whose
first trial is the base scenario's own values. Trials are asked ``batch`` at a time and simulated
together in one ``run_batch`` (with the constant-liar strategy, so the trials of a batch spread
out), and every trial uses the same replicate seeds: common random numbers.

After the search:

* each restart's best point and the base scenario's values are scored again on fresh seeds, so
  the reported losses are not flattered by the seeds the search tuned against; the restart whose
  best does best there is the result;
* every fitted parameter gets a profile (the loss along its range, the others held at the
  result) and its spread across restarts. A parameter whose restarts disagree, or whose profile
  is flat over much of its range, is one the data cannot identify.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.calibration.evaluate import Context, Evaluator
from sim.calibration.space import Dimension
from sim.calibration.targets import Observed, Simulated
from sim.errors import UserError

PROFILE_POINTS = 9  # values along each parameter's range in its profile
FLAT_TOLERANCE = 0.1  # a profile point within 10% of the best loss counts as "as good"
FLAT_SHARE = 0.5  # flat: at least half of the range fits about as well as the best
SPREAD_MAX = 0.25  # restarts agree: best values within a quarter of the range
EDGE = 0.02  # a fit within 2% of either end of its range may lie beyond it
FRESH_OFFSET = 50_000  # fresh seeds start this far from the fitting seeds


@dataclass(frozen=True)
class Settings:
    """How hard to search: trials per restart, replicates per trial, restarts, seeds."""

    trials: int = 60
    replicates: int = 16
    restarts: int = 3
    seed: int = 0
    batch: int = 8  # trials simulated together in one batch


@dataclass
class Restart:
    """One seeded search: the values and loss of every trial, in order."""

    sampler_seed: int
    values: list[dict[str, float]] = field(default_factory=list)
    losses: list[float] = field(default_factory=list)

    @property
    def best(self) -> dict[str, float]:
        """The values of the trial with the lowest loss."""
        return self.values[int(np.argmin(self.losses))]

    @property
    def best_loss(self) -> float:
        """The lowest loss of the search (on the fitting seeds)."""
        return float(min(self.losses))


@dataclass
class Calibration:
    """Everything a calibration found, for the scenario file and the report."""

    observed: list[Observed]
    contexts: list[Context]
    accepted: float  # share of invitations accepted in the base scenario
    dims: list[Dimension]
    settings: Settings
    base_values: dict[str, float]  # the base scenario's values of the fitted parameters
    restarts: list[Restart]
    chosen: int  # the restart whose best is the result
    fresh_losses: list[float]  # each restart's best, scored on fresh seeds
    fresh_loss: float  # the result, on fresh seeds
    base_loss: float  # the base scenario's values, on the same fresh seeds
    parts: list[dict[str, float]]  # per group, the result's loss parts (fresh seeds)
    base_parts: list[dict[str, float]]
    sims: list[Simulated]  # per group, the result's runs (fresh seeds)
    base_sims: list[Simulated]
    profiles: dict[str, tuple[np.ndarray, np.ndarray]]  # name: (values, losses)
    runs_simulated: int = 0
    seconds: float = 0.0

    @property
    def best(self) -> dict[str, float]:
        """The fitted values."""
        return self.restarts[self.chosen].best

    @property
    def fit_loss(self) -> float:
        """The result's loss on the fitting seeds."""
        return self.restarts[self.chosen].best_loss

    def identifiability(self) -> dict[str, dict[str, Any]]:
        """Per parameter: the spread of the restarts' best values (share of the range), the share
        of the range whose profile is within 10% of the best loss, and a verdict (a fit at the
        edge of its range is not identified either)."""
        out = {}
        for dim in self.dims:
            where = [dim.scaled(r.best[dim.name]) for r in self.restarts]
            spread = float(max(where) - min(where))
            values, losses = self.profiles[dim.name]
            floor = min(float(losses.min()), self.fit_loss)
            flat = float(np.mean(losses <= floor * (1 + FLAT_TOLERANCE) + 1e-12))
            reasons = []
            if len(self.restarts) > 1 and spread > SPREAD_MAX:
                reasons.append(f"restarts disagree over {spread:.0%} of the range")
            if flat >= FLAT_SHARE:
                reasons.append(f"loss flat over {flat:.0%} of the range")
            position = dim.scaled(self.best[dim.name])
            if not EDGE <= position <= 1 - EDGE:
                limit = _model_limit(dim, low=position < EDGE)
                if limit is None:
                    reasons.append(f"at the edge of its range: widen it ({dim.name}=LOW:HIGH)")
                else:  # widening is impossible: the data ask for more than the model allows
                    reasons.append(f"at the limit the model allows ({limit:g}): the model "
                                   "cannot reach this group's targets through it")
            out[dim.name] = {"spread": spread, "flat_share": flat, "identified": not reasons,
                             "why": "; ".join(reasons),
                             "min": min(r.best[dim.name] for r in self.restarts),
                             "max": max(r.best[dim.name] for r in self.restarts)}
        return out


def _model_limit(dim: Any, low: bool) -> float | None:
    """The parameter's allowed bound at the end of ``dim``'s range it sits at, if that end is
    the bound (so the range cannot be widened there), else None."""
    from sim.params import info

    meta = info(dim.name)
    bound = meta.get("lo") if low else meta.get("hi")
    edge = dim.lo if low else dim.hi
    if bound is None or not np.isfinite(bound):
        return None
    return float(bound) if np.isclose(edge, bound, rtol=1e-9, atol=1e-12) else None


def replicate_seeds(seed: int, n: int, fresh: bool = False) -> list[int]:
    """The replicate seeds of a calibration (the fitting ones, or fresh ones for scoring)."""
    start = seed * 100_000 + (FRESH_OFFSET if fresh else 0)
    return list(range(start, start + n))


def _suggest(trial: Any, dim: Dimension) -> float:
    if dim.integer:
        return float(trial.suggest_int(dim.name, int(math.ceil(dim.lo)), int(dim.hi),
                                       log=dim.log))
    return float(trial.suggest_float(dim.name, dim.lo, dim.hi, log=dim.log))


def search(evaluator: Evaluator, dims: Sequence[Dimension], start: Mapping[str, float],
           trials: int, batch: int, sampler_seed: int,
           progress: Callable[[int, float], None] | None = None) -> Restart:
    """One seeded TPE search of ``trials`` trials, ``batch`` simulated together.

    Args:
        evaluator: scores points.
        dims: the fitted parameters.
        start: the first trial's values (the base scenario's, clipped into the ranges).
        trials: trials in all.
        batch: trials asked, simulated and told together.
        sampler_seed: the sampler's seed.
        progress: called with the trials done and the best loss so far, after each batch.
    """
    try:
        import optuna
    except ImportError:
        raise UserError("calibration needs the package optuna: pip install optuna") from None
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    with warnings.catch_warnings():  # multivariate TPE and the constant liar are "experimental"
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        sampler = optuna.samplers.TPESampler(seed=sampler_seed, multivariate=True,
                                             constant_liar=True,
                                             n_startup_trials=max(batch, min(10, trials // 3)))
    study = optuna.create_study(direction="minimize", sampler=sampler)
    study.enqueue_trial(dict(start))
    restart = Restart(sampler_seed)
    while len(restart.losses) < trials:
        asked = [study.ask() for _ in range(min(batch, trials - len(restart.losses)))]
        points = [{d.name: _suggest(t, d) for d in dims} for t in asked]
        for t, point, loss in zip(asked, points, evaluator.losses(points)):
            study.tell(t, loss)
            restart.values.append(point)
            restart.losses.append(loss)
        if progress:
            progress(len(restart.losses), restart.best_loss)
    return restart


def profile_points(dims: Sequence[Dimension], best: Mapping[str, float]
                   ) -> list[tuple[str, float, dict[str, float]]]:
    """For each parameter, :data:`PROFILE_POINTS` values across its range, others at ``best``."""
    out = []
    for dim in dims:
        for pos in np.linspace(0.0, 1.0, PROFILE_POINTS):
            value = dim.unscaled(float(pos))
            out.append((dim.name, value, {**best, dim.name: value}))
    return out


def calibrate(observed: Sequence[Observed], contexts: Sequence[Context], accepted: float,
              base: Mapping[str, Any], dims: Sequence[Dimension], settings: Settings,
              progress: Callable[[str], None] | None = None) -> Calibration:
    """Fit ``dims`` so that simulated groups match the observed ones.

    Args:
        observed: the groups' targets (:func:`sim.calibration.targets.observe`).
        contexts: each group's context (:func:`sim.calibration.evaluate.context_for`).
        accepted: the share of invitations accepted, as found by the pilot (for the report).
        base: the base scenario's full parameters.
        dims: the parameters to fit.
        settings: trials, replicates, restarts and the seed.
        progress: called with a line of text after each batch of trials.

    Returns:
        The :class:`Calibration`, its result chosen on fresh seeds.
    """
    began = time.monotonic()
    evaluator = Evaluator(observed, contexts, base, replicate_seeds(settings.seed,
                                                                    settings.replicates))
    base_values = {d.name: float(base[d.name]) for d in dims}
    start = {d.name: min(max(float(base[d.name]), d.lo), d.hi) for d in dims}
    restarts = []
    for k in range(settings.restarts):
        sampler_seed = settings.seed * 1000 + k

        def report(done: int, best: float, k: int = k) -> None:
            if progress:
                progress(f"restart {k + 1}/{settings.restarts}: {done}/{settings.trials} trials, "
                         f"best loss {best:.4f}")

        restarts.append(search(evaluator, dims, start, settings.trials, settings.batch,
                               sampler_seed, report))
    # fresh seeds: each restart's best and the base values, with common random numbers
    fresh = replicate_seeds(settings.seed, settings.replicates, fresh=True)
    candidates = [r.best for r in restarts] + [base_values]
    sims = evaluator.simulate(candidates, fresh)
    scored = [evaluator.score(s) for s in sims]
    fresh_losses = [s[0] for s in scored[:-1]]
    chosen = int(np.argmin(fresh_losses))
    if progress:
        progress("profiles of the loss along each parameter")
    points = profile_points(dims, restarts[chosen].best)
    prof_losses = evaluator.losses([p for _, _, p in points])
    profiles = {}
    for dim in dims:
        idx = [i for i, (name, _, _) in enumerate(points) if name == dim.name]
        profiles[dim.name] = (np.array([points[i][1] for i in idx]),
                              np.array([prof_losses[i] for i in idx]))
    return Calibration(
        observed=list(observed), contexts=list(contexts), accepted=accepted, dims=list(dims),
        settings=settings, base_values=base_values, restarts=restarts, chosen=chosen,
        fresh_losses=fresh_losses, fresh_loss=fresh_losses[chosen], base_loss=scored[-1][0],
        parts=scored[chosen][1], base_parts=scored[-1][1], sims=sims[chosen],
        base_sims=sims[-1], profiles=profiles, runs_simulated=evaluator.runs_simulated,
        seconds=time.monotonic() - began)
