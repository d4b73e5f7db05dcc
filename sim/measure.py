"""Measure real chat groups from an event table (``sim.io``) with the model's outcome definitions.

Days are UTC calendar days counted from each group's first event (day 0), and every day up to
the group's last event is present, with zeros on quiet days, so the series are the same kind as
a simulated run's. The outcomes themselves come from :mod:`sim.metrics`.

Definitions used here:

* A member is *seen* in a group from their first event there (a join, a message or even a leave,
  since logs often miss joins from before logging began).
* ``members`` on a day: members seen by the end of that day whose latest event is not a leave (a
  member who leaves and posts or joins again counts again).
* The pooled row ``(all)`` treats the whole log as one group whose members are memberships (a
  person in three groups counts three times), over calendar days from the log's first event.
* ``churned`` counts members with at least one leave; it is NaN and ``leaves_known`` False when
  the group has no leave at all, since many logs do not record leaves.
* ``ever_spoken_share`` needs the members who never post, who are seen only through their
  joins: it is NaN and ``joins_known`` False when the group has no join at all (a Gitter
  archive, say), instead of the 1.0 that posters over posters would give.
  :func:`joins_warning` says so in words.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim import metrics
from sim.errors import UserError

COLUMNS = ("time", "group", "member", "event")
EVENTS = ("message", "join", "leave")
POOLED = "(all)"
TOP = 0.1  # top10_share: share of messages by the top 10% of members


def measure(events: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Measure each group of an event table, and all of them pooled.

    Args:
        events: The event table (``time``, ``group``, ``member``, ``event``) as made by
            :func:`sim.io.import_events` or :func:`sim.io.read_events`; any order.

    Returns:
        ``groups``: one row per group, plus the pooled row ``(all)`` last: ``first_day``,
        ``last_day``, ``days``, ``members_joined``, ``posters``, ``messages``, ``peak_day``,
        ``peak`` (of the 7-day trailing mean of daily messages), ``time_to_silence``,
        ``time_to_sustained_silence`` (days since the first event), ``ever_spoken_share``,
        ``top10_share``, ``gini``, ``churned``, ``leaves_known``, ``joins_known``.
        ``daily``: ``group``, ``day``, ``date``, ``messages``, ``active_members`` (distinct
        posters), ``members``. ``weekly``: ``group``, ``week`` (day // 7), ``date`` (its first
        day), ``days``, ``messages``, ``active_members`` (distinct in the week), ``members`` (at
        the week's end). ``daily`` and ``weekly`` hold the real groups only.

    Raises:
        UserError: Columns are missing, an event is unknown, a time is empty, or there are no
            events.
    """
    ev = _prepare(events)
    groups, daily, weekly = _tables(ev)
    # Days of the pooled row count from the log's first event, so it is prepared anew.
    pooled = ev[list(COLUMNS)].assign(member=ev["group"] + "\x1f" + ev["member"], group=POOLED)
    pooled_row, _, _ = _tables(_prepare(pooled))
    groups = pd.concat([groups, pooled_row], ignore_index=True)
    return {"groups": groups, "daily": daily, "weekly": weekly}


def _prepare(events: pd.DataFrame) -> pd.DataFrame:
    """Check the table and return it sorted by time with UTC times, plain strings and flags."""
    missing = [c for c in COLUMNS if c not in events.columns]
    if missing:
        raise UserError(f"event table: missing column(s) {', '.join(missing)}; expected the "
                        f"columns {', '.join(COLUMNS)}")
    if events.empty:
        raise UserError("event table: it has no events; expected at least one message")
    bad = ~events["event"].isin(EVENTS)
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise UserError(f"event table: row {row}, column event: got "
                        f"{events['event'].iloc[row]!r}; expected one of {', '.join(EVENTS)}")
    for col in ("group", "member"):
        empty = events[col].isna() | (events[col].astype(str) == "")
        if empty.any():
            row = int(np.flatnonzero(empty.to_numpy())[0])
            raise UserError(f"event table: row {row}, column {col} is empty; expected a name or id")
    # Naive times are taken as UTC; text that is no date-time becomes NaT and is reported.
    time = pd.to_datetime(events["time"], utc=True, format="ISO8601", errors="coerce")
    if time.isna().any():
        row = int(np.flatnonzero(time.isna().to_numpy())[0])
        raise UserError(f"event table: row {row}, column time: got {events['time'].iloc[row]!r}; "
                        "expected a date-time")
    ev = pd.DataFrame({"time": time, "group": events["group"].astype(str),
                       "member": events["member"].astype(str), "event": events["event"]})
    ev = ev.sort_values("time", kind="stable").reset_index(drop=True)
    ev["date"] = ev["time"].dt.floor("D")
    first = ev.groupby("group")["date"].transform("min")
    ev["day"] = ((ev["date"] - first) // pd.Timedelta(days=1)).astype(np.int64)
    ev["is_message"] = ev["event"] == "message"
    return ev


def _tables(ev: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The groups, daily and weekly tables of a prepared event table."""
    daily = _daily(ev)
    weekly = _weekly(ev, daily)
    return _groups(ev, daily), daily, weekly


def _daily(ev: pd.DataFrame) -> pd.DataFrame:
    """One row per group and day, quiet days included."""
    first = ev.groupby("group")["date"].min()
    n_days = ev.groupby("group")["day"].max() + 1
    index = pd.MultiIndex.from_arrays(
        [np.repeat(n_days.index.to_numpy(), n_days.to_numpy()),
         np.concatenate([np.arange(n) for n in n_days.to_numpy()])], names=["group", "day"])
    posts = ev[ev["is_message"]].groupby(["group", "day"])["member"]
    # Presence changes by +1 when a member is first seen or comes back after leaving, and by -1
    # on a leave while present; their running sum is the number of members.
    present = ev["event"] != "leave"
    before = present.groupby([ev["group"], ev["member"]]).shift(1, fill_value=False)
    change = present.astype(np.int64) - before.astype(np.int64)
    daily = pd.DataFrame({
        "messages": posts.size(),
        "active_members": posts.nunique(),
        "change": change.groupby([ev["group"], ev["day"]]).sum(),
    }).reindex(index).fillna(0).reset_index()
    daily["members"] = daily.groupby("group")["change"].cumsum()
    start = daily["group"].map(first)
    daily["date"] = (start + pd.to_timedelta(daily["day"], unit="D")).dt.date
    cols = ["group", "day", "date", "messages", "active_members", "members"]
    return daily[cols].astype({"messages": np.int64, "active_members": np.int64,
                               "members": np.int64})


def _weekly(ev: pd.DataFrame, daily: pd.DataFrame) -> pd.DataFrame:
    """Days 0-6 are week 0, and so on; the last week may be short."""
    week = daily.assign(week=daily["day"] // 7).groupby(["group", "week"])
    weekly = week.agg(date=("date", "first"), days=("day", "size"),
                      messages=("messages", "sum"), members=("members", "last"))
    posts = ev[ev["is_message"]]
    active = posts.groupby([posts["group"], (posts["day"] // 7).rename("week")])["member"]
    weekly["active_members"] = active.nunique().reindex(weekly.index, fill_value=0)
    cols = ["group", "week", "date", "days", "messages", "active_members", "members"]
    return weekly.reset_index()[cols].astype({"active_members": np.int64})


def _groups(ev: pd.DataFrame, daily: pd.DataFrame) -> pd.DataFrame:
    """One row per group, with the outcomes of :mod:`sim.metrics`."""
    per_member = ev.groupby(["group", "member"])["is_message"].sum()
    leavers = ev[ev["event"] == "leave"].groupby("group")["member"].nunique()
    joiners = set(ev.loc[ev["event"] == "join", "group"].unique())
    series = daily.groupby("group")
    rows = []
    for group, counts in per_member.groupby(level="group"):
        days = series.get_group(group)
        messages = days["messages"].to_numpy()
        counts = counts.to_numpy()
        peak_day = metrics.peak_day(messages)
        posters = int((counts > 0).sum())
        rows.append({
            "group": group,
            "first_day": days["date"].iloc[0],
            "last_day": days["date"].iloc[-1],
            "days": int(messages.size),
            "members_joined": int(counts.size),
            "posters": posters,
            "messages": int(messages.sum()),
            "peak_day": peak_day,
            "peak": float(metrics.trailing_mean(messages)[peak_day]),
            "time_to_silence": metrics.time_to_silence(messages),
            "time_to_sustained_silence": metrics.time_to_sustained_silence(messages),
            "ever_spoken_share": posters / counts.size if group in joiners else float("nan"),
            "top10_share": metrics.top_share(counts, TOP),
            "gini": metrics.gini(counts),
            "churned": float(leavers[group]) if group in leavers.index else float("nan"),
            "leaves_known": bool(group in leavers.index),
            "joins_known": bool(group in joiners),
        })
    return pd.DataFrame(rows)


def joins_warning(groups: pd.DataFrame, source: str) -> str | None:
    """A warning in words when some groups have no join records, else None."""
    real = groups[groups["group"] != POOLED]
    blind = real.loc[~real["joins_known"].astype(bool), "group"].tolist()
    if not blind:
        return None
    which = "any of its groups" if len(blind) == len(real) else (
        f"{len(blind)} of its {len(real)} groups ({', '.join(map(str, blind[:5]))}"
        f"{', ...' if len(blind) > 5 else ''})")
    return (f"warning: {source} has no join records in {which}: members who never post are "
            "not seen there, so their ever-spoken share is not measured (shown as NaN) and "
            "members_joined counts only those seen posting or leaving")
