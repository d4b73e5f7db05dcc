"""The recruitment channel (P29, 渠道): a broad channel brings onlookers, a targeted one the fit.

The operator's daily recruits (recruitment.py) come through a channel. With ``channel_broad`` = s,
each recruit is, with chance s, an onlooker reached by a broad channel (a public forum post, a
big chat group): their interests centre anywhere on the topic circle instead of on the group's
topic, so they fit it poorly, join less often and, once in, post and stay less (phases/joining.py,
posting.py). With s = 0 every recruit comes from the group's own audience, as without the lever.
The channel's price is ``recruit_cost`` per invitation: a broad channel is cheap, so an operator
comparing channels sets it per channel (lesson ``channel``: the same budget spent either way).
Articles: seeds/002 军规二 (without a bar "只要是看到这个群的人,都会抱着凑热闹的心态来看看,
也就导致了来的用户不精准"), seeds/000 (缺精准流量).
"""

from __future__ import annotations

from sim.levers.base import Lever, open_groups
from sim.levers.plan import DayPlan
from sim.state import State


class Channel(Lever):
    name, switch, principles = "channel", "channel_broad", ("P29",)

    def apply(self, state: State, plan: DayPlan, day: int) -> None:
        g, p = state.groups, state.p
        on = self.on(state, day)[g.run] & open_groups(state, day)
        plan.recruit_broad[on] = p.channel_broad[g.run[on]]
