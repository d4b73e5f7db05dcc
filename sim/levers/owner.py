"""Owner responsiveness (P3, P21): answering questions and @-mentioning members by name.

The owner answers a share of questions and @-mentions members (phases/replies.py); both make a
member feel seen (more posting for ``seen_days``) and raise trust in the group and in the owner.
The owner's humour and depth are part of the persona and act in phases/posting.py and attention.py.
"""

from __future__ import annotations

from sim.levers.base import Lever, add_group_cost, open_groups
from sim.levers.plan import DayPlan
from sim.state import State


class Owner(Lever):
    name, switch, principles = "owner", "owner_answer_share", ("P3", "P21")

    def on(self, state, day):
        p = state.p
        return ((p.owner_answer_share.all > 0) | (p.owner_mentions.all > 0)) & \
            (p.owner_start.all <= day) & (day < p.owner_end.all)

    def apply(self, state: State, plan: DayPlan, day: int) -> None:
        g, p = state.groups, state.p
        on = self.on(state, day)[g.run] & open_groups(state, day)
        plan.owner_answer[on] = p.owner_answer_share[g.run[on]]
        plan.owner_mentions[on] = p.owner_mentions[g.run[on]]
        add_group_cost(state, plan, on, p.owner_cost[g.run])
