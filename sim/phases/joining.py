"""Phase 1, joining: invitations go out, invitees decide, groups over their cap split.

Invitations come from three sources: the launch (``group_size`` people per group, some of them
already invited to another of the operator's groups, P12), the operator's daily recruitment (P18,
P19) and members' referrals (P18). A recruit reached by a broad channel (the channel lever, P29) is
an onlooker whose interests centre anywhere on the topic circle. An invitee answers after a few
days (``join_delay``) and joins with a chance that grows with their interest fit, falls with the
entry fee against what they are willing to pay, and falls under an effort test for the poorly
matched (P7). A friend who referred them makes joining likelier (Backstrom et al. 2006). Joiners
pay the fee and bring a commitment that grows with what they paid or did to get in (P7); a newcomer
to an endorsed owner's group (P30) starts trusting the owner ``endorsement_trust`` more. A full
group (the platform cap, P12) takes no one; with the size-cap lever on, a group above the cap
splits in two. A launch invitee who straggles (``straggle_share``, more often in a lively group
with ``straggle_fate``) answers months later.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.levers.plan import DayPlan
from sim.levers.shills import arm_new_groups
from sim.phases.ties import add_ties
from sim.population import draw_traits, group_topic, interest_fit
from sim.rng import Stream, draw, geometric0, key_of, normal, stream_base, uniform
from sim.state import ACTIVE, GONE, LAUNCH, RECRUIT, REFERRAL, SPAMMER, State, per_row, ranks

_PERSON = 7  # key space of launch invitees, apart from invitation keys


def make_groups(state: State, run: np.ndarray, topic: np.ndarray, launch_day: np.ndarray,
                parent: np.ndarray) -> np.ndarray:
    """Append groups (given in their run's creation order); returns their rows."""
    g = state.groups
    gid = np.empty(run.size, dtype=np.int64)
    for i, r in enumerate(run.tolist()):  # few groups are made, so a loop is clear and cheap
        gid[i] = state.run_groups[r]
        state.run_groups[r] += 1
    city = np.floor(uniform(state.run_keys, run, key_of(gid), Stream.TRAIT_CITY, -1) *
                    state.p.n_cities[run]).astype(np.int64)
    # the group's vitality (its fate, drawn once): lognormal of median 1; a group split off
    # another keeps its parent's, as it holds the same people
    vitality = np.exp(state.p.vitality_sigma[run] *
                      normal(state.run_keys, run, key_of(gid), Stream.GROUP_VITALITY, -1))
    inherit = parent >= 0
    vitality[inherit] = g.vitality[parent[inherit]]
    return g.append(run=run, gid=gid, topic=topic, launch_day=launch_day, parent=parent,
                    city=city, shills_live=state.p.shills[run], vitality=vitality)


def launch_groups(state: State) -> None:
    """Create each run's ``n_groups`` groups, launched every ``launch_interval`` days."""
    p = state.p
    run = np.repeat(np.arange(state.n_runs), p.n_groups.all)
    gid = ranks(p.n_groups.all)
    make_groups(state, run, group_topic(gid), gid * p.launch_interval.all[run],
                np.full(run.size, -1))


def late_chance(share, vitality):
    """Chance that a launch invitee is a late arrival: ``share`` at vitality 1, its odds scaled by
    the group's vitality (a lively group keeps drawing newcomers; a dead one only had its core)."""
    return share * vitality / (share * vitality + 1.0 - share)


def _send(state: State, day: int, group: np.ndarray, key: np.ndarray, person_key: np.ndarray,
          source: int, topic: np.ndarray, city: np.ndarray, cohort: np.ndarray,
          referrer: np.ndarray) -> None:
    g = state.groups
    run = g.run[group]
    state.run_invited += np.bincount(run, minlength=state.n_runs)
    p = state.p
    mean_delay = per_row(p.join_delay[run], run.size)
    if source == LAUNCH:  # a founding core answers in days; late arrivals trickle in over months
        late = uniform(state.run_keys, run, key, Stream.INVITE_LATE, day) < \
            late_chance(p.late_share[run], g.vitality[group])
        mean_delay = np.where(late, p.late_delay[run], mean_delay)
        # a few find the group months later; their odds scaled by vitality ** straggle_fate
        straggle = uniform(state.run_keys, run, key, Stream.INVITE_STRAGGLE, day) < \
            late_chance(p.straggle_share[run], g.vitality[group] ** p.straggle_fate[run])
        mean_delay = np.where(straggle, p.straggle_delay[run], mean_delay)
    delay = geometric0(uniform(state.run_keys, run, key, Stream.INVITE_DELAY, day), mean_delay)
    if source == LAUNCH and (p.late_waves[run] > 0).any():
        # late arrivals come in waves (the group is mentioned somewhere and a crowd finds it):
        # each late invitee joins one of the group's late_waves waves, all on the wave's day
        waves = p.late_waves[run]
        wavy = late & ~straggle & (waves > 0)
        wave = np.floor(uniform(state.run_keys, run, key, Stream.INVITE_WAVE, day) * waves)
        wave_day = geometric0(uniform(state.run_keys, run, key_of(g.gid[group], wave),
                                      Stream.INVITE_WAVE_DAY, day), p.late_delay[run])
        delay = np.where(wavy, wave_day, delay)
    state.invites.append(run=run, group=group, key=key, person_key=person_key, day=day + delay,
                         source=np.full(run.size, source), topic=topic, city=city,
                         cohort=cohort, referrer=referrer)


def send_invitations(state: State, plan: DayPlan, day: int) -> None:
    """Launch invitations, the operator's recruits and members' referrals of today."""
    g, p, s = state.groups, state.p, state.run_keys
    launching = np.flatnonzero(g.launch_day == day)
    launching = launching[g.parent[launching] < 0]
    if launching.size:
        size = p.group_size.all[g.run[launching]]
        group = np.repeat(launching, size)
        slot = ranks(size)
        run, gid = g.run[group], g.gid[group]
        key = key_of(LAUNCH, gid, slot)
        # some invitees were also invited to an earlier group of the operator (P12)
        other = (uniform(s, run, key, Stream.INVITE_OVERLAP, day) < p.overlap[run]) & (gid > 0)
        pick = uniform(s, run, key, Stream.INVITE_OVERLAP_PICK, day)
        other_gid = np.floor(pick * gid).astype(np.int64)
        other_slot = np.floor(uniform(s, run, key, Stream.INVITE_OVERLAP_SLOT, day) *
                              p.group_size[run]).astype(np.int64)
        home = np.where(other, other_gid, gid)
        person_key = key_of(_PERSON, home, np.where(other, other_slot, slot))
        none = np.full(group.size, -1)
        _send(state, day, group, key, person_key, LAUNCH, group_topic(home), none, none, none)
    if plan.recruits.any():
        group = np.repeat(np.arange(g.n), plan.recruits)
        slot = ranks(plan.recruits)
        key = key_of(RECRUIT, g.gid[group], day, slot)
        none = np.full(group.size, -1)
        _send(state, day, group, key, key, RECRUIT, _recruit_centres(state, plan, day, group, key),
              none, none, none)
    if plan.referral.any():
        _send_referrals(state, plan, day)


def _recruit_centres(state: State, plan: DayPlan, day: int, group: np.ndarray,
                     key: np.ndarray) -> np.ndarray:
    """Where recruits' interests centre: on the group's topic, or, for an onlooker reached by a
    broad channel (chance ``plan.recruit_broad``, P29), anywhere on the topic circle."""
    topic = state.groups.topic[group]
    share = plan.recruit_broad[group]
    if not share.any():
        return topic
    run, s = state.groups.run[group], state.run_keys
    broad = uniform(s, run, key, Stream.CHANNEL_BROAD, day) < share
    return np.where(broad, uniform(s, run, key, Stream.CHANNEL_TOPIC, day), topic)


@njit(cache=True)
def _sharers(status, kind, run, key, person, attention, trust, person_trust, rate, base):
    """Rows of active, non-spamming members who share the group today (one pass)."""
    out = np.zeros(run.size, dtype=np.bool_)
    for i in range(run.size):
        r = run[i]
        if status[i] != ACTIVE or kind[i] == SPAMMER or rate[r] <= 0.0:
            continue
        out[i] = draw(base[r], key[i]) < \
            rate[r] * attention[i] * min(trust[i] + person_trust[person[i]], 1.0)
    return np.flatnonzero(out)


def _send_referrals(state: State, plan: DayPlan, day: int) -> None:
    m, pe, p, s = state.members, state.people, state.p, state.run_keys
    rows = _sharers(
        status=m.status, kind=m.kind, run=m.run, key=m.key, person=m.person, attention=m.attention,
        trust=m.trust, person_trust=pe.trust, rate=plan.referral,
        base=stream_base(s, Stream.REFERRAL, day))
    run = m.run[rows]
    n = p.referral_shares[run]
    count = (np.floor(n) + (uniform(s, run, m.key[rows], Stream.REFERRAL_COUNT, day) <
                            n - np.floor(n))).astype(np.int64)
    referrer = np.repeat(rows, count)
    slot = ranks(count)
    run = m.run[referrer]
    key = key_of(REFERRAL, m.key[referrer], day, slot)
    person = m.person[referrer]
    # friends resemble the sharer (P14): same place or cohort half the time, close interests
    same_city = uniform(s, run, key, Stream.REFERRAL_SAME_CITY, day) < p.referral_alike[run]
    same_cohort = uniform(s, run, key, Stream.REFERRAL_SAME_COHORT, day) < p.referral_alike[run]
    _send(state, day, m.group[referrer], key, key, REFERRAL, pe.interest[person],
          np.where(same_city, pe.city[person], -1), np.where(same_cohort, pe.cohort[person], -1),
          referrer)


def decide(state: State, plan: DayPlan, day: int) -> None:
    """Invitees due today decide; joiners become members (and people, if new)."""
    inv, g, p, s = state.invites, state.groups, state.p, state.run_keys
    due = inv.day == day
    if not due.any():
        return
    rows = np.flatnonzero(due)
    rows = rows[np.lexsort((inv.key[rows], g.gid[inv.group[rows]], inv.run[rows]))]
    run, group, pkey = inv.run[rows], inv.group[rows], inv.person_key[rows]
    # only launch invitees can be people met before (a recruit's or a referral's key is new)
    known = np.full(rows.size, -1, dtype=np.int64)
    launch = np.flatnonzero(inv.source[rows] == LAUNCH)
    known[launch] = state.find_people(run[launch], pkey[launch])
    traits = draw_traits(state, run, pkey, inv.topic[rows], inv.city[rows], inv.cohort[rows])
    pe = state.people
    met = known >= 0
    for name in ("type", "wtp", "interest"):  # people met before keep the traits they have
        traits[name][met] = getattr(pe, name)[known[met]]
    fit = interest_fit(traits["interest"], g.topic[group], p.fit_width[run])
    spammer = traits["type"] == SPAMMER
    chance = p.accept_base[run] * np.where(spammer, 1.0, np.sqrt(fit))
    fee, effort = plan.fee[run], plan.effort[run]
    with np.errstate(divide="ignore"):
        chance = chance * np.where(fee > 0, np.exp(-fee / np.maximum(traits["wtp"] * fit, 1e-9)),
                                   1.0)
    chance = chance * (1.0 - effort * np.where(traits["type"] == 0, 1.0 - fit, 1.0))
    referred = inv.source[rows] == REFERRAL
    chance = np.where(referred, 1.0 - (1.0 - chance) ** (1.0 + p.referral_pull[run]), chance)
    join = uniform(s, run, inv.key[rows], Stream.INVITE_ACCEPT, day) < chance
    # no second seat for someone already in (or once in) the group, nor twice in one day
    if (met & join).any():
        m = state.members
        seats = m.person.astype(np.int64) * g.n + m.group
        join &= ~(met & np.isin(known * g.n + group, seats))
    _, first = np.unique(key_of(run, pkey, group), return_index=True)
    once = np.zeros(rows.size, dtype=bool)
    once[first] = True
    join &= once
    # a full group takes no one (P12); joiners are taken in their order until the group is full
    room = p.platform_cap[g.run] - state.group_sizes()
    idx = np.flatnonzero(join)
    grp = group[idx]
    order = np.argsort(grp, kind="stable")
    idx, grp = idx[order], grp[order]
    rank = np.arange(idx.size) - np.searchsorted(grp, grp, side="left")
    idx = np.sort(idx[rank < room[grp]])
    if idx.size:
        _admit(state, plan, day, rows[idx], known[idx], {k: v[idx] for k, v in traits.items()},
               fit[idx], fee[idx], effort[idx])
    # answered invitations leave the table; it is compacted only once half of it is answered, as
    # most launch invitees wait months (late waves, stragglers) and a copy a day cost a tenth of
    # the run
    inv.day[rows] = -1
    if 2 * np.count_nonzero(inv.day < 0) > inv.n:
        inv.keep(inv.day >= 0)


def _admit(state: State, plan: DayPlan, day: int, inv_rows: np.ndarray, known: np.ndarray,
           traits: dict[str, np.ndarray], fit: np.ndarray, fee: np.ndarray,
           effort: np.ndarray) -> None:
    inv, pe, m, g, p = state.invites, state.people, state.members, state.groups, state.p
    run, group, pkey = inv.run[inv_rows], inv.group[inv_rows], inv.person_key[inv_rows]
    source, referrer = inv.source[inv_rows], inv.referrer[inv_rows]
    person = known.copy()
    new = np.flatnonzero(person < 0)
    # one new person per (run, key), even when they join two groups today
    _, first, back = np.unique(key_of(run[new], pkey[new]), return_index=True,
                               return_inverse=True)
    make = new[first]
    if plan.endorsed.any():  # an endorsed owner is trusted from the start (P30)
        boost = np.where(plan.endorsed[group], p.endorsement_trust[run], 0.0)
        traits["trust"] = np.minimum(traits["trust"] + boost, 1.0)
    rows = pe.append(run=run[make], key=pkey[make], **{k: v[make] for k, v in traits.items()})
    state.remember_people(rows[source[make] == LAUNCH])
    person[new] = rows[back.ravel()]
    commit = np.minimum(1.0, 1.0 - np.exp(-fee / p.fee_commitment_scale[run]) +
                        p.effort_commitment[run] * effort)
    state.members_changed()
    seats = m.append(run=run, group=group, person=person, key=key_of(pkey, g.gid[group]),
                     kind=pe.type[person], activity=pe.activity[person],
                     quiet_planted=np.log1p(-p.shill_resonance[run] * fit),
                     fit=fit, trust=pe.trust[person], attention=np.ones(run.size), commit=commit,
                     join_day=np.full(run.size, day), leave_day=np.full(run.size, -1))
    n = state.n_runs
    state.run_joined += np.bincount(run, minlength=n)
    state.run_revenue += np.bincount(run, weights=fee, minlength=n)
    referred = source == REFERRAL
    if referred.any():
        plan.cost += np.bincount(run[referred], weights=per_row(
            p.referral_reward[run[referred]], int(referred.sum())), minlength=n)
        # the friend who referred them is a tie from the start (if still in the group)
        friend = referrer[referred]
        inside = (m.status[friend] != GONE) & (m.group[friend] == group[referred])
        add_ties(state, seats[referred][inside], friend[inside])


def split_groups(state: State, plan: DayPlan, day: int) -> None:
    """Split every group above its run's size cap: the newer half moves to a new group (P12)."""
    g, m = state.groups, state.members
    if not plan.size_cap.any():
        return
    present = state.present()
    size = state.group_sizes()
    cap = plan.size_cap[g.run]
    over = np.flatnonzero((cap > 0) & (size > cap))
    if over.size == 0:
        return
    over = over[np.lexsort((g.gid[over], g.run[over]))]
    new = make_groups(state, g.run[over], g.topic[over], np.full(over.size, day), over)
    plan.copy_groups(over)
    arm_new_groups(state, new)
    target = np.full(g.n, -1)
    target[over] = new
    rows = np.flatnonzero(present & (target[m.group] >= 0))
    rows = rows[np.lexsort((m.key[rows], m.join_day[rows], m.group[rows]))]
    grp = m.group[rows]
    rank = np.arange(rows.size) - np.searchsorted(grp, grp, side="left")
    move = rows[rank >= size[grp] // 2]
    m.group[move] = target[m.group[move]]
    state.members_changed()


def step(state: State, plan: DayPlan, day: int) -> None:
    """Send today's invitations, let due invitees decide, split groups over the cap."""
    send_invitations(state, plan, day)
    decide(state, plan, day)
    split_groups(state, plan, day)
