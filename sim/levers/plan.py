"""The day's plan: what the operator does today, written by the levers, read by the phases."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

RUN_FIELDS = ("fee", "effort", "referral", "size_cap", "cost", "leaders_on", "reinvite")


@dataclass
class DayPlan:
    """Per-group (``g_``) and per-run arrays for one day; zeros mean the operator does nothing."""

    n_groups: int
    n_runs: int
    # posts in the group by the operator's own accounts (they stimulate talk, P2, P5)
    operator_posts: np.ndarray = field(init=False)  # knowledge posts, check-in prompts
    shill_messages: np.ndarray = field(init=False)  # messages by shill accounts
    planted_questions: np.ndarray = field(init=False)  # questions asked by "newbie" shills
    shills_exposed: np.ndarray = field(init=False)  # shills found out today
    content: np.ndarray = field(init=False)  # a knowledge post today (bool)
    checkin: np.ndarray = field(init=False)  # the check-in ritual runs today (bool)
    commercial: np.ndarray = field(init=False)  # a commercial post today (bool)
    annoying: np.ndarray = field(init=False)  # ... that comes too soon after the last (bool)
    red_packet: np.ndarray = field(init=False)  # a red packet today (bool)
    event: np.ndarray = field(init=False)  # an offline event today (bool)
    # who answers questions: shares of questions taken by each kind of answerer
    owner_answer: np.ndarray = field(init=False)
    owner_mentions: np.ndarray = field(init=False)  # members @-mentioned by the owner today
    expert_answer: np.ndarray = field(init=False)
    leader_answer: np.ndarray = field(init=False)
    leaders_on: np.ndarray = field(init=False)  # per run: leaders post more (bool)
    moderation: np.ndarray = field(init=False)  # chance a spammer is removed today
    policy: np.ndarray = field(init=False)  # troublemaker policy code, 0 = ignore
    recruits: np.ndarray = field(init=False)  # strangers invited today (count)
    mute_share: np.ndarray = field(init=False)  # share of talk a group-wide mute stops today
    recruit_broad: np.ndarray = field(init=False)  # share of recruits by a broad channel
    endorsed: np.ndarray = field(init=False)  # the owner is endorsed today (bool, P30)
    rival: np.ndarray = field(init=False)  # daily chance a member is drawn into a rival group
    # per run
    fee: np.ndarray = field(init=False)  # entry fee for today's joiners, yuan
    effort: np.ndarray = field(init=False)  # effort test strength for today's joiners
    referral: np.ndarray = field(init=False)  # daily chance a member shares the group
    size_cap: np.ndarray = field(init=False)  # split groups above this size (0 = never)
    cost: np.ndarray = field(init=False)  # yuan spent today
    # the private domain (P11, P10): friend adds, one-to-one chats per group; re-invitation per run
    friend_share: np.ndarray = field(init=False)  # chance a joiner adds the operator as friend
    private_chats: np.ndarray = field(init=False)  # one-to-one chats today
    reinvite: np.ndarray = field(init=False)  # per run: a re-invitation round today (bool)

    def copy_groups(self, parents: np.ndarray) -> None:
        """New groups made today (splits) act on the plan of the group they came from."""
        for name, f in self.__dataclass_fields__.items():
            value = getattr(self, name)
            if not f.init and name not in RUN_FIELDS:
                setattr(self, name, np.concatenate([value, value[parents]]))
        self.n_groups += len(parents)

    def __post_init__(self) -> None:
        for name, f in self.__dataclass_fields__.items():
            if f.init:
                continue
            n = self.n_runs if name in RUN_FIELDS else self.n_groups
            dtype = bool if name in ("content", "checkin", "commercial", "annoying",
                                     "red_packet", "event", "leaders_on",
                                     "endorsed", "reinvite") else np.float64
            if name in ("policy", "recruits", "shills_exposed"):
                dtype = np.int64
            setattr(self, name, np.zeros(n, dtype=dtype))
