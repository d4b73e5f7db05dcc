"""A daily check-in ritual at a fixed time (打卡, P5, P16: Luoji Siwei's 06:20 voice message).

Members check in with a chance that grows with their attention and fit; a check-in is a message,
and each one builds habit: a higher floor under the member's attention (phases/posting.py and
phases/attention.py). With ``checkin_kick_days`` = k > 0, whoever has not checked in for k days is
removed on a check-in day (P26, 打卡踢人: phases/checkin_removal.py).
"""

from __future__ import annotations

from sim.levers.base import Lever, add_group_cost, open_groups
from sim.levers.plan import DayPlan
from sim.state import State


class Checkin(Lever):
    name, switch, principles = "checkin", "checkin", ("P5", "P16", "P26")

    def apply(self, state: State, plan: DayPlan, day: int) -> None:
        g = state.groups
        ritual = self.on(state, day)[g.run] & open_groups(state, day)
        plan.checkin |= ritual
        plan.operator_posts += ritual
        add_group_cost(state, plan, ritual, state.p.checkin_cost[g.run])
