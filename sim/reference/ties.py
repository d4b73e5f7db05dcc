"""Phase 4, ties: members who talk, or meet at an offline event, may come to know each other.

The members of a group who posted today (by the posting rule; a check-in alone is no
conversation) are put in a random order and each is paired with the next one in that order; a pair
forms a tie with chance ``tie_rate x similarity`` (P13, P14). On an event day each active member
attends with chance ``event_attend x min(1, trust in group + trust in owner) x fit``, times
``event_travel`` for members from another city than the group's; attendees are paired the same way
``event_ties`` times (rounded up), each time afresh, and form ties with chance
``event_tie_rate x similarity`` (P16, P17). A tie is undirected and counted once.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from sim.reference.agents import ACTIVE, Member

if TYPE_CHECKING:
    from sim.reference.model import ReferenceModel


def talk_in_a_row(model: ReferenceModel, members: list[Member], rate: float) -> None:
    """Shuffle, pair each member with the next, and let each pair form a tie."""
    members = list(members)
    model.rng.shuffle(members)
    for a, b in zip(members, members[1:]):
        if model.rng.random() < rate * a.similarity(b):
            a.ties.add(b)
            b.ties.add(a)


def step(model: ReferenceModel) -> None:
    p, rng = model.p, model.rng
    for g in list(model.groups):
        talk_in_a_row(model, [m for m in g.seats if m.posted], p.tie_rate)
        for m in g.seats:
            m.attended = False
        if not model.plan.of(g).event:
            continue
        went = []
        for m in g.seats:
            if m.status != ACTIVE:
                continue
            travel = 1.0 if m.person.city == g.city else p.event_travel
            if rng.random() < p.event_attend * min(1.0, m.trust_sum()) * m.fit * travel:
                m.attended = True
                went.append(m)
        for _ in range(math.ceil(p.event_ties) if went else 0):
            talk_in_a_row(model, went, p.event_tie_rate)
