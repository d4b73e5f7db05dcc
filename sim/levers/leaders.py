"""Leaders, the community's "soul figures" (P17): members given a role, who post and answer more.

While the lever is on, each group keeps ``leaders`` leaders, chosen among its present members as
those who have said most (base activity breaks ties); a leader who leaves is replaced. Leaders post
``leader_boost`` times more (phases/posting.py) and answer questions (phases/replies.py).
"""

from __future__ import annotations

import numpy as np

from sim.levers.base import Lever, add_group_cost, open_groups
from sim.levers.plan import DayPlan
from sim.state import ORDINARY, State


class Leaders(Lever):
    name, switch, principles = "leaders", "leaders", ("P17",)

    def apply(self, state: State, plan: DayPlan, day: int) -> None:
        g, m, p = state.groups, state.members, state.p
        on_run = self.on(state, day)
        plan.leaders_on[:] = on_run
        on = on_run[g.run] & open_groups(state, day)
        if not on.any():
            return
        # leaders who leave lose the role at the end of their day (leaving.apply_removals)
        n_leaders = np.bincount(m.group[m.leader], minlength=g.n)
        short = on & (n_leaders < p.leaders[g.run])
        if short.any():
            pick = state.present() & ~m.leader & short[m.group] & (m.kind == ORDINARY)
            rows = np.flatnonzero(pick)
            # most messages first; then the most active by nature; the key makes the order total
            order = np.lexsort((m.key[rows], -m.activity[rows], -m.messages[rows], m.group[rows]))
            rows = rows[order]
            grp = m.group[rows]
            first = np.searchsorted(grp, grp, side="left")
            rank = np.arange(rows.size) - first
            chosen = rows[rank < (p.leaders[g.run] - n_leaders)[grp]]
            m.leader[chosen] = True
            n_leaders = n_leaders + np.bincount(m.group[chosen], minlength=g.n)
        plan.leader_answer[on] = 1.0 - (1.0 - p.leader_answer[g.run[on]]) ** n_leaders[on]
        add_group_cost(state, plan, on, n_leaders * p.leader_cost[g.run])
