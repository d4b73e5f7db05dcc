"""Phase 1b, the private domain (私域, P11, P10): friend adds, re-invitation, one-to-one chats.

Runs right after joining, only while the private-domain lever is on (sim/levers/private_domain.py);
with it off it draws nothing and changes nothing.

- **Friend adds.** Each member who joined today adds the operator as a friend with chance
  ``friend_share`` (seeds/002, 军规七). Being a friend belongs to the person, not to a seat: it
  lasts when they leave every group.
- **Re-invitation.** On a re-invitation day every friend who has no seat in the newest open group
  of the run (they left it, or they sit only in an older group, which may have gone quiet) and is
  not a spammer gets one one-to-one invitation to that group (once per friend and group), and
  joins with chance ``min(1, reinvite_accept x 2 x trust in the owner)``: a friend follows the
  operator, not the topic (at neutral trust 0.5 the chance is ``reinvite_accept``). A returner
  takes a new seat with the fit of their interest to that group's topic, trust in the owner kept,
  attention fresh, messages counted from zero (as any joiner), room permitting.
- **One-to-one chats.** In each group the operator chats with ``private_chats`` friends present
  (active or muted), picked at random among the non-spammers of class ``private_target``
  (all, or A able and willing, B willing not able, C able not willing, D neither: P10). A chat
  makes the friend feel seen for ``seen_days`` (more posting, P21) and raises their trust in the
  group and in the owner by ``trust_private``.
- **Cost.** Every chat held and every re-invitation sent costs ``private_chat_cost`` yuan.
"""

from __future__ import annotations

import numpy as np

from sim.levers.plan import DayPlan
from sim.population import interest_fit
from sim.rng import Stream, key_of, uniform
from sim.state import GONE, SPAMMER, State

CLASS_CODES = {"all": 0, "A": 1, "B": 2, "C": 3, "D": 4}


def person_class(able: np.ndarray, willing: np.ndarray) -> np.ndarray:
    """The ABCD class code of people (1 A, 2 B, 3 C, 4 D; seeds/002 军规六)."""
    return np.where(able & willing, 1, np.where(willing, 2, np.where(able, 3, 4)))


def step(state: State, plan: DayPlan, day: int) -> None:
    """Friend adds of today's joiners, the re-invitation round, today's one-to-one chats."""
    if plan.friend_share.any():
        add_friends(state, plan, day)
    if plan.reinvite.any():
        reinvite(state, plan, day)
    if plan.private_chats.any():
        chat(state, plan, day)


def add_friends(state: State, plan: DayPlan, day: int) -> None:
    m, pe, s = state.members, state.people, state.run_keys
    rows = np.flatnonzero((m.join_day == day) & (m.status != GONE) &
                          (plan.friend_share[m.group] > 0) & ~pe.friend[m.person])
    adds = uniform(s, m.run[rows], m.key[rows], Stream.PRIVATE_FRIEND, day) < \
        plan.friend_share[m.group[rows]]
    pe.friend[m.person[rows[adds]]] = True


def reinvite(state: State, plan: DayPlan, day: int) -> None:
    m, pe, g, p, s = state.members, state.people, state.groups, state.p, state.run_keys
    newest = np.full(state.n_runs, -1)
    opened = np.flatnonzero(g.launch_day <= day)
    np.maximum.at(newest, g.run[opened], opened)
    target = newest[pe.run]
    seated = np.zeros(pe.n, dtype=bool)
    inside = (m.status != GONE) & (m.group == newest[m.run])
    seated[m.person[inside]] = True
    cand = np.flatnonzero(pe.friend & plan.reinvite[pe.run] & (target >= 0) & ~seated &
                          (pe.invited_to != target + 1) & (pe.type != SPAMMER))
    if cand.size == 0:
        return
    cand = cand[np.lexsort((cand, pe.run[cand]))]  # by run, then in the run's own order
    run, group = pe.run[cand], target[cand]
    pe.invited_to[cand] = group + 1  # one invitation per friend and group
    plan.cost += np.bincount(run, weights=np.broadcast_to(p.private_chat_cost[run], run.shape),
                             minlength=state.n_runs)
    fit = interest_fit(pe.interest[cand], g.topic[group], p.fit_width[run])
    back = uniform(s, run, pe.key[cand], Stream.PRIVATE_REINVITE, day) < \
        p.reinvite_accept[run] * 2.0 * pe.trust[cand]
    cand, run, group, fit = cand[back], run[back], group[back], fit[back]
    # room permitting (P12): returners are taken in order until the group is full
    room = p.platform_cap[g.run] - state.group_sizes()
    order = np.argsort(group, kind="stable")
    in_order = group[order]
    rank = np.empty(group.size, dtype=np.int64)
    rank[order] = np.arange(group.size) - np.searchsorted(in_order, in_order, side="left")
    keep = rank < room[group]
    cand, run, group, fit = cand[keep], run[keep], group[keep], fit[keep]
    if cand.size == 0:
        return
    state.members_changed()
    m.append(run=run, group=group, person=cand, key=key_of(pe.key[cand], g.gid[group], day),
             kind=pe.type[cand], activity=pe.activity[cand],
             quiet_planted=np.log1p(-p.shill_resonance[run] * fit), fit=fit,
             trust=pe.trust[cand], attention=np.ones(cand.size), commit=np.zeros(cand.size),
             join_day=np.full(cand.size, day), leave_day=np.full(cand.size, -1))
    state.run_joined += np.bincount(run, minlength=state.n_runs)


def chat(state: State, plan: DayPlan, day: int) -> None:
    m, pe, p, s = state.members, state.people, state.p, state.run_keys
    person = m.person
    target = np.broadcast_to(p.private_target[m.run], m.run.shape)
    klass = person_class(pe.able[person], pe.willing[person])
    rows = np.flatnonzero((m.status != GONE) & pe.friend[person] & (m.kind != SPAMMER) &
                          (plan.private_chats[m.group] > 0) & ((target == 0) | (target == klass)))
    if rows.size == 0:
        return
    u = uniform(s, m.run[rows], m.key[rows], Stream.PRIVATE_PICK, day)
    rows = rows[np.lexsort((u, m.group[rows]))]  # each group's friends in a random order
    grp = m.group[rows]
    rank = np.arange(rows.size) - np.searchsorted(grp, grp, side="left")
    chosen = rows[rank < plan.private_chats[grp]]
    run = m.run[chosen]
    m.seen_until[chosen] = day + p.seen_days[run]
    m.trust[chosen] += p.trust_private[run]
    np.add.at(pe.trust, person[chosen], np.broadcast_to(p.trust_private[run], run.shape))
    plan.cost += np.bincount(run, weights=np.broadcast_to(p.private_chat_cost[run], run.shape),
                             minlength=state.n_runs)
