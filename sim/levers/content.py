"""Knowledge posts every k days (P5: content is the core): a daily digest, reading, Q&A topics.

A post restores part of the attention members have lost, more for well-matched members and for a
deep owner (phases/attention.py), and counts as an operator post that stimulates talk.
"""

from __future__ import annotations

from sim.levers.base import Lever, add_group_cost, open_groups
from sim.levers.plan import DayPlan
from sim.state import State


class Content(Lever):
    name, switch, principles = "content", "content_every", ("P5",)

    def apply(self, state: State, plan: DayPlan, day: int) -> None:
        g = state.groups
        post = self.due(state, day, state.p.content_every)[g.run] & open_groups(state, day)
        plan.content |= post
        plan.operator_posts += post
        add_group_cost(state, plan, post, state.p.content_cost[g.run])
