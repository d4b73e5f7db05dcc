"""P27, a rival group (sim/levers/rival.py, sim/phases/rival.py): it acts only inside its window,
takes members, takes more the more it reaches and the fewer groups people are active in, and
spares members who still attend to the operator's group. A rule with a flipped sign or an ignored
parameter fails one of these."""

from __future__ import annotations

import numpy as np
import pytest

from sim import engine
from sim.params import resolve
from sim.phases.rival import drop_chance
from sim.rng import derive_seed
from tests.conftest import paired_diff, run_arms

R = 12
DAYS = 90
START = 20.0
ARMS = {
    "none": {},
    "rival": {"rival_reach": 0.03, "rival_start": START},
    "rival_weak": {"rival_reach": 0.005, "rival_start": START},
    "rival_few_groups": {"rival_reach": 0.03, "rival_start": START, "groups_active": 2},
    "rival_many_groups": {"rival_reach": 0.03, "rival_start": START, "groups_active": 12},
}


@pytest.fixture(scope="module")
def arms():
    return run_arms(ARMS, R, DAYS)


def test_nothing_changes_before_the_rival_starts(arms):
    """Until its first day the rival draws nothing: every daily number is the same."""
    _, daily, _ = arms
    cols = [c for c in daily.columns if c not in ("arm", "run")]
    before = daily[daily.day < START]
    a = before[before.arm == "none"][cols].to_numpy(dtype=float)
    b = before[before.arm == "rival"][cols].to_numpy(dtype=float)
    assert np.array_equal(a, b, equal_nan=True)


def test_a_rival_takes_members(arms, report):
    """Fewer members at the end, more who left, in the mean and in most seeds."""
    runs, _, _ = arms
    lost = paired_diff(runs, "rival", "none", "members_final")
    report(f"members at day {DAYS}, rival - none: {lost.mean():+.1f}")
    assert lost.mean() < 0 and np.mean(lost < 0) >= 0.9


def test_a_rival_that_reaches_more_takes_more(arms, report):
    """rival_reach is the daily chance: 3% a day takes more members than 0.5% a day."""
    runs, _, _ = arms
    d = paired_diff(runs, "rival", "rival_weak", "members_final")
    report(f"members, reach 3% - reach 0.5%: {d.mean():+.1f}")
    assert d.mean() < 0


def test_people_in_fewer_groups_drop_the_operators_group_more(arms, report):
    """groups_active matters: with 2 groups each one is a bigger share of a person's life, and
    one must go for the rival, so the operator's group goes more often than with 12."""
    runs, _, _ = arms
    d = paired_diff(runs, "rival_few_groups", "rival_many_groups", "members_final")
    report(f"members, active in 2 groups - in 12: {d.mean():+.1f}")
    assert d.mean() < 0


def test_the_drop_chance_falls_with_attention_and_with_more_groups():
    """2(1 - a)/(k + 1): 1/(k + 1) at a middling attention, 0 at full attention, capped at 1."""
    k = np.full(5, 5.0)
    a = np.array([0.0, 0.25, 0.5, 0.75, 1.0])
    chance = drop_chance(a, k)
    assert np.all(np.diff(chance) < 0)
    assert chance[2] == pytest.approx(1 / 6) and chance[-1] == 0.0
    assert drop_chance(np.array([0.0]), np.array([1.0]))[0] == 1.0
    assert drop_chance(np.array([0.3]), np.array([4.0]))[0] > \
        drop_chance(np.array([0.3]), np.array([6.0]))[0]


def test_the_rival_draws_nobody_after_its_end():
    """Members met by the rival stop growing on its last day, and the rival meets each once."""
    n = 4
    params = [resolve({"rival_reach": 0.05, "rival_start": 10.0, "rival_end": 40.0})] * n
    state = engine.new_state(params, np.array([derive_seed(s) for s in range(n)],
                                              dtype=np.uint64))
    met = []
    for _ in range(60):
        engine.step(state)
        met.append(int(state.members.rivaled.sum()))
    assert met[9] == 0 and met[39] > 0
    assert met[-1] == met[39]


OWN = {"n_groups": 2, "launch_interval": 20, "overlap": 0.8, "groups_active": 2}


@pytest.fixture(scope="module")
def own():
    return run_arms({"free": OWN, "compete": {**OWN, "own_groups_compete": True},
                     "compete_new_people": {**OWN, "overlap": 0.0, "own_groups_compete": True}},
                    R, 60)


def test_own_groups_that_compete_lose_members_to_each_other(own, report):
    """With own_groups_compete, people who join the second group drop the first or attend it
    less: more leave than when the groups do not compete, and nothing changes before the second
    group opens."""
    runs, daily, _ = own
    d = paired_diff(runs, "compete", "free", "members_final")
    report(f"members at day 60, competing - not competing: {d.mean():+.1f}")
    assert d.mean() < 0 and np.all(d <= 0)
    cols = [c for c in daily.columns if c not in ("arm", "run")]
    early = daily[daily.day < OWN["launch_interval"]]
    assert np.array_equal(early[early.arm == "free"][cols].to_numpy(dtype=float),
                          early[early.arm == "compete"][cols].to_numpy(dtype=float),
                          equal_nan=True)


def test_own_groups_for_new_people_do_not_compete(own):
    """The rule acts only on people in both groups: with no overlap nobody is in both, so the
    switch changes nothing (a rule that hit every member would fail this)."""
    runs, _, _ = own
    base = run_arms({"x": {**OWN, "overlap": 0.0}}, R, 60)[0]
    assert np.array_equal(runs.loc[runs.arm == "compete_new_people", "members_final"].to_numpy(),
                          base["members_final"].to_numpy())


def test_a_rival_run_is_the_same_alone_and_inside_any_batch():
    """The rule draws by address: a run with a rival, or with competing groups, gives the same
    numbers alone and inside a batch of other runs, in any order."""
    import pandas as pd

    from sim import run_batch

    sets = [{"rival_reach": 0.05, "rival_start": 5.0, "group_size": 60},
            {**OWN, "group_size": 60, "launch_interval": 5, "own_groups_compete": True},
            {"group_size": 60}]
    seeds = [7, 8, 9]
    batch = run_batch(sets, seeds, 30)
    for i in range(2):
        alone = run_batch([sets[i]], [seeds[i]], 30).drop(columns="run")
        mine = batch[batch.run == i].drop(columns="run").reset_index(drop=True)
        pd.testing.assert_frame_equal(alone, mine, check_exact=True)
    flipped = run_batch(sets[::-1], seeds[::-1], 30)
    flipped["run"] = 2 - flipped["run"]
    flipped = flipped.sort_values(["run", "day"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(batch, flipped, check_exact=True)


def test_the_drop_rule_s_attention_weight_is_used():
    """rival_drop_attention = 0 drops a group at random (1/(k + 1) whatever the attention); in
    the engine the default weight 1 takes more members, since attention has mostly faded below
    0.5 by the time the rival comes (a rule that ignored the weight would give equal numbers)."""
    k = np.full(3, 5.0)
    assert np.allclose(drop_chance(np.array([0.0, 0.5, 1.0]), k, 0.0), 1 / 6)
    arms = {"w1": {"rival_reach": 0.03, "rival_start": START},
            "w0": {"rival_reach": 0.03, "rival_start": START, "rival_drop_attention": 0.0}}
    runs, _, _ = run_arms(arms, R, DAYS)
    d = paired_diff(runs, "w0", "w1", "members_final")
    assert d.mean() > 0
