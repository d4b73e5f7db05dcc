"""How long a job will take and how much memory it needs, said before it starts.

The time is the work in member-days (one member present in a group for one day) at the engine's
measured speed, plus the engine's fixed cost per simulated day of a chunk; the memory is what the
chunks in flight hold. Both come from docs/performance.md and are estimates, on the high side:
every invitee is counted as joining at the usual rate from day 0, and fees, caps and churn, which
shrink groups, are ignored. A job above :data:`MAX_SECONDS` or :data:`MAX_BYTES` is refused
without ``--yes``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from sim.errors import UserError
from sim.params import Params

MEMBER_DAYS_PER_SECOND = 5.0e6  # per core, run_batch at the default chunk (docs/performance.md)
SECONDS_PER_CHUNK_DAY = 0.002  # the engine's fixed cost of one day of one chunk
JOIN_SHARE = 0.75  # invitees who join with the default accept_base (docs/performance.md) ...
ACCEPT_BASE = 0.85  # ... scaled by a run's accept_base against this default
BYTES_PER_MEMBER = 1024  # state of one member present (measured about 700 B, ties grow)
BYTES_PER_DAILY_ROW = 22 * 8 * 3  # a chunk's daily table: 22 columns of 8 bytes, three copies
BASE_BYTES = 1024**3  # Python, numba, pandas, the merge's row group and the runs table
MAX_SECONDS = 10 * 60
MAX_BYTES = 8 * 1024**3


@dataclass(frozen=True)
class Estimate:
    """What a job will take: member-days, seconds on the given workers, peak memory in bytes."""

    member_days: float
    seconds: float
    bytes: float
    workers: int

    @property
    def large(self) -> bool:
        """Above the time or the memory limit?"""
        return self.seconds > MAX_SECONDS or self.bytes > MAX_BYTES

    def text(self) -> str:
        """``about 40 minutes and 3 GB`` (the words for an operator)."""
        return f"about {duration(self.seconds)} and {size(self.bytes)}"

    def basis(self) -> str:
        """How the numbers were made, in a few words."""
        return (f"{self.member_days / 1e6:,.0f} million member-days at "
                f"{MEMBER_DAYS_PER_SECOND / 1e6:.0f} million per second per worker on "
                f"{self.workers} worker(s)")


def members_per_run(p: Params) -> float:
    """Members present in one run once the groups have filled (high side)."""
    return p.n_groups * p.group_size * JOIN_SHARE * min(1.0, p.accept_base / ACCEPT_BASE)


def estimate(params: Sequence[Params], days: int, workers: int, chunk_size: int) -> Estimate:
    """The time and memory of simulating ``params`` for ``days`` days.

    Args:
        params: one parameter set per run still to simulate.
        days: run length.
        workers: worker processes (or Dask threads) running chunks at once.
        chunk_size: runs simulated together.
    """
    workers = max(1, workers)
    chunk_size = max(1, chunk_size)
    members = [members_per_run(p) for p in params]
    member_days = sum(members) * days
    chunks = math.ceil(len(params) / chunk_size)
    seconds = (member_days / MEMBER_DAYS_PER_SECOND
               + chunks * days * SECONDS_PER_CHUNK_DAY) / min(workers, max(chunks, 1))
    biggest = sorted(members, reverse=True)[:chunk_size]
    per_chunk = sum(biggest) * BYTES_PER_MEMBER + len(biggest) * days * BYTES_PER_DAILY_ROW
    memory = BASE_BYTES + per_chunk * min(workers, max(chunks, 1))
    return Estimate(member_days, seconds, memory, workers)


def check(estimate_: Estimate, flag: str = "--yes") -> None:
    """Refuse a large job: one line saying how large, and the flag that runs it anyway.

    Raises:
        UserError: the estimate is above :data:`MAX_SECONDS` or :data:`MAX_BYTES`.
    """
    if estimate_.large:
        raise UserError(f"this job would take {estimate_.text()} of memory (an estimate: "
                        f"{estimate_.basis()}; the limits without asking are "
                        f"{duration(MAX_SECONDS)} and {size(MAX_BYTES)}): continue with {flag}, "
                        "or make it smaller (fewer runs, groups, members or days)")


def duration(seconds: float) -> str:
    """``40 seconds``, ``12 minutes``, ``3.5 hours``, ``2.1 days``."""
    if seconds < 90:
        return f"{max(1, round(seconds))} seconds"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} minutes"
    if seconds < 48 * 3600:
        return f"{seconds / 3600:.1f} hours"
    return f"{seconds / 86400:.1f} days"


def size(n_bytes: float) -> str:
    """``600 MB``, ``3 GB``, ``1.2 TB`` (powers of 1024)."""
    gib = n_bytes / 1024**3
    if gib < 1:
        return f"{max(1, round(n_bytes / 1024**2))} MB"
    if gib < 1024:
        return f"{gib:.0f} GB" if gib >= 10 else f"{gib:.1f} GB"
    return f"{gib / 1024:.1f} TB"
