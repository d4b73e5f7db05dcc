"""The owner's endorsement (P30, 背书): a known name's backing, bought for a price a day.

While the lever is on, newcomers arrive trusting the owner more (their own initial trust plus
``endorsement_trust``, at most 1: "人会下意识对比自己强的人产生崇拜心理"), and an answer by the
owner weighs more: the trust in the owner it gives is multiplied by ``endorsement_weight`` ("他在
说什么的时候,你会下意识的多看看他发的消息"). Trust in the owner feeds posting, staying, sharing
and buying (phases/posting.py, leaving.py, payment.py). It costs ``endorsement_cost`` yuan a day
per group. Article: seeds/002, 军规四 section "2.背书". The first way to authority the article
names, expertise (专业能力), is the owner answering questions (owner.py, ``owner_answer_share``).
"""

from __future__ import annotations

from sim.levers.base import Lever, add_group_cost, open_groups
from sim.levers.plan import DayPlan
from sim.state import State


class Endorsement(Lever):
    name, switch, principles = "endorsement", "endorsement_trust", ("P30",)

    def apply(self, state: State, plan: DayPlan, day: int) -> None:
        g, p = state.groups, state.p
        on = self.on(state, day)[g.run] & open_groups(state, day)
        plan.endorsed[on] = True
        add_group_cost(state, plan, on, p.endorsement_cost[g.run])
