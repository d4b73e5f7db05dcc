"""ReferenceModel: the model's rules written a second time, plainly, as a Mesa model.

One ``step()`` is one day, in the engine's order (docs/ODD.md, section 3):

    0. the operator plans the day (operator.py: every lever)
    1. joining      invitations, decisions, splits              (joining.py)
    1b. private     friend adds, re-invitation, one-to-one chats (private_domain.py)
    2. posting      who speaks, how much; check-ins; ads         (posting.py)
                    and who skipped the check-in too long (P26)
    3. replies      questions answered or not; @-mentions        (replies.py)
    4. ties         conversation and events make ties            (ties.py)
    5. trust        fights, ads, selling, shills, events, ties   (trust.py)
    6. attention    fading and renewal; red packets wake         (attention.py)
    6b. rival       a rival group draws members away (P27)       (rival.py)
    7. leaving      muting, leaving, kicks requested             (leaving.py)
   7b. poaching     poachers pull members away; moderation       (poaching.py)
    8. payment      sales on commercial posts                    (payment.py)
    9. removals     leavers and kicked members are gone          (leaving.py)
   10. outcomes     the day's numbers                            (this file)

Within a phase every member acts on the state the previous phase left (a synchronous update), so
the members' choices are written as phase functions over agents rather than one ``step()`` per
member. The model shares only its parameters (``sim.params``) with the engine; its random numbers
come from Mesa's seeded ``numpy`` Generator (``self.rng``), drawn one at a time, so its runs differ
draw for draw from the engine's and agree with them only in distribution (tests/test_reference.py).
"""

from __future__ import annotations

import math
from typing import Any

import mesa
import pandas as pd

from sim.params import Params, resolve
from sim.reference import (
    attention,
    joining,
    leaving,
    payment,
    poaching,
    posting,
    private_domain,
    replies,
    ties,
    trust,
)
from sim.reference import constants as K
from sim.reference import rival as rival  # P27 (a line of its own: fewer merge conflicts)
from sim.reference.agents import GONE, MUTED, Group, Member, Person
from sim.reference.operator import Operator, Plan

PHASES = (joining, private_domain, posting, replies, ties, trust, attention, rival, leaving,
          poaching, payment)


class ReferenceModel(mesa.Model):
    """An operator's groups and their members; one ``step()`` is one day.

    Args:
        seed: seed of the model's random numbers (Mesa's ``rng``).
        **params: any parameter of :class:`sim.params.Params`.
    """

    def __init__(self, seed: int | None = None, **params: Any) -> None:
        super().__init__(rng=seed)
        self.p: Params = resolve(params, source="ReferenceModel")
        self.day = 0
        self.plan = Plan()
        self.joined = self.churned = self.kicked = self.conversions = 0
        self.revenue = self.cost = 0.0
        self._launch_people: dict[tuple[int, int], Person] = {}
        self._group_ids = 0
        self.operator = Operator(self)
        self.groups: list[Group] = []
        for i in range(self.p.n_groups):
            self.groups.append(Group(self, self.next_group_id(), (i * K.GOLDEN) % 1.0,
                                     i * self.p.launch_interval))
        self.rows: list[dict[str, Any]] = []

    def next_group_id(self) -> int:
        self._group_ids += 1
        return self._group_ids - 1

    def launch_person(self, home: int, slot: int) -> Person:
        """Invitee ``slot`` of group ``home``'s launch: the same person each time they are met."""
        key = (home, slot)
        if key not in self._launch_people:
            self._launch_people[key] = Person(self, (home * K.GOLDEN) % 1.0)
        return self._launch_people[key]

    def people(self) -> list[Person]:
        return list(self.agents_by_type.get(Person, []))

    def members(self) -> list[Member]:
        """Every seat ever taken, in every group."""
        return [m for g in self.groups for m in g.seats]

    def step(self) -> None:
        self.operator.step()
        for phase in PHASES:
            phase.step(self)
        leaving.remove(self)
        self.cost += self.plan.cost
        self.rows.append(self.outcomes())
        self.day += 1

    def outcomes(self) -> dict[str, Any]:
        """The day's numbers, named as the engine's daily columns (sim/outcomes.py)."""
        seats = self.members()
        present = [m for m in seats if m.status != GONE]
        n = len(present)
        counts = sorted((m.messages for m in seats), reverse=True)
        total = sum(counts)
        top = sum(counts[:math.ceil(0.1 * len(counts))])
        pairs = sum(g.size() * (g.size() - 1) / 2 for g in self.groups)
        ties = sum(1 for m in present for o in m.ties
                   if o.status != GONE and o.group is m.group) / 2
        return {
            "day": self.day,
            "members": n,
            "people": len({m.person for m in present}),
            "active_members": sum(1 for m in seats if m.today > 0),
            "messages": sum(m.today for m in seats),
            "ever_spoken_share": sum(m.messages > 0 for m in present) / n if n else 0.0,
            "mean_trust": sum(0.5 * m.trust_sum() for m in present) / n if n else 0.0,
            "top10_share": top / total if total else 0.0,
            "tie_density": ties / pairs if pairs else 0.0,
            "muted": sum(m.status == MUTED for m in present),
            "joined": self.joined,
            "churned": self.churned,
            "kicked": self.kicked,
            "questions": sum(g.questions_today for g in self.groups),
            "answered": sum(g.answered_today for g in self.groups),
            "shill_messages": sum(self.plan.of(g).shill_messages for g in self.groups),
            "spam_messages": sum(g.spam_today for g in self.groups),
            "groups": sum(g.open(self.day) for g in self.groups),
            "conversions": self.conversions,
            "revenue": self.revenue,
            "cost": self.cost,
        }

    @property
    def daily(self) -> pd.DataFrame:
        """One row a day: the engine's daily columns."""
        return pd.DataFrame(self.rows)


def run_reference(params: dict[str, Any], seed: int, days: int) -> ReferenceModel:
    """A reference run of ``days`` days."""
    model = ReferenceModel(seed=seed, **params)
    for _ in range(days):
        model.step()
    return model
