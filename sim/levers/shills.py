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
from sim.state import State, ranks


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
        owner = np.repeat(np.arange(rows.size), live)
        account = ranks(live)
        run = g.run[rows[owner]]
        u = uniform(state.run_keys, run, key_of(g.gid[rows[owner]], account),
                    Stream.SHILL_EXPOSED, day)
        exposed = np.bincount(owner[u < p.shill_exposure[run]], minlength=rows.size)
        plan.shills_exposed[rows] = exposed
        g.shills_live[rows] = live = live - exposed
        role = p.shill_roles[g.run[rows]]  # 0 newbie+expert, 1 newbie, 2 expert
        newbies = np.where(role == 0, (live + 1) // 2, np.where(role == 1, live, 0))
        experts = live - newbies
        rate = p.shill_rate[g.run[rows]]
        plan.shill_messages[rows] = live * rate
        plan.planted_questions[rows] = newbies * rate
        plan.expert_answer[rows] = 1.0 - (1.0 - p.shill_expert_answer[g.run[rows]]) ** experts
        add_group_cost(state, plan, active, g.shills_live * p.shill_cost[g.run])


def arm_new_groups(state: State, rows: np.ndarray) -> None:
    """Give newly made groups their full set of shill accounts."""
    state.groups.shills_live[rows] = state.p.shills[state.groups.run[rows]]
