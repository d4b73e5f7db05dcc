"""Referral campaigns (P18): members share the group into their own small groups.

Each day an attentive, trusting member shares with chance ``referral_rate``; a share sends about
``referral_shares`` invitations (P18: 2.2) to friends who resemble the sharer (P14).
A friend already
inside makes joining likelier (Backstrom et al. 2006). Each referred member who joins earns the
sharer a gift of ``referral_reward`` yuan (phases/joining.py).
"""

from __future__ import annotations

import numpy as np

from sim.levers.base import Lever
from sim.levers.plan import DayPlan
from sim.state import State


class Referral(Lever):
    name, switch, principles = "referral", "referral_rate", ("P18",)

    def apply(self, state: State, plan: DayPlan, day: int) -> None:
        plan.referral[:] = np.where(self.on(state, day), state.p.referral_rate, 0.0)
