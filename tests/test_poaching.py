"""P24-P26: poaching (私加好友, 私拉小群), the group-wide mute (禁言) and check-in with removal
(打卡踢人) move what they are meant to move, in the direction docs/ODD.md states, and a rule with a
flipped sign or an ignored parameter breaks a test here."""

from __future__ import annotations

import numpy as np
import pytest

from sim import engine
from sim.levers import DayPlan
from sim.params import resolve
from sim.phases import leaving
from sim.rng import derive_seed
from sim.state import GONE, KICKED, SPAMMER
from tests.conftest import paired_diff, run_arms

R = 12
DAYS = 90
ARMS = {
    "baseline": {},
    "poachers": {"share_poachers": 0.05},
    "poachers_harmless": {"share_poachers": 0.05, "poach_success": 0.0},
    "poachers_all_leave": {"share_poachers": 0.05, "poach_leave": 1.0},
    "poachers_moderated": {"share_poachers": 0.05, "moderation": 0.3, "share_spammers": 0.0},
    "poachers_unseen": {"share_poachers": 0.05, "moderation": 0.3, "share_spammers": 0.0,
                        "poach_visibility": 0.0},
    "mute_half": {"group_mute": 0.5},
    "mute_full": {"group_mute": 1.0, "group_mute_obey": 1.0},
    "mute_late": {"group_mute": 1.0, "group_mute_obey": 1.0, "group_mute_start": 30.0,
                  "group_mute_end": 60.0},
    "checkin": {"checkin": True},
    "checkin_kick_off": {"checkin": True, "checkin_kick_comply": 50.0},
    "kick_week": {"checkin": True, "checkin_kick_days": 7},
    "kick_fortnight": {"checkin": True, "checkin_kick_days": 14},
    "kick_week_obedient": {"checkin": True, "checkin_kick_days": 7, "checkin_kick_comply": 30.0},
}


@pytest.fixture(scope="module")
def arms():
    return run_arms(ARMS, R, DAYS)


def diff(arms, arm, ref, col):
    return paired_diff(arms[0], arm, ref, col)


def last(arms, arm, col):
    daily = arms[1]
    return daily[(daily.arm == arm) & (daily.day == DAYS - 1)][col].to_numpy(dtype=float)


def window(arms, arm, col, lo, hi):
    d = arms[1]
    d = d[(d.arm == arm) & (d.day >= lo) & (d.day < hi)]
    return d.groupby("run")[col].sum().to_numpy(dtype=float)


# -- P24 poaching -------------------------------------------------------------------------------

def test_poachers_pull_members_away(arms):
    """Poachers raise churn and leave fewer members; with poach_success 0 they change nothing."""
    assert diff(arms, "poachers", "baseline", "churned").mean() > 3
    assert diff(arms, "poachers", "baseline", "members_final").mean() < -3
    assert np.all(diff(arms, "poachers_harmless", "baseline", "members_final") == 0)
    assert np.all(diff(arms, "poachers_harmless", "baseline", "total_messages") == 0)


def test_pulled_members_leave_or_mute_by_poach_leave(arms):
    """poach_leave = 1 sends every pulled member away: more leave and fewer mute than at 0.5."""
    assert diff(arms, "poachers_all_leave", "poachers", "churned").mean() > 0
    assert (last(arms, "poachers_all_leave", "muted") - last(arms, "poachers", "muted")).mean() < 0


def test_moderation_catches_poachers_only_when_it_sees_them(arms):
    """With no spammers, moderation kicks poachers only (none when poach_visibility is 0) and so
    keeps members that poachers would have pulled away."""
    caught = last(arms, "poachers_moderated", "kicked")
    assert caught.sum() > 0
    assert np.all(last(arms, "poachers_unseen", "kicked") == 0)
    assert diff(arms, "poachers_moderated", "poachers_unseen", "churned").mean() < 0


def test_poachers_are_a_trait_of_the_person():
    """The same people are poachers whatever else changes (common random numbers)."""
    from sim.phases.poaching import poachers

    out = []
    for extra in ({}, {"content_every": 2}):
        state = engine.new_state([resolve({"share_poachers": 0.2, "group_size": 100, **extra})],
                                 np.array([derive_seed(3)], dtype=np.uint64))
        for _ in range(10):
            engine.step(state)
        m = state.members
        out.append(set(state.people.key[m.person[poachers(state)]].tolist()))
    assert out[0] and out[0] == out[1]


# -- P25 group-wide mute ------------------------------------------------------------------------

def test_a_mute_costs_talk_in_proportion_and_keeps_ads_out(arms):
    """Half a day muted: fewer messages and ads than none, more than a full technical mute, which
    silences members and spammers entirely; trust is higher for the ads not seen."""
    half = diff(arms, "mute_half", "baseline", "total_messages")
    assert half.mean() < 0
    assert np.all(arms[0].loc[arms[0].arm == "mute_full", "total_messages"] == 0)
    assert window(arms, "mute_full", "spam_messages", 0, DAYS).sum() == 0
    assert (window(arms, "mute_half", "spam_messages", 0, DAYS)
            < window(arms, "baseline", "spam_messages", 0, DAYS)).mean() > 0.5
    assert diff(arms, "mute_half", "baseline", "mean_trust_final").mean() > 0


def test_a_mute_acts_only_inside_its_window_and_costs_per_day(arms):
    """Before its start day the group talks exactly as without it; inside the window members say
    nothing; the operator pays group_mute_cost a day while it is on."""
    assert np.array_equal(window(arms, "mute_late", "messages", 0, 30),
                          window(arms, "baseline", "messages", 0, 30))
    assert window(arms, "mute_late", "messages", 30, 60).sum() == 0
    assert window(arms, "mute_late", "messages", 60, DAYS).sum() > 0
    cost = resolve({}).group_mute_cost
    assert np.allclose(last(arms, "mute_late", "cost"), 30 * cost)
    assert np.allclose(last(arms, "mute_half", "cost"), DAYS * cost)


# -- P26 check-in with removal ------------------------------------------------------------------

def test_removal_is_off_without_kick_days(arms):
    """checkin_kick_days = 0 removes nobody and the threat (checkin_kick_comply) is not felt."""
    for col in ("total_messages", "members_final"):
        assert np.all(diff(arms, "checkin_kick_off", "checkin", col) == 0)


def test_stricter_removal_keeps_fewer_and_compliance_keeps_more(arms):
    """Removal after 7 days without a check-in keeps fewer members than after 14, which keeps
    fewer than no removal; members who comply more are kept more."""
    week, fortnight = last(arms, "kick_week", "members"), last(arms, "kick_fortnight", "members")
    assert (week - fortnight).mean() < 0
    assert (fortnight - last(arms, "checkin", "members")).mean() < 0
    assert (last(arms, "kick_week_obedient", "members") - week).mean() > 0
    assert last(arms, "kick_week", "kicked").mean() > 0


def test_removal_takes_exactly_those_who_skipped():
    """Day by day, the check-ins noted are the posting rule's own (a check-in is a message), and
    the members removed are those present whose last check-in (or joining) is k days back or more:
    spammers, who never check in, are all gone k days after joining."""
    k = 3
    params = resolve({"checkin": True, "checkin_kick_days": k, "group_size": 150,
                      "share_spammers": 0.1})
    state = engine.new_state([params], np.array([derive_seed(7)], dtype=np.uint64))
    removed_total = 0
    for day in range(40):
        plan: DayPlan = engine.plan_day(state, day)
        for phase in engine.PHASES:
            phase.step(state, plan, day)
        m = state.members
        noted = m.checked_in == day + 1
        assert np.all(m.today[noted] >= 1)
        present = m.status != GONE
        since = np.maximum(m.checked_in - 1, m.join_day)
        expected = present & (day - since >= k)
        assert np.array_equal(m.remove == KICKED, expected)
        assert np.all(expected[present & (m.kind == SPAMMER) & (m.join_day <= day - k)])
        removed_total += int(expected.sum())
        leaving.apply_removals(state, day)
        state.day += 1
    assert removed_total > 0


def test_a_full_mute_stops_arguments_and_a_partial_one_fewer():
    """Troublemakers argue in public only in the talk a mute leaves: none under a full technical
    mute, fewer under half a day's than with no mute (trust phase, P25)."""
    fights = {}
    for name, extra in {"none": {}, "half": {"group_mute": 0.5, "group_mute_obey": 1.0},
                        "full": {"group_mute": 1.0, "group_mute_obey": 1.0}}.items():
        params = resolve({"share_troublemakers": 0.3, "fight_rate": 0.3, "group_size": 120,
                          **extra})
        state = engine.new_state([params] * 4, np.array([derive_seed(s) for s in range(4)],
                                                         dtype=np.uint64))
        total = 0.0
        for _ in range(30):
            engine.step(state)
            total += float(state.fights_today.sum())
        fights[name] = total
    assert fights["full"] == 0 < fights["half"] < fights["none"]
