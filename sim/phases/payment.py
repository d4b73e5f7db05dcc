"""Phase 8, conversion and payment.

P20: profit = traffic x conversion x (price - acquisition cost).

On a commercial post day, each present member who reads the group and has not bought yet buys the
product with chance

    conversion_base * class * attention * 2 * trust,

where ``class`` is 1 for A (able and willing, P10), ``class_bc`` (0.25) for B (willing, not able)
and C (able, not willing), ``class_d`` (0.02) for D, and 0 for spammers. Each sale earns
``product_price`` yuan. Entry fees were counted when members joined (joining.py); costs come from
the levers.
"""

from __future__ import annotations

import numpy as np

from sim.levers.plan import DayPlan
from sim.rng import Stream, uniform
from sim.state import ACTIVE, SPAMMER, State, per_row


def step(state: State, plan: DayPlan, day: int) -> None:
    """Sales on today's commercial posts."""
    if not plan.commercial.any():
        return
    m, pe, p, s = state.members, state.people, state.p, state.run_keys
    rows = np.flatnonzero((m.status == ACTIVE) & plan.commercial[m.group] &
                          ~pe.converted[m.person] & (pe.type[m.person] != SPAMMER))
    run, person = m.run[rows], m.person[rows]
    able, willing = pe.able[person], pe.willing[person]
    klass = np.where(able & willing, 1.0, np.where(able | willing, p.class_bc[run], p.class_d[run]))
    chance = p.conversion_base[run] * klass * m.attention[rows] * (m.trust[rows] + pe.trust[person])
    buy = uniform(s, run, m.key[rows], Stream.CONVERT, day) < chance
    buyers = np.unique(person[buy])  # a person in two groups buys once
    pe.converted[buyers] = True
    run_b = pe.run[buyers]
    state.run_conversions += np.bincount(run_b, minlength=state.n_runs)
    state.run_revenue += np.bincount(run_b, weights=per_row(p.product_price[run_b], run_b.size),
                                     minlength=state.n_runs)
