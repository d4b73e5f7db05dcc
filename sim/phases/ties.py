"""Phase 4, ties: members who talk to each other, or meet at an event, may come to know each other.

Each day the members of a group who posted are put in a random order and each is paired with the
next; a pair forms a tie with chance ``tie_rate * similarity`` (P13, P14: same place, same age
cohort, close interests). At an offline event (P16, P17) attendees are paired the same way
``event_ties`` times each, and ties form with chance ``event_tie_rate * similarity``. Ties are
undirected and counted
once; a member's ``degree`` is their number of ties.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.levers.plan import DayPlan
from sim.rng import Stream, draw, pair_key, stream_base, uniform
from sim.state import MUTED, Column, State, insert_sorted, per_row


def add_ties(state: State, a: np.ndarray, b: np.ndarray) -> None:
    """Add ties between membership rows ``a[i]`` and ``b[i]``, skipping ones that exist."""
    keep = a != b
    a, b = np.minimum(a[keep], b[keep]), np.maximum(a[keep], b[keep])
    if a.size == 0:
        return
    width = np.int64(1 << 31)
    new = np.unique(a * width + b)
    known = state.tie_keys  # kept sorted, so a look-up is a binary search
    pos = np.searchsorted(known, new)
    fresh = (pos == known.size) | (known[np.minimum(pos, known.size - 1)] != new) \
        if known.size else np.ones(new.size, dtype=bool)
    new, pos = new[fresh], pos[fresh]
    state.tie_keys = insert_sorted(known, pos, new)  # np.insert, in one compiled merge
    a, b = new // width, new % width
    state.ties.append(a=a, b=b)
    np.add.at(state.members.degree, np.concatenate([a, b]), 1)  # few rows: no full-length pass


def pair_up(state: State, rows: np.ndarray, stream: int, day: int) -> tuple[np.ndarray, np.ndarray]:
    """Random pairs within each group: rows in a random order per group, each with the next."""
    m = state.members
    if rows.size < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    u = uniform(state.run_keys, m.run[rows], m.key[rows], stream, day)
    # one integer key sorts by group, then by the draw; rows of a group all belong to one run
    order = (m.group[rows] << 45) | (u * 2.0**45).astype(np.int64)
    rows = rows[np.argsort(order, kind="stable")]
    same = m.group[rows[1:]] == m.group[rows[:-1]]
    return rows[:-1][same], rows[1:][same]


@njit(cache=True)
def _formed(a, b, person, run, key, city, cohort, interest, rate, base):
    """Which pairs (a[k], b[k]) form a tie: chance rate * similarity (population.similarity)."""
    out = np.zeros(a.size, dtype=np.bool_)
    for k in range(a.size):
        pa, pb = person[a[k]], person[b[k]]
        d = abs(interest[pa] - interest[pb]) % 1.0
        close = 1.0 - 2.0 * min(d, 1.0 - d)
        same = (1 if city[pa] == city[pb] else 0) + (1 if cohort[pa] == cohort[pb] else 0)
        r = run[a[k]]
        out[k] = draw(base[r], pair_key(key[a[k]], key[b[k]])) < rate[r] * ((same + close) / 3.0)
    return out


def _form(state: State, a: np.ndarray, b: np.ndarray, rate: Column, stream: int,
          day: int) -> None:
    m, pe = state.members, state.people
    if a.size == 0:
        return
    formed = _formed(
        a=a, b=b, person=m.person, run=m.run, key=m.key, city=pe.city, cohort=pe.cohort,
        interest=pe.interest, rate=rate.all, base=stream_base(state.run_keys, stream, day))
    add_ties(state, a[formed], b[formed])


def step(state: State, plan: DayPlan, day: int) -> None:
    """Ties from today's conversations and from offline events."""
    m, pe, g, p, s = state.members, state.people, state.groups, state.p, state.run_keys
    a, b = pair_up(state, np.flatnonzero(m.posted), Stream.PAIR_ORDER, day)
    _form(state, a, b, p.tie_rate, Stream.TIE, day)
    state.attended = np.zeros(m.n, dtype=bool)
    if plan.event.any():
        rows = np.flatnonzero(state.present() & plan.event[m.group] & (m.status != MUTED))
        run = m.run[rows]
        local = pe.city[m.person[rows]] == g.city[m.group[rows]]
        chance = p.event_attend[run] * np.minimum(1.0, m.trust[rows] + pe.trust[m.person[rows]]) \
            * m.fit[rows] * np.where(local, 1.0, p.event_travel[run])
        went = rows[uniform(s, run, m.key[rows], Stream.EVENT_ATTEND, day) < chance]
        state.attended[went] = True
        rounds = int(np.ceil(p.event_ties.all.max())) if went.size else 0
        for k in range(rounds):  # each round pairs attendees afresh
            again = k < per_row(p.event_ties[m.run[went]], went.size)
            a, b = pair_up(state, went[again], Stream.event_tie(k, form=False), day)
            _form(state, a, b, p.event_tie_rate, Stream.event_tie(k, form=True), day)
