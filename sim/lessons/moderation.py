"""P8-P9, group rules (群规) and troublemakers (刺头): kick spammers, talk to troublemakers."""

from __future__ import annotations

import plotly.graph_objects as go

from sim.lessons import plots
from sim.lessons.core import Analysis, Check, Lesson, Numbers, Runs

NONE, KICK, PRIVATE, PUBLIC = ("no moderation", "kick spammers", "kick + private talks",
                               "kick + public kicks")
ARMS = {
    NONE: {},
    KICK: {"moderation": 0.5},
    PRIVATE: {"moderation": 0.5, "troublemaker_policy": "private"},
    PUBLIC: {"moderation": 0.5, "troublemaker_policy": "public"},
}
# a rough crowd, so that rules have something to act on
WORLD = {"share_spammers": 0.1, "share_troublemakers": 0.1}


def analyze(d: Runs) -> Analysis:
    """The lesson's estimates, checks and finding from its runs."""
    n = Numbers()
    trust_kick = n.put("trust_kick_vs_none", d.diff(KICK, NONE, "mean_trust_final"))
    left_kick = n.put("churned_kick_vs_none", d.diff(KICK, NONE, "churned"))
    trust_private = n.put("trust_private_vs_kick", d.diff(PRIVATE, KICK, "mean_trust_final"))
    trust_pp = n.put("trust_private_vs_public", d.diff(PRIVATE, PUBLIC, "mean_trust_final"))
    for arm in ARMS:
        n.put(f"trust_{arm}", d.mean(arm, "mean_trust_final"))
    kicked = {a: float(d.on_day(a, "kicked").mean()) for a in ARMS}
    checks = [
        Check("kicking spammers keeps trust higher than no moderation (interval above 0)",
              trust_kick.above(), trust_kick.text("+.3f"), essential=True),
        Check("kicking spammers keeps members: fewer leave (interval below 0)",
              left_kick.below(), left_kick.text("+.1f")),
        Check("talking to troublemakers privately keeps trust higher than ignoring them "
              "(interval above 0)", trust_private.above(), trust_private.text("+.3f")),
        Check("talking privately beats kicking troublemakers in public, itself a public fight "
              "(interval above 0)", trust_pp.above(), trust_pp.text("+.3f")),
    ]
    finding = [
        f"With {WORLD['share_spammers']:.0%} spammers and {WORLD['share_troublemakers']:.0%} "
        f"troublemakers among invitees, mean trust at day {d.days} is "
        + ", ".join(f"{n[f'trust_{a}']:.2f} ({d.label(a)})" for a in ARMS) + ".",
        f"Kicking spammers (about {kicked[KICK]:.0f} removed per group) changes trust by "
        f"{trust_kick.text('+.3f')} and the number who leave by {left_kick.text('+.1f')}.",
        f"On top of that, private talks with troublemakers change trust by "
        f"{trust_private.text('+.3f')}; against public kicks, {trust_pp.text('+.3f')}.",
    ]
    return Analysis(trust_kick, "mean trust at the end, kick spammers - no moderation", checks,
                    finding, n)


def plot(d: Runs, a: Analysis) -> go.Figure:
    """The lesson's figure."""
    est = {arm: a.numbers.estimates[f"trust_{arm}"] for arm in ARMS}
    fig = plots.panels("mean trust of members", plots.daily_lines(d, "mean_trust", smooth=1),
                       f"mean trust at day {d.days}",
                       [plots.arm_bars(d, est)],
                       "trust (0-1)", "trust (0-1)")
    return fig


LESSON = Lesson(
    name="moderation", principle="P8-P9", title="Group rules (群规) and troublemakers (刺头)",
    claim="State the rules at entry (no ads, mini-game or bargain links, no porn, violence or "
          "politics, no abuse) and kick violators with an explanation to the group. "
          "Troublemakers (刺头) argue without breaking rules; a public fight damages the brand "
          "in everyone's eyes, so talk to them privately and kick only when out of control.",
    arms=ARMS, reference=NONE, treatment=PRIVATE, analyze=analyze, plot=plot, world=WORLD,
    try_next=("fight_rate=0.05", "troublemakers argue five times as often: does the private "
              "talk still beat the public kick?"),
    days=120, replicates=40)
