"""Phase 7, muting and leaving: members mute the group or leave it; moderators kick spammers.

For a present member with ``k`` messages so far, trust ``t`` (mean of group and owner) and
commitment ``c``, the daily chances are

    leave = leave_base * exp(leave_distrust * (0.5 - t)) * (1 - commit_leave * c)
            / (1 + k / leave_contrib_k) / (1 + tenure / leave_tenure_days)
            + leave_overload * [a commercial post came too soon today]
    mute  = mute_base * (1 - commit_leave * c) + mute_overload * [same],

with ``tenure`` the days since they joined, so the more someone has contributed, the less likely
they quit (Wilkinson 2008: the chance of stopping after k contributions falls about as 1/k),
newcomers leave most and leaving slows with tenure (Kraut & Resnick 2012; the haskell-jp log),
broken trust pushes people out, commitment holds them (P7), and selling too often drives them to
mute or leave (P15). Muted members stay, read nothing and post little (posting.py). Spammers are
kicked with the moderation lever's daily chance (P8). Leaving is only requested here; it is applied
at the end of the day (engine.py).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.levers.plan import DayPlan
from sim.rng import Stream, draw, stream_base
from sim.state import ACTIVE, GONE, KICKED, LEAVES, MUTED, SPAMMER, State


@njit(cache=True)
def _leave_or_mute(remove, status, run, grp, key, person, kind, trust, person_trust, commit,
                   messages, overload_g, moderation_g, leave_b, mute_b, kick_b, leave_base,
                   leave_distrust, commit_leave, leave_contrib_k, leave_overload, mute_base,
                   mute_overload, join_day, leave_tenure_days, day, most_distrust):
    for i in range(run.size):
        if status[i] == GONE:
            continue
        r, g = run[i], grp[i]
        t = 0.5 * (trust[i] + person_trust[person[i]])
        hold = 1.0 - commit_leave[r] * commit[i]
        over = 1.0 if overload_g[g] else 0.0
        if remove[i] == 0:
            u = draw(leave_b[r], key[i])
            contributed = 1.0 + messages[i] / leave_contrib_k[r]
            stayed = 1.0 + (day - join_day[i]) / leave_tenure_days[r]
            annoyed = leave_overload[r] * over
            # the exponential only when the draw is under the chance at its largest (trust 0 or
            # 1: exp(|leave_distrust| / 2)), which it seldom is: the same answer, bit for bit
            most = leave_base[r] * most_distrust[r] * hold / contributed / stayed + annoyed
            if u < most * (1.0 + 1e-12) and u < leave_base[r] * np.exp(
                    leave_distrust[r] * (0.5 - t)) * hold / contributed / stayed + annoyed:
                remove[i] = LEAVES
        if status[i] == ACTIVE and \
                draw(mute_b[r], key[i]) < mute_base[r] * hold + mute_overload[r] * over:
            status[i] = MUTED
        if kind[i] == SPAMMER and moderation_g[g] > 0 and draw(kick_b[r], key[i]) < moderation_g[g]:
            remove[i] = KICKED


def step(state: State, plan: DayPlan, day: int) -> None:
    """Mute members now; request leaving and kicks for the end of the day."""
    m, pe, p, s = state.members, state.people, state.p, state.run_keys
    _leave_or_mute(
        remove=m.remove, status=m.status, run=m.run, grp=m.group, key=m.key, person=m.person,
        kind=m.kind, trust=m.trust, person_trust=pe.trust, commit=m.commit, messages=m.messages,
        overload_g=plan.annoying & plan.commercial, moderation_g=plan.moderation,
        leave_b=stream_base(s, Stream.LEAVE, day), mute_b=stream_base(s, Stream.MUTE, day),
        kick_b=stream_base(s, Stream.KICK, day), leave_base=p.leave_base.all,
        leave_distrust=p.leave_distrust.all, commit_leave=p.commit_leave.all,
        leave_contrib_k=p.leave_contrib_k.all, leave_overload=p.leave_overload.all,
        mute_base=p.mute_base.all, mute_overload=p.mute_overload.all, join_day=m.join_day,
        leave_tenure_days=p.leave_tenure_days.all, day=day,
        most_distrust=np.exp(0.5 * np.abs(p.leave_distrust.all)))


def apply_removals(state: State, day: int) -> None:
    """End of day: members who asked to leave or were kicked are gone (Starsim's step_die)."""
    m = state.members
    out = np.flatnonzero(m.remove > 0)
    if out.size == 0:
        return
    n = state.n_runs
    state.run_churned += np.bincount(m.run[out[m.remove[out] == LEAVES]], minlength=n)
    state.run_kicked += np.bincount(m.run[out[m.remove[out] == KICKED]], minlength=n)
    m.status[out] = GONE
    state.members_changed()
    m.leave_day[out] = day
    m.leader[out] = False
    m.remove[out] = 0
