"""NSGA-II against random search on the shipped problem (experiments/optimize_300.toml), with the
same number of evaluations, the same replicate seeds and several optimiser seeds.

The measure is the hypervolume of the feasible candidates in the plane of cost (up to the
budget) against members posting on day 90 (above the group without a plan): the area of plans
that some candidate beats on both, in members x yuan. Larger is better.

    python benchmarks/optimize_vs_random.py [--trials 120] [--seeds 3]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from sim.decide.optimize import EngineEvaluator, hypervolume, search
from sim.decide.problem import load_problem


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=120)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--sampler", default="nsga2", choices=["nsga2", "tpe"])
    args = parser.parse_args()
    found: dict[str, list[float]] = {args.sampler: [], "random": []}
    started = time.perf_counter()
    reference = None
    for seed in range(args.seeds):
        for sampler in found:
            problem = load_problem("optimize_300", trials=args.trials, seed=seed,
                                   sampler=sampler)
            evaluator = EngineEvaluator(problem)
            if reference is None:  # the group without a plan, on the search seeds
                runs, _ = evaluator.runs([problem.start_values()],
                                         list(range(problem.replicates)))
                reference = float(runs["active_members_d90"].mean())
            trials = search(problem, evaluator)
            found[sampler].append(hypervolume(trials, problem, reference))
            best = trials[trials["feasible"]]["obj_active_members_d90"].max()
            print(f"seed {seed} {sampler:>6}: hypervolume {found[sampler][-1]:>9,.0f} "
                  f"members x yuan; best plan within budget {best:.1f} members posting on "
                  "day 90", flush=True)
    a, b = np.array(found[args.sampler]), np.array(found["random"])
    print(f"\n{args.trials} evaluations, {args.seeds} optimiser seeds: {args.sampler} mean "
          f"{a.mean():,.0f}, random search mean {b.mean():,.0f} members x yuan (ratio "
          f"{a.mean() / b.mean():.2f}); {args.sampler} ahead in {int((a > b).sum())} of "
          f"{args.seeds} seeds; {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
