"""Commercial posts every k days (P15): the chance to sell, and the risk of selling too often.

A commercial post gives members a chance to buy (phases/payment.py). One that comes sooner than
``commercial_tolerance`` days after the last annoys: trust falls and muting and leaving rise
(phases/trust.py, phases/leaving.py). Posting costs nothing extra; its price is in members.
``commercial_start`` > 0 serves first and sells later (P23, 先服务后索取). An assumption that makes
the advice matter, off by default: with ``commercial_serve_days`` = k, every commercial post in a
group's first k days annoys members, whatever the cadence. Past buyers may buy again on a
commercial post (P22, 复购: ``repurchase`` in phases/payment.py).
"""

from __future__ import annotations

from sim.levers.base import Lever, open_groups
from sim.levers.plan import DayPlan
from sim.state import State


class Commercial(Lever):
    name, switch, principles = "commercial", "commercial_every", ("P15", "P20", "P22", "P23")

    def apply(self, state: State, plan: DayPlan, day: int) -> None:
        g, p = state.groups, state.p
        post = self.due(state, day, p.commercial_every)[g.run] & open_groups(state, day)
        plan.commercial |= post
        annoy = (p.commercial_every.all < p.commercial_tolerance.all)[g.run]
        serve = p.commercial_serve_days.all
        if serve.any():  # P23: selling before the group has been served annoys (off when 0)
            annoy = annoy | (day - g.launch_day < serve[g.run])
        plan.annoying |= post & annoy
