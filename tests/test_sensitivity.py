"""Sensitivity analysis: SALib designs made by the experiment file, indices that match known values
(Ishigami, a linear model) through our code path, and ``commsim sensitivity`` on a real sweep."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from sim.designs import sensitivity_points, unit_design
from sim.errors import UserError
from sim.experiments import load_experiment
from sim.report.results import Results
from sim.report.sensitivity import analyse, indices
from sim.sweep import run_experiment
from tests.conftest import HANG

MORRIS = """
name = "tiny_morris"
scenarios = ["baseline"]
method = "morris"
samples = 4
replicates = 2
days = 30
seed = 3
[vary.shills]
low = 0
high = 4
[vary.entry_fee]
low = 0
high = 199
"""
# Ishigami (a = 7, b = 0.1) on [-pi, pi]^3: the analytic first-order and total indices
ISHIGAMI_S1 = (0.3139, 0.4424, 0.0)
ISHIGAMI_ST = (0.5576, 0.4424, 0.2437)


def write(tmp_path, name: str, text: str):
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_sobol_indices_of_ishigami_match_the_analytic_values():
    """Our Saltelli design and Sobol analysis give Ishigami's S1 and ST within 0.04."""
    names = ["x1", "x2", "x3"]
    u = unit_design("sobol", names, 2048, seed=1)
    assert u.shape == (2048 * 5, 3)
    table = indices("sobol", names, u, ishigami(-np.pi + 2 * np.pi * u), seed=0)
    assert np.allclose(table["S1"], ISHIGAMI_S1, atol=0.04)
    assert np.allclose(table["ST"], ISHIGAMI_ST, atol=0.04)
    assert (table["S1_conf"] > 0).all() and (table["ST_conf"] < 0.1).all()


def test_morris_indices_of_known_functions_match_their_elementary_effects():
    """Morris through our path, on functions whose elementary effects are known by hand.

    Linear y = 3 x1 - 2 x2 + 0 x3 on the unit cube: every elementary effect of x_i is exactly its
    coefficient, so mu* = |a_i|, mu = a_i and sigma = 0. y = x1 * x2: the effect of x1 is x2, so
    sigma(x1) > 0 (an interaction) while the linear model has none. This replaces a comparison
    of our numbers with SALib's own analysis of the same design (SALib compared with itself),
    which could not fail when outcomes and design rows, or parameter names and columns, are
    paired wrongly. Tolerance 1e-9: the effects are exact up to floating-point rounding."""
    names = ["x1", "x2", "x3"]
    u = unit_design("morris", names, 50, seed=2)
    linear = indices("morris", names, u, 3 * u[:, 0] - 2 * u[:, 1], seed=5)
    assert np.allclose(linear["mu_star"], [3.0, 2.0, 0.0], atol=1e-9)
    assert np.allclose(linear["sigma"], 0.0, atol=1e-9)
    product = indices("morris", names, u, u[:, 0] * u[:, 1], seed=5)
    assert product["sigma"].iloc[0] > 0.1 and product["sigma"].iloc[2] == pytest.approx(0.0)
    ish = indices("morris", names, u, ishigami(-np.pi + 2 * np.pi * u), seed=5)
    assert ish["mu_star"].idxmax() == 1  # x2 (a sin^2 term) moves Ishigami the most


def test_method_without_a_sampler_gives_the_salib_design():
    """method = "sobol": N (D + 2) points; "morris": N (D + 1); in range, integers kept."""
    ranges = {"shills": (0, 4), "owner_answer_share": (0.0, 1.0)}
    sobol = sensitivity_points(ranges, "sobol", 8, seed=1, where="x")
    morris = sensitivity_points(ranges, "morris", 5, seed=1, where="x")
    assert len(sobol) == 8 * 4 and len(morris) == 5 * 3
    for point in sobol + morris:
        assert isinstance(point["shills"], int) and 0 <= point["shills"] <= 4
        assert 0.0 <= point["owner_answer_share"] <= 1.0


def test_an_experiment_file_with_method_runs_the_salib_design(tmp_path):
    """load_experiment crosses listed levels with the SALib design of the ranges."""
    text = ('scenarios = ["baseline"]\nmethod = "morris"\nsamples = 4\nreplicates = 2\n'
            "[vary]\nentry_fee = [0.0, 99.0]\n[vary.shills]\nlow = 0\nhigh = 4\n"
            "[vary.content_every]\nlow = 0\nhigh = 7\n")
    e = load_experiment(write(tmp_path, "m", text))
    assert len(e.points) == 2 * 4 * (2 + 1)  # two fees x 4 trajectories of 3 points
    assert [p["entry_fee"] for p in e.points[:12]] == [0.0] * 12
    assert [{**p, "entry_fee": 99.0} for p in e.points[:12]] == e.points[12:]  # same design


def test_a_plain_sampler_with_method_keeps_its_own_points(tmp_path):
    """sampler = "sobol" and method = "sobol" together: the plain Sobol sample is kept."""
    text = ('scenarios = ["baseline"]\nsampler = "sobol"\nmethod = "sobol"\nsamples = 8\n'
            "[vary.shills]\nlow = 0\nhigh = 4\n")
    e = load_experiment(write(tmp_path, "plain", text))
    assert len(e.points) == e.samples


def test_the_bundled_sensitivity_experiment_is_a_saltelli_design_and_the_sample_is_not():
    """sensitivity_levers is made for `commsim sensitivity`; levers_sample is not, and says so."""
    made_for_it = load_experiment("sensitivity_levers")
    assert made_for_it.method == "sobol" and made_for_it.sampler is None
    sample = load_experiment("levers_sample")
    assert sample.method is None and "sensitivity_levers" in sample.description


def test_sobol_samples_must_be_a_power_of_two(tmp_path):
    """method = "sobol" with samples = 6 is refused with the reason."""
    text = MORRIS.replace('"morris"', '"sobol"').replace("samples = 4", "samples = 6")
    with pytest.raises(UserError, match="power of 2"):
        load_experiment(write(tmp_path, "s", text))


def test_analyse_recovers_variance_shares_of_a_linear_outcome_per_listed_level(tmp_path):
    """y = 3a + b at fee 0 and a + 3b at fee 99 (a, b uniform): S1 = 0.9 / 0.1, then swapped."""
    ranges = {"owner_answer_share": (0.0, 1.0), "moderation": (0.0, 1.0)}
    design = sensitivity_points(ranges, "sobol", 256, seed=4, where="x")
    points = [{"entry_fee": fee, **p} for fee in (0.0, 99.0) for p in design]
    rows = []
    for i, point in enumerate(points):
        a, b = point["owner_answer_share"], point["moderation"]
        y = 3 * a + b if point["entry_fee"] == 0 else a + 3 * b
        rows += [{"run_id": 2 * i + r, "scenario": "baseline", "replicate": r, "seed": r,
                  "days": 30, "point": i, **point, "total_messages": y} for r in range(2)]
    vary = {"entry_fee": [0.0, 99.0], **{k: {"low": lo, "high": hi} for k, (lo, hi) in
                                          ranges.items()}}
    manifest = {"experiment": {"scenarios": ["baseline"], "baseline": "baseline", "vary": vary,
                               "points": points, "replicates": 2, "days": 30, "seed": 4,
                               "method": "sobol", "sampler": None, "samples": 256}}
    table, _ = analyse(Results(tmp_path, manifest, pd.DataFrame(rows), pd.DataFrame()),
                       ["total_messages"])
    s1 = table.set_index(["at_entry_fee", "parameter"])["S1"]
    assert s1["0", "owner_answer_share"] == pytest.approx(0.9, abs=0.05)
    assert s1["0", "moderation"] == pytest.approx(0.1, abs=0.05)
    assert s1["99", "owner_answer_share"] == pytest.approx(0.1, abs=0.05)
    assert s1["99", "moderation"] == pytest.approx(0.9, abs=0.05)


def test_sensitivity_command_writes_the_indices_of_a_morris_sweep(tmp_path):
    """`commsim sensitivity` on a real Morris sweep prints mu* and sigma, writes the CSV."""
    e = load_experiment(write(tmp_path, "tiny_morris", MORRIS))
    folder = run_experiment(e, tmp_path / "res", ["test"], progress=False).path
    done = subprocess.run([sys.executable, "-m", "sim", "sensitivity", str(folder), "--outcome",
                           "total_messages,cost"], capture_output=True, text=True, timeout=HANG)
    assert done.returncode == 0, done.stderr
    assert "Morris screening" in done.stdout and "mu*" in done.stdout
    table = pd.read_csv(folder / "sensitivity.csv")
    assert set(table["parameter"]) == {"shills", "entry_fee"}
    cost = table[table["outcome"] == "cost"].set_index("parameter")
    assert cost.loc["shills", "mu_star"] > 0 and cost.loc["entry_fee", "mu_star"] == 0


def test_sensitivity_command_refuses_a_sweep_without_a_sensitivity_design(tmp_path, capsys):
    """A folder whose experiment has no method: exit 2 saying how to make one."""
    from sim.cli import main

    text = 'name = "plain"\nscenarios = ["baseline"]\nreplicates = 2\ndays = 10\n' \
           '[vary]\nshills = [0, 1]\n'
    e = load_experiment(write(tmp_path, "plain", text))
    folder = run_experiment(e, tmp_path / "res", ["test"], progress=False).path
    assert main(["sensitivity", str(folder)]) == 2
    assert "no sensitivity method" in capsys.readouterr().err
