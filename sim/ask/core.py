"""The operator's question, the paired runs that answer it, and the answer's numbers.

A question is a group (a scenario, members wanted or invitations, a fee, a platform cap), two or
more options to weigh (each a label with ``--set`` style changes or a scenario), and a horizon
(day N). Every option runs with the same seeds (replicate r uses the seed of replicate r of an
experiment with the same master seed: common random numbers), in blocks of replicates, until the
95% interval of each option's difference from the first option in the chance of being still
active on day N excludes zero, or the cap on replicates is reached.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sim.errors import UserError
from sim.experiments import replicate_seed
from sim.params import Params, resolve
from sim.scenarios import load_scenario, parse_assignment

RESAMPLES = 2000
DEFAULT_BLOCK = 30
DEFAULT_CAP = 300
LEVEL = 0.95


@dataclass(frozen=True)
class Option:
    """One option to weigh: a label, an optional scenario, and parameter changes."""

    label: str
    scenario: str | None
    sets: dict[str, Any]

    def describe(self) -> str:
        """'shills=2' or 'scenario fee_99, entry_fee=49'."""
        parts = ([f"scenario {self.scenario}"] if self.scenario else []) + [
            f"{k}={v}" for k, v in self.sets.items()]
        return ", ".join(parts) or "no change"


def parse_option(text: str) -> Option:
    """``"LABEL: KEY=VALUE, KEY=VALUE"``, ``"LABEL: SCENARIO, KEY=VALUE"`` or ``"SCENARIO"``.

    Raises:
        UserError: an empty label, an unknown parameter, two scenarios in one option.
    """
    label, sep, rest = text.partition(":")
    if not sep:
        label, rest = text, text
    label = label.strip()
    if not label:
        raise UserError(f"--option {text!r}: expected LABEL: KEY=VALUE[, KEY=VALUE], e.g. "
                        "--option \"2 shills: shills=2\"")
    scenario, sets = None, {}
    for part in (p.strip() for p in rest.split(",")):
        if not part:
            continue
        if "=" in part:
            key, value = parse_assignment(part, source=f"--option {label!r}:")
            sets[key] = value
        elif scenario is None:
            scenario = part
        else:
            raise UserError(f"--option {text!r}: two scenarios ({scenario}, {part}); an option "
                            "is one scenario and/or KEY=VALUE changes")
    return Option(label, scenario, sets)


@dataclass
class Question:
    """What the operator asks, resolved: the parameters of each option and the run plan."""

    scenario: str
    group: dict[str, Any]  # the group as the operator describes it (members_target, fee, ...)
    options: list[Option]
    horizon: int
    days: int
    seed: int = 0
    block: int = DEFAULT_BLOCK
    cap: int = DEFAULT_CAP
    dirs: tuple = ()
    params: list[Params] = field(default_factory=list)
    calibration: str = ""

    @property
    def looks(self) -> int:
        """How many times the answer may be checked: once per block, up to the cap."""
        return math.ceil(self.cap / self.block)

    @property
    def check_level(self) -> float:
        """Coverage of the interval each check uses: 95% shared out over the planned checks
        (Bonferroni), so that looking after every block does not make a false "clear" answer
        likelier than 5%."""
        return 1.0 - (1.0 - LEVEL) / self.looks

    def __post_init__(self) -> None:
        if len(self.options) < 2:
            raise UserError("ask needs at least two options to weigh, e.g. --option \"2 shills: "
                            "shills=2\" --option \"9.9-yuan fee: entry_fee=9.9\"")
        labels = [o.label for o in self.options]
        for label in labels:
            if labels.count(label) > 1:
                raise UserError(f"--option: the label {label!r} is used twice: give each option "
                                "its own label")
        if self.horizon > self.days:
            raise UserError(f"--horizon {self.horizon} is after the end of the runs (--days "
                            f"{self.days}): the runs must last at least the horizon")
        if self.cap < self.block:
            raise UserError(f"--max-replicates {self.cap} is below --replicates {self.block}: "
                            "the cap must allow the first block")
        base = load_scenario(self.scenario, self.dirs)
        self.calibration = calibration_status(base.description)
        self.params = []
        for option in self.options:
            extra = {}
            if option.scenario:
                other = load_scenario(option.scenario, self.dirs)
                extra = dict(other.overrides)
            merged = {**base.overrides, **self.group, **extra, **option.sets}
            self.params.append(resolve(merged, source=f"--option {option.label!r}"))


def calibration_status(description: str) -> str:
    """'' for parameters not fitted to any group, or the scenario's own words on its fit."""
    words = " ".join(description.split())
    if "calibrated" in words.lower():
        return words
    return ""


@dataclass(frozen=True)
class Estimate:
    """A mean (or share) with its 95% interval."""

    value: float
    low: float
    high: float


@dataclass
class Arm:
    """One option's answer."""

    option: Option
    params: Params
    runs: int
    active: Any  # sim.survival.Share
    median: Any  # sim.survival.Median
    numbers: dict[str, Estimate]  # invited, joined, members, posters, spoken, cost, revenue
    curve: tuple | None = None  # Kaplan-Meier (days, share, low, high), for the page


@dataclass
class Difference:
    """An option against the first, paired by seed."""

    label: str
    reference: str
    numbers: dict[str, Estimate]  # active (share points), lifetime, members, ...: 95% intervals
    check: Estimate  # the difference in the chance still active, at the stricter check level

    @property
    def clear(self) -> bool:
        """Does the check interval of the difference in the chance still active exclude zero?"""
        return self.check.low > 0 or self.check.high < 0

    @property
    def leaning(self) -> bool:
        """Not clear, but the 95% interval alone excludes zero (a lean, not an answer)."""
        a = self.numbers["active"]
        return not self.clear and (a.low > 0 or a.high < 0)


@dataclass
class Answer:
    """The whole answer: per option, head to head, and how the runs were sized."""

    question: Question
    arms: list[Arm]
    differences: list[Difference]
    replicates: int
    stopped: str  # "clear" or "cap"
    runs: pd.DataFrame  # one row per run: option, replicate, seed and the outcomes used


NUMBERS = {  # key: label (with its unit) of the numbers reported per option
    "invited": "people invited",
    "joined": "members who joined",
    "members": "members on day {h}",
    "posters": "members who posted on day {h}",
    "spoken": "members who have spoken, by day {h}",
    "cost": "cost by day {h} (yuan)",
    "revenue": "revenue by day {h} (yuan)",
}


def _run_block(question: Question, first: int, count: int) -> pd.DataFrame:
    """Replicates ``first .. first + count - 1`` of every option, one row per run."""
    from sim.batch import run_batch
    from sim.outcomes import active_at

    seeds = [replicate_seed(question.seed, r) for r in range(first, first + count)]
    params = [p for p in question.params for _ in seeds]
    result = run_batch(params, seeds * len(question.params), question.days, summary=True)
    runs, daily = result.runs, result.daily
    at = daily[daily["day"] == question.horizon - 1].set_index("run")
    n = len(seeds)
    return pd.DataFrame({
        "option": np.repeat([o.label for o in question.options], n),
        "replicate": np.tile(np.arange(first, first + count), len(question.options)),
        "seed": seeds * len(question.options),
        "active": active_at(runs["lifetime"].to_numpy(), question.days, question.horizon),
        "lifetime": runs["lifetime"].to_numpy(),
        "lifetime_censored": runs["lifetime_censored"].to_numpy(bool),
        "invited": runs["invited"].to_numpy(float),
        "joined": runs["joined"].to_numpy(float),
        "members": at["members"].to_numpy(float),
        "posters": at["active_members"].to_numpy(float),
        "spoken": (at["ever_spoken_share"] * at["members"]).to_numpy(float),
        "cost": at["cost"].to_numpy(float),
        "revenue": at["revenue"].to_numpy(float),
    })


def _mean(values: np.ndarray, seed: int) -> Estimate:
    from sim.report.compare import paired_difference

    ci = paired_difference(values, np.zeros_like(values), RESAMPLES, seed)
    return Estimate(ci.estimate, ci.low, ci.high)


def _difference(a: np.ndarray, b: np.ndarray, seed: int, level: float = LEVEL) -> Estimate:
    from sim.report.compare import paired_difference

    ci = paired_difference(a, b, RESAMPLES, seed, level)
    return Estimate(ci.estimate, ci.low, ci.high)


def summarise(question: Question, runs: pd.DataFrame, curves: bool = False
              ) -> tuple[list[Arm], list[Difference]]:
    """Each option's numbers and each option against the first, from the runs so far."""
    from sim.survival import kaplan_meier, median_lifetime, share_active

    arms, by_label = [], {}
    for option, params in zip(question.options, question.params):
        part = runs[runs["option"] == option.label].sort_values("replicate")
        by_label[option.label] = part
        numbers = {k: _mean(part[k].to_numpy(), question.seed) for k in NUMBERS}
        life, censored = part["lifetime"].to_numpy(), part["lifetime_censored"].to_numpy(bool)
        arms.append(Arm(option, params, len(part), share_active(part["active"]),
                        median_lifetime(life, censored), numbers,
                        kaplan_meier(life, censored) if curves else None))
    first = question.options[0].label
    ref = by_label[first]
    diffs = []
    for option in question.options[1:]:
        part = by_label[option.label]
        numbers = {k: _difference(part[k].to_numpy(), ref[k].to_numpy(), question.seed)
                   for k in ("active", "lifetime", *NUMBERS)}
        check = _difference(part["active"].to_numpy(), ref["active"].to_numpy(), question.seed,
                            question.check_level)
        diffs.append(Difference(option.label, first, numbers, check))
    return arms, diffs


def answer(question: Question, progress=None, curves: bool = False) -> Answer:
    """Run blocks of paired replicates until every difference in the chance still active on the
    horizon day is clear (its interval at :attr:`Question.check_level` excludes zero) or the cap
    is reached.

    Args:
        question: the resolved question.
        progress: called with (replicates so far, cap) after each block.
        curves: also compute the Kaplan-Meier curves (for the page).
    """
    blocks, done = [], 0
    while True:
        count = min(question.block, question.cap - done)
        blocks.append(_run_block(question, done, count))
        done += count
        runs = pd.concat(blocks, ignore_index=True)
        arms, diffs = summarise(question, runs)
        if progress:
            progress(done, question.cap)
        if all(d.clear for d in diffs):
            stopped = "clear"
            break
        if done >= question.cap:
            stopped = "cap"
            break
    if curves:
        arms, diffs = summarise(question, runs, curves=True)
    return Answer(question, arms, diffs, done, stopped, runs)


def default_days(horizon: int) -> int:
    """Run length for a horizon: at least 180 days, so the median lifetime is seen past it."""
    return max(horizon, 180)


__all__ = ["Answer", "Arm", "Difference", "Estimate", "NUMBERS", "Option", "Question", "answer",
           "default_days", "parse_option", "summarise"]
