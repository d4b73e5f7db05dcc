"""Shared fixtures: batches of paired replicates (the same seeds in every arm, so common random
numbers)."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

from sim.batch import run_batch

# Seconds after which a test gives up on a process, a server or a page that never answers: a
# guard against a hang, not a speed check (tests assert no timings; speed is in benchmarks/). It
# is minutes above any step on a busy two-core machine running two CI jobs at once.
HANG = 900.0


# Under CI (the CI=true that .ci/run and most CI services set) a test that cannot run is a failure,
# not a skip: a missing chromium, kaleido or Dask would otherwise leave CI green with the browser
# and cluster tests never run. On a developer's machine the skips stay, with their reasons.
STRICT = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if STRICT and report.skipped and not hasattr(report, "wasxfail") \
            and not item.config.getoption("--update-regression"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"CI=true: this test could not run, and CI does not skip: {reason}"


def pytest_addoption(parser):
    parser.addoption("--update-regression", action="store_true",
                     help="rewrite tests/baselines/regression.csv from the current model")


def run_arms(arms: dict[str, dict], replicates: int, days: int, record_groups: bool = False,
             first_seed: int = 0):
    """Run every arm with seeds first_seed..first_seed+replicates-1; returns (runs, daily, groups)
    tagged with ``arm``."""
    params, seeds, names = [], [], []
    for name, overrides in arms.items():
        params += [overrides] * replicates
        seeds += list(range(first_seed, first_seed + replicates))
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
