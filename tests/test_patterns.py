"""The six patterns of shared/domain.md section 3, each measured over replicates of the default
parameters, on three disjoint blocks of seeds: a pattern must hold on each block, not only on the
seeds it was first seen on. Each test prints what it measured and fails when the model stops
producing it."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import run_arms

# Replicates per arm and block. Groups differ in fate as real rooms do (docs/validation.md: time
# to silence spreads 9 to 36 weeks between quartiles on Gitter), so 40 runs left P1's medians
# moving by weeks and P12's 50-vs-100 step (3 points of ever-spoken share) inside the noise from
# block to block; 120 runs cut the noise by 1.7 and cost seconds.
R = 120
DAYS = 180
BLOCKS = (0, 1000, 2000)  # first seeds: the blocks share no seed


@pytest.fixture(scope="module", params=BLOCKS, ids=lambda b: f"seeds{b}")
def arms(request):
    return run_arms({
        "baseline": {},
        "fee_1": {"entry_fee": 1.0},
        "fee_99": {"entry_fee": 99.0},
        "commercial_daily": {"commercial_every": 1},
        "commercial_weekly": {"commercial_every": 7},
        "shills_2": {"shills": 2},
        "shills_4": {"shills": 4},
        "shills_8": {"shills": 8},
        "size_50": {"group_size": 50},
        "size_100": {"group_size": 100},
        "size_400": {"group_size": 400},
        "size_500": {"group_size": 500},
    }, R, DAYS, first_seed=request.param)


def mean(runs, arm, col):
    return float(np.nanmean(runs.loc[runs.arm == arm, col]))


def test_unmanaged_group_peaks_early_and_falls_silent_within_60_to_120_days(arms, report):
    """P1: peak in the first weeks; 7-day activity below 20% of peak after about 60-120 days."""
    runs, _, _ = arms
    base = runs[runs.arm == "baseline"]
    silence = float(base.time_to_silence.median())
    peak = float(base.peak_day.median())
    report(f"median peak day {peak:.0f}, median time to silence {silence:.0f} days, "
           f"silent by day 180 in {base.silent.mean():.0%} of runs")
    assert peak <= 28  # P1's "first weeks", read as four
    assert 60 <= silence <= 120  # P1's "about three months" as the article's own 2-4 months
    assert base.silent.mean() >= 0.9  # P1's "law": most groups, read as 9 in 10 (95-100% seen)


def test_members_split_into_rarely_sometimes_and_a_lot_as_in_the_survey(arms, report):
    """P4: over a quarter about 70-80% post rarely or never, 10-20% sometimes, 5-10% a lot."""
    runs, _, _ = arms
    shares = [mean(runs, "baseline", c) for c in ("rarely_share", "sometimes_share", "a_lot_share")]
    report("rarely/never {:.1%}, sometimes {:.1%}, a lot {:.1%}".format(*shares))
    # P4's survey ranges (70-80 / 10-20 / 5-10%), each widened by 1-2 points: a survey of
    # answers rounded to tens of percent, against a count of messages in the model
    assert 0.68 <= shares[0] <= 0.82
    assert 0.10 <= shares[1] <= 0.22
    assert 0.04 <= shares[2] <= 0.11


def test_bigger_groups_have_fewer_speakers_and_engaged_members_level_off(arms, report):
    """P12: the ever-spoken share falls as size grows; the number of engaged members levels off."""
    runs, _, _ = arms
    sizes = ["size_50", "size_100", "baseline", "size_400", "size_500"]
    share = [mean(runs, a, "ever_spoken_share_d90") for a in sizes]
    engaged = [mean(runs, a, "engaged_members") for a in sizes]
    report("ever-spoken share at day 90 for 50/100/200/400/500 invited: "
           + ", ".join(f"{s:.2f}" for s in share)
           + "; engaged members (3+ messages in the quarter): "
           + ", ".join(f"{e:.0f}" for e in engaged))
    assert all(a > b for a, b in zip(share, share[1:]))
    gain_small = (engaged[1] - engaged[0]) / 50  # engaged gained per invitee, 50 -> 100
    gain_big = (engaged[4] - engaged[3]) / 100  # per invitee, 400 -> 500
    report(f"engaged gained per extra invitee: {gain_small:.2f} (50->100), "
           f"{gain_big:.2f} (400->500)")
    assert all(a < b for a, b in zip(engaged, engaged[1:]))
    assert gain_big < 0.5 * gain_small  # "levels off": the late gain at most half the early one


def test_fees_shrink_inflow_but_raise_speaking_and_slow_decay(arms, report):
    """P7: fees cut joining, raise the ever-spoken share and keep more activity at day 90."""
    runs, _, _ = arms
    joined = [mean(runs, a, "joined") for a in ("baseline", "fee_1", "fee_99")]
    spoken = [mean(runs, a, "ever_spoken_share_d90") for a in ("baseline", "fee_1", "fee_99")]
    kept = [mean(runs, a, "retention_d90") for a in ("baseline", "fee_1", "fee_99")]
    report(f"free/1/99 yuan: joined {joined[0]:.0f}/{joined[1]:.0f}/{joined[2]:.0f}, "
           f"ever spoken {spoken[0]:.2f}/{spoken[1]:.2f}/{spoken[2]:.2f}, "
           f"activity kept at day 90 {kept[0]:.2f}/{kept[1]:.2f}/{kept[2]:.2f} of peak")
    assert joined[0] > joined[1] > joined[2]
    assert spoken[0] < spoken[1] < spoken[2]
    assert kept[0] < kept[1] < kept[2]


def test_daily_commercial_posts_speed_decay_and_leaving_against_weekly(arms, report):
    """P15: daily selling keeps less activity and drives more members to mute or leave."""
    runs, daily, _ = arms
    kept = [mean(runs, a, "retention_d90") for a in ("commercial_weekly", "commercial_daily")]
    churn = [mean(runs, a, "churned") for a in ("commercial_weekly", "commercial_daily")]
    last = daily[daily.day == DAYS - 1].groupby("arm").muted.mean()
    report(f"weekly vs daily: activity kept at day 90 {kept[0]:.2f} vs {kept[1]:.2f}, "
           f"left {churn[0]:.0f} vs {churn[1]:.0f}")
    assert kept[1] < kept[0]
    assert churn[1] > 1.5 * churn[0]  # P15: daily selling drives members out (half as many again)
    assert last["commercial_daily"] + churn[1] > last["commercial_weekly"] + churn[0]


def test_shills_raise_early_activity_and_speaking_with_diminishing_returns(arms, report):
    """P2: shills raise first-month activity and the ever-spoken share, less per extra shill.

    The shills come in newbie+expert pairs, so every count has the same role mix and only the
    number of pairs varies: the diminishing return comes from the mechanism (planted questions
    draw from the members not yet drawn), not from a change of roles between counts."""
    runs, daily, _ = arms
    first = daily[daily.day < 30].groupby("arm").messages.mean()
    names = ["baseline", "shills_2", "shills_4", "shills_8"]
    counts = [0, 2, 4, 8]
    early = [float(first[a]) for a in names]
    spoken = [mean(runs, a, "ever_spoken_share_d14") for a in names]
    report("shills 0/2/4/8: messages a day in the first month "
           + "/".join(f"{e:.1f}" for e in early) + ", ever spoken at day 14 "
           + "/".join(f"{s:.2f}" for s in spoken))
    assert all(a < b for a, b in zip(early, early[1:]))
    assert all(a < b for a, b in zip(spoken, spoken[1:]))
    per_shill = [(spoken[i + 1] - spoken[i]) / (counts[i + 1] - counts[i]) for i in range(3)]
    assert per_shill[0] > per_shill[2]
