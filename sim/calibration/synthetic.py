"""Simulated runs written out as event tables, as if each run were a real group's export.

A calibration that recovers known parameters must see simulated data through the same code path
as real data: the event table, :func:`sim.measure.measure`, then the targets. Each run becomes one
group (``sim-0``, ``sim-1``, ...): a ``join`` event on the day a member joined, one ``message``
event per message, a ``leave`` event on the day a member left, all at noon UTC of day ``start +
day``. Members are named by run and membership row, so the table holds no real names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from sim import engine
from sim.params import Params, resolve
from sim.rng import derive_seed
from sim.state import GONE

START = pd.Timestamp("2020-01-06T12:00:00Z")  # a Monday, so weeks read naturally


def simulate_events(params: Params | Mapping[str, Any], seeds: Sequence[int], days: int,
                    start: pd.Timestamp = START) -> pd.DataFrame:
    """Simulate one run per seed and return their events as one event table.

    Args:
        params: the parameters of every run (a ``Params`` or flat overrides).
        seeds: one seed per run, as for :func:`sim.batch.run_batch` (same seed, same run).
        days: days to simulate.
        start: the time of day 0's events.

    Returns:
        The event table (``time``, ``group``, ``member``, ``event``), sorted by time.
    """
    p = params if isinstance(params, Params) else resolve(dict(params))
    state = engine.new_state([p] * len(seeds),
                             np.array([derive_seed(s) for s in seeds], dtype=np.uint64))
    parts: list[pd.DataFrame] = []
    for day in range(days):
        engine.step(state)
        m = state.members
        joined = np.flatnonzero(m.join_day == day)
        posted = np.flatnonzero(m.today > 0)
        left = np.flatnonzero((m.status == GONE) & (m.leave_day == day))
        rows = np.concatenate([joined, np.repeat(posted, m.today[posted]), left])
        kinds = np.repeat(np.array(["join", "message", "leave"]),
                          [joined.size, int(m.today[posted].sum()), left.size])
        if rows.size:
            parts.append(pd.DataFrame({"day": day, "run": m.run[rows], "row": rows,
                                       "event": kinds}))
    if not parts:
        return pd.DataFrame({"time": pd.Series([], dtype="datetime64[ns, UTC]"),
                             "group": [], "member": [], "event": []})
    ev = pd.concat(parts, ignore_index=True)
    return pd.DataFrame({
        "time": (start + pd.to_timedelta(ev["day"], unit="D")).astype("datetime64[ns, UTC]"),
        "group": "sim-" + ev["run"].astype(str),
        "member": "r" + ev["run"].astype(str) + "m" + ev["row"].astype(str),
        "event": ev["event"],
    })
