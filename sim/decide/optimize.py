"""``commsim optimize``: the best lever plans within a budget, searched by Optuna on the engine.

The search
    A seeded Optuna study (multi-objective TPE by default, NSGA-II or random search on request)
    over the problem's levers, with the objectives and cost as its directions. Candidates are
    asked ``batch`` at a time and simulated together; every candidate runs on the same
    ``replicates`` seeds (common random numbers), so two candidates differ only by their levers.
    A candidate's value on an outcome is the mean over its runs.

The budget
    Cost is what the engine counts (the lever costs in yuan over the horizon). A candidate is
    feasible when its costliest run stays within the budget; the others are marked infeasible to
    the sampler (Optuna's constraints) and never returned. The plans are checked again on fresh
    seeds and any plan with a run over budget there is dropped too.

Reproducible and resumable
    Each batch gets a sampler seeded by (seed, batch number), and the trials are written to
    ``trials.parquet`` after every batch. A resumed search rebuilds the study from that file, so
    it asks exactly the candidates an uninterrupted one would; the number of worker processes
    only splits a batch's runs and changes nothing.

The result
    The Pareto front of cost against the objectives (feasible candidates no other feasible one
    beats on every axis), up to ``max_plans`` plans spread along it, each re-scored on fresh seeds
    with paired 95% intervals against the group without a plan and against the next-cheaper
    plan, what each lever of a plan contributes (the plan minus the plan without that lever), and
    the plans as scenario files.
"""

from __future__ import annotations

import json
import math
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.decide.problem import Lever, Objective, Problem
from sim.errors import UserError

TRIALS = "trials.parquet"
FRESH_OFFSET = 1_000_003  # fresh seeds start far from the search seeds
MAX_PLANS = 6
DAILY_SHOWN = ("active_members", "messages", "members", "cost")


# -- outcomes of a candidate ----------------------------------------------------------------------

def outcome_values(runs: pd.DataFrame, name: str, days: int) -> np.ndarray:
    """One value per run of an outcome (derived ones computed; silence censored at the horizon)."""
    if name == "profit":
        return (runs["revenue"] - runs["cost"]).to_numpy(dtype=float)
    if name == "not_silent":
        return 1.0 - runs["silent"].to_numpy(dtype=float)
    if name == "time_to_silence":
        return runs[name].astype(float).fillna(float(days)).to_numpy()
    return runs[name].to_numpy(dtype=float)


def replicate_seeds(seed: int, n: int, fresh: bool = False) -> list[int]:
    """The seeds every candidate runs on (or the fresh ones plans are re-scored on)."""
    start = seed * 10_000_019 + (FRESH_OFFSET if fresh else 0)
    return list(range(start, start + n))


# -- evaluating candidates ------------------------------------------------------------------------

class Evaluator:
    """Simulates plans on seeds: ``runs(plans, seeds)`` gives one row per (candidate, seed)."""

    def runs(self, plans: Sequence[dict[str, Any]], seeds: Sequence[int],
             daily: bool = False) -> tuple[pd.DataFrame, pd.DataFrame | None]:
        """Per-run outcomes (columns ``candidate``, ``seed`` and the outcomes), and with
        ``daily`` the mean of a few daily columns per candidate and day."""
        raise NotImplementedError

    def close(self) -> None:
        """Stop worker processes, if any."""


class EngineEvaluator(Evaluator):
    """Plans on top of a problem's group, through ``run_batch`` (here or on worker processes).

    The runs of a batch are cut into one contiguous chunk per worker; since a run's numbers do not
    depend on the batch it is simulated in, the result is the same for any number of workers.
    """

    def __init__(self, problem: Problem, workers: int = 1) -> None:
        self.problem = problem
        self.workers = max(1, workers)
        self._pool = None
        self.simulated = 0

    def _pool_of(self):
        if self._pool is None:
            from sim.executors import new_pool

            self._pool = new_pool(self.workers)
        return self._pool

    def runs(self, plans, seeds, daily=False):
        from sim.executors import make_chunks, run_chunk

        params = [self.problem.params(p) for p in plans]
        all_params = [p for p in params for _ in seeds]
        all_seeds = [s for _ in params for s in seeds]
        ids = list(range(len(all_params)))
        size = math.ceil(len(ids) / self.workers) if self.workers > 1 else max(1, len(ids))
        chunks = make_chunks(ids, all_params, all_seeds, self.problem.days, size)
        if self.workers > 1 and len(chunks) > 1:
            results = list(self._pool_of().map(run_chunk, chunks))
        else:
            results = [run_chunk(c) for c in chunks]
        self.simulated += len(ids)
        runs = pd.concat([r.runs for r in results], ignore_index=True).sort_values("run_id")
        runs.insert(0, "candidate", runs["run_id"].to_numpy() // len(seeds))
        runs.insert(1, "seed", np.asarray(all_seeds)[runs["run_id"].to_numpy()])
        runs = runs.drop(columns="run_id").reset_index(drop=True)
        means = None
        if daily:
            table = pd.concat([r.daily for r in results], ignore_index=True)
            table["candidate"] = table["run_id"] // len(seeds)
            means = table.groupby(["candidate", "day"])[list(DAILY_SHOWN)].mean().reset_index()
        return runs, means

    def close(self) -> None:
        from sim.executors import end_pool

        pool, self._pool = self._pool, None
        end_pool(pool)  # after Ctrl-C, end the workers at once


# -- the search -----------------------------------------------------------------------------------

def _optuna():
    try:
        import optuna
    except ImportError:  # pragma: no cover - a dependency
        raise UserError("commsim optimize needs the package optuna: pip install optuna") from None
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    return optuna


def distributions(levers: Sequence[Lever]) -> dict[str, Any]:
    """Optuna's distribution of each lever."""
    optuna = _optuna()
    out = {}
    for lv in levers:
        if lv.off:
            out[lv.switch_key] = optuna.distributions.CategoricalDistribution([False, True])
        if lv.choices:
            out[lv.name] = optuna.distributions.CategoricalDistribution(list(lv.choices))
        elif lv.integer:
            out[lv.name] = optuna.distributions.IntDistribution(int(lv.low), int(lv.high))
        else:
            out[lv.name] = optuna.distributions.FloatDistribution(lv.low, lv.high)
    return out


def make_sampler(kind: str, seed: int, batch: int):
    """The sampler of one batch, seeded (a sampler's only state is its random generator). The
    budget reaches it as each trial's constraint (``Trial.set_constraint``)."""
    optuna = _optuna()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        if kind == "random":
            return optuna.samplers.RandomSampler(seed=seed)
        if kind == "nsga2":
            return optuna.samplers.NSGAIISampler(population_size=max(4, batch), seed=seed)
        return optuna.samplers.TPESampler(seed=seed, multivariate=True, constant_liar=True,
                                          n_startup_trials=max(batch, 10))


def plan_of(problem: Problem, params: dict[str, Any]) -> dict[str, Any]:
    """A plan's lever values from the sampler's parameters: a lever switched off is 0, and the
    start and end days of a lever that is off keep the group's values (they change nothing), so
    that plans that act alike look alike."""
    from sim.levers import LEVERS

    plan = {}
    for lv in problem.levers:
        value = _native(params[lv.name])
        if lv.off and not params[lv.switch_key]:
            value = 0 if lv.integer else 0.0
        plan[lv.name] = float(value) if lv.as_float else value
    start = problem.start_values()
    group = problem.scenario.params.model_dump()
    for lever in LEVERS:
        if not plan.get(lever.switch, group[lever.switch]):
            for key in (f"{lever.name}_start", f"{lever.name}_end"):
                if key in plan:
                    plan[key] = start[key]
    return plan


def directions(problem: Problem) -> list[str]:
    """The study's directions: each objective, then cost (minimised)."""
    return [("maximize" if o.maximise else "minimize") for o in problem.objectives] + ["minimize"]


def _batch_seed(seed: int, k: int) -> int:
    return int(np.random.SeedSequence(seed, spawn_key=(k,)).generate_state(1)[0])


@dataclass
class Trials:
    """Every evaluated candidate: its lever values, objective means and costs (one row each)."""

    table: pd.DataFrame

    @classmethod
    def empty(cls) -> Trials:
        return cls(pd.DataFrame())

    def __len__(self) -> int:
        return len(self.table)


def score(runs: pd.DataFrame, problem: Problem) -> dict[str, float]:
    """Objective means, mean and largest cost of one candidate's runs."""
    out = {f"obj_{o.name}": float(np.nanmean(outcome_values(runs, o.name, problem.days)))
           for o in problem.objectives}
    cost = runs["cost"].to_numpy(dtype=float)
    out.update(cost_mean=float(cost.mean()), cost_max=float(cost.max()))
    out["feasible"] = bool(out["cost_max"] <= problem.budget + 1e-9)
    return out


def search(problem: Problem, evaluator: Evaluator, done: pd.DataFrame | None = None,
           save: Callable[[pd.DataFrame], None] | None = None,
           progress: Callable[[int], None] | None = None) -> pd.DataFrame:
    """Run the search up to ``problem.trials`` candidates; returns the trials table.

    Args:
        problem: the problem.
        evaluator: simulates candidates.
        done: trials of an earlier, interrupted search of the same problem (resumed).
        save: called with the whole table after every batch (to keep it on disk).
        progress: called with the number of candidates evaluated by each batch.
    """
    optuna = _optuna()
    dists = distributions(problem.levers)
    study = optuna.create_study(directions=directions(problem),
                                sampler=make_sampler(problem.sampler, problem.seed, problem.batch))
    rows: list[dict[str, Any]] = []
    if done is not None and len(done):
        for row in done.to_dict("records"):
            study.add_trial(optuna.trial.create_trial(
                params=json.loads(row["params"]),
                distributions=dists, values=json.loads(row["values"]),
                user_attrs=json.loads(row["user_attrs"]),
                system_attrs=json.loads(row["system_attrs"])))
            rows.append(row)
    seeds = replicate_seeds(problem.seed, problem.replicates)
    while len(rows) < problem.trials:
        k = len(rows) // problem.batch
        study.sampler = make_sampler(problem.sampler, _batch_seed(problem.seed, k), problem.batch)
        n = min(problem.batch, problem.trials - len(rows))
        asked = [study.ask(dists) for _ in range(n)]
        plans = [plan_of(problem, t.params) for t in asked]
        runs, _ = evaluator.runs(plans, seeds)
        for i, (trial, plan) in enumerate(zip(asked, plans)):
            s = score(runs[runs["candidate"] == i], problem)
            values = [s[f"obj_{o.name}"] for o in problem.objectives] + [s["cost_mean"]]
            values = [v if math.isfinite(v) else 0.0 for v in values]
            trial.set_constraint("budget", s["cost_max"] - problem.budget)  # <= 0: feasible
            study.tell(trial, values)
            frozen = study.trials[trial.number]
            rows.append({"trial": trial.number, "batch": k, **plan, **s,
                         "params": json.dumps({k2: _native(v) for k2, v in trial.params.items()}),
                         "values": json.dumps(values),
                         "user_attrs": json.dumps(frozen.user_attrs),
                         "system_attrs": json.dumps(frozen.system_attrs, default=str)})
        if save:
            save(pd.DataFrame(rows))
        if progress:
            progress(n)
    return pd.DataFrame(rows)


def _native(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


# -- the front ------------------------------------------------------------------------------------

def _axes(table: pd.DataFrame, objectives: Sequence[Objective]) -> np.ndarray:
    """Columns to minimise: -objective for a maximised one, cost."""
    cols = [(-1 if o.maximise else 1) * table[f"obj_{o.name}"].to_numpy(dtype=float)
            for o in objectives]
    return np.column_stack([*cols, table["cost_mean"].to_numpy(dtype=float)])


def pareto_front(trials: pd.DataFrame, problem: Problem) -> pd.DataFrame:
    """The feasible trials no other feasible trial beats on every axis, by cost; duplicates of
    the same plan are kept once."""
    feasible = trials[trials["feasible"]].copy()
    if feasible.empty:
        return feasible
    names = [lv.name for lv in problem.levers]
    feasible = feasible.drop_duplicates(subset=names, keep="first")
    x = _axes(feasible, problem.objectives)
    keep = np.ones(len(x), dtype=bool)
    for i in range(len(x)):
        dominated = np.all(x <= x[i], axis=1) & np.any(x < x[i], axis=1)
        keep[i] = not dominated.any()
    return feasible[keep].sort_values(["cost_mean", "trial"]).reset_index(drop=True)


def spread(front: pd.DataFrame, n: int) -> pd.DataFrame:
    """Up to ``n`` plans spread along the front by cost (always the cheapest and the costliest)."""
    if len(front) <= n:
        return front
    picks = sorted({int(round(i)) for i in np.linspace(0, len(front) - 1, n)})
    return front.iloc[picks].reset_index(drop=True)


def hypervolume(trials: pd.DataFrame, problem: Problem, reference: float) -> float:
    """Area dominated by the feasible trials in (cost, first objective), bounded by the budget
    and the ``reference`` value of the objective (in objective units x yuan): larger is better.
    Only for one objective."""
    o = problem.objectives[0]
    feasible = trials[trials["feasible"]]
    if feasible.empty:
        return 0.0
    gain = (feasible[f"obj_{o.name}"] - reference) * (1 if o.maximise else -1)
    points = sorted(zip(feasible["cost_mean"], gain))
    area, best = 0.0, 0.0
    edges = [c for c, _ in points] + [problem.budget]
    for (cost, g), nxt in zip(points, edges[1:]):
        best = max(best, g)
        area += best * max(0.0, min(nxt, problem.budget) - cost)
    return float(area)


# -- re-scoring on fresh seeds --------------------------------------------------------------------

@dataclass
class Rescored:
    """The plans re-scored on fresh seeds, with the group without a plan ("start")."""

    plans: list[dict[str, Any]]  # lever values of each plan (index 0 is the start)
    names: list[str]
    runs: pd.DataFrame  # candidate, seed, outcomes
    daily: pd.DataFrame  # candidate, day, mean of DAILY_SHOWN
    scores: pd.DataFrame  # one row per plan and outcome
    contributions: pd.DataFrame  # one row per plan and lever
    dropped: list[str] = field(default_factory=list)


def rescore(problem: Problem, evaluator: Evaluator, chosen: pd.DataFrame,
            resamples: int = 2000) -> Rescored:
    """Run the chosen plans and the start on fresh seeds; paired intervals and contributions."""
    from sim.report.compare import paired_difference

    names_lv = [lv.name for lv in problem.levers]
    start = problem.start_values()
    plans = [start] + [{k: _native(row[k]) for k in names_lv} for _, row in chosen.iterrows()]
    plans = [plans[0]] + [p for p in plans[1:] if p != start]  # the start is always scored
    seeds = replicate_seeds(problem.seed, problem.fresh_replicates, fresh=True)
    runs, daily = evaluator.runs(plans, seeds, daily=True)
    by = {i: g.sort_values("seed") for i, g in runs.groupby("candidate")}
    kept, dropped = [0], []
    for i in range(1, len(plans)):
        if by[i]["cost"].max() > problem.budget + 1e-9:
            dropped.append(f"a plan costing {by[i]['cost'].mean():,.0f} yuan on average spent "
                           f"up to {by[i]['cost'].max():,.0f} yuan on the fresh seeds")
        else:
            kept.append(i)
    kept = [0] + sorted(kept[1:], key=lambda i: (by[i]["cost"].mean(), i))
    names = ["start"] + [f"plan_{j:02d}" for j in range(1, len(kept))]
    outcomes = [o.name for o in problem.objectives] + ["cost"]
    rows = []
    for j, i in enumerate(kept):
        for name in outcomes:
            x = outcome_values(by[i], name, problem.days)
            row = {"plan": names[j], "outcome": name, "mean": float(np.nanmean(x)),
                   "runs": int(len(x))}
            for ref, tag in ((0, "start"), (kept[j - 1] if j > 1 else None, "previous")):
                if j == 0 or ref is None:
                    continue
                ci = paired_difference(x, outcome_values(by[ref], name, problem.days),
                                       resamples, 0)
                row.update({f"vs_{tag}": ci.estimate, f"vs_{tag}_low": ci.low,
                            f"vs_{tag}_high": ci.high})
            rows.append(row)
    scores = pd.DataFrame(rows)
    contributions = _contributions(problem, evaluator, [plans[i] for i in kept[1:]],
                                   names[1:], start, seeds, by, kept[1:], resamples)
    runs = runs[runs["candidate"].isin(kept)].copy()
    relabel = {i: j for j, i in enumerate(kept)}
    runs["candidate"] = runs["candidate"].map(relabel)
    if daily is None:
        daily = pd.DataFrame(columns=["candidate", "day", *DAILY_SHOWN])
    daily = daily[daily["candidate"].isin(kept)].copy()
    daily["candidate"] = daily["candidate"].map(relabel)
    return Rescored([plans[i] for i in kept], names, runs, daily, scores, contributions, dropped)


def _contributions(problem, evaluator, plans, names, start, seeds, by, index, resamples):
    """For each plan and each lever it moves: the plan minus the plan with that lever at its
    start value, on the first objective and on cost (paired over the fresh seeds)."""
    from sim.report.compare import paired_difference

    variants, owners = [], []
    for j, plan in enumerate(plans):
        for name, value in plan.items():
            if value != start[name]:
                variants.append({**plan, name: start[name]})
                owners.append((j, name))
    if not variants:
        return pd.DataFrame(columns=["plan", "lever", "value", "start", "outcome", "contribution",
                                     "low", "high"])
    runs, _ = evaluator.runs(variants, seeds)
    rows = []
    for v, (j, name) in enumerate(owners):
        without = runs[runs["candidate"] == v].sort_values("seed")
        full = by[index[j]]
        for o in [*(o.name for o in problem.objectives), "cost"]:
            ci = paired_difference(outcome_values(full, o, problem.days),
                                   outcome_values(without, o, problem.days), resamples, 0)
            rows.append({"plan": names[j], "lever": name, "value": plans[j][name],
                         "start": start[name], "outcome": o, "contribution": ci.estimate,
                         "low": ci.low, "high": ci.high})
    return pd.DataFrame(rows)


# -- the whole command ----------------------------------------------------------------------------

@dataclass
class Optimised:
    """What ``commsim optimize`` found."""

    problem: Problem
    trials: pd.DataFrame
    front: pd.DataFrame
    rescored: Rescored
    seconds: float
    simulated: int
    path: Path | None = None


def optimise(problem: Problem, evaluator: Evaluator, done: pd.DataFrame | None = None,
             save: Callable[[pd.DataFrame], None] | None = None,
             progress: Callable[[int], None] | None = None,
             max_plans: int = MAX_PLANS) -> Optimised:
    """Search, take the front, re-score up to ``max_plans`` of its plans on fresh seeds.

    Raises:
        UserError: no candidate stayed within the budget.
    """
    began = time.perf_counter()
    trials = search(problem, evaluator, done, save, progress)
    front = pareto_front(trials, problem)
    if front.empty:
        cheapest = trials["cost_max"].min()
        raise UserError(f"no plan of the {len(trials)} tried stays within the budget of "
                        f"{problem.budget:,.0f} yuan (the cheapest spent up to {cheapest:,.0f} "
                        "yuan): raise budget, or narrow the levers' ranges to cheaper values")
    rescored = rescore(problem, evaluator, spread(front, max_plans))
    simulated = getattr(evaluator, "simulated", 0)
    return Optimised(problem, trials, front, rescored, time.perf_counter() - began, simulated)
