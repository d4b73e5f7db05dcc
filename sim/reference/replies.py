"""Phase 3, replies and @-mentions: being answered or named makes a member feel seen (P3, P21).

A member who posted today asks a question with chance ``question_share``. It is answered by the
owner with chance ``a_owner`` (the owner's answer share), else by an expert shill, a leader or one
of the other members who posted today, so that in all it is answered with chance

    1 - (1 - a_owner)(1 - a_shill)(1 - a_leader)(1 - member_answer_rate)^(posters - 1).

An answered asker feels seen for ``seen_days`` days and gains ``trust_answered`` in the group, and
in the owner too if the owner answered (times ``endorsement_weight`` when the owner is
endorsed, P30); an unanswered one loses ``trust_unanswered`` in the group.
The owner @-mentions each present member with chance ``owner_mentions / members``: they feel seen
and gain ``trust_mention`` in group and owner. (Trust is kept within [0, 1] at the end of the trust
phase, not here.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.reference.agents import GONE

if TYPE_CHECKING:
    from sim.reference.model import ReferenceModel


def step(model: ReferenceModel) -> None:
    p, rng, day = model.p, model.rng, model.day
    for g in list(model.groups):
        gp = model.plan.of(g)
        others = 1.0 - (1.0 - gp.expert_answer) * (1.0 - gp.leader_answer) * \
            (1.0 - p.member_answer_rate) ** max(g.posters_today - 1, 0)
        answered_chance = 1.0 - (1.0 - gp.owner_answer) * (1.0 - others)
        g.questions_today = g.answered_today = 0
        for m in g.seats:
            if not m.posted or not rng.random() < p.question_share:
                continue
            g.questions_today += 1
            u = rng.random()
            if u < answered_chance:
                g.answered_today += 1
                m.seen_until = day + p.seen_days
                m.trust += p.trust_answered
                if u < gp.owner_answer:  # an endorsed owner's answer weighs more (P30)
                    m.person.trust += p.trust_answered * \
                        (p.endorsement_weight if gp.endorsed else 1.0)
            else:
                m.trust -= p.trust_unanswered
        if gp.owner_mentions > 0:
            chance = min(1.0, gp.owner_mentions / max(g.size(), 1))
            for m in g.seats:
                if m.status != GONE and rng.random() < chance:
                    m.seen_until = day + p.seen_days
                    m.trust += p.trust_mention
                    m.person.trust += p.trust_mention
