"""Survival outcomes: is a group still active on day N, how long it lived, and censoring."""

from __future__ import annotations

import numpy as np
import pytest

from sim import metrics, run_batch
from sim.outcomes import SURVIVAL_DAYS, active_at, lifetime


def test_lifetime_follows_the_silence_definition():
    """10 messages a day for 40 days, then none: the 7-day mean first falls below 20% of its
    peak (2 a day) on day index 45 (only day 39's 10 messages left in the window: 10/7 = 1.43),
    so the group lived 45 days: active on day 45, silent on day 46."""
    daily = np.r_[np.full(40, 10.0), np.zeros(80)][None, :]
    life, censored = lifetime(daily)
    assert life[0] == 45 and not censored[0]
    assert life[0] == metrics.time_to_silence(daily[0])
    assert active_at(life, 120, 45)[0] == 1.0 and active_at(life, 120, 46)[0] == 0.0


def test_a_group_that_never_falls_silent_is_censored_at_the_run_length():
    """Steady talk to the end: lifetime = run length, censored; a group that never spoke was
    never active (lifetime 0, not censored: it is known to be dead)."""
    daily = np.array([np.full(70, 5.0), np.zeros(70)])
    life, censored = lifetime(daily)
    assert life.tolist() == [70.0, 0.0]
    assert censored.tolist() == [True, False]
    assert active_at(life, 70, 30).tolist() == [1.0, 0.0]


def test_a_run_cut_at_day_60_cannot_be_active_at_day_90():
    """Day-90 and day-180 survival of a 60-day run are unknown (NaN), not "active"; day 30 and
    60 are known; lifetimes of runs never silent are censored at 60 days."""
    runs = run_batch([{}] * 4, seeds=[1, 2, 3, 4], days=60, summary=True).runs
    assert runs["active_day_90"].isna().all() and runs["active_day_180"].isna().all()
    assert runs["active_day_30"].notna().all() and runs["active_day_60"].notna().all()
    assert (runs["lifetime"] <= 60).all()
    censored = runs["lifetime_censored"].to_numpy(bool)
    assert (runs.loc[censored, "lifetime"] == 60).all()
    assert runs.loc[censored, "time_to_silence"].isna().all()
    assert (runs.loc[~censored, "lifetime"] == runs.loc[~censored, "time_to_silence"]).all()


@pytest.fixture(scope="module")
def paired_content():
    """40 paired runs of 180 days: no lever, and a knowledge post every day."""
    n = 40
    runs = run_batch([{}] * n + [{"content_every": 1}] * n, seeds=list(range(n)) * 2, days=180,
                     summary=True).runs
    return runs.iloc[:n].reset_index(drop=True), runs.iloc[n:].reset_index(drop=True)


def test_active_on_day_n_is_a_lifetime_of_at_least_n_days(paired_content):
    """Every run: active on day N exactly when its lifetime reaches N; survival only falls."""
    for runs in paired_content:
        for day in SURVIVAL_DAYS:
            assert (runs[f"active_day_{day}"] == (runs["lifetime"] >= day)).all()
        shares = [runs[f"active_day_{d}"].mean() for d in SURVIVAL_DAYS]
        assert shares == sorted(shares, reverse=True)


def test_a_lever_that_keeps_groups_talking_raises_the_share_still_active(paired_content):
    """Daily knowledge posts renew attention (P5): more of the same groups (same seeds) are still
    active on day 90, and they live a month longer on average."""
    base, content = paired_content
    assert content["active_day_90"].mean() >= base["active_day_90"].mean() + 0.3
    assert content["lifetime"].mean() > base["lifetime"].mean() + 30
