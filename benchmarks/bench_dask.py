"""Sweep scaling on Dask: runs per second and overhead per chunk, by workers and chunk size.

    python benchmarks/bench_dask.py                 # all 2048 runs of experiments/entry_fee.toml
    python benchmarks/bench_dask.py --runs 512      # every 4th run
    python benchmarks/bench_dask.py --quick         # 128 runs, chunk sizes 10 and 50

Runs a real experiment (every k-th run of ``entry_fee``, so both scenarios and the whole fee
range) through the executors ``commsim sweep`` uses, each in turn for each chunk size:

    in-process      the runs one chunk after the other in this process (no transport at all)
    processes x2    ``--workers 2`` (local processes; its time includes starting the pool)
    dask x1, x2     ``--executor dask --workers N``: a LocalCluster, workers warmed up first

runs/s is runs over wall time; the overhead per chunk is the wall time the workers did not spend
simulating, per chunk: (workers x wall - sum of chunk compute times) / chunks. The one-off costs
(starting the cluster, a worker's first chunk) are printed apart. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_NUM_THREADS", "1")  # as on Dask workers; before numpy is imported

from sim.dask_executor import DaskExecutor  # noqa: E402
from sim.executors import (  # noqa: E402
    Executor,
    InProcessExecutor,
    ProcessExecutor,
    make_chunks,
)
from sim.experiments import load_experiment  # noqa: E402


def chunks_of(specs, days: int, size: int):
    return make_chunks([s.run_id for s in specs], [s.params for s in specs],
                       [s.seed for s in specs], days, size)


def timed(executor: Executor, chunks, workers: int, repeat: int) -> tuple[float, float]:
    """(runs per second, overhead per chunk in ms) of the fastest of ``repeat`` passes."""
    best = None
    for _ in range(repeat):
        start = time.perf_counter()
        results = list(executor.run(chunks))
        wall = time.perf_counter() - start
        runs = sum(len(r.runs) for r in results)
        compute = sum(r.seconds for r in results)
        measured = (runs / wall, 1000 * (workers * wall - compute) / len(results))
        best = measured if best is None or measured[0] > best[0] else best
    return best


def warm_up(executor: Executor, specs, days: int, workers: int) -> float:
    """Seconds for one small chunk per worker (imports, compiled code loaded)."""
    start = time.perf_counter()
    list(executor.run(chunks_of(specs[:2 * workers], days, 2)))
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--experiment", default=str(ROOT / "experiments" / "entry_fee.toml"))
    ap.add_argument("--runs", type=int, default=2048, help="runs taken from the experiment")
    ap.add_argument("--repeat", type=int, default=3, help="passes per cell (the fastest counts)")
    ap.add_argument("--sizes", default="25,50,100,256,400", help="chunk sizes (runs per chunk)")
    ap.add_argument("--quick", action="store_true", help="128 runs, chunk sizes 10 and 50")
    args = ap.parse_args()
    if args.quick:
        args.runs, args.sizes, args.repeat = 128, "10,50", 1
    sizes = [int(x) for x in args.sizes.split(",")]

    e = load_experiment(args.experiment)
    every = max(1, e.n_runs // args.runs)
    specs = e.run_specs()[::every][:args.runs]
    print(f"workload: {len(specs)} runs of '{e.name}' (every {every}th of {e.n_runs}), "
          f"{e.days} days each; {os.cpu_count()} cores")

    rows: dict[int, dict[str, tuple[float, float]]] = {size: {} for size in sizes}
    here = InProcessExecutor()
    warm_up(here, specs, e.days, 1)
    dask: dict[int, DaskExecutor] = {}
    try:
        for workers in (1, 2):
            start = time.perf_counter()
            dask[workers] = DaskExecutor(workers=workers).start()
            up = time.perf_counter() - start
            first = warm_up(dask[workers], specs, e.days, workers)
            print(f"dask x{workers}: LocalCluster started in {up:.1f} s; first chunk per worker "
                  f"(imports) {first:.1f} s")
        print(f"load average before: {os.getloadavg()[0]:.1f}")
        # Every executor in turn for each chunk size, so that a change in the machine's load
        # shifts a row rather than a column.
        for size in sizes:
            chunks = chunks_of(specs, e.days, size)
            rows[size]["in-process"] = timed(here, chunks, 1, args.repeat)
            with ProcessExecutor(2) as pool:
                rows[size]["processes x2"] = timed(pool, chunks, 2, args.repeat)
            for workers, pool in dask.items():
                rows[size][f"dask x{workers}"] = timed(pool, chunks, workers, args.repeat)
        print(f"load average after: {os.getloadavg()[0]:.1f}")
    finally:
        for pool in reversed(dask.values()):  # last started first: each restores Dask's logging
            pool.close()

    names = ["in-process", "processes x2", "dask x1", "dask x2"]
    print("\n| runs/chunk | chunks | " + " | ".join(f"{n} runs/s" for n in names)
          + " | dask x1 overhead/chunk | dask x2 overhead/chunk | processes x2 overhead/chunk |")
    print("|" + "---:|" * (2 + len(names) + 3))
    for size in sizes:
        r = rows[size]
        n_chunks = -(-len(specs) // size)
        rates = " | ".join(f"{r[n][0]:.0f}" for n in names)
        print(f"| {size} | {n_chunks} | {rates} | {r['dask x1'][1]:.0f} ms | "
              f"{r['dask x2'][1]:.0f} ms | {r['processes x2'][1]:.0f} ms |")


if __name__ == "__main__":
    main()
