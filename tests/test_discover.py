"""commsim discover: PRIM recovers a planted box, agrees with ema-workbench used directly, says
how stable its limits are, and refuses bad conditions with one line and exit code 2."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from sim.cli import main
from sim.decide.discover import (
    MASS_MIN,
    PEEL_ALPHA,
    discover,
    find_box,
    inputs,
    parse_condition,
)
from sim.errors import UserError


def planted(points: int = 300, replicates: int = 2, noise: float = 0.05, seed: int = 0):
    """Runs over four inputs where the condition holds (up to label noise) exactly when a < 4
    and b > 0.5; c and d do nothing. Replicates share their point's inputs."""
    rng = np.random.default_rng(seed)
    design = pd.DataFrame({"a": rng.uniform(0, 10, points), "b": rng.uniform(0, 1, points),
                           "c": rng.uniform(0, 1, points), "d": rng.integers(0, 5, points)})
    runs = design.loc[np.repeat(np.arange(points), replicates)].reset_index(drop=True)
    runs["point"] = np.repeat(np.arange(points), replicates)
    inside = (runs["a"] < 4) & (runs["b"] > 0.5)
    flip = rng.random(len(runs)) < noise
    runs["members_final"] = np.where(inside ^ flip, 50, 150)
    return runs


def test_recovers_a_planted_box():
    """The box restricts a from above near 4 and b from below near 0.5 and nothing else; it
    holds most of the runs meeting the condition and few others."""
    runs = planted()
    cond = parse_condition("members_final < 100", runs, "test")
    d = discover(runs, ["a", "b", "c", "d"], cond, runs["point"].to_numpy(), "test",
                 resamples=4, seed=1, with_cart=False)
    limits = {lim.name: lim for lim in d.box.limits}
    assert set(limits) == {"a", "b"}
    assert limits["a"].low is None and abs(limits["a"].high - 4) < 0.6
    assert limits["b"].high is None and abs(limits["b"].low - 0.5) < 0.1
    assert d.box.density > 0.85 and d.box.coverage > 0.6
    assert "members present at the end below 100 in" in d.rule_text()
    stab = d.stability.set_index("input")
    assert stab.loc["a", "restricted_share"] >= 0.75 and stab.loc["b", "restricted_share"] >= 0.75


def test_box_matches_the_library_used_directly():
    """Without dropping restrictions, the box is ema-workbench's PRIM box at the step chosen by
    the stated rule (coverage >= 0.5, within 2 points of the densest, covering most): same
    limits, coverage and density."""
    from ema_workbench.analysis import prim

    runs = planted(seed=2)
    x = inputs(runs, ["a", "b", "c", "d"])
    y = (runs["members_final"] < 100).to_numpy()
    mine, _ = find_box(x, y, min_coverage=0.5, drop=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = prim.Prim(x, y, threshold=0.5, peel_alpha=PEEL_ALPHA, mass_min=MASS_MIN)
        box = p.find_box()
    t = box.peeling_trajectory
    ok = t[t["coverage"] >= 0.5]
    near = ok[ok["density"] >= ok["density"].max() - 0.02]
    step = int(near.sort_values(["coverage", "density"], ascending=False).index[0])
    lims = box.box_lims[step]
    assert mine.step == step
    assert mine.coverage == pytest.approx(t.loc[step, "coverage"], abs=1e-9)
    assert mine.density == pytest.approx(t.loc[step, "density"], abs=1e-9)
    for lim in mine.limits:
        if lim.low is not None:
            assert lim.low == pytest.approx(float(lims[lim.name][0]), abs=1e-6)
        if lim.high is not None:
            assert lim.high == pytest.approx(float(lims[lim.name][1]), abs=1e-6)


def test_conditions_are_judged_per_run():
    """silent_by_day_N is 'fell silent on or before day N' (never silent: no); comparisons of a
    missing value are false; true/false columns and 'not' work; mistakes are UserErrors."""
    runs = pd.DataFrame({"time_to_silence": [30.0, 90.0, 91.0, np.nan],
                         "silent": [True, True, True, False],
                         "members_final": [10, 200, 50, 80], "revenue": 0.0, "cost": 1.0})
    assert parse_condition("silent_by_day_90", runs, "w").evaluate(runs).tolist() == \
        [True, True, False, False]
    assert parse_condition("members_final<100", runs, "w").evaluate(runs).tolist() == \
        [True, False, True, True]
    assert parse_condition("not silent", runs, "w").evaluate(runs).tolist() == \
        [False, False, False, True]
    assert parse_condition("profit < 0", runs, "w").evaluate(runs).all()
    for bad, message in [("member_final < 100", "did you mean 'members_final'"),
                         ("members_final ~ 3", "expected NAME OP NUMBER"),
                         ("members_final", "not true/false")]:
        with pytest.raises(UserError, match=message):
            parse_condition(bad, runs, "w")


@pytest.fixture(scope="module")
def sweep_folder(tmp_path_factory):
    """A small sampled sweep made by `commsim sweep`."""
    root = tmp_path_factory.mktemp("disc")
    exp = root / "small.toml"
    exp.write_text('scenarios = ["baseline"]\nsampler = "lhs"\nsamples = 16\nreplicates = 2\n'
                   'days = 30\nseed = 1\n[vary.group_size]\nlow = 20\nhigh = 300\n'
                   '[vary.activity_median]\nlow = 0.005\nhigh = 0.04\n')
    out = root / "res"
    assert main(["sweep", str(exp), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    return out


@pytest.mark.parametrize("condition, message", [
    ("membres_final < 100", "unknown outcome 'membres_final'"),
    ("members_final < -1", "no run meets the condition"),
    ("members_final >= 0", "every run meets the condition"),
])
def test_bad_conditions_are_one_line_and_exit_2(sweep_folder, capsys, condition, message):
    """An unknown column, a condition no run meets and one every run meets: one line, exit 2."""
    code = main(["discover", str(sweep_folder), condition, "--bootstrap", "0"])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err.startswith("commsim: error:") and "\n" not in err and message in err


def test_discover_command_writes_the_page_and_tables(sweep_folder, capsys):
    """On a real sweep the command prints the rule with coverage and density and writes the
    page and the trajectory and stability tables."""
    code = main(["discover", str(sweep_folder), "members_final < 60", "--bootstrap", "2"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "coverage" in out and "density" in out and "members present at the end" in out
    for name in ("discover.html", "discover_trajectory.csv", "discover_stability.csv"):
        assert (sweep_folder / name).is_file()
    assert "Plotly" in (sweep_folder / "discover.html").read_text()


def test_discover_o_refuses_existing_files_before_the_work(sweep_folder, tmp_path, capsys):
    """-o onto an existing page (or one of the tables beside it) is refused in one line with
    exit 2 and the file kept, as by every command; --force replaces them."""
    page = tmp_path / "box.html"
    (tmp_path / "box_stability.csv").write_text("keep me")
    args = ["discover", str(sweep_folder), "members_final < 60", "--bootstrap", "0", "-o",
            str(page)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "box_stability.csv: the file exists; add --force" in err
    assert (tmp_path / "box_stability.csv").read_text() == "keep me" and not page.exists()
    assert main([*args, "--force"]) == 0
    assert page.is_file() and (tmp_path / "box_stability.csv").read_text() != "keep me"
    assert "coverage" in (tmp_path / "box_trajectory.csv").read_text()
