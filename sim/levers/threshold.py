"""Entry thresholds (门槛, P7): a fee in yuan or an effort test before entry.

The fee and the test act in phases/joining.py: they filter who joins (ability and willingness to
pay, interest, spammers who have nothing to lose) and give joiners a commitment that cuts their
leaving and slows their loss of attention. Fees are revenue, counted when members join.
"""

from __future__ import annotations

import numpy as np

from sim.levers.base import Lever
from sim.levers.plan import DayPlan
from sim.state import State


class Threshold(Lever):
    name, switch, principles = "threshold", "entry_fee", ("P7",)

    def on(self, state: State, day: int) -> np.ndarray:
        p = state.p
        return ((p.entry_fee.all > 0) | (p.effort_test.all > 0)) & \
            (p.threshold_start.all <= day) & (day < p.threshold_end.all)

    def apply(self, state: State, plan: DayPlan, day: int) -> None:
        on = self.on(state, day)
        plan.fee[:] = np.where(on, state.p.entry_fee, 0.0)
        plan.effort[:] = np.where(on, state.p.effort_test, 0.0)
