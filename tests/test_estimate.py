"""A large job is announced before it starts and refused without --yes; progress moves every day
of a long run."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.cli import main
from sim.errors import UserError
from sim.estimate import MAX_BYTES, MAX_SECONDS, check, duration, estimate, size
from sim.executors import make_chunks, run_chunk
from sim.experiments import load_experiment
from sim.params import resolve
from sim.sweep import run_experiment

HUGE = ["--set", "n_groups=2000", "--set", "group_size=5000", "--days", "365"]


def test_member_days_grow_with_groups_invitees_days_and_runs():
    """The work is groups x invitees x days x runs x join share; workers divide the time."""
    small = estimate([resolve({"n_groups": 2, "group_size": 100})], 100, 1, 700)
    assert small.member_days == pytest.approx(2 * 100 * 100 * 0.75)
    more = estimate([resolve({"n_groups": 4, "group_size": 100})] * 3, 200, 1, 700)
    assert more.member_days == pytest.approx(small.member_days * 2 * 3 * 2)
    two = estimate([resolve({"n_groups": 4, "group_size": 100})] * 3, 200, 2, 1)
    one = estimate([resolve({"n_groups": 4, "group_size": 100})] * 3, 200, 1, 1)
    assert two.seconds == pytest.approx(one.seconds / 2)
    assert two.bytes > one.bytes  # two chunks in memory at once


def test_a_job_above_the_limits_is_refused_with_its_size():
    """Above 10 minutes or 8 GB: one line with the estimate and the flag; below: nothing."""
    big = estimate([resolve({"n_groups": 2000, "group_size": 5000})], 365, 1, 700)
    assert big.seconds > MAX_SECONDS or big.bytes > MAX_BYTES
    with pytest.raises(UserError, match=r"about .* and .*GB of memory.*continue with --yes"):
        check(big)
    check(estimate([resolve({})], 180, 1, 700))  # the default run passes


def test_words_for_time_and_memory():
    """Durations and sizes read as an operator would say them."""
    assert duration(40) == "40 seconds" and duration(40 * 60) == "40 minutes"
    assert duration(5 * 3600) == "5.0 hours" and size(3 * 1024**3) == "3.0 GB"
    assert size(600 * 1024**2) == "600 MB"


def test_run_refuses_a_huge_run_without_yes_and_writes_nothing(tmp_path, capsys):
    """commsim run at the largest sizes: exit 2, the estimate, no results folder."""
    out = tmp_path / "big"
    code = main(["run", "baseline", *HUGE, "--replicates", "1", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("commsim: error: this job would take about ") and "--yes" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not out.exists()


def test_sweep_refuses_a_huge_experiment_without_yes(tmp_path, capsys):
    """An experiment of many large runs is refused before any folder is made."""
    path = tmp_path / "huge.toml"
    path.write_text('name = "huge"\nscenarios = ["baseline"]\nreplicates = 1000\ndays = 365\n'
                    "seed = 1\n[vary]\nn_groups = [500]\n", encoding="utf-8")
    out = tmp_path / "out"
    code = main(["sweep", str(path), "--workers", "1", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "continue with --yes" in err and not out.exists()


def test_on_day_is_called_once_per_simulated_day():
    """A chunk reports each of its days, so the bar of one long run moves."""
    params = [resolve({"group_size": 20})] * 3
    chunk = make_chunks([0, 1, 2], params, [1, 2, 3], 9, 3)[0]
    days: list[int] = []
    run_chunk(chunk, on_day=lambda: days.append(1))
    assert len(days) == 9


def test_progress_of_one_worker_counts_runs(tmp_path, capsys):
    """With one worker the bar counts runs (whole at the end) on stderr."""
    path = Path(tmp_path / "tiny.toml")
    path.write_text('name = "tiny"\nscenarios = ["baseline"]\nreplicates = 4\ndays = 6\n'
                    "seed = 2\n[vary]\ngroup_size = [20]\n", encoding="utf-8")
    run_experiment(load_experiment(path), tmp_path / "out", ["test"], workers=1, chunk_size=2,
                   progress=True)
    err = capsys.readouterr().err
    assert "4/4 runs" in err and "100%" in err


def test_a_long_job_under_the_limits_is_announced_with_its_estimate(capsys):
    """Over a minute but under the limits: the estimate is said on stderr; a short job is not."""
    from sim.cli import _announce
    from sim.estimate import Estimate

    _announce(Estimate(member_days=1.5e9, seconds=300, bytes=2 * 1024**3, workers=1))
    err = capsys.readouterr().err
    assert "about 5 minutes and 2.0 GB of memory" in err and "1,500 million member-days" in err
    _announce(Estimate(member_days=1e6, seconds=5, bytes=1024**3, workers=1))
    assert capsys.readouterr().err == ""
