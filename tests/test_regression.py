"""Seeded regression baseline: fixed runs must reproduce the recorded numbers exactly.

A change that moves these numbers changes the model's behaviour. If that is intended, update the
baseline in the same commit and say why in its message:

    python -m pytest tests/test_regression.py --update-regression
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sim import run_batch

BASELINE = Path(__file__).parent / "baselines" / "regression.csv"
CASES = {
    "baseline": {},
    "every_lever": dict(n_groups=2, shills=2, entry_fee=9.0, content_every=2, checkin=True,
                        commercial_every=7, moderation=0.3, troublemaker_policy="private",
                        owner_answer_share=0.6, owner_mentions=2.0, red_packet_every=10,
                        event_every=20, leaders=2, size_cap=150, referral_rate=0.01,
                        recruit_per_day=3.0, overlap=0.3),
}
SEEDS = (1, 2)
DAYS = 120
COLUMNS = ["members", "active_members", "messages", "ever_spoken_share", "mean_trust",
           "top10_share", "tie_density", "churned", "revenue", "cost"]


def current() -> pd.DataFrame:
    params = [p for p in CASES.values() for _ in SEEDS]
    seeds = [s for _ in CASES for s in SEEDS]
    daily = run_batch(params, seeds, DAYS)
    daily = daily[daily.day.isin([0, 7, 14, 30, 60, 90, DAYS - 1])].copy()
    daily.insert(0, "case", [list(CASES)[r // len(SEEDS)] for r in daily.run])
    daily.insert(1, "seed", [SEEDS[r % len(SEEDS)] for r in daily.run])
    return daily.drop(columns="run")[["case", "seed", "day", *COLUMNS]].reset_index(drop=True)


def test_seeded_runs_reproduce_the_recorded_baseline(request):
    """The same parameters and seeds give the recorded numbers (to 12 significant digits)."""
    now = current()
    if request.config.getoption("--update-regression"):
        BASELINE.parent.mkdir(exist_ok=True)
        now.to_csv(BASELINE, index=False, float_format="%.12g")
        pytest.skip(f"baseline rewritten: {BASELINE}")
    recorded = pd.read_csv(BASELINE)
    pd.testing.assert_frame_equal(recorded, pd.read_csv(
        pd.io.common.StringIO(now.to_csv(index=False, float_format="%.12g"))), check_dtype=False)
