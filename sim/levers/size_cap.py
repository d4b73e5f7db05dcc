"""A group-size cap with splitting (P12: best 150-200, at most 350; "big groups are loose and
silent, small groups are tight and active").

While on, the joining phase splits any group above ``size_cap`` members in two: the newer half
moves to a new group with the same topic (phases/joining.py, ``split_groups``).
"""

from __future__ import annotations

import numpy as np

from sim.levers.base import Lever
from sim.levers.plan import DayPlan
from sim.state import State


class SizeCap(Lever):
    name, switch, principles = "size_cap", "size_cap", ("P12",)

    def apply(self, state: State, plan: DayPlan, day: int) -> None:
        plan.size_cap[:] = np.where(self.on(state, day), state.p.size_cap, 0)
