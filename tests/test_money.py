"""The money rules: repeat purchase (P22, phases/payment.py) against the one-sale-per-person rule,
the commercial posts' tolerance (P15, levers/commercial.py), and the accounting the money lessons
rely on (repeat sales = revenue / price - buyers in a free group)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.params import resolve
from tests.conftest import run_arms

R = 12
DAYS = 120
WORLD = {"content_every": 3, "commercial_every": 3}  # a live group with frequent sales
ARMS = {
    "once": {**WORLD},
    "again": {**WORLD, "repurchase": 3.0, "repurchase_gap": 14},
    "keen": {**WORLD, "repurchase": 10.0, "repurchase_gap": 14},
    "slow": {**WORLD, "repurchase": 10.0, "repurchase_gap": 60},
    "never_due": {**WORLD, "repurchase": 10.0, "repurchase_gap": DAYS + 1},
    "no_selling": {"content_every": 3},
    "weekly_tolerated": {"content_every": 3, "commercial_every": 7, "commercial_tolerance": 7},
    "weekly_annoying": {"content_every": 3, "commercial_every": 7, "commercial_tolerance": 8},
    "every_8_tolerated": {"content_every": 3, "commercial_every": 8, "commercial_tolerance": 8},
}
PRICE = resolve({}).product_price


@pytest.fixture(scope="module")
def arms():
    runs, _, _ = run_arms(ARMS, R, DAYS)
    return runs


def col(runs, arm, name):
    return runs.loc[runs.arm == arm, name].to_numpy(dtype=float)


def repeat_sales(runs, arm):
    return col(runs, arm, "revenue") / PRICE - col(runs, arm, "conversions")


def test_repurchase_is_off_by_default():
    assert resolve({}).repurchase == 0


def test_without_repurchase_a_person_buys_once(arms):
    """Revenue is exactly one price per buyer when buyers may not buy again."""
    assert np.all(repeat_sales(arms, "once") == 0)
    assert col(arms, "once", "conversions").sum() > 0


def test_repeat_sales_leave_first_purchases_unchanged(arms, report):
    """Past buyers draw from their own stream: the first buyers are the same people, seed by seed,
    and every extra yuan is a repeat sale."""
    report(f"repeat sales per run: {repeat_sales(arms, 'again').mean():.2f} (3x), "
           f"{repeat_sales(arms, 'keen').mean():.2f} (10x)")
    for arm in ("again", "keen", "slow", "never_due"):
        assert np.array_equal(col(arms, arm, "conversions"), col(arms, "once", "conversions"))
        assert np.all(repeat_sales(arms, arm) >= 0)
    assert repeat_sales(arms, "again").sum() > 0


def test_keener_buyers_buy_again_more_often(arms):
    """The multiplier is used, in its direction: 10x gives more repeat sales than 3x."""
    assert repeat_sales(arms, "keen").sum() > repeat_sales(arms, "again").sum()


def test_the_gap_between_purchases_is_kept(arms):
    """A buyer is not due again before ``repurchase_gap`` days: a gap longer than the run gives no
    repeat sale at all, and a 60-day gap over 120 days allows at most one per buyer and fewer than
    a 14-day gap."""
    assert np.all(repeat_sales(arms, "never_due") == 0)
    assert np.all(repeat_sales(arms, "slow") <= col(arms, "slow", "conversions"))
    assert repeat_sales(arms, "slow").sum() < repeat_sales(arms, "keen").sum()


def test_commercial_posts_annoy_only_when_closer_than_the_tolerance(arms, report):
    """P15's tolerance (levers/commercial.py): weekly posts cost no member when members tolerate a
    post every 7 days, cost members at a tolerance of 8, and posts every 8 days are free again at
    8 (the rule is a cliff at the tolerance; the selling_tolerance lesson rests on it)."""
    final = {a: col(arms, a, "members_final") for a in
             ("no_selling", "weekly_tolerated", "weekly_annoying", "every_8_tolerated")}
    report(f"members at day {DAYS} minus no selling: weekly at tolerance 7 "
           f"{np.mean(final['weekly_tolerated'] - final['no_selling']):+.1f}, at 8 "
           f"{np.mean(final['weekly_annoying'] - final['no_selling']):+.1f}")
    assert np.array_equal(final["weekly_tolerated"], final["no_selling"])
    assert np.array_equal(final["every_8_tolerated"], final["no_selling"])
    assert np.all(final["weekly_annoying"] <= final["no_selling"])
    assert np.mean(final["weekly_annoying"] - final["no_selling"]) < -1


def test_serving_first_delays_every_sale_and_spares_members_only_from_harmful_selling():
    """P23 (commercial_start): weekly posts from day 30 sell nothing before day 30 and, being
    tolerated, leave the talk exactly as weekly posts from day 0 do; daily posts from day 30 leave
    more members than daily posts from day 0 (the harm starts later)."""
    serve = {"content_every": 3, "commercial_start": 30.0}
    arms = {"weekly_now": {"content_every": 3, "commercial_every": 7},
            "weekly_later": {**serve, "commercial_every": 7},
            "daily_now": {"content_every": 3, "commercial_every": 1},
            "daily_later": {**serve, "commercial_every": 1}}
    runs, daily, _ = run_arms(arms, 10, 90)
    early = daily[(daily.arm == "weekly_later") & (daily.day == 29)]
    assert np.all(early.revenue == 0)
    assert daily[(daily.arm == "weekly_now") & (daily.day == 29)].revenue.sum() > 0
    assert np.array_equal(col(runs, "weekly_later", "total_messages"),
                          col(runs, "weekly_now", "total_messages"))
    assert (col(runs, "daily_later", "members_final").mean()
            > col(runs, "daily_now", "members_final").mean())


def test_prices_scale_the_cost_and_leave_the_group_alone():
    """P6 (the budget lesson's half-price check rests on this): doubling every price the operator
    pays doubles the playbook's cost exactly and changes nothing else: not revenue, not talk."""
    from sim.lessons.budget import ARMS, PLAYBOOK, WORLD

    prices = ("shill_cost", "content_cost", "checkin_cost", "moderation_cost", "owner_cost",
              "event_cost", "leader_cost", "red_packet_yuan", "referral_reward", "recruit_cost")
    base = {**WORLD, **ARMS[PLAYBOOK], "red_packet_every": 7, "referral_rate": 0.02}
    defaults = resolve(base)
    double = {**base, **{k: 2 * getattr(defaults, k) for k in prices}}
    runs, _, _ = run_arms({"base": base, "double": double}, 6, 90)
    assert col(runs, "base", "cost").min() > 0
    assert np.allclose(col(runs, "double", "cost"), 2 * col(runs, "base", "cost"))
    for outcome in ("revenue", "total_messages", "members_final", "joined"):
        assert np.array_equal(col(runs, "double", outcome), col(runs, "base", outcome)), outcome


def test_posts_in_the_first_days_annoy_only_when_members_expect_service():
    """P23's assumption (commercial_serve_days): weekly posts from day 0 cost members when members
    expect 30 days of service, and none when they expect none; posts that start on day 30 are
    untouched by it, run for run."""
    arms = {"off": {"commercial_every": 7},
            "expect": {"commercial_every": 7, "commercial_serve_days": 30},
            "later_off": {"commercial_every": 7, "commercial_start": 30.0},
            "later_expect": {"commercial_every": 7, "commercial_start": 30.0,
                             "commercial_serve_days": 30},
            "none": {}}
    runs, _, _ = run_arms(arms, 10, 90)
    final = {a: col(runs, a, "members_final") for a in arms}
    assert np.array_equal(final["off"], final["none"])
    assert final["expect"].mean() < final["off"].mean() - 0.5
    assert np.array_equal(final["later_expect"], final["later_off"])
    assert np.array_equal(col(runs, "later_expect", "total_messages"),
                          col(runs, "later_off", "total_messages"))
