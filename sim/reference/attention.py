"""Phase 6, attention: novelty fades; knowledge posts and red packets renew it (P1, P5, P7, P17).

For every present member, with ``floor = min(1, attention_floor x fit + habit)``:

    if a > floor:
        a <- floor + (a - floor) x (1 - attention_decay x (1 - commit_attention x commitment))
    a <- a + min(1, talk_pull x x) x (top - a)   x = today's messages per member (active members),
                                                 when a < top = 1 / (1 + tenure / interest_days)
                                                 (top = 1 when interest_days is 0)
    a <- a + content_renewal x (0.5 + depth) x fit x (1 - a)   on a knowledge-post day (active)
    a <- a + red_packet_attention x (1 - a)                      on a red-packet day (muted too)

and on a red-packet day a muted member unmutes with chance ``red_packet_wake``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.reference.agents import ACTIVE, GONE, MUTED

if TYPE_CHECKING:
    from sim.reference.model import ReferenceModel


def step(model: ReferenceModel) -> None:
    p, rng = model.p, model.rng
    for g in model.groups:
        gp = model.plan.of(g)
        for m in g.seats:
            if m.status == GONE:
                continue
            a = m.attention
            floor = min(1.0, p.attention_floor * m.fit + m.habit)
            if a > floor:
                a = floor + (a - floor) * (1.0 - p.attention_decay *
                                           (1.0 - p.commit_attention * m.commitment))
            if m.status == ACTIVE and g.stimulus > 0:  # today's talk pulls readers back
                top = (1.0 / (1.0 + (model.day - m.join_day) / p.interest_days)
                       if p.interest_days > 0 else 1.0)  # interest fades with tenure
                if top > a:
                    a += min(1.0, p.talk_pull * g.stimulus) * (top - a)
            if gp.content and m.status == ACTIVE:
                a += p.content_renewal * (0.5 + p.owner_depth) * m.fit * (1.0 - a)
            if gp.red_packet:
                a += p.red_packet_attention * (1.0 - a)
                if m.status == MUTED and rng.random() < p.red_packet_wake:
                    m.status = ACTIVE
            m.attention = min(a, 1.0)
