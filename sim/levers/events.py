"""Offline events (P13, P16, P17): meetings in the group's city that build ties and trust.

Members in the event's city who trust the group and fit its topic attend; attendees form ties
with each other and gain trust (phases/ties.py, phases/trust.py).
"""

from __future__ import annotations

from sim.levers.base import Lever, add_group_cost, open_groups
from sim.levers.plan import DayPlan
from sim.state import State


class Events(Lever):
    name, switch, principles = "events", "event_every", ("P13", "P16", "P17")

    def apply(self, state: State, plan: DayPlan, day: int) -> None:
        g = state.groups
        event = self.due(state, day, state.p.event_every)[g.run] & open_groups(state, day)
        plan.event |= event
        add_group_cost(state, plan, event, state.p.event_cost[g.run])
