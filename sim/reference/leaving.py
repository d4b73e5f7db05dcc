"""Phase 7, muting and leaving (P7, P8, P15; Wilkinson 2008); and, at the end of the day, removals.

For a present member with ``k`` messages in the group, ``t`` the mean of trust in group and owner,
commitment ``c`` and ``o = 1`` on a day with a commercial post that came too soon:

    leave = leave_base x exp(leave_distrust x (0.5 - t)) x (1 - commit_leave x c)
            / (1 + k / leave_contrib_k) / (1 + tenure / leave_tenure_days) + leave_overload x o
    mute  = mute_base x (1 - commit_leave x c) + mute_overload x o       (active members only)

While moderation is on, each spammer is kicked with chance ``moderation`` a day. Leaving and kicks
take effect at the end of the day (:func:`remove`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from sim.reference.agents import ACTIVE, GONE, MUTED, SPAMMER, Member

if TYPE_CHECKING:
    from sim.reference.model import ReferenceModel


def leave_chance(model: ReferenceModel, m: Member, over: float) -> float:
    """Today's chance that member ``m`` leaves (``over``: 1 if selling annoyed today)."""
    p = model.p
    t = 0.5 * m.trust_sum()
    hold = 1.0 - p.commit_leave * m.commitment
    return p.leave_base * math.exp(p.leave_distrust * (0.5 - t)) * hold / \
        (1.0 + m.messages / p.leave_contrib_k) / \
        (1.0 + (model.day - m.join_day) / p.leave_tenure_days) + p.leave_overload * over


def mute_chance(model: ReferenceModel, m: Member, over: float) -> float:
    """Today's chance that active member ``m`` mutes the group."""
    p = model.p
    return p.mute_base * (1.0 - p.commit_leave * m.commitment) + p.mute_overload * over


def step(model: ReferenceModel) -> None:
    rng = model.rng
    for g in model.groups:
        gp = model.plan.of(g)
        over = 1.0 if (gp.annoying and gp.commercial) else 0.0
        for m in g.seats:
            if m.status == GONE:
                continue
            if m.remove is None and rng.random() < leave_chance(model, m, over):
                m.remove = "leaves"
            if m.status == ACTIVE and rng.random() < mute_chance(model, m, over):
                m.status = MUTED
            if m.kind == SPAMMER and gp.moderation > 0 and rng.random() < gp.moderation:
                m.remove = "kicked"


def remove(model: ReferenceModel) -> None:
    """End of the day: those who asked to leave, or were kicked, are gone."""
    for g in model.groups:
        for m in g.seats:
            if m.remove is None:
                continue
            if m.remove == "leaves":
                model.churned += 1
            else:
                model.kicked += 1
            m.status, m.leave_day, m.leader, m.remove = GONE, model.day, False, None
