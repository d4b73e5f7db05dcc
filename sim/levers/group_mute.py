"""A group-wide mute (禁言, P25): for a share of each day nobody but the operator may post.

The operator announces the mute (or switches on the platform's 全员禁言) for ``group_mute`` of the
day, every day of the lever's window, at ``group_mute_cost`` yuan a day per group. In muted hours
``group_mute_obey`` of members' talk, spammers' ads and troublemakers' arguments is stopped (below
1: "当你明确告知禁言后,他们依旧我行我素的聊天", seeds/002). The share of the day's talk stopped,
``group_mute x group_mute_obey``, scales the posting rule (phases/posting.py), ads (the same file)
and arguments (phases/trust.py): order is kept, and the price is the talk lost, with the attention
that talk would have pulled back.
"""

from __future__ import annotations

import numpy as np

from sim.levers.base import Lever, add_group_cost, open_groups
from sim.levers.plan import DayPlan
from sim.state import State


class GroupMute(Lever):
    name, switch, principles = "group_mute", "group_mute", ("P25",)

    def apply(self, state: State, plan: DayPlan, day: int) -> None:
        g, p = state.groups, state.p
        on = self.on(state, day)[g.run] & open_groups(state, day)
        stopped = np.broadcast_to(p.group_mute[g.run] * p.group_mute_obey[g.run], (g.n,))
        plan.mute_share[on] = stopped[on]
        add_group_cost(state, plan, on, p.group_mute_cost[g.run])
