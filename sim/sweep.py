"""Running an experiment into a results folder: specs cut into chunks, chunks to an executor,
finished chunks to the store, and a progress bar; interruptions keep every finished chunk.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tqdm import tqdm

from sim.executors import (
    Executor,
    InProcessExecutor,
    default_chunk_size,
    make_chunks,
    make_executor,
)
from sim.experiments import Experiment
from sim.store import ResultStore, labels_table, read_manifest

if TYPE_CHECKING:
    from sim.estimate import Estimate

BAR = "{desc}: {percentage:3.0f}%|{bar}| {n:.0f}/{total_fmt} runs [{elapsed}<{remaining}]"


def check_size(experiment: Experiment, specs: list, resume_from: Path | None, workers: int,
                chunk_size: int | None, yes: bool = False) -> Estimate | None:
    """The estimate of the runs still to do (sim/estimate.py), None when there are none.

    Raises:
        UserError: without ``yes``, a job above the limits (before anything is written).
    """
    from sim.estimate import check, estimate

    done: set[int] = set()
    if resume_from is not None:
        try:
            done = {i for c in read_manifest(resume_from).get("chunks") or []
                    for lo, hi in c["run_ids"] for i in range(lo, hi)}
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            done = set()  # resume itself says what is wrong with the folder
    todo = [s.params for s in specs if s.run_id not in done]
    if not todo:
        return None
    size = chunk_size or default_chunk_size(len(todo), workers)
    found = estimate(todo, experiment.days, workers, size)
    if not yes:
        check(found)
    return found


@dataclass
class SweepResult:
    """Where the results are and what this call did."""

    path: Path
    n_runs: int
    ran: int  # runs simulated by this call (fewer than n_runs after a resume)
    seconds: float
    workers: int


class Interrupted(Exception):
    """The sweep was stopped (Ctrl-C, SIGTERM); finished chunks are saved in ``path``."""

    def __init__(self, path: Path, done: int, total: int) -> None:
        super().__init__(f"interrupted: {done} of {total} runs saved in {path}")
        self.path, self.done, self.total = path, done, total


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    # A scheduler's SIGTERM gets the same clean stop as Ctrl-C; only the main thread can do this.
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_experiment(experiment: Experiment, out: Path, command: list[str], workers: int = 1,
                   chunk_size: int | None = None, resume: bool = False, force: bool = False,
                   progress: bool | None = True, executor: Executor | None = None,
                   yes: bool = True) -> SweepResult:
    """Run every missing run of ``experiment`` into the folder ``out``.

    Args:
        experiment: the resolved experiment.
        out: the results folder.
        command: the command line, recorded in the manifest.
        workers: worker processes (1 = in this process); results do not depend on it.
        chunk_size: runs per chunk (default: see :func:`sim.executors.default_chunk_size`).
        resume: continue the folder ``out`` (same experiment only).
        force: replace an existing results folder ``out``.
        progress: show a progress bar on stderr (None: only when stderr is a terminal). With
            one local worker it moves every simulated day, else every finished chunk.
        executor: where to run the chunks, already started (e.g. a
            :class:`sim.dask_executor.DaskExecutor`); the caller closes it, and its ``workers``
            replaces ``workers``. Default: ``workers`` local processes.
        yes: run however large the job; without it a job estimated above the limits of
            :mod:`sim.estimate` is refused before anything is written.

    Raises:
        UserError: the folder exists (without resume or force), or holds another experiment,
            or the job is too large for running without ``yes``.
        Interrupted: Ctrl-C or SIGTERM; the chunks finished so far are saved.
    """
    started = time.perf_counter()
    specs = experiment.run_specs()
    if not yes:
        check_size(experiment, specs, out if resume else None, executor.workers
                    if executor is not None else workers, chunk_size)
    if resume:
        store = ResultStore.resume(out, experiment, command)
    else:
        store = ResultStore.create(out, experiment, command, force=force)
    if store.complete:
        store.close()
        return SweepResult(store.path, len(specs), 0, time.perf_counter() - started, 0)
    done = store.done_run_ids()
    todo = [s for s in specs if s.run_id not in done]
    if executor is not None:
        workers = executor.workers
    size = chunk_size or default_chunk_size(len(todo), workers)
    chunks = make_chunks([s.run_id for s in todo], [s.params for s in todo],
                         [s.seed for s in todo], experiment.days, size, store.next_chunk_id(),
                         experiment.record)
    if executor is None:
        workers = max(1, min(workers, len(chunks)))
    labels = labels_table(specs, list(experiment.vary))
    by_day = executor is None and workers <= 1
    bar = tqdm(total=len(specs), initial=len(done), unit="run", desc=experiment.name,
               disable=None if progress is None else not progress, dynamic_ncols=True,
               smoothing=0.1, bar_format=BAR if by_day else None)
    if by_day:  # one chunk can be long (a big run): move the bar every simulated day
        sizes = {c.chunk_id: len(c.run_ids) / max(1, experiment.days) for c in chunks}
        current = iter(sorted(sizes))
        state = {"chunk": next(current, None), "days": 0}

        def on_day() -> None:
            bar.update(sizes[state["chunk"]])
            state["days"] += 1
            if state["days"] == experiment.days:
                state["chunk"], state["days"] = next(current, None), 0

        running = nullcontext(InProcessExecutor(on_day=on_day))
    else:
        running = make_executor(workers) if executor is None else nullcontext(executor)
    try:
        with _sigterm_as_interrupt(), running as pool:
            for result in pool.run(chunks):
                store.save_chunk(result, labels, experiment.outcomes)
                if by_day:  # whole runs again, so rounding never shows 4.99 of 5
                    bar.n = len(store.done_run_ids())
                    bar.refresh()
                else:
                    bar.update(len(result.runs))
        bar.close()
        store.finish(progress=progress)
    except KeyboardInterrupt:
        bar.close()
        store.mark("interrupted")
        raise Interrupted(store.path, len(store.done_run_ids()), len(specs)) from None
    except BaseException:
        store.mark("failed")
        raise
    finally:
        bar.close()
        store.close()
    return SweepResult(store.path, len(specs), len(todo), time.perf_counter() - started, workers)
