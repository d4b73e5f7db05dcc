"""One run through CommunityModel (the Mesa face), every lever on.

    python benchmarks/bench_model.py            # 10 groups x 200 for 180 days, and the big one
    python benchmarks/bench_model.py --quick    # only the 10 x 200 run

Targets: 10 groups x 200 members for 180 days in under 2 s (issue 3); an operator with 200 groups
x 500 members (100,000 members, some in several groups) for 365 days in under 60 s (issue 4).
The reference printed beside each is a plain numpy pass over the same member-days (one draw, one
comparison, one sum each), timed in the same run, so the ratio is comparable across machines.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from workloads import every_lever  # noqa: E402


def reference_seconds(member_days: int, rows: int) -> float:
    rng = np.random.default_rng(0)
    p = np.full(rows, 0.05)
    start = time.perf_counter()
    for _ in range(max(1, member_days // rows)):
        np.count_nonzero(rng.random(rows) < p)
    return time.perf_counter() - start


def one_run(n_groups: int, group_size: int, days: int, target: float) -> None:
    from sim import CommunityModel

    params = every_lever(n_groups, group_size)
    start = time.perf_counter()
    model = CommunityModel(seed=1, **params)
    for _ in range(days):
        model.step()
    seconds = time.perf_counter() - start
    member_days = int(model.daily["members"].sum())
    ref = reference_seconds(member_days, max(1, member_days // days))
    print(f"{n_groups} groups x {group_size} invited x {days} days: {seconds:6.2f} s "
          f"(target < {target:g} s: {'met' if seconds < target else 'NOT met'}); "
          f"{model.today['people']} people in {model.today['members']} seats at the end; "
          f"{member_days / seconds / 1e6:.2f} M member-days/s; numpy floor over the same "
          f"member-days {ref:.2f} s (ratio {seconds / ref:.0f}x)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    from sim import CommunityModel
    CommunityModel(seed=0, group_size=20).step()  # compile the kernels before timing
    one_run(10, 200, 180, 2.0)
    if not args.quick:
        one_run(200, 500, 365, 60.0)


if __name__ == "__main__":
    main()
