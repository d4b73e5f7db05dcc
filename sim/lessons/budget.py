"""P6, a purpose and a budget: what each yuan of each lever brings back in a group that sells.

Every arm sells a 199-yuan product weekly; each lever is switched on alone at the settings of its
bundled scenario, then all together (the ``playbook`` scenario). Return per yuan is (extra revenue
- extra cost) / extra cost against selling alone, paired by seed. The break-even price is the
share of the lever's assumed price at which its extra revenue would just pay for it. The prices
of operator time are checked against the one wage the articles give (seeds/000 reply 1: a
community operator earns about 5,000 yuan a month, a senior one 10,000 or more).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from sim.lessons import plots
from sim.lessons.core import Analysis, Check, Estimate, Lesson, Numbers, Runs
from sim.scenarios import load_scenario

BASE = "selling only"
LEVERS = {
    "2 shills, first 4 weeks": {"shills": 2, "shills_end": 28.0},
    "daily content": {"content_every": 1},
    "daily check-in": {"checkin": True},
    "moderation": {"moderation": 0.5, "troublemaker_policy": "private"},
    "responsive owner": {"owner_answer_share": 0.9, "owner_mentions": 3.0, "owner_cost": 30.0},
    "weekly red packets": {"red_packet_every": 7},
    "monthly offline events": {"event_every": 30},
    "3 leaders from day 14": {"leaders": 3, "leaders_start": 14.0},
    "referral rewards": {"referral_rate": 0.02},
    "10 recruits a day": {"recruit_per_day": 10.0},
}
PLAYBOOK, BASE_AGAIN, PLAYBOOK_AGAIN = ("the whole playbook", "selling only, buyers buy again",
                                        "the whole playbook, buyers buy again")
AGAIN = {"repurchase": 5.0}  # the repeat_purchase lesson's assumption (P22)
ARMS = {BASE: {}, **LEVERS, PLAYBOOK: dict(load_scenario("playbook").overrides),
        BASE_AGAIN: dict(AGAIN), PLAYBOOK_AGAIN: {**load_scenario("playbook").overrides, **AGAIN}}
WORLD = {"commercial_every": 7}  # every arm sells weekly (the playbook from day 30)
WAGE = 5000.0 / (21.75 * 8)  # yuan an hour: 5,000 a month, 21.75 working days of 8 hours
TIME_PRICES = ("shill_cost", "content_cost", "checkin_cost", "moderation_cost", "leader_cost")


def returns(d: Runs, arm: str, ref: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per seed: extra revenue, extra cost and return per yuan of ``arm`` against ``ref``."""
    revenue = d.values(arm, "revenue") - d.values(ref, "revenue")
    cost = d.values(arm, "cost") - d.values(ref, "cost")
    return revenue, cost, (revenue - cost) / np.where(cost > 0, cost, np.nan)


def analyze(d: Runs) -> Analysis:
    """The lesson's estimates, checks and finding from its runs."""
    n = Numbers()
    ret, even, spent = {}, {}, {}
    for arm in (*LEVERS, PLAYBOOK):
        revenue, cost, r = returns(d, arm, BASE)
        ret[arm] = n.put(f"return_per_yuan_{arm}", Estimate.of(r))
        even[arm] = n.put(f"break_even_price_share_{arm}",
                          Estimate.of(revenue / np.where(cost > 0, cost, np.nan)))
        spent[arm] = float(cost.mean())
        n[f"cost_{arm}"] = spent[arm]
    play = ret[PLAYBOOK]
    best = max(LEVERS, key=lambda a: ret[a].mean)
    gap = n.put("return_best_lever_vs_playbook", Estimate.of(
        returns(d, best, BASE)[2] - returns(d, PLAYBOOK, BASE)[2]))
    revenue, cost, _ = returns(d, PLAYBOOK, BASE)
    half = n.put("return_per_yuan_playbook_half_price",
                 Estimate.of((revenue - cost / 2) / (cost / 2)))
    again = n.put("return_per_yuan_playbook_buy_again",
                  Estimate.of(returns(d, PLAYBOOK_AGAIN, BASE_AGAIN)[2]))
    p = d.param(BASE, "product_price")
    checks = [
        Check(f"the whole playbook costs more than it brings in over {d.days} days: return per "
              "yuan below 0 (interval below 0)", play.below(), play.text("+.2f"),
              essential=True),
        Check(f"so the purpose must choose: the best single lever ({best}) returns more per yuan "
              "than the whole playbook (interval above 0)", gap.above(), gap.text("+.2f")),
        Check("the loss is not the prices: at half of every assumed price the playbook still "
              "returns less than it costs (interval below 0)", half.below(), half.text("+.2f")),
        Check("nor the missing repeat sales: with buyers buying again (repurchase = "
              f"{AGAIN['repurchase']:g}) the playbook still returns less than it costs (interval "
              "below 0)", again.below(), again.text("+.2f")),
    ]
    ranked = sorted(LEVERS, key=lambda a: -ret[a].mean)
    finding = [f"Return per yuan over {d.days} days, each lever alone in a group selling a "
               f"{p:,.0f}-yuan product weekly (paired by seed against selling alone): "
               + "; ".join(f"{a} {ret[a].text('+.2f')} on {spent[a]:,.0f} yuan" for a in ranked)
               + ".",
               f"The whole playbook: {play.text('+.2f')} yuan per yuan on {spent[PLAYBOOK]:,.0f} "
               f"yuan; at half price {half.text('+.2f')}; with buyers buying again "
               f"{again.text('+.2f')}.",
               "Break-even price (the share of the assumed price at which the lever's extra "
               "revenue pays for it): " + "; ".join(
                   f"{a} {even[a].mean:.0%}" for a in (*ranked, PLAYBOOK)) + "."]
    minutes = "; ".join(f"{k} {d.param(BASE, k) / WAGE * 60:.0f}" for k in TIME_PRICES)
    notes = [f"Are the prices right? The articles give one wage: a community operator earns about "
             f"5,000 yuan a month (seeds/000 reply 1), {WAGE:.0f} yuan an hour. At that wage the "
             f"model's prices of operator time buy these minutes (a day, or a post for content): "
             f"{minutes}. Offline events ({d.param(BASE, 'event_cost'):,.0f} yuan), red packets "
             f"({d.param(BASE, 'red_packet_yuan'):,.0f} yuan each), recruits "
             f"({d.param(BASE, 'recruit_cost'):,.0f} yuan each) and referral gifts are cash with "
             "no source in the articles. The owner's time is free by default (owner_cost = 0); "
             "this lesson prices it at 30 yuan a day, as the playbook scenario does.",
             "Levers without a cost (an effort test, a size cap) are left out: they have no "
             "return per yuan."]
    return Analysis(play, f"return per yuan, the whole playbook against selling only, over "
                    f"{d.days} days", checks, finding, n, notes)


def plot(d: Runs, a: Analysis) -> go.Figure:
    """The lesson's figure."""
    names = [*LEVERS, PLAYBOOK]
    est = {arm: a.numbers.estimates[f"return_per_yuan_{arm}"] for arm in names}
    left = plots.daily_lines(d, "revenue", [BASE, PLAYBOOK], smooth=1) + [
        t.update(line={"dash": "dot", "color": t.line.color}, name=f"{t.name} (cost)")
        for t in plots.daily_lines(d, "cost", [PLAYBOOK], smooth=1)]
    fig = plots.panels("revenue (solid) and cost (dotted) so far", left,
                       f"yuan back per yuan spent over {d.days} days",
                       [plots.arm_bars(d, est)],
                       "yuan", "yuan per yuan")
    return plots.zero_line(fig)


LESSON = Lesson(
    name="budget", principle="P6", title="A purpose and a budget (目的与成本)",
    claim="Before building a group decide what it is for, whether the product suits a group and "
          "what it will cost (建了这个群最终要达到什么目的; 做这个社群需要投入什么成本): running "
          "a community costs more than people imagine (社群運營的成本其實比我們想象的要高).",
    arms=ARMS, reference=BASE, treatment=PLAYBOOK, analyze=analyze, plot=plot, world=WORLD,
    try_next=("product_price=999", "a 999-yuan product: which levers pay for themselves then?"),
    days=180, replicates=40)
