"""Outcomes: what is recorded each day per run (and per group), and what is derived per run.

Every daily column is computed with per-run sums in row order (``np.bincount``) or integer sorts,
so a run's numbers are bit-for-bit the same alone or inside any batch.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

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
    "kicked": "members removed by moderation so far (cumulative)",
    "questions": "questions asked that day",
    "answered": "questions answered that day",
    "shill_messages": "messages posted by shill accounts that day",
    "spam_messages": "ads posted by spammers that day",
    "groups": "groups the operator runs (including splits)",
    "conversions": "people who bought the product so far (cumulative)",
    "revenue": "entry fees and sales so far, yuan (cumulative)",
    "cost": "the operator's spending so far, yuan (cumulative)",
}
GROUP_COLUMNS = ("members", "active_members", "messages", "ever_spoken_share", "mean_trust")


def _per_run(state: State, rows_run: np.ndarray, weights=None) -> np.ndarray:
    return np.bincount(rows_run, weights=weights, minlength=state.n_runs)


def top_share_by_run(run: np.ndarray, counts: np.ndarray, n_runs: int, top: float = 0.1
                     ) -> np.ndarray:
    """Per run: share of the run's total count held by its top ``top`` fraction of rows."""
    n = np.bincount(run, minlength=n_runs)
    total = np.bincount(run, weights=counts, minlength=n_runs)
    k = np.ceil(top * n).astype(np.int64)
    nz = counts > 0
    order = np.sort(run[nz].astype(np.int64) * (1 << 40) + counts[nz])  # by run, then count
    values = (order & ((1 << 40) - 1)).astype(np.float64)
    end = np.searchsorted(order >> 40, np.arange(n_runs), side="right")
    start = np.searchsorted(order >> 40, np.arange(n_runs), side="left")
    csum = np.concatenate([[0.0], np.cumsum(values)])
    lo = np.maximum(end - k, start)
    top_sum = csum[end] - csum[lo]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, top_sum / np.where(total > 0, total, 1), 0.0)


def tie_density_by(state: State, key_of_row: np.ndarray, n_keys: int) -> np.ndarray:
    """Ties between present members of one group over possible pairs, per run or per group."""
    m, t = state.members, state.ties
    present = state.present()
    size = np.bincount(m.group[present], minlength=state.groups.n)
    pairs_g = size * (size - 1) / 2.0
    both = present[t.a] & present[t.b] & (m.group[t.a] == m.group[t.b])
    ties = np.bincount(key_of_row[t.a[both]], minlength=n_keys)
    if n_keys == state.groups.n:
        pairs = pairs_g
    else:
        pairs = np.bincount(state.groups.run, weights=pairs_g, minlength=n_keys)
    return np.where(pairs > 0, ties / np.maximum(pairs, 1), 0.0)


def record_day(state: State, plan: DayPlan) -> dict[str, np.ndarray]:
    """The daily per-run columns for the day just simulated."""
    m, pe, g = state.members, state.people, state.groups
    n = state.n_runs
    present = state.present()
    run_p = m.run[present]
    members = _per_run(state, run_p)
    spoke = _per_run(state, run_p, m.messages[present] > 0)
    trust = _per_run(state, run_p, 0.5 * (m.trust[present] + pe.trust[m.person[present]]))
    person_present = np.zeros(pe.n, dtype=bool)
    person_present[m.person[present]] = True
    safe = np.maximum(members, 1)
    return {
        "members": members,
        "people": _per_run(state, pe.run[person_present]),
        "active_members": _per_run(state, m.run, m.today > 0),
        "messages": _per_run(state, m.run, m.today).astype(np.int64),
        "ever_spoken_share": np.where(members > 0, spoke / safe, 0.0),
        "mean_trust": np.where(members > 0, trust / safe, 0.0),
        "top10_share": top_share_by_run(m.run, m.messages, n),
        "tie_density": tie_density_by(state, m.run, n),
        "muted": _per_run(state, run_p, m.status[present] == MUTED),
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
    """The daily per-group columns (one row per group launched by today)."""
    m, pe, g = state.members, state.people, state.groups
    rows = np.flatnonzero(g.launch_day <= state.day)
    present = state.present()
    grp = m.group[present]
    members = np.bincount(grp, minlength=g.n)
    spoke = np.bincount(grp, weights=m.messages[present] > 0, minlength=g.n)
    trust = np.bincount(grp, weights=0.5 * (m.trust[present] + pe.trust[m.person[present]]),
                        minlength=g.n)
    safe = np.maximum(members, 1)
    cols = {
        "run": g.run, "group": g.gid,
        "members": members,
        "active_members": np.bincount(m.group, weights=m.today > 0, minlength=g.n),
        "messages": np.bincount(m.group, weights=m.today, minlength=g.n).astype(np.int64),
        "ever_spoken_share": np.where(members > 0, spoke / safe, 0.0),
        "mean_trust": np.where(members > 0, trust / safe, 0.0),
        "tie_density": tie_density_by(state, m.group, g.n),
    }
    return {k: np.asarray(v)[rows] for k, v in cols.items()}


def summarize_runs(daily: pd.DataFrame, state: State) -> pd.DataFrame:
    """Per-run outcomes derived from the daily table and the final state (one row per run).

    ``daily`` has the columns of :data:`DAILY_COLUMNS` plus ``run`` (the run's index in ``state``)
    and ``day``.
    """
    m = state.members
    rows = []
    quarter_rows = m.join_day < 90
    for r, frame in daily.groupby("run", sort=True):
        mine = m.run == r
        msgs = frame["messages"].to_numpy()
        counts = m.messages[mine]
        rarely, sometimes, a_lot = metrics.speaking_split(m.quarter[mine & quarter_rows])
        last = frame.iloc[-1]
        cost, revenue = float(last["cost"]), float(last["revenue"])
        by_day = frame.set_index("day")

        def at(col, day, by_day=by_day):
            return float(by_day[col].get(day, np.nan))

        rows.append({
            "run": r,
            "days": int(frame["day"].max()) + 1,
            "time_to_silence": metrics.time_to_silence(msgs),
            "silent": bool(np.isfinite(metrics.time_to_silence(msgs))),
            "retention_d90": metrics.retention(msgs, 89),
            "peak_day": metrics.peak_day(msgs),
            "peak_messages": float(metrics.trailing_mean(msgs).max()) if msgs.size else 0.0,
            "total_messages": int(msgs.sum()),
            "members_final": int(last["members"]),
            "joined": int(last["joined"]),
            "churned": int(last["churned"]),
            "ever_spoken_share_final": float(last["ever_spoken_share"]),
            "ever_spoken_share_d14": at("ever_spoken_share", 13),
            "ever_spoken_share_d90": at("ever_spoken_share", 89),
            "members_d90": at("members", 89),
            "active_members_d30": at("active_members", 29),
            "active_members_d90": at("active_members", 89),
            "mean_trust_final": float(last["mean_trust"]),
            "top10_share": float(last["top10_share"]),
            "gini": metrics.gini(counts),
            "lurker_share": float(np.mean(counts == 0)) if counts.size else np.nan,
            "engaged_members": int(np.sum(m.quarter[mine & quarter_rows] > metrics.RARELY_MAX)),
            "rarely_share": rarely, "sometimes_share": sometimes, "a_lot_share": a_lot,
            "tie_density": float(last["tie_density"]),
            "conversions": int(last["conversions"]),
            "revenue": revenue,
            "cost": cost,
            "return_on_cost": (revenue - cost) / cost if cost > 0 else np.nan,
        })
    return pd.DataFrame(rows)


__all__ = ["DAILY_COLUMNS", "GROUP_COLUMNS", "GONE", "record_day", "record_groups",
           "summarize_runs", "top_share_by_run"]
