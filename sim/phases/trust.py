"""Phase 5, trust: the day's events move trust in the group and trust in the owner (the trust rule).

Trust lies in [0, 1]; 0.5 is neutral. Answers and @-mentions have already added to it (replies.py).
Here, for present members who read the group (not muted):

- each ad seen costs ``trust_spam`` (at most ten a day count; P8);
- a public argument started by a troublemaker costs everyone ``trust_fight``, in the group and in
  the owner (P9: a public fight damages the brand in everyone's eyes). Troublemakers start one with
  chance ``fight_rate`` a day; talked to privately, ``private_talk_effect`` less often; under the
  "public" policy the first argument gets them kicked in public, itself a fight (P9);
- a commercial post that comes too soon costs ``trust_commercial`` in group and owner (P15);
- an exposed shill costs ``trust_shill_exposed`` in group and owner (P2);
- attending an offline event adds ``trust_event`` to both (P16, P17);
- each tie adds ``trust_tie`` a day, counting at most five ties (P13: knowing builds trust).
"""

from __future__ import annotations

import numpy as np

from sim.levers.plan import DayPlan
from sim.rng import Stream, uniform
from sim.state import ACTIVE, MUTED, TROUBLEMAKER, State

PRIVATE, PUBLIC = 1, 2  # troublemaker policy codes (sim.state._CATEGORICAL)
MAX_ADS_FELT = 10


def step(state: State, plan: DayPlan, day: int) -> None:
    """Apply the day's trust changes and keep trust within [0, 1]."""
    m, pe, g, p, s = state.members, state.people, state.groups, state.p, state.seeds
    present = state.present()
    # public arguments by troublemakers (P9)
    rows = np.flatnonzero(present & (pe.type[m.person] == TROUBLEMAKER) & (m.status == ACTIVE))
    grp, run = m.group[rows], m.run[rows]
    policy = plan.policy[grp]
    chance = p.fight_rate[run] * np.where((policy == PRIVATE) & m.calmed[rows],
                                          1.0 - p.private_talk_effect[run], 1.0)
    fight = uniform(s, run, m.key[rows], Stream.FIGHT, day) < chance
    m.calmed[rows[policy == PRIVATE]] = True  # the owner has a word in private
    kicked = rows[fight & (policy == PUBLIC)]
    m.remove[kicked] = 2
    fights = np.bincount(grp[fight], minlength=g.n)
    state.fights_today = fights
    # what members who read the group feel today
    reading = np.flatnonzero(present & (m.status != MUTED))
    grp, run, person = m.group[reading], m.run[reading], m.person[reading]
    ads = np.minimum(state.spam_today[grp], MAX_ADS_FELT)
    group_hit = ads * p.trust_spam[run] + fights[grp] * p.trust_fight[run]
    owner_hit = fights[grp] * p.trust_fight[run]
    annoyed = plan.annoying[grp] & plan.commercial[grp]
    owner_hit = owner_hit + annoyed * p.trust_commercial[run] + \
        plan.shills_exposed[grp] * p.trust_shill_exposed[run]
    group_hit = group_hit + annoyed * p.trust_commercial[run] + \
        plan.shills_exposed[grp] * p.trust_shill_exposed[run]
    gain = state.attended[reading] * p.trust_event[run]
    m.trust[reading] += gain - group_hit + p.trust_tie[run] * np.minimum(m.degree[reading], 5)
    pe.trust += np.bincount(person, weights=gain - owner_hit, minlength=pe.n)
    m.trust = np.clip(m.trust, 0.0, 1.0)
    pe.trust = np.clip(pe.trust, 0.0, 1.0)
