"""Phase 2, posting: who speaks today and how many messages they post (the posting rule).

A present member posts with chance ``1 - exp(-rate)``, where

    rate = activity * crowding * attention * fit * 2 * trust * stimulation * seen * commitment
           * mute * leader * vitality

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
- ``mute``: ``mute_post_factor`` for members who muted the group; ``leader``: ``leader_boost``;
- ``vitality``: the group's fate v, lognormal of median 1 and spread ``vitality_sigma``, drawn
  once per group (Kraut & Resnick 2012: most new groups fail and a few thrive), so that groups
  differ in fate as well as in chance; the rate takes ``v ** vitality_talk`` (below 1, a lively
  group is lively more because more people find it than because each talks more). While a
  group-wide mute (禁言, P25) is on, the rate is also multiplied by ``1 - group_mute x
  group_mute_obey``, the share of the day's talk the mute leaves, and so is the spammers'
  ``spam_rate``.

Posting careers end (Wilkinson 2008): after a day a member posted, with ``k`` messages in the group
so far, they stop posting for good with chance ``career_stop / k``, so many speak once and the
prolific are those who keep going. A member whose career ended still reads (and may check in).

A planted question from a "newbie" shill draws in a matched member with chance
``shill_resonance * fit`` per question (P2). On a posting day a member posts ``1 + G`` messages,
with G geometric of mean ``burst_mean x rate / (rate + burst_half)`` (``burst_mean`` when
``burst_half`` is 0): the prolific write more on the days they speak and an occasional poster one
line. On a check-in day (P16) a member also checks in, one
message, with chance ``checkin_rate * attention * fit`` (times ``checkin_kick_comply`` while
skipping it means removal, P26: sim/phases/checkin_removal.py). Spammers post ads
(``spam_rate`` a day) instead of talking; ads count apart from ``messages``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.levers.plan import DayPlan
from sim.phases import checkin_removal
from sim.rng import Stream, below, draw, geometric0, geometric_one, stream_base, uniform
from sim.state import ACTIVE, GONE, MUTED, SPAMMER, State

QUARTER = 90  # days over which the P4 split of how much members speak is measured


@njit(cache=True)
def _post(today, posted, habit, messages, quarter, person_messages, messages_g, posters_g,
          run, grp, key, person, status, kind, activity, attention, fit, trust, person_trust,
          commit, degree, seen_until, leader, stim_g, crowd_g, planted_g, checkin_g, post_base,
          burst_base, checkin_base, radiation_base, radiation_ties, seen_boost, commit_talk,
          mute_factor, leader_on, leader_boost, quiet_planted, burst_mean, checkin_rate,
          checkin_habit, checkin_habit_max, day, in_quarter, vitality_g, retired, career_base,
          career_stop, burst_half):
    """The posting rule for every member row, in one pass (see the module docstring); then the
    counts it feeds: messages per member, per person and per group, posters per group."""
    for i in range(run.size):
        today[i] = 0
        posted[i] = False
        if status[i] == GONE or kind[i] == SPAMMER:
            continue
        r, g = run[i], grp[i]
        muted = status[i] == MUTED
        speaks = not retired[i]  # a posting career, once ended, stays ended (Wilkinson 2008)
        if not speaks and not checkin_g[g]:
            continue  # nothing to post today (draws are keyed, so skipping changes no other)
        reach = radiation_base[r] + (1.0 - radiation_base[r]) * min(
            1.0, (degree[i] + messages[i]) / radiation_ties[r])
        rate = (activity[i] * crowd_g[g] * attention[i] * fit[i] *
                (trust[i] + person_trust[person[i]]) * (1.0 + stim_g[g] * reach) *
                (1.0 + commit_talk[r] * commit[i]) * vitality_g[g])
        if seen_until[i] > day:
            rate *= 1.0 + seen_boost[r]
        if muted:
            rate *= mute_factor[r]
        if leader[i] and leader_on[r]:
            rate *= leader_boost[r]
        log_quiet = -rate  # log of the chance to stay quiet today
        if planted_g[g] > 0 and not muted:  # planted questions draw matched members in (P2)
            log_quiet += planted_g[g] * quiet_planted[i]  # log(1 - resonance * fit), per member
        if speaks and below(draw(post_base[r], key[i]), log_quiet):
            posted[i] = True
            extra = burst_mean[r]  # mean extra messages: flat, or growing with the rate
            if burst_half[r] > 0:
                extra *= rate / (rate + burst_half[r])
            today[i] = 1 + geometric_one(draw(burst_base[r], key[i]), extra)
            # the career may end here: chance career_stop / k with k messages so far
            if draw(career_base[r], key[i]) * (messages[i] + today[i]) < career_stop[r]:
                retired[i] = True
        if checkin_g[g] and not muted:  # the ritual (P16): one message, and habit grows
            if draw(checkin_base[r], key[i]) < checkin_rate[r] * attention[i] * fit[i]:
                today[i] += 1
                habit[i] = min(habit[i] + checkin_habit[r], checkin_habit_max[r])
        if today[i] > 0:
            messages[i] += today[i]
            if in_quarter:
                quarter[i] += today[i]
            person_messages[person[i]] += today[i]
            messages_g[g] += today[i]
            posters_g[g] += 1.0


def _unmuted(value, plan: DayPlan, groups: np.ndarray | None = None):
    """``value`` (per group, or per row of ``groups``) times the share of talk a group-wide mute
    leaves today (P25, sim/levers/group_mute.py); ``value`` itself when no group is muted."""
    if not plan.mute_share.any():
        return value
    share = plan.mute_share if groups is None else plan.mute_share[groups]
    return value * (1.0 - share)


def step(state: State, plan: DayPlan, day: int) -> None:
    """Set ``members.today`` (messages posted today) and the day's group totals."""
    m, pe, g, p, s = state.members, state.people, state.groups, state.p, state.run_keys
    n_groups = g.n
    size = state.group_sizes()
    # per group: the stimulation yesterday's talk gives (P2, P3) and the crowding of its size (P12)
    x = g.stimulus
    stim_g = p.social_gain[g.run] * (0.5 + p.owner_humour[g.run]) * x / (x + p.social_half[g.run])
    crowd_g = 1.0 / (1.0 + size / p.crowding_size[g.run])
    stim_g, crowd_g = (np.broadcast_to(v, (n_groups,)).astype(np.float64)
                       for v in (stim_g, crowd_g))
    state.messages_today = np.zeros(n_groups)
    state.posters_today = np.zeros(n_groups)
    _post(
        today=m.today, posted=m.posted, habit=m.habit, messages=m.messages, quarter=m.quarter,
        person_messages=pe.messages, messages_g=state.messages_today,
        posters_g=state.posters_today, run=m.run, grp=m.group, key=m.key, person=m.person,
        status=m.status, kind=m.kind, activity=m.activity, attention=m.attention, fit=m.fit,
        trust=m.trust, person_trust=pe.trust, commit=m.commit, degree=m.degree,
        seen_until=m.seen_until, leader=m.leader, stim_g=stim_g, crowd_g=crowd_g,
        planted_g=plan.planted_questions, checkin_g=plan.checkin,
        post_base=stream_base(s, Stream.POST, day), burst_base=stream_base(s, Stream.BURST, day),
        checkin_base=stream_base(s, Stream.CHECKIN, day), radiation_base=p.radiation_base.all,
        radiation_ties=p.radiation_ties.all, seen_boost=p.seen_boost.all,
        commit_talk=p.commit_talk.all, mute_factor=p.mute_post_factor.all,
        leader_on=plan.leaders_on, leader_boost=p.leader_boost.all, quiet_planted=m.quiet_planted,
        burst_mean=p.burst_mean.all, checkin_rate=checkin_removal.checkin_rates(state, day),
        checkin_habit=p.checkin_habit.all, checkin_habit_max=p.checkin_habit_max.all, day=day,
        in_quarter=day < QUARTER,
        vitality_g=_unmuted(g.vitality ** p.vitality_talk[g.run], plan),  # v ** vitality_talk
        retired=m.retired,
        career_base=stream_base(s, Stream.CAREER_END, day), career_stop=p.career_stop.all,
        burst_half=p.burst_half.all)
    # ads by spammers (the moderation lever removes them, leaving.py)
    run, grp = m.run, m.group
    spammers = np.flatnonzero((m.kind == SPAMMER) & (m.status == ACTIVE))
    ads = geometric0(uniform(s, run[spammers], m.key[spammers], Stream.SPAM, day),
                     _unmuted(p.spam_rate[run[spammers]], plan, grp[spammers]))
    state.spam_today = np.bincount(grp[spammers], weights=ads, minlength=n_groups)
    # tomorrow's stimulation: today's messages per member, members' and the operator's
    said = state.messages_today + plan.shill_messages + plan.operator_posts
    g.stimulus = np.where(size > 0, said / np.maximum(size, 1), 0.0)
