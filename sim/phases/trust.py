"""Phase 5, trust: the day's events move trust in the group and trust in the owner (the trust rule).

Trust lies in [0, 1]; 0.5 is neutral. Answers and @-mentions have already added to it (replies.py).
Here, for present members who read the group (not muted):

- each ad seen costs ``trust_spam`` (at most ``ads_felt_max`` a day count; P8);
- a public argument started by a troublemaker costs everyone ``trust_fight``, in the group and in
  the owner (P9: a public fight damages the brand in everyone's eyes). Troublemakers start one with
  chance ``fight_rate`` a day; talked to privately, ``private_talk_effect`` less often; under the
  "public" policy the first argument gets them kicked in public, itself a fight (P9);
- a commercial post that comes too soon costs ``trust_commercial`` in group and owner (P15);
- an exposed shill costs ``trust_shill_exposed`` in group and owner (P2);
- attending an offline event adds ``trust_event`` to both (P16, P17);
- each tie adds ``trust_tie`` a day, counting at most ``trust_tie_max`` ties (P13: knowing builds
  trust).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.levers.plan import DayPlan
from sim.rng import Stream, uniform
from sim.state import ACTIVE, GONE, KICKED, MUTED, TROUBLEMAKER, State

PRIVATE, PUBLIC = 1, 2  # troublemaker policy codes (sim.state._CATEGORICAL)


@njit(cache=True)
def _feel(trust, person_trust, run, grp, person, status, degree, attended, group_hit_g,
          owner_hit_g, trust_event, trust_tie, trust_tie_max):
    owner_delta = np.zeros(person_trust.size)
    for i in range(run.size):
        if status[i] == GONE or status[i] == MUTED:
            continue
        r, g = run[i], grp[i]
        gain = trust_event[r] if attended[i] else 0.0
        trust[i] += gain - group_hit_g[g] + trust_tie[r] * min(degree[i], trust_tie_max[r])
        owner_delta[person[i]] += gain - owner_hit_g[g]
    person_trust += owner_delta


def step(state: State, plan: DayPlan, day: int) -> None:
    """Apply the day's trust changes and keep trust within [0, 1]."""
    m, pe, g, p, s = state.members, state.people, state.groups, state.p, state.run_keys
    # public arguments by troublemakers (P9)
    rows = np.flatnonzero((m.kind == TROUBLEMAKER) & (m.status == ACTIVE))
    grp, run = m.group[rows], m.run[rows]
    policy = plan.policy[grp]
    chance = p.fight_rate[run] * np.where((policy == PRIVATE) & m.calmed[rows],
                                          1.0 - p.private_talk_effect[run], 1.0)
    if plan.mute_share.any():  # a group-wide mute stops arguments too (P25)
        chance = chance * (1.0 - plan.mute_share[grp])
    fight = uniform(s, run, m.key[rows], Stream.FIGHT, day) < chance
    m.calmed[rows[policy == PRIVATE]] = True  # the owner has a word in private
    kicked = rows[fight & (policy == PUBLIC)]
    m.remove[kicked] = KICKED
    fights = np.bincount(grp[fight], minlength=g.n)
    state.fights_today = fights
    # what members who read the group feel today
    ads = np.minimum(state.spam_today, p.ads_felt_max[g.run])
    annoyed = plan.annoying & plan.commercial
    owner_hit = (fights * p.trust_fight[g.run] + annoyed * p.trust_commercial[g.run] +
                 plan.shills_exposed * p.trust_shill_exposed[g.run])  # per group
    group_hit = owner_hit + ads * p.trust_spam[g.run]
    owner_hit, group_hit = (np.broadcast_to(v, (g.n,)).astype(np.float64)
                            for v in (owner_hit, group_hit))
    _feel(
        trust=m.trust, person_trust=pe.trust, run=m.run, grp=m.group, person=m.person,
        status=m.status, degree=m.degree, attended=state.attended, group_hit_g=group_hit,
        owner_hit_g=owner_hit, trust_event=p.trust_event.all, trust_tie=p.trust_tie.all,
        trust_tie_max=p.trust_tie_max.all)
    np.clip(m.trust, 0.0, 1.0, out=m.trust)  # in place: m.trust is a view of the column
    np.clip(pe.trust, 0.0, 1.0, out=pe.trust)
