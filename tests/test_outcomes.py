"""The fast per-run forms of the outcome definitions equal the one-series definitions in
sim/metrics.py, which the measurements of real groups use too."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import metrics
from sim.outcomes import top_share_by_run

counts_by_run = st.integers(1, 8).flatmap(lambda n: st.tuples(
    st.just(n),
    st.lists(st.tuples(st.integers(0, n - 1), st.one_of(st.integers(0, 20),
                                                        st.integers(200, 5000))),
             min_size=1, max_size=300)))


@settings(max_examples=60, deadline=None)
@given(counts_by_run)
def test_top_share_per_run_equals_the_definition(data):
    """Top-10% share per run (histogram and large counts) equals metrics.top_share per run."""
    n, rows = data
    run = np.array([r for r, _ in rows])
    counts = np.array([c for _, c in rows], dtype=np.int64)
    fast = top_share_by_run(run, counts, n)
    slow = [metrics.top_share(counts[run == r]) for r in range(n)]
    assert np.allclose(fast, slow)


@settings(max_examples=40, deadline=None)
@given(counts_by_run)
def test_gini_per_group_equals_the_definition(data):
    """Gini per group computed at once equals metrics.gini for each group."""
    n, rows = data
    group = np.array([r for r, _ in rows])
    counts = np.array([c for _, c in rows], dtype=np.int64)
    fast = metrics.gini_by_group(group, counts, n)
    slow = [metrics.gini(counts[group == g]) for g in range(n)]
    assert np.allclose(fast, slow)


def test_time_to_silence_for_many_runs_equals_the_definition():
    """time_to_silence_rows on a (runs x days) matrix equals time_to_silence per row."""
    rng = np.random.default_rng(0)
    scale = rng.uniform(0, 20, (60, 1))
    decay = rng.uniform(10, 200, (60, 1))
    daily = rng.poisson(scale * np.exp(-np.arange(180) / decay))
    fast = metrics.time_to_silence_rows(daily)
    slow = np.array([metrics.time_to_silence(row) for row in daily])
    assert np.array_equal(np.isnan(fast), np.isnan(slow))
    assert np.allclose(fast[~np.isnan(fast)], slow[~np.isnan(slow)])


@settings(max_examples=60, deadline=None)
@given(counts_by_run)
def test_top_share_per_run_is_the_exact_sum_of_the_largest_counts(data):
    """Bit for bit: the sum of the ceil(10% of n) largest counts over the total, in integers
    (a histogram walk that started too low or stopped too early would miss some)."""
    n, rows = data
    run = np.array([r for r, _ in rows])
    counts = np.array([c for _, c in rows], dtype=np.int64)
    fast = top_share_by_run(run, counts, n)
    for r in range(n):
        mine = sorted(counts[run == r].tolist(), reverse=True)
        total = sum(mine)
        exact = sum(mine[:math.ceil(0.1 * len(mine))]) / total if total > 0 else 0.0
        assert fast[r] == exact
