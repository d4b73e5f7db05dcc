"""Step 0, the operator: each morning every lever inside its window says what is done today.

The operator is one agent; its ``step()`` writes today's :class:`Plan` (one :class:`GroupPlan` per
group that exists) and adds up today's cost. A lever acts on days ``start <= day < end`` while its
main value is not 0; a lever with a cadence ``every`` acts on days ``(day - start) % every == 0``.
The members' rules then read the plan (phase files).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import mesa

from sim.reference import constants as K
from sim.reference.agents import GONE, ORDINARY

if TYPE_CHECKING:
    from sim.reference.agents import Group
    from sim.reference.model import ReferenceModel


@dataclass
class GroupPlan:
    """What the operator does in one group today (zeros: nothing)."""

    operator_posts: int = 0  # knowledge posts and check-in prompts (they stimulate talk)
    shill_messages: float = 0.0
    planted_questions: float = 0.0  # questions asked by "newbie" shills
    shills_exposed: int = 0
    content: bool = False
    checkin: bool = False
    commercial: bool = False
    annoying: bool = False  # a commercial post sooner than members tolerate
    red_packet: bool = False
    event: bool = False
    owner_answer: float = 0.0  # chance the owner answers a question
    owner_mentions: float = 0.0  # members @-mentioned today
    expert_answer: float = 0.0  # chance an expert shill answers a question
    leader_answer: float = 0.0  # chance a leader answers a question
    moderation: float = 0.0  # chance a spammer is kicked today
    policy: str = "ignore"  # how troublemakers are handled today
    recruits: int = 0
    mute_share: float = 0.0  # share of the day's talk a group-wide mute stops (P25)
    recruit_broad: float = 0.0  # chance a recruit is an onlooker from anywhere (P29)
    endorsed: bool = False  # the owner is endorsed today (P30)
    friend_share: float = 0.0  # chance a joiner adds the operator as a friend (P11)
    private_chats: int = 0  # one-to-one chats with friends today (P11, P10)
    rival: float = 0.0  # daily chance a member is drawn into a rival group (P27)


@dataclass
class Plan:
    """Today's plan: per group, plus what holds for the whole run."""

    groups: dict = field(default_factory=dict)  # Group -> GroupPlan
    fee: float = 0.0
    effort: float = 0.0
    referral: float = 0.0
    size_cap: int = 0
    leaders_on: bool = False
    cost: float = 0.0
    reinvite: bool = False  # a round of one-to-one re-invitations from the friend list (P11)

    def of(self, group: Group) -> GroupPlan:
        return self.groups.setdefault(group, GroupPlan())


class Operator(mesa.Agent):
    """The person who runs the groups and pulls the levers."""

    def __init__(self, model: ReferenceModel) -> None:
        super().__init__(model)

    def on(self, lever: str, value: float) -> bool:
        p, day = self.model.p, self.model.day
        return value != 0 and getattr(p, f"{lever}_start") <= day < getattr(p, f"{lever}_end")

    def due(self, lever: str, value: float, every: int) -> bool:
        start = int(getattr(self.model.p, f"{lever}_start"))
        return self.on(lever, value) and (self.model.day - start) % max(every, 1) == 0

    def step(self) -> None:
        """Write today's plan into ``model.plan``."""
        model, p, day, rng = self.model, self.model.p, self.model.day, self.model.rng
        plan = model.plan = Plan()
        open_groups = [g for g in model.groups if g.open(day)]
        for g in model.groups:
            plan.of(g)
        # entry threshold (P7): a fee or an effort test for today's joiners
        if self.on("threshold", p.entry_fee or p.effort_test):
            plan.fee, plan.effort = p.entry_fee, p.effort_test
        # recruitment (P18, P19): strangers invited into each group launched by the operator
        if self.on("recruitment", p.recruit_per_day):
            rate = min(p.recruit_per_day, p.friend_adds)
            for g in open_groups:
                if g.parent is None:
                    gp = plan.of(g)
                    gp.recruits = math.floor(rate) + (rng.random() < rate - math.floor(rate))
                    plan.cost += gp.recruits * p.recruit_cost
        if self.on("referral", p.referral_rate):
            plan.referral = p.referral_rate
        if self.on("size_cap", p.size_cap):
            plan.size_cap = p.size_cap
        # shill accounts (P2): each may be found out; newbies plant questions, experts answer
        if self.on("shills", p.shills):
            for g in open_groups:
                gp = plan.of(g)
                exposed = sum(rng.random() < p.shill_exposure for _ in range(g.shills_live))
                gp.shills_exposed = exposed
                g.shills_live -= exposed
                live = g.shills_live
                newbies = {"newbie+expert": (live + 1) // 2, "newbie": live,
                           "expert": 0}[p.shill_roles]
                gp.shill_messages = live * p.shill_rate
                gp.planted_questions = newbies * p.shill_rate
                gp.expert_answer = 1.0 - (1.0 - K.EXPERT_ANSWER) ** (live - newbies)
                plan.cost += live * p.shill_cost
        # knowledge posts (P5)
        if self.due("content", p.content_every, p.content_every):
            for g in open_groups:
                plan.of(g).content = True
                plan.of(g).operator_posts += 1
                plan.cost += p.content_cost
        # the daily check-in ritual (P16)
        if self.on("checkin", p.checkin):
            for g in open_groups:
                plan.of(g).checkin = True
                plan.of(g).operator_posts += 1
                plan.cost += p.checkin_cost
        # commercial posts (P15): annoying when closer together than members tolerate
        if self.due("commercial", p.commercial_every, p.commercial_every):
            for g in open_groups:
                plan.of(g).commercial = True
                plan.of(g).annoying = (p.commercial_every < p.commercial_tolerance
                                       or day - g.launch_day < p.commercial_serve_days)
        # moderation (P8, P9)
        if self.on("moderation", p.moderation):
            for g in open_groups:
                plan.of(g).moderation = p.moderation
                plan.of(g).policy = p.troublemaker_policy
                plan.cost += p.moderation_cost
        # the owner answers and @-mentions (P3, P21)
        if self.on("owner", p.owner_answer_share or p.owner_mentions):
            for g in open_groups:
                plan.of(g).owner_answer = p.owner_answer_share
                plan.of(g).owner_mentions = p.owner_mentions
                plan.cost += p.owner_cost
        # red packets (P17)
        if self.due("red_packets", p.red_packet_every, p.red_packet_every):
            for g in open_groups:
                plan.of(g).red_packet = True
                plan.cost += p.red_packet_yuan
        # offline events (P16, P17)
        if self.due("events", p.event_every, p.event_every):
            for g in open_groups:
                plan.of(g).event = True
                plan.cost += p.event_cost
        # leaders (P17): the ones who said most, kept at `leaders` per group
        if self.on("leaders", p.leaders):
            plan.leaders_on = True
            for g in open_groups:
                leaders = [m for m in g.seats if m.leader]
                short = p.leaders - len(leaders)
                if short > 0:
                    candidates = [m for m in g.seats if m.status != GONE and not m.leader
                                  and m.kind == ORDINARY]
                    candidates.sort(key=lambda m: (-m.messages, -m.person.activity))
                    for m in candidates[:short]:
                        m.leader = True
                        leaders.append(m)
                plan.of(g).leader_answer = 1.0 - (1.0 - p.leader_answer) ** len(leaders)
                plan.cost += len(leaders) * p.leader_cost
        # a group-wide mute (禁言, P25) for a share of each day, obeyed by a share of members
        if self.on("group_mute", p.group_mute):
            for g in open_groups:
                plan.of(g).mute_share = p.group_mute * p.group_mute_obey
                plan.cost += p.group_mute_cost
        # the recruitment channel (P29): a share of recruits are onlookers from a broad channel
        if self.on("channel", p.channel_broad):
            for g in open_groups:
                plan.of(g).recruit_broad = p.channel_broad
        # the owner's endorsement (P30): newcomers trust more, answers weigh more; a price a day
        if self.on("endorsement", p.endorsement_trust):
            for g in open_groups:
                plan.of(g).endorsed = True
                plan.cost += p.endorsement_cost
        # the private domain (P11, P10): friend adds, one-to-one chats, re-invitation rounds
        if self.on("private", p.friend_share):
            for g in open_groups:
                plan.of(g).friend_share = p.friend_share
                plan.of(g).private_chats = p.private_chats
            plan.reinvite = p.reinvite_every > 0 and \
                self.due("private", p.friend_share, p.reinvite_every)
        # a rival group (P27): someone else's, so no cost; the members' rule is in rival.py
        if self.on("rival", p.rival_reach):
            for g in open_groups:
                plan.of(g).rival = p.rival_reach
