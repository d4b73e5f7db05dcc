"""Phase 6, attention: the novelty of the group fades, fresh content and red packets renew it.

Attention ``a`` in [0, 1] starts at 1 when a member joins and decays each day towards a floor,

    floor = attention_floor * fit + habit
    a <- floor + (a - floor) * (1 - attention_decay * (1 - commit_attention * commit)),

then today's talk pulls readers back: with ``x`` today's messages per member in the group (members',
shills' and the operator's), an active member regains ``min(1, talk_pull * x)`` of the way up to
their interest ``1 / (1 + t / interest_days)``, t the days since they joined (no ceiling when
``interest_days`` is 0). Interest fades with a member's time in the group (Wu & Huberman 2007), so
talk revives a newcomer fully and an old member less and less: a group's talk comes in short
sparks lit by newcomers and dies between them, as in real rooms (docs/validation.md), instead of a
busy core that talks itself along for months. Conversation so excites more conversation for a
short while and fades fast: a self-exciting (Hawkes) process, as bursts of activity online are
(Crane & Sornette 2008; Zhao et al. 2015), which makes a group's weeks bursty and lets a late
question revive a quiet group.
Interest in something new fades (Wu & Huberman 2007; P1's three-month silence) more slowly for
members who paid or worked to get in (P7) and never below what habit has built (P16). A knowledge
post restores ``content_renewal * (0.5 + depth) * fit`` of the attention lost (P5, P3) for members
who read the group. A red packet reaches muted members too: it restores ``red_packet_attention`` of
the attention lost, and a muted member unmutes with chance ``red_packet_wake`` (P17).
"""

from __future__ import annotations

from numba import njit

from sim.levers.plan import DayPlan
from sim.rng import Stream, draw, stream_base
from sim.state import ACTIVE, GONE, MUTED, State


@njit(cache=True)
def _attend(attention, status, run, grp, key, fit, habit, commit, content_g, packet_g, wake_b,
            attention_floor, attention_decay, commit_attention, content_renewal, owner_depth,
            red_packet_attention, red_packet_wake, talk_g, talk_pull, join_day, day,
            interest_days):
    for i in range(run.size):
        if status[i] == GONE:
            continue
        r, g = run[i], grp[i]
        a = attention[i]
        floor = min(1.0, attention_floor[r] * fit[i] + habit[i])
        if a > floor:
            a = floor + (a - floor) * (1.0 - attention_decay[r] *
                                       (1.0 - commit_attention[r] * commit[i]))
        if status[i] == ACTIVE and talk_g[g] > 0:  # today's talk pulls readers back
            top = 1.0  # the member's interest: how far talk can pull attention back up
            if interest_days[r] > 0:
                top = 1.0 / (1.0 + (day - join_day[i]) / interest_days[r])
            if top > a:
                a = a + min(1.0, talk_pull[r] * talk_g[g]) * (top - a)
        if content_g[g] and status[i] == ACTIVE:
            a = a + content_renewal[r] * (0.5 + owner_depth[r]) * fit[i] * (1 - a)
        if packet_g[g]:
            a = a + red_packet_attention[r] * (1 - a)
            if status[i] == MUTED and draw(wake_b[r], key[i]) < red_packet_wake[r]:
                status[i] = ACTIVE
        attention[i] = min(a, 1.0)


def step(state: State, plan: DayPlan, day: int) -> None:
    """Decay and renew attention; red packets wake muted members."""
    m, p, s = state.members, state.p, state.run_keys
    _attend(
        attention=m.attention, status=m.status, run=m.run, grp=m.group, key=m.key, fit=m.fit,
        habit=m.habit, commit=m.commit, content_g=plan.content, packet_g=plan.red_packet,
        wake_b=stream_base(s, Stream.WAKE, day), attention_floor=p.attention_floor.all,
        attention_decay=p.attention_decay.all, commit_attention=p.commit_attention.all,
        content_renewal=p.content_renewal.all, owner_depth=p.owner_depth.all,
        red_packet_attention=p.red_packet_attention.all, red_packet_wake=p.red_packet_wake.all,
        talk_g=state.groups.stimulus, talk_pull=p.talk_pull.all, join_day=m.join_day, day=day,
        interest_days=p.interest_days.all)
