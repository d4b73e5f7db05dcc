"""Opt-in per-member and per-group records of a batch (``--record members,groups``).

``groups``: one row per group launched and day: ``run, group, day, members, messages, posters``
(members present at the end of the day; messages and posters of members, so shill posts, the
owner's posts and spammers' ads are not in them, like bots dropped from a real log).

``members``: one row per membership (a person in a group) at the end of the runs: ``run, group,
member, joined_day, left_day`` (null while still present), ``messages, first_post_day,
last_post_day`` (null if they never posted) and ``kind``: ``member`` for an ordinary member,
``troublemaker`` for one who picks fights, ``spammer`` for an advertiser's account. Shill and
owner posts are planned per group by the operator, not by member accounts, so they have no rows
here (their messages are the daily ``shill_messages``).

``group`` is the group's number within its run and ``member`` the person's number within its
run (the same person in two groups has one number). Recording reads the state and never draws a
random number, so the other tables are the same with or without it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.state import GONE, State, ranks

RECORDS = ("members", "groups")
KIND_NAMES = ("member", "spammer", "troublemaker")  # by person type (sim/state.py)
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


def _local(run: np.ndarray) -> np.ndarray:
    """Each row's number within its run, in row order."""
    order = np.argsort(run, kind="stable")
    out = np.empty(run.size, np.int64)
    out[order] = ranks(np.bincount(run, minlength=int(run.max()) + 1 if run.size else 0))
    return out


def members_table(state: State) -> pd.DataFrame:
    """The ``members`` table of the batch as it stands (run-major, then join order)."""
    m, pe = state.members, state.people
    person_no = _local(pe.run)
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
    order = np.argsort(table["run"].to_numpy(), kind="stable")
    return table.iloc[order].reset_index(drop=True)
