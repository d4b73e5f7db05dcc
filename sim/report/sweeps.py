"""Figures of swept parameters: response curves, two-way heatmaps and sensitivity indices."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sim import labels
from sim.report.compare import label
from sim.report.figures import BAND, Panel, _band, _grid, color, param_axis, percent_axis, style
from sim.report.results import Results, fmt_value
from sim.report.text import unreliable

RESPONSE_OUTCOMES = ("total_messages", "ever_spoken_share_d14", "time_to_silence",
                     "active_members_d30")
HEATMAP_OUTCOMES = ("total_messages", "ever_spoken_share_d14")
MAX_LEVELS = 12  # distinct values shown as they are; more are cut into BINS quantile bins
BINS = 8
MAX_PARAMS = 8
SHORT = {"total_messages": "messages", "ever_spoken_share_d14": "ever spoken, day 14 (%)",
         "time_to_silence": "days to silence", "active_members_d30": "posted on day 30"}
MAX_SCENARIOS = 4
MAX_SENSITIVITY = 8  # small bar charts (outcome x scenario x listed level) in the report


def outcome_values(runs: pd.DataFrame, outcome: str) -> pd.Series:
    """An outcome per run; time to silence restricted to the run length (never silent = days)."""
    values = runs[outcome].astype(float)
    if outcome == "time_to_silence":
        values = values.fillna(runs["days"].astype(float))
    return values


def _usable(results: Results, names: tuple[str, ...]) -> list[str]:
    return [o for o in names if o in results.runs and results.runs[o].notna().any()]


def levels(values: pd.Series) -> tuple[pd.Series, list]:
    """Each run's level of a parameter: its value, or its quantile bin when there are many.

    Returns:
        (level per run, sorted levels); a bin is represented by the median value inside it.
    """
    if values.nunique() <= MAX_LEVELS or not pd.api.types.is_numeric_dtype(values):
        return values, sorted(values.unique(), key=lambda v: (str(type(v)), v))
    bins = pd.qcut(values.astype(float), BINS, duplicates="drop")
    centre = values.astype(float).groupby(bins, observed=True).median()
    level = bins.map(centre).astype(float)
    return level, sorted(centre.unique())


def _flat(results: Results, outcomes: list[str]) -> tuple[list[str], list[str]]:
    """(outcomes that vary, a note on each that does not: the same value in every run draws a
    flat line on a meaningless axis, so it is left out and said)."""
    kept, notes = [], []
    for o in outcomes:
        values = outcome_values(results.runs, o)
        if values.nunique(dropna=True) <= 1:
            v = values.dropna()
            said = labels.value(o, float(v.iloc[0]), 0) if len(v) else "missing"
            why = " (no run fell silent: it counts as the run length)" if (
                o == "time_to_silence" and results.runs[o].isna().all()) else ""
            notes.append(f"{labels.words(o)} is {said} in every run{why}")
        else:
            kept.append(o)
    return kept, notes


def response_curves(results: Results) -> Panel | None:
    """Each outcome against each varied parameter, per scenario: median and 10-90% band.
    Outcomes with the same value in every run are left out, and the caption says so."""
    params = [p for p in results.varied if results.runs[p].nunique() > 1][:MAX_PARAMS]
    outcomes, flat = _flat(results, _usable(results, RESPONSE_OUTCOMES))
    if not params or not outcomes:
        return None
    runs = results.runs
    fig = make_subplots(len(outcomes), len(params), shared_xaxes="columns",
                        horizontal_spacing=0.3 / len(params), vertical_spacing=0.2 / len(outcomes))
    scenarios = list(dict.fromkeys(runs["scenario"]))
    for c, param in enumerate(params, start=1):
        level, order = levels(runs[param])
        for r, outcome in enumerate(outcomes, start=1):
            y = outcome_values(runs, outcome)
            for i, scenario in enumerate(scenarios):
                mine = runs["scenario"] == scenario
                q = y[mine].groupby(level[mine]).quantile(list(BAND)).unstack().reindex(order)
                _band(fig, q.index, q, scenario, i, row=r, col=c, showlegend=(r == c == 1))
            if c == 1:
                fig.update_yaxes(title_text=SHORT.get(outcome, outcome), row=r, col=c)
            if labels.label(outcome).share:
                percent_axis(fig, row=r, col=c)
            if outcome == "time_to_silence":  # on the scale of the run, not of its noise
                fig.update_yaxes(range=[0, 1.05 * float(runs["days"].max())], row=r, col=c)
        fig.update_xaxes(title_text=param_axis(param), row=len(outcomes), col=c)
    pooled = len(results.varied) > 1
    caption = ("Rows: " + "; ".join(labels.heading(o) for o in outcomes)
               + (" (a never-silent run counting as the run length)"
                  if "time_to_silence" in outcomes else "")
               + ". Each against each varied parameter (columns, by the name --set takes): "
               "median across runs "
               "at each value, band from 10% to 90% of runs. A steep curve is a lever that "
               "matters; a wide band means groups differ a lot at that setting."
               + (" Runs at all values of the other varied parameters are pooled, so each curve "
                  "is the parameter's average effect over the rest of the design." if pooled
                  else "")
               + (f" Values are grouped into {BINS} quantile bins (x: median value in the bin)."
                  if any(runs[p].nunique() > MAX_LEVELS for p in params) else "")
               + (" Left out as flat: " + "; ".join(flat) + "." if flat else ""))
    height = 120 + 220 * len(outcomes)
    return Panel("response", "Response curves of the swept parameters", caption,
                 style(fig, height))


def heatmaps(results: Results) -> Panel | None:
    """Mean outcome over the first two varied parameters, one map per scenario and outcome."""
    params = [p for p in results.varied if results.runs[p].nunique() > 1]
    outcomes, _ = _flat(results, _usable(results, HEATMAP_OUTCOMES))
    if len(params) < 2 or not outcomes:
        return None
    px, py = params[:2]
    runs = results.runs
    scenarios = list(dict.fromkeys(runs["scenario"]))[:MAX_SCENARIOS]
    lx, ox = levels(runs[px])
    ly, oy = levels(runs[py])
    fig = make_subplots(len(outcomes), len(scenarios), horizontal_spacing=0.08,
                        vertical_spacing=0.14,
                        subplot_titles=[f"{label(o)}: {s}" for o in outcomes for s in scenarios])
    for r, outcome in enumerate(outcomes, start=1):
        y = outcome_values(runs, outcome)
        for c, scenario in enumerate(scenarios, start=1):
            mine = runs["scenario"] == scenario
            z = y[mine].groupby([ly[mine], lx[mine]]).mean().unstack().reindex(index=oy,
                                                                               columns=ox)
            fig.add_trace(go.Heatmap(
                z=z.to_numpy(), x=[fmt_value(v) for v in ox], y=[fmt_value(v) for v in oy],
                coloraxis=f"coloraxis{r if r > 1 else ''}",
                hovertemplate=f"{px}=%{{x}}<br>{py}=%{{y}}<br>mean %{{z:.3g}}<extra></extra>"),
                row=r, col=c)
            fig.update_xaxes(title_text=param_axis(px), type="category", row=r, col=c)
            fig.update_yaxes(title_text=param_axis(py), type="category", row=r, col=c)
    for r in range(1, len(outcomes) + 1):
        top = 1 - (r - 1) / len(outcomes)
        fig.update_layout({f"coloraxis{r if r > 1 else ''}": dict(
            colorscale="Viridis", colorbar=dict(len=0.8 / len(outcomes), y=top - 0.5 / len(
                outcomes), title=dict(text=labels.label(outcomes[r - 1]).unit or "mean")))})
    others = params[2:]
    caption = (f"Mean over replicates of each outcome at each combination of {px} and {py}"
               + (f", averaged over {', '.join(others)}" if others else "")
               + ". Look for where the colour changes: along one axis only (one lever matters), "
                 "diagonally (the two substitute for each other), or in one corner only (they "
                 "work together).")
    return Panel("heatmap", f"Two-way response: {px} and {py}", caption,
                 style(fig, 120 + 330 * len(outcomes)))


def sensitivity_figure(table: pd.DataFrame) -> Panel | None:
    """Bars of Sobol S1 and ST, or Morris mu* and sigma, per parameter and outcome."""
    if table is None or table.empty:
        return None
    method = str(table["method"].iloc[0])
    keys = ["outcome", "scenario", *[c for c in table.columns if c.startswith("at_")]]
    first = [*RESPONSE_OUTCOMES, "churned", "cost"]  # the main outcomes, then the rest
    groups = sorted(table.groupby(keys, sort=False), key=lambda kv: first.index(kv[0][0])
                    if kv[0][0] in first else len(first))[:MAX_SENSITIVITY]
    rows, cols = _grid(len(groups))
    titles = [", ".join([label(key[0]), key[1], *(f"{k[3:]}={v}" for k, v in zip(keys[2:],
                                                                              key[2:]))])
              for key, _ in groups]
    fig = make_subplots(rows, cols, subplot_titles=titles, horizontal_spacing=0.1,
                        vertical_spacing=min(0.25 / rows + 0.05, 0.15))
    bars = ((("S1", "S1_conf", "first order S1"), ("ST", "ST_conf", "total ST"))
            if method == "sobol" else
            (("mu_star", "mu_star_conf", "mu* (mean |effect|)"), ("sigma", None, "sigma")))
    flagged = 0
    for k, (_, g) in enumerate(groups):
        r, c = k // cols + 1, k % cols + 1
        for j, (value, conf, name) in enumerate(bars):
            err = dict(type="data", array=g[conf].to_numpy()) if conf else None
            noisy = [unreliable(v, e) for v, e in zip(g[value], g[conf])] if conf else \
                [False] * len(g)
            fig.add_trace(go.Bar(x=g["parameter"], y=g[value], name=name, error_y=err,
                                 marker=dict(color=color(j), opacity=[0.3 if n else 1.0
                                                                     for n in noisy],
                                             pattern=dict(shape=["/" if n else "" for n in
                                                                 noisy])),
                                 legendgroup=name, showlegend=k == 0),
                          row=r, col=c)
            flagged += sum(noisy)
    if method == "sobol":
        fig.update_yaxes(title_text="share of variance", col=1)
        caption = ("Sobol indices from SALib: S1 is the share of an outcome's variance the "
                   "parameter explains alone, ST the share it has a hand in, interactions "
                   "included (bars: 95% confidence). A large ST with a small S1 means the "
                   "parameter acts through interactions; an ST near zero means it can be fixed "
                   "anywhere in its range.")
    else:
        fig.update_yaxes(title_text="outcome units per range", col=1)
        caption = ("Morris screening from SALib: mu* is the mean absolute change of the outcome "
                   "when the parameter moves across its range, sigma how much that change "
                   "varies (interactions, non-linearity); bars: 95% confidence of mu*. It ranks "
                   "the parameters; it does not apportion variance.")
    fig.update_layout(barmode="group")
    if flagged:
        caption += (f" Faded, hatched bars ({flagged}): unreliable, the 95% interval is wider than "
                    "the index or the index is negative (sampling noise); `commsim sensitivity` "
                    "prints the samples needed to resolve them.")
    if len(table.groupby(keys)) > len(groups):
        caption += (f" Shown: {len(groups)} of {len(table.groupby(keys))} outcome groups; all are "
                    "in sensitivity.csv.")
    return Panel("sensitivity", "Sensitivity of the outcomes to the parameters", caption,
                 style(fig, 80 + 300 * rows))
