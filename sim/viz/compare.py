"""Two arms side by side for the classroom app (``commsim viz --compare A B``): the arms, their
runs on one seed, the bands of many seeds, and the check that the arms share their random numbers.

An arm is a scenario name (``shills``) or ``--set`` style assignments (``shills=2,shills_start=30``
or ``baseline``). Both arms run on the same seed: the engine draws random numbers by address
(:mod:`sim.rng`), so the two runs are identical until a lever that differs starts to act (common
random numbers). :func:`first_difference` measures the day they part and :func:`lever_start` says
when the differing levers start, so the app can show both. No browser or Solara import here.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sim.errors import UserError

COMPARE_ENV = "COMMSIM_VIZ_COMPARE"  # `commsim viz --compare A B` passes the two arms this way
BAND_SEEDS = 1000  # the bands' seeds start here, apart from the single run's seeds (0-99)
BAND_REPLICATES = 20  # seeds per arm behind the bands
DEFAULT_DAYS = 120  # for two arms of key=value pairs; scenarios bring their own days
QUANTILES = (0.1, 0.5, 0.9)  # the band (10% to 90% of seeds) and its median
# the outcomes the app draws, one row of two charts each; MONEY only when an arm earns or spends
OUTCOMES = ("messages", "active_members", "ever_spoken_share", "muted")
MONEY = ("revenue", "cost")


@dataclass(frozen=True)
class Arm:
    """One option: a name for the screen and the parameter overrides it runs with."""

    name: str
    overrides: dict[str, Any]
    days: int | None = None  # a scenario's own run length, if it has one


def parse_arm(text: str, dirs: Sequence[str] = ()) -> Arm:
    """An arm from a scenario name, ``baseline``, or ``key=value`` pairs joined by commas.

    Raises:
        UserError: an unknown scenario or parameter, or a bad value (named as ``--compare``).
    """
    from sim.params import resolve
    from sim.scenarios import load_scenario, parse_assignment

    text = text.strip()
    if not text:
        raise UserError("--compare '': expected a scenario name or key=value pairs, "
                        "e.g. --compare baseline shills=2")
    if "=" in text:
        pairs = [p for p in re.split(r"[,\s]+", text) if p]
        overrides = dict(parse_assignment(p, source="--compare") for p in pairs)
        resolve(overrides, source=f"--compare {text}")
        return Arm(text, overrides)
    try:
        scenario = load_scenario(text, dirs)
    except UserError as err:
        raise UserError(f"--compare {text}: {err}") from None
    return Arm(scenario.name, dict(scenario.overrides), scenario.days)


def lesson_arms(name: str, first: str | None = None, second: str | None = None
                ) -> tuple[Arm, Arm, int]:
    """Two arms of a lesson (world included) and its days: ``first`` and ``second`` if they are
    arms of the lesson, else its reference and its intervention."""
    from sim.lessons.runner import get_lesson

    lesson = get_lesson(name)
    design = lesson.design()
    first = first if first in design else lesson.reference
    second = second if second in design else lesson.treatment
    return Arm(first, design[first]), Arm(second, design[second]), lesson.days


def days_of(a: Arm, b: Arm) -> int:
    """Days to run two arms: the longer of the scenarios' own run lengths, else the default."""
    return max([d for d in (a.days, b.days) if d] or [DEFAULT_DAYS])


def arms_from_env(environ: Mapping[str, str] | None = None) -> tuple[Arm, Arm] | None:
    """The two arms named in :data:`COMPARE_ENV` (a JSON list of two strings), if any."""
    raw = (os.environ if environ is None else environ).get(COMPARE_ENV, "").strip()
    if not raw:
        return None
    a, b = json.loads(raw)
    return parse_arm(a), parse_arm(b)


def _show(value: Any) -> str:
    if isinstance(value, float):
        return "never" if math.isinf(value) else f"{value:g}"
    return str(value).lower() if isinstance(value, bool) else str(value)


def _value_words(value: Any, unit: str, zero: str | None) -> str:
    """A value with its unit as a reader says it: "day 30", "7 days", "1 day", "on", "never",
    and ``zero`` (the parameter's word for 0, such as "none" or "free") for 0."""
    if isinstance(value, bool):
        return "on" if value else "off"
    text = _show(value)
    if text == "never":
        return text
    if zero is not None and value == 0:
        return zero
    if unit == "share" and not isinstance(value, str):
        return f"{value:.0%}"
    if unit == "1/day":
        return f"{text} a day"
    if unit == "day":  # "day 30", not "30 day"
        return f"day {text}"
    if unit == "days" and value == 1:
        return "1 day"
    return f"{text} {unit}" if unit else text


def differences(a: Arm, b: Arm) -> list[tuple[str, Any, Any]]:
    """The parameters whose resolved values differ: (name, value in A, value in B)."""
    from sim.params import resolve, to_dict

    pa, pb = to_dict(resolve(a.overrides)), to_dict(resolve(b.overrides))
    return [(k, pa[k], pb[k]) for k in pa if pa[k] != pb[k]]


def what_differs(a: Arm, b: Arm) -> str:
    """The title's words: what differs between the arms, in the parameters' words and units."""
    from sim.params import info

    parts = []
    for key, va, vb in differences(a, b):
        meta = info(key)
        words = (meta.get("doc") or key).rstrip(".")
        zero = re.search(r"\s*\(0 = ([^)]+)\)", words)  # "(0 = none)": said instead of 0
        if zero:
            words = words.replace(zero.group(0), "")
        words = words.replace(" (inf = never)", "")
        unit = meta.get("unit") or ""
        unit = "" if unit in ("switch", "policy") else unit
        shown = [_value_words(v, unit.strip(), zero.group(1) if zero else None)
                 for v in (va, vb)]
        parts.append(f"{words}: {shown[0]} in A, {shown[1]} in B")
    return "; ".join(parts) if parts else "nothing: the two arms are the same"


def _levers() -> list[str]:
    from sim.params import PARAM_NAMES

    return [k[:-len("_start")] for k in PARAM_NAMES if k.endswith("_start")]


def lever_of(key: str) -> str | None:
    """The lever a parameter belongs to (the one whose ``<lever>_start`` gates it), if any."""
    from sim.params import info

    levers = _levers()
    for lever in levers:
        if key == lever or key.startswith(lever.rstrip("s") + "_") or key.startswith(lever + "_"):
            return lever
    section = info(key).get("section")
    return section if section in levers else None


def lever_start(a: Arm, b: Arm) -> float | None:
    """The first day any differing lever can act in either arm (None: a difference outside any
    lever's window, such as the group size, which acts from the launch)."""
    from sim.params import resolve, to_dict

    pa, pb = to_dict(resolve(a.overrides)), to_dict(resolve(b.overrides))
    by_lever: dict[str, list[tuple[str, Any, Any]]] = {}
    for key, va, vb in differences(a, b):
        lever = lever_of(key)
        if lever is None:
            return None
        by_lever.setdefault(lever, []).append((key, va, vb))
    starts = []
    for lever, diffs in by_lever.items():
        main = [k for k, _, _ in diffs if not k.endswith(("_start", "_end"))]
        if not main:  # only the window moved: the runs part at its earlier edge
            starts.append(min(min(va, vb) for _, va, vb in diffs))
            continue
        # the start that counts is that of an arm where the lever is on (a value other than 0)
        on = [p[f"{lever}_start"] for p in (pa, pb) if any(p[k] not in (0, False) for k in main)]
        starts.append(min(on or [pa[f"{lever}_start"], pb[f"{lever}_start"]]))
    return min(starts) if starts else None


def first_difference(daily_a, daily_b) -> int | None:
    """The first day on which any daily outcome of two runs differs (None: identical)."""
    import numpy as np

    from sim.outcomes import DAILY_COLUMNS

    cols = list(DAILY_COLUMNS)
    xa = daily_a.sort_values("day")[cols].to_numpy(dtype=float)
    xb = daily_b.sort_values("day")[cols].to_numpy(dtype=float)
    differ = ~np.all(np.isclose(xa, xb, rtol=0, atol=0, equal_nan=True), axis=1)
    days = daily_a.sort_values("day")["day"].to_numpy()
    return int(days[np.argmax(differ)]) if differ.any() else None


@dataclass
class Pair:
    """The two arms' single runs on one seed and the bands of many seeds."""

    a: Arm
    b: Arm
    seed: int
    days: int
    single: dict[str, Any]  # "A"/"B" -> daily table of the run on ``seed``
    bands: dict[str, Any]  # "A"/"B" -> table: day x (outcome, quantile)
    replicates: int
    parted: int | None  # first day the single runs differ
    start: float | None  # first day a differing lever acts


def run_single(a: Arm, b: Arm, seed: int, days: int) -> dict[str, Any]:
    """Both arms on ``seed``: their daily tables."""
    from sim.batch import run_batch

    daily = run_batch([a.overrides, b.overrides], [seed, seed], days)
    return {"A": daily[daily.run == 0].reset_index(drop=True),
            "B": daily[daily.run == 1].reset_index(drop=True)}


def run_bands(a: Arm, b: Arm, days: int, replicates: int = BAND_REPLICATES) -> dict[str, Any]:
    """Both arms on the seeds ``BAND_SEEDS ..`` (the same seeds in each): per day, the 10%, 50%
    and 90% quantiles of each outcome over the seeds ("A", "B"), and of B minus A on the same
    seed ("B-A": the paired difference, which common random numbers make narrow)."""
    from sim.batch import run_batch

    seeds = list(range(BAND_SEEDS, BAND_SEEDS + replicates))
    daily = run_batch([a.overrides] * replicates + [b.overrides] * replicates, seeds * 2, days)
    cols = [*OUTCOMES, *MONEY]
    daily = daily.sort_values(["run", "day"]).reset_index(drop=True)
    in_b = daily.run >= replicates
    part = {"A": daily[~in_b].reset_index(drop=True), "B": daily[in_b].reset_index(drop=True)}
    diff = part["B"][cols] - part["A"][cols]  # row i of each: the same seed and day
    diff["day"] = part["A"]["day"]
    part["B-A"] = diff
    return {name: frame.groupby("day")[cols].quantile(list(QUANTILES)).unstack()
            for name, frame in part.items()}


def shown_outcomes(pair: Pair) -> list[str]:
    """The outcomes to draw: activity always, money when either arm has any."""
    money = [c for c in MONEY if any(float(pair.bands[k][c].to_numpy().max()) > 0 for k in "AB")]
    return [*OUTCOMES, *money]


def run_pair(a: Arm, b: Arm, seed: int = 0, days: int = DEFAULT_DAYS,
             replicates: int = BAND_REPLICATES) -> Pair:
    """Everything the app draws for two arms."""
    single = run_single(a, b, seed, days)
    return Pair(a, b, seed, days, single, run_bands(a, b, days, replicates), replicates,
                first_difference(single["A"], single["B"]), lever_start(a, b))


def crn_sentence(pair: Pair) -> str:
    """What the learner is told about the two runs' shared random numbers."""
    same = f"Both arms run on seed {pair.seed} with the same random numbers"
    start = ("" if pair.start is None else
             f"; what differs acts from day {pair.start:g}" if pair.start > 0 else
             "; what differs acts from the first day")
    if pair.parted is None:
        return f"{same}: the two runs are identical on all {pair.days} days{start}."
    if pair.parted == 0:
        return f"{same}: the runs differ from day 0, the launch{start}."
    return (f"{same}: the two runs are identical on days 0 to {pair.parted - 1} and first differ "
            f"on day {pair.parted}{start}.")
