"""Phase 8, payment: sales on commercial posts (P10, P20).

On a commercial-post day each active member who is not a spammer and whose person has not bought
yet buys with chance ``conversion_base x class x attention x (trust in group + trust in owner)``,
class 1 for A (able and willing), 0.25 for B and C, 0.02 for D, for ``product_price`` yuan. A
person buys once, unless ``repurchase`` > 0 (P22): then a past buyer whose last purchase was at
least ``repurchase_gap`` days ago buys again with that chance times ``repurchase``; only first
purchases count as conversions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.reference import constants as K
from sim.reference.agents import ACTIVE, SPAMMER

if TYPE_CHECKING:
    from sim.reference.model import ReferenceModel


def step(model: ReferenceModel) -> None:
    p, rng, day = model.p, model.rng, model.day
    buyers = set()
    for g in model.groups:
        if not model.plan.of(g).commercial:
            continue
        for m in g.seats:
            person = m.person
            if m.status != ACTIVE or person.type == SPAMMER:
                continue
            again = 1.0
            if person.converted:
                if p.repurchase <= 0 or day + 1 - person.bought < p.repurchase_gap:
                    continue
                again = p.repurchase
            chance = p.conversion_base * K.CLASS_FACTOR[person.abcd] * m.attention * m.trust_sum()
            if rng.random() < chance * again:
                buyers.add(person)
    for person in buyers:
        if not person.converted:
            model.conversions += 1
        person.converted = True
        person.bought = day + 1
        model.revenue += p.product_price
