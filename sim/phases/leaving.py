"""Phase 7, muting and leaving: members mute the group or leave it; moderators kick spammers.

For a present member with ``k`` messages so far, trust ``t`` (mean of group and owner) and
commitment ``c``, the daily chances are

    leave = leave_base * exp(leave_distrust * (0.5 - t)) * (1 - commit_leave * c)
            / (1 + k / leave_contrib_k)
            + leave_overload * [a commercial post came too soon today]
    mute  = mute_base * (1 - commit_leave * c) + mute_overload * [same],

so the more someone has contributed, the less likely they quit (Wilkinson 2008: the chance of
stopping after k contributions falls about as 1/k), broken trust pushes people out, commitment
holds them (P7), and selling too often drives them to mute or leave (P15). Muted members stay,
read nothing and post little (posting.py). Spammers are kicked with the moderation lever's daily
chance (P8). Leaving is only requested here; it is applied at the end of the day (engine.py).
"""

from __future__ import annotations

import numpy as np

from sim.levers.plan import DayPlan
from sim.rng import Stream, uniform
from sim.state import ACTIVE, SPAMMER, State

LEAVES, KICKED = 1, 2  # values of members.remove


def step(state: State, plan: DayPlan, day: int) -> None:
    """Mute members now; request leaving and kicks for the end of the day."""
    m, pe, p, s = state.members, state.people, state.p, state.seeds
    rows = np.flatnonzero(state.present())
    run, grp, key = m.run[rows], m.group[rows], m.key[rows]
    trust = 0.5 * (m.trust[rows] + pe.trust[m.person[rows]])
    hold = 1.0 - p.commit_leave[run] * m.commit[rows]
    overload = (plan.annoying[grp] & plan.commercial[grp]).astype(np.float64)
    leave = p.leave_base[run] * np.exp(p.leave_distrust[run] * (0.5 - trust)) * hold / \
        (1.0 + m.messages[rows] / p.leave_contrib_k[run]) + p.leave_overload[run] * overload
    leaves = uniform(s, run, key, Stream.LEAVE, day) < leave
    m.remove[rows[leaves & (m.remove[rows] == 0)]] = LEAVES
    mute = p.mute_base[run] * hold + p.mute_overload[run] * overload
    mutes = (m.status[rows] == ACTIVE) & (uniform(s, run, key, Stream.MUTE, day) < mute)
    m.status[rows[mutes]] = 1
    spam = pe.type[m.person[rows]] == SPAMMER
    kick = spam & (uniform(s, run, key, Stream.KICK, day) < plan.moderation[grp])
    m.remove[rows[kick]] = KICKED


def apply_removals(state: State, day: int) -> None:
    """End of day: members who asked to leave or were kicked are gone (Starsim's step_die)."""
    m = state.members
    out = np.flatnonzero(m.remove > 0)
    if out.size == 0:
        return
    n = state.n_runs
    state.run_churned += np.bincount(m.run[out[m.remove[out] == LEAVES]], minlength=n)
    state.run_kicked += np.bincount(m.run[out[m.remove[out] == KICKED]], minlength=n)
    m.status[out] = 2
    m.leave_day[out] = day
    m.leader[out] = False
    m.remove[out] = 0
