"""commsim optimize: the search finds a planted lever, beats random search, keeps to the budget,
and gives the same plans for any number of workers and after a resume.

The statistical tests use a fixed synthetic problem (a formula in place of the engine, so the
best plan is known); the budget, workers and command tests use the engine on small problems.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim.decide.optimize import (
    EngineEvaluator,
    Evaluator,
    hypervolume,
    optimise,
    pareto_front,
    search,
)
from sim.decide.problem import Lever, Objective, Problem, load_problem
from sim.errors import UserError
from sim.scenarios import load_scenario

DAYS = 90
PLANTED_EFFECT = 12.0  # active members added by a knowledge post every day (the best cadence)


class Synthetic(Evaluator):
    """A fixed problem: knowledge posts (content_every) add members who post, more the more often;
    eight other levers (red packets, events, leaders, moderation, shills, a check-in, referral,
    owner mentions) cost money and do nothing. Noise is shared by
    seed (common random numbers); ``cost_noise`` makes cost vary by seed too."""

    def __init__(self, cost_noise: float = 0.0) -> None:
        self.cost_noise = cost_noise

    def runs(self, plans, seeds, daily=False):
        rows = []
        for i, plan in enumerate(plans):
            k = int(plan.get("content_every", 0))
            effect = PLANTED_EFFECT * (1 - 0.05 * (k - 1)) if k > 0 else 0.0
            cost = (30.0 * math.ceil(DAYS / k) if k else 0.0)
            r = int(plan.get("red_packet_every", 0))
            cost += 20.0 * math.ceil(DAYS / r) if r else 0.0
            e = int(plan.get("event_every", 0))
            cost += 500.0 * math.ceil(DAYS / e) if e else 0.0
            cost += 10.0 * DAYS * int(plan.get("leaders", 0))
            cost += 20.0 * DAYS if plan.get("moderation", 0.0) > 0 else 0.0
            cost += 20.0 * DAYS * int(plan.get("shills", 0))
            cost += 10.0 * DAYS if plan.get("checkin", False) else 0.0
            cost += 300.0 if plan.get("referral_rate", 0.0) > 0 else 0.0
            cost += 10.0 * DAYS if plan.get("owner_mentions", 0.0) > 0 else 0.0
            for s in seeds:
                noise = np.random.default_rng(s).normal(0, 1.0)
                extra = self.cost_noise * cost * np.random.default_rng(s + 7).uniform(-1, 1)
                rows.append({"candidate": i, "seed": s, "active_members_d90": 2 + effect + noise,
                             "cost": cost + extra, "revenue": 0.0, "silent": False})
        return pd.DataFrame(rows), None


def synthetic_problem(sampler: str = "nsga2", seed: int = 0, trials: int = 120,
                      budget: float = 3000.0) -> Problem:
    return Problem(
        name="planted", description="", scenario=load_scenario("baseline"), budget=budget,
        days=DAYS, objectives=[Objective("active_members_d90")],
        levers=[Lever("content_every", 1, 7, integer=True, off=True),
                Lever("red_packet_every", 1, 30, integer=True, off=True),
                Lever("event_every", 1, 60, integer=True, off=True),
                Lever("leaders", 1, 3, integer=True, off=True),
                Lever("moderation", 0.01, 1.0, off=True),
                Lever("shills", 1, 3, integer=True, off=True),
                Lever("checkin", choices=(False, True)),
                Lever("referral_rate", 0.01, 1.0, off=True),
                Lever("owner_mentions", 0.05, 5.0, off=True)],
        replicates=4, fresh_replicates=20, trials=trials, batch=8, seed=seed, sampler=sampler)


def test_finds_the_planted_cheap_effective_lever_among_useless_ones():
    """The best plan posts content (the planted lever) and gets within 10% of the best possible
    gain; what each lever contributes names content_every (interval above 0) and nothing else."""
    problem = synthetic_problem()
    result = optimise(problem, Synthetic())
    s = result.rescored.scores
    plans = s[(s.outcome == "active_members_d90") & (s.plan != "start")]
    best = plans.loc[plans["mean"].idxmax()]
    best_plan = result.rescored.plans[result.rescored.names.index(best.plan)]
    assert best_plan["content_every"] > 0
    assert best["vs_start"] >= 0.9 * PLANTED_EFFECT
    c = result.rescored.contributions
    c = c[c.outcome == "active_members_d90"]
    planted = c[c.lever == "content_every"]
    useless = c[c.lever != "content_every"]
    assert len(planted) and (planted["low"] > 0).all()
    assert useless.empty or (useless[["low", "high"]].abs().max().max() < 1e-9)


def test_beats_random_search_at_the_same_number_of_evaluations():
    """Over five optimiser seeds, NSGA-II's front covers more of the cost-effect plane (hypervolume
    within the budget, above the no-plan value) than random search with the same evaluations and
    seeds, on average and in at least four of the five."""
    tpe, rnd = [], []
    for seed in range(5):
        for kind, out in (("nsga2", tpe), ("random", rnd)):
            problem = synthetic_problem(kind, seed, trials=96)
            trials = search(problem, Synthetic())
            out.append(hypervolume(trials, problem, reference=2.0))
    wins = sum(a > b for a, b in zip(tpe, rnd))
    print(f"hypervolume (members x yuan): NSGA-II {np.mean(tpe):,.0f}, random {np.mean(rnd):,.0f}; "
          f"NSGA-II wins {wins} of 5")
    assert np.mean(tpe) > np.mean(rnd)
    assert wins >= 4


def test_no_plan_exceeds_the_budget_even_when_cost_varies_by_seed():
    """With a cost that varies by seed, every front plan stays within the budget in every search
    run, and every plan returned stays within it in every fresh run."""
    problem = synthetic_problem(trials=64, budget=2000.0)
    result = optimise(problem, Synthetic(cost_noise=0.2))
    assert (result.front["cost_max"] <= problem.budget).all()
    assert (~result.trials["feasible"]).any()  # the budget did bind
    fresh = result.rescored.runs
    assert (fresh["cost"] <= problem.budget).all()


def test_same_seed_same_plans_and_a_resume_matches_an_uninterrupted_search():
    """The same seed asks the same candidates; a search stopped after 2 batches and resumed
    from its trials table ends with the same table as one run straight through."""
    full = search(synthetic_problem(trials=32), Synthetic())
    again = search(synthetic_problem(trials=32), Synthetic())
    pd.testing.assert_frame_equal(full, again)
    half = search(synthetic_problem(trials=16), Synthetic())
    resumed = search(synthetic_problem(trials=32), Synthetic(), done=half)
    cols = ["trial", "content_every", "red_packet_every", "event_every", "leaders", "moderation",
            "obj_active_members_d90", "cost_mean", "cost_max", "feasible"]
    pd.testing.assert_frame_equal(full[cols], resumed[cols])
    other = search(synthetic_problem(trials=32, seed=1), Synthetic())
    assert not full[cols[1:6]].equals(other[cols[1:6]])


def test_pareto_front_keeps_only_undominated_feasible_plans():
    """A plan both dearer and worse than another is dropped; an over-budget plan never shows."""
    problem = synthetic_problem()
    t = pd.DataFrame({"trial": range(4), **{lv.name: 0 for lv in problem.levers},
                      "content_every": [1, 2, 3, 4],
                      "obj_active_members_d90": [10.0, 8.0, 12.0, 20.0],
                      "cost_mean": [100.0, 200.0, 300.0, 100.0],
                      "cost_max": [100.0, 200.0, 300.0, 5000.0],
                      "feasible": [True, True, True, False]})
    front = pareto_front(t, problem)
    assert front["trial"].tolist() == [0, 2]


def _engine_problem() -> Problem:
    return load_problem(None, scenario="baseline", budget=1500.0, days=30,
                        objectives=["max active_members_d30"],
                        levers=[("shills", {"low": 0, "high": 2}),
                                ("content_every", {"low": 0, "high": 7}),
                                ("checkin", [False, True])],
                        trials=8, replicates=3, fresh_replicates=4, batch=4, seed=3)


def test_engine_results_are_identical_for_one_and_two_workers():
    """The engine's trials and re-scored plans are the same with 1 and 2 worker processes, and
    no returned plan spends more than the budget in any run."""
    results = []
    for workers in (1, 2):
        evaluator = EngineEvaluator(_engine_problem(), workers)
        try:
            results.append(optimise(_engine_problem(), evaluator))
        finally:
            evaluator.close()
    one, two = results
    pd.testing.assert_frame_equal(one.trials, two.trials)
    pd.testing.assert_frame_equal(one.rescored.scores, two.rescored.scores)
    assert (one.rescored.runs["cost"] <= 1500.0).all()
    assert (one.front["cost_max"] <= 1500.0).all()


def test_problem_mistakes_are_one_line_user_errors(tmp_path):
    """Unknown outcomes and levers, bad bounds and a missing budget name the key and value."""
    base = dict(scenario="baseline", budget=1000.0, objectives=["max active_members_d90"],
                levers=[("shills", {"low": 0, "high": 2})])
    cases = [
        ({"objectives": ["max activ_members_d90"]}, "unknown outcome"),
        ({"objectives": ["up active_members_d90"]}, "max or min"),
        ({"levers": [("shils", {"low": 0, "high": 2})]}, "did you mean 'shills'"),
        ({"levers": [("shills", {"low": 3, "high": 2})]}, "must be below"),
        ({"levers": [("shills", {"low": 0, "high": 99})]}, "from 0 to 50"),
        ({"budget": None}, "budget"),
    ]
    for change, message in cases:
        with pytest.raises(UserError, match=message):
            load_problem(None, **{**base, **change})
    bad = tmp_path / "p.toml"
    bad.write_text('scenario = "baseline"\nbudget = 100\nbudgte = 3\n')
    with pytest.raises(UserError, match="did you mean 'budget'"):
        load_problem(bad)


def test_optimize_command_writes_plans_that_run_and_resumes(tmp_path, capsys):
    """`commsim optimize` with flags prints the front and the plans with intervals, writes plan
    scenario files that `commsim run` accepts and an experiment of them; an existing folder needs
    --resume or --force (one line, exit 2); --resume of a finished search gives the same
    plans."""
    from sim.cli import main

    out = tmp_path / "opt"
    args = ["optimize", "--scenario", "baseline", "--budget", "1500", "--days", "30",
            "--lever", "content_every=0:7", "--lever", "checkin=false,true",
            "--objective", "max active_members_d30", "--trials", "8", "--batch", "4",
            "--replicates", "3", "--fresh-replicates", "4", "--quiet", "--out", str(out)]
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "Pareto front" in text and "95% CI" in text and "yuan" in text
    plans = sorted((out / "plans").glob("plan_*.toml"))
    assert plans and (out / "plans" / "plans.toml").is_file()
    assert (out / "optimize.html").is_file() and (out / "trials.parquet").is_file()
    first = pd.read_csv(out / "scores.csv")
    assert main(["run", str(plans[0]), "--replicates", "2", "--days", "5",
                 "--out", str(tmp_path / "run")]) == 0
    capsys.readouterr()
    assert main(args) == 2
    assert capsys.readouterr().err.startswith("commsim: error:")
    assert main([*args, "--resume"]) == 0
    pd.testing.assert_frame_equal(first, pd.read_csv(out / "scores.csv"))


def test_optimize_force_keeps_a_folder_that_is_not_its_own_and_refuses_a_link(tmp_path, capsys):
    """--force replaces only an optimize folder: a web app's folder with a manifest.json of its
    own is kept, --resume of a folder whose manifest is cut off is one line, and an --out that is
    a symbolic link is refused (one line, exit 2), as for sweep's results folders."""
    from sim.cli import main

    args = ["optimize", "--scenario", "baseline", "--budget", "1500", "--days", "30",
            "--lever", "content_every=0:7", "--objective", "max active_members_d30",
            "--trials", "4", "--batch", "4", "--replicates", "2", "--quiet"]
    app = tmp_path / "app"
    app.mkdir()
    (app / "manifest.json").write_text('{"name": "my web app"}')
    (app / "index.html").write_text("keep me")
    assert main([*args, "--out", str(app), "--force"]) == 2
    assert "not a commsim results folder" in capsys.readouterr().err
    assert (app / "index.html").read_text() == "keep me"
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "manifest.json").write_text('{"kind": "optimi')  # cut off mid-write
    assert main([*args, "--out", str(broken), "--resume"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("commsim: error: --resume") and "not a commsim optimize folder" in err
    link = tmp_path / "link"
    link.symlink_to(app, target_is_directory=True)
    assert main([*args, "--out", str(link), "--force"]) == 2
    assert "symbolic link" in capsys.readouterr().err
    assert (app / "index.html").read_text() == "keep me"


def test_report_and_discover_on_an_optimize_folder_point_to_its_page(tmp_path, capsys):
    """An optimize folder is not a sweep: report, compare and discover say where its page and
    plans are, in one line with exit 2."""
    from sim.cli import main

    (tmp_path / "manifest.json").write_text('{"kind": "optimize", "status": "complete"}')
    for args in (["report", str(tmp_path)], ["discover", str(tmp_path), "silent"]):
        assert main(args) == 2
        err = capsys.readouterr().err
        assert "optimize.html" in err and "plans.toml" in err and err.count("\n") == 1


def test_two_objectives_give_a_front_on_both_and_cost():
    """With two objectives the front is undominated on both and cost, and each plan is
    re-scored on both (profit = revenue - cost is derived from the runs)."""
    from dataclasses import replace

    problem = replace(synthetic_problem(trials=32),
                      objectives=[Objective("active_members_d90"), Objective("profit")])
    result = optimise(problem, Synthetic())
    front = result.front
    assert {"obj_active_members_d90", "obj_profit"} <= set(front.columns)
    assert (front["obj_profit"] == -front["cost_mean"]).all()
    s = result.rescored.scores
    assert set(s["outcome"]) == {"active_members_d90", "profit", "cost"}
