"""A rival group competing for the same members (P27): not the operator's lever but a fact of the
market, switched on for a window of days so that a scenario can launch a rival on a given day.

People are active in only 4-6 small groups (seeds/004), so a group launched by someone else that
reaches the operator's members takes attention, and some members, away (phases/rival.py). The
operator pays nothing for it; they answer with their own levers (content, the owner, events).
"""

from __future__ import annotations

from sim.levers.base import Lever, open_groups
from sim.levers.plan import DayPlan
from sim.state import State


class Rival(Lever):
    name, switch, principles = "rival", "rival_reach", ("P27",)

    def apply(self, state: State, plan: DayPlan, day: int) -> None:
        g = state.groups
        on = self.on(state, day)[g.run] & open_groups(state, day)
        plan.rival[on] = state.p.rival_reach.all[g.run[on]]
