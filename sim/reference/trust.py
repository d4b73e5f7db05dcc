"""Phase 5, trust: what members who read the group feel today (the trust rule).

First the troublemakers (P9): each active one starts a public argument with chance ``fight_rate``
(after the owner has talked to them privately, under the "private" policy, that chance is cut by
``private_talk_effect``; the talk happens on their first day under the policy, after that day's
draw). Under the "public" policy a troublemaker who argues is kicked, in public: the argument
still happens.

Then every present member who is not muted:

- loses ``trust_spam`` in the group per ad posted today (at most ten count, P8);
- loses ``trust_fight`` in group and owner per argument (P9);
- loses ``trust_commercial`` in group and owner on a commercial post that came too soon (P15);
- loses ``trust_shill_exposed`` in group and owner per shill found out today (P2);
- gains ``trust_event`` in group and owner if they attended an event today (P16, P17);
- gains ``trust_tie`` in the group per tie, at most five (P13).

Trust in the group and in the owner is then kept within [0, 1].
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.reference import constants as K
from sim.reference.agents import ACTIVE, GONE, MUTED, TROUBLEMAKER

if TYPE_CHECKING:
    from sim.reference.model import ReferenceModel


def fights(model: ReferenceModel, g) -> int:
    p, rng, gp = model.p, model.rng, model.plan.of(g)
    n = 0
    for m in g.seats:
        if m.kind != TROUBLEMAKER or m.status != ACTIVE:
            continue
        chance = p.fight_rate
        if gp.policy == "private" and m.calmed:
            chance *= 1.0 - p.private_talk_effect
        chance *= 1.0 - gp.mute_share  # a group-wide mute stops arguments too (P25)
        if rng.random() < chance:
            n += 1
            if gp.policy == "public":
                m.remove = "kicked"
        if gp.policy == "private":
            m.calmed = True
    return n


def step(model: ReferenceModel) -> None:
    p = model.p
    for g in list(model.groups):
        gp = model.plan.of(g)
        g.fights_today = fights(model, g)
        owner_hit = g.fights_today * p.trust_fight + \
            (gp.annoying and gp.commercial) * p.trust_commercial + \
            gp.shills_exposed * p.trust_shill_exposed
        group_hit = owner_hit + min(g.spam_today, K.MAX_ADS_FELT) * p.trust_spam
        for m in g.seats:
            if m.status in (GONE, MUTED):
                continue
            gain = p.trust_event if m.attended else 0.0
            m.trust += gain - group_hit + p.trust_tie * min(m.degree, K.MAX_TIES_TRUSTED)
            m.person.trust += gain - owner_hit
    for g in model.groups:
        for m in g.seats:
            m.trust = min(1.0, max(0.0, m.trust))
    for person in model.people():
        person.trust = min(1.0, max(0.0, person.trust))
