"""Moderation (P8, P9): rules stated at entry, spammers removed, troublemakers handled.

Spammers are kicked with a daily chance ``moderation`` (phases/leaving.py). Troublemakers (刺头)
are ignored, talked to privately (fewer public arguments, they stay), or kicked in public at their
first argument, which ends their arguments but is itself a public fight (phases/trust.py).
Poachers (P24) are caught with a daily chance ``moderation x poach_visibility``
(phases/poaching.py).
"""

from __future__ import annotations

from sim.levers.base import Lever, add_group_cost, open_groups
from sim.levers.plan import DayPlan
from sim.state import State


class Moderation(Lever):
    name, switch, principles = "moderation", "moderation", ("P8", "P9", "P24")

    def apply(self, state: State, plan: DayPlan, day: int) -> None:
        g, p = state.groups, state.p
        on = self.on(state, day)[g.run] & open_groups(state, day)
        plan.moderation[on] = p.moderation[g.run[on]]
        plan.policy[on] = p.troublemaker_policy[g.run[on]]
        add_group_cost(state, plan, on, p.moderation_cost[g.run])
