"""Terminal tables of comparisons and sensitivity indices: short, aligned, with their caveats."""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd

from sim.report.compare import FEW_PAIRS, LEVEL

MAX_COMPARISONS = 12  # comparisons printed before "... N more in the CSV"
LABEL_WIDTH = 41
WIDTH = 100


def decimals(values: pd.Series) -> int:
    """Decimals that suit a column: none for hundreds, one for tens, three for shares."""
    finite = pd.to_numeric(values, errors="coerce").astype(float).abs()
    finite = finite[np.isfinite(finite)]
    if finite.empty or finite.max() >= 100 or (finite == finite.round()).all():
        return 0
    return 1 if finite.max() >= 2 else 3


def _num(value: float, digits: int, sign: bool = False) -> str:
    if value is None or pd.isna(value) or not math.isfinite(float(value)):
        return "-"
    return f"{float(value):{'+' if sign else ''},.{digits}f}"


def compare_text(table: pd.DataFrame, resamples: int, seed: int, notes: list[str],
                 names: tuple[str, str] | None = None) -> str:
    """The comparison table grouped by setting, with how to read it and its caveats.

    Args:
        table: the output of :func:`sim.report.compare.compare`.
        resamples: bootstrap resamples used.
        seed: bootstrap seed used.
        notes: extra lines printed at the end (skipped outcomes, missing runs).
        names: (A, B) of a head-to-head comparison: columns named after the arms, A - B.
    """
    paired = bool(table["paired"].iloc[0])
    how = ("the mean of the differences between runs with the same seed (paired: common random "
           "numbers)" if paired else "the difference of the arms' means (unpaired)")
    a_name, b_name = names or ("scenario", "baseline")
    width = max(11, min(24, max(len(a_name), len(b_name)) + 2))
    heads = (a_name, b_name) if names else (b_name, a_name)  # head to head: A first
    lines = [f"Effects: {a_name} - {b_name}, {how}; {LEVEL:.0%} percentile bootstrap interval "
             f"({resamples:,} resamples, seed {seed}). '~' marks an interval that includes zero."]
    digits = {o: (2 if o == "return_on_cost" else decimals(
        pd.concat([g["baseline_mean"], g["scenario_mean"], g["difference"]])))
        for o, g in table.groupby("outcome", sort=False)}
    groups = list(table.groupby(["setting", "reference"], sort=False))
    for (setting, reference), group in groups[:MAX_COMPARISONS]:
        n = int(group["pairs"].max())
        lines += ["", f"{setting}  vs  {reference}  ({n} {'pairs' if paired else 'runs'})",
                  f"  {'outcome':<{LABEL_WIDTH}}"
                  + "".join(f"{h[:width - 1]:>{width}}" for h in heads)
                  + f"{'difference':>12}  {LEVEL:.0%} interval"]
        for row in group.itertuples(index=False):
            d = digits[row.outcome]
            interval = f"[{_num(row.ci_low, d, True)}, {_num(row.ci_high, d, True)}]"
            mark = "~" if row.crosses_zero else " "
            extra = ""
            if row.outcome == "time_to_silence":
                extra = (f"\n    (never silent: {int(row.never_silent_baseline)} of "
                         f"{row.runs_baseline} {b_name} runs, {int(row.never_silent_scenario)} "
                         f"of {row.runs_scenario} {a_name} runs)")
            elif row.pairs < n:
                extra = f"  ({row.pairs} with values)"
            means = (row.scenario_mean, row.baseline_mean) if names else (
                row.baseline_mean, row.scenario_mean)
            lines.append(f"  {row.label:<{LABEL_WIDTH}}"
                         + "".join(f"{_num(v, d):>{width}}" for v in means)
                         + f"{_num(row.difference, d, True):>12}  {interval:<18}{mark}".rstrip()
                         + extra)
    if len(groups) > MAX_COMPARISONS:
        lines += ["", f"... {len(groups) - MAX_COMPARISONS} more settings in the CSV"]
    lines.append("")
    if "time_to_silence" in set(table["outcome"]):
        lines.append("time to silence: a run that never fell silent counts as its length (the "
                     "restricted mean up to the run length, a lower bound when runs are never "
                     "silent); 'share of runs fallen silent' gives the rest")
    if "return_on_cost" in set(table["outcome"]):
        lines.append("return on extra cost: (extra revenue - extra cost) / extra cost against the "
                     "baseline; '-' when the setting costs no more")
    shown = dict(zip(table["outcome"], table["label"]))
    lines.append("code names for --outcome: "
                 + "; ".join(f"{words} = {name}" for name, words in shown.items()))
    if int(table["pairs"].max()) < FEW_PAIRS:
        lines.append(f"few replicates: intervals from fewer than {FEW_PAIRS} pairs are rough "
                     "(a percentile bootstrap is too narrow with so few); run more replicates")
    wrapped = [textwrap.fill(line, WIDTH, subsequent_indent="  ") if not line.startswith("  ")
               else line for line in [*lines, *notes]]
    return "\n".join(wrapped).rstrip()


def unreliable(value: float, conf: float) -> bool:
    """An index whose 95% interval is wider than the index itself, or a negative one: noise."""
    return bool(value < 0 or conf > abs(value))


def samples_needed(value: float, conf: float, samples: int) -> int | None:
    """Base samples for the interval to be narrower than a positive index (intervals shrink as
    one over the square root of the samples), as a power of 2; None for an index at or below 0,
    which more samples would only show to be about 0."""
    if value <= 0 or not math.isfinite(conf):
        return None
    factor = (conf / value) ** 2
    return int(samples * 2 ** math.ceil(math.log2(max(factor, 1.0)) - 1e-9)) if factor > 1 \
        else samples


def sensitivity_text(table: pd.DataFrame) -> str:
    """Sensitivity indices per outcome, one line per parameter, largest total effect first;
    indices drowned in noise are marked '?' with the samples that would resolve them."""
    from sim.labels import heading

    method = str(table["method"].iloc[0])
    keys = [c for c in table.columns if c.startswith("at_")]
    lines = []
    if method == "sobol":
        lines.append("Sobol indices (SALib): S1 = share of the outcome's variance explained by the "
                     "parameter alone, ST = with all its interactions (0 = none, 1 = all); +- "
                     "half the 95% interval.")
        head, cols = f"{'S1':>18}{'ST':>18}", (("S1", "S1_conf"), ("ST", "ST_conf"))
        main_index = "ST"
    else:
        lines.append("Morris screening (SALib): mu* = mean absolute elementary effect (outcome "
                     "units per full range of the parameter), sigma = its spread (interactions, "
                     "non-linearity); +- half the 95% interval of mu*.")
        head, cols = f"{'mu*':>22}{'sigma':>12}", (("mu_star", "mu_star_conf"), ("sigma", None))
        main_index = "mu_star"
    flagged = 0
    for key, group in table.groupby(["outcome", "scenario", *keys], sort=False):
        where = ", ".join([str(key[1]), *(f"{k[3:]}={v}" for k, v in zip(keys, key[2:]))])
        points = int(group["design_points"].iloc[0])
        samples = int(group["samples"].iloc[0]) if "samples" in group else points
        lines += ["", f"{heading(key[0])}  [{key[0]}]  ({where}; {points} design points)",
                  f"  {'parameter (--set name)':<24}{head}"]
        order = group.sort_values(main_index, ascending=False)
        for row in order.itertuples(index=False):
            cells, marks = [], []
            for value, conf in cols:
                v = getattr(row, value)
                c = getattr(row, conf) if conf else None
                bad = conf is not None and unreliable(v, c)
                mark = "?" if bad else " "
                if method == "sobol":  # shares of variance: three decimals read well
                    cells.append(f" {v:8.3f} +- {c:5.3f}{mark}")
                elif conf:
                    cells.append(f"{v:>12.4g} +- {c:<6.2g}{mark}")
                else:
                    cells.append(f"{v:>12.4g}")
                if bad:
                    marks.append((value, v, c))
            note = ""
            if marks:
                flagged += 1
                said = []
                for name, v, c in marks:
                    need = samples_needed(v, c, samples)
                    label = name.replace("_star", "*")
                    said.append(f"{label} about 0" if need is None else
                                f"{label} needs samples = {need}")
                note = "  ? " + "; ".join(said)
            lines.append(f"  {row.parameter:<24}{''.join(cells)}{note}".rstrip())
    if flagged:
        lines += ["", textwrap.fill(
            "? unreliable: the 95% interval is wider than the index, or the index is negative "
            "(an index of about 0 read through sampling noise). Intervals shrink as one over the "
            "square root of the samples: 'needs samples = N' is the experiment's samples for the "
            "interval to be narrower than the index (replicates average noise within a point but "
            "do not add design points).", WIDTH, subsequent_indent="  ")]
    lines[0] = textwrap.fill(lines[0], WIDTH, subsequent_indent="  ")
    return "\n".join(lines)
