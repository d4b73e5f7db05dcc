"""Sweep throughput: run_batch against mesa.batch_run and against a numpy floor, in one run.

    python benchmarks/bench_sweep.py            # 1,000 runs x 200 members x 180 days
    python benchmarks/bench_sweep.py --quick    # 100 runs x 200 members x 90 days

Prints member-days per second (a member-day is one member present in a group for one day, as
counted by the model's ``members`` column) for (a) run_batch on one core (also per second of CPU
time, which leaves out the time other jobs on a busy machine hold the core), (b) the same runs
through mesa.batch_run (timed on a subset and extrapolated, as printed), (c) the floor: one
uniform draw, one comparison and one sum per member-day in numpy; then the ratios and the peak
memory.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from workloads import every_lever  # noqa: E402


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def floor_rate(member_days: int, rows: int) -> float:
    """Member-days per second of: one uniform draw, one comparison and one sum per member-day."""
    rng = np.random.default_rng(0)
    p = np.full(rows, 0.05)
    steps = max(1, member_days // rows)
    total = 0
    start = time.perf_counter()
    for _ in range(steps):
        total += int(np.count_nonzero(rng.random(rows) < p))
    elapsed = time.perf_counter() - start
    return steps * rows / elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--members", type=int, default=200, help="people invited per run")
    ap.add_argument("--days", type=int, default=180)
    ap.add_argument("--chunk-size", type=int, default=None)
    ap.add_argument("--mesa-runs", type=int, default=10, help="runs timed through mesa.batch_run")
    ap.add_argument("--quick", action="store_true", help="100 runs x 90 days")
    args = ap.parse_args()
    if args.quick:
        args.runs, args.days, args.mesa_runs = 100, 90, 4
    os.environ.setdefault("OMP_NUM_THREADS", "1")

    import mesa

    from sim import CommunityModel, run_batch
    from sim.batch import DEFAULT_CHUNK

    chunk = args.chunk_size or DEFAULT_CHUNK
    params = [every_lever(1, args.members)] * args.runs
    seeds = list(range(args.runs))
    print(f"workload: {args.runs} runs x {args.members} invited x {args.days} days, every lever "
          f"on, chunks of {chunk} runs, one core")

    start, cpu = time.perf_counter(), time.process_time()
    daily = run_batch(params, seeds, args.days, chunk_size=chunk)
    t_batch, t_cpu = time.perf_counter() - start, time.process_time() - cpu
    member_days = int(daily["members"].sum())
    rate_a = member_days / t_batch
    rss = peak_rss_mib()
    print(f"(a) run_batch:        {rate_a / 1e6:8.2f} M member-days/s  ({member_days / 1e6:.1f} M "
          f"member-days in {t_batch:.1f} s; {args.runs / t_batch:.0f} runs/s)")
    print(f"    per CPU second:   {member_days / t_cpu / 1e6:8.2f} M member-days  ({t_cpu:.1f} s "
          f"of CPU: the rate above when no other job shares the core)")

    sub = min(args.mesa_runs, args.runs)
    start = time.perf_counter()
    mesa.batch_run(CommunityModel, parameters={**every_lever(1, args.members),
                                               "seed": seeds[:sub]},
                   max_steps=args.days - 1, number_processes=1, display_progress=False)
    t_mesa = time.perf_counter() - start
    sub_days = int(daily[daily["run"] < sub]["members"].sum())
    rate_b = sub_days / t_mesa
    print(f"(b) mesa.batch_run:   {rate_b / 1e6:8.2f} M member-days/s  (timed on {sub} of the "
          f"runs, {t_mesa:.1f} s; the same runs give the same members, so the rate extrapolates)")

    rows = chunk * args.members
    rate_c = floor_rate(member_days, rows)
    print(f"(c) numpy floor:      {rate_c / 1e6:8.2f} M member-days/s  (one draw, one compare, "
          f"one sum per member-day, {rows} rows at a time)")
    print(f"ratio a/b (run_batch vs mesa.batch_run): {rate_a / rate_b:6.1f}x   target >= 10x")
    print(f"ratio a/c (run_batch vs floor):          {rate_a / rate_c:6.3f}    goal >= 0.2")
    print(f"run_batch target >= 5 M member-days/s:   {'met' if rate_a >= 5e6 else 'NOT met'}")
    print(f"peak memory (process RSS after run_batch): {rss:.0f} MiB   target well under 1024")


if __name__ == "__main__":
    main()
