"""Streaming Parquet: a merge one chunk at a time writes the very bytes the in-memory merge wrote,
and reading by row groups gives back every row."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.stream import merge_sorted, row_groups

DAYS = 7


def chunk_frame(run_ids: list[int], seed: int) -> pd.DataFrame:
    """A daily table of some runs, its rows shuffled, with the kinds of columns a sweep has."""
    rng = np.random.default_rng(seed)
    n = len(run_ids) * DAYS
    frame = pd.DataFrame({
        "run_id": np.repeat(np.array(run_ids, dtype=np.int64), DAYS),
        "day": np.tile(np.arange(DAYS, dtype=np.int64), len(run_ids)),
        "messages": rng.integers(0, 50, n).astype(np.int64),
        "mean_trust": rng.random(n),
        "time_to_silence": np.where(rng.random(n) < 0.3, np.nan, rng.random(n) * 90),
    })
    return frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)


def ranges(ids: list[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for i in sorted(ids):
        if out and out[-1][1] == i:
            out[-1][1] = i + 1
        else:
            out.append([i, i + 1])
    return out


@pytest.fixture
def parts(tmp_path) -> list[tuple[Path, list[list[int]]]]:
    """Three chunk files whose runs interleave, as after a resume with another chunk size."""
    chunks = [[0, 1, 2, 9, 10], [3, 4, 5, 6], [7, 8, 11]]
    out = []
    for k, ids in enumerate(chunks):
        path = tmp_path / f"daily-{k:05d}.parquet"
        chunk_frame(ids, k).to_parquet(path, index=False)
        out.append((path, ranges(ids)))
    return out


def in_memory(parts, out: Path, **kwargs) -> None:
    """The merge as it was: every chunk read, concatenated, sorted and written at once."""
    table = pd.concat([pd.read_parquet(p) for p, _ in parts], ignore_index=True)
    table = table.sort_values(["run_id", "day"], kind="stable").reset_index(drop=True)
    table.to_parquet(out, index=False, **kwargs)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("row_group", [5, 13, 84, 1000])
def test_streamed_merge_writes_the_bytes_of_the_in_memory_merge(parts, tmp_path, row_group):
    """Row groups cut across chunk boundaries or not, the file is the same, byte for byte."""
    in_memory(parts, tmp_path / "old.parquet", row_group_size=row_group)
    rows = merge_sorted(parts, tmp_path / "new.parquet", ["run_id", "day"], row_group=row_group)
    assert rows == 12 * DAYS
    assert sha(tmp_path / "new.parquet") == sha(tmp_path / "old.parquet")


def test_streamed_merge_with_the_default_row_group_matches_pandas(parts, tmp_path):
    """With the default row-group size the file is what pandas' to_parquet wrote before."""
    in_memory(parts, tmp_path / "old.parquet")
    merge_sorted(parts, tmp_path / "new.parquet", ["run_id", "day"])
    assert sha(tmp_path / "new.parquet") == sha(tmp_path / "old.parquet")
    merged = pd.read_parquet(tmp_path / "new.parquet")
    assert list(merged["run_id"]) == list(np.repeat(np.arange(12), DAYS))


def test_reading_by_row_groups_gives_every_row_once(parts, tmp_path):
    """Row groups of a merged file, concatenated, are the file; only the columns asked for."""
    merge_sorted(parts, tmp_path / "m.parquet", ["run_id", "day"], row_group=10)
    pieces = list(row_groups([tmp_path / "m.parquet"], ["run_id", "messages"]))
    assert len(pieces) == -(-12 * DAYS // 10)
    whole = pd.concat(pieces, ignore_index=True)
    expected = pd.read_parquet(tmp_path / "m.parquet", columns=["run_id", "messages"])
    pd.testing.assert_frame_equal(whole, expected)


def test_report_quantiles_from_row_groups_equal_those_of_the_whole_table(parts, tmp_path,
                                                                        monkeypatch):
    """Day-by-day quantiles read a row group and a block of days at a time are the numbers the
    whole table in memory gives, for every group of runs (runs in no group left out)."""
    from sim.report import daily as daily_module
    from sim.report.results import Results

    merge_sorted(parts, tmp_path / "d.parquet", ["run_id", "day"], row_group=9)
    whole = pd.read_parquet(tmp_path / "d.parquet")
    manifest = {"experiment": {"days": DAYS}}
    runs = pd.DataFrame({"run_id": range(12)})
    groups = [pd.Index([0, 3, 5, 11]), pd.Index([1, 2, 4, 6, 7, 8])]  # 9 and 10 in none
    levels = (0.1, 0.5, 0.9)
    in_memory_ = Results(tmp_path, manifest, runs, whole)
    on_disk = Results(tmp_path, manifest, runs, None, daily_files=[tmp_path / "d.parquet"])
    monkeypatch.setattr(daily_module, "VALUES", 25)  # 2 days of 10 runs a pass: 4 passes
    for column in ("messages", "mean_trust", "time_to_silence"):
        expected = daily_module.day_quantiles(in_memory_, column, groups, levels)
        found = daily_module.day_quantiles(on_disk, column, groups, levels)
        for e, f in zip(expected, found, strict=True):
            pd.testing.assert_frame_equal(f, e, check_names=False, check_exact=True)
    assert daily_module.day_quantiles(on_disk, "no_such_column", groups, levels) is None


def test_a_damaged_daily_table_is_one_clear_error(tmp_path):
    """A truncated daily.parquet met while drawing the report: UserError naming the folder."""
    from sim.errors import UserError
    from sim.report.daily import day_quantiles
    from sim.report.results import Results

    good = tmp_path / "whole.parquet"
    chunk_frame([0, 1], 0).to_parquet(good, index=False)
    (tmp_path / "daily.parquet").write_bytes(good.read_bytes()[:200])
    results = Results(tmp_path, {"experiment": {"days": DAYS}}, pd.DataFrame({"run_id": [0, 1]}),
                      None, daily_files=[tmp_path / "daily.parquet"])
    with pytest.raises(UserError, match="cannot be read"):
        day_quantiles(results, "messages", [pd.Index([0, 1])], (0.5,))
