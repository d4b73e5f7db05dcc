"""Phase 3, replies and @-mentions: being answered and being named make members feel seen.

A member who posted today asks a question with chance ``question_share``. One uniform draw per
question splits the answerers into segments: the owner answers with chance ``a_o`` (the owner's
share, P3), else an expert shill, a leader or another member who posted today; in all

    answered = 1 - (1 - a_o)(1 - a_shill)(1 - a_leader)(1 - member_answer_rate)^(posters - 1).

An answered asker feels seen for ``seen_days`` (more posting, posting.py) and gains trust; an answer
by the owner also raises trust in the owner. With the endorsement lever on (P30), that gain in
trust in the owner is multiplied by ``endorsement_weight``. An unanswered question costs trust
(P3). The owner @-mentions ``owner_mentions`` members a day, at random among those present (P21).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.levers.plan import DayPlan
from sim.rng import Stream, draw, stream_base, uniform
from sim.state import GONE, State


def step(state: State, plan: DayPlan, day: int) -> None:
    """Answer today's questions and make the owner's @-mentions."""
    m, pe, p, s = state.members, state.people, state.p, state.run_keys
    rows = np.flatnonzero(m.posted)
    run, grp = m.run[rows], m.group[rows]
    asks = uniform(s, run, m.key[rows], Stream.QUESTION, day) < p.question_share[run]
    rows, run, grp = rows[asks], run[asks], grp[asks]
    owner = plan.owner_answer[grp]
    others = 1.0 - (1.0 - plan.expert_answer[grp]) * (1.0 - plan.leader_answer[grp]) * \
        (1.0 - p.member_answer_rate[run]) ** np.maximum(state.posters_today[grp] - 1, 0)
    answered_p = 1.0 - (1.0 - owner) * (1.0 - others)
    u = uniform(s, run, m.key[rows], Stream.ANSWER, day)
    by_owner = u < owner
    answered = u < answered_p
    seen = rows[answered]
    m.seen_until[seen] = day + p.seen_days[run[answered]]
    m.trust[seen] += p.trust_answered[run[answered]]
    gain = p.trust_answered[run[by_owner]]
    if plan.endorsed.any():  # an endorsed owner's answers weigh more (P30)
        gain = gain * np.where(plan.endorsed[grp[by_owner]],
                               p.endorsement_weight[run[by_owner]], 1.0)
    np.add.at(pe.trust, m.person[rows[by_owner]], gain)
    m.trust[rows[~answered]] -= p.trust_unanswered[run[~answered]]
    state.questions_today = np.bincount(grp, minlength=state.groups.n)
    state.answered_today = np.bincount(grp[answered], minlength=state.groups.n)
    # the owner's @-mentions, spread at random over present members (P21)
    if plan.owner_mentions.any():
        size = state.group_sizes()
        chance_g = np.minimum(1.0, plan.owner_mentions / np.maximum(size, 1))
        _mention(
            seen_until=m.seen_until, trust=m.trust, person_trust=pe.trust, run=m.run, grp=m.group,
            key=m.key, person=m.person, status=m.status, chance_g=chance_g,
            base=stream_base(s, Stream.MENTION, day), seen_days=p.seen_days.all,
            trust_mention=p.trust_mention.all, day=day)


@njit(cache=True)
def _mention(seen_until, trust, person_trust, run, grp, key, person, status, chance_g, base,
             seen_days, trust_mention, day):
    for i in range(run.size):
        g = grp[i]
        if status[i] == GONE or chance_g[g] <= 0.0:
            continue
        r = run[i]
        if draw(base[r], key[i]) < chance_g[g]:
            seen_until[i] = day + seen_days[r]
            trust[i] += trust_mention[r]
            person_trust[person[i]] += trust_mention[r]
