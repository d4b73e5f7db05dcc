"""Opt-in per-member and per-group records of a batch (``--record members,groups``).

``groups``: one row per group launched and day: ``run, group, day, members, messages, posters``
(members present at the end of the day; messages and posters of members, so shill posts, the
owner's posts and spammers' ads are not in them, like bots dropped from a real log).

``members``: one row per membership (a person in a group) at the end of the runs: ``run, group,
member, joined_day, left_day`` (null while still present), ``messages, first_post_day,
last_post_day`` (null if they never posted) and ``kind``: ``member`` for an ordinary member,
``troublemaker`` for one who picks fights, ``spammer`` for an advertiser's account, and the
operator's accounts, so that they can be left out like a real log's bots: ``owner`` (one per
group: knowledge posts, check-in prompts and commercial posts) and ``shill`` (one per shill
account: ``shill_rate`` messages a day until the account is found out, when it stops posting;
the engine counts shill posts per group, so an account's messages are that rate times its days).

``group`` is the group's number within its run and ``member`` the person's number within its
run (the same person in two groups has one number); operator accounts have negative numbers
(-1 the owner, -2, -3, ... the shills). Recording reads the state and never draws a
random number, so the other tables are the same with or without it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.state import GONE, State, ranks

RECORDS = ("members", "groups")
KIND_NAMES = ("member", "spammer", "troublemaker")  # by person type (sim/state.py)
OPERATOR_KINDS = ("owner", "shill")
MEMBER_COLUMNS = ("run", "group", "member", "joined_day", "left_day", "messages",
                  "first_post_day", "last_post_day", "kind")
GROUP_COLUMNS = ("run", "group", "day", "members", "messages", "posters")


def parse_records(values, where: str) -> tuple[str, ...]:
    """``"members,groups"`` or a list of names, checked, in :data:`RECORDS` order."""
    from sim.errors import UserError, closest

    if values is None:
        return ()
    if isinstance(values, str):
        values = [v.strip() for v in values.split(",") if v.strip()]
    if not isinstance(values, (list, tuple)) or not all(isinstance(v, str) for v in values):
        raise UserError(f"{where}: got {values!r}; expected a list of record names from "
                        f"{', '.join(RECORDS)}")
    for v in values:
        if v not in RECORDS:
            raise UserError(f"{where}: unknown record {v!r}{closest(v, RECORDS)}; expected "
                            f"{' and/or '.join(RECORDS)}")
    return tuple(r for r in RECORDS if r in values)


def note_posts(state: State, day: int) -> None:
    """Keep each membership's first and last posting day (call after the day's posting)."""
    m = state.members
    posted = m.today > 0
    if not posted.any():
        return
    first = m.first_post
    first[posted & (first == 0)] = day + 1
    last = m.last_post
    last[posted] = day + 1


def group_day(state: State, day: int) -> dict[str, np.ndarray]:
    """The ``groups`` rows of the day just simulated (reads the tally of ``record_day``)."""
    g = state.groups
    rows = np.flatnonzero(g.launch_day <= day)
    members, _, _, active, messages, _ = state.group_tally
    return {"run": g.run[rows], "group": g.gid[rows], "day": np.full(rows.size, day, np.int64),
            "members": members[rows].astype(np.int64), "messages": messages[rows].astype(np.int64),
            "posters": active[rows].astype(np.int64)}


def _local(run: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Each person's number within its run, in the order of their keys (the keys name people
    within a run whatever else shares the batch; their row order need not)."""
    order = np.lexsort((key, run))
    out = np.empty(run.size, np.int64)
    out[order] = ranks(np.bincount(run, minlength=int(run.max()) + 1 if run.size else 0))
    return out


def members_table(state: State, operator: OperatorTally | None = None) -> pd.DataFrame:
    """The ``members`` table of the batch as it stands, ordered by run, group, joining day and
    member number (operator accounts, numbered below zero, first among their group's day-0
    rows), so that a run's rows are the same whatever batch or chunk it ran in."""
    m, pe = state.members, state.people
    person_no = _local(pe.run, pe.key)
    gone = m.status == GONE

    def nullable(values: np.ndarray, known: np.ndarray) -> pd.Series:
        out = pd.Series(values, dtype="Int64")
        out[~known] = pd.NA
        return out

    table = pd.DataFrame({
        "run": m.run.copy(), "group": state.groups.gid[m.group],
        "member": person_no[m.person], "joined_day": m.join_day.copy(),
        "left_day": nullable(m.leave_day, gone),
        "messages": m.messages.copy(),
        "first_post_day": nullable(m.first_post - 1, m.first_post > 0),
        "last_post_day": nullable(m.last_post - 1, m.last_post > 0),
        "kind": np.array(KIND_NAMES)[m.kind.astype(np.int64)],
    })
    if operator is not None:
        table = pd.concat([table, operator.table(state)], ignore_index=True)
    # a run's rows by group, join day and member number: the same whatever the batch
    order = np.lexsort((table["member"].to_numpy(), table["joined_day"].to_numpy(),
                        table["group"].to_numpy(), table["run"].to_numpy()))
    return table.iloc[order].reset_index(drop=True)


class OperatorTally:
    """The operator's accounts of every group, day by day: owner posts and each shill account's
    days live (accounts 0..live-1 are the ones still posting, as in sim/levers/shills.py)."""

    def __init__(self, state: State) -> None:
        self.max_shills = int(np.max(state.p.shills.all)) if state.n_runs else 0
        self.owner = np.zeros((0, 3), np.int64)  # messages, first day + 1, last day + 1
        self.shill_days = np.zeros((0, self.max_shills), np.int64)
        self.shill_first = np.zeros((0, self.max_shills), np.int64)  # day + 1
        self.shill_last = np.zeros((0, self.max_shills), np.int64)

    def _grow(self, n: int) -> None:
        k = n - self.owner.shape[0]
        if k > 0:
            self.owner = np.vstack([self.owner, np.zeros((k, 3), np.int64)])
            pad = np.zeros((k, self.max_shills), np.int64)
            self.shill_days = np.vstack([self.shill_days, pad])
            self.shill_first = np.vstack([self.shill_first, pad])
            self.shill_last = np.vstack([self.shill_last, pad])

    def update(self, state: State, day: int) -> None:
        """Add the day just simulated (call after ``engine.step``)."""
        plan = state.last_plan
        g = state.groups
        self._grow(g.n)
        n = min(g.n, plan.operator_posts.size)
        posts = (np.rint(plan.operator_posts[:n]).astype(np.int64)
                 + plan.commercial[:n].astype(np.int64))
        posted = posts > 0
        o = self.owner
        o[:n, 0] += posts
        o[:n][posted & (o[:n, 1] == 0), 1] = day + 1
        o[:n, 2] = np.where(posted, day + 1, o[:n, 2])
        if self.max_shills:
            rate = np.broadcast_to(state.p.shill_rate[g.run[:n]], (n,))
            live = (plan.shill_messages[:n] > 0) & (rate > 0)
            count = np.where(live, g.shills_live[:n], 0)
            on = np.arange(self.max_shills)[None, :] < count[:, None]
            self.shill_days[:n] += on
            first = self.shill_first[:n]
            first[on & (first == 0)] = day + 1
            self.shill_last[:n] = np.where(on, day + 1, self.shill_last[:n])

    def table(self, state: State) -> pd.DataFrame:
        """Rows of the ``members`` table for the operator's accounts (those that posted)."""
        g = state.groups
        n = min(g.n, self.owner.shape[0])
        parts = []
        owner = np.flatnonzero(self.owner[:n, 0] > 0)
        parts.append(pd.DataFrame({
            "run": g.run[owner], "group": g.gid[owner], "member": -1,
            "joined_day": g.launch_day[owner], "messages": self.owner[owner, 0],
            "first": self.owner[owner, 1], "last": self.owner[owner, 2], "kind": "owner"}))
        if self.max_shills:
            grp, acc = np.nonzero(self.shill_days[:n] > 0)
            rate = np.broadcast_to(state.p.shill_rate[g.run[grp]], (grp.size,))
            parts.append(pd.DataFrame({
                "run": g.run[grp], "group": g.gid[grp], "member": -2 - acc,
                "joined_day": g.launch_day[grp],
                "messages": np.rint(rate * self.shill_days[grp, acc]).astype(np.int64),
                "first": self.shill_first[grp, acc], "last": self.shill_last[grp, acc],
                "kind": "shill"}))
        rows = pd.concat(parts, ignore_index=True)

        def nullable(values: np.ndarray) -> pd.Series:
            out = pd.Series(values - 1, dtype="Int64")
            out[values <= 0] = pd.NA
            return out

        return pd.DataFrame({
            "run": rows["run"].to_numpy(np.int64), "group": rows["group"].to_numpy(np.int64),
            "member": rows["member"].to_numpy(np.int64),
            "joined_day": rows["joined_day"].to_numpy(np.int64),
            "left_day": pd.Series(pd.NA, index=rows.index, dtype="Int64"),
            "messages": rows["messages"].to_numpy(np.int64),
            "first_post_day": nullable(rows["first"].to_numpy(np.int64)),
            "last_post_day": nullable(rows["last"].to_numpy(np.int64)),
            "kind": rows["kind"].to_numpy(object)})
