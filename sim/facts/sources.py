"""Sources of facts, read into one form: weekly messages per group and one row per member.

A *log* is an event table (``commsim import`` output, a generic ``.csv`` or ``.csv.gz``, or a
folder holding ``events.csv``). A group starts on the day of its first event; it is observed up
to ``observed_until`` when a groups file gives one (``groups.csv`` beside the events is read
when present: group, observed_until), else up to the last event of the whole log. Only full
weeks inside the window count; later weeks are censored, never silence.

A *results folder* recorded with ``--record members,groups``: each (run, group) is a group,
starting on its launch day and observed for the days simulated. Spammers' and the operator's
accounts (owner, shills) are left out like the bots dropped from real logs.

Joins: a log's members are known only when it records joins; then a member who joined is one
with a ``join`` event in the group. Logs without joins (Gitter) see only posters.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from sim.errors import UserError

GROUPS_FILE = "groups.csv"
HUMAN_KINDS = ("member", "troublemaker")  # operator accounts and spammers are left out like bots


def half(name: str) -> str:
    """``A`` or ``B``: the parity of the first byte of the SHA-256 of the group's UTF-8 name.

    A stable split of a log's groups in two (validation halves, calibration train/test)."""
    import hashlib

    return "A" if hashlib.sha256(str(name).encode("utf-8")).digest()[0] % 2 == 0 else "B"


@dataclass(frozen=True)
class Source:
    """A source in the common form.

    ``weekly``: group, week (0 = days 0-6 from the start), messages; every full observed week,
    quiet ones included. ``members``: group, member, messages, joined_day and left_day (days from
    the group's start, NaN when unknown), end_day (days observed). ``has_joins``: whether joins
    are recorded, so that members who never post are seen.
    """

    name: str
    kind: str  # "log" or "model"
    weekly: pd.DataFrame
    members: pd.DataFrame
    has_joins: bool
    note: str = ""

    @property
    def groups(self) -> list[str]:
        return sorted(self.weekly["group"].unique())

    def subset(self, groups, name: str | None = None) -> Source:
        """The same source restricted to some groups."""
        keep = set(groups)
        return replace(self, name=name or self.name,
                       weekly=self.weekly[self.weekly["group"].isin(keep)],
                       members=self.members[self.members["group"].isin(keep)])

    def posters_only(self) -> Source:
        """As a log without joins would see it: members who posted, no join or leave days."""
        m = self.members[self.members["messages"] > 0].assign(joined_day=np.nan,
                                                              left_day=np.nan)
        return replace(self, members=m, has_joins=False)


def load_source(path: Path, groups_file: Path | None = None, scenario: str | None = None,
                keep_group_names: bool = False) -> Source:
    """A results folder (its runs of ``scenario`` when it holds several) or an event log (a
    file, or a folder holding events.csv). A CSV log's group names are hashed as on import
    unless ``keep_group_names`` (public logs, whose halves are split by name)."""
    path = Path(path).expanduser()
    if not path.exists():
        raise UserError(f"{path}: no such file or folder; expected an event log (.parquet, "
                        ".csv, .csv.gz, or a folder with events.csv) or a results folder "
                        "recorded with --record members,groups")
    if path.is_dir():
        if (path / "manifest.json").is_file() or (path / "daily.parquet").is_file():
            return load_results(path, scenario)
        for name in ("events.csv", "events.csv.gz", "events.parquet"):
            if (path / name).is_file():
                return replace(load_log(path / name, groups_file, keep_group_names),
                               name=path.name)
        raise UserError(f"{path}: a folder with neither events.csv nor a results manifest; "
                        "expected an event log or a results folder")
    return load_log(path, groups_file, keep_group_names)


def load_results(path: Path, scenario: str | None = None) -> Source:
    """A results folder with members.parquet and groups.parquet (one scenario's runs)."""
    from sim.errors import closest

    missing = [f for f in ("members.parquet", "groups.parquet") if not (path / f).is_file()]
    if missing:
        raise UserError(f"{path}: no {' or '.join(missing)}; facts need per-member and "
                        "per-group records: run again with --record members,groups")
    groups = pd.read_parquet(path / "groups.parquet")
    members = pd.read_parquet(path / "members.parquet")
    name = path.name
    runs = pd.read_parquet(path / "runs.parquet", columns=["run_id", "scenario"]) if (
        path / "runs.parquet").is_file() else None
    names = sorted(runs["scenario"].unique()) if runs is not None else []
    if scenario is not None and scenario not in names:
        raise UserError(f"--scenario {scenario}: not in {path}{closest(scenario, names)}; it "
                        f"holds {', '.join(names) or 'no runs table'}")
    if scenario is None and len(names) > 1:
        raise UserError(f"{path} holds the scenarios {', '.join(names)}: choose one with "
                        "--scenario NAME (their groups are not one population)")
    if scenario is not None:
        keep = set(runs.loc[runs["scenario"] == scenario, "run_id"])
        groups = groups[groups["run_id"].isin(keep)]
        members = members[members["run_id"].isin(keep)]
        name = f"{path.name}:{scenario}"
    return from_records(members, groups, name)


def from_records(members: pd.DataFrame, groups: pd.DataFrame, name: str) -> Source:
    """A source from the records of :mod:`sim.records` (``run`` or ``run_id`` columns)."""
    run = "run_id" if "run_id" in groups else "run"
    gid = groups[run].astype(str) + "-" + groups["group"].astype(str)
    launch = groups.groupby(gid)["day"].transform("min")
    day = groups["day"] - launch
    days = day.groupby(gid).transform("max") + 1
    weeks_observed = days // 7
    week = day // 7
    keep = (week < weeks_observed).to_numpy()
    weekly = (pd.DataFrame({"group": gid[keep], "week": week[keep],
                            "messages": groups["messages"][keep]})
              .groupby(["group", "week"], as_index=False)["messages"].sum())
    first = groups.assign(g=gid).groupby("g")["day"].min()
    ndays = (day.groupby(gid).max() + 1)
    m = members[members["kind"].isin(HUMAN_KINDS)]
    mg = m[run].astype(str) + "-" + m["group"].astype(str)
    start = mg.map(first).to_numpy()
    frame = pd.DataFrame({
        "group": mg.to_numpy(), "member": m["member"].to_numpy(),
        "messages": m["messages"].to_numpy(),
        "joined_day": m["joined_day"].to_numpy(dtype=float) - start,
        "left_day": m["left_day"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        - start,
        "end_day": mg.map(ndays).to_numpy(dtype=float),
    })
    return Source(name=name, kind="model", weekly=weekly, members=frame, has_joins=True)


def read_observed(path: Path) -> pd.Series:
    """``observed_until`` per group from a groups file (CSV with group, observed_until)."""
    try:
        table = pd.read_csv(path)
    except (OSError, ValueError) as err:
        raise UserError(f"{path}: not a readable CSV ({err}); expected the columns group, "
                        "observed_until") from None
    for col in ("group", "observed_until"):
        if col not in table:
            raise UserError(f"{path}: no column {col}; expected the columns group, "
                            "observed_until (UTC date-time)")
    until = pd.to_datetime(table["observed_until"], utc=True, errors="coerce", format="ISO8601")
    bad = until.isna() & table["observed_until"].notna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise UserError(f"{path}: line {row + 2}, column observed_until: got "
                        f"{table['observed_until'].iloc[row]!r}; expected a date-time")
    return pd.Series(until.to_numpy(), index=table["group"].astype(str))


def load_log(path: Path, groups_file: Path | None = None, keep_group_names: bool = False
             ) -> Source:
    """An event log, with the observation window of ``groups_file`` (or groups.csv beside it)."""
    from sim.io import load_salt, read_events
    from sim.io.privacy import hash_group

    salt = load_salt()
    events = read_events(path, keep_group_names, salt)  # names hashed as on import, or kept
    note = ""
    if groups_file is None and (path.parent / GROUPS_FILE).is_file() and \
            path.name != GROUPS_FILE:
        head = pd.read_csv(path.parent / GROUPS_FILE, nrows=1)
        if "observed_until" in head:
            groups_file = path.parent / GROUPS_FILE
    observed = read_observed(groups_file) if groups_file is not None else None
    if observed is not None and not set(observed.index) & set(events["group"].astype(str)):
        # the log's group names are stored hashed: find the groups file's groups the same way
        observed.index = [hash_group(salt, g) for g in observed.index]
    if observed is not None:
        note = f"observation windows from {groups_file.name}"
    return from_events(events, path.name.split(".")[0], observed, note)


def from_events(events: pd.DataFrame, name: str, observed: pd.Series | None = None,
                note: str = "") -> Source:
    """A source from an event table (``time, group, member, event``)."""
    ev = events[["time", "group", "member", "event"]].copy()
    ev["group"] = ev["group"].astype(str)
    ev["date"] = ev["time"].dt.floor("D")
    start = ev.groupby("group")["date"].min()
    log_end = ev["time"].max()
    end = pd.Series(log_end, index=start.index)
    if observed is not None:
        known = observed.reindex(start.index)
        end = known.where(known.notna(), log_end)
    ev = ev[ev["time"] < ev["group"].map(end)]
    end_day = ((end.dt.floor("D") - start) // pd.Timedelta(days=1)).astype(float)
    ev["day"] = (ev["date"] - ev["group"].map(start)) // pd.Timedelta(days=1)
    weeks_observed = (end_day // 7).astype(int)
    msgs = ev[ev["event"] == "message"]
    counts = msgs.groupby(["group", msgs["day"] // 7]).size()
    index = pd.MultiIndex.from_tuples(
        [(g, w) for g, n in weeks_observed.items() for w in range(n)], names=["group", "week"])
    weekly = counts.reindex(index, fill_value=0).rename("messages").reset_index()
    per = msgs.groupby(["group", "member"]).size().rename("messages")
    joins = ev[ev["event"] == "join"].groupby(["group", "member"])["day"].min()
    has_joins = bool(len(joins))
    members = pd.DataFrame({"messages": per}).join(joins.rename("joined_day"), how="outer")
    members["messages"] = members["messages"].fillna(0).astype(np.int64)
    leaves = ev[ev["event"] == "leave"][["group", "member", "day"]]
    first_leave = (leaves.merge(members["joined_day"].reset_index(), on=["group", "member"])
                   .query("day >= joined_day").groupby(["group", "member"])["day"].min())
    members["left_day"] = first_leave.reindex(members.index).astype(float)
    members = members.reset_index()
    members["end_day"] = members["group"].map(end_day).astype(float)
    members["joined_day"] = members["joined_day"].astype(float)
    return Source(name=name, kind="log", weekly=weekly, members=members, has_joins=has_joins,
                  note=note)
