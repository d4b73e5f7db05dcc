"""Outcomes: what is recorded each day per run (and per group), and what is derived per run.

Every daily column is computed with per-run sums in row order (``np.bincount``) or integer sorts,
so a run's numbers are bit-for-bit the same alone or inside any batch.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numba import njit

from sim import metrics
from sim.levers.plan import DayPlan
from sim.state import GONE, MUTED, State

# daily per-run columns, in the order of the DataCollector and run_batch tables
DAILY_COLUMNS: dict[str, str] = {
    "members": "members present (active or muted) at the end of the day, summed over groups",
    "people": "distinct people present in at least one group",
    "active_members": "members who posted that day",
    "messages": "messages members posted that day (ads by spammers and shill posts excluded)",
    "ever_spoken_share": "share of present members who have posted at least once",
    "mean_trust": "mean trust (group and owner) of present members, 0-1",
    "top10_share": "share of all messages so far posted by the top 10% of members who ever joined",
    "tie_density": "ties between present members of the same group / possible pairs",
    "muted": "present members who muted the group",
    "joined": "members who joined so far (cumulative)",
    "churned": "members who left so far (cumulative)",
    "kicked": "members removed by the operator so far: moderation, skipped check-ins (cumulative)",
    "questions": "questions asked that day",
    "answered": "questions answered that day",
    "shill_messages": "messages posted by shill accounts that day",
    "spam_messages": "ads posted by spammers that day",
    "groups": "groups the operator runs (including splits)",
    "conversions": "people who bought the product so far (cumulative)",
    "revenue": "entry fees and sales so far, yuan (cumulative)",
    "cost": "the operator's spending so far, yuan (cumulative)",
}
SURVIVAL_DAYS = (30, 60, 90, 180)  # "still active at day N" columns of every run
# per-run outcomes derived from a run's days (summarize_runs), in their column order
RUN_COLUMNS: dict[str, str] = {
    "days": "days simulated",
    "invited": "people invited over the run (at launch, recruited, referred)",
    "time_to_silence": "days until the 7-day mean of messages fell below 20% of its peak for "
                       "good (NaN: not within the run)",
    "silent": "whether the run fell silent within its days",
    "retention_d90": "7-day mean of messages on day 90 as a share of its peak so far",
    "peak_day": "day of the highest 7-day mean of messages",
    "peak_messages": "highest 7-day mean of messages a day",
    "total_messages": "messages posted by members over the run",
    "members_final": "members present at the end",
    "joined": "members who joined over the run",
    "churned": "members who left over the run",
    "ever_spoken_share_final": "share of present members who have spoken, at the end",
    "ever_spoken_share_d14": "the same on day 14",
    "ever_spoken_share_d90": "the same on day 90",
    "members_d90": "members present on day 90",
    "active_members_d30": "members who posted on day 30",
    "active_members_d90": "members who posted on day 90",
    "mean_trust_final": "mean trust of present members at the end",
    "top10_share": "share of messages by the top 10% of members who ever joined",
    "gini": "Gini coefficient of messages per member who ever joined",
    "lurker_share": "share of members who ever joined and never posted",
    "engaged_members": "members who posted 3 or more messages in the first 90 days",
    "rarely_share": "share posting at most 2 messages in the first 90 days (P4)",
    "sometimes_share": "share posting 3 to 29 messages in the first 90 days (P4)",
    "a_lot_share": "share posting 30 or more messages in the first 90 days (P4)",
    "tie_density": "ties between present members of a group / possible pairs, at the end",
    "conversions": "people who bought the product",
    "revenue": "entry fees and sales, yuan",
    "cost": "the operator's spending, yuan",
    "return_on_cost": "(revenue - cost) / cost (NaN when nothing was spent)",
    **{f"active_day_{d}": f"1 if the group was still active on day {d} (not yet silent), 0 if "
                          f"not; NaN when the run is shorter than {d} days" for d in SURVIVAL_DAYS},
    "lifetime": "days the group stayed active: days until silence, or the run length when it "
                "never fell silent (then censored)",
    "lifetime_censored": "whether the lifetime is censored: the group was still active when "
                         "the run ended",
}
GROUP_COLUMNS = ("members", "active_members", "messages", "ever_spoken_share", "mean_trust")


def _per_run(state: State, rows_run: np.ndarray, weights=None) -> np.ndarray:
    return np.bincount(rows_run, weights=weights, minlength=state.n_runs)


def top_share_by_run(run: np.ndarray, counts: np.ndarray, n_runs: int, top: float = 0.1
                     ) -> np.ndarray:
    """Per run: share of the run's total count held by its top ``top`` fraction of rows."""
    return _top_share(run=run, counts=counts, n_runs=n_runs, top=top)


@njit(cache=True)
def _top_share(run, counts, n_runs, top):
    # Small counts go into a histogram per run; the few large ones are sorted. The top-k sum then
    # takes the large ones first and walks the histogram down: linear time, exact (integers).
    small = 255
    n = np.zeros(n_runs, np.int64)
    total = np.zeros(n_runs)
    hist = np.zeros((n_runs, small), np.int64)
    high = np.zeros(n_runs, np.int64)  # each run's largest small count: the walk starts there
    n_big = np.zeros(n_runs + 1, np.int64)
    for i in range(run.size):
        r, c = run[i], counts[i]
        n[r] += 1
        total[r] += c
        if c >= small:
            n_big[r + 1] += 1
        else:
            hist[r, c] += 1
            if c > high[r]:
                high[r] = c
    start = np.cumsum(n_big)
    big = np.empty(start[-1], np.int64)
    fill = start[:-1].copy()
    for i in range(run.size):
        if counts[i] >= small:
            big[fill[run[i]]] = counts[i]
            fill[run[i]] += 1
    share = np.zeros(n_runs)
    for r in range(n_runs):
        if total[r] <= 0:
            continue
        left = int(np.ceil(top * n[r]))
        top_sum = 0  # in integers: every partial sum is exact as a float too, so the same share
        values = big[start[r]:start[r + 1]]
        if values.size:
            values.sort()  # in place, the largest last
            for j in range(min(left, values.size)):
                top_sum += values[values.size - 1 - j]
        left -= min(left, values.size)
        c = high[r]
        while left > 0 and c > 0:
            take = min(left, hist[r, c])
            top_sum += take * c
            left -= take
            c -= 1
        share[r] = top_sum / total[r]
    return share


@njit(cache=True)
def _tally(n_runs, n_groups, n_people, run, grp, person, status, today, messages, trust,
           person_trust, tie_a, tie_b, people_run):
    """One pass over members (and ties) for the day's sums per run and per group."""
    r_cols = np.zeros((7, n_runs))  # members, spoke, trust, muted, active, messages, ties
    g_cols = np.zeros((6, n_groups))  # members, spoke, trust, active, messages, ties
    seen = np.zeros(n_people, dtype=np.bool_)
    where = np.full(run.size, -1, np.int64)  # the group of a present member, -1 if gone
    group_run = np.zeros(n_groups, np.int64)
    for i in range(run.size):
        r, g = run[i], grp[i]
        if today[i] > 0:
            r_cols[4, r] += 1.0
            g_cols[3, g] += 1.0
            r_cols[5, r] += today[i]
            g_cols[4, g] += today[i]
        if status[i] == GONE:
            continue
        where[i] = g
        group_run[g] = r
        t = 0.5 * (trust[i] + person_trust[person[i]])
        r_cols[0, r] += 1.0
        g_cols[0, g] += 1.0
        r_cols[2, r] += t
        g_cols[2, g] += t
        if messages[i] > 0:
            r_cols[1, r] += 1.0
            g_cols[1, g] += 1.0
        if status[i] == MUTED:
            r_cols[3, r] += 1.0
        seen[person[i]] = True
    for k in range(tie_a.size):  # ties between present members of one group
        g = where[tie_a[k]]
        if g >= 0 and g == where[tie_b[k]]:
            g_cols[5, g] += 1.0
    for g in range(n_groups):  # whole numbers: the same sums in any order
        r_cols[6, group_run[g]] += g_cols[5, g]
    people = np.zeros(n_runs)
    for j in range(n_people):
        if seen[j]:
            people[people_run[j]] += 1.0
    return r_cols, g_cols, people


def tally(state: State) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The day's sums per run and per group (see :func:`_tally`)."""
    m, pe, g = state.members, state.people, state.groups
    return _tally(
        n_runs=state.n_runs, n_groups=g.n, n_people=pe.n, run=m.run, grp=m.group, person=m.person,
        status=m.status, today=m.today, messages=m.messages, trust=m.trust, person_trust=pe.trust,
        tie_a=state.ties.a, tie_b=state.ties.b, people_run=pe.run)


def _density(ties: np.ndarray, pairs_of_groups: np.ndarray) -> np.ndarray:
    return np.where(pairs_of_groups > 0, ties / np.maximum(pairs_of_groups, 1), 0.0)


def record_day(state: State, plan: DayPlan) -> dict[str, np.ndarray]:
    """The daily per-run columns for the day just simulated."""
    m, g = state.members, state.groups
    n = state.n_runs
    r_cols, g_cols, people = tally(state)
    members, spoke, trust, muted, active, messages, ties = r_cols
    size = g_cols[0]
    pairs = np.bincount(g.run, weights=size * (size - 1) / 2.0, minlength=n)
    safe = np.maximum(members, 1)
    state.group_tally = g_cols  # record_groups reads it
    return {
        "members": members.astype(np.int64),
        "people": people.astype(np.int64),
        "active_members": active.astype(np.int64),
        "messages": messages.astype(np.int64),
        "ever_spoken_share": np.where(members > 0, spoke / safe, 0.0),
        "mean_trust": np.where(members > 0, trust / safe, 0.0),
        "top10_share": top_share_by_run(m.run, m.messages, n),
        "tie_density": _density(ties, pairs),
        "muted": muted.astype(np.int64),
        "joined": state.run_joined.copy(),
        "churned": state.run_churned.copy(),
        "kicked": state.run_kicked.copy(),
        "questions": _per_run(state, g.run, state.questions_today),
        "answered": _per_run(state, g.run, state.answered_today),
        "shill_messages": _per_run(state, g.run, plan.shill_messages),
        "spam_messages": _per_run(state, g.run, state.spam_today),
        "groups": _per_run(state, g.run, g.launch_day <= state.day),
        "conversions": state.run_conversions.copy(),
        "revenue": state.run_revenue.copy(),
        "cost": state.run_cost.copy(),
    }


def record_groups(state: State) -> dict[str, np.ndarray]:
    """The daily per-group columns (one row per group launched by today); call after
    :func:`record_day`, whose tally it reads."""
    g = state.groups
    rows = np.flatnonzero(g.launch_day <= state.day)
    members, spoke, trust, active, messages, ties = state.group_tally
    safe = np.maximum(members, 1)
    pairs = members * (members - 1) / 2.0
    cols = {
        "run": g.run, "group": g.gid,
        "members": members.astype(np.int64),
        "active_members": active.astype(np.int64),
        "messages": messages.astype(np.int64),
        "ever_spoken_share": np.where(members > 0, spoke / safe, 0.0),
        "mean_trust": np.where(members > 0, trust / safe, 0.0),
        "tie_density": _density(ties, pairs),
    }
    return {k: np.asarray(v)[rows] for k, v in cols.items()}


def lifetime(daily_messages: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Days each run's group stayed active, and whether that is censored, from (runs x days)
    daily messages.

    "Active" is the model's silence definition turned around (:func:`sim.metrics.
    time_to_silence_rows`: the 7-day mean of messages falls below 20% of its peak for good): a
    group is active on days 1 .. lifetime and silent from day lifetime + 1. A run that never fell
    silent has lifetime = its length, censored (it may live on); a run with no message at all was
    never active (lifetime 0, not censored). Changing the silence definition changes this with it.
    """
    msgs = np.atleast_2d(np.asarray(daily_messages, dtype=np.float64))
    silence = metrics.time_to_silence_rows(msgs)
    never_spoke = msgs.sum(axis=1) <= 0
    censored = ~np.isfinite(silence) & ~never_spoke
    life = np.where(np.isfinite(silence), silence, msgs.shape[1]).astype(np.float64)
    return np.where(never_spoke, 0.0, life), censored


def active_at(life: np.ndarray, days: np.ndarray | int, day: int) -> np.ndarray:
    """Still active on ``day`` (1 = the first day): 1.0 or 0.0, NaN when the run is shorter than
    ``day`` days (so a run cut at day 60 says nothing about day 90).

    Args:
        life: lifetimes from :func:`lifetime` (days; a censored one equals the run length).
        days: each run's length in days.
        day: the day asked about.
    """
    life = np.asarray(life, dtype=np.float64)
    known = np.asarray(days) >= day
    return np.where(known, (life >= day).astype(np.float64), np.nan)


def summarize_runs(daily: pd.DataFrame, state: State) -> pd.DataFrame:
    """Per-run outcomes derived from the daily table and the final state (one row per run).

    ``daily`` has the columns of :data:`DAILY_COLUMNS` plus ``run`` (the run's index in ``state``)
    and ``day``, with the same days for every run; it is read as (runs x days) matrices.
    """
    m = state.members
    n = state.n_runs
    days = len(daily) // n
    ordered = np.lexsort((daily["day"].to_numpy(), daily["run"].to_numpy()))
    if not np.array_equal(ordered, np.arange(len(daily))):  # run_batch's tables already are
        daily = daily.iloc[ordered]

    def col(name: str) -> np.ndarray:
        return daily[name].to_numpy().reshape(n, days)

    def at(name: str, day: int) -> np.ndarray:
        return col(name)[:, day].astype(np.float64) if day < days else np.full(n, np.nan)

    msgs = col("messages").astype(np.float64)
    trailing = metrics.trailing_mean(msgs)
    silence = metrics.time_to_silence_rows(msgs)
    kept = np.full(n, np.nan)
    if days > 89:
        peak90 = trailing[:, :90].max(axis=1)
        kept = np.where(peak90 > 0, trailing[:, 89] / np.where(peak90 > 0, peak90, 1), np.nan)
    # members who ever joined: how unequal, how many lurk; the quarter's split (P4)
    joined_rows = np.bincount(m.run, minlength=n)
    early = m.join_day < 90
    early_rows = np.bincount(m.run[early], minlength=n)
    quarter = m.quarter[early]
    with np.errstate(invalid="ignore", divide="ignore"):
        rarely = np.bincount(m.run[early], weights=quarter <= metrics.RARELY_MAX,
                             minlength=n) / early_rows
        a_lot = np.bincount(m.run[early], weights=quarter >= metrics.A_LOT_MIN,
                            minlength=n) / early_rows
        lurkers = np.bincount(m.run, weights=m.messages == 0, minlength=n) / joined_rows
    cost, revenue = at("cost", days - 1), at("revenue", days - 1)
    life, censored = lifetime(msgs)
    with np.errstate(invalid="ignore", divide="ignore"):
        roc = np.where(cost > 0, (revenue - cost) / cost, np.nan)
    table = pd.DataFrame({
        "run": np.arange(n),
        "days": days,
        "invited": state.run_invited.copy(),
        "time_to_silence": silence,
        "silent": np.isfinite(silence),
        "retention_d90": kept,
        "peak_day": np.argmax(trailing, axis=1),
        "peak_messages": trailing.max(axis=1),
        "total_messages": msgs.sum(axis=1).astype(np.int64),
        "members_final": col("members")[:, -1],
        "joined": col("joined")[:, -1],
        "churned": col("churned")[:, -1],
        "ever_spoken_share_final": at("ever_spoken_share", days - 1),
        "ever_spoken_share_d14": at("ever_spoken_share", 13),
        "ever_spoken_share_d90": at("ever_spoken_share", 89),
        "members_d90": at("members", 89),
        "active_members_d30": at("active_members", 29),
        "active_members_d90": at("active_members", 89),
        "mean_trust_final": at("mean_trust", days - 1),
        "top10_share": at("top10_share", days - 1),
        "gini": metrics.gini_by_group(m.run, m.messages, n),
        "lurker_share": lurkers,
        "engaged_members": np.bincount(m.run[early], weights=quarter > metrics.RARELY_MAX,
                                       minlength=n).astype(np.int64),
        "rarely_share": rarely,
        "sometimes_share": 1.0 - rarely - a_lot,
        "a_lot_share": a_lot,
        "tie_density": at("tie_density", days - 1),
        "conversions": col("conversions")[:, -1],
        "revenue": revenue,
        "cost": cost,
        "return_on_cost": roc,
        **{f"active_day_{d}": active_at(life, days, d) for d in SURVIVAL_DAYS},
        "lifetime": life,
        "lifetime_censored": censored,
    })
    assert list(table.columns[1:]) == list(RUN_COLUMNS), "RUN_COLUMNS must list these columns"
    return table


__all__ = ["DAILY_COLUMNS", "GROUP_COLUMNS", "RUN_COLUMNS", "SURVIVAL_DAYS", "active_at",
           "lifetime", "record_day", "record_groups", "summarize_runs", "tally",
           "top_share_by_run"]
