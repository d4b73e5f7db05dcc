"""Short text tables of results for the terminal: a run's days, its outcomes, a sweep's means."""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd

from sim import labels

# columns of the daily table printed by ``commsim run`` (headings from sim/labels.py)
DAILY_SHOWN = ("members", "active_members", "messages", "ever_spoken_share", "mean_trust", "cost")
# per-run outcomes printed by ``commsim run``
RUNS_SHOWN = ("invited", "joined", "members_final", "active_members_d30", "active_members_d90",
              "ever_spoken_share_final", "time_to_silence", "total_messages", "mean_trust_final",
              "revenue", "cost")
# "silent" is the share of runs that fell silent; time_to_silence is the mean over those runs
SWEEP_SHOWN = ("invited", "joined", "members_final", "ever_spoken_share_final", "silent",
               "time_to_silence", "total_messages", "revenue", "cost")
MAX_ROWS = 40


def fmt(value: float, decimals: int = 1) -> str:
    """A number for a table with ``decimals``; "-" for a missing value."""
    if value is None or (isinstance(value, float | np.floating) and math.isnan(value)):
        return "-"
    if isinstance(value, float | np.floating) and math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return f"{value:,.{decimals}f}"


def _decimals(values: pd.Series) -> int:
    """Decimals that suit a column: none for hundreds, one for tens, three for shares."""
    finite = values.astype(float)
    finite = finite[np.isfinite(finite)].abs()
    if finite.empty or finite.max() >= 100 or (finite == finite.round()).all():
        return 0
    return 1 if finite.max() >= 2 else 3


def _table(frame: pd.DataFrame, by_row: bool = False, index: bool = True) -> str:
    if not len(frame):
        return "(no rows)"
    out = frame.astype(object).copy()
    if by_row:
        for i in range(len(frame)):
            d = _decimals(frame.iloc[i])
            out.iloc[i] = [fmt(v, d) for v in frame.iloc[i]]
    else:
        for col in frame.columns:
            d = _decimals(frame[col])
            out[col] = [fmt(v, d) for v in frame[col]]
    return out.to_string(index=index)


def daily_table(daily: pd.DataFrame, every: int = 15) -> str:
    """Means across runs of the daily outcomes on day 1 and every ``every`` days (and the last)."""
    last = int(daily["day"].max())
    days = sorted({0, last, *range(every - 1, last + 1, every)})
    shown = [c for c in DAILY_SHOWN if c in daily]
    table = _percent(daily[daily["day"].isin(days)].groupby("day")[shown].mean())
    table.insert(0, "day", table.index + 1)
    return _table(table.rename(columns={c: labels.short(c) for c in shown}), index=False)


def _percent(table: pd.DataFrame) -> pd.DataFrame:
    """Shares (0-1) as percentages, as their headings say."""
    table = table.copy()
    for col in table.columns:
        if labels.label(col).share:
            table[col] = table[col].astype(float) * 100
    return table


def runs_table(runs: pd.DataFrame) -> str:
    """Mean, min and max across runs of the main per-run outcomes.

    Time to silence is missing for a run that never fell silent: its row gives the mean over
    the runs that did, and says how many did not.
    """
    rows = {}
    for col in RUNS_SHOWN:
        if col not in runs:
            continue
        label = labels.heading(col)
        values = runs[col].astype(float) * (100 if labels.label(col).share else 1)
        if col == "time_to_silence":
            never = int(values.isna().sum())
            label = f"{label}, {never} of {len(values)} never" if never else label
        elif values.isna().all():  # e.g. day-90 outcomes of a shorter run
            continue
        rows[label] = {"mean": values.mean(), "min": values.min(), "max": values.max()}
    return _table(pd.DataFrame.from_dict(rows, orient="index"), by_row=True)


def sweep_table(runs: pd.DataFrame, varied: list[str]) -> str:
    """Means per scenario and level of ``varied`` of the main outcomes (first ``MAX_ROWS`` rows).

    Pass only the factorial parameters: a sampled design has a point per row, too many to read.
    """
    keys = ["scenario", *[v for v in varied if v in runs]]
    shown = [c for c in SWEEP_SHOWN if c in runs]
    table = _percent(runs.groupby(keys, sort=False)[shown].mean().astype(float))
    table.insert(0, "runs", runs.groupby(keys, sort=False).size())
    more = len(table) - MAX_ROWS
    text = _table(table.head(MAX_ROWS).rename(columns=labels.short))
    text += f"\n... {more} more rows in runs.parquet" if more > 0 else ""
    note = ("days to silence: mean over the runs that fell silent ('-': none did); "
            + labels.small_print(shown))
    return text + "\n" + textwrap.fill(note, 100, initial_indent="  (",
                                        subsequent_indent="   ") + ")"


def _survival_days(runs: pd.DataFrame) -> list[int]:
    from sim.outcomes import SURVIVAL_DAYS

    return [d for d in SURVIVAL_DAYS
            if f"active_day_{d}" in runs and runs[f"active_day_{d}"].notna().any()]


def survival_lines(runs: pd.DataFrame) -> str:
    """For ``commsim run``: the share of groups still active on day 30/60/90/180 and the median
    lifetime, with 95% intervals (sim/survival.py says how they are computed)."""
    from sim.survival import median_lifetime, share_active

    if "lifetime" not in runs:
        return "(no survival outcomes in these runs)"
    lines = ["Still active (not yet silent), share of groups:"]
    for day in _survival_days(runs):
        lines.append(f"  on day {day:<4} {share_active(runs[f'active_day_{day}']).text()}")
    censored = runs["lifetime_censored"].to_numpy(bool)
    median = median_lifetime(runs["lifetime"], censored)
    lines.append(f"Group lifetime (days until silence), median: {median.text()}; "
                 f"{int(censored.sum())} of {len(runs)} groups still active when the run ended "
                 f"(their lifetime is cut there: censored)")
    return "\n".join(lines)


def survival_table(runs: pd.DataFrame, varied: list[str]) -> str:
    """For ``commsim sweep``: per scenario and level of ``varied``, the share of groups still
    active on day N [95% interval] and the median lifetime (invited and joined members are in
    :func:`sweep_table`)."""
    from sim.survival import median_lifetime, share_active

    if "lifetime" not in runs:
        return "(no survival outcomes in these runs)"
    keys = ["scenario", *[v for v in varied if v in runs]]
    days = _survival_days(runs)
    rows = {}
    for key, group in runs.groupby(keys, sort=False):
        row = {"runs": len(group)}
        for day in days:
            s = share_active(group[f"active_day_{day}"])
            row[f"active day {day}"] = f"{s.share:.0%} [{s.low * 100:.0f}-{s.high:.0%}]"
        m = median_lifetime(group["lifetime"], group["lifetime_censored"].to_numpy(bool))
        row["median lifetime (days)"] = (f">{m.days:.0f}" if m.more_than else f"{m.median:.0f}")
        rows[key] = row
        if len(rows) >= MAX_ROWS:
            break
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.names = keys
    return table.to_string()
