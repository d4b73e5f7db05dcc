"""How long an experiment will take here: its size in invitee-days and the measured speed.

A run's cost grows with the people it holds (every invitee has a row from day 0) times its days,
so an experiment's work is the sum over its runs of ``group_size x n_groups x days``. The speed
is measured once per install and machine with a small batch of baseline runs and kept in
``~/.cache/commsim/throughput.json`` (``$COMMSIM_CACHE_DIR`` overrides the folder); the estimate
assumes the runs spread evenly over the cores, so it is a lower bound on a busy machine.
"""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path

from sim.experiments import Experiment

# the measuring batch: 400 baseline runs of 30 days (2.4 M invitee-days, about a second); a
# chunk of hundreds of runs, as in a sweep, where the per-day cost is shared (docs/performance.md)
PROBE_RUNS, PROBE_DAYS = 400, 30


def cache_file() -> Path:
    folder = os.environ.get("COMMSIM_CACHE_DIR") or Path.home() / ".cache" / "commsim"
    return Path(folder) / "throughput.json"


def invitee_days(experiment: Experiment) -> int:
    """The experiment's work: the sum over its runs of invitees x days."""
    total = 0
    for scenario in experiment.scenarios:
        for i in range(len(experiment.points)):
            p = experiment.params_of(scenario, i)
            total += p.group_size * p.n_groups
    return total * experiment.days * experiment.replicates


def _machine() -> str:
    import sim

    return f"{sim.__version__} {platform.machine()} {platform.python_version()}"


def measure() -> float:
    """Invitee-days per second of one core, timed on a batch of baseline runs."""
    from sim.batch import run_batch
    from sim.params import resolve
    from sim.warmup import prepare_engine

    prepare_engine()
    base = resolve({})
    started = time.perf_counter()
    run_batch([base] * PROBE_RUNS, seeds=list(range(PROBE_RUNS)), days=PROBE_DAYS)
    seconds = time.perf_counter() - started
    return base.group_size * base.n_groups * PROBE_RUNS * PROBE_DAYS / max(seconds, 1e-9)


def speed(measure_fn=measure) -> float:
    """This machine's invitee-days per second per core: from the cache, or measured now."""
    path = cache_file()
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
        if cached.get("machine") == _machine() and cached["per_core"] > 0:
            return float(cached["per_core"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    per_core = measure_fn()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"machine": _machine(), "per_core": per_core,
                                    "measured": time.strftime("%Y-%m-%d %H:%M")}),
                        encoding="utf-8")
    except OSError:
        pass  # a read-only home: measure again next time
    return per_core


def duration(seconds: float) -> str:
    """A duration in words a person reads at a glance."""
    if seconds < 1:
        return "under a second"
    if seconds < 90:
        return f"about {seconds:.0f} s"
    if seconds < 90 * 60:
        return f"about {seconds / 60:.0f} min"
    return f"about {seconds / 3600:.1f} h"


def estimate(experiment: Experiment, per_core: float, cores: int) -> float:
    """Seconds the experiment should take on ``cores`` cores at ``per_core`` invitee-days/s."""
    return invitee_days(experiment) / (per_core * max(1, cores))
