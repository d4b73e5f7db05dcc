"""Phase 7b, poaching (私加好友, 私拉小群, P24): members who pull others into groups of their own.

seeds/002 lists among those who make trouble in a group the ones who "privately add friends and
privately pull people into small groups" (私加好友,私拉小群), and asks the operator to deal with
them at once (你就要及时处理). A person is a poacher with chance ``share_poachers`` (a trait drawn
once, keyed by the person; spammers are not). Each present poacher privately approaches
``poach_rate`` members of their group a day, at random: a present member who is neither poacher
nor spammer, in a group of ``n`` present members with ``P`` poachers, is approached with chance
``1 - exp(-poach_rate x P / (n - 1))`` and pulled into the poacher's group with chance
``poach_success``. A pulled member leaves the group with chance ``poach_leave`` (churn, at the end
of the day) and otherwise stays but mutes it: their talk moves to the splinter group. While the
moderation lever is on (sim/levers/moderation.py), each poacher is caught and removed, as a kick,
with chance ``moderation x poach_visibility`` a day: poaching is private, seen only when members
report it.
"""

from __future__ import annotations

import numpy as np

from sim.levers.plan import DayPlan
from sim.rng import Stream, uniform
from sim.state import GONE, KICKED, LEAVES, MUTED, SPAMMER, State


def poachers(state: State) -> np.ndarray:
    """Mask over member rows: the member is a poacher (their person's trait)."""
    m, pe = state.members, state.people
    share = state.p.share_poachers[m.run]
    u = uniform(state.run_keys, m.run, pe.key[m.person], Stream.POACHER, -1)
    return (u < share) & (m.kind != SPAMMER)


def step(state: State, plan: DayPlan, day: int) -> None:
    """Poachers pull members away (they leave or mute); moderation catches poachers."""
    if not np.any(state.p.share_poachers.all > 0):
        return
    m, p, s = state.members, state.p, state.run_keys
    present = m.status != GONE
    poacher = poachers(state) & present
    if not poacher.any():
        return
    n_groups = state.groups.n
    live = np.bincount(m.group[poacher], minlength=n_groups)
    size = state.group_sizes()
    # members approached and pulled
    rows = np.flatnonzero(present & ~poacher & (m.kind != SPAMMER) & (live[m.group] > 0))
    run, grp = m.run[rows], m.group[rows]
    approached = -np.expm1(-p.poach_rate[run] * live[grp] / np.maximum(size[grp] - 1, 1))
    pulled = rows[uniform(s, run, m.key[rows], Stream.POACH, day) <
                  approached * p.poach_success[run]]
    leaves = uniform(s, m.run[pulled], m.key[pulled], Stream.POACH_LEAVE, day) < \
        per_row_of(p.poach_leave, m.run[pulled])
    gone = pulled[leaves & (m.remove[pulled] == 0)]
    m.remove[gone] = LEAVES
    m.status[pulled[~leaves]] = MUTED
    # moderation catches poachers
    catchers = np.flatnonzero(poacher & (plan.moderation[m.group] > 0))
    chance = plan.moderation[m.group[catchers]] * p.poach_visibility[m.run[catchers]]
    caught = catchers[uniform(s, m.run[catchers], m.key[catchers], Stream.POACH_CATCH, day)
                      < chance]
    m.remove[caught] = KICKED


def per_row_of(column, run: np.ndarray) -> np.ndarray:
    """A parameter's value for each row of ``run`` (scalar columns broadcast)."""
    return np.broadcast_to(column[run], run.shape)
