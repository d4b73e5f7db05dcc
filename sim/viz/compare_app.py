"""The two-arm classroom app: ``commsim viz --compare A B`` (or ``solara run
sim/viz/compare_app.py``).

Two options side by side on the same seed, each drawn over the band of many seeds (10% to 90% of
them, and their median): Mesa's SolaraViz draws one model at a time and no replicates, so this page
is a Solara page of its own, built from the app's parts (plain words and units from
:mod:`sim.labels`, sliders that show their values). A lesson picker loads a lesson's two arms
(its reference and its intervention; in a lesson of more arms, any two of them); the arms given
on the command line are the first choice. Below the pairs of charts, B minus A on the same seed:
zero until what differs acts. The arithmetic lives in :mod:`sim.viz.compare`.
"""

from __future__ import annotations

import html

import solara
from matplotlib.figure import Figure

from sim import labels
from sim.lessons import LESSONS
from sim.viz.compare import (
    BAND_REPLICATES,
    Pair,
    arms_from_env,
    crn_sentence,
    days_of,
    first_difference,
    lesson_arms,
    lever_start,
    run_bands,
    run_single,
    shown_outcomes,
    what_differs,
)

CLI_ARMS = arms_from_env()
YOURS = "your two arms (command line)"
CHOICES = ([YOURS] if CLI_ARMS else []) + list(LESSONS)
COLORS = {"A": "#1f77b4", "B": "#d62728"}


def arms_of(choice: str, first: str | None = None, second: str | None = None):
    """The two arms and the days of a choice of the picker (and of a lesson's arms)."""
    if choice == YOURS and CLI_ARMS:
        return CLI_ARMS[0], CLI_ARMS[1], days_of(*CLI_ARMS)
    return lesson_arms(choice, first, second)


def pair_chart(pair: Pair, outcome: str, upto: int) -> Figure:
    """One outcome: arm A left, arm B right, on the same axes; the band of the seeds, their
    median and the single run up to day ``upto``."""
    lab = labels.label(outcome)
    scale = 100 if lab.share else 1
    fig = Figure(figsize=(14, 3.0), dpi=80)
    axes = fig.subplots(1, 2, sharey=True)
    for ax, arm_key in zip(axes, ("A", "B")):
        arm = pair.a if arm_key == "A" else pair.b
        band = pair.bands[arm_key][outcome] * scale
        colour = COLORS[arm_key]
        ax.fill_between(band.index, band[0.1], band[0.9], color=colour, alpha=0.15, lw=0,
                        label=f"10-90% of {pair.replicates} seeds")
        ax.plot(band.index, band[0.5], color=colour, lw=1, ls="--", label="median of the seeds")
        run = pair.single[arm_key]
        shown = run[run.day <= upto]
        ax.plot(shown.day, shown[outcome] * scale, color=colour, lw=1.6,
                label=f"the run on seed {pair.seed}")
        if pair.parted is None or pair.parted > 0:  # the days both runs share, shaded grey
            same_until = pair.days - 1 if pair.parted is None else pair.parted - 0.5
            ax.axvspan(0, same_until, color="#888", alpha=0.12, lw=0,
                       label="days identical in A and B")
        if pair.start:
            ax.axvline(pair.start, color="#555", lw=0.8, ls=":")
            ax.text(pair.start, 0.97, f" acts from day {pair.start:g}", fontsize=7,
                    va="top", transform=ax.get_xaxis_transform())
        ax.set_title(f"{arm_key}: {arm.name}", fontsize=10, color=colour)
        ax.set_xlabel("day since launch (days)")
        ax.set_xlim(0, pair.days - 1)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.legend(loc="best", fontsize=7)
    axes[0].set_ylabel(f"{lab.words}\n({lab.unit})", fontsize=8)
    if lab.share:
        axes[0].set_ylim(0, 100)
    fig.tight_layout()
    return fig


def difference_chart(pair: Pair, outcomes: list[str], upto: int) -> Figure:
    """B minus A on the same seed, one panel per outcome: the band of the paired differences
    over the seeds, their median, and the single run's difference up to day ``upto``."""
    import math

    cols = 3
    rows = math.ceil(len(outcomes) / cols)
    fig = Figure(figsize=(14, 2.7 * rows), dpi=80)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    run_a, run_b = pair.single["A"], pair.single["B"]
    for ax, outcome in zip(axes, outcomes):
        lab = labels.label(outcome)
        scale = 100 if lab.share else 1
        band = pair.bands["B-A"][outcome] * scale
        ax.axhline(0, color="#555", lw=0.8)
        ax.fill_between(band.index, band[0.1], band[0.9], color="#7f7f7f", alpha=0.25, lw=0,
                        label=f"10-90% of {pair.replicates} seeds")
        ax.plot(band.index, band[0.5], color="#333", lw=1, ls="--", label="median of the seeds")
        shown = run_a.day <= upto
        ax.plot(run_a.day[shown], (run_b[outcome] - run_a[outcome])[shown] * scale,
                color="#9467bd", lw=1.4, label=f"the run on seed {pair.seed}")
        ax.set_title(lab.words, fontsize=9)
        ax.set_ylabel(f"B minus A ({'percentage points' if lab.share else lab.unit})",
                      fontsize=8)
        ax.set_xlabel("day since launch (days)", fontsize=8)
        ax.set_xlim(0, pair.days - 1)
    axes[0].legend(loc="best", fontsize=7)
    for ax in axes[len(outcomes):]:
        ax.set_visible(False)
    fig.tight_layout()
    return fig


def day_table(pair: Pair, upto: int) -> str:
    """The two runs and the seeds' medians on day ``upto``, in words and units."""
    rows = []
    for outcome in shown_outcomes(pair):
        lab = labels.label(outcome)
        scale = 100 if lab.share else 1
        cells = []
        for arm_key in ("A", "B"):
            run = pair.single[arm_key]
            value = float(run.loc[run.day == upto, outcome].iloc[0]) * scale
            med = float(pair.bands[arm_key][outcome][0.5].loc[upto]) * scale
            cells.append(f"<td>{value:,.0f}</td><td>{med:,.0f}</td>")
        rows.append(f"<tr><td>{html.escape(lab.heading())}</td>{''.join(cells)}</tr>")
    arms = html.escape(f"{pair.a.name} | {pair.b.name}", quote=True)
    return (f"<table id='commsim-day-table' data-arms=\"{arms}\" cellpadding='3'>"
            f"<tr><th>on day {upto}</th><th>A: this run</th><th>A: median of seeds</th>"
            "<th>B: this run</th><th>B: median of seeds</th></tr>" + "".join(rows) + "</table>")


@solara.component
def Page():
    choice, set_choice = solara.use_state(CHOICES[0])
    first, set_first = solara.use_state(None)  # a lesson's arm for A (None: its reference)
    second, set_second = solara.use_state(None)  # and for B (None: its intervention)
    seed, set_seed = solara.use_state(0)
    key = [choice, first, second]
    a, b, days = solara.use_memo(lambda: arms_of(choice, first, second), key)
    upto, set_upto = solara.use_state(days - 1)
    bands = solara.use_memo(lambda: run_bands(a, b, days), key)
    single = solara.use_memo(lambda: run_single(a, b, seed, days), [*key, seed])
    upto = min(upto, days - 1)
    pair = Pair(a, b, seed, days, single, bands, BAND_REPLICATES,
                first_difference(single["A"], single["B"]), lever_start(a, b))

    def pick(value):
        set_choice(value)
        set_first(None)
        set_second(None)
        set_upto(arms_of(value)[2] - 1)

    esc = html.escape
    title = f"What differs between A and B: {what_differs(a, b)}"
    lesson = LESSONS.get(choice)
    intro = ("" if lesson is None else
             f"<p><b>Lesson {esc(lesson.name)}</b> ({esc(lesson.principle)} "
             f"{esc(lesson.title)}): {esc(lesson.claim)}</p>")
    with solara.Column(style={"padding": "12px"}) as main:
        solara.Style(".v-input__slider { margin-top: 30px; } "
                     "#commsim-day-table td, #commsim-day-table th { padding: 2px 10px; "
                     "text-align: right; } #commsim-day-table td:first-child { text-align: left; }")
        solara.HTML(tag="h2", unsafe_innerHTML=esc(title), attributes={"id": "commsim-title"})
        with solara.Row():
            with solara.Column(style={"min-width": "320px", "max-width": "340px"}):
                solara.Select(label="lesson (loads its two arms)", values=CHOICES, value=choice,
                              on_value=pick)
                if lesson is not None and len(lesson.arms) > 2:  # which two of its arms
                    solara.Select(label="arm A", values=list(lesson.arms), value=a.name,
                                  on_value=set_first)
                    solara.Select(label="arm B", values=list(lesson.arms), value=b.name,
                                  on_value=set_second)
                solara.SliderInt("seed of the single run", value=seed, min=0, max=99,
                                 on_value=set_seed, thumb_label="always")
                solara.SliderInt("show the run up to day", value=upto, min=0, max=days - 1,
                                 on_value=set_upto, thumb_label="always")
                solara.HTML(tag="div", unsafe_innerHTML=(
                    f"<p id='commsim-crn'>{esc(crn_sentence(pair))}</p>"
                    f"<p>A: <b>{esc(a.name)}</b>; B: <b>{esc(b.name)}</b>. Solid line: the run on "
                    f"seed {seed}; shaded: 10% to 90% of {BAND_REPLICATES} other seeds; dashed: "
                    "their median.</p>" + intro))
            with solara.Column():
                solara.HTML(tag="div", unsafe_innerHTML=day_table(pair, upto))
        for outcome in shown_outcomes(pair):
            solara.FigureMatplotlib(pair_chart(pair, outcome, upto), format="png",
                                    bbox_inches="tight")
        solara.HTML(tag="h3", unsafe_innerHTML=(
            "B minus A on the same seed: zero until what differs acts, then what the difference "
            "did on each seed"),
            attributes={"id": "commsim-difference"})
        solara.FigureMatplotlib(difference_chart(pair, shown_outcomes(pair), upto),
                                format="png", bbox_inches="tight")
    return main


page = Page
