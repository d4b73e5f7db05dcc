"""P14, similarity binds (物以类聚): nearby, like-minded, same-age members form ties."""

from __future__ import annotations

import plotly.graph_objects as go

from sim.lessons import plots
from sim.lessons.core import Analysis, Check, Estimate, Lesson, Numbers, Runs

REF, SIMILAR, SCATTERED = "mixed", "same city and age", "scattered"
ARMS = {
    REF: {},  # the default: 10 cities, 4 age cohorts
    SIMILAR: {"n_cities": 1, "n_cohorts": 1},
    SCATTERED: {"n_cities": 100, "n_cohorts": 10},
}
MIN_LEFT = 0.01  # the smallest change in leaving that an operator would notice: 1 in 100


def analyze(d: Runs) -> Analysis:
    """The lesson's estimates, checks and finding from its runs."""
    n = Numbers()
    more = n.put("ties_similar", d.diff(SIMILAR, REF, "tie_density"))
    fewer = n.put("ties_scattered", d.diff(SCATTERED, REF, "tie_density"))
    left = {a: d.values(a, "churned") / d.values(a, "joined").clip(min=1) for a in ARMS}
    stay = n.put("left_share_similar", Estimate.of(left[SIMILAR] - left[REF]))
    trust = n.put("trust_similar", d.diff(SIMILAR, REF, "mean_trust_final"))
    talk = n.put("messages_similar", d.diff(SIMILAR, REF, "total_messages"))
    for arm in ARMS:
        n.put(f"ties_{arm}", d.mean(arm, "tie_density"))
    checks = [
        Check("members of one city and one age cohort form more ties than a mix of "
              f"{d.param(REF, 'n_cities')} cities and {d.param(REF, 'n_cohorts')} cohorts "
              "(interval above 0)", more.above(), more.text("+.4f"), essential=True),
        Check("scattered members (100 cities, 10 cohorts) form fewer ties (interval below 0)",
              fewer.below(), fewer.text("+.4f")),
        Check(f"similar members are bound to the group: at least {MIN_LEFT:.0%} fewer of those "
              "who joined leave (interval below -1 pp)", stay.below(-MIN_LEFT), stay.pp()),
    ]
    finding = [
        "Tie density at the end: "
        + ", ".join(f"{n[f'ties_{a}']:.4f} ({d.label(a)})" for a in ARMS)
        + f"; {d.label(SIMILAR)} vs {REF}, paired: {more.text('+.4f')}.",
        f"{d.label(SIMILAR).capitalize()} vs {REF}: share of joiners who left {stay.pp()}, "
        f"mean trust {trust.text('+.3f')}, members' messages {talk.text('+,.0f')}.",
    ]
    notes = []
    if more.above() and not stay.below(-MIN_LEFT):
        notes.append("Where the model parts from the article: similarity makes members know "
                     "each other, but the extra ties barely keep them in the group.")
    return Analysis(more, "tie density, same city and age - mixed", checks, finding, n, notes)


def plot(d: Runs, a: Analysis) -> go.Figure:
    """The lesson's figure."""
    est = {arm: a.numbers.estimates[f"ties_{arm}"] for arm in ARMS}
    return plots.panels("tie density (known pairs / possible pairs)",
                        plots.daily_lines(d, "tie_density", smooth=1),
                        f"tie density at day {d.days}",
                        [plots.arm_bars(d, est)],
                        "tie density", "tie density")


LESSON = Lesson(
    name="similarity", principle="P14", title="Similarity binds (物以类聚)",
    claim="Similarity binds members: nearby location (within about 1 km), similar interests, "
          "similar age (87% of one app's users were born in the 1990s).",
    arms=ARMS, reference=REF, treatment=SIMILAR, analyze=analyze, plot=plot,
    try_next=("n_cities=3", "same age but from 3 cities: how much of the binding is place?"),
    days=120, replicates=40)
