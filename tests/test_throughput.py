"""Run-time estimates of `commsim experiments`: the work counted right, the speed measured once."""

from __future__ import annotations

import json
import re

from sim import throughput
from sim.cli import main
from sim.executors import available_cores
from sim.experiments import load_experiment

TWO_SIZES = """
name = "two_sizes"
scenarios = ["baseline", "fee_99"]
replicates = 3
days = 10
seed = 1
[vary]
group_size = [50, 120]
"""


def test_work_is_invitees_times_days_over_every_run(tmp_path):
    path = tmp_path / "two_sizes.toml"
    path.write_text(TWO_SIZES)
    e = load_experiment(path)
    # 2 scenarios x (50 + 120 invitees) x 3 replicates x 10 days, one group a run
    assert throughput.invitee_days(e) == 2 * (50 + 120) * 3 * 10
    assert throughput.estimate(e, per_core=1000.0, cores=2) == 10_200 / 2000


def test_speed_is_measured_once_and_then_read_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("COMMSIM_CACHE_DIR", str(tmp_path))
    calls = []

    def fake() -> float:
        calls.append(1)
        return 2.5e6

    assert throughput.speed(fake) == 2.5e6 and throughput.speed(fake) == 2.5e6
    assert len(calls) == 1
    saved = json.loads((tmp_path / "throughput.json").read_text())
    saved["machine"] = "another machine"  # a new version or machine measures again
    (tmp_path / "throughput.json").write_text(json.dumps(saved))
    throughput.speed(fake)
    assert len(calls) == 2


def test_durations_read_in_words():
    assert throughput.duration(0.2) == "under a second"
    assert throughput.duration(42) == "about 42 s"
    assert throughput.duration(600) == "about 10 min"
    assert throughput.duration(3 * 3600) == "about 3.0 h"


def test_experiments_prints_each_run_time(monkeypatch, capsys):
    monkeypatch.setattr(throughput, "speed", lambda: 1e6)
    assert main(["experiments"]) == 0
    out = capsys.readouterr().out
    smoke = load_experiment("smoke")
    seconds = throughput.invitee_days(smoke) / (1e6 * available_cores())
    block = out[out.index("smoke  ("):]
    assert f"run time: {throughput.duration(seconds)}" in block.splitlines()[1]
    headers = re.findall(r"^\S+  \(.* runs of \d+ days\)$", out, re.M)
    assert len(headers) == out.count("    run time: ") > 5
