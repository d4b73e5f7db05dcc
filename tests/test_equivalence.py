"""Batch independence (issue 4's contract): a run's outcomes depend only on its parameters, seed and
the code, whether it runs alone through CommunityModel, inside any batch, in any order or chunk.

These tests check the engine against itself. ``CommunityModel`` is a batch of one in the same
engine, so they would still pass with a rule deleted from it; they say nothing about whether the
rules are the ones docs/ODD.md states. That is checked against an independent reference model,
statistically, in tests/test_reference.py (docs/reference.md)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim import CommunityModel, run_batch
from sim.outcomes import DAILY_COLUMNS

LEVER_CHOICES = {
    "shills": [0, 1, 3], "entry_fee": [0.0, 5.0, 99.0], "content_every": [0, 1, 3],
    "commercial_every": [0, 1, 7], "checkin": [False, True], "moderation": [0.0, 0.4],
    "owner_mentions": [0.0, 2.0], "red_packet_every": [0, 5], "event_every": [0, 9],
    "leaders": [0, 2], "size_cap": [0, 60], "referral_rate": [0.0, 0.02],
    "recruit_per_day": [0.0, 4.0], "n_groups": [1, 2], "overlap": [0.0, 0.5],
}
params_strategy = st.fixed_dictionaries(
    {k: st.sampled_from(v) for k, v in LEVER_CHOICES.items()}).map(
    lambda d: {**d, "group_size": 80})


def model_daily(params: dict, seed: int, days: int) -> pd.DataFrame:
    model = CommunityModel(seed=seed, **params)
    for _ in range(days):
        model.step()
    return model.datacollector.get_model_vars_dataframe().reset_index(drop=True)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(params=params_strategy, seed=st.integers(0, 2**31 - 1))
def test_a_run_alone_in_the_mesa_model_equals_the_same_run_inside_a_batch(params, seed):
    """A run through CommunityModel (a batch of one) gives, column by column and day by day,
    exactly what the same run gives inside a batch of other runs (same engine, same rules)."""
    days = 40
    alone = model_daily(params, seed, days)
    batch = run_batch([{}, params, {"shills": 2}], [seed + 1, seed, seed], days)
    mine = batch[batch.run == 1].drop(columns=["run", "day"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(alone[list(DAILY_COLUMNS)], mine[list(DAILY_COLUMNS)],
                                  check_dtype=False, check_exact=True)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sets=st.lists(params_strategy, min_size=3, max_size=5), order_seed=st.integers(0, 999))
def test_permuting_or_rechunking_a_batch_changes_no_run(sets, order_seed):
    """Any order of the runs and any chunk size give every run the same outcomes."""
    days = 30
    seeds = list(range(100, 100 + len(sets)))
    reference = run_batch(sets, seeds, days, chunk_size=len(sets))
    order = np.random.default_rng(order_seed).permutation(len(sets))
    shuffled = run_batch([sets[i] for i in order], [seeds[i] for i in order], days, chunk_size=2)
    shuffled["run"] = order[shuffled["run"].to_numpy()]
    shuffled = shuffled.sort_values(["run", "day"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(reference, shuffled, check_exact=True)
    for k in (1, 3):
        pd.testing.assert_frame_equal(reference, run_batch(sets, seeds, days, chunk_size=k),
                                      check_exact=True)


def test_common_random_numbers_hold_when_a_lever_is_switched_on_in_one_run():
    """Weekly commercial posts touch only sales: with the same seed, every other process draws
    the same numbers, so members, messages and trust are identical and only revenue differs."""
    batch = run_batch([{}, {"commercial_every": 7}], [42, 42], 120)
    off, on = (batch[batch.run == r].reset_index(drop=True) for r in (0, 1))
    same = [c for c in DAILY_COLUMNS if c not in ("revenue", "conversions")]
    pd.testing.assert_frame_equal(off[same], on[same], check_exact=True)
    assert on.revenue.iloc[-1] > off.revenue.iloc[-1] == 0


def test_a_lever_starting_later_leaves_the_days_before_untouched():
    """Until its start day a lever changes nothing, so the two runs agree exactly until then."""
    batch = run_batch([{}, {"content_every": 1, "content_start": 50.0}], [9, 9], 80)
    off, on = (batch[batch.run == r].reset_index(drop=True) for r in (0, 1))
    pd.testing.assert_frame_equal(off.iloc[:50], on.iloc[:50].assign(run=0), check_exact=True)
    assert not off.iloc[50:].equals(on.iloc[50:].assign(run=0))
