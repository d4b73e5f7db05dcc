"""What a calibration compares, measured the same way in real groups and in simulated runs.

For each group, over a window of its first ``days`` days (its observed span, capped: a real
channel may run for years, the model's groups are meant for months):

* ``curve``: messages per full week, divided by the busiest week's (the shape of the activity
  curve, whatever the group's size). Simulated curves are normalised run by run, like the one
  observed curve, so the noise of a peak is treated alike on both sides.
* ``ever_spoken_share``: members seen in the window who posted at least once.
* ``top10_share`` and ``gini``: how concentrated messages are among those members.
* ``messages_per_member``: the level of activity, which the normalised curve leaves out.

A log without join records (Gitter's archive) sees only members who post: its ever-spoken share
is unknown (NaN, not 1.0), that part of the loss is left out, and the level is compared as
messages per poster on both sides, the only one such a log can show.

The observed side goes through :func:`sim.measure.measure` on the events of the window; the
simulated side reads the same definitions (:mod:`sim.metrics`) from ``run_batch``'s tables. Both
count every member who ever joined, so a member who joined and left counts in both.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from sim.batch import BatchResult
from sim.errors import UserError, closest
from sim.measure import measure

MIN_WEEKS = 2  # fewer full weeks make no curve
# weight of each part of the loss; each part is in shares (0-1) or, for volume, log10 units
WEIGHTS = {"curve": 1.0, "ever_spoken_share": 1.0, "concentration": 1.0, "volume": 0.5}


@dataclass(frozen=True)
class Observed:
    """The targets of one real group, measured over the window of its first ``days`` days."""

    group: str
    span: int  # days from the group's first to its last event
    days: int  # days in the window (the span, capped)
    weekly_messages: np.ndarray  # messages in each full week of the window
    members: int  # members seen in the window (any event)
    founders: int  # members seen in its first week
    messages: int
    ever_spoken_share: float
    top10_share: float
    gini: float

    @property
    def joins_known(self) -> bool:
        """Does the log record joins, so that members who never post are seen?"""
        return bool(np.isfinite(self.ever_spoken_share))

    @property
    def weeks(self) -> int:
        """Full weeks in the window."""
        return int(self.weekly_messages.size)

    @property
    def curve(self) -> np.ndarray:
        """Weekly messages divided by the busiest week's."""
        return normalise(self.weekly_messages[None, :])[0]

    @property
    def messages_per_member(self) -> float:
        """Messages per member seen in the window."""
        return self.messages / max(self.members, 1)


@dataclass(frozen=True)
class Simulated:
    """The same targets, one value (or curve) per simulated run."""

    curves: np.ndarray  # runs x weeks, each run normalised by its own busiest week
    weekly_messages: np.ndarray  # runs x weeks
    ever_spoken_share: np.ndarray
    top10_share: np.ndarray
    gini: np.ndarray
    messages_per_member: np.ndarray
    joined: np.ndarray

    @property
    def messages_per_poster(self) -> np.ndarray:
        """Messages per member who posted, run by run."""
        posters = self.joined * self.ever_spoken_share
        return np.where(posters > 0, self.messages_per_member * self.joined
                        / np.maximum(posters, 1e-12), 0.0)


def normalise(weekly: np.ndarray) -> np.ndarray:
    """Each row divided by its maximum (a row of zeros stays zeros)."""
    weekly = np.asarray(weekly, dtype=np.float64)
    peak = weekly.max(axis=1, keepdims=True)
    return np.where(peak > 0, weekly / np.where(peak > 0, peak, 1.0), 0.0)


def window(events: pd.DataFrame, max_days: int) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """The events of each group's first ``min(span, max_days)`` days, their day (0 = the group's
    first UTC day, as in :mod:`sim.measure`) and each group's span in days."""
    date = events["time"].dt.floor("D")
    day = (date - date.groupby(events["group"]).transform("min")) // pd.Timedelta(days=1)
    span = day.groupby(events["group"]).max() + 1
    keep = day < events["group"].map(np.minimum(span, max_days))
    return events[keep], day[keep], span


def observe(events: pd.DataFrame, groups: list[str] | None = None, max_days: int = 365,
            min_messages: int = 100, min_weeks: int = 8) -> list[Observed]:
    """Measure the targets of the chosen groups of an event table.

    Args:
        events: an event table (:func:`sim.io.read_events`).
        groups: the groups to measure; None for every group with at least ``min_messages``
            messages and ``min_weeks`` full weeks in its window (the pooled fit).
        max_days: the cap on a group's window, in days.
        min_messages: see ``groups``.
        min_weeks: see ``groups``.

    Raises:
        UserError: an unknown group (with the closest name and the known ones), a group with
            fewer than two full weeks or no message in its window, or no group fit to pool.
    """
    known = sorted(events["group"].unique())
    for name in groups or ():
        if name not in known:
            busiest = events[events["event"] == "message"]["group"].value_counts().index[:8]
            raise UserError(f"--group: unknown group '{name}'{closest(name, known)}; the events "
                            f"hold {len(known)} groups, the busiest: {', '.join(busiest)}")
    inside, day, span = window(events, max_days)
    measured = measure(inside)
    table = measured["groups"].set_index("group")
    weekly = measured["weekly"]
    first_week = inside[day < 7].groupby("group")["member"].nunique()
    out = []
    for name in groups if groups else known:
        row = table.loc[name]
        days = int(min(span[name], max_days))
        weeks = days // 7
        counts = weekly[weekly["group"] == name]["messages"].to_numpy()[:weeks]
        # quiet weeks between the window's last event and its end are measured by no one
        counts = np.pad(counts, (0, weeks - counts.size))
        obs = Observed(group=name, span=int(span[name]), days=days,
                       weekly_messages=counts.astype(np.float64),
                       members=int(row["members_joined"]),
                       founders=int(first_week.get(name, 1)), messages=int(row["messages"]),
                       ever_spoken_share=float(row["ever_spoken_share"]),
                       top10_share=float(row["top10_share"]), gini=float(row["gini"]))
        if groups is None:
            if obs.messages >= min_messages and obs.weeks >= min_weeks:
                out.append(obs)
            continue
        if obs.weeks < MIN_WEEKS or obs.messages == 0:
            raise UserError(f"--group {name}: {obs.messages} messages over {days} days in its "
                            f"window; calibration needs at least one message and {MIN_WEEKS} "
                            "full weeks")
        out.append(obs)
    if not out:
        raise UserError(f"--pooled: no group has {min_messages} messages and {min_weeks} full "
                        f"weeks in its first {max_days} days; name groups with --group")
    return out


def simulated(batch: BatchResult, weeks: int) -> Simulated:
    """The targets of every run of a batch (all runs of the same length), in run order."""
    runs = batch.runs.sort_values("run")
    n = len(runs)
    days = len(batch.daily) // max(n, 1)
    msgs = batch.daily.sort_values(["run", "day"])["messages"].to_numpy(np.float64)
    weekly = msgs.reshape(n, days)[:, : weeks * 7].reshape(n, weeks, 7).sum(axis=2)
    joined = runs["joined"].to_numpy(np.float64)
    safe = np.maximum(joined, 1.0)
    return Simulated(curves=normalise(weekly), weekly_messages=weekly,
                     ever_spoken_share=np.where(joined > 0,
                                                1.0 - runs["lurker_share"].to_numpy(), 0.0),
                     top10_share=runs["top10_share"].to_numpy(np.float64),
                     gini=runs["gini"].to_numpy(np.float64),
                     messages_per_member=runs["total_messages"].to_numpy(np.float64) / safe,
                     joined=joined)


def loss_parts(obs: Observed, sim: Simulated) -> dict[str, float]:
    """The parts of the loss and their weighted sum ``loss`` (0 = a perfect fit).

    ``curve`` is the root mean square gap between the observed curve and the mean simulated one;
    ``ever_spoken_share`` the absolute gap in the share; ``concentration`` the mean absolute gap
    in top 10% share and Gini; ``volume`` the absolute gap in log10 of messages per member.

    Without join records (``obs.joins_known`` False) the ever-spoken part is NaN and left out of
    ``loss``, and volume compares messages per poster (what such a log shows) on both sides.
    """
    level = sim.messages_per_member if obs.joins_known else sim.messages_per_poster
    parts = {
        "curve": float(np.sqrt(np.mean((obs.curve - sim.curves.mean(axis=0)) ** 2))),
        "ever_spoken_share": (abs(obs.ever_spoken_share - float(sim.ever_spoken_share.mean()))
                              if obs.joins_known else float("nan")),
        "concentration": 0.5 * (abs(obs.top10_share - float(sim.top10_share.mean()))
                                + abs(obs.gini - float(sim.gini.mean()))),
        "volume": abs(float(np.log10((obs.messages_per_member + 0.01)
                                     / (level.mean() + 0.01)))),
    }
    parts["loss"] = sum(WEIGHTS[k] * v for k, v in parts.items() if np.isfinite(v))
    return parts


def noise_floor(obs: Observed, sim: Simulated) -> float:
    """The loss a perfect model would still score: each run scored as if it were the observed
    group, against the mean of the other runs, averaged (NaN with fewer than two runs)."""
    n = sim.curves.shape[0]
    if n < 2:
        return float("nan")
    scores = []
    for i in range(n):
        rest = take_runs(sim, np.arange(n) != i)
        joined = max(float(sim.joined[i]), 1.0)
        one = Observed(group=obs.group, span=obs.span, days=obs.days,
                       weekly_messages=sim.weekly_messages[i], members=int(joined), founders=0,
                       messages=int(round(sim.messages_per_member[i] * joined)),
                       ever_spoken_share=(float(sim.ever_spoken_share[i]) if obs.joins_known
                                          else float("nan")),
                       top10_share=float(sim.top10_share[i]), gini=float(sim.gini[i]))
        if not obs.joins_known:  # such a log would count its posters as its members
            posters = max(float(sim.joined[i] * sim.ever_spoken_share[i]), 1.0)
            one = replace(one, members=int(round(posters)),
                          messages=int(round(sim.messages_per_member[i] * joined)))
        scores.append(loss_parts(one, rest)["loss"])
    return float(np.mean(scores))


def take_runs(sim: Simulated, rows: slice | np.ndarray) -> Simulated:
    """The runs ``rows`` (a slice or a boolean mask) of a :class:`Simulated`."""
    return Simulated(**{name: getattr(sim, name)[rows] for name in Simulated.__dataclass_fields__})
