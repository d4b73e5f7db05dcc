"""The day loop, written once for one run or thousands: the ordered phases and the levers.

One day, in this order (each phase reads the state left by the one before):

  0. levers      every active lever writes what the operator does today into a DayPlan
                 (sim/levers/*.py: posts, answers, fees, invitations, and their cost)
  1. joining     invitations go out, invitees decide, groups over their size cap split
  1b. private    friend adds, re-invitation from the friend list, one-to-one chats (P11, P10)
  2. posting     who speaks today and how much (the posting rule)
 2b. check-in removal  members who skipped the check-in too long are removed (an option, P26)
  3. replies     questions are answered or not; the owner's @-mentions
  4. ties        members who talked, or met at an event, may form ties
  5. trust       spam, fights, selling too often, exposed shills, events and ties move trust
  6. attention   novelty fades; content and red packets renew attention
  6b. rival      a rival group draws members away: some leave, the rest attend less (P27)
  7. leaving     members mute or ask to leave; moderators kick spammers
 7b. poaching    poachers pull members into their own groups; moderation catches them (P24)
  8. payment     sales on commercial posts
  9. removals    leavers and kicked members are gone (applied once, at the end of the day)
 10. outcomes    the day's numbers are recorded

The order is documented in docs/ODD.md (process overview and scheduling) as well.
"""

from __future__ import annotations

import numpy as np

from sim import outcomes
from sim.levers import LEVERS, DayPlan
from sim.params import Params
from sim.phases import (
    attention,
    checkin_removal,
    joining,
    leaving,
    payment,
    poaching,
    posting,
    private_domain,
    replies,
    rival,
    ties,
    trust,
)
from sim.state import State

PHASES = (joining, private_domain, posting, checkin_removal, replies, ties, trust, attention,
          rival, leaving, poaching, payment)


def new_state(params: list[Params], seeds: np.ndarray) -> State:
    """A batch of runs at day 0: groups made, nobody invited yet."""
    state = State(params=params, seeds=np.asarray(seeds, dtype=np.uint64))
    joining.launch_groups(state)
    return state


def plan_day(state: State, day: int) -> DayPlan:
    """What the operator does today in every group of every run (step 0)."""
    plan = DayPlan(n_groups=state.groups.n, n_runs=state.n_runs)
    for lever in LEVERS:
        lever.apply(state, plan, day)
    return plan


def step(state: State, record_groups: bool = False) -> tuple[dict, dict | None]:
    """Simulate one day; returns the day's per-run (and, if asked, per-group) outcomes."""
    day = state.day
    plan = plan_day(state, day)
    for phase in PHASES:
        phase.step(state, plan, day)
    leaving.apply_removals(state, day)
    state.run_cost += plan.cost
    state.last_plan = plan  # what the operator did today (read by sim/records.py)
    daily = outcomes.record_day(state, plan)
    groups = outcomes.record_groups(state) if record_groups else None
    state.day += 1
    return daily, groups
