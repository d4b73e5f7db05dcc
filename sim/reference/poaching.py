"""Phase 7b, poaching (私加好友, 私拉小群, P24), after muting and leaving.

In each group with ``P`` present poachers and ``n`` present members, every present member who is
neither poacher nor spammer is pulled into a poacher's group with chance
``(1 - exp(-poach_rate x P / max(n - 1, 1))) x poach_success``; a pulled member leaves with
chance ``poach_leave`` (unless already leaving) and otherwise mutes the group. While moderation is
on, each present poacher is kicked with chance ``moderation x poach_visibility``. Leaving and kicks
take effect at the end of the day (leaving.py).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from sim.reference.agents import GONE, MUTED, SPAMMER

if TYPE_CHECKING:
    from sim.reference.model import ReferenceModel


def step(model: ReferenceModel) -> None:
    p, rng = model.p, model.rng
    if p.share_poachers <= 0:
        return
    for g in model.groups:
        present = [m for m in g.seats if m.status != GONE]
        poachers = [m for m in present if m.person.poacher]
        if not poachers:
            continue
        approached = -math.expm1(-p.poach_rate * len(poachers) / max(len(present) - 1, 1))
        for m in present:
            if m.person.poacher or m.kind == SPAMMER:
                continue
            if rng.random() < approached * p.poach_success:
                if rng.random() < p.poach_leave:
                    if m.remove is None:
                        m.remove = "leaves"
                else:
                    m.status = MUTED
        moderation = model.plan.of(g).moderation
        for m in poachers:
            if moderation > 0 and rng.random() < moderation * p.poach_visibility:
                m.remove = "kicked"
