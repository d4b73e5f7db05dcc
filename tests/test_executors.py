"""Executors: chunks cut in order, the same results in this process and on worker processes, and a
lost worker's chunks run again."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from sim.batch import DEFAULT_CHUNK
from sim.executors import (
    Chunk,
    InProcessExecutor,
    ProcessExecutor,
    WorkersLost,
    default_chunk_size,
    make_chunks,
    run_chunk,
)
from sim.params import resolve

CRASH_MARKER = "COMMSIM_TEST_CRASH_MARKER"


def chunks(n: int = 6, size: int = 2) -> list[Chunk]:
    params = [resolve({"group_size": 30, "shills": i % 2}) for i in range(n)]
    return make_chunks(list(range(10, 10 + n)), params, list(range(n)), 8, size)


def crash_once(chunk: Chunk):
    """Kill the worker the first time chunk 1 is run (the marker file says it happened)."""
    marker = Path(os.environ[CRASH_MARKER])
    if chunk.chunk_id == 1 and not marker.exists():
        marker.write_text("crashed")
        os._exit(1)
    return run_chunk(chunk)


def always_crash(chunk: Chunk):
    """Kill the worker every time."""
    os._exit(1)


def by_chunk(results) -> dict[int, pd.DataFrame]:
    return {r.chunk_id: r.daily for r in results}


def test_default_chunk_size_gives_every_worker_several_chunks():
    """At most the engine's chunk (DEFAULT_CHUNK) a chunk, and about four chunks per worker for
    small sweeps."""
    assert default_chunk_size(100_000, 2) == DEFAULT_CHUNK == 1000
    assert default_chunk_size(80, 2) == 10
    assert default_chunk_size(3, 8) == 1


def test_chunks_keep_run_order_and_number_from_the_first_id():
    """make_chunks cuts consecutive runs and numbers chunks from first_id."""
    cut = make_chunks([5, 6, 7, 8, 9], [resolve()] * 5, [1, 2, 3, 4, 5], 10, 2, first_id=3)
    assert [c.chunk_id for c in cut] == [3, 4, 5]
    assert [c.run_ids for c in cut] == [(5, 6), (7, 8), (9,)]
    assert [c.seeds for c in cut] == [(1, 2), (3, 4), (5,)]


def test_run_chunk_labels_rows_with_global_run_ids():
    """A chunk's tables carry run_id (not the batch index)."""
    result = run_chunk(chunks()[1])
    assert list(result.runs.run_id) == [12, 13]
    assert sorted(result.daily.run_id.unique()) == [12, 13] and len(result.daily) == 16


def test_worker_processes_give_what_this_process_gives():
    """Two worker processes return, chunk by chunk, exactly the in-process results."""
    with InProcessExecutor() as here:
        want = by_chunk(here.run(chunks()))
    with ProcessExecutor(2) as pool:
        got = by_chunk(pool.run(chunks()))
    assert got.keys() == want.keys()
    for cid in want:
        pd.testing.assert_frame_equal(got[cid], want[cid], check_exact=True)


def test_a_lost_worker_is_replaced_and_its_chunk_run_again(tmp_path, monkeypatch):
    """A worker that dies mid-chunk breaks the pool; the pool is rebuilt, nothing is lost."""
    monkeypatch.setenv(CRASH_MARKER, str(tmp_path / "crashed"))
    with ProcessExecutor(2, function=crash_once) as pool:
        got = by_chunk(pool.run(chunks()))
    assert (tmp_path / "crashed").exists() and sorted(got) == [0, 1, 2]


def test_workers_that_keep_dying_stop_the_sweep():
    """After the retries, a pool that keeps breaking raises WorkersLost."""
    with pytest.raises(WorkersLost, match="died 2 times"):
        with ProcessExecutor(1, retries=1, function=always_crash) as pool:
            list(pool.run(chunks(2)))
