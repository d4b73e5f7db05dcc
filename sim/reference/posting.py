"""Phase 2, posting: who speaks today, and how much (the posting rule).

A present member who is not a spammer posts today with chance ``1 - exp(-rate)``:

    rate = activity x crowding x attention x fit x (trust in group + trust in owner)
           x stimulation x seen x (1 + commit_talk x commitment) x mute x leader

    crowding    = 1 / (1 + members / crowding_size)                      (P12)
    stimulation = 1 + social_gain x (0.5 + humour) x x / (x + social_half) x reach
    reach       = radiation_base + (1 - radiation_base) x min(1, (ties + messages) / radiation_ties)
    seen        = 1 + seen_boost until the day the member stops feeling seen (P21)
    mute        = mute_post_factor if the member muted the group
    leader      = leader_boost for a leader while the leaders lever is on (P17)
    vitality    = the group's own factor v ** vitality_talk, v = exp(vitality_sigma x N(0, 1)) drawn
                  once per group

where x is yesterday's messages per member in the group, counting shills' and the operator's posts
(P2: talk begets talk). Each question planted by a newbie shill draws an unmuted member in with
chance ``shill_resonance x fit``, independently (P2). A member who posts sends ``1 + G`` messages, G
geometric on {0, 1, ...} with mean ``burst_mean`` (times ``rate / (rate + burst_half)`` when
``burst_half`` > 0: the prolific write more on the days they speak); then, with ``k``
messages in the group so far, their posting career ends for good with chance ``career_stop / k``
(Wilkinson 2008): a member whose career ended never passes the posting rule again (check-ins go
on). On a check-in day an unmuted member also checks in (one message) with chance
``checkin_rate x attention x fit`` and builds ``checkin_habit`` of attention floor, up to
``checkin_habit_max`` (P16). Active spammers post a geometric number of ads of mean
``spam_rate`` (not counted as messages).

A group-wide mute (P25) multiplies the rate and ``spam_rate`` by ``1 - mute_share``. With the
check-in's removal option (P26) members check in ``checkin_kick_comply`` times as often, and after
posting, on a check-in day, those whose last check-in (or joining) is ``checkin_kick_days`` back
are removed at the end of the day.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from sim.reference import constants as K
from sim.reference.agents import ACTIVE, GONE, MUTED, SPAMMER, Member

if TYPE_CHECKING:
    from sim.reference.model import ReferenceModel


def kick_on(model: ReferenceModel) -> bool:
    """Today the check-in lever is on with its removal option (P26)."""
    return model.operator.on("checkin", model.p.checkin) and model.p.checkin_kick_days > 0


def remove_skippers(model: ReferenceModel) -> None:
    """Check in or be removed (P26): on a check-in day, every present member whose last check-in
    (or joining) is ``checkin_kick_days`` days back or more is removed at the end of the day."""
    if not kick_on(model):
        return
    for g in model.groups:
        if not model.plan.of(g).checkin:
            continue
        for m in g.seats:
            if m.status != GONE and m.remove is None and \
                    model.day - max(m.checked_in, m.join_day) >= model.p.checkin_kick_days:
                m.remove = "kicked"


def geometric(model: ReferenceModel, mean: float) -> int:
    """A geometric number on {0, 1, ...} with the given mean."""
    if mean <= 0:
        return 0
    return int(model.rng.geometric(1.0 / (1.0 + mean))) - 1


def rate(model: ReferenceModel, m: Member, stimulation: float, crowding: float) -> float:
    p = model.p
    reach = p.radiation_base + (1.0 - p.radiation_base) * min(
        1.0, (m.degree + m.messages) / p.radiation_ties)
    r = (m.person.activity * crowding * m.attention * m.fit * m.trust_sum() *
         (1.0 + stimulation * reach) * (1.0 + p.commit_talk * m.commitment) *
         m.group.vitality ** p.vitality_talk)
    if m.seen_until > model.day:
        r *= 1.0 + p.seen_boost
    if m.status == MUTED:
        r *= p.mute_post_factor
    if m.leader and model.plan.leaders_on:
        r *= p.leader_boost
    return r * (1.0 - model.plan.of(m.group).mute_share)  # a group-wide mute (P25)


def post(model: ReferenceModel, m: Member, stimulation: float, crowding: float) -> None:
    p, rng, gp = model.p, model.rng, model.plan.of(m.group)
    m.today, m.posted = 0, False
    if m.status == GONE or m.kind == SPAMMER:
        return
    today_rate = rate(model, m, stimulation, crowding)
    quiet = math.exp(-today_rate)
    if gp.planted_questions > 0 and m.status != MUTED:
        quiet *= (1.0 - p.shill_resonance * m.fit) ** gp.planted_questions
    if not m.retired and rng.random() < 1.0 - quiet:
        m.posted = True
        extra = p.burst_mean  # mean extra messages: flat, or growing with the member's rate
        if p.burst_half > 0:
            extra *= today_rate / (today_rate + p.burst_half)
        m.today = 1 + geometric(model, extra)
        if rng.random() < p.career_stop / (m.messages + m.today):  # the career ends here
            m.retired = True
    rate_in = p.checkin_rate * (p.checkin_kick_comply if kick_on(model) else 1.0)
    if gp.checkin and m.status != MUTED and rng.random() < rate_in * m.attention * m.fit:
        m.checked_in = model.day  # the last check-in (P26)
        m.today += 1
        m.habit = min(m.habit + p.checkin_habit, p.checkin_habit_max)
    m.messages += m.today
    m.person.messages += m.today
    if model.day < K.QUARTER:
        m.quarter += m.today


def step(model: ReferenceModel) -> None:
    p = model.p
    for g in list(model.groups):
        size = g.size()
        x = g.stimulus
        stimulation = p.social_gain * (0.5 + p.owner_humour) * x / (x + p.social_half)
        crowding = 1.0 / (1.0 + size / p.crowding_size)
        for m in g.seats:
            post(model, m, stimulation, crowding)
        g.messages_today = sum(m.today for m in g.seats)
        g.posters_today = sum(1 for m in g.seats if m.today > 0)
        gp = model.plan.of(g)
        g.spam_today = sum(geometric(model, p.spam_rate * (1.0 - gp.mute_share)) for m in g.seats
                           if m.kind == SPAMMER and m.status == ACTIVE)
        said = g.messages_today + gp.shill_messages + gp.operator_posts
        g.stimulus = said / size if size > 0 else 0.0  # tomorrow's x
    remove_skippers(model)
