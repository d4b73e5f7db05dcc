"""Phase 6b, a rival group (P27): a group run by someone else draws the operator's members away.

People are active in only ``k = groups_active`` small groups (4-6, seeds/004 section
海量用户和收入从哪里来?). While a rival is on (sim/levers/rival.py), each active member who has
not met it yet is drawn into it with the daily chance ``rival_reach``. Joining it makes ``k + 1``
groups, one too many:

    drop  = min(1, 2 (1 - a) / (k + 1))     the operator's group is the one dropped: they leave
    else    a <- a k / (k + 1)              they stay, their attention spread one group thinner

with ``a`` their attention to the operator's group today. At a middling attention (0.5) each of
the ``k + 1`` groups is equally likely to go (1 / (k + 1)); a group that holds its members'
attention (content, a responsive owner, habit) is dropped less often. That is an assumption:
``rival_drop_attention`` = w blends it with a drop at random, ``((1 - w) + w 2 (1 - a)) / (k + 1)``
(w = 1, the default, is the rule above; w = 0 drops one of the ``k + 1`` groups at random). A
member meets the rival once. Leaving is requested here and applied at the end of the day
(phases/leaving.py), so it counts as churn. With ``rival_reach = 0`` (the default) nothing here
runs or draws.

The operator's own groups compete the same way when ``own_groups_compete`` is on: a person who
joins one of them today while active in an older one (invitations overlap, ``overlap``) has one
group too many, and the older membership meets the same rule (dropped with the chance above,
else attended ``k / (k + 1)`` as much), once for each day they join.
"""

from __future__ import annotations

import numpy as np

from sim.levers.plan import DayPlan
from sim.rng import Stream, uniform
from sim.state import ACTIVE, GONE, LEAVES, State


def drop_chance(attention: np.ndarray, k: np.ndarray, weight=1.0) -> np.ndarray:
    """Chance that a member drawn into the rival drops the operator's group for it: with
    ``weight`` w (``rival_drop_attention``), ``min(1, ((1 - w) + w 2 (1 - a)) / (k + 1))``."""
    return np.minimum(1.0, ((1.0 - weight) + weight * 2.0 * (1.0 - attention)) / (k + 1.0))


def step(state: State, plan: DayPlan, day: int) -> None:
    """Draw today's members into the rival; some leave, the others attend less; then the same
    for members who joined another of the operator's groups today (when those compete)."""
    _rival(state, plan, day)
    _own_groups(state, day)


def _compete(state: State, rows: np.ndarray, stream: int, day: int) -> None:
    """One group too many for members ``rows``: each drops it or attends it less."""
    m, s = state.members, state.run_keys
    run, key = m.run[rows], m.key[rows]
    k = np.broadcast_to(state.p.groups_active[run], run.shape).astype(np.float64)
    a = m.attention[rows]
    w = state.p.rival_drop_attention[run]
    drop = uniform(s, run, key, stream, day) < drop_chance(a, k, w)
    leavers = rows[drop & (m.remove[rows] == 0)]
    m.remove[leavers] = LEAVES
    stay = rows[~drop]
    m.attention[stay] = a[~drop] * k[~drop] / (k[~drop] + 1.0)


def _own_groups(state: State, day: int) -> None:
    if not state.p.own_groups_compete.all.any():
        return
    m = state.members
    on = state.p.own_groups_compete.all[m.run]
    new = np.flatnonzero(on & (m.join_day == day) & (m.status != GONE))
    if new.size == 0:
        return
    rows = np.flatnonzero(on & (m.status == ACTIVE) & (m.join_day < day) &
                          np.isin(m.person, m.person[new]))
    if rows.size:
        _compete(state, rows, Stream.OWN_DROP, day)


def _rival(state: State, plan: DayPlan, day: int) -> None:
    if not plan.rival.any():
        return
    m, s = state.members, state.run_keys
    rows = np.flatnonzero((m.status == ACTIVE) & ~m.rivaled & (plan.rival[m.group] > 0))
    if rows.size == 0:
        return
    run, key = m.run[rows], m.key[rows]
    drawn = uniform(s, run, key, Stream.RIVAL_DRAWN, day) < plan.rival[m.group[rows]]
    rows = rows[drawn]
    m.rivaled[rows] = True
    _compete(state, rows, Stream.RIVAL_DROP, day)
