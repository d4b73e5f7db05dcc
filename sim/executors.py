"""Executors: run chunks of runs and hand back each finished chunk as soon as it is done.

An executor takes :class:`Chunk` objects and yields :class:`ChunkResult` objects in the order they
finish. Results do not depend on the executor, the number of workers or the chunking: a run's
numbers depend only on its parameters, its seed and the code (see ``sim/batch.py``).

Executors share one interface (``run(chunks)`` yielding results as completed, ``close()``,
use as a context manager): :class:`InProcessExecutor`, :class:`ProcessExecutor` (local worker
processes) and, in ``sim/dask_executor.py``, ``DaskExecutor`` (a Dask cluster).
"""

from __future__ import annotations

import math
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

import pandas as pd

from sim.batch import DEFAULT_CHUNK
from sim.params import Params

MAX_CHUNK = DEFAULT_CHUNK  # runs per chunk at most: the engine's per-day cost is shared by a chunk,
# so small chunks are slow (docs/performance.md); a killed sweep loses only the chunks in flight
CHUNKS_PER_WORKER = 4  # so that workers stay busy to the end and progress is smooth
MAX_RETRIES = 3  # times a lost worker pool is rebuilt before the sweep gives up


@dataclass(frozen=True)
class Chunk:
    """Runs simulated together: ids, parameters and seeds in the same order, one run length."""

    chunk_id: int
    run_ids: tuple[int, ...]
    params: tuple[Params, ...]
    seeds: tuple[int, ...]
    days: int
    record: tuple[str, ...] = ()  # opt-in tables of sim/records.py ("members", "groups")


@dataclass
class ChunkResult:
    """A finished chunk: per-run outcomes and daily outcomes, keyed by ``run_id``."""

    chunk_id: int
    runs: pd.DataFrame
    daily: pd.DataFrame
    seconds: float
    records: dict[str, pd.DataFrame] | None = None  # by record name, keyed by run_id


class WorkersLost(RuntimeError):
    """Worker processes kept dying (out of memory, killed): the sweep cannot go on."""


def default_chunk_size(n_runs: int, workers: int) -> int:
    """Runs per chunk: at most ``MAX_CHUNK``, and small enough for several chunks per worker."""
    return max(1, min(MAX_CHUNK, math.ceil(n_runs / (CHUNKS_PER_WORKER * max(1, workers)))))


def make_chunks(run_ids: Sequence[int], params: Sequence[Params], seeds: Sequence[int],
                days: int, chunk_size: int, first_id: int = 0,
                record: Sequence[str] = ()) -> list[Chunk]:
    """Consecutive runs cut into chunks of ``chunk_size``, numbered from ``first_id``."""
    chunks = []
    for k, lo in enumerate(range(0, len(run_ids), max(1, chunk_size))):
        hi = lo + chunk_size
        chunks.append(Chunk(first_id + k, tuple(run_ids[lo:hi]), tuple(params[lo:hi]),
                            tuple(seeds[lo:hi]), days, tuple(record)))
    return chunks


def run_chunk(chunk: Chunk, on_day: Callable[[], None] | None = None) -> ChunkResult:
    """Simulate one chunk with ``run_batch``; the ``run`` index becomes the global ``run_id``.

    ``on_day`` is called after each simulated day (progress of a long chunk, in this process).
    """
    from sim.batch import run_batch  # imported in the worker, on first use

    started = time.perf_counter()
    result = run_batch(list(chunk.params), list(chunk.seeds), chunk.days,
                       chunk_size=max(1, len(chunk.run_ids)), summary=True, on_day=on_day,
                       record=chunk.record)
    ids = pd.Series(chunk.run_ids, dtype="int64")
    kept = {}
    for name, table in (result.records or {}).items():
        table = table.drop(columns="run")
        table.insert(0, "run_id", ids.iloc[result.records[name]["run"].to_numpy()].to_numpy())
        kept[name] = table
    runs = result.runs.drop(columns="run")
    runs.insert(0, "run_id", ids.iloc[result.runs["run"].to_numpy()].to_numpy())
    daily = result.daily.drop(columns="run")
    daily.insert(0, "run_id", ids.iloc[result.daily["run"].to_numpy()].to_numpy())
    return ChunkResult(chunk.chunk_id, runs, daily, time.perf_counter() - started,
                       kept or None)


class Executor:
    """Runs chunks and yields their results as they finish. Subclasses write :meth:`run`."""

    workers = 1

    def run(self, chunks: Iterable[Chunk]) -> Iterator[ChunkResult]:
        """Yield the result of every chunk, in the order they finish."""
        raise NotImplementedError

    def close(self) -> None:
        """Stop at once, abandoning chunks in flight (their runs are simply run again later)."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class InProcessExecutor(Executor):
    """Runs chunks one after the other in this process (``--workers 1``; easiest to debug).

    ``on_day`` is called after each simulated day of each chunk (a progress bar).
    """

    def __init__(self, on_day: Callable[[], None] | None = None) -> None:
        self.on_day = on_day

    def run(self, chunks: Iterable[Chunk]) -> Iterator[ChunkResult]:
        for chunk in chunks:
            yield run_chunk(chunk, self.on_day)


def _watch_parent(parent: int) -> None:
    # A worker whose parent was killed (SIGKILL leaves no chance to stop it) would otherwise wait
    # for work for ever; it exits as soon as it is adopted by another process.
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _init_worker(parent: int) -> None:
    # Ctrl-C reaches the whole process group: only the main process handles it, so that workers
    # print no tracebacks and the main process decides what to keep.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def new_pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes (spawned) that end when this process dies."""
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=context,
                               initializer=_init_worker, initargs=(os.getpid(),))


def end_pool(pool: ProcessPoolExecutor | None) -> None:
    """Shut ``pool`` down and end its workers at once (nothing to do for None).

    Ending workers at once drops only the chunks in flight; waiting for them could take a while
    after Ctrl-C. ProcessPoolExecutor has no public way to do it before Python 3.14.
    """
    if pool is None:
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)


class ProcessExecutor(Executor):
    """Runs chunks on local worker processes (``spawn``: each worker starts a fresh interpreter).

    A worker lost mid-chunk (killed, out of memory) breaks the pool: the pool is rebuilt and the
    unfinished chunks are submitted again, up to ``retries`` times.
    """

    def __init__(self, workers: int, retries: int = MAX_RETRIES,
                 function: Callable[[Chunk], ChunkResult] = run_chunk) -> None:
        self.workers = max(1, workers)
        self.retries = retries
        self.function = function  # importable by the workers (tests pass a failing one)
        self._pool: ProcessPoolExecutor | None = None

    def run(self, chunks: Iterable[Chunk]) -> Iterator[ChunkResult]:
        pending = {c.chunk_id: c for c in chunks}
        failures = 0
        while pending:
            self._pool = new_pool(min(self.workers, len(pending)))
            futures = {self._pool.submit(self.function, c): cid for cid, c in pending.items()}
            try:
                while futures:
                    done, _ = wait(futures, return_when=FIRST_COMPLETED)
                    for future in done:
                        cid = futures.pop(future)
                        result = future.result()
                        del pending[cid]
                        yield result
            except BrokenProcessPool as err:
                failures += 1
                self.close()
                if failures > self.retries:
                    raise WorkersLost(f"worker processes died {failures} times (out of memory? "
                                      f"try fewer --workers or a smaller --chunk-size): {err}"
                                      ) from None
            finally:
                if not pending:
                    self.close()

    def close(self) -> None:
        pool, self._pool = self._pool, None
        end_pool(pool)


def make_executor(workers: int) -> Executor:
    """An in-process executor for one worker, else local worker processes."""
    return InProcessExecutor() if workers <= 1 else ProcessExecutor(workers)


def available_cores() -> int:
    """Cores this process may use (the default number of workers)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on every platform
        return max(1, os.cpu_count() or 1)
