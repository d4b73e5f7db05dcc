"""Shared fixtures: batches of paired replicates (the same seeds in every arm, so common random
numbers)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.batch import run_batch


def pytest_addoption(parser):
    parser.addoption("--update-regression", action="store_true",
                     help="rewrite tests/baselines/regression.csv from the current model")


def run_arms(arms: dict[str, dict], replicates: int, days: int, record_groups: bool = False):
    """Run every arm with seeds 0..replicates-1; returns (runs, daily) tagged with ``arm``."""
    params, seeds, names = [], [], []
    for name, overrides in arms.items():
        params += [overrides] * replicates
        seeds += list(range(replicates))
        names += [name] * replicates
    res = run_batch(params, seeds, days, summary=True, record_groups=record_groups)
    runs = res.runs.assign(arm=names)
    daily = res.daily.assign(arm=np.repeat(names, days))
    return runs, daily, res.groups


def paired_diff(runs: pd.DataFrame, arm: str, ref: str, col: str) -> np.ndarray:
    """Per-seed differences arm - ref of a per-run outcome (rows are in seed order per arm)."""
    a = runs.loc[runs.arm == arm, col].to_numpy(dtype=float)
    b = runs.loc[runs.arm == ref, col].to_numpy(dtype=float)
    return a - b


@pytest.fixture
def report(capsys):
    """Print a measured value so that it shows in the test log even when the test passes."""
    def _report(text: str) -> None:
        with capsys.disabled():
            print(f"\n    measured: {text}", end="")
    return _report
