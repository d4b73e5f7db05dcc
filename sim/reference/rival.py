"""Phase 6b, a rival group (P27): someone else's group draws the operator's members away.

People are active in only ``k = groups_active`` groups (seeds/004: 4-6). While the rival is on,
each active member who has not met it yet is drawn in with chance ``rival_reach`` a day. Then one
of their ``k + 1`` groups must go: the operator's, with chance ``min(1, 2 (1 - a) / (k + 1))``
(``a`` their attention here; with ``w = rival_drop_attention``, ``((1 - w) + w 2 (1 - a)) /
(k + 1)``), and they leave at the end of the day; otherwise they stay and their
attention is spread one group thinner, ``a <- a k / (k + 1)``. Each member meets the rival once.

With ``own_groups_compete`` the operator's own groups do the same to each other: a person who
joined one of them today, while active in an older one, has one group too many, and the older
membership meets the same rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.reference.agents import ACTIVE, GONE, Member

if TYPE_CHECKING:
    from sim.reference.model import ReferenceModel


def compete(model: ReferenceModel, m: Member) -> None:
    """One group too many for member ``m``: drop this one, or attend it less."""
    k, w = model.p.groups_active, model.p.rival_drop_attention
    if model.rng.random() < min(1.0, ((1.0 - w) + w * 2.0 * (1.0 - m.attention)) / (k + 1)):
        if m.remove is None:
            m.remove = "leaves"
    else:
        m.attention *= k / (k + 1)


def step(model: ReferenceModel) -> None:
    rng = model.rng
    for g in model.groups:
        reach = model.plan.of(g).rival
        if reach <= 0:
            continue
        for m in g.seats:
            if m.status != ACTIVE or m.rivaled or rng.random() >= reach:
                continue
            m.rivaled = True
            compete(model, m)
    if model.p.own_groups_compete:
        day = model.day
        seats = model.members()
        joined = {id(m.person) for m in seats if m.join_day == day and m.status != GONE}
        for m in seats:
            if m.status == ACTIVE and m.join_day < day and id(m.person) in joined:
                compete(model, m)
