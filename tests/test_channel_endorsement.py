"""Direction tests of the recruitment channel (P29) and the owner's endorsement (P30): each lever
moves what it is meant to move, inside its window only, and charges its price."""

from __future__ import annotations

import numpy as np

from sim import engine
from sim.params import resolve
from sim.phases import joining
from sim.rng import derive_seed
from sim.state import State

SEEDS = 12


def start(overrides: dict) -> State:
    """SEEDS runs of one setting at day 0."""
    params = [resolve(overrides) for _ in range(SEEDS)]
    return engine.new_state(params, np.array([derive_seed(s) for s in range(SEEDS)],
                                             dtype=np.uint64))


def run(overrides: dict, days: int) -> State:
    """The engine's state after ``days`` days of SEEDS runs of one setting."""
    state = start(overrides)
    for _ in range(days):
        engine.step(state)
    return state


def joined_on_day_0(overrides: dict) -> tuple[State, np.ndarray]:
    """The state right after day 0's joining phase (before anything moves trust), and the cost
    the day's plan charges."""
    state = start(overrides)
    plan = engine.plan_day(state, 0)
    joining.step(state, plan, 0)
    return state, plan.cost


def recruits_fit(state) -> np.ndarray:
    """Fit with the group's topic of every member who came as the operator's recruit."""
    m = state.members
    return m.fit[m.join_day > 0]


def test_a_broad_channel_brings_recruits_who_fit_worse_and_join_less():
    """P29: with most recruits onlookers from anywhere on the topic circle, recruits who join fit
    the group's topic worse, and fewer invitations turn into members (join chance ~ sqrt(fit)).
    A channel rule that ignored ``channel_broad`` or sent onlookers to the topic would fail."""
    world = {"group_size": 20, "recruit_per_day": 10.0}
    targeted = run(world, 40)
    broad = run({**world, "channel_broad": 0.9}, 40)
    assert targeted.run_invited.sum() == broad.run_invited.sum()  # same invitations sent
    assert recruits_fit(broad).mean() < recruits_fit(targeted).mean() - 0.1
    assert broad.run_joined.sum() < 0.85 * targeted.run_joined.sum()
    # a channel that closes on day 0 changes nothing
    closed = run({**world, "channel_broad": 0.9, "channel_end": 0.0}, 40)
    assert np.array_equal(closed.members.fit, targeted.members.fit)


def test_the_channel_acts_only_on_recruits():
    """P29: launch invitees (and with no recruiting, everyone) are untouched by the channel."""
    plain = run({"group_size": 60}, 20)
    broad = run({"group_size": 60, "channel_broad": 1.0}, 20)
    assert np.array_equal(plain.members.fit, broad.members.fit)


def test_endorsement_raises_newcomers_trust_and_costs_its_price_a_day():
    """P30: newcomers to an endorsed owner start trusting the owner ``endorsement_trust`` more
    (their own draw + the backing, at most 1), and the backing costs ``endorsement_cost`` yuan a
    day per group; with the lever off (or its window over) nothing changes and nothing is paid."""
    world = {"group_size": 80, "join_delay": 0.0, "late_share": 0.0, "straggle_share": 0.0}
    plain, plain_cost = joined_on_day_0(world)
    endorsed, cost = joined_on_day_0({**world, "endorsement_trust": 0.2, "endorsement_cost": 30.0})
    before, after = plain.people.trust, endorsed.people.trust
    assert before.size == after.size > 0
    assert np.allclose(after, np.minimum(before + 0.2, 1.0))
    assert np.allclose(endorsed.members.trust, after[endorsed.members.person])
    assert np.allclose(cost, 30.0) and np.all(plain_cost == 0)
    late, late_cost = joined_on_day_0({**world, "endorsement_trust": 0.2,
                                       "endorsement_start": 5.0})
    assert np.array_equal(late.people.trust, before) and np.all(late_cost == 0)


def test_an_endorsed_owners_answers_weigh_more():
    """P30: with the owner answering every question, trust in the owner grows more when the
    owner's answers weigh 5 times than when they weigh 1 (the backing's start added equally)."""
    world = {"group_size": 80, "owner_answer_share": 1.0, "endorsement_trust": 0.01}
    light = run({**world, "endorsement_weight": 1.0}, 30)
    heavy = run({**world, "endorsement_weight": 5.0}, 30)
    assert heavy.people.trust.mean() > light.people.trust.mean() + 0.01


def test_both_levers_give_a_run_the_same_outcomes_alone_or_in_any_batch():
    """A run with the channel and the endorsement on gives the same days alone, beside runs
    without them, in another order or chunk (their draws are keyed by run, group and invitee)."""
    import pandas as pd

    from sim import run_batch

    on = {"group_size": 60, "recruit_per_day": 4.0, "channel_broad": 0.7,
          "endorsement_trust": 0.1, "owner_answer_share": 0.5, "n_groups": 2}
    alone = run_batch([on], [7], 30).drop(columns="run")
    mixed = run_batch([{"group_size": 60}, on, {"shills": 2}], [7, 7, 8], 30, chunk_size=2)
    mine = mixed[mixed.run == 1].drop(columns="run").reset_index(drop=True)
    pd.testing.assert_frame_equal(alone.reset_index(drop=True), mine, check_exact=True)
    off = run_batch([{**on, "channel_broad": 0.0, "endorsement_trust": 0.0}], [7], 30)
    assert not off.drop(columns="run").reset_index(drop=True).equals(mine)  # the levers acted
