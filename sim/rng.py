"""Random numbers by address, not by order.

Every draw is a pure function of (run seed, stream, day, key): a splitmix64 step at position
``key`` of a sequence whose start is mixed from the seed, the stream and the day. So a run's draws
do not depend on which other runs share its batch or on the order of rows, and a lever that draws
from its own stream cannot shift the draws of another process (common random numbers).

Keys are uint64 numbers that name a thing within its run: a person, a membership, a group, an
invitation. They are made with :func:`key_of` from small integers, never from row positions.
"""

from __future__ import annotations

import numpy as np

_GAMMA = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = (np.uint64(s) for s in (30, 27, 31, 11))
_TO_UNIT = 2.0**-53


def mix(x: np.ndarray | np.uint64) -> np.ndarray:
    """splitmix64's finaliser: a bijection on uint64 that scrambles all bits."""
    x = np.asarray(x, dtype=np.uint64)
    with np.errstate(over="ignore"):
        x = (x ^ (x >> _S30)) * _M1
        x = (x ^ (x >> _S27)) * _M2
    return x ^ (x >> _S31)


def key_of(*parts: int | np.ndarray) -> np.ndarray:
    """Combine integers (scalars or arrays) into one uint64 key; order matters."""
    h = np.uint64(0x243F6A8885A308D3)
    with np.errstate(over="ignore"):
        for part in parts:
            h = mix(np.asarray(part).astype(np.uint64) + h * _GAMMA)
    return np.asarray(h, dtype=np.uint64)


def stream_base(seeds: np.ndarray, stream: int, day: int) -> np.ndarray:
    """One uint64 per run: the start of the sequence for this stream on this day."""
    return key_of(np.asarray(seeds, dtype=np.uint64), stream, day + 1)


def uniform(seeds: np.ndarray, run: np.ndarray, keys: np.ndarray, stream: int,
            day: int) -> np.ndarray:
    """Uniform floats in [0, 1), one per row.

    Args:
        seeds: uint64 seed of every run in the batch.
        run: the run (index into ``seeds``) of every row.
        keys: the uint64 key of every row, unique within its run for this stream and day.
        stream: the random process (see ``Stream``), so processes never share draws.
        day: the simulated day (-1 for draws made at set-up).
    """
    base = stream_base(seeds, stream, day)[run]
    with np.errstate(over="ignore"):
        h = mix(base + np.asarray(keys, dtype=np.uint64) * _GAMMA)
    return (h >> _S11).astype(np.float64) * _TO_UNIT


def normal(seeds, run, keys, stream: int, day: int) -> np.ndarray:
    """Standard normal draws (Box-Muller on two sub-streams)."""
    u1 = uniform(seeds, run, keys, stream, day)
    u2 = uniform(seeds, run, keys, stream + 1_000_000, day)
    return np.sqrt(-2.0 * np.log1p(-u1)) * np.cos(2.0 * np.pi * u2)


def geometric0(u: np.ndarray, mean: np.ndarray | float) -> np.ndarray:
    """Geometric numbers on {0, 1, 2, ...} with the given mean, by inversion of ``u``."""
    mean = np.asarray(mean, dtype=np.float64)
    q = mean / (1.0 + mean)  # chance of one more
    with np.errstate(divide="ignore", invalid="ignore"):
        k = np.floor(np.log1p(-u) / np.log(np.where(q > 0, q, 0.5)))
    return np.where(q > 0, k, 0).astype(np.int64)


class Stream:
    """Stream numbers, one per random process. Never renumber: results depend on them."""

    # set-up of people (traits are drawn once, keyed by the person)
    TRAIT_ACTIVITY = 1
    TRAIT_ABLE = 2
    TRAIT_WILLING = 3
    TRAIT_TYPE = 4
    TRAIT_CITY = 5
    TRAIT_COHORT = 6
    TRAIT_INTEREST = 7
    TRAIT_TRUST = 8
    TRAIT_WTP = 9
    TRAIT_FIT = 10
    TRAIT_BURST = 11
    # joining
    INVITE_DELAY = 20
    INVITE_ACCEPT = 21
    INVITE_OVERLAP = 22
    INVITE_OVERLAP_PICK = 23
    EFFORT_TEST = 24
    REFERRAL = 25
    REFERRAL_COUNT = 26
    RECRUIT = 27
    # posting and replies
    POST = 30
    BURST = 31
    QUESTION = 32
    ANSWER = 33
    MENTION = 34
    RESONANCE = 35
    PAIR_ORDER = 36
    CHECKIN = 37
    # ties
    TIE = 40
    EVENT_ATTEND = 41
    EVENT_TIE = 42
    # trust
    SHILL_EXPOSED = 50
    FIGHT = 51
    # leaving
    MUTE = 60
    LEAVE = 61
    KICK = 62
    WAKE = 63
    UNMUTE = 64
    # payment
    CONVERT = 70
    # operator
    SPAM = 80
    LEADER = 81


def derive_seed(seed: int) -> int:
    """The uint64 run seed behind a user's integer seed.

    It is the first 63-bit draw of ``numpy.random.default_rng(seed)``: exactly what
    ``CommunityModel`` draws from Mesa's seeded ``self.rng``, so a run has the same numbers
    through Mesa and through ``run_batch``.
    """
    return int(np.random.default_rng(seed).integers(0, 2**63 - 1, dtype=np.int64))
