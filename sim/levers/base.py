"""What every operator lever shares: a window of days, an on switch, a cadence, a cost.

A lever never touches members' rules. Each day, before members act, every lever writes what the
operator does today into the day's :class:`~sim.levers.plan.DayPlan` (posts, answers, fees,
invitations, costs); the phases in ``sim/phases`` then read the plan. So a reader finds each
intervention in its own file, and each member rule in one place, whatever levers are on.
"""

from __future__ import annotations

import numpy as np

from sim.levers.plan import DayPlan
from sim.state import State


class Lever:
    """A lever with a start day, an end day (exclusive) and a main value that is 0 when off.

    Subclasses set ``name`` (the prefix of ``<name>_start``/``<name>_end``), ``switch`` (the
    parameter whose 0 means off), ``principles``, and write :meth:`apply`.
    """

    name = ""
    switch = ""
    principles: tuple[str, ...] = ()

    def on(self, state: State, day: int) -> np.ndarray:
        """Per run: is the lever switched on and inside its window today?"""
        p = state.p
        value = getattr(p, self.switch).all
        start = getattr(p, f"{self.name}_start").all
        end = getattr(p, f"{self.name}_end").all
        return (value != 0) & (start <= day) & (day < end)

    def due(self, state: State, day: int, every: np.ndarray) -> np.ndarray:
        """Per run: on today and today is a cadence day (every ``every`` days from the start)."""
        start = getattr(state.p, f"{self.name}_start").all.astype(np.int64)
        period = np.maximum(every, 1)
        return self.on(state, day) & ((day - start) % period == 0)

    def apply(self, state: State, plan: DayPlan, day: int) -> None:
        """Write today's operator actions into ``plan``."""
        raise NotImplementedError


def open_groups(state: State, day: int) -> np.ndarray:
    """Mask of groups launched by today (the operator acts only in groups that exist)."""
    g = state.groups
    return g.launch_day <= day


def add_group_cost(state: State, plan: DayPlan, groups: np.ndarray, yuan: np.ndarray) -> None:
    """Charge ``yuan`` (per group row) to the runs of the groups in the mask ``groups``."""
    g = state.groups
    plan.cost += np.bincount(g.run[groups], weights=np.broadcast_to(yuan, g.n)[groups],
                             minlength=state.n_runs)
