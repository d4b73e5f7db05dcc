"""Experiment files: every shipped one resolves to scenarios x points x replicates runs, with common
random numbers across scenarios and design points; designs are reproducible; mistakes are named."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sim.errors import UserError
from sim.experiments import (
    experiments_dir,
    list_experiments,
    load_experiment,
    replicate_seed,
    run_outcome_names,
)
from sim.sweep import run_experiment

SHIPPED = list_experiments()
REQUIRED = ("smoke", "shills_count", "entry_fee", "content_cadence", "group_size",
            "playbook_vs_baseline")


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_required_experiment_is_shipped():
    """The experiments the issue asks for are all in experiments/."""
    assert set(REQUIRED) <= {p.stem for p in SHIPPED}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_experiment_builds_its_run_specs(path):
    """Runs = scenarios x points x replicates, ids 0..n-1, one seed per replicate everywhere."""
    e = load_experiment(path)
    specs = e.run_specs()
    assert len(specs) == len(e.scenarios) * len(e.points) * e.replicates == e.n_runs
    assert [s.run_id for s in specs] == list(range(len(specs)))
    assert e.description and e.baseline in [s.name for s in e.scenarios]
    seeds = pd.DataFrame({"replicate": [s.replicate for s in specs],
                          "seed": [s.seed for s in specs]})
    assert (seeds.groupby("replicate").seed.nunique() == 1).all()
    assert seeds.groupby("replicate").seed.first().is_unique
    for spec in specs[:: max(1, len(specs) // 50)]:
        for key, value in spec.point.items():
            assert getattr(spec.params, key) == value


def test_run_specs_are_the_same_on_every_load():
    """Loading an experiment twice gives the same runs, seeds, points and fingerprint."""
    a, b = load_experiment("entry_fee"), load_experiment("entry_fee")
    assert [(s.scenario, s.point, s.seed) for s in a.run_specs()] == \
        [(s.scenario, s.point, s.seed) for s in b.run_specs()]
    assert a.fingerprint() == b.fingerprint()


def test_seed_depends_on_master_seed_and_replicate_only():
    """Seeds are a function of (master seed, replicate): distinct and in 63 bits."""
    seeds = {replicate_seed(m, r) for m in range(3) for r in range(100)}
    assert len(seeds) == 300 and all(0 <= s < 2**63 for s in seeds)
    assert replicate_seed(5, 7) == replicate_seed(5, 7)


def test_factorial_crosses_lists_in_file_order():
    """Lists in [vary] make a full factorial, the first key varying slowest."""
    e = load_experiment("content_cadence")
    assert len(e.points) == 4 * 5
    assert e.points[:2] == [{"content_every": 0, "commercial_every": 0},
                            {"content_every": 0, "commercial_every": 1}]


def test_sampled_ranges_stay_in_bounds_and_keep_types():
    """LHS and Sobol points lie in [low, high]; int parameters get ints."""
    for name in ("entry_fee", "levers_sample"):
        e = load_experiment(name)
        assert len(e.points) == e.samples
        for key, spec in e.vary.items():
            values = [p[key] for p in e.points]
            assert min(values) >= spec["low"] and max(values) <= spec["high"]
            if isinstance(spec["low"], int) and key in ("shills", "content_every"):
                assert all(isinstance(v, int) for v in values)


def test_a_sampled_design_changes_with_the_master_seed(tmp_path):
    """The sampler is seeded by the master seed: another seed, other points."""
    text = ('scenarios = ["baseline"]\nsampler = "lhs"\nsamples = 4\nseed = {}\n'
            "[vary.entry_fee]\nlow = 0\nhigh = 10\n")
    a = load_experiment(write(tmp_path, "a", text.format(1)))
    b = load_experiment(write(tmp_path, "b", text.format(2)))
    assert a.points != b.points


def test_smoke_runs_end_to_end(tmp_path):
    """experiments/smoke.toml runs on one worker and fills both tables (its speed is measured in
    benchmarks/bench_sweep.py, not asserted: the suite runs on busy machines)."""
    e = load_experiment(experiments_dir() / "smoke.toml")
    result = run_experiment(e, tmp_path / "out", ["test"], workers=1, progress=False)
    runs = pd.read_parquet(result.path / "runs.parquet")
    daily = pd.read_parquet(result.path / "daily.parquet")
    assert len(runs) == e.n_runs and len(daily) == e.n_runs * e.days
    assert set(runs.scenario) == {"baseline", "daily_digest"}
    fee = runs.groupby("entry_fee").joined.mean()
    assert fee[99.0] < fee[0.0]  # P7: a fee shrinks inflow


def test_outcomes_select_the_per_run_columns(tmp_path):
    """outcomes = [...] keeps only those outcome columns beside the labels."""
    path = write(tmp_path, "o", 'scenarios = ["baseline"]\nreplicates = 2\ndays = 5\n'
                 'outcomes = ["joined", "cost"]\n[vary]\nshills = [0, 1]\n')
    result = run_experiment(load_experiment(path), tmp_path / "out", ["test"], progress=False)
    runs = pd.read_parquet(result.path / "runs.parquet")
    assert list(runs.columns) == ["run_id", "scenario", "shills", "replicate", "seed", "joined",
                                  "cost"]


def test_days_default_to_the_scenarios_days(tmp_path):
    """Without days, an experiment runs as long as its scenarios; unequal days must be set."""
    assert load_experiment(write(tmp_path, "d", 'scenarios = ["campaign_p19"]\n')).days == 14
    with pytest.raises(UserError, match="different default days.*set days"):
        load_experiment(write(tmp_path, "e", 'scenarios = ["baseline", "campaign_p19"]\n'))


def test_scenarios_may_be_files_beside_the_experiment(tmp_path):
    """A scenario can be given as a path relative to the experiment file."""
    write(tmp_path, "mine", "[params]\nshills = 3\n")
    e = load_experiment(write(tmp_path, "x", 'scenarios = ["mine.toml"]\nreplicates = 1\n'))
    assert e.scenarios[0].params.shills == 3


@pytest.mark.parametrize("text, words", [
    ("scenarios = [\"baseline\"\n", ["invalid TOML", "line"]),
    ("scenario = [\"baseline\"]\n", ["unknown key 'scenario'", "did you mean 'scenarios'"]),
    ("replicates = 2\n", ["missing key 'scenarios'"]),
    ("scenarios = [\"baseline\", \"shils\"]\n", ["unknown scenario 'shils'", "known scenarios"]),
    ("scenarios = [\"baseline\"]\nbaseline = \"shills\"\n", ["baseline = \"shills\"",
                                                             "not one of"]),
    ("scenarios = [\"baseline\"]\nreplicates = 0\n", ["replicates = 0", "whole number from 1"]),
    ("scenarios = [\"baseline\"]\nreplicates = \"3\"\n", ["replicates = \"3\"", "whole number"]),
    ("scenarios = [\"baseline\"]\n[vary]\nshils = [1]\n", ["unknown parameter 'shils'",
                                                         "did you mean 'shills'"]),
    ("scenarios = [\"baseline\"]\n[vary]\nshills = [1, 2.5]\n", ["'shills' = 2.5",
                                                               "whole number"]),
    ("scenarios = [\"baseline\"]\n[vary]\nshills = 2\n", ["vary.shills = 2", "a list"]),
    ("scenarios = [\"baseline\"]\nsampler = \"lhs\"\nsamples = 4\n[vary.entry_fee]\nlow = 0\n"
     "hihg = 9\n", ["[vary.entry_fee]", "unknown key 'hihg'", "did you mean 'high'"]),
    ("scenarios = [\"baseline\"]\n[vary.entry_fee]\nlow = 0\nhigh = 9\n", ["needs sampler"]),
    ("scenarios = [\"baseline\"]\nsampler = \"sobol\"\nsamples = 10\n[vary.entry_fee]\nlow = 0\n"
     "high = 9\n", ["samples = 10", "power of 2"]),
    ("scenarios = [\"baseline\"]\nsampler = \"grid\"\n", ["sampler = \"grid\"", "'lhs'"]),
    ("scenarios = [\"baseline\"]\nmethod = \"fast\"\n", ["method = \"fast\"", "'morris'"]),
    ("scenarios = [\"baseline\"]\noutcomes = [\"joind\"]\n", ["unknown outcome 'joind'",
                                                            "did you mean 'joined'"]),
])
def test_a_bad_experiment_file_names_file_key_and_value(tmp_path, text, words):
    """Each mistake in an experiment file is one UserError naming the file and what is wrong."""
    path = write(tmp_path, "bad", text)
    with pytest.raises(UserError) as err:
        load_experiment(path)
    message = str(err.value)
    assert str(path) in message
    for word in words:
        assert word in message, message


def test_outcome_names_are_the_columns_of_summarize_runs():
    """The known outcomes include the ones the CLI summary and the experiments use."""
    assert {"joined", "members_final", "ever_spoken_share_final", "time_to_silence",
            "cost", "revenue"} <= set(run_outcome_names())
