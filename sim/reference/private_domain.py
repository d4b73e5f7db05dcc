"""Phase 1b, the private domain (私域, P11) and knowing every member (P10), written plainly.

- **Friend adds.** Each member who joined today adds the operator as a friend with chance
  ``friend_share`` (while the lever is on). The friendship belongs to the person.
- **Re-invitation.** On a re-invitation day each friend (not a spammer) with no seat present in
  the newest open group, and not invited to it before, is invited to it one to one (cost
  ``private_chat_cost``) and joins with chance ``reinvite_accept x 2 x trust in the owner``, room
  permitting, in a new seat whose fit is their interest's match with that group's topic.
- **One-to-one chats.** In each group the operator chats with ``private_chats`` present friends
  (not spammers) of class ``private_target`` (all, or one of A/B/C/D), picked at random: each
  feels seen for ``seen_days`` and gains ``trust_private`` in the group and in the owner; each chat
  costs ``private_chat_cost``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.reference.agents import GONE, SPAMMER, Member, interest_fit

if TYPE_CHECKING:
    from sim.reference.model import ReferenceModel


def add_friends(model: ReferenceModel) -> None:
    for g in model.groups:
        share = model.plan.of(g).friend_share
        if share <= 0:
            continue
        for m in g.seats:
            if m.join_day == model.day and m.status != GONE and not m.person.friend:
                if model.rng.random() < share:
                    m.person.friend = True


def reinvite(model: ReferenceModel) -> None:
    p, day, rng, plan = model.p, model.day, model.rng, model.plan
    opened = [g for g in model.groups if g.open(day)]
    if not opened:
        return
    newest = opened[-1]
    seated = {m.person for m in newest.seats if m.status != GONE}
    for person in model.people():
        if not person.friend or person.type == SPAMMER or person in seated or \
                person.invited_to is newest:
            continue
        person.invited_to = newest
        plan.cost += p.private_chat_cost
        if rng.random() < p.reinvite_accept * 2.0 * person.trust and \
                newest.size() < p.platform_cap:
            fit = interest_fit(person.interest, newest.topic, p.fit_width)
            newest.seats.append(Member(model, person, newest, fit, 0.0, day))
            model.joined += 1


def chat(model: ReferenceModel) -> None:
    p, day, rng, plan = model.p, model.day, model.rng, model.plan
    for g in model.groups:
        k = plan.of(g).private_chats
        if k <= 0:
            continue
        friends = [m for m in g.seats if m.status != GONE and m.person.friend and
                   m.kind != SPAMMER and p.private_target in ("all", m.person.abcd)]
        rng.shuffle(friends)
        for m in friends[:k]:
            m.seen_until = day + p.seen_days
            m.trust += p.trust_private
            m.person.trust += p.trust_private
            plan.cost += p.private_chat_cost


def step(model: ReferenceModel) -> None:
    add_friends(model)
    if model.plan.reinvite:
        reinvite(model)
    chat(model)
