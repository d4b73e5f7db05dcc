"""Phase 8, conversion and payment.

P20: profit = traffic x conversion x (price - acquisition cost).

On a commercial post day, each present member who reads the group and has not bought yet buys the
product with chance

    conversion_base * class * attention * 2 * trust,

where ``class`` is 1 for A (able and willing, P10), ``class_bc`` (0.25) for B (willing, not able)
and C (able, not willing), ``class_d`` (0.02) for D, and 0 for spammers. Each sale earns
``product_price`` yuan. Entry fees were counted when members joined (joining.py); costs come from
the levers.

Repeat purchase (P22, off by default): with ``repurchase`` > 0, a person who bought before may buy
again on a commercial post at least ``repurchase_gap`` days after the last purchase, with the
same chance times ``repurchase`` (drawn from its own stream, so first purchases draw exactly the
numbers they draw without the rule). ``conversions`` still counts people who bought; each repeat
sale adds ``product_price`` to revenue. With ``repurchase`` = 0 a person buys once.
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
    again = p.repurchase.all > 0  # per run: buyers may buy again (P22)
    eligible = ~pe.converted[m.person]
    if again.any():
        rerun = again[m.run] & pe.converted[m.person]
        eligible |= rerun & (day + 1 - pe.bought[m.person] >= p.repurchase_gap[m.run])
    rows = np.flatnonzero((m.status == ACTIVE) & plan.commercial[m.group] & eligible &
                          (pe.type[m.person] != SPAMMER))
    run, person = m.run[rows], m.person[rows]
    able, willing = pe.able[person], pe.willing[person]
    klass = np.where(able & willing, 1.0, np.where(able | willing, p.class_bc[run], p.class_d[run]))
    chance = p.conversion_base[run] * klass * m.attention[rows] * (m.trust[rows] + pe.trust[person])
    before = pe.converted[person]
    if not before.any():
        buy = uniform(s, run, m.key[rows], Stream.CONVERT, day) < chance
    else:  # past buyers draw from their own stream; first buyers keep theirs
        buy = np.empty(rows.size, dtype=bool)
        new = ~before
        buy[new] = uniform(s, run[new], m.key[rows[new]], Stream.CONVERT, day) < chance[new]
        old = rows[before]
        buy[before] = (uniform(s, run[before], m.key[old], Stream.REPURCHASE, day)
                       < chance[before] * p.repurchase[run[before]])
    buyers = np.unique(person[buy])  # a person in two groups buys once a day
    first = buyers[~pe.converted[buyers]]
    pe.converted[buyers] = True
    pe.bought[buyers] = day + 1
    run_f, run_b = pe.run[first], pe.run[buyers]
    state.run_conversions += np.bincount(run_f, minlength=state.n_runs)
    state.run_revenue += np.bincount(run_b, weights=per_row(p.product_price[run_b], run_b.size),
                                     minlength=state.n_runs)
