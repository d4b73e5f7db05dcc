"""Shill accounts (马甲, P2): operator accounts that play a newbie who asks and an expert who
answers.

Planted questions stimulate talk and draw in members whose interests they match (Muchnik et al.
2013: early signals herd); expert shills answer questions. Each shill risks being found out every
day; an exposed shill stops posting and costs every member trust (phases/trust.py).
"""

from __future__ import annotations

import numpy as np

from sim.levers.base import Lever, add_group_cost, open_groups
from sim.levers.plan import DayPlan
from sim.rng import Stream, key_of, uniform
from sim.state import State

EXPERT_ANSWER = 0.4  # share of questions one expert shill answers; assumption
MAX_SHILLS = 50  # the parameter's upper bound


class Shills(Lever):
    name, switch, principles = "shills", "shills", ("P2",)

    def apply(self, state: State, plan: DayPlan, day: int) -> None:
        g, p = state.groups, state.p
        active = self.on(state, day)[g.run] & open_groups(state, day)
        if not active.any():
            return
        rows = np.flatnonzero(active)
        live = g.shills_live[rows]
        # each live shill account is exposed with a small chance a day (one draw per account)
        slot = np.arange(MAX_SHILLS)
        grid_rows = np.repeat(rows, MAX_SHILLS)
        grid_slot = np.tile(slot, rows.size)
        u = uniform(state.run_keys, g.run[grid_rows], key_of(g.gid[grid_rows], grid_slot),
                    Stream.SHILL_EXPOSED, day)
        exposed_slot = (grid_slot < np.repeat(live, MAX_SHILLS)) & \
            (u < p.shill_exposure[g.run[grid_rows]])
        exposed = np.bincount(np.repeat(np.arange(rows.size), MAX_SHILLS)[exposed_slot],
                              minlength=rows.size)
        plan.shills_exposed[rows] = exposed
        g.shills_live[rows] = live = live - exposed
        role = p.shill_roles[g.run[rows]]  # 0 newbie+expert, 1 newbie, 2 expert
        newbies = np.where(role == 0, (live + 1) // 2, np.where(role == 1, live, 0))
        experts = live - newbies
        rate = p.shill_rate[g.run[rows]]
        plan.shill_messages[rows] = live * rate
        plan.planted_questions[rows] = newbies * rate
        plan.expert_answer[rows] = 1.0 - (1.0 - EXPERT_ANSWER) ** experts
        add_group_cost(state, plan, active, g.shills_live * p.shill_cost[g.run])


def arm_new_groups(state: State, rows: np.ndarray) -> None:
    """Give newly made groups their full set of shill accounts."""
    state.groups.shills_live[rows] = state.p.shills[state.groups.run[rows]]
