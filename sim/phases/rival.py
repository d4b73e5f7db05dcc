"""Phase 6b, a rival group (P27): a group run by someone else draws the operator's members away.

People are active in only ``k = groups_active`` small groups (4-6, seeds/004 section 优秀社群的三个
标准). While a rival is on (sim/levers/rival.py), each active member who has not met it yet is drawn
into it with the daily chance ``rival_reach``. Joining it makes ``k + 1`` groups, one too many:

    drop  = min(1, 2 (1 - a) / (k + 1))     the operator's group is the one dropped: they leave
    else    a <- a k / (k + 1)              they stay, their attention spread one group thinner

with ``a`` their attention to the operator's group today. At a middling attention (0.5) each of
the ``k + 1`` groups is equally likely to go (1 / (k + 1)); a group that holds its members'
attention (content, a responsive owner, habit) is dropped less often. A member meets the rival
once. Leaving is requested here and applied at the end of the day (phases/leaving.py), so it
counts as churn. With ``rival_reach = 0`` (the default) nothing here runs or draws.
"""

from __future__ import annotations

import numpy as np

from sim.levers.plan import DayPlan
from sim.rng import Stream, uniform
from sim.state import ACTIVE, LEAVES, State


def drop_chance(attention: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Chance that a member drawn into the rival drops the operator's group for it."""
    return np.minimum(1.0, 2.0 * (1.0 - attention) / (k + 1.0))


def step(state: State, plan: DayPlan, day: int) -> None:
    """Draw today's members into the rival; some leave, the others attend less."""
    if not plan.rival.any():
        return
    m, p, s = state.members, state.p, state.run_keys
    rows = np.flatnonzero((m.status == ACTIVE) & ~m.rivaled & (plan.rival[m.group] > 0))
    if rows.size == 0:
        return
    run, key = m.run[rows], m.key[rows]
    drawn = uniform(s, run, key, Stream.RIVAL_DRAWN, day) < plan.rival[m.group[rows]]
    rows, run, key = rows[drawn], run[drawn], key[drawn]
    m.rivaled[rows] = True
    k = np.broadcast_to(p.groups_active[run], run.shape).astype(np.float64)
    a = m.attention[rows]
    drop = uniform(s, run, key, Stream.RIVAL_DROP, day) < drop_chance(a, k)
    leavers = rows[drop & (m.remove[rows] == 0)]
    m.remove[leavers] = LEAVES
    stay = rows[~drop]
    m.attention[stay] = a[~drop] * k[~drop] / (k[~drop] + 1.0)
