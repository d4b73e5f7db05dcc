"""P25, the group-wide mute (禁言): order kept, talk lost."""

from __future__ import annotations

import plotly.graph_objects as go

from sim.lessons import plots
from sim.lessons.core import Analysis, Check, Estimate, Lesson, Numbers, Runs

NONE, MUTE, KICK = "no mute", "muted half of each day", "no mute, spammers kicked"
ARMS = {
    NONE: {},
    MUTE: {"group_mute": 0.5},
    KICK: {"moderation": 0.5},
}


def analyze(d: Runs) -> Analysis:
    """The lesson's estimates, checks and finding from its runs."""
    n = Numbers()
    spam = n.put("ads_mute_vs_none", Estimate.of(d.window(MUTE, "spam_messages", 0, d.days)
                                                 - d.window(NONE, "spam_messages", 0, d.days)))
    trust = n.put("trust_mute_vs_none", d.diff(MUTE, NONE, "mean_trust_final"))
    talk = n.put("messages_mute_vs_none", d.diff(MUTE, NONE, "total_messages"))
    spoken = n.put("spoken_mute_vs_none", d.diff(MUTE, NONE, "ever_spoken_share_final"))
    base = n.put("messages_none", d.mean(NONE, "total_messages"))
    trust_kick = n.put("trust_kick_vs_mute", d.diff(KICK, MUTE, "mean_trust_final"))
    talk_kick = n.put("messages_kick_vs_none", d.diff(KICK, NONE, "total_messages"))
    cost = n.put("cost_mute", d.mean(MUTE, "cost"))
    cost_kick = n.put("cost_kick", d.mean(KICK, "cost"))
    stopped = d.param(MUTE, "group_mute") * d.param(MUTE, "group_mute_obey")
    checks = [
        Check("a mute for half of each day keeps order: fewer ads (interval below 0)",
              spam.below(), spam.text("+,.0f")),
        Check("and so keeps trust higher (interval above 0)", trust.above(), trust.text("+.3f"),
              essential=True),
        Check(f"its price is talk: members post fewer messages over {d.days} days (interval "
              "below 0)", talk.below(), talk.text("+,.0f"), essential=True),
        Check("kicking spammers instead keeps trust higher than the mute does, without its "
              "price in talk (interval above 0)", trust_kick.above(), trust_kick.text("+.3f")),
    ]
    finding = [
        f"Muting the group for {d.param(MUTE, 'group_mute'):.0%} of each day, with "
        f"{d.param(MUTE, 'group_mute_obey'):.0%} of members obeying (so {stopped:.0%} of the "
        f"day's talk stopped), changes the ads members see by {spam.text('+,.0f')} and mean "
        f"trust at the end by {trust.text('+.3f')}.",
        f"The price: members' messages change by {talk.text('+,.0f')} (of "
        f"{base.mean:,.0f} without a mute, {talk.mean / base.mean:+.0%}) and the share who ever "
        f"spoke by {spoken.pp()}, for {cost.mean:,.0f} yuan of the operator's time.",
        f"Kicking spammers instead (moderation {d.param(KICK, 'moderation'):g} a day) gives "
        f"trust {trust_kick.text('+.3f')} against the mute, with messages "
        f"{talk_kick.text('+,.0f')} against no mute, for {cost_kick.mean:,.0f} yuan of "
        "moderator time.",
    ]
    return Analysis(talk, "members' messages, mute - no mute", checks, finding, n)


def plot(d: Runs, a: Analysis) -> go.Figure:
    """The lesson's figure."""
    return plots.messages_and_trust(d)


LESSON = Lesson(
    name="group_mute", principle="P25", title="The group-wide mute (禁言)",
    claim="An operator keeps order by muting the group (禁言); when members keep chatting after "
          "being told, the operator steps in (当你明确告知禁言后,他们依旧我行我素的聊天,你就要"
          "出面维持秩序). Order has a price: a muted group does not talk.",
    arms=ARMS, reference=NONE, treatment=MUTE, analyze=analyze, plot=plot,
    try_next=("group_mute_obey=1", "the platform's 全员禁言 instead of an announcement: nobody "
              "can post in muted hours"),
    days=120, replicates=40)
