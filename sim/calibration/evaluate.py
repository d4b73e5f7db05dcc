"""Simulating the observed groups: each group's setting from the data, and the loss of a point.

A group's *context* is what the data fixes rather than the fit: its window in days, how many
people are invited so that as many join as were seen, and (with ``arrivals="observed"``) a daily
inflow of recruits that spreads their joining over the window as in the data. The share of
invitations accepted *within the group's window* is measured with a pilot batch of the base
scenario, so the model is asked for the members the data saw, not for invitations it never
recorded. The pilot runs until nearly every invitee has answered, late arrivals too (the base's
``late_share`` answer after ``late_delay`` days on average, stragglers after ``straggle_delay``):
a window shorter than that sees only the share that has arrived by its end. With
``arrivals="observed"`` the data gives the timing of arrivals, so the model's own late arrivals
and stragglers are switched off in the context (everyone invited at launch answers within the
first days, as the founders seen in the first week did).

Every point is simulated with the same replicate seeds (common random numbers): two points differ
only through their parameters, so their loss difference is not noise of the seeds, and the loss
surface is smooth enough for a sampler to follow with few replicates.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.batch import run_batch
from sim.calibration.targets import Observed, Simulated, loss_parts, simulated, take_runs

ARRIVALS = ("launch", "observed")
PILOT_INVITES = 200
PILOT_MIN_DAYS = 30
PILOT_MAX_DAYS = 3650
PILOT_ANSWERED = 0.99  # the pilot runs until this share of invitees would have answered
PILOT_SEEDS = tuple(range(8))
# With arrivals="observed" the data times the arrivals: the model's own late ones are switched off.
OBSERVED_ARRIVALS = {"late_share": 0.0, "straggle_share": 0.0}
CAP_MARGIN = 1.5  # headroom over the members expected, so the platform cap never binds


@dataclass(frozen=True)
class Context:
    """What the data fixes for one group: the window and the arrivals."""

    group: str
    days: int
    group_size: int
    recruit_per_day: float
    platform_cap: int | None  # raised above the base scenario's only when it would bind
    friend_adds: int | None = None  # raised only when the inflow exceeds the base's limit
    arrivals: str = "launch"

    def overrides(self) -> dict[str, Any]:
        """The parameters this context sets."""
        out: dict[str, Any] = {"group_size": self.group_size, "n_groups": 1}
        if self.arrivals == "observed":
            out.update(OBSERVED_ARRIVALS)
        if self.recruit_per_day > 0:
            out.update(recruit_per_day=self.recruit_per_day, recruitment_start=0.0,
                       recruitment_end=float("inf"))
        if self.platform_cap is not None:
            out["platform_cap"] = self.platform_cap
        if self.friend_adds is not None:
            out["friend_adds"] = self.friend_adds
        return out


def pilot_days(base: Mapping[str, Any]) -> int:
    """Days until ``PILOT_ANSWERED`` of launch invitees would have answered, under the slowest
    arrival the base scenario has (answers come a geometric number of days later, see
    sim/invitations.py): ``ln(1 - PILOT_ANSWERED) / ln(m / (1 + m))`` for the largest mean m."""
    means = [float(base.get("join_delay", 0.0))]
    if float(base.get("late_share", 0.0)) > 0:
        means.append(float(base.get("late_delay", 0.0)))
    if float(base.get("straggle_share", 0.0)) > 0:
        means.append(float(base.get("straggle_delay", 0.0)))
    m = max(means)
    days = math.log(1 - PILOT_ANSWERED) / math.log(m / (1 + m)) if m > 0 else 0.0
    return int(min(max(math.ceil(days), PILOT_MIN_DAYS), PILOT_MAX_DAYS))


_PILOTS: dict[str, np.ndarray] = {}


def _acceptance_curve(base: Mapping[str, Any]) -> np.ndarray:
    """Share of launch invitations accepted by the end of each day of the pilot (one pilot batch
    per base scenario, kept for the process)."""
    pilot = {**base, "group_size": PILOT_INVITES, "n_groups": 1, "platform_cap": 10 * PILOT_INVITES}
    key = repr(sorted(pilot.items()))
    if key not in _PILOTS:
        daily = run_batch([pilot] * len(PILOT_SEEDS), list(PILOT_SEEDS), pilot_days(pilot))
        joined = daily.pivot(index="day", columns="run", values="joined")
        _PILOTS[key] = joined.mean(axis=1).to_numpy(dtype=float) / PILOT_INVITES
    return _PILOTS[key]


def acceptance(base: Mapping[str, Any], days: int | None = None,
               arrivals: str = "launch") -> float:
    """Share of launch invitations that the base scenario's invitees accept within ``days``
    (default: by the end of the pilot, when nearly all have answered), with the arrivals of
    ``arrivals`` (see the module's text)."""
    if arrivals == "observed":
        base = {**base, **OBSERVED_ARRIVALS}
    curve = _acceptance_curve(base)
    at = len(curve) if days is None else min(max(int(days), 1), len(curve))
    return max(float(curve[at - 1]), 1e-3)


def context_for(obs: Observed, base: Mapping[str, Any], accepted: float,
                arrivals: str = "launch") -> Context:
    """The context that makes a run see as many members as the group did.

    Args:
        obs: the observed group.
        base: the base scenario's parameters (for its platform cap).
        accepted: share of invitations accepted within the group's window
            (``acceptance(base, obs.days, arrivals)``).
        arrivals: ``"launch"``: everyone is invited on day 0 (the model's own story of a new
            group); ``"observed"``: those seen in the first week are invited on day 0 and the
            rest arrive at a steady daily rate over the window.
    """
    if arrivals == "observed":
        founders = max(obs.founders, 1)
        size = max(1, round(founders / accepted))
        recruits = max(obs.members - founders, 0) / obs.days / accepted
    else:
        size, recruits = max(1, round(obs.members / accepted)), 0.0
    expected = size + recruits * obs.days
    cap = int(base.get("platform_cap", 500))
    needed = int(np.ceil(CAP_MARGIN * expected))
    adds = int(base.get("friend_adds", 20))
    return Context(group=obs.group, days=obs.days, group_size=int(size),
                   recruit_per_day=float(round(recruits, 4)),
                   platform_cap=needed if needed > cap else None,
                   friend_adds=int(np.ceil(recruits)) if recruits > adds else None,
                   arrivals=arrivals)


class Evaluator:
    """Simulate points (parameter values) in every observed group's context and score them."""

    def __init__(self, observed: Sequence[Observed], contexts: Sequence[Context],
                 base: Mapping[str, Any], seeds: Sequence[int]) -> None:
        self.observed = list(observed)
        self.contexts = list(contexts)
        self.base = dict(base)
        self.seeds = list(seeds)
        self.runs_simulated = 0

    def simulate(self, points: Sequence[Mapping[str, Any]], seeds: Sequence[int] | None = None
                 ) -> list[list[Simulated]]:
        """Every point in every group's context, one batch per window length.

        Returns:
            ``out[i][j]``: the runs (one per seed) of point ``i`` in group ``j``.
        """
        seeds = list(self.seeds if seeds is None else seeds)
        n_seeds = len(seeds)
        out: list[list[Simulated | None]] = [[None] * len(self.contexts) for _ in points]
        for days in sorted({c.days for c in self.contexts}):
            groups = [j for j, c in enumerate(self.contexts) if c.days == days]
            blocks, params = [], []
            for i, point in enumerate(points):
                for j in groups:
                    blocks.append((i, j))
                    params += [{**self.base, **self.contexts[j].overrides(), **point}] * n_seeds
            batch = run_batch(params, seeds * len(blocks), days, summary=True)
            self.runs_simulated += len(params)
            sims = simulated(batch, days // 7)
            for b, (i, j) in enumerate(blocks):
                out[i][j] = take_runs(sims, slice(b * n_seeds, (b + 1) * n_seeds))
        return out  # type: ignore[return-value]

    def score(self, sims: Sequence[Simulated]) -> tuple[float, list[dict[str, float]]]:
        """The loss of one point: the mean over groups, and each group's parts."""
        parts = [loss_parts(obs, sim) for obs, sim in zip(self.observed, sims)]
        return float(np.mean([p["loss"] for p in parts])), parts

    def losses(self, points: Sequence[Mapping[str, Any]], seeds: Sequence[int] | None = None
               ) -> list[float]:
        """The loss of each point (mean over groups)."""
        return [self.score(sims)[0] for sims in self.simulate(points, seeds)]

