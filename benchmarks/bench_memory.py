"""Peak memory of a large sweep and of its report (docs/performance.md, "Memory").

    python benchmarks/bench_memory.py              # 30,000 runs (memory_30k.toml), a few minutes
    python benchmarks/bench_memory.py --replicates 750   # 3,000 runs: the same peak if bounded

Runs ``commsim sweep`` (one worker) and ``commsim report`` as child processes and prints each
one's peak resident memory, with the size of the daily table as the reference it would grow with
if the merge or the report held it in memory.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXPERIMENT = HERE / "experiments" / "memory_30k.toml"
DAILY_COLUMNS = 22


def peak_of(args: list[str]) -> tuple[float, float]:
    """(peak resident MiB, seconds) of ``python -m sim ARGS`` in a fresh child process."""
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "sim", *args], stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)  # this child's own peak (Linux: KiB)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"commsim {' '.join(args)} failed with exit code {child.returncode}")
    return usage.ru_maxrss / 1024.0, time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--replicates", type=int, default=7500, help="per scenario and fee (x4 runs)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        exp = Path(tmp) / "memory.toml"
        exp.write_text(EXPERIMENT.read_text().replace("replicates = 7500",
                                                      f"replicates = {args.replicates}"))
        out = Path(tmp) / "results"
        runs = 4 * args.replicates
        sweep_mib, sweep_s = peak_of(["sweep", str(exp), "--workers", "1", "--out", str(out),
                                      "--quiet", "--yes"])
        report_mib, report_s = peak_of(["report", str(out), "-o", str(Path(tmp) / "r.html")])
        held = runs * 180 * DAILY_COLUMNS * 8 / 2**20
        print(f"{runs:,} runs x 180 days: daily table {held:,.0f} MiB in memory "
              f"({(out / 'daily.parquet').stat().st_size / 2**20:,.0f} MiB on disk)")
        print(f"sweep:  peak {sweep_mib:,.0f} MiB in {sweep_s:.0f} s "
              f"(ratio to the daily table: {sweep_mib / held:.2f})")
        print(f"report: peak {report_mib:,.0f} MiB in {report_s:.0f} s "
              f"(ratio to the daily table: {report_mib / held:.2f})")


if __name__ == "__main__":
    main()
