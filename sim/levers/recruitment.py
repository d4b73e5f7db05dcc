"""Recruitment (P18, P19): the operator invites strangers every day, within the friend-add limit.

Each group gets ``min(recruit_per_day, friend_adds)`` invitations a day (P18: an account adds
about 20 friends a day); a fractional rate is met on average by a daily draw. Each invitation costs
``recruit_cost`` yuan (P20: acquisition cost).
"""

from __future__ import annotations

import numpy as np

from sim.levers.base import Lever, add_group_cost, open_groups
from sim.levers.plan import DayPlan
from sim.rng import Stream, key_of, uniform
from sim.state import State


class Recruitment(Lever):
    name, switch, principles = "recruitment", "recruit_per_day", ("P18", "P19", "P20")

    def apply(self, state: State, plan: DayPlan, day: int) -> None:
        g, p = state.groups, state.p
        on = self.on(state, day)[g.run] & open_groups(state, day) & (g.parent < 0)
        if not on.any():
            return
        rate = np.minimum(p.recruit_per_day, p.friend_adds)[g.run]
        u = uniform(state.run_keys, g.run, key_of(g.gid), Stream.RECRUIT, day)
        count = np.floor(rate) + (u < rate - np.floor(rate))
        plan.recruits[on] = count[on].astype(np.int64)
        add_group_cost(state, plan, on, plan.recruits * p.recruit_cost[g.run])
