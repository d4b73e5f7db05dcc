"""Random numbers by address: uniform, independent across streams, days and keys, and the same
whichever rows share the call."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest
from numba import njit

from sim.params import info
from sim.rng import (
    Stream,
    _mix_array,
    _uniform_array,
    below,
    draw,
    geometric0,
    key_of,
    mix,
    run_keys,
    stream_base,
    uniform,
)

KEYS = np.arange(200_000, dtype=np.uint64)
ONE_RUN = run_keys(np.array([12345], dtype=np.uint64))
RUN = np.zeros(KEYS.size, dtype=np.int64)


def test_draws_are_uniform_on_the_unit_interval():
    """Mean 1/2, variance 1/12 and flat deciles (chi-square) over 200,000 draws."""
    u = uniform(ONE_RUN, RUN, KEYS, stream=30, day=5)
    assert np.all((u >= 0) & (u < 1))
    assert abs(u.mean() - 0.5) < 0.003 and abs(u.var() - 1 / 12) < 0.002
    counts = np.bincount((u * 10).astype(int), minlength=10)
    chi2 = np.sum((counts - u.size / 10) ** 2 / (u.size / 10))
    assert chi2 < 27.9  # 99.9th percentile of chi-square with 9 degrees of freedom


def test_streams_days_and_neighbouring_keys_are_uncorrelated():
    """Correlations between streams, between days and between neighbouring keys are ~0."""
    a = uniform(ONE_RUN, RUN, KEYS, 30, 5)
    for other in (uniform(ONE_RUN, RUN, KEYS, 31, 5), uniform(ONE_RUN, RUN, KEYS, 30, 6),
                  np.roll(a, 1)):
        assert abs(np.corrcoef(a, other)[0, 1]) < 0.01


def test_a_rows_draw_does_not_depend_on_the_other_rows_or_runs():
    """The same (run seed, stream, day, key) gives the same number in any company."""
    seeds = np.array([7, 8, 9], dtype=np.uint64)
    alone = uniform(run_keys(seeds[1:2]), np.zeros(3, np.int64), KEYS[:3], 40, 2)
    mixed = uniform(run_keys(seeds), np.array([2, 1, 1, 0, 1]), KEYS[[9, 0, 1, 5, 2]], 40, 2)
    assert np.array_equal(alone, mixed[[1, 2, 4]])


def test_compiled_draw_equals_the_array_draw_bit_for_bit():
    """draw() inside compiled loops gives exactly uniform()'s numbers."""
    base = stream_base(ONE_RUN, 30, 5)

    @njit
    def all_draws(base, keys):
        out = np.empty(keys.size)
        for i in range(keys.size):
            out[i] = draw(base[0], keys[i])
        return out

    assert np.array_equal(all_draws(base, KEYS), uniform(ONE_RUN, RUN, KEYS, 30, 5))


def test_geometric_draws_have_the_requested_mean():
    """geometric0 by inversion has mean ``mean`` on {0, 1, 2, ...}."""
    u = uniform(ONE_RUN, RUN, KEYS, 31, 0)
    for mean in (0.5, 1.0, 3.0):
        assert abs(geometric0(u, mean).mean() - mean) < 0.03 * (1 + mean)


# -- stream numbers: one process, one number ------------------------------------------------------

def shared_numbers(streams: type[Stream]) -> list[str]:
    """Stream numbers that two processes of ``streams`` declare."""
    owner: dict[int, str] = {}
    shared = []
    for name, numbers in streams.numbers().items():
        for number in numbers:
            if number in owner:
                shared.append(f"{number}: {owner[number]} and {name}")
            owner[number] = name
    return shared


def test_the_stream_check_finds_the_old_collisions():
    """The check itself: the two collisions issue 16 found, declared again, are both reported,
    and so is a range that overlaps a single stream or the second streams."""
    class Old(Stream):
        REFERRAL_SAME_CITY = Stream.REFERRAL_COUNT + 1  # = RECRUIT
        INVITE_OVERLAP_SLOT = Stream.INVITE_OVERLAP_PICK + 1  # = EFFORT_TEST
        WIDE = range(1020, 1030)  # inside the second streams

    found = shared_numbers(Old)
    assert any("RECRUIT" in s and "REFERRAL_SAME_CITY" in s for s in found), found
    assert any("EFFORT_TEST" in s and "INVITE_OVERLAP_SLOT" in s for s in found), found
    assert any("WIDE" in s for s in found), found


def test_no_two_random_processes_share_a_stream_number():
    """Every declared number (singles, their second streams, declared ranges) belongs to one
    process only. This failed before: REFERRAL_COUNT + 1 was RECRUIT's 27 and
    INVITE_OVERLAP_PICK + 1 was EFFORT_TEST's 24."""
    assert not shared_numbers(Stream), "; ".join(shared_numbers(Stream))
    singles = [n for name, ns in Stream.numbers().items() for n in ns
               if "(second)" not in name and len(ns) == 1]
    assert all(0 < n < Stream.SECOND for n in singles)


def test_event_tie_rounds_cover_the_largest_event_ties_allowed():
    """event_ties may be up to its range's top; each round needs two numbers of the range."""
    rounds = math.ceil(info("event_ties")["hi"])
    assert Stream.event_tie(rounds - 1, form=True) in Stream.EVENT_TIE_ROUNDS
    with pytest.raises(ValueError):
        Stream.event_tie(len(Stream.EVENT_TIE_ROUNDS) // 2, form=False)


def test_no_stream_number_is_made_by_arithmetic_outside_rng():
    """`Stream.X + 1` picks a number another process may own; sim/ must name every stream."""
    sim = Path(__file__).resolve().parents[1] / "sim"
    pattern = re.compile(r"Stream\.[A-Z_]+\s*[-+*]")
    found = [f"{path.name}:{i}" for path in sim.rglob("*.py") if path.name != "rng.py"
             for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if pattern.search(line)]
    assert not found, found


def test_the_shortcut_chance_test_decides_exactly_as_the_exponential():
    """below(u, x) is u < -expm1(x) for every u, also at and next to the boundary, where a
    shortcut with too thin a margin would let a member post who should not (or the reverse)."""

    @njit
    def both(u, x):
        out = np.empty((2, u.size), dtype=np.bool_)
        for i in range(u.size):
            out[0, i] = below(u[i], x[i])
            out[1, i] = u[i] < -np.expm1(x[i])
        return out

    rng = np.random.default_rng(3)
    x = -np.concatenate([rng.exponential(0.05, 50_000), rng.exponential(3.0, 50_000),
                         [0.0, 1e-300, 1e-17, 1e-9, 0.5, 40.0, np.inf]])
    edge = -np.expm1(x)
    u = np.concatenate([rng.random(x.size), edge, np.nextafter(edge, 0.0),
                        np.nextafter(edge, 1.0), -x, np.nextafter(-x, 0.0)])
    x = np.tile(x, 6)
    ok = np.isfinite(u) & (u >= 0.0) & (u < 1.0)
    short, exact = both(u[ok], x[ok])
    assert exact.any() and not exact.all()
    assert np.array_equal(short, exact)


def test_the_compiled_array_draws_equal_the_numpy_definition_bit_for_bit():
    """uniform(), mix() and stream_base() take compiled passes for flat arrays; they give the
    numpy definition's numbers exactly, for one run or many, on set-up day -1 and later."""
    keys = np.arange(50_000, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    many = run_keys(np.arange(7, dtype=np.uint64) * np.uint64(2**40) + np.uint64(3))
    run = np.arange(keys.size) % many.size
    assert np.array_equal(mix(keys), _mix_array(keys))
    for stream, day in ((1, -1), (30, 5), (2005, 179)):
        offset = np.array([(stream << 24) + day + 1], dtype=np.uint64)
        offset *= np.uint64(0xD1B54A32D192ED03)
        for runs in (ONE_RUN, many):
            base = stream_base(runs, stream, day)
            assert np.array_equal(base, _mix_array(runs + offset))
            rows = RUN[: keys.size] if runs.size == 1 else run
            assert np.array_equal(uniform(runs, rows, keys, stream, day),
                                  _uniform_array(base, rows, keys))
    assert key_of(3, np.arange(4), 5).shape == (4,) and key_of(3, 4).shape == ()
