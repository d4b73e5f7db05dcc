"""Survival outcomes: is a group still active on day N, how long it lived, and censoring."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim import metrics, run_batch
from sim.outcomes import SURVIVAL_DAYS, active_at, lifetime


def test_lifetime_follows_the_silence_definition():
    """10 messages a day for 40 days, then none: the 7-day mean first falls below 20% of its
    peak (2 a day) on day index 45 (only day 39's 10 messages left in the window: 10/7 = 1.43),
    so the group lived 45 days: active on day 45, silent on day 46."""
    daily = np.r_[np.full(40, 10.0), np.zeros(80)][None, :]
    life, censored = lifetime(daily)
    assert life[0] == 45 and not censored[0]
    assert life[0] == metrics.time_to_silence(daily[0])
    assert active_at(life, 120, 45)[0] == 1.0 and active_at(life, 120, 46)[0] == 0.0


def test_a_group_that_never_falls_silent_is_censored_at_the_run_length():
    """Steady talk to the end: lifetime = run length, censored; a group that never spoke was
    never active (lifetime 0, not censored: it is known to be dead)."""
    daily = np.array([np.full(70, 5.0), np.zeros(70)])
    life, censored = lifetime(daily)
    assert life.tolist() == [70.0, 0.0]
    assert censored.tolist() == [True, False]
    assert active_at(life, 70, 30).tolist() == [1.0, 0.0]


def test_a_run_cut_at_day_60_cannot_be_active_at_day_90():
    """Day-90 and day-180 survival of a 60-day run are unknown (NaN), not "active"; day 30 and
    60 are known; lifetimes of runs never silent are censored at 60 days."""
    runs = run_batch([{}] * 4, seeds=[1, 2, 3, 4], days=60, summary=True).runs
    assert runs["active_day_90"].isna().all() and runs["active_day_180"].isna().all()
    assert runs["active_day_30"].notna().all() and runs["active_day_60"].notna().all()
    assert (runs["lifetime"] <= 60).all()
    censored = runs["lifetime_censored"].to_numpy(bool)
    assert (runs.loc[censored, "lifetime"] == 60).all()
    assert runs.loc[censored, "time_to_silence"].isna().all()
    assert (runs.loc[~censored, "lifetime"] == runs.loc[~censored, "time_to_silence"]).all()


@pytest.fixture(scope="module")
def paired_content():
    """40 paired runs of 180 days: no lever, and a knowledge post every day."""
    n = 40
    runs = run_batch([{}] * n + [{"content_every": 1}] * n, seeds=list(range(n)) * 2, days=180,
                     summary=True).runs
    return runs.iloc[:n].reset_index(drop=True), runs.iloc[n:].reset_index(drop=True)


def test_active_on_day_n_is_a_lifetime_of_at_least_n_days(paired_content):
    """Every run: active on day N exactly when its lifetime reaches N; survival only falls."""
    for runs in paired_content:
        for day in SURVIVAL_DAYS:
            assert (runs[f"active_day_{day}"] == (runs["lifetime"] >= day)).all()
        shares = [runs[f"active_day_{d}"].mean() for d in SURVIVAL_DAYS]
        assert shares == sorted(shares, reverse=True)


def test_a_lever_that_keeps_groups_talking_raises_the_share_still_active(paired_content):
    """Daily knowledge posts renew attention (P5): more of the same groups (same seeds) are still
    active on day 90, and they live a month longer on average."""
    base, content = paired_content
    assert content["active_day_90"].mean() >= base["active_day_90"].mean() + 0.3
    assert content["lifetime"].mean() > base["lifetime"].mean() + 30


# -- survival on every screen: run, sweep, compare --a/--b, report --------------------------------

def cli(capsys, *args: str) -> tuple[int, str, str]:
    from sim.cli import main

    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def swept(tmp_path_factory):
    """A small paired sweep: no lever against daily knowledge posts, 6 replicates of 100 days."""
    from sim.cli import main

    folder = tmp_path_factory.mktemp("survival")
    (folder / "content.toml").write_text(
        'name = "content"\nscenarios = ["baseline", "daily_digest"]\nreplicates = 6\n'
        'days = 100\nseed = 3\n')
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["sweep", str(folder / "content.toml"), "--out", str(folder / "r"),
                     "--workers", "1", "--quiet"])
    assert code == 0
    return folder / "r", out.getvalue()


def test_sweep_prints_survival_and_both_group_sizes(swept):
    """The sweep's summary gives people invited, members who joined (means), the share still
    active on days 30/60/90 with intervals, and the median lifetime; day 180 is left out of
    100-day runs."""
    _, text = swept
    for words in ("invited", "joined", "active day 30", "active day 90", "median lifetime"):
        assert words in text, words
    assert "active day 180" not in text


def test_compare_head_to_head_names_both_arms(swept, capsys):
    """--a daily_digest --b baseline: the columns are named after the arms, A first, and the
    difference is A - B; swapping the arms flips its sign."""
    import pandas as pd

    folder, _ = swept
    code, out, _ = cli(capsys, "compare", str(folder), "--a", "daily_digest", "--b", "baseline",
                       "-o", str(folder / "ab.csv"))
    assert code == 0
    assert "Effects: daily_digest - baseline" in " ".join(out.split())
    head = next(line for line in out.splitlines() if line.strip().startswith("outcome"))
    assert head.index("daily_digest") < head.index("baseline")
    assert "share of groups still active on day 90" in out
    code, _, _ = cli(capsys, "compare", str(folder), "--a", "baseline", "--b", "daily_digest",
                     "-o", str(folder / "ba.csv"))
    ab = pd.read_csv(folder / "ab.csv").set_index("outcome")
    ba = pd.read_csv(folder / "ba.csv").set_index("outcome")
    assert set(ab["scenario"]) == {"daily_digest"} and set(ba["scenario"]) == {"baseline"}
    for outcome in ("active_day_90", "joined", "total_messages"):
        assert ab.loc[outcome, "difference"] == pytest.approx(-ba.loc[outcome, "difference"])


@pytest.mark.parametrize("args, words", [
    (["--a", "daily_digest"], "--a and --b go together"),
    (["--a", "baseline", "--b", "baseline"], "name two different scenarios"),
    (["--a", "daily_digst", "--b", "baseline"], "did you mean 'daily_digest'"),
])
def test_compare_head_to_head_mistakes(swept, capsys, args, words):
    """One arm only, the same arm twice, a misspelt arm: exit 2 with one line."""
    folder, _ = swept
    code, _, err = cli(capsys, "compare", str(folder), *args)
    assert code == 2 and words in err


def test_run_prints_survival_and_both_group_sizes(capsys, tmp_path):
    """commsim run: invited and joined members, shares still active and the median lifetime."""
    code, out, _ = cli(capsys, "run", "baseline", "--replicates", "3", "--days", "60",
                       "--out", str(tmp_path / "r"))
    assert code == 0
    for words in ("people invited", "members who joined", "on day 30", "on day 60",
                  "Group lifetime (days until silence), median"):
        assert words in out, words
    assert "on day 90" not in out


def test_the_report_draws_group_lifetimes(swept):
    """The report has a Kaplan-Meier panel with one curve (and band) per scenario."""
    from sim.report.html import build
    from sim.report.results import open_results

    panels = {p.key: p for p in build(open_results(swept[0])).panels}
    assert "lifetime" in panels
    names = [t.name for t in panels["lifetime"].figure.data if t.name]
    assert len(names) == 2 and names[0].startswith("baseline (median")


# -- across runs: the intervals of sim/survival.py -----------------------------------------------

def test_wilson_interval_known_values():
    """8 of 8 groups active: 100% with the Wilson interval 67.6-100% (a normal interval would
    claim [100%, 100%]); 0 of 0 runs: no share at all."""
    from sim.survival import wilson

    s = wilson(8, 8)
    assert s.share == 1.0 and s.high == 1.0 and s.low == pytest.approx(0.6756, abs=1e-4)
    assert wilson(0, 0).n == 0 and wilson(0, 0).text() == "-"


def test_median_lifetime_interval_covers_the_true_median():
    """Lifetimes drawn from a distribution with median 80 days, censored at 180: the 95%
    interval of the median covers 80 in 93-97.5% of 2,000 samples of 40 groups (order statistics
    give at least 95%, a little more with few groups)."""
    from sim.survival import median_lifetime

    rng = np.random.default_rng(0)
    covered = 0
    for _ in range(2000):
        life = np.minimum(np.ceil(rng.exponential(80 / np.log(2), 40)), 180)
        m = median_lifetime(life, life >= 180)
        covered += m.low <= 80 <= m.high
    assert 0.93 <= covered / 2000 <= 0.985


def test_median_lifetime_beyond_the_run_when_half_the_groups_outlive_it():
    """3 of 5 groups still active at day 90: the median is "more than 90 days"; 2 of 5: it is
    the middle lifetime."""
    from sim.survival import median_lifetime

    more = median_lifetime([40, 60, 90, 90, 90], [False, False, True, True, True])
    assert more.more_than and more.text().startswith("more than 90 days")
    known = median_lifetime([40, 60, 70, 90, 90], [False, False, False, True, True])
    assert not known.more_than and known.median == 70


def test_median_interval_of_a_thousand_runs_and_more():
    """A sweep of 1,024 runs (playbook_worlds) overflowed 2 ** n in a float; the ranks must still
    bracket the median with the binomial rule, checked here in log space (not by scipy)."""
    from sim.survival import _median_ranks, median_lifetime

    for n in (1024, 3001):
        low, high = _median_ranks(n)
        assert high == n - low + 1

        def cdf(k: int, n: int = n) -> float:  # P(Bin(n, 1/2) <= k), from log-binomials
            return sum(math.exp(math.lgamma(n + 1) - math.lgamma(j + 1) - math.lgamma(n - j + 1)
                                - n * math.log(2)) for j in range(k + 1))

        assert cdf(low - 1) <= 0.025 < cdf(low)
    life = np.arange(1024, dtype=float)
    m = median_lifetime(life, np.zeros(1024, dtype=bool))
    assert m.low < m.median < m.high
