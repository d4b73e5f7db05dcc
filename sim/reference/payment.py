"""Phase 8, payment: sales on commercial posts (P10, P20).

On a commercial-post day each active member who is not a spammer and whose person has not bought
yet buys with chance ``conversion_base x class x attention x (trust in group + trust in owner)``,
class 1 for A (able and willing), 0.25 for B and C, 0.02 for D. A person buys once, for
``product_price`` yuan.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.reference import constants as K
from sim.reference.agents import ACTIVE, SPAMMER

if TYPE_CHECKING:
    from sim.reference.model import ReferenceModel


def step(model: ReferenceModel) -> None:
    p, rng = model.p, model.rng
    buyers = set()
    for g in model.groups:
        if not model.plan.of(g).commercial:
            continue
        for m in g.seats:
            person = m.person
            if m.status != ACTIVE or person.converted or person.type == SPAMMER:
                continue
            chance = p.conversion_base * K.CLASS_FACTOR[person.abcd] * m.attention * m.trust_sum()
            if rng.random() < chance:
                buyers.add(person)
    for person in buyers:
        person.converted = True
        model.conversions += 1
        model.revenue += p.product_price
