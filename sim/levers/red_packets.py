"""Red packets (红包, P17): small cash gifts that wake dormant members.

On a red-packet day every member sees the notification, muted ones too: attention is partly
restored and muted members may unmute (phases/attention.py). The cash is the cost.
"""

from __future__ import annotations

from sim.levers.base import Lever, add_group_cost, open_groups
from sim.levers.plan import DayPlan
from sim.state import State


class RedPackets(Lever):
    name, switch, principles = "red_packets", "red_packet_every", ("P17",)

    def apply(self, state: State, plan: DayPlan, day: int) -> None:
        g = state.groups
        packet = self.due(state, day, state.p.red_packet_every)[g.run] & open_groups(state, day)
        plan.red_packet |= packet
        add_group_cost(state, plan, packet, state.p.red_packet_yuan[g.run])
