"""Phase 2b, check-in with removal (打卡踢人, P26): those who skip the check-in are removed.

seeds/003 (section 一.2): 小茗同学 posts a notice, "every member writes two hundred characters a
day and checks in in the group; whoever does not check in is removed", and the lively chat group
becomes an orderly check-in group. An option of the check-in lever (sim/levers/checkin.py): with
``checkin_kick_days`` = k > 0, on every check-in day a member who has not checked in for k days
(counted from their last check-in, or from joining) is removed at the end of the day, as a kick.
Knowing this, members check in ``checkin_kick_comply`` times as often (:func:`checkin_rates`, read
by the posting rule). Who checked in today is the posting rule's own draw (``Stream.CHECKIN``),
taken again here: only active (unmuted) members who are not spammers check in, so spammers and
members who muted the group are removed too.
"""

from __future__ import annotations

import numpy as np

from sim.levers.plan import DayPlan
from sim.rng import Stream, uniform
from sim.state import ACTIVE, GONE, KICKED, SPAMMER, State


def _kick_on(state: State, day: int) -> np.ndarray:
    """Per run: the check-in lever is on today with its removal option."""
    from sim.levers.checkin import Checkin

    return Checkin().on(state, day) & (state.p.checkin_kick_days.all > 0)


def checkin_rates(state: State, day: int) -> np.ndarray:
    """Per run: today's ``checkin_rate``, times ``checkin_kick_comply`` where skipping means
    removal (the parameter's own array when no run removes anyone: nothing else changes)."""
    rate = state.p.checkin_rate.all
    kick = _kick_on(state, day)
    if not kick.any():
        return rate
    return np.where(kick, rate * state.p.checkin_kick_comply.all, rate)


def step(state: State, plan: DayPlan, day: int) -> None:
    """Note today's check-ins; request the removal of those who skipped too long."""
    if not plan.checkin.any():
        return
    kick = _kick_on(state, day)
    if not kick.any():
        return
    m, s = state.members, state.run_keys
    rows = np.flatnonzero(kick[m.run] & plan.checkin[m.group] & (m.status != GONE))
    run = m.run[rows]
    rates = checkin_rates(state, day)
    can = (m.status[rows] == ACTIVE) & (m.kind[rows] != SPAMMER)
    u = uniform(s, run, m.key[rows], Stream.CHECKIN, day)  # the posting rule's draw (posting.py)
    checked = can & (u < rates[run] * m.attention[rows] * m.fit[rows])
    m.checked_in[rows[checked]] = day + 1
    since = np.maximum(m.checked_in[rows] - 1, m.join_day[rows])
    out = rows[(day - since >= state.p.checkin_kick_days.all[run]) & (m.remove[rows] == 0)]
    m.remove[out] = KICKED
