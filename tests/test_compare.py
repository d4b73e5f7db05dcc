"""Effects against a baseline: the bootstrap statistics against known answers, the pairing by seed,
censored time to silence, and ``commsim compare`` on a real sweep and on every bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.cli import main
from sim.errors import UserError
from sim.executors import make_chunks, run_chunk
from sim.experiments import load_experiment
from sim.report.compare import (
    compare,
    incremental_return,
    paired_difference,
    parse_at,
    unpaired_difference,
)
from sim.report.results import Results, open_results
from sim.store import ResultStore, labels_table
from sim.sweep import run_experiment
from tests.conftest import HANG

SWEEP = """
name = "tiny_compare"
scenarios = ["baseline", "shills"]
replicates = 6
days = 40
seed = 4
[vary]
entry_fee = [0.0, 9.0]
"""


def commsim(*args: str) -> subprocess.CompletedProcess:
    """The command line in a subprocess, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True,
                          timeout=HANG)


def cli(capsys, *args: str) -> tuple[int, str, str]:
    """The command line in this process (quicker): exit code, stdout, stderr. An exception other
    than a user error would propagate here, as a traceback would in a terminal."""
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def experiment(tmp_path_factory):
    path = tmp_path_factory.mktemp("exp") / "tiny_compare.toml"
    path.write_text(SWEEP, encoding="utf-8")
    return load_experiment(path)


@pytest.fixture(scope="module")
def folder(experiment, tmp_path_factory) -> Path:
    """A finished sweep: 2 scenarios x 2 fees x 6 replicates of 40 days."""
    out = tmp_path_factory.mktemp("sweep") / "res"
    return run_experiment(experiment, out, ["test"], progress=False).path


def interrupted(experiment, path: Path, cells: list[int]) -> Path:
    """A folder whose sweep stopped after the chunks (one per setting, 6 runs) in ``cells``."""
    store = ResultStore.create(path, experiment, ["test"])
    specs = experiment.run_specs()
    chunks = make_chunks([s.run_id for s in specs], [s.params for s in specs],
                         [s.seed for s in specs], experiment.days, experiment.replicates)
    labels = labels_table(specs, list(experiment.vary))
    for cid in cells:
        store.save_chunk(run_chunk(chunks[cid]), labels, None)
    store.mark("interrupted")
    return path


def fake_results(arms: dict[str, dict[str, list]], days: int = 100) -> Results:
    """Results of a one-point experiment whose arms hold the given per-run outcomes."""
    rows = []
    for name, outcomes in arms.items():
        n = len(next(iter(outcomes.values())))
        for r in range(n):
            rows.append({"run_id": len(rows), "scenario": name, "replicate": r, "seed": 100 + r,
                         "days": days, "point": 0, **{k: v[r] for k, v in outcomes.items()}})
    manifest = {"experiment": {"scenarios": list(arms), "baseline": next(iter(arms)),
                               "vary": {}, "points": [{}], "replicates": n, "days": days}}
    return Results(Path("fake"), manifest, pd.DataFrame(rows), pd.DataFrame())


# -- the statistics -------------------------------------------------------------------------------

def test_identical_arms_give_zero_with_a_zero_width_interval():
    """The same values in both arms: difference 0, interval [0, 0]."""
    x = np.random.default_rng(1).normal(50, 10, 30)
    ci = paired_difference(x, x.copy())
    assert ci.estimate == ci.low == ci.high == 0.0 and ci.n == 30 and ci.crosses_zero


def test_a_shifted_copy_gives_the_shift_with_an_interval_that_covers_it():
    """Arm = reference + 3.5: the paired effect is 3.5, exactly; unpaired intervals cover it."""
    b = np.random.default_rng(2).normal(50, 10, 40)
    paired = paired_difference(b + 3.5, b)
    assert paired.estimate == pytest.approx(3.5)
    assert paired.low == pytest.approx(3.5) and paired.high == pytest.approx(3.5)
    unpaired = unpaired_difference(b + 3.5, b)
    assert unpaired.low < 3.5 < unpaired.high and not paired.crosses_zero


def test_pairing_narrows_the_interval_when_the_arms_are_correlated():
    """Shared noise cancels in paired differences: a far narrower interval than unpaired."""
    rng = np.random.default_rng(3)
    shared = rng.normal(0, 10, 50)  # what common random numbers make the two arms share
    a, b = 1 + shared + rng.normal(0, 1, 50), shared + rng.normal(0, 1, 50)
    paired, unpaired = paired_difference(a, b), unpaired_difference(a, b)
    assert (paired.high - paired.low) < (unpaired.high - unpaired.low) / 4
    assert paired.low > 0 and unpaired.crosses_zero


def test_paired_intervals_cover_the_true_difference_about_95_percent_of_the_time():
    """Across 200 simulated experiments of 30 pairs, the interval holds the true mean shift."""
    rng = np.random.default_rng(4)
    hits = 0
    for k in range(200):
        b = rng.normal(0, 1, 30)
        ci = paired_difference(b + 0.5 + rng.normal(0, 1, 30), b, resamples=1000, seed=k)
        hits += ci.low <= 0.5 <= ci.high
    assert 0.88 <= hits / 200 <= 0.99


def test_the_bootstrap_is_reproducible_from_its_seed():
    """Same data and seed: the same interval; another seed: another one."""
    rng = np.random.default_rng(5)
    a, b = rng.normal(1, 1, 20), rng.normal(0, 1, 20)
    assert paired_difference(a, b, seed=7) == paired_difference(a, b, seed=7)
    assert paired_difference(a, b, seed=7) != paired_difference(a, b, seed=8)


def test_pairs_with_a_missing_value_are_left_out_and_counted():
    """NaN in either arm drops that pair; a single pair has no interval."""
    ci = paired_difference(np.array([1.0, np.nan, 3.0]), np.array([0.0, 1.0, np.nan]))
    assert ci.n == 1 and ci.estimate == 1.0 and np.isnan(ci.low) and ci.crosses_zero


def test_return_on_extra_cost_is_net_extra_revenue_per_extra_yuan():
    """Extra revenue 150 and extra cost 100 per run: (150 - 100) / 100 = 0.5."""
    ci = incremental_return((np.full(10, 150.0), np.zeros(10)), (np.full(10, 100.0), np.zeros(10)))
    assert ci.estimate == pytest.approx(0.5) and ci.low == pytest.approx(0.5)
    assert np.isnan(incremental_return((np.ones(3), np.ones(3)),
                                       (np.ones(3), np.ones(3))).estimate)  # no extra cost


def test_censored_time_to_silence_counts_as_the_run_length():
    """A run never silent within 100 days counts as 100 days, and the table says how many."""
    results = fake_results({"base": {"time_to_silence": [40.0, 50.0, 60.0]},
                            "arm": {"time_to_silence": [45.0, np.nan, np.nan]}})
    row = compare(results, ["time_to_silence"]).iloc[0]
    assert row["difference"] == pytest.approx((5 + 50 + 40) / 3)
    assert row["never_silent_scenario"] == 2 and row["never_silent_baseline"] == 0


def test_runs_are_paired_by_seed_not_by_row_order():
    """Shuffled rows of one arm still pair replicate r with replicate r."""
    results = fake_results({"base": {"total_messages": [10, 20, 30, 40]},
                            "arm": {"total_messages": [11, 21, 31, 41]}})
    results.runs = results.runs.sample(frac=1, random_state=0)
    row = compare(results, ["total_messages"]).iloc[0]
    assert row["difference"] == 1 and row["ci_low"] == row["ci_high"] == 1 and row["pairs"] == 4


def test_at_picks_the_reference_design_point(folder):
    """--at entry_fee=9 makes the baseline at that fee the reference of every setting."""
    results = open_results(folder)
    table = compare(results, ["joined"], at=parse_at(results, ("entry_fee=9",)))
    assert set(table["reference"]) == {"baseline, entry_fee=9"}
    with pytest.raises(UserError, match="matches no design points"):
        parse_at(results, ("entry_fee=5",))


# -- the command ----------------------------------------------------------------------------------

def test_compare_prints_the_table_and_writes_compare_csv(folder):
    """Every setting against the baseline at the first point, on each default outcome."""
    done = commsim("compare", str(folder))
    assert done.returncode == 0, done.stderr
    assert "shills, entry_fee=9  vs  baseline, entry_fee=0  (6 pairs)" in done.stdout
    assert "time to silence" in done.stdout and "never silent" in done.stdout
    table = pd.read_csv(folder / "compare.csv")
    assert set(table["setting"]) == {"baseline, entry_fee=9", "shills, entry_fee=0",
                                     "shills, entry_fee=9"}
    assert (table["pairs"] == 6).all() and {"ci_low", "ci_high", "crosses_zero"} <= set(table)
    assert "ever_spoken_share_d90" not in set(table["outcome"])  # 40-day runs: no day 90


def test_compare_same_point_pairs_each_scenario_with_the_baseline_at_its_point(folder, tmp_path):
    """--same-point: shills at each fee against the baseline at the same fee, to -o."""
    out = tmp_path / "effects.csv"
    done = commsim("compare", str(folder), "--same-point", "--outcome", "cost", "-o", str(out))
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(out)
    assert list(table["reference"]) == ["baseline, entry_fee=0", "baseline, entry_fee=9"]
    assert (table["difference"] > 0).all()  # shills cost money


def test_compare_rejects_an_unknown_outcome_and_lists_the_known_ones(folder, capsys):
    """A typo in --outcome: exit 2, the nearest name and the known outcomes, no traceback."""
    code, _, err = cli(capsys, "compare", str(folder), "--outcome", "total_mesages")
    assert code == 2 and err.startswith("commsim: error: --outcome total_mesages")
    assert "did you mean 'total_messages'" in err and "known outcomes:" in err


def test_compare_rejects_a_missing_folder(tmp_path):
    """No such folder: exit 2 and a one-line message, no traceback (in a real subprocess)."""
    done = commsim("compare", str(tmp_path / "nowhere"))
    assert done.returncode == 2 and "no such results folder" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.splitlines()) == 1


def test_compare_says_what_an_interrupted_sweep_is_missing(experiment, tmp_path):
    """An interrupted sweep: exit 2 naming what is missing and how to resume; --partial works."""
    path = interrupted(experiment, tmp_path / "cut", [0, 2])
    done = commsim("compare", str(path))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    for words in ("unfinished sweep (interrupted)", "12 of 24 runs", "missing: baseline, "
                  "entry_fee=9 (6 of 6 replicates)", "--resume", "--partial"):
        assert words in done.stderr
    done = commsim("compare", str(path), "--partial", "--outcome", "joined")
    assert done.returncode == 0, done.stderr
    assert "shills, entry_fee=0  vs  baseline, entry_fee=0" in done.stdout
    assert "UNFINISHED" in done.stdout


def test_compare_rejects_an_unknown_baseline_scenario(folder, capsys):
    """--baseline with a name that is not a scenario: exit 2 with the folder's scenarios."""
    code, _, err = cli(capsys, "compare", str(folder), "--baseline", "basline")
    assert code == 2 and "did you mean 'baseline'" in err and "baseline, shills" in err


def test_compare_rejects_a_folder_without_runs_of_the_baseline(experiment, tmp_path, capsys):
    """An unfinished folder holding no baseline run: exit 2, even with --partial."""
    path = interrupted(experiment, tmp_path / "nobase", [2, 3])
    code, _, err = cli(capsys, "compare", str(path), "--partial")
    assert code == 2 and "no runs of the baseline scenario 'baseline'" in err


def test_compare_rejects_a_folder_that_is_not_results(tmp_path, capsys):
    """A folder without manifest.json is not taken for results."""
    (tmp_path / "x.txt").write_text("hello")
    code, _, err = cli(capsys, "compare", str(tmp_path))
    assert code == 2 and "not a commsim results folder" in err
