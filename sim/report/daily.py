"""Daily outcomes of a results folder, summarised without loading every run's days at once.

A report needs, for each line it draws, the 10%, 50% and 90% of a daily outcome across runs on
every day. The daily table of a large sweep does not fit in memory comfortably (one row per run
and day), so it is read one row group at a time, keeping only the runs drawn and a block of days:
as many days as fit in :data:`VALUES` values, with one pass over the file per block. The
quantiles are exact (the same numbers as from the whole table in memory).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sim.errors import UserError
from sim.report.results import Results
from sim.stream import row_groups

VALUES = 2_000_000  # values of one outcome held at once (16 MB as float64): days per pass


def day_quantiles(results: Results, column: str, groups: Sequence[pd.Index],
                  quantiles: Sequence[float]) -> list[pd.DataFrame] | None:
    """Quantiles across the runs of each group, per day, of the daily outcome ``column``.

    Args:
        results: the results folder (its ``daily`` table in memory, or its daily files).
        column: a daily outcome.
        groups: the run ids of each group (a line of a figure).
        quantiles: the levels, e.g. (0.1, 0.5, 0.9).

    Returns:
        One frame per group: index ``day``, one column per level; None when the folder has no
        such column or no daily rows.
    """
    levels = list(quantiles)
    if results.daily is not None:
        daily = results.daily
        if column not in daily or daily.empty:
            return None
        return [daily[daily["run_id"].isin(ids)].groupby("day")[column].quantile(levels)
                .unstack() for ids in groups]
    import pyarrow as pa

    files = list(results.daily_files)
    try:
        return _from_files(results, files, column, groups, levels)
    except (OSError, pa.ArrowException) as err:  # a truncated or damaged file
        raise UserError(f"{results.path}: a daily table there cannot be read ({err}); expected "
                        "the Parquet files a sweep writes: run the sweep again with --force"
                        ) from None


def _from_files(results: Results, files: list, column: str, groups: Sequence[pd.Index],
                levels: list[float]) -> list[pd.DataFrame] | None:
    """:func:`day_quantiles` of the daily tables in ``files``, a row group at a time."""
    if not files or column not in _columns(files[0]):
        return None
    ids = [np.asarray(g, dtype=np.int64) for g in groups]
    top = max((int(g.max()) for g in ids if g.size), default=-1)
    group_of = np.full(top + 1, -1, dtype=np.int64)
    for k, g in enumerate(ids):
        group_of[g] = k
    n_runs = int((group_of >= 0).sum())
    days = max(1, int(results.days))
    block = max(1, min(days, VALUES // max(1, n_runs)))
    found: list[list[pd.DataFrame]] = [[] for _ in ids]
    rows = 0
    for lo in range(0, days, block):
        hi = lo + block
        parts = []
        for piece in row_groups(files, ["run_id", "day", column]):
            run = piece["run_id"].to_numpy(dtype=np.int64)
            day = piece["day"].to_numpy(dtype=np.int64)
            group = np.where(run <= top, group_of[np.minimum(run, top)], -1) if top >= 0 \
                else np.full(len(run), -1)
            keep = (group >= 0) & (day >= lo) & (day < hi)
            if keep.any():
                parts.append(pd.DataFrame({"group": group[keep], "day": day[keep],
                                           column: piece[column].to_numpy()[keep]}))
        if not parts:
            continue
        block_rows = pd.concat(parts, ignore_index=True)
        rows += len(block_rows)
        q = block_rows.groupby(["group", "day"])[column].quantile(levels).unstack()
        for k in q.index.get_level_values("group").unique():
            found[int(k)].append(q.xs(k, level="group"))
    if not rows:
        return None
    return [pd.concat(f) if f else pd.DataFrame(columns=levels, index=pd.Index([], name="day"))
            for f in found]


def _columns(path) -> list[str]:
    import pyarrow.parquet as pq

    return list(pq.read_schema(path).names)
