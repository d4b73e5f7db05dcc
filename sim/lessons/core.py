"""What a lesson is made of: a claim, an experiment, checks on the measured numbers, a verdict.

A lesson runs its arms with the same seeds (common random numbers), so every comparison with the
reference arm is a per-seed difference. Intervals are percentile bootstraps of those differences
(:func:`interval`). The verdict is never written by hand: each lesson states its checks as rules
before the run, and :func:`verdict` turns the checks that passed into one of three words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sim.params import resolve

SUPPORTED, PARTLY, NOT_SUPPORTED = "supported", "partly supported", "not supported"
VERDICT_RULE = ("supported when every check passes; not supported when an essential check "
                "fails or no check passes; partly supported otherwise")


def interval(values: Sequence[float] | np.ndarray, level: float = 0.95, n_boot: int = 2000,
             seed: int = 0) -> tuple[float, float, float]:
    """Mean of ``values`` with a percentile-bootstrap interval (NaNs dropped).

    Args:
        values: one number per seed, e.g. the paired differences arm - reference.
        level: coverage of the interval.
        n_boot: bootstrap resamples.
        seed: seed of the resampling, so a lesson prints the same interval every time.

    Returns:
        (mean, low, high); all NaN when no value is finite.
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return (np.nan, np.nan, np.nan)
    rng = np.random.default_rng(seed)
    means = x[rng.integers(0, x.size, size=(n_boot, x.size))].mean(axis=1)
    lo, hi = np.quantile(means, [(1 - level) / 2, (1 + level) / 2])
    return float(x.mean()), float(lo), float(hi)


def rank_corr(x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray) -> float:
    """Spearman's rank correlation of two equally long series (NaN when either is constant)."""
    rx, ry = pd.Series(x).rank().to_numpy(), pd.Series(y).rank().to_numpy()
    if rx.std() == 0 or ry.std() == 0:
        return np.nan
    return float(np.corrcoef(rx, ry)[0, 1])


@dataclass(frozen=True)
class Estimate:
    """A mean over seeds with its 95% interval."""

    mean: float
    lo: float
    hi: float
    n: int

    @classmethod
    def of(cls, values: Sequence[float] | np.ndarray) -> Estimate:
        """The estimate of the mean of ``values`` (one per seed)."""
        x = np.asarray(values, dtype=float)
        return cls(*interval(x), n=int(np.isfinite(x).sum()))

    def above(self, x: float = 0.0) -> bool:
        """The whole interval lies above ``x``."""
        return bool(self.lo > x)

    def below(self, x: float = 0.0) -> bool:
        """The whole interval lies below ``x``."""
        return bool(self.hi < x)

    def text(self, spec: str = "+.3f", scale: float = 1.0, unit: str = "") -> str:
        """'+0.123 (95% CI +0.100 to +0.150)', each number ``format(v * scale, spec) + unit``."""
        f = [format(v * scale, spec) + unit for v in (self.mean, self.lo, self.hi)]
        return f"{f[0]} (95% CI {f[1]} to {f[2]})"

    def pp(self) -> str:
        """The estimate of a difference in shares, in percentage points."""
        return self.text("+.1f", 100, " pp")


@dataclass(frozen=True)
class Check:
    """One rule a lesson states before running, and whether the numbers meet it."""

    rule: str
    passed: bool
    measured: str
    essential: bool = False


class Numbers(dict):
    """The measured numbers of a lesson (name -> float) that also keeps its estimates."""

    def __init__(self) -> None:
        super().__init__()
        self.estimates: dict[str, Estimate] = {}

    def put(self, key: str, est: Estimate) -> Estimate:
        """Store an estimate as ``key``, ``key_lo``, ``key_hi``; return it."""
        self.update({key: est.mean, f"{key}_lo": est.lo, f"{key}_hi": est.hi})
        self.estimates[key] = est
        return est


@dataclass
class Analysis:
    """What a lesson reads from its runs: the main effect, the checks, the finding."""

    effect: Estimate
    effect_label: str
    checks: list[Check]
    finding: list[str]
    numbers: Numbers = field(default_factory=Numbers)
    notes: list[str] = field(default_factory=list)


def verdict(checks: Sequence[Check]) -> str:
    """The verdict by :data:`VERDICT_RULE`."""
    passed = [c.passed for c in checks]
    if all(passed):
        return SUPPORTED
    if not any(passed) or any(c.essential and not c.passed for c in checks):
        return NOT_SUPPORTED
    return PARTLY


@dataclass
class Runs:
    """The tables of one lesson's experiment, every row tagged with its ``arm`` and ``seed``.

    Every arm ran the same seeds in the same order, so ``values(arm, col)`` of two arms line up
    seed by seed and their difference is a paired comparison.
    """

    runs: pd.DataFrame
    daily: pd.DataFrame
    groups: pd.DataFrame | None
    arms: dict[str, dict[str, Any]]
    days: int
    labels: dict[str, str] = field(default_factory=dict)

    def label(self, arm: str) -> str:
        """The arm's name as shown, marked when the learner's ``--set`` changed it."""
        return self.labels.get(arm, arm)

    def param(self, arm: str, key: str) -> Any:
        """The value of parameter ``key`` in one arm (defaults filled in)."""
        return getattr(resolve(self.arms[arm]), key)

    def values(self, arm: str, col: str) -> np.ndarray:
        """Per-run outcome ``col`` of one arm, in seed order."""
        rows = self.runs[self.runs.arm == arm].sort_values("seed", kind="stable")
        return rows[col].to_numpy(dtype=float)

    def on_day(self, arm: str, col: str, day: int = -1) -> np.ndarray:
        """A daily column on one day (default the last) for each run of one arm."""
        day = self.days - 1 if day < 0 else day
        rows = self.daily[(self.daily.arm == arm) & (self.daily.day == day)]
        return rows.sort_values("seed")[col].to_numpy(dtype=float)

    def window(self, arm: str, col: str, lo: int, hi: int) -> np.ndarray:
        """Sum of a daily column over days ``[lo, hi)`` for each run of one arm."""
        d = self.daily[(self.daily.arm == arm) & (self.daily.day >= lo) & (self.daily.day < hi)]
        return d.groupby("seed")[col].sum().to_numpy(dtype=float)

    def mean(self, arm: str, col: str) -> Estimate:
        """The mean of a per-run outcome in one arm."""
        return Estimate.of(self.values(arm, col))

    def diff(self, arm: str, ref: str, col: str) -> Estimate:
        """The paired difference arm - ref of a per-run outcome."""
        return Estimate.of(self.values(arm, col) - self.values(ref, col))

    def series(self, arm: str, col: str) -> pd.Series:
        """The mean over runs of a daily column, one value a day."""
        return self.daily[self.daily.arm == arm].groupby("day")[col].mean()


@dataclass(frozen=True)
class Lesson:
    """A principle of community operations and the experiment that tests it in the model.

    Attributes:
        name: the registry key (``commsim lesson NAME``).
        principle: P-numbers of shared/domain.md, e.g. "P2" or "P8-P9".
        title: a short title with the Chinese term.
        claim: the article's claim with its numbers.
        arms: arm name -> parameter overrides; every arm runs the same seeds.
        reference: the arm others are compared with.
        treatment: the intervention arm (``commsim viz --lesson`` opens on it).
        analyze: reads the runs and returns the effect, the checks and the finding.
        plot: draws the plotly figure.
        try_next: (``key=value``, why) for the learner's next ``--set``.
        world: overrides shared by every arm (a ``--set`` of any key not set by an arm lands
            here).
        days: days simulated.
        replicates: seeds per arm.
        record_groups: keep per-group daily outcomes (for lessons about groups within a run).
    """

    name: str
    principle: str
    title: str
    claim: str
    arms: dict[str, dict[str, Any]]
    reference: str
    treatment: str
    analyze: Callable[[Runs], Analysis]
    plot: Callable[[Runs, Analysis], Any]
    try_next: tuple[str, str]
    world: dict[str, Any] = field(default_factory=dict)
    days: int = 120
    replicates: int = 40
    record_groups: bool = False

    def lever_overrides(self, overrides: dict[str, Any] | None) -> dict[str, Any]:
        """The overrides that change the intervention (keys some arm sets)."""
        lever_keys = {k for arm in self.arms.values() for k in arm}
        return {k: v for k, v in (overrides or {}).items() if k in lever_keys}

    def design(self, overrides: dict[str, Any] | None = None) -> dict[str, dict[str, Any]]:
        """The arms with the world and the user's overrides applied.

        An override of a key that some arm sets changes the treatment arm only (it changes the
        intervention); any other override changes the world every arm shares.
        """
        overrides = dict(overrides or {})
        lever = self.lever_overrides(overrides)
        world = {**self.world, **{k: v for k, v in overrides.items() if k not in lever}}
        return {name: {**world, **arm, **(lever if name == self.treatment else {})}
                for name, arm in self.arms.items()}

    def preset(self) -> dict[str, Any]:
        """The parameters of the treatment arm (world included), for the browser app."""
        return self.design()[self.treatment]


@dataclass
class LessonResult:
    """A lesson's run: the design that ran, the analysis, the verdict and the figure."""

    lesson: Lesson
    design: dict[str, dict[str, Any]]
    overrides: dict[str, Any]
    replicates: int
    analysis: Analysis
    verdict: str
    figure: Any
    seconds: float

    @property
    def finding(self) -> str:
        """The finding in sentences, with numbers and intervals."""
        return " ".join(self.analysis.finding)

    @property
    def numbers(self) -> dict[str, float]:
        """Every measured number (estimates as ``key``, ``key_lo``, ``key_hi``)."""
        return self.analysis.numbers

    @property
    def effect(self) -> Estimate:
        """The lesson's main effect (its sign is the direction tests assert)."""
        return self.analysis.effect

    @property
    def reasons(self) -> list[str]:
        """Each check as 'pass/fail: rule - measured'."""
        return [f"{'pass' if c.passed else 'FAIL'}{' (essential)' if c.essential else ''}: "
                f"{c.rule} - {c.measured}" for c in self.analysis.checks]
