"""run_batch: many runs through the same engine at once, their rows stacked into one set of arrays.

A run's results depend only on its parameters, its seed and the code: draws are keyed by (seed,
stream, day, key) and every sum is taken per run in row order, so a run gives the same numbers
alone, in any batch, in any order and in any chunk. Chunks bound memory: runs are simulated
``chunk_size`` at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim import engine, outcomes, records
from sim.params import Params, resolve
from sim.rng import derive_seed

DEFAULT_CHUNK = 1000  # runs simulated together; the per-day cost is shared by a chunk. At issue
# 12's defaults most invitees arrive months later, so a run holds fewer member-days and that cost
# weighs more: on this machine 700 -> 4.4 to 4.6, 1000 -> 4.8 to 5.0 M member-days/s at about
# 400 MiB (docs/performance.md); before those defaults 700 was as fast as 1000


@dataclass
class BatchResult:
    """The tables of a batch: ``daily`` (run x day), ``runs`` (one row a run), ``groups``."""

    daily: pd.DataFrame
    runs: pd.DataFrame
    groups: pd.DataFrame | None = None
    records: dict[str, pd.DataFrame] | None = None  # opt-in "members" and "groups" (sim/records.py)


def _as_params(p: Params | Mapping[str, Any]) -> Params:
    return p if isinstance(p, Params) else resolve(dict(p))


def _resolve_all(params: Sequence[Params | Mapping[str, Any]]) -> list[Params]:
    """``_as_params`` of each, validating each distinct set of overrides once (a sweep repeats
    one set over many seeds); Params are frozen, so runs may share one."""
    done: dict[Any, Params] = {}
    out = []
    for p in params:
        if isinstance(p, Params):
            out.append(p)
            continue
        try:  # the value's type is part of the key: strict checks tell 1 from True and 1.0
            key = tuple((k, type(v), v) for k, v in sorted(dict(p).items()))
            hash(key)
        except TypeError:  # an unhashable value: validate it on its own
            out.append(_as_params(p))
            continue
        if key not in done:
            done[key] = _as_params(p)
        out.append(done[key])
    return out


def simulate_chunk(params: Sequence[Params], seeds: Sequence[int], days: int,
                   record_groups: bool = False, on_day: Callable[[], None] | None = None,
                   record: Sequence[str] = (), summary: bool = True) -> BatchResult:
    """Simulate runs together in one state; ``run`` columns index into ``params``.

    ``on_day`` is called after each simulated day (for a progress bar). ``record`` names the
    opt-in tables of :mod:`sim.records` to keep (``members``, ``groups``). Without ``summary``
    the per-run table is left empty (run_batch asked only for the daily table).
    """
    state = engine.new_state(list(params), np.array([derive_seed(s) for s in seeds],
                                                   dtype=np.uint64))
    n = len(params)
    daily_cols: dict[str, list[np.ndarray]] = {k: [] for k in outcomes.DAILY_COLUMNS}
    group_frames = []
    keep_members, keep_groups = "members" in record, "groups" in record
    group_days: list[dict[str, np.ndarray]] = []
    operator = records.OperatorTally(state) if keep_members else None
    for day in range(days):
        daily, groups = engine.step(state, record_groups)
        for k, v in daily.items():
            daily_cols[k].append(v)
        if groups is not None:
            group_frames.append(pd.DataFrame({"day": day, **groups}))
        if operator is not None:
            records.note_posts(state, day)
            operator.update(state, day)
        if keep_groups:
            group_days.append(records.group_day(state, day))
        if on_day is not None:
            on_day()
    # run-major order (all days of run 0, then run 1, ...) by stacking days as columns
    table = {"run": np.repeat(np.arange(n), days), "day": np.tile(np.arange(days), n)}
    table.update({k: np.stack(v, axis=1).ravel() if v else np.zeros(0)
                  for k, v in daily_cols.items()})
    daily = pd.DataFrame(table, copy=False)  # the fresh arrays as they are: no 2-D block copy
    runs = outcomes.summarize_runs(daily, state) if summary else pd.DataFrame()
    groups = (pd.concat(group_frames, ignore_index=True) if group_frames
              else pd.DataFrame()) if record_groups else None
    kept: dict[str, pd.DataFrame] = {}
    if keep_members:
        kept["members"] = records.members_table(state, operator)
    if keep_groups:
        cols = {k: np.concatenate([d[k] for d in group_days]) if group_days
                else np.zeros(0, np.int64) for k in records.GROUP_COLUMNS}
        order = np.lexsort((cols["day"], cols["group"], cols["run"]))
        kept["groups"] = pd.DataFrame({k: v[order] for k, v in cols.items()})
    return BatchResult(daily=daily, runs=runs, groups=groups, records=kept or None)


def run_batch(params: Sequence[Params | Mapping[str, Any]], seeds: Sequence[int], days: int,
              chunk_size: int = DEFAULT_CHUNK, record_groups: bool = False,
              summary: bool = False, progress: Callable[[int], None] | None = None,
              on_day: Callable[[], None] | None = None,
              record: Sequence[str] = ()) -> pd.DataFrame | BatchResult:
    """Run many parameter sets, ``chunk_size`` at a time, through the one engine.

    Args:
        params: one parameter set per run (``Params`` or flat dicts of overrides).
        seeds: one integer seed per run.
        days: days to simulate.
        chunk_size: runs simulated together (memory grows with it).
        record_groups: also keep per-group daily outcomes (in ``BatchResult.groups``).
        summary: return a :class:`BatchResult` (daily, per-run and group tables) instead of
            only the daily table.
        progress: called with the number of runs finished after each chunk.
        on_day: called after each simulated day of each chunk.
        record: opt-in tables to keep, from :data:`sim.records.RECORDS` (``"members"``,
            ``"groups"``, or ``"members,groups"``); they come back in ``BatchResult.records``
            (so ``summary`` is implied) and change no other number.

    Returns:
        The daily table, one row per run and day: ``run`` (index into ``params``), ``day`` and
        the columns of :data:`sim.outcomes.DAILY_COLUMNS`; or a ``BatchResult``.
    """
    if len(params) != len(seeds):
        raise ValueError(f"run_batch: {len(params)} parameter sets but {len(seeds)} seeds")
    record = records.parse_records(record, "run_batch(record=...)")
    summary = summary or bool(record)
    resolved = _resolve_all(params)
    parts: list[BatchResult] = []
    for lo in range(0, len(resolved), max(1, chunk_size)):
        hi = min(lo + chunk_size, len(resolved))
        part = simulate_chunk(resolved[lo:hi], seeds[lo:hi], days, record_groups, on_day, record,
                              summary)
        for frame in (part.daily, part.runs, part.groups, *(part.records or {}).values()):
            if frame is not None and "run" in frame:
                frame["run"] += lo
        parts.append(part)
        if progress:
            progress(hi - lo)
    daily = pd.concat([p.daily for p in parts], ignore_index=True) if parts else pd.DataFrame()
    if not summary:
        return daily
    runs = pd.concat([p.runs for p in parts], ignore_index=True) if parts else pd.DataFrame()
    groups = pd.concat([p.groups for p in parts], ignore_index=True) if record_groups else None
    kept = {name: pd.concat([p.records[name] for p in parts], ignore_index=True)
            for name in record} if parts else {}
    return BatchResult(daily=daily, runs=runs, groups=groups, records=kept or None)
