"""Phase 6, attention: the novelty of the group fades, fresh content and red packets renew it.

Attention ``a`` in [0, 1] starts at 1 when a member joins and decays each day towards a floor,

    floor = attention_floor * fit + habit
    a <- floor + (a - floor) * (1 - attention_decay * (1 - commit_attention * commit)),

so interest in something new fades (Wu & Huberman 2007; P1's three-month silence) more slowly for
members who paid or worked to get in (P7) and never below what habit has built (P16). A knowledge
post restores ``content_renewal * (0.5 + depth) * fit`` of the attention lost (P5, P3) for members
who read the group. A red packet reaches muted members too: it restores ``red_packet_attention`` of
the attention lost, and a muted member unmutes with chance ``red_packet_wake`` (P17).
"""

from __future__ import annotations

import numpy as np

from sim.levers.plan import DayPlan
from sim.rng import Stream, uniform
from sim.state import ACTIVE, MUTED, State


def step(state: State, plan: DayPlan, day: int) -> None:
    """Decay and renew attention; red packets wake muted members."""
    m, p, s = state.members, state.p, state.seeds
    rows = np.flatnonzero(state.present())
    run, grp = m.run[rows], m.group[rows]
    a, fit = m.attention[rows], m.fit[rows]
    floor = np.minimum(1.0, p.attention_floor[run] * fit + m.habit[rows])
    decay = p.attention_decay[run] * (1.0 - p.commit_attention[run] * m.commit[rows])
    a = np.where(a > floor, floor + (a - floor) * (1.0 - decay), a)
    reads = m.status[rows] == ACTIVE
    content = plan.content[grp] & reads
    a = np.where(content, a + p.content_renewal[run] * (0.5 + p.owner_depth[run]) * fit * (1 - a),
                 a)
    packet = plan.red_packet[grp]
    a = np.where(packet, a + p.red_packet_attention[run] * (1 - a), a)
    m.attention[rows] = np.minimum(a, 1.0)
    if packet.any():
        wake = packet & (m.status[rows] == MUTED) & \
            (uniform(s, run, m.key[rows], Stream.WAKE, day) < p.red_packet_wake[run])
        m.status[rows[wake]] = ACTIVE
