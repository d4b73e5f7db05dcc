"""Who is in the reference model: people, their seats in groups (members), groups, the operator.

A *person* has traits drawn once (activity, type, ability and willingness to pay, place, age
cohort, interest) and a trust in the owner. A *member* is one seat of a person in one group, with
the group's own state for that person: fit with its topic, trust in the group, attention, habit,
commitment, status, messages, ties. With one group a person has one seat; with several, a person
may hold a seat in each (P12) and shares their owner trust between them.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import mesa

from sim.reference import constants as K

if TYPE_CHECKING:
    from sim.reference.model import ReferenceModel

ORDINARY, SPAMMER, TROUBLEMAKER = "ordinary", "spammer", "troublemaker"
ACTIVE, MUTED, GONE = "active", "muted", "gone"


def circular_distance(a: float, b: float) -> float:
    """Distance on the unit topic circle, in [0, 0.5]."""
    d = abs(a - b) % 1.0
    return min(d, 1.0 - d)


def interest_fit(interest: float, topic: float, width: float) -> float:
    """How well an interest matches a topic: exp(-(distance / width)^2), in (0, 1] (P14)."""
    return math.exp(-((circular_distance(interest, topic) / width) ** 2))


class Person(mesa.Agent):
    """Someone the operator has invited: traits drawn once, and trust in the owner."""

    def __init__(self, model: ReferenceModel, centre: float, city: int | None = None,
                 cohort: int | None = None) -> None:
        super().__init__(model)
        p, rng = model.p, model.rng
        self.activity = p.activity_median * math.exp(p.activity_sigma * rng.standard_normal())
        u = rng.random()
        self.type = SPAMMER if u < p.share_spammers else \
            TROUBLEMAKER if u < p.share_spammers + p.share_troublemakers else ORDINARY
        self.able = rng.random() < p.share_able
        self.willing = rng.random() < p.share_willing
        # willingness to pay: lognormal around the median, far lower for the unable or unwilling
        wtp = p.wtp_median * math.exp(rng.standard_normal())
        wtp *= (1.0 if self.able else K.WTP_NOT_ABLE) * (1.0 if self.willing else K.WTP_NOT_WILLING)
        self.wtp = K.WTP_SPAMMER if self.type == SPAMMER else wtp
        self.city = int(rng.integers(p.n_cities)) if city is None else city
        self.cohort = int(rng.integers(p.n_cohorts)) if cohort is None else cohort
        self.interest = (centre + p.topic_spread * rng.standard_normal()) % 1.0
        self.trust = min(1.0, max(0.0, p.trust_init + p.trust_init_sd * rng.standard_normal()))
        self.messages = 0  # in all groups
        self.converted = False
        self.bought = 0  # day + 1 of the last purchase, 0 = never (P22)
        self.joined_any = False
        # a poacher (P24): drawn only when there are any, so other runs draw as before
        self.poacher = p.share_poachers > 0 and self.type != SPAMMER and \
            rng.random() < p.share_poachers
        self.friend = False  # on the operator's friend list (P11)
        self.invited_to: Group | None = None  # the group last re-invited to from that list

    @property
    def abcd(self) -> str:
        """P10's class: A able and willing, B willing only, C able only, D neither."""
        return "A" if self.able and self.willing else "B" if self.willing else \
            "C" if self.able else "D"


class Member(mesa.Agent):
    """One seat of a person in one group."""

    def __init__(self, model: ReferenceModel, person: Person, group: Group, fit: float,
                 commitment: float, day: int) -> None:
        super().__init__(model)
        self.person, self.group = person, group
        self.fit = fit
        self.trust = person.trust  # trust in the group starts at trust in the owner
        self.attention = 1.0
        self.habit = 0.0  # attention floor built by check-ins
        self.commitment = commitment
        self.status = ACTIVE
        self.join_day, self.leave_day = day, -1
        self.messages = 0  # in this group
        self.retired = False  # stopped posting for good (posting.py)
        self.quarter = 0  # in this group, in the first QUARTER days of the run
        self.today = 0
        self.posted = False  # posted by the posting rule today (a check-in alone is not a post)
        self.seen_until = -1
        self.ties: set[Member] = set()
        self.leader = False
        self.calmed = False  # a troublemaker the owner has talked to privately
        self.remove: str | None = None  # "leaves" or "kicked", applied at the end of the day
        self.attended = False  # at an offline event today
        self.checked_in = -1  # the day of the last check-in (P26)
        self.rivaled = False  # met the rival group (P27)

    @property
    def kind(self) -> str:
        return self.person.type

    @property
    def present(self) -> bool:
        return self.status != GONE

    @property
    def degree(self) -> int:
        return len(self.ties)

    def trust_sum(self) -> float:
        """Trust in the group plus trust in the owner (1.0 is neutral)."""
        return self.trust + self.person.trust

    def similarity(self, other: Member) -> float:
        """Same place, same age cohort, close interests, in [0, 1] (P14)."""
        a, b = self.person, other.person
        close = 1.0 - 2.0 * circular_distance(a.interest, b.interest)
        return ((a.city == b.city) + (a.cohort == b.cohort) + close) / 3.0


class Group(mesa.Agent):
    """A chat group: its topic, its city (for events), its shills and its members."""

    def __init__(self, model: ReferenceModel, local_id: int, topic: float, launch_day: int,
                 parent: Group | None = None) -> None:
        super().__init__(model)
        self.local_id = local_id
        self.topic = topic
        self.launch_day = launch_day
        self.parent = parent
        self.city = int(model.rng.integers(model.p.n_cities))
        # its fate: lognormal of median 1, drawn once; a group split off another keeps its parent's
        self.vitality = (parent.vitality if parent is not None else
                         math.exp(model.p.vitality_sigma * model.rng.standard_normal()))
        self.shills_live = model.p.shills
        self.seats: list[Member] = []  # everyone who ever joined, in join order
        self.stimulus = 0.0  # yesterday's messages per member (members, shills, operator)
        self.pending: list[Invitation] = []
        self.wave_delays: dict[int, int] = {}  # days until each wave of late arrivals
        # the day's totals, written by one phase and read by later ones (and the outcomes)
        self.messages_today = self.posters_today = self.spam_today = 0
        self.questions_today = self.answered_today = self.fights_today = 0

    def open(self, day: int) -> bool:
        return self.launch_day <= day

    def present(self) -> list[Member]:
        return [m for m in self.seats if m.status != GONE]

    def size(self) -> int:
        return sum(1 for m in self.seats if m.status != GONE)


class Invitation:
    """An invitation to one group, answered on ``day``."""

    def __init__(self, group: Group, day: int, person: Person, source: str,
                 referrer: Member | None = None) -> None:
        self.group, self.day, self.person = group, day, person
        self.source, self.referrer = source, referrer
