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
_GAMMA2 = np.uint64(0xD1B54A32D192ED03)
_GAMMA2_INT, _MASK64 = 0xD1B54A32D192ED03, (1 << 64) - 1
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = (np.uint64(s) for s in (30, 27, 31, 11))
_TO_UNIT = 2.0**-53


def mix(x: np.ndarray | np.uint64) -> np.ndarray:
    """splitmix64's finaliser: a bijection on uint64 that scrambles all bits."""
    x = np.asarray(x, dtype=np.uint64)
    if x.ndim == 1:
        return _mix_all(x)  # one compiled pass (below), bit for bit _mix_array
    return _mix_array(x)


def _mix_array(x: np.ndarray | np.uint64) -> np.ndarray:
    """:func:`mix` in numpy operations (the definition; tests/test_rng.py compares the two)."""
    x = np.array(x, dtype=np.uint64, ndmin=1)  # a copy, worked on in place; arrays wrap silently
    x ^= x >> _S30
    x *= _M1
    x ^= x >> _S27
    x *= _M2
    x ^= x >> _S31
    return x


def key_of(*parts: int | np.ndarray) -> np.ndarray:
    """Combine integers (scalars or arrays) into one uint64 key; order matters."""
    h = np.array([0x243F6A8885A308D3], dtype=np.uint64)
    for part in parts:
        h = mix(np.asarray(part).astype(np.uint64) + h * _GAMMA)
    return h if any(np.ndim(part) for part in parts) else h.reshape(())


def run_keys(seeds: np.ndarray) -> np.ndarray:
    """The scrambled key of each run's seed, computed once per batch (``State.run_keys``)."""
    return key_of(np.asarray(seeds, dtype=np.uint64))


def stream_base(keys_of_runs: np.ndarray, stream: int, day: int) -> np.ndarray:
    """One uint64 per run: the start of the sequence for this stream on this day."""
    keys = np.asarray(keys_of_runs)
    if keys.ndim == 1 and keys.dtype == np.uint64:  # one compiled pass: mix(keys + offset)
        return _bases(keys, np.uint64((((stream << 24) + day + 1) * _GAMMA2_INT) & _MASK64))
    offset = np.array([(stream << 24) + day + 1], dtype=np.uint64)
    offset *= _GAMMA2  # in place on an array: wraps modulo 2**64 without a warning
    return mix(keys_of_runs + offset)


def uniform(keys_of_runs: np.ndarray, run: np.ndarray, keys: np.ndarray, stream: int,
            day: int) -> np.ndarray:
    """Uniform floats in [0, 1), one per row.

    Args:
        keys_of_runs: the key of every run's seed (:func:`run_keys`).
        run: the run (index into ``seeds``) of every row.
        keys: the uint64 key of every row, unique within its run for this stream and day.
        stream: the random process (see ``Stream``), so processes never share draws.
        day: the simulated day (-1 for draws made at set-up).
    """
    base = stream_base(keys_of_runs, stream, day)
    keys = np.asarray(keys, dtype=np.uint64)
    if keys.ndim == 1:  # one compiled pass: draw() is _uniform_array bit for bit (tests/test_rng)
        if base.size == 1:  # one run: every row takes its base, whatever ``run`` holds
            return _draws(base, np.zeros(keys.size, dtype=np.int64), keys)
        run = np.asarray(run)
        if run.shape == keys.shape and run.dtype.kind in "iu":
            return _draws(base, run, keys)
    return _uniform_array(base, run, keys)


def _uniform_array(base: np.ndarray, run: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """:func:`uniform` in numpy operations, given the stream's bases (the definition)."""
    h = np.asarray(keys, dtype=np.uint64) * _GAMMA
    h += base[run] if base.size > 1 else base[0]
    h = _mix_array(h)
    h >>= _S11
    out = h.astype(np.float64)
    out *= _TO_UNIT
    return out


def box_muller(u1: np.ndarray, u2: np.ndarray) -> np.ndarray:
    """Standard normal numbers from two uniforms."""
    return np.sqrt(-2.0 * np.log1p(-u1)) * np.cos(2.0 * np.pi * u2)


def normal(keys_of_runs, run, keys, stream: int, day: int) -> np.ndarray:
    """Standard normal draws (Box-Muller on ``stream`` and ``Stream.second(stream)``)."""
    return box_muller(uniform(keys_of_runs, run, keys, stream, day),
                      uniform(keys_of_runs, run, keys, Stream.second(stream), day))


def geometric0(u: np.ndarray, mean: np.ndarray | float) -> np.ndarray:
    """Geometric numbers on {0, 1, 2, ...} with the given mean, by inversion of ``u``."""
    mean = np.asarray(mean, dtype=np.float64)
    q = mean / (1.0 + mean)  # chance of one more
    with np.errstate(divide="ignore", invalid="ignore"):
        k = np.floor(np.log1p(-u) / np.log(np.where(q > 0, q, 0.5)))
    return np.where(q > 0, k, 0).astype(np.int64)


class Stream:
    """Stream numbers, one per random process. Never renumber: results depend on them.

    Every number a process draws from is declared here, and nowhere else is a stream number made
    by arithmetic: a single process has one constant below ``SECOND`` (1 to 999); a process that
    needs a second uniform for the same row (Box-Muller) takes ``second(stream)``, its constant
    plus ``SECOND``, so 1000 to 1999 are reserved for those; a process that needs a family of
    numbers (one per round) has a declared ``range`` from 2000 up. ``Stream.numbers()`` lists them
    all and tests/test_rng.py checks that no two processes share a number.
    """

    SECOND = 1000  # second uniforms of the single streams: SECOND + stream

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
    GROUP_VITALITY = 12  # a group's vitality, drawn once at its launch (Box-Muller)
    # joining
    INVITE_DELAY = 20
    INVITE_LATE = 13  # whether a launch invitee is a late arrival
    INVITE_STRAGGLE = 14  # whether a launch invitee is a straggler (months later)
    INVITE_WAVE = 97  # which wave of late arrivals a late launch invitee comes with
    INVITE_WAVE_DAY = 98  # the day of a group's wave of late arrivals (keyed by group and wave)
    INVITE_ACCEPT = 21
    INVITE_OVERLAP = 22
    INVITE_OVERLAP_PICK = 23  # which earlier group
    EFFORT_TEST = 24
    REFERRAL = 25
    REFERRAL_COUNT = 26
    RECRUIT = 27
    REFERRAL_SAME_COHORT = 28  # was REFERRAL_COUNT + 2 (same number)
    REFERRAL_SAME_CITY = 29  # was REFERRAL_COUNT + 1, which is RECRUIT
    INVITE_OVERLAP_SLOT = 19  # which invitee there; was INVITE_OVERLAP_PICK + 1 = EFFORT_TEST
    # posting and replies
    POST = 30
    BURST = 31
    QUESTION = 32
    ANSWER = 33
    MENTION = 34
    RESONANCE = 35
    PAIR_ORDER = 36
    CHECKIN = 37
    CAREER_END = 38  # a poster stops posting for good after a posting day
    # ties
    TIE = 40
    EVENT_ATTEND = 41
    EVENT_TIE_ROUNDS = range(2000, 2100)  # round k pairs on 2000 + 2k, forms ties on 2001 + 2k
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
    REPURCHASE = 71  # a past buyer buying again (P22)
    # operator
    SPAM = 80
    LEADER = 81
    # poaching (P24): a person's trait (day -1), then the day's approaches and catches
    POACHER = 241
    POACH = 242
    POACH_LEAVE = 243
    POACH_CATCH = 244
    # the recruitment channel (P29): is a recruit an onlooker, and where their interests centre
    CHANNEL_BROAD = 290
    CHANNEL_TOPIC = 291
    # the private domain (P11, P10)
    PRIVATE_FRIEND = 111  # a joiner adds the operator as a friend
    PRIVATE_REINVITE = 112  # a friend who left comes back
    PRIVATE_PICK = 113  # which friends get today's one-to-one chats
    # a rival group (P27)
    RIVAL_DRAWN = 91  # a member is drawn into the rival today
    RIVAL_DROP = 92  # ... and drops the operator's group for it
    OWN_DROP = 93  # a member who joined another of the operator's groups drops this one

    @classmethod
    def second(cls, stream: int) -> int:
        """The stream of the second uniform a single process draws for the same row."""
        if not 0 < stream < cls.SECOND:
            raise ValueError(f"stream {stream} has no second stream")
        return cls.SECOND + stream

    @classmethod
    def event_tie(cls, round_: int, form: bool) -> int:
        """The stream of an event's ``round_``-th pairing (``form``: of its tie formation)."""
        number = cls.EVENT_TIE_ROUNDS.start + 2 * round_ + int(form)
        if number not in cls.EVENT_TIE_ROUNDS:
            raise ValueError(f"event tie round {round_} is beyond the declared streams")
        return number

    @classmethod
    def numbers(cls) -> dict[str, set[int]]:
        """Every process's stream numbers: singles, their second streams, and declared ranges."""
        out: dict[str, set[int]] = {}
        declared = {k: v for c in reversed(cls.__mro__) for k, v in vars(c).items()}
        for name, value in declared.items():
            if name.isupper() and name != "SECOND":
                if isinstance(value, range):
                    out[name] = set(value)
                else:
                    out[name] = {value}
                    out[name + " (second)"] = {cls.second(value)}
        return out


def derive_seed(seed: int) -> int:
    """The uint64 run seed behind a user's integer seed.

    It is the first 63-bit draw of ``numpy.random.default_rng(seed)``: exactly what
    ``CommunityModel`` draws from Mesa's seeded ``self.rng``, so a run has the same numbers
    through Mesa and through ``run_batch``.
    """
    return int(np.random.default_rng(seed).integers(0, 2**63 - 1, dtype=np.int64))


# -- the same draws one at a time, for compiled loops (numba) -------------------------------------
# Integer arithmetic only, so draw(...) equals uniform(...) bit for bit (tests/test_rng.py).
try:
    from numba import njit
except ImportError:  # pragma: no cover - numba is a dependency; this keeps the error readable
    raise ImportError("commsim needs numba: pip install numba") from None

_U64 = np.uint64


@njit(cache=True, inline="always")
def _mix1(x):
    x ^= x >> _U64(30)
    x *= _U64(0xBF58476D1CE4E5B9)
    x ^= x >> _U64(27)
    x *= _U64(0x94D049BB133111EB)
    x ^= x >> _U64(31)
    return x


@njit(cache=True, inline="always")
def draw(base, key):
    """One uniform in [0, 1): the draw of ``uniform`` for a row with this key, given its run's
    ``stream_base`` for the stream and day."""
    h = _mix1(key * _U64(0x9E3779B97F4A7C15) + base)
    return np.float64(h >> _U64(11)) * 1.1102230246251565e-16


@njit(cache=True, inline="always")
def pair_key(key_a, key_b):
    """``key_of(key_a, key_b)`` for one pair, in compiled loops."""
    h = _mix1(key_a + _U64(0x243F6A8885A308D3) * _U64(0x9E3779B97F4A7C15))
    return _mix1(key_b + h * _U64(0x9E3779B97F4A7C15))


@njit(cache=True, inline="always")
def geometric_one(u, mean):
    """One geometric number on {0, 1, ...} with the given mean, by inversion (as geometric0)."""
    if mean <= 0.0:
        return 0
    q = mean / (1.0 + mean)
    return int(np.floor(np.log1p(-u) / np.log(q)))


@njit(cache=True)
def _uniforms(bases, run, keys):
    out = np.empty((bases.shape[0], keys.size))
    for s in range(bases.shape[0]):
        for i in range(keys.size):
            out[s, i] = draw(bases[s, run[i]], keys[i])
    return out


@njit(cache=True)
def _mix_all(x):
    out = np.empty(x.size, dtype=np.uint64)
    for i in range(x.size):
        out[i] = _mix1(x[i])
    return out


@njit(cache=True)
def _bases(keys_of_runs, offset):
    out = np.empty(keys_of_runs.size, dtype=np.uint64)
    for i in range(keys_of_runs.size):
        out[i] = _mix1(keys_of_runs[i] + offset)
    return out


@njit(cache=True)
def _draws(base, run, keys):
    out = np.empty(keys.size)
    for i in range(keys.size):
        out[i] = draw(base[run[i]], keys[i])
    return out


def uniforms(keys_of_runs: np.ndarray, run: np.ndarray, keys: np.ndarray,
             streams: tuple[int, ...], day: int) -> np.ndarray:
    """``uniform`` for several streams at once: row s holds stream ``streams[s]``'s draws."""
    bases = np.stack([stream_base(keys_of_runs, s, day) for s in streams])
    return _uniforms(bases, np.asarray(run, dtype=np.int64), np.asarray(keys, dtype=np.uint64))


@njit(cache=True, inline="always")
def below(u, log_quiet):
    """``u < -expm1(log_quiet)`` (a chance given by the log of its complement), bit for bit, with
    the exponential skipped when ``u`` is above ``-log_quiet``: ``1 - exp(x) <= -x`` for every x,
    and the margin covers expm1's rounding (under one unit in the last place)."""
    if u >= -log_quiet * (1.0 + 1e-12):
        return False
    return u < -np.expm1(log_quiet)
