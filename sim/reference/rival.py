"""Phase 6b, a rival group (P27): someone else's group draws the operator's members away.

People are active in only ``k = groups_active`` groups (seeds/004: 4-6). While the rival is on,
each active member who has not met it yet is drawn in with chance ``rival_reach`` a day. Then one
of their ``k + 1`` groups must go: the operator's, with chance ``min(1, 2 (1 - a) / (k + 1))``
(``a`` their attention here), and they leave at the end of the day; otherwise they stay and their
attention is spread one group thinner, ``a <- a k / (k + 1)``. Each member meets the rival once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.reference.agents import ACTIVE

if TYPE_CHECKING:
    from sim.reference.model import ReferenceModel


def step(model: ReferenceModel) -> None:
    p, rng = model.p, model.rng
    k = p.groups_active
    for g in model.groups:
        reach = model.plan.of(g).rival
        if reach <= 0:
            continue
        for m in g.seats:
            if m.status != ACTIVE or m.rivaled or rng.random() >= reach:
                continue
            m.rivaled = True
            if rng.random() < min(1.0, 2.0 * (1.0 - m.attention) / (k + 1)):
                if m.remove is None:
                    m.remove = "leaves"
            else:
                m.attention *= k / (k + 1)
