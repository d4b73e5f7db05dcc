"""The private domain (私域, P11) and knowing every member (P10): the operator's friend list.

While the lever is on, each joiner adds the operator as a friend with chance ``friend_share``
(seeds/002, 军规七: "进群的人一定要沉淀到自己的私域流量"). The friend list belongs to the operator,
not to a group, so it outlives a member's seat and the group itself: every ``reinvite_every`` days
the operator writes one-to-one to each friend who has no seat in the newest open group (they left
it, or sit only in an older group that may have gone quiet) and invites them into it, once per
friend and group. Each day the operator also holds ``private_chats`` one-to-one chats in each
group with friends who are in it, at random among those of the class ``private_target`` (all, or
one of A/B/C/D, P10). A chat makes the friend feel seen and raises their trust; each chat and each
re-invitation costs ``private_chat_cost`` yuan of operator time. The member rule is
sim/phases/private_domain.py; the cost is charged there, per chat actually held.
"""

from __future__ import annotations

from sim.levers.base import Lever, open_groups
from sim.levers.plan import DayPlan
from sim.state import State


class PrivateDomain(Lever):
    name, switch, principles = "private", "friend_share", ("P11", "P10")

    def apply(self, state: State, plan: DayPlan, day: int) -> None:
        g, p = state.groups, state.p
        on_run = self.on(state, day)
        if not on_run.any():
            return
        on = on_run[g.run] & open_groups(state, day)
        plan.friend_share[on] = p.friend_share[g.run[on]]
        plan.private_chats[on] = p.private_chats[g.run[on]]
        every = p.reinvite_every.all
        plan.reinvite[:] = self.due(state, day, every) & (every > 0)
