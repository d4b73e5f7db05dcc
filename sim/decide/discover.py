"""``commsim discover``: under which settings a condition on the outcomes holds (scenario
discovery), by PRIM (ema-workbench's ``ema_workbench.analysis.prim``), with CART as a second view.

Runs, not design points
    The condition is evaluated per run: each run of the sweep is one row, with the inputs of its
    design point (replicates share them). A box's density is then the share of the runs inside
    it that meet the condition (the chance that a run in the box meets it, replicate noise
    included) and its coverage the share of all the runs meeting it that fall inside. Replicates
    are not averaged away: a design point whose replicates disagree counts once per run each way.

Which box
    PRIM peels the input space step by step (the peeling trajectory: coverage falls, density
    rises). Among the steps covering at least ``min_coverage`` of the runs meeting the condition,
    the box shown is the one covering most whose density is within 2 percentage points of the
    densest; limits whose quasi-p-value is above 0.05 (a restriction the data do not support)
    are then dropped (whole inputs with the library's ``drop_restriction``).

How stable
    The box is found again on ``bootstrap`` resamples of the design points (each drawn with all
    its replicates, so replicate noise is not mistaken for independent evidence), with the same
    rule; for each input the share of resamples that restrict it and the 5-95% range of each
    limit say how far the box can be trusted.
"""

from __future__ import annotations

import operator
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sim.errors import UserError, closest

OPS = {"<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt,
       "==": operator.eq, "!=": operator.ne}
WORDS = {"<=": "at most", ">=": "at least", "<": "below", ">": "above", "==": "equal to",
         "!=": "not equal to"}
_SILENT_BY = re.compile(r"^silent_by_day_(\d+)$")
_COMPARE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(<=|>=|==|!=|<|>)\s*(-?[0-9.eE+-]+)\s*$")
MIN_COVERAGE = 0.5
SIGNIFICANCE = 0.05
BOOTSTRAP = 20
PEEL_ALPHA = 0.05
MASS_MIN = 0.05
DENSITY_SLACK = 0.02  # a box this much less dense but covering more is preferred


@dataclass(frozen=True)
class Condition:
    """A condition on a run's outcomes: ``column OP value``, or a true/false column."""

    text: str
    column: str
    op: str | None = None
    value: float | None = None
    words: str = ""

    def evaluate(self, runs: pd.DataFrame) -> np.ndarray:
        """True/False per run (a missing value does not meet a comparison)."""
        x = _column(runs, self.column)
        if self.op is None:
            return x.fillna(0).astype(bool).to_numpy()
        values = x.astype(float).to_numpy()
        with np.errstate(invalid="ignore"):
            return np.where(np.isfinite(values), OPS[self.op](values, self.value), False)


def _column(runs: pd.DataFrame, name: str) -> pd.Series:
    if name == "profit":
        return runs["revenue"] - runs["cost"]
    return runs[name]


def parse_condition(text: str, runs: pd.DataFrame, where: str) -> Condition:
    """``silent_by_day_90``, ``members_final < 100``, ``silent`` or ``not silent``.

    Raises:
        UserError: bad syntax, or an outcome the folder does not hold.
    """
    from sim.outcomes import RUN_COLUMNS

    text = " ".join(str(text).split())
    known = [c for c in RUN_COLUMNS if c in runs and c != "days"] + (
        ["profit"] if {"revenue", "cost"} <= set(runs) else [])
    m = _SILENT_BY.match(text)
    if m:
        if "time_to_silence" not in runs:
            raise UserError(f"{where}: condition {text!r} needs time_to_silence, which this "
                            "folder did not keep")
        day = int(m.group(1))
        return Condition(text, "time_to_silence", "<=", float(day),
                         f"fell silent by day {day}")
    negate = text.startswith("not ")
    name = text[4:].strip() if negate else text
    m = _COMPARE.match(text)
    if m:
        name, op, value = m.groups()
        try:
            number = float(value)
        except ValueError:
            raise UserError(f"{where}: condition {text!r}: {value!r} is not a number") from None
        _check(name, known, text, where)
        return Condition(text, name, op, number, f"{_words(name)} {WORDS[op]} {number:g}")
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        _check(name, known, text, where)
        values = _column(runs, name).dropna()
        if not set(pd.unique(values)) <= {0, 1}:
            raise UserError(f"{where}: condition {text!r}: '{name}' is not true/false; compare "
                            f"it with a number, e.g. \"{name} < 100\"")
        if negate:
            return Condition(text, name, "==", 0.0, f"not {name.replace('_', ' ')}")
        return Condition(text, name, None, None, name.replace("_", " "))

    raise UserError(f"{where}: condition {text!r}: expected NAME OP NUMBER (e.g. "
                    "\"members_final < 100\"), a true/false outcome (\"silent\", \"not silent\") "
                    "or silent_by_day_N")


def _words(name: str) -> str:
    """An outcome in words: its description up to the first parenthesis or comma."""
    from sim.outcomes import RUN_COLUMNS

    doc = "revenue minus cost (yuan)" if name == "profit" else RUN_COLUMNS.get(name, name)
    return re.split(r" \(|, | as a ", doc)[0]


def _check(name: str, known: list[str], text: str, where: str) -> None:
    if name not in known:
        raise UserError(f"{where}: condition {text!r}: unknown outcome '{name}'"
                        f"{closest(name, known)}; this folder holds: {', '.join(known)}")


# -- PRIM -----------------------------------------------------------------------------------------

def _prim():
    with warnings.catch_warnings():  # ema-workbench warns about optional parallel back ends
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import prim
    return prim


@dataclass
class Limit:
    """One restricted input of a box: its limits and the data's range."""

    name: str
    low: float | None  # None: not restricted from below
    high: float | None
    full_low: float
    full_high: float
    qp: float = float("nan")  # the library's quasi-p-value of the restriction
    categories: tuple[Any, ...] | None = None

    def text(self) -> str:
        """'entry_fee <= 12', '4 <= content_every <= 7' or 'scenario in {a, b}'."""
        if self.categories is not None:
            return f"{self.name} in {{{', '.join(map(str, self.categories))}}}"
        if self.low is not None and self.high is not None:
            return f"{_fmt(self.low)} <= {self.name} <= {_fmt(self.high)}"
        if self.low is not None:
            return f"{self.name} >= {_fmt(self.low)}"
        return f"{self.name} <= {_fmt(self.high)}"


def _fmt(v: float) -> str:
    return f"{v:.0f}" if float(v) == round(float(v)) else f"{v:.3g}"


@dataclass
class Box:
    """A PRIM box: its restricted inputs, coverage, density and size."""

    limits: list[Limit]
    coverage: float
    density: float
    mass: float
    n: int  # runs inside
    step: int  # index on the peeling trajectory it was chosen at

    def rule(self) -> str:
        """The restrictions joined by 'and'."""
        return " and ".join(lim.text() for lim in self.limits) or "anywhere"


def inputs(runs: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """The input table PRIM reads: numbers as floats, true/false as 0/1, text as categories."""
    x = pd.DataFrame(index=runs.index)
    for name in names:
        col = runs[name]
        if col.dtype == bool:
            x[name] = col.astype(int)
        elif pd.api.types.is_numeric_dtype(col):
            x[name] = col.astype(float)
        else:
            x[name] = col.astype("category")
    return x.reset_index(drop=True)


def choose_step(trajectory: pd.DataFrame, min_coverage: float) -> int:
    """The step shown: among steps covering at least ``min_coverage``, the one with the highest
    coverage whose density is within :data:`DENSITY_SLACK` of the highest density there."""
    ok = trajectory[trajectory["coverage"] >= min_coverage - 1e-12]
    if ok.empty:
        return 0
    near = ok[ok["density"] >= ok["density"].max() - DENSITY_SLACK]
    return int(near.sort_values(["coverage", "density"], ascending=False).index[0])


def find_box(x: pd.DataFrame, y: np.ndarray, min_coverage: float = MIN_COVERAGE,
             peel_alpha: float = PEEL_ALPHA, drop: bool = True) -> tuple[Box, pd.DataFrame]:
    """PRIM's box (see :func:`choose_step`) and its peeling trajectory.

    With ``drop``, an input neither of whose limits is significant (quasi-p-value above 0.05) is
    released with the library's ``drop_restriction``, and a single limit that is not significant
    is not stated (it sits at the edge of the data, not on a change in the condition).
    """
    prim = _prim()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = prim.Prim(x, y.astype(bool), threshold=0.5, peel_alpha=peel_alpha,
                      mass_min=MASS_MIN)
        box = p.find_box()
        trajectory = box.peeling_trajectory.copy()
        step = choose_step(trajectory, min_coverage)
        box.select(step)
        if drop:
            for name, (q_lo, q_hi) in _quasi_p(box, step).items():
                if min(q_lo, q_hi) > SIGNIFICANCE and name in _restricted(p.box_init,
                                                                           box.box_lims[step]):
                    box.drop_restriction(name)
    lims = box.box_lims[box._cur_box]
    qps = _quasi_p(box, box._cur_box)
    limits = []
    for name in _restricted(p.box_init, lims):
        init = p.box_init[name]
        q_lo, q_hi = qps.get(name, (np.nan, np.nan))
        if isinstance(x[name].dtype, pd.CategoricalDtype):
            limits.append(Limit(name, None, None, np.nan, np.nan, np.nanmin([q_lo, q_hi]),
                                tuple(sorted(lims[name][0]))))
            continue
        lo, hi = float(lims[name][0]), float(lims[name][1])
        keep_lo = lo > init[0] and not (drop and q_lo > SIGNIFICANCE)
        keep_hi = hi < init[1] and not (drop and q_hi > SIGNIFICANCE)
        if not (keep_lo or keep_hi):
            continue
        qp = float(np.nanmin([q if k else np.nan for q, k in ((q_lo, keep_lo), (q_hi, keep_hi))]
                             + [np.inf]))
        limits.append(Limit(name, lo if keep_lo else None, hi if keep_hi else None,
                            float(init[0]), float(init[1]), qp))
    inside = int(round(box.mass * len(y)))
    return Box(limits, float(box.coverage), float(box.density), float(box.mass), inside,
               step), trajectory


def _restricted(init: pd.DataFrame, lims: pd.DataFrame) -> list[str]:
    out = []
    for name in init.columns:
        a, b = init[name], lims[name]
        if isinstance(a[0], set):
            if set(b[0]) != set(a[0]):
                out.append(name)
        elif float(b[0]) > float(a[0]) or float(b[1]) < float(a[1]):
            out.append(name)
    return out


def _quasi_p(box, i: int) -> dict[str, tuple[float, float]]:
    """The library's quasi-p-values of each restricted input's lower and upper limit (NaN: that
    side is not restricted)."""
    try:
        table = box.inspect(i, style="data")[0][1]
    except Exception:  # noqa: BLE001 - an inspection detail must not stop the analysis
        return {}
    out = {}
    for name, row in table.iterrows():
        values = list(row.to_numpy()[2:4].astype(float)) + [np.nan, np.nan]
        out[str(name)] = (np.nan_to_num(values[0], nan=np.inf),
                          np.nan_to_num(values[1], nan=np.inf))
    return out


def bootstrap(x: pd.DataFrame, y: np.ndarray, clusters: np.ndarray, box: Box, resamples: int,
              seed: int, min_coverage: float,
              progress: Callable[[int], None] | None = None) -> pd.DataFrame:
    """The box found again on resamples of the design points (replicates kept together): per
    input, how often it is restricted and the spread of its limits."""
    rng = np.random.default_rng(seed)
    ids = np.unique(clusters)
    members = {c: np.flatnonzero(clusters == c) for c in ids}
    found: list[dict[str, tuple[float | None, float | None]]] = []
    for _ in range(resamples):
        pick = rng.choice(ids, size=ids.size, replace=True)
        rows = np.concatenate([members[c] for c in pick])
        yb = y[rows]
        if progress:
            progress(1)
        if yb.all() or not yb.any():
            continue
        b, _ = find_box(x.iloc[rows].reset_index(drop=True), yb, min_coverage)
        found.append({lim.name: (lim.low, lim.high) for lim in b.limits})
    rows_out = []
    names = list(dict.fromkeys([lim.name for lim in box.limits] + list(x.columns)))
    for name in names:
        lows = [f[name][0] for f in found if name in f and f[name][0] is not None]
        highs = [f[name][1] for f in found if name in f and f[name][1] is not None]
        share = sum(name in f for f in found) / len(found) if found else np.nan
        rows_out.append({
            "input": name, "in_box": any(lim.name == name for lim in box.limits),
            "restricted_share": share, "resamples": len(found),
            "low_p05": np.quantile(lows, 0.05) if lows else np.nan,
            "low_p95": np.quantile(lows, 0.95) if lows else np.nan,
            "high_p05": np.quantile(highs, 0.05) if highs else np.nan,
            "high_p95": np.quantile(highs, 0.95) if highs else np.nan})
    return pd.DataFrame(rows_out)


def cart_boxes(x: pd.DataFrame, y: np.ndarray) -> pd.DataFrame:
    """CART's leaves (ema-workbench's CART, a scikit-learn tree) as boxes, densest first."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import cart

        c = cart.CART(x, y.astype(bool), mass_min=MASS_MIN)
        c.build_tree()
    rows = []
    for lims, stats in zip(c.boxes, c.stats):
        parts = []
        for name in lims.columns:
            lo, hi = lims[name][0], lims[name][1]
            full_lo, full_hi = x[name].min(), x[name].max()
            if isinstance(lo, set) or isinstance(x[name].dtype, pd.CategoricalDtype):
                continue
            if lo > full_lo:
                parts.append(f"{name} > {_fmt(lo)}")
            if hi < full_hi:
                parts.append(f"{name} <= {_fmt(hi)}")
        rows.append({"rule": " and ".join(parts) or "anywhere",
                     "coverage": float(stats["coverage"]), "density": float(stats["density"]),
                     "mass": float(stats["mass"])})
    return pd.DataFrame(rows).sort_values(["density", "coverage"], ascending=False,
                                          ignore_index=True)


# -- the whole analysis ---------------------------------------------------------------------------

@dataclass
class Discovery:
    """What ``commsim discover`` found."""

    condition: Condition
    inputs: list[str]
    runs: int
    points: int
    hits: int
    box: Box
    trajectory: pd.DataFrame
    stability: pd.DataFrame
    cart: pd.DataFrame | None
    x: pd.DataFrame
    y: np.ndarray
    notes: list[str] = field(default_factory=list)

    @property
    def base_rate(self) -> float:
        """Share of all runs that meet the condition."""
        return self.hits / self.runs

    def rule_text(self) -> str:
        """The box in plain words, with its density and coverage."""
        return (f"{self.condition.words} in {self.box.density:.0%} of runs when "
                f"{self.box.rule()} (covers {self.box.coverage:.0%} of the {self.hits} runs "
                f"where it holds; it holds in {self.base_rate:.0%} of all {self.runs} runs)")

    def important(self, n: int = 2) -> list[str]:
        """The box's inputs, most supported first (lowest quasi-p-value), topped up with others."""
        ranked = sorted(self.box.limits, key=lambda lim: (np.nan_to_num(lim.qp, nan=1.0)))
        names = [lim.name for lim in ranked]
        names += [c for c in self.inputs if c not in names]
        return names[:n]


def discover(runs: pd.DataFrame, input_names: list[str], condition: Condition,
             clusters: np.ndarray, where: str, min_coverage: float = MIN_COVERAGE,
             resamples: int = BOOTSTRAP, seed: int = 0, with_cart: bool = True,
             progress: Callable[[int], None] | None = None) -> Discovery:
    """PRIM, bootstrap and CART on a sweep's runs.

    Args:
        runs: one row per run, with the inputs and the outcomes.
        input_names: the varied inputs (parameters, and ``scenario`` when there are several).
        condition: the parsed condition.
        clusters: the design point of each run (resampled together by the bootstrap).
        where: the folder (named in errors).

    Raises:
        UserError: no inputs, or no run (or every run) meets the condition.
    """
    if not input_names:
        raise UserError(f"{where}: the sweep varies nothing ([vary] is empty and there is one "
                        "scenario): discovery needs inputs that differ between runs")
    y = condition.evaluate(runs)
    hits = int(y.sum())
    if hits == 0:
        raise UserError(f"{where}: no run meets the condition {condition.text!r} (0 of "
                        f"{len(y)} runs): choose a condition some runs meet")
    if hits == len(y):
        raise UserError(f"{where}: every run meets the condition {condition.text!r} ({hits} "
                        "runs): nothing to tell the runs apart; choose a stricter condition")
    x = inputs(runs, input_names)
    box, trajectory = find_box(x, y, min_coverage)
    notes = []
    if condition.op is not None and runs[condition.column].isna().any() \
            and condition.column != "time_to_silence":
        notes.append(f"{int(runs[condition.column].isna().sum())} runs have no value of "
                     f"{condition.column}; they count as not meeting the condition")
    stability = (bootstrap(x, y, clusters, box, resamples, seed, min_coverage, progress)
                 if resamples else pd.DataFrame())
    table = cart_boxes(x, y) if with_cart else None
    return Discovery(condition, list(input_names), len(y), int(np.unique(clusters).size), hits,
                     box, trajectory, stability, table, x, y, notes)
