"""The private domain (P11) and targeting a class (P10): the friend list, re-invitation and
one-to-one chats move what docs/ODD.md says they move, at the stated cost, and nothing when off.
A flipped sign, an ignored parameter or a target that is not honoured breaks one of these."""

from __future__ import annotations

import numpy as np
import pytest

from sim import engine
from sim.levers.plan import DayPlan
from sim.params import resolve
from sim.phases import private_domain
from sim.phases.private_domain import person_class
from sim.state import GONE
from tests.conftest import paired_diff, run_arms

R = 12
DAYS = 150
SMALL = {"group_size": 120, "n_groups": 2, "launch_interval": 60}
ARMS = {
    "baseline": SMALL,
    "friends": {**SMALL, "friend_share": 0.7, "reinvite_every": 30},
    "friends_no_accept": {**SMALL, "friend_share": 0.7, "reinvite_every": 30,
                          "reinvite_accept": 0.0},
    "friends_only": {**SMALL, "friend_share": 0.7},
    "chats": {**SMALL, "friend_share": 1.0, "private_chats": 3},
    "chats_no_trust": {**SMALL, "friend_share": 1.0, "private_chats": 3, "trust_private": 0.0},
    "chats_free": {**SMALL, "friend_share": 1.0, "private_chats": 3, "private_chat_cost": 0.0},
    "chats_without_friends": {**SMALL, "private_chats": 3},
    "chats_late": {**SMALL, "friend_share": 1.0, "private_chats": 3, "private_start": 60.0},
}


@pytest.fixture(scope="module")
def arms():
    return run_arms(ARMS, R, DAYS)


def test_reinvited_friends_take_seats_in_the_new_group(arms, report):
    """Re-invited friends add seats (members at the end); with an acceptance of 0 or without
    re-invitation rounds they add none, and the friend list alone changes nothing."""
    runs, daily, _ = arms
    gain = paired_diff(runs, "friends", "baseline", "members_final")
    report(f"members at the end, friends re-invited - none: {gain.mean():+.1f}")
    assert gain.mean() > 5 and np.all(gain >= 0)
    for arm in ("friends_no_accept", "friends_only"):
        assert np.all(paired_diff(runs, arm, "baseline", "members_final") == 0)
        assert np.all(paired_diff(runs, arm, "baseline", "total_messages") == 0)


def test_reinvitations_cost_operator_time(arms):
    """Each re-invitation costs private_chat_cost yuan: a positive multiple of 5 yuan, and the
    same spend whatever the answer (an invitation refused still took the time)."""
    runs, _, _ = arms
    cost = runs.loc[runs.arm == "friends", "cost"].to_numpy()
    assert np.all(cost > 0) and np.allclose(cost % 5.0, 0.0)
    refused = runs.loc[runs.arm == "friends_no_accept", "cost"].to_numpy()
    assert np.all(refused > 0)


def test_chats_raise_trust_only_through_trust_private(arms, report):
    """One-to-one chats raise members' trust; with trust_private = 0 the trust gain is gone (the
    chats still make members feel seen, so they post more)."""
    runs, _, _ = arms
    gain = paired_diff(runs, "chats", "baseline", "mean_trust_final")
    flat = paired_diff(runs, "chats_no_trust", "baseline", "mean_trust_final")
    report(f"mean trust, chats - none: {gain.mean():+.3f}; "
           f"with trust_private 0: {flat.mean():+.3f}")
    assert gain.mean() > 0.02 and gain.mean() > flat.mean() + 0.02
    assert paired_diff(runs, "chats_no_trust", "baseline", "total_messages").mean() > 0


def test_chats_cost_per_chat_and_need_friends(arms):
    """Three chats a day in each open group at 5 yuan each: at most 3 x 5 yuan per group-day,
    nothing when the chats are free; without friends there is no one to chat with."""
    runs, _, _ = arms
    cost = runs.loc[runs.arm == "chats", "cost"].to_numpy()
    group_days = DAYS + (DAYS - SMALL["launch_interval"])
    assert np.all(cost > 0) and np.all(cost <= 3 * 5.0 * group_days)
    assert np.allclose(cost % 5.0, 0.0)
    assert np.all(runs.loc[runs.arm == "chats_free", "cost"].to_numpy() == 0)
    for col in ("cost", "total_messages", "mean_trust_final"):
        assert np.all(paired_diff(runs, "chats_without_friends", "baseline", col) == 0)


def test_chats_wait_for_their_window(arms):
    """With private_start = 60 nothing differs from the baseline before day 60."""
    _, daily, _ = arms
    before = daily[daily.day < 60]
    a = before[before.arm == "chats_late"].messages.to_numpy()
    b = before[before.arm == "baseline"].messages.to_numpy()
    assert np.array_equal(a, b)
    after = daily[daily.day >= 60]
    assert after[after.arm == "chats_late"].cost.max() > 0


@pytest.mark.parametrize("target", ["A", "B", "C", "D", "all"])
def test_chats_go_only_to_present_friends_of_the_target_class(target):
    """A chat day touches only present, non-spamming friends of the chosen class, at most
    private_chats per group, and charges private_chat_cost for each one held."""
    params = resolve({"group_size": 150, "friend_share": 0.8, "private_target": target,
                      "trust_private": 0.01})
    state = engine.new_state([params, params], np.array([3, 4], dtype=np.uint64))
    for _ in range(40):
        engine.step(state)
    m, pe = state.members, state.people
    plan = DayPlan(n_groups=state.groups.n, n_runs=state.n_runs)
    plan.private_chats[:] = 4
    before = m.seen_until.copy()
    private_domain.chat(state, plan, state.day)
    touched = np.flatnonzero(m.seen_until != before)
    assert touched.size > 0
    klass = person_class(pe.able[m.person[touched]], pe.willing[m.person[touched]])
    code = private_domain.CLASS_CODES[target]
    assert code == 0 or np.all(klass == code)
    assert np.all(pe.friend[m.person[touched]]) and np.all(m.status[touched] != GONE)
    assert np.bincount(m.group[touched]).max() <= 4
    assert np.allclose(plan.cost, 5.0 * np.bincount(m.run[touched], minlength=2))


def test_a_run_is_the_same_alone_and_inside_a_mixed_batch():
    """The friend list, re-invitation and chats draw by address: a run gives the same days alone
    and next to runs with other settings (the batch's other rows change nothing)."""
    from sim.batch import run_batch

    mine = {**SMALL, "friend_share": 0.7, "reinvite_every": 20, "private_chats": 2,
            "private_target": "B", "commercial_every": 5}
    other = {**SMALL, "friend_share": 1.0, "private_chats": 4, "shills": 2}
    alone = run_batch([mine], [7], 90)
    mixed = run_batch([other, mine, SMALL], [3, 7, 7], 90)
    mixed = mixed[mixed.run == 1].drop(columns="run").reset_index(drop=True)
    assert alone.drop(columns="run").equals(mixed)
