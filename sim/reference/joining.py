"""Phase 1, joining: invitations go out, invitees due today decide, groups above the cap split.

- **Launch.** On its launch day a group invites ``group_size`` people whose interests centre on its
  topic. For the second group on, each invitee is, with chance ``overlap``, someone invited to
  an earlier group of the operator (that group and slot picked at random), who keeps their traits
  (P12).
- **Recruitment** (P18, P19) brings the operator's daily strangers, each, with chance
  ``channel_broad`` while the channel lever is on (P29), an onlooker whose interests centre
  anywhere on the topic circle; **referral** (P18): each
  active member who is not a spammer shares the group with chance
  ``referral_rate x attention x min(1, trust in group + trust in owner)``, sending
  ``referral_shares`` invitations on average (the fraction met by a draw) to friends whose
  interests centre on the sharer's and who share the sharer's city, and cohort, with chance 1/2
  each (P14).
- An invitee answers after a geometric delay of mean ``join_delay`` days (0 = the same day), a
  launch invitee with chance ``s v / (s v + 1 - s)`` (s = ``late_share``, v = the group's vitality)
  after one of mean ``late_delay`` (a late arrival; with ``late_waves`` > 0 late arrivals come in
  that many waves, each wave's day drawn once per group with that mean), and
  joins with chance ``accept_base x sqrt(fit)`` (a spammer: ``accept_base``), times
  ``exp(-fee / (wtp x fit))`` under a fee, times ``1 - effort x (1 - fit)`` under an effort test
  (other than ordinary people: ``1 - effort``); a referred invitee's chance ``c`` becomes
  ``1 - (1 - c)^2`` (a friend inside, Backstrom et al. 2006). Nobody takes a second seat in a group.
  A group at ``platform_cap`` takes no one; joiners are taken in random order until it is full.
- A joiner pays the fee and brings commitment ``min(1, 1 - exp(-fee / fee_commitment_scale) +
  0.5 x effort)`` (P7); a referred joiner knows the friend who referred them (a tie), who gets
  ``referral_reward`` yuan. Someone who joins for the first time while the owner is endorsed
  (P30) adds ``endorsement_trust`` to their trust in the owner (at most 1).
- **Split** (P12): with the size-cap lever on, a group with more than ``size_cap`` members splits:
  the newer half (by join day) moves to a new group with the same topic.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from sim.reference import constants as K
from sim.reference.agents import (
    ACTIVE,
    GONE,
    ORDINARY,
    SPAMMER,
    Group,
    Invitation,
    Member,
    Person,
    interest_fit,
)

if TYPE_CHECKING:
    from sim.reference.model import ReferenceModel


def delay(model: ReferenceModel, group: Group | None = None) -> int:
    """Days before an invitee answers: geometric on {0, 1, ...} with mean ``join_delay``; an
    invitee at a group's launch (``group`` given) is a late arrival, of mean ``late_delay``, with
    chance ``s v / (s v + 1 - s)``, s = ``late_share``, v = the group's vitality."""
    p = model.p
    mean = p.join_delay
    wave = None
    if group is not None:
        s, v = p.late_share, group.vitality
        if model.rng.random() < s * v / (s * v + 1.0 - s):
            mean = p.late_delay
            if p.late_waves > 0:  # one of the group's waves of late arrivals
                wave = int(model.rng.integers(p.late_waves))
        s, v = p.straggle_share, group.vitality ** p.straggle_fate
        if model.rng.random() < s * v / (s * v + 1.0 - s):  # found months later
            mean, wave = p.straggle_delay, None
    if wave is not None:  # the whole wave arrives on one day, drawn once per group and wave
        if wave not in group.wave_delays:
            group.wave_delays[wave] = _geometric(model, p.late_delay)
        return group.wave_delays[wave]
    return _geometric(model, mean)


def _geometric(model: ReferenceModel, mean: float) -> int:
    """Geometric on {0, 1, ...} with the given mean (0 when the mean is 0)."""
    if mean <= 0:
        return 0
    return int(model.rng.geometric(1.0 / (1.0 + mean))) - 1  # numpy counts trials from 1


def send_invitations(model: ReferenceModel) -> None:
    p, day, rng, plan = model.p, model.day, model.rng, model.plan
    for g in list(model.groups):
        if g.launch_day == day and g.parent is None:
            for slot in range(p.group_size):
                home, home_slot = g.local_id, slot
                if g.local_id > 0 and rng.random() < p.overlap:
                    home = int(rng.integers(g.local_id))
                    home_slot = int(rng.integers(p.group_size))
                person = model.launch_person(home, home_slot)
                g.pending.append(Invitation(g, day + delay(model, g), person, "launch"))
        gp = plan.of(g)
        for _ in range(gp.recruits):
            centre = g.topic  # an onlooker's interests centre anywhere on the circle (P29)
            if gp.recruit_broad > 0 and rng.random() < gp.recruit_broad:
                centre = rng.random()
            g.pending.append(Invitation(g, day + delay(model), Person(model, centre), "recruit"))
    if plan.referral > 0:
        for g in list(model.groups):
            for m in g.seats:
                if m.status != ACTIVE or m.kind == SPAMMER:
                    continue
                if rng.random() < plan.referral * m.attention * min(m.trust_sum(), 1.0):
                    n = p.referral_shares
                    count = math.floor(n) + (rng.random() < n - math.floor(n))
                    for _ in range(count):
                        friend = Person(
                            model, m.person.interest,
                            city=m.person.city if rng.random() < K.FRIEND_SAME_PLACE else None,
                            cohort=m.person.cohort if rng.random() < K.FRIEND_SAME_PLACE else None)
                        g.pending.append(Invitation(g, day + delay(model), friend, "referral", m))


def join_chance(model: ReferenceModel, inv: Invitation, fit: float) -> float:
    p, plan, person = model.p, model.plan, inv.person
    chance = p.accept_base * (1.0 if person.type == SPAMMER else math.sqrt(fit))
    if plan.fee > 0:
        chance *= math.exp(-plan.fee / max(person.wtp * fit, 1e-9))
    chance *= 1.0 - plan.effort * ((1.0 - fit) if person.type == ORDINARY else 1.0)
    if inv.source == "referral":
        chance = 1.0 - (1.0 - chance) ** (1.0 + K.REFERRAL_PULL)
    return chance


def decide(model: ReferenceModel) -> None:
    p, day, rng, plan = model.p, model.day, model.rng, model.plan
    for g in list(model.groups):
        due = [inv for inv in g.pending if inv.day == day]
        g.pending = [inv for inv in g.pending if inv.day != day]
        rng.shuffle(due)  # joiners are taken in random order until the group is full
        room = p.platform_cap - g.size()
        decided: set[Person] = set()
        for inv in due:
            person = inv.person
            if person in decided:  # one decision per person and group a day
                continue
            decided.add(person)
            fit = interest_fit(person.interest, g.topic, p.fit_width)
            if not rng.random() < join_chance(model, inv, fit):
                continue
            if any(m.person is person for m in g.seats) or room <= 0:
                continue  # no second seat in a group; a full group takes no one (P12)
            room -= 1
            if plan.of(g).endorsed and not person.joined_any:  # trusts an endorsed owner (P30)
                person.trust = min(1.0, person.trust + p.endorsement_trust)
            commitment = min(1.0, 1.0 - math.exp(-plan.fee / p.fee_commitment_scale) +
                             K.EFFORT_COMMITMENT * plan.effort)
            m = Member(model, person, g, fit, commitment, day)
            g.seats.append(m)
            person.joined_any = True
            model.joined += 1
            model.revenue += plan.fee
            if inv.source == "referral":
                plan.cost += p.referral_reward
                friend = inv.referrer
                if friend.status != GONE and friend.group is g:
                    m.ties.add(friend)
                    friend.ties.add(m)


def split(model: ReferenceModel) -> None:
    cap, day = model.plan.size_cap, model.day
    if cap <= 0:
        return
    for g in list(model.groups):
        present = g.present()
        if len(present) <= cap:
            continue
        new = Group(model, model.next_group_id(), g.topic, day, parent=g)
        model.groups.append(new)
        gp = model.plan.of(g)
        model.plan.groups[new] = type(gp)(**vars(gp))  # today the new group shares its plan
        present.sort(key=lambda m: m.join_day)  # the newer half moves (ties in random order)
        movers = present[len(present) // 2:]
        g.seats = [m for m in g.seats if m not in movers]
        for m in movers:
            m.group = new
            new.seats.append(m)


def step(model: ReferenceModel) -> None:
    send_invitations(model)
    decide(model)
    split(model)
