"""Phase 2, posting: who speaks today and how many messages they post (the posting rule).

A present member posts with chance ``1 - exp(-rate)``, where

    rate = activity * crowding * attention * fit * 2 * trust * stimulation * seen * commitment
           * mute * leader

- ``activity``: base intensity, lognormal across people (heavy-tailed: most lurk, a few talk a lot;
  P4, Wilkinson 2008);
- ``crowding = 1 / (1 + size / crowding_size)``: in a big group each voice counts for less and
  talk is left to others (P12: "big groups are loose and silent, small groups tight and active");
- ``attention`` in [0, 1] fades with the group's novelty and is renewed by content (attention.py);
- ``fit``: interest fit with the group's topic; ``trust``: the mean of trust in the group and in
  the owner (trust 0.5 is neutral);
- ``stimulation = 1 + social_gain * (0.5 + humour) * x / (x + social_half) * reach``: talk begets
  talk. ``x`` is yesterday's messages per member in the group (members, shills and operator posts).
  ``reach`` is the activity radiation of P2: it starts at ``radiation_base`` for a member with no
  ties who never spoke and grows to 1 with their ties and spoken messages, so stimulation spreads
  from the owner and the core to active members and, last, to lurkers;
- ``seen``: ``1 + seen_boost`` for ``seen_days`` after being answered or @-mentioned (P21,
  Joyce & Kraut 2006); ``commitment``: ``1 + commit_talk * commit`` (P7, sign open);
- ``mute``: ``mute_post_factor`` for members who muted the group; ``leader``: ``leader_boost``.

A planted question from a "newbie" shill draws in a matched member with chance
``shill_resonance * fit`` per question (P2). On a posting day a member posts ``1 + G`` messages,
with G geometric of mean ``burst_mean``. On a check-in day (P16) a member also checks in, one
message, with chance ``checkin_rate * attention * fit``. Spammers post ads (``spam_rate`` a day)
instead of talking; ads count apart from ``messages``.
"""

from __future__ import annotations

import numpy as np

from sim.levers.plan import DayPlan
from sim.rng import Stream, geometric0, uniform
from sim.state import ACTIVE, MUTED, SPAMMER, State

QUARTER = 90  # days over which the P4 split of how much members speak is measured


def step(state: State, plan: DayPlan, day: int) -> None:
    """Set ``members.today`` (messages posted today) and the day's group totals."""
    m, pe, g, p, s = state.members, state.people, state.groups, state.p, state.seeds
    n_groups = g.n
    m.today = 0
    m.posted = False
    rows = np.flatnonzero(state.present())
    run, grp, person = m.run[rows], m.group[rows], m.person[rows]
    size = np.bincount(grp, minlength=n_groups)
    ptype = pe.type[person]
    talker = ptype != SPAMMER
    # social stimulation from yesterday's messages, reaching members by their ties (P2)
    x = g.stimulus[grp]
    reach = p.radiation_base[run] + (1 - p.radiation_base[run]) * np.minimum(
        1.0, (m.degree[rows] + m.messages[rows]) / p.radiation_ties[run])
    stimulation = 1.0 + p.social_gain[run] * (0.5 + p.owner_humour[run]) * \
        x / (x + p.social_half[run]) * reach
    seen = np.where(m.seen_until[rows] > day, 1.0 + p.seen_boost[run], 1.0)
    muted = m.status[rows] == MUTED
    crowding = 1.0 / (1.0 + size[grp] / p.crowding_size[run])
    rate = (pe.activity[person] * crowding * m.attention[rows] * m.fit[rows] *
            (m.trust[rows] + pe.trust[person]) * stimulation * seen *
            (1.0 + p.commit_talk[run] * m.commit[rows]) *
            np.where(muted, p.mute_post_factor[run], 1.0) *
            np.where(m.leader[rows] & plan.leaders_on[run], p.leader_boost[run], 1.0))
    chance = -np.expm1(-rate)
    planted = plan.planted_questions[grp]
    resonance = 1.0 - (1.0 - p.shill_resonance[run] * m.fit[rows]) ** planted
    chance = 1.0 - (1.0 - chance) * np.where(muted, 1.0, 1.0 - resonance)
    post = talker & (uniform(s, run, m.key[rows], Stream.POST, day) < chance)
    burst = geometric0(uniform(s, run, m.key[rows], Stream.BURST, day), p.burst_mean[run])
    today = np.where(post, 1 + burst, 0)
    ritual = plan.checkin[grp] & talker & (m.status[rows] == ACTIVE)
    if ritual.any():
        checkin = ritual & (uniform(s, run, m.key[rows], Stream.CHECKIN, day) <
                            p.checkin_rate[run] * m.attention[rows] * m.fit[rows])
        today = today + checkin
        m.habit[rows[checkin]] = np.minimum(
            m.habit[rows[checkin]] + p.checkin_habit[run[checkin]],
            p.checkin_habit_max[run[checkin]])
    m.today[rows] = today
    m.posted[rows] = post
    m.messages[rows] += today
    if day < QUARTER:
        m.quarter[rows] += today
    pe.messages += np.bincount(person, weights=today, minlength=pe.n).astype(np.int64)
    # ads by spammers (the moderation lever removes them, leaving.py)
    spam = np.where(ptype == SPAMMER,
                    geometric0(uniform(s, run, m.key[rows], Stream.SPAM, day), p.spam_rate[run]),
                    0)
    spam = np.where(m.status[rows] == ACTIVE, spam, 0)
    state.spam_today = np.bincount(grp, weights=spam, minlength=n_groups)
    state.messages_today = np.bincount(grp, weights=today, minlength=n_groups)
    state.posters_today = np.bincount(grp, weights=today > 0, minlength=n_groups)
    # tomorrow's stimulation: today's messages per member, members' and the operator's
    said = state.messages_today + plan.shill_messages + plan.operator_posts
    g.stimulus = np.where(size > 0, said / np.maximum(size, 1), 0.0)
